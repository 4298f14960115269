import type { BenchConfig } from '../lib/config.js';
import type { ProcessStats } from '../lib/process-stats.js';
import { round, type ScenarioResult } from '../lib/result.js';
import { spawnChild } from '../lib/spawn-child.js';

const TTL_SECONDS = 30;
// Sessions are kept RETENTION_MS (60 s) past their end so late polls get a clear answer.
const PAST_RETENTION_MS = (TTL_SECONDS + 60 + 5) * 1000;
// Memory is read after GC and a quiet spell, so V8's memory reducer has returned freed pages.
const QUIET_MS = 5000;

/**
 * Scenario 6: a million sessions created and left to expire on the in-memory store. They are
 * created in the server process through `qr.fetch` (the whole HTTP core: body parsing, origin
 * check, UA parsing, secret hashing, store insert; only the socket is skipped), since a million
 * HTTP requests over loopback would take minutes. The server's `now` option is moved past expiry
 * and retention instead of waiting; the store's own one-second sweep does the forgetting.
 */
export async function soak(cfg: BenchConfig): Promise<ScenarioResult> {
  const server = await spawnChild(
    'servers/qrlogin-server.ts',
    { BENCH_TTL_SECONDS: String(TTL_SECONDS) },
    { profile: true },
  );
  try {
    const cycle = async (count: number) => {
      const t0 = performance.now();
      const created = await server.call<{ created: number; failed: number }>(
        'createInProcess',
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
      return { ...created, createMs, peak, after };
    };
    // Warm-up cycle: JIT, the store's maps and the wheel's buckets reach their working shape.
    const warm = await cycle(Math.min(50_000, cfg.soakSessions / 10));
    const start = warm.after;
    const run = await cycle(cfg.soakSessions);
    // A second round tells a leak (grows again) from a one-time high-water mark (does not).
    const again = await cycle(cfg.soakSessions);
    const end = run.after;
    const leakRatio = again.after.rss / run.after.rss;
    const rssRatio = end.rss / start.rss;
    const heapRatio = end.heapUsed / start.heapUsed;
    const mib = (n: number) => round(n / 2 ** 20);
    const name = `6 soak (${cfg.soakSessions.toLocaleString('en')} sessions created in-process via qr.fetch, left to expire; twice)`;
    return {
      name,
      rows: [
        { scenario: name, metric: 'create rate (sessions/s)', qrlogin: round((run.created * 1000) / run.createMs) },
        { scenario: name, metric: 'peak RSS / heap MiB', qrlogin: `${mib(run.peak.rss)} / ${mib(run.peak.heapUsed)}` },
        {
          scenario: name,
          metric: 'RSS MiB after expiry vs start',
          qrlogin: mib(end.rss),
          baseline: mib(start.rss),
          baselineName: 'start',
          ratio: round(rssRatio),
          bar: '≤ 1.1×',
          pass: rssRatio <= 1.1,
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
          qrlogin: mib(again.after.rss),
          baseline: mib(run.after.rss),
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
    await server.stop();
  }
}
