/** Configuration rules: each bad value stops the start with a message naming the variable. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { cpuBudget } from '../../src/cpu-budget';
import { EncoderHost } from '../../src/nlu/encoder-host';
import { NluService } from '../../src/nlu/nlu-service';
import { silentLogger } from '../support/service';

const problem = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
};

describe('MONGODB_URI', () => {
  it('accepts a replica set with several hosts, mongodb+srv and a single host', () => {
    for (const uri of [
      'mongodb://mongo-1:27017,mongo-2:27017,mongo-3:27017/dajeong?replicaSet=rs0',
      'mongodb://user:p%40ss@10.0.0.5:27017,10.0.0.6:27017/dajeong?replicaSet=rs0&authSource=admin',
      'mongodb+srv://cluster0.example.org/dajeong',
      'mongodb://127.0.0.1:27017/dajeong',
    ]) {
      expect(loadConfig({ MONGODB_URI: uri }).MONGODB_URI).toBe(uri);
    }
  });

  it('refuses what the driver would refuse, naming the variable', () => {
    expect(problem({ MONGODB_URI: 'http://mongo:27017/db' })).toMatch(/MONGODB_URI: not a MongoDB connection string .*mongodb:\/\//);
    expect(problem({ MONGODB_URI: 'mongodb://' })).toMatch(/MONGODB_URI/);
  });

  it('waits longer than a replica-set election for a primary by default, and can be told otherwise', () => {
    expect(loadConfig({}).MONGODB_SERVER_SELECTION_TIMEOUT_MS).toBe(15_000);
    expect(loadConfig({ MONGODB_SERVER_SELECTION_TIMEOUT_MS: '30000' }).MONGODB_SERVER_SELECTION_TIMEOUT_MS).toBe(30_000);
    expect(problem({ MONGODB_SERVER_SELECTION_TIMEOUT_MS: '10' })).toMatch(/MONGODB_SERVER_SELECTION_TIMEOUT_MS/);
  });
});

describe('rules between variables', () => {
  it('refuses an outbox base delay above the maximum delay', () => {
    expect(problem({ OUTBOX_BASE_DELAY_MS: '5000', OUTBOX_MAX_DELAY_MS: '1000' })).toMatch(/OUTBOX_BASE_DELAY_MS: must not exceed OUTBOX_MAX_DELAY_MS \(1000\)/);
    expect(loadConfig({ OUTBOX_BASE_DELAY_MS: '1000', OUTBOX_MAX_DELAY_MS: '1000' }).OUTBOX_BASE_DELAY_MS).toBe(1000);
  });

  it('refuses ADMIN_PASSWORD without ADMIN_LOGIN', () => {
    expect(problem({ ADMIN_PASSWORD: 'long-enough-secret' })).toMatch(/ADMIN_PASSWORD: needs ADMIN_LOGIN/);
    expect(loadConfig({ ADMIN_LOGIN: 'admin', ADMIN_PASSWORD: 'long-enough-secret' }).ADMIN_LOGIN).toBe('admin');
  });

  it('reports both rules together, once each variable is valid on its own', () => {
    expect(problem({ OUTBOX_BASE_DELAY_MS: '5000', OUTBOX_MAX_DELAY_MS: '1000', ADMIN_PASSWORD: 'long-enough-secret' })).toMatch(/OUTBOX_BASE_DELAY_MS.*; ADMIN_PASSWORD/);
  });
});

describe('REDIS_URL', () => {
  it('accepts redis:// and rediss:// and refuses anything else', () => {
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379/0' }).REDIS_URL).toBe('redis://redis:6379/0');
    expect(loadConfig({ REDIS_URL: 'rediss://:secret@cache.internal:6380' }).REDIS_URL).toBe('rediss://:secret@cache.internal:6380');
    expect(problem({ REDIS_URL: 'http://redis:6379' })).toMatch(/REDIS_URL: expected redis:\/\//);
    expect(problem({ REDIS_URL: 'redis' })).toMatch(/REDIS_URL/);
    expect(loadConfig({}).REDIS_URL).toBeUndefined();
  });
});

describe('NLU_THREADS', () => {
  it('defaults to the CPUs this process may use, and takes an explicit count', () => {
    expect(loadConfig({}).NLU_THREADS).toBe(cpuBudget());
    expect(loadConfig({ NLU_THREADS: '3' }).NLU_THREADS).toBe(3);
    expect(problem({ NLU_THREADS: '0' })).toMatch(/NLU_THREADS/);
  });

  it('reaches the inference thread settings when the service loads the model', async () => {
    const nlu = new NluService(path.join(__dirname, '..', '..', 'intents'), silentLogger());
    // No model there: the service degrades to lexical, but the thread count was handed on first.
    await nlu.start({ modelDir: path.join(os.tmpdir(), 'no-model-here'), threads: 3 });
    expect(EncoderHost.threads).toBe(3);
    expect(nlu.status().degraded).toBe(true);
    await nlu.close();
  });
});

describe('cpu budget', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  it('caps the visible CPUs at a cgroup v2 quota, rounding down, at least 1', () => {
    write('cpu.max', '200000 100000\n');
    expect(cpuBudget({ cgroupRoot: root, procCgroup: '0::/\n', parallelism: 8 })).toBe(2);
    write('cpu.max', '150000 100000\n');
    expect(cpuBudget({ cgroupRoot: root, procCgroup: '0::/\n', parallelism: 8 })).toBe(1);
    write('cpu.max', '50000 100000\n');
    expect(cpuBudget({ cgroupRoot: root, procCgroup: '0::/\n', parallelism: 8 })).toBe(1);
    write('cpu.max', 'max 100000\n');
    expect(cpuBudget({ cgroupRoot: root, procCgroup: '0::/\n', parallelism: 8 })).toBe(8);
    write('cpu.max', '800000 100000\n');
    expect(cpuBudget({ cgroupRoot: root, procCgroup: '0::/\n', parallelism: 2 })).toBe(2);
  });

  it("reads the process's own cgroup v2 group on a host", () => {
    write('system.slice/dajeong.service/cpu.max', '300000 100000\n');
    expect(cpuBudget({ cgroupRoot: root, procCgroup: '0::/system.slice/dajeong.service\n', parallelism: 16 })).toBe(3);
  });

  it('reads a cgroup v1 CFS quota, where -1 means none', () => {
    write('cpu/cpu.cfs_quota_us', '200000\n');
    write('cpu/cpu.cfs_period_us', '100000\n');
    expect(cpuBudget({ cgroupRoot: root, procCgroup: '1:cpu:/\n0::/\n', parallelism: 4 })).toBe(2);
    write('cpu/cpu.cfs_quota_us', '-1\n');
    expect(cpuBudget({ cgroupRoot: root, procCgroup: '1:cpu:/\n0::/\n', parallelism: 4 })).toBe(4);
  });

  it('uses the visible CPUs when there is no cgroup information', () => {
    expect(cpuBudget({ cgroupRoot: path.join(root, 'missing'), procCgroup: '', parallelism: 6 })).toBe(6);
  });
});
