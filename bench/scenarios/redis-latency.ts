import type { BenchConfig } from '../lib/config.js';
import type { BenchRedis } from '../lib/redis-server.js';
import type { ScenarioResult } from '../lib/result.js';
import { spawnChild } from '../lib/spawn-child.js';
import { latencyRows, measureLatencyPair } from './latency-pair.js';

/**
 * Scenario 2: browsers on instance A, phones on instance B, both on one Redis; against a
 * hand-built pair of processes doing verify → one Lua compare-and-set + PUBLISH → subscriber → ws.send.
 */
export async function redisLatency(cfg: BenchConfig, redis: BenchRedis): Promise<ScenarioResult> {
  const env = { BENCH_REDIS_URL: redis.url };
  const pair = (file: string) => async () => [
    await spawnChild(file, env, { profile: true }),
    await spawnChild(file, env, { profile: true }),
  ];
  const { summaries, raw } = await measureLatencyPair(
    [
      { label: 'bare', kind: 'bare', start: pair('servers/bare-redis-server.ts'), reset: () => redis.flush() },
      { label: 'qrlogin', kind: 'qrlogin', start: pair('servers/qrlogin-server.ts'), reset: () => redis.flush() },
    ],
    { browsers: cfg.redisBrowsers, rate: cfg.latencyRate, burst: cfg.latencyBurst, warmup: 500 },
  );
  const name = `2 push latency, 2 instances on Redis (${cfg.redisBrowsers} browsers on A, ${cfg.latencyRate} confirms/s on B)`;
  return {
    name,
    rows: latencyRows(name, summaries.qrlogin!, summaries.bare!, 'hand-built Lua CAS+PUBLISH'),
    details: {
      summaries,
      errorSamples: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.errorSamples.slice(0, 5)])),
    },
  };
}
