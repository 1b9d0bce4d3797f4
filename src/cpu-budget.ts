/**
 * How many CPUs this process may really use: the CPUs it can see, capped by the container's CPU
 * quota. Node's os.availableParallelism() sees the host's CPUs (or the cpuset), not a CFS quota
 * such as `docker run --cpus=2` or a Kubernetes CPU limit, and inference threads beyond the quota
 * only get throttled.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface CpuBudgetSources {
  /** Where cgroup file systems are mounted. Default /sys/fs/cgroup. */
  cgroupRoot?: string;
  /** This process's /proc/self/cgroup text. */
  procCgroup?: string;
  /** CPUs visible to the process. Default os.availableParallelism(). */
  parallelism?: number;
}

const read = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** The quota in CPUs from cgroup v2 "cpu.max" ("max 100000" or "200000 100000"), if limited. */
export function parseCpuMax(text: string | undefined): number | undefined {
  const [quota, period] = (text ?? '').split(/\s+/);
  if (!quota || quota === 'max' || !period) return undefined;
  const cpus = Number(quota) / Number(period);
  return Number.isFinite(cpus) && cpus > 0 ? cpus : undefined;
}

/** The quota in CPUs from cgroup v1 cfs_quota_us / cfs_period_us (-1 = unlimited), if limited. */
export function parseCfsQuota(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return q > 0 && p > 0 ? q / p : undefined;
}

/** The CPU quota of this process's cgroup (v2, else v1), in CPUs; undefined when unlimited or unknown. */
export function cgroupCpuQuota(sources: CpuBudgetSources = {}): number | undefined {
  const root = sources.cgroupRoot ?? '/sys/fs/cgroup';
  const lines = (sources.procCgroup ?? read('/proc/self/cgroup') ?? '').split('\n');
  const v2 = lines.find((l) => l.startsWith('0::'))?.slice(3);
  const v1 = lines.find((l) => /^\d+:[^:]*\bcpu\b[^:]*:/.test(l))?.split(':')[2];
  // Inside a container the cgroup namespace makes the own group the root; on a host it is a path.
  for (const dir of [...new Set([v2 && path.join(root, v2), root])].filter(Boolean) as string[]) {
    const cpus = parseCpuMax(read(path.join(dir, 'cpu.max')));
    if (cpus) return cpus;
  }
  for (const dir of [...new Set([v1 && path.join(root, 'cpu', v1), path.join(root, 'cpu'), path.join(root, 'cpu,cpuacct')])].filter(Boolean) as string[]) {
    const cpus = parseCfsQuota(read(path.join(dir, 'cpu.cfs_quota_us')), read(path.join(dir, 'cpu.cfs_period_us')));
    if (cpus) return cpus;
  }
  return undefined;
}

/** Whole CPUs this process may use: at least 1, at most what it sees, rounded down to the quota. */
export function cpuBudget(sources: CpuBudgetSources = {}): number {
  const visible = sources.parallelism ?? os.availableParallelism();
  const quota = cgroupCpuQuota(sources);
  return Math.max(1, Math.min(visible, quota === undefined ? visible : Math.floor(quota)));
}
