import type { BenchConfig } from '../lib/config.js';
import type { ScenarioResult } from '../lib/result.js';
import { spawnChild } from '../lib/spawn-child.js';
import { latencyRows, measureLatencyPair } from './latency-pair.js';

/**
 * Scenario 1: push latency through one qrlogin process against a bare node:http + ws server doing
 * the same hop (verify, update, `ws.send`) in the same run.
 */
export async function pushLatency(cfg: BenchConfig): Promise<ScenarioResult> {
  const { summaries, raw } = await measureLatencyPair(
    [
      {
        label: 'bare',
        kind: 'bare',
        start: async () => [await spawnChild('servers/bare-server.ts', {}, { profile: true })],
      },
      {
        label: 'qrlogin',
        kind: 'qrlogin',
        start: async () => [await spawnChild('servers/qrlogin-server.ts', {}, { profile: true })],
      },
    ],
    { browsers: cfg.latencyBrowsers, rate: cfg.latencyRate, burst: cfg.latencyBurst, warmup: 500 },
  );
  const q = summaries.qrlogin!;
  const floor = summaries.bare!;
  const name = `1 push latency, 1 instance (${cfg.latencyBrowsers} browsers, ${cfg.latencyRate} confirms/s)`;
  return {
    name,
    rows: latencyRows(name, q, floor, 'bare http+ws'),
    details: {
      summaries,
      errorSamples: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.errorSamples.slice(0, 5)])),
    },
  };
}
