/**
 * The deployment files, read as their tools would (Docker is not available here): the compose
 * file parses, both instances get the same settings and those settings pass the service's own
 * configuration check, the replica set, proxy upstreams and init job agree with each other, and
 * the image keeps only the int8 model and carries the pre-built NLU cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConnectionString } from 'mongodb-connection-string-url';
import { loadConfig } from '../../src/config';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
  command?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: unknown;
  volumes?: string[];
}

const compose = parse(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const instances = Object.keys(services).filter((name) => /^dajeong-\d+$/.test(name));

/** dajeong.env.example as the env_file compose would read. */
const envExample = Object.fromEntries(
  read('deploy/dajeong.env.example')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    .filter(([, value]) => value !== ''),
);

it('runs two instances of the image with the same settings, and those settings are valid', () => {
  expect(instances).toEqual(['dajeong-1', 'dajeong-2']);
  const [a, b] = instances.map((name) => services[name]!);
  expect(a!.environment).toEqual(b!.environment);
  expect(a!.build?.context).toBe('..');
  expect(fs.existsSync(path.join(ROOT, 'deploy', a!.build!.context, a!.build!.dockerfile))).toBe(true);
  const config = loadConfig({ ...envExample, ...a!.environment });
  expect(config.REDIS_URL).toBe('redis://redis:6379');
  // Instances are reached only through the proxy.
  for (const name of instances) expect(services[name]!.ports).toBeUndefined();
  expect(a!.depends_on).toEqual({ 'mongo-init': { condition: 'service_completed_successfully' }, redis: { condition: 'service_healthy' } });
});

it('points MONGODB_URI at every member of the replica set the init job creates', () => {
  const uri = new ConnectionString(services['dajeong-1']!.environment!['MONGODB_URI']!);
  const members = Object.keys(services).filter((name) => /^mongo\d+$/.test(name));
  expect(members).toHaveLength(3);
  expect([...uri.hosts].sort()).toEqual(members.map((m) => `${m}:27017`).sort());
  const replSet = uri.searchParams.get('replicaSet');
  for (const m of members) expect(services[m]!.command).toEqual(['mongod', '--replSet', replSet, '--bind_ip_all']);
  const init = read('deploy/mongo-init.js');
  expect(init).toContain(`_id: '${replSet}'`);
  expect([...init.matchAll(/host: '([^']+)'/g)].map((m) => m[1]).sort()).toEqual([...uri.hosts].sort());
  expect(services['mongo-init']!.depends_on).toEqual(Object.fromEntries(members.map((m) => [m, { condition: 'service_healthy' }])));
  for (const m of members) expect(services[m]!.healthcheck).toBeDefined();
});

it('terminates TLS in the proxy and balances over exactly the instances', () => {
  const proxy = services['proxy']!;
  expect(proxy.ports).toEqual(expect.arrayContaining(['443:443']));
  const caddy = read('deploy/Caddyfile');
  const upstreams = /^\s*reverse_proxy\s+([^{\n]+)\{/m.exec(caddy)?.[1]?.trim().split(/\s+/);
  const port = services['dajeong-1']!.environment!['PORT'];
  expect(upstreams).toEqual(instances.map((name) => `${name}:${port}`));
  expect(caddy).toMatch(/^\s*tls /m);
  expect(caddy).toMatch(/health_uri \/readyz/);
  expect(proxy.volumes).toEqual(expect.arrayContaining(['./Caddyfile:/etc/caddy/Caddyfile:ro']));
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it('sets ownership while copying instead of a chown -R layer', () => {
    expect(instructions.some((line) => /chown\s+-R/.test(line))).toBe(false);
    expect(runtime).toMatch(/COPY --chown=node:node intents/);
    expect(runtime).toMatch(/USER node/);
  });

  it('ships the int8 model only, with what loads it', () => {
    const modelStage = stages.find((s) => s.startsWith('python:'))!;
    expect(modelStage).toMatch(/cp onnx\/model_quantized\.onnx \/model\/onnx\//);
    expect(instructions.some((line) => /onnx\/model\.onnx/.test(line))).toBe(false);
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'PROVENANCE.json']) expect(modelStage).toContain(file);
    expect(runtime).toMatch(/COPY --from=model \/model \.\/models\/multilingual-e5-small/);
  });

  it('pre-builds the NLU cache at build time and ships it', () => {
    const cacheStage = stages.find((s) => / AS cache/.test(s.split('\n')[0]!))!;
    expect(cacheStage).toMatch(/node scripts\/warm-cache\.mjs/);
    expect(runtime).toMatch(/COPY --chown=node:node --from=cache \/app\/\.cache \.\/\.cache/);
    expect(fs.existsSync(path.join(ROOT, 'scripts', 'warm-cache.mjs'))).toBe(true);
  });
});
