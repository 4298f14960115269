import { mkdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';

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
  /**
   * Bytes of RSS the process has already freed with `madvise(MADV_FREE)` (Linux `LazyFree` in
   * /proc/self/smaps_rollup): still counted in RSS until the kernel needs the pages, but not in use.
   * `0` where the kernel does not report it.
   */
  lazyFree: number;
}

function lazyFreeBytes(): number {
  try {
    const match = /^LazyFree:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
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
    lazyFree: lazyFreeBytes(),
  };
}

/** Handlers every bench server answers: `stats`, and `settle` (GC, then stats). */
export const statsHandlers = {
  stats: () => processStats(),
  settle: async () => {
    await settleMemory();
    return processStats();
  },
  /** Writes a heap snapshot to bench/results/profiles/ (for diagnosis; open it in Chrome DevTools). */
  heapSnapshot: async (args: { name: string }) => {
    await settleMemory();
    // Set by spawnChild: this file runs bundled from another directory.
    const dir = `${process.env.BENCH_RESULTS_DIR ?? fileURLToPath(new URL('../results/', import.meta.url))}/profiles/`;
    mkdirSync(dir, { recursive: true });
    return writeHeapSnapshot(`${dir}${args.name}-${process.pid}.heapsnapshot`);
  },
};
