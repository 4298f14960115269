import type { BenchConfig } from '../lib/config.js';
import type { ProcessStats, ResidentByKind } from '../lib/process-stats.js';
import { round, type ScenarioResult } from '../lib/result.js';
import { spawnChild } from '../lib/spawn-child.js';

const TTL_SECONDS = 30;
// Sessions are kept RETENTION_MS (60 s) past their end so late polls get a clear answer.
const PAST_RETENTION_MS = (TTL_SECONDS + 60 + 5) * 1000;
// Memory is read after GC and a quiet spell, so V8's memory reducer has returned freed pages.
const QUIET_MS = 5000;

/**
 * Scenario 6: a million sessions created over HTTP by the load generator (another process, like
 * every other scenario's load) and left to expire on the in-memory store. The server's `now`
 * option is moved past expiry and retention instead of waiting; the store's own one-second sweep
 * does the forgetting. RSS is read exactly (smaps_rollup), after GC and a quiet spell.
 *
 * Why not create them inside the server through `qr.fetch`, which is faster: the Web `Request` /
 * `Response` objects the harness would build there leave the process's malloc heap at a higher
 * water mark by themselves (+17 MiB for a million with a stand-in handler and no qrlogin at all),
 * which would be measured as qrlogin's.
 */
export async function soak(cfg: BenchConfig): Promise<ScenarioResult> {
  const server = await spawnChild(
    'servers/qrlogin-server.ts',
    { BENCH_TTL_SECONDS: String(TTL_SECONDS) },
    { profile: true },
  );
  const agent = await spawnChild('load/agent.ts');
  try {
    await agent.call('init', {
      kind: 'qrlogin',
      browserPort: server.info.port,
      phonePort: server.info.port,
      devices: [],
    });
    const cycle = async (count: number) => {
      const t0 = performance.now();
      const created = await agent.call<{ created: number; failed: number }>(
        'createSessions',
        { count, concurrency: 64 },
        900_000,
      );
      const createMs = performance.now() - t0;
      const peak = await server.call<ProcessStats & { storeSize: number }>('waitStoreSize', {
        size: 1e12,
        timeoutMs: 0,
      });
      await server.call('advanceClock', { ms: PAST_RETENTION_MS });
      const after = await server.call<ProcessStats & { storeSize: number }>('waitStoreSize', {
        size: 0,
        timeoutMs: 60_000,
        quietMs: QUIET_MS,
      });
      const resident = await server.call<ResidentByKind | null>('residentByKind');
      return { ...created, createMs, peak, after, resident };
    };
    // Warm-up cycle: JIT, the store's maps and the wheel's buckets reach their working shape.
    const warm = await cycle(Math.min(50_000, cfg.soakSessions / 10));
    const start = warm.after;
    const run = await cycle(cfg.soakSessions);
    // A second round tells a leak (grows again) from a one-time high-water mark (does not).
    const again = await cycle(cfg.soakSessions);
    const end = run.after;
    const leakRatio = again.after.rssExact / run.after.rssExact;
    const rssRatio = end.rssExact / start.rssExact;
    const heapRatio = end.heapUsed / start.heapUsed;
    const mib = (n: number) => round(n / 2 ** 20);
    const kinds = (r: ResidentByKind | null) =>
      r ? `${r.malloc} / ${r.arenas} / ${r.anon} / ${r.files}` : 'n/a (no /proc/self/smaps)';
    const name = `6 soak (${cfg.soakSessions.toLocaleString('en')} sessions created over HTTP, left to expire; twice)`;
    return {
      name,
      rows: [
        { scenario: name, metric: 'create rate (sessions/s)', qrlogin: round((run.created * 1000) / run.createMs) },
        {
          scenario: name,
          metric: 'peak RSS / heap MiB',
          qrlogin: `${mib(run.peak.rssExact)} / ${mib(run.peak.heapUsed)}`,
        },
        {
          scenario: name,
          metric: 'RSS MiB after expiry vs start',
          qrlogin: mib(end.rssExact),
          baseline: mib(start.rssExact),
          baselineName: 'start',
          ratio: round(rssRatio),
          bar: '≤ 1.1×',
          pass: rssRatio <= 1.1,
        },
        {
          scenario: name,
          metric: 'resident MiB: main malloc heap / thread arenas / other anon / files',
          qrlogin: kinds(run.resident),
          baseline: kinds(warm.resident),
          baselineName: 'start',
        },
        {
          scenario: name,
          metric: 'heap MiB after expiry vs start',
          qrlogin: mib(end.heapUsed),
          baseline: mib(start.heapUsed),
          baselineName: 'start',
          ratio: round(heapRatio),
          bar: '≤ 1.1×',
          pass: heapRatio <= 1.1,
        },
        {
          scenario: name,
          metric: 'RSS MiB after a 2nd round vs after the 1st',
          qrlogin: mib(again.after.rssExact),
          baseline: mib(run.after.rssExact),
          baselineName: 'after 1st round',
          ratio: round(leakRatio),
          bar: '≤ 1.1× (no growth)',
          pass: leakRatio <= 1.1,
        },
        {
          scenario: name,
          metric: 'sessions left in store / failed creates',
          qrlogin: `${end.storeSize + again.after.storeSize} / ${run.failed + again.failed}`,
          bar: '0 / 0',
          pass:
            end.storeSize === 0 &&
            again.after.storeSize === 0 &&
            run.failed + again.failed === 0 &&
            run.created + again.created === 2 * cfg.soakSessions,
        },
      ],
      details: { start, run, again },
    };
  } finally {
    await agent.stop();
    await server.stop();
  }
}
