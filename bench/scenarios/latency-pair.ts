import { newDeviceKeys, registerDevices } from '../lib/devices.js';
import type { Row } from '../lib/result.js';
import { round } from '../lib/result.js';
import { type Child, spawnChild } from '../lib/spawn-child.js';
import { type Summary, summarize } from '../lib/stats.js';

/** One system under test: qrlogin, or the hand-built floor it is compared with. */
export interface LatencySystem {
  label: string;
  kind: 'qrlogin' | 'bare';
  /** Starts the servers; the first one's port takes the browsers, the last one's the phones. */
  start(): Promise<Child[]>;
  /** Called between rounds (e.g. to flush Redis). */
  reset?(): Promise<void>;
}

interface Measured {
  samples: number[];
  missed: number;
  errors: number;
  errorSamples: string[];
  achievedRate: number;
}

/**
 * Scenario 1 / 2 core: for each system, N browsers wait on sockets and phones scan + confirm at a
 * fixed open-loop rate. Systems alternate round by round so drift on a shared machine hits both.
 */
export async function measureLatencyPair(
  systems: [LatencySystem, LatencySystem],
  opts: { browsers: number; rate: number; rounds: number; warmup: number },
): Promise<{
  summaries: Record<string, Summary & { missed: number; errors: number; achievedRate: number }>;
  raw: Record<string, Measured>;
}> {
  const keys = newDeviceKeys(8);
  const raw: Record<string, Measured> = {};
  for (const s of systems) raw[s.label] = { samples: [], missed: 0, errors: 0, errorSamples: [], achievedRate: 0 };
  for (let round = 0; round < opts.rounds; round++) {
    for (const system of systems) {
      const servers = await system.start();
      const agent = await spawnChild('load/agent.ts');
      try {
        const devices = await registerDevices(servers[servers.length - 1] as Child, keys);
        await agent.call('init', {
          kind: system.kind,
          browserPort: (servers[0] as Child).info.port,
          phonePort: (servers[servers.length - 1] as Child).info.port,
          devices,
        });
        // Warm-up: JIT, connection pools, Redis scripts; not measured.
        await agent.call('openBrowsers', { count: opts.warmup, concurrency: 100, mode: 'ws' });
        await agent.call('confirmAtRate', { count: opts.warmup, rate: opts.rate, settleMs: 3000 });
        await agent.call('closeAll');
        const opened = await agent.call<{ opened: number; errorCount: number; errorSamples: string[] }>(
          'openBrowsers',
          {
            count: opts.browsers,
            concurrency: 200,
            mode: 'ws',
          },
        );
        const r = await agent.call<{
          latency: Summary;
          samples: number[];
          missed: number;
          achievedRate: number;
          errorCount: number;
          errorSamples: string[];
        }>('confirmAtRate', { count: opts.browsers, rate: opts.rate, settleMs: 5000 });
        const m = raw[system.label] as Measured;
        m.samples.push(...r.samples);
        m.missed += r.missed + (opts.browsers - opened.opened);
        m.errors += r.errorCount + opened.errorCount;
        m.errorSamples.push(...opened.errorSamples, ...r.errorSamples);
        m.achievedRate = r.achievedRate;
        await agent.call('closeAll');
      } finally {
        await agent.stop();
        for (const s of servers) await s.stop();
        await system.reset?.();
      }
    }
  }
  const summaries: Record<string, Summary & { missed: number; errors: number; achievedRate: number }> = {};
  for (const [label, m] of Object.entries(raw)) {
    summaries[label] = { ...summarize(m.samples), missed: m.missed, errors: m.errors, achievedRate: m.achievedRate };
  }
  return { summaries, raw };
}

/** Table rows comparing qrlogin's p50 / p99 / max with the floor's; the bar is ≤ 1.5× for p50 and p99. */
export function latencyRows(
  scenario: string,
  q: Summary & { missed: number; errors: number },
  floor: Summary,
  floorName: string,
): Row[] {
  const row = (metric: 'p50' | 'p99' | 'max', barred: boolean): Row => {
    const ratio = q[metric] / floor[metric];
    return {
      scenario,
      metric: `${metric} ms`,
      qrlogin: round(q[metric]),
      baseline: round(floor[metric]),
      baselineName: floorName,
      ratio: round(ratio),
      ...(barred ? { bar: '≤ 1.5×', pass: ratio <= 1.5 } : {}),
    };
  };
  return [
    row('p50', true),
    row('p99', true),
    row('max', false),
    {
      scenario,
      metric: 'missed / errors',
      qrlogin: `${q.missed} / ${q.errors}`,
      bar: '0 / 0',
      pass: q.missed === 0 && q.errors === 0,
    },
  ];
}
