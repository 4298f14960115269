import { performance } from 'node:perf_hooks';

/** What a server process reports about itself. */
export interface ProcessStats {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** process.cpuUsage(), µs. */
  cpuUser: number;
  cpuSystem: number;
  /** Event-loop utilisation since the process started (0..1). */
  elu: number;
  /** Wall clock of the reading, ms (performance.now()). */
  at: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Collects garbage (children run with `--expose-gc`) a few times with pauses, so memory readings
 * compare live data, not whatever the collector had not got to yet.
 */
export async function settleMemory(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Reads this process's memory and CPU counters. */
export function processStats(): ProcessStats {
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    cpuUser: cpu.user,
    cpuSystem: cpu.system,
    elu: performance.eventLoopUtilization().utilization,
    at: performance.now(),
  };
}

/** Handlers every bench server answers: `stats`, and `settle` (GC, then stats). */
export const statsHandlers = {
  stats: () => processStats(),
  settle: async () => {
    await settleMemory();
    return processStats();
  },
};
