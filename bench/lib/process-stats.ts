import { mkdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';

/** What a server process reports about itself. */
export interface ProcessStats {
  /** `process.memoryUsage().rss`: from the kernel's per-CPU batched counters, off by some MiB at times. */
  rss: number;
  /**
   * Exact resident bytes (`Rss:` of /proc/self/smaps_rollup, which walks the page tables), or `rss`
   * where the kernel does not offer it. proc(5) warns that the counters behind `rss` are
   * inaccurate; a ratio of two readings needs the exact one.
   */
  rssExact: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** process.cpuUsage(), µs. */
  cpuUser: number;
  cpuSystem: number;
  /**
   * Event-loop time since the loop started, ms: busy and idle (`performance.eventLoopUtilization()`).
   * Two readings give the utilisation over the window between them exactly.
   */
  loopActiveMs: number;
  loopIdleMs: number;
  /** Wall clock of the reading, ms (performance.now()). */
  at: number;
  /**
   * Bytes of RSS the process has already freed with `madvise(MADV_FREE)` (Linux `LazyFree` in
   * /proc/self/smaps_rollup): still counted in RSS until the kernel needs the pages, but not in use.
   * `0` where the kernel does not report it.
   */
  lazyFree: number;
}

/** The `<field>: <n> kB` lines of /proc/self/smaps_rollup in bytes (one read), or `{}` off Linux. */
function smapsRollup(): Record<string, number> {
  try {
    const fields: Record<string, number> = {};
    for (const [, name, kb] of readFileSync('/proc/self/smaps_rollup', 'utf8').matchAll(/^(\w+):\s+(\d+) kB$/gm)) {
      fields[name as string] = Number(kb) * 1024;
    }
    return fields;
  } catch {
    return {};
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

/** CPU between two readings of a process, µs of all its threads. */
export function cpuUsBetween(a: ProcessStats, b: ProcessStats): number {
  return b.cpuUser + b.cpuSystem - a.cpuUser - a.cpuSystem;
}

/** CPU between two readings of a process, in cores (1.0 = one core busy for the whole window). */
export function coresBetween(a: ProcessStats, b: ProcessStats): number {
  return cpuUsBetween(a, b) / 1000 / (b.at - a.at);
}

/** Reads this process's memory and CPU counters. */
export function processStats(): ProcessStats {
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  const rollup = smapsRollup();
  const loop = performance.eventLoopUtilization();
  return {
    rss: m.rss,
    rssExact: rollup.Rss ?? m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    cpuUser: cpu.user,
    cpuSystem: cpu.system,
    loopActiveMs: loop.active,
    loopIdleMs: loop.idle,
    at: performance.now(),
    lazyFree: rollup.LazyFree ?? 0,
  };
}

/** Resident MiB by kind of mapping, from {@link residentByKind}. */
export interface ResidentByKind {
  /** glibc's main heap (`[heap]`): what the main thread malloc'd. */
  malloc: number;
  /** glibc's per-thread arenas: what V8's GC and compiler threads and libuv's pool malloc'd. */
  arenas: number;
  /** Every other anonymous mapping: V8's heap pages, stacks. */
  anon: number;
  /** Mapped files: the node binary, libraries. */
  files: number;
}

// glibc gives a thread arena its own 64 MiB-aligned reservation, used from the bottom up
// (read-write) with the rest kept inaccessible (`---p`) until it grows into it.
const ARENA_ALIGN = 64n << 20n;

/**
 * Resident MiB by kind of mapping (/proc/self/smaps). Tells a native high-water mark (and whose
 * threads made it) from a JS one.
 */
export function residentByKind(): ResidentByKind | null {
  let text: string;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return null;
  }
  const kb: ResidentByKind = { malloc: 0, arenas: 0, anon: 0, files: 0 };
  const mappings: { start: bigint; perm: string; name: string; rss: number }[] = [];
  for (const line of text.split('\n')) {
    const header = /^([0-9a-f]+)-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      mappings.push({ start: BigInt(`0x${header[1]}`), perm: header[2] as string, name: header[3] ?? '', rss: 0 });
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB$/.exec(line);
    const last = mappings[mappings.length - 1];
    if (rss && last) last.rss += Number(rss[1]);
  }
  mappings.forEach((m, i) => {
    const next = mappings[i + 1];
    const kind: keyof ResidentByKind =
      m.name === '[heap]'
        ? 'malloc'
        : m.name.startsWith('/')
          ? 'files'
          : m.name === '' && m.perm === 'rw-p' && m.start % ARENA_ALIGN === 0n && next?.perm === '---p'
            ? 'arenas'
            : 'anon';
    kb[kind] += m.rss;
  });
  const mib = (n: number) => Math.round((n / 1024) * 10) / 10;
  return { malloc: mib(kb.malloc), arenas: mib(kb.arenas), anon: mib(kb.anon), files: mib(kb.files) };
}

/** Handlers every bench server answers: `stats`, and `settle` (GC, then stats). */
export const statsHandlers = {
  stats: () => processStats(),
  residentByKind: () => residentByKind(),
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
