import { newDeviceKeys, registerDevices } from '../lib/devices.js';
import type { ProcessStats } from '../lib/process-stats.js';
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
  /** Called once the system is stopped (e.g. to flush Redis). */
  reset?(): Promise<void>;
}

interface Measured {
  samples: number[];
  answeredSamples: number[];
  missed: number;
  errors: number;
  errorSamples: string[];
  achievedRate: number;
  /** Server CPU (all server processes, all threads) per confirmed login during the measured phase, µs. */
  cpuPerLogin: number[];
}

/** Latency percentiles plus what else the run saw. */
export type LatencySummary = Summary & {
  missed: number;
  errors: number;
  achievedRate: number;
  cpuPerLogin: number;
  /** Confirm sent → its HTTP answer: how much of the latency the phone-side instance spends. */
  answered: Summary;
};

/**
 * Scenario 1 / 2 core: both systems run side by side (each its own servers and load generator),
 * each with N browsers waiting on sockets. Phones then scan + confirm in short open-loop bursts
 * that alternate between the systems (ABBA order), so whatever else the shared machine is doing
 * lands on both alike instead of on whichever system happened to run during it.
 */
export async function measureLatencyPair(
  systems: [LatencySystem, LatencySystem],
  opts: { browsers: number; rate: number; burst: number; warmup: number },
): Promise<{ summaries: Record<string, LatencySummary>; raw: Record<string, Measured> }> {
  const keys = newDeviceKeys(8);
  const raw: Record<string, Measured> = {};
  const running: { system: LatencySystem; servers: Child[]; agent: Child }[] = [];
  try {
    for (const system of systems) {
      raw[system.label] = {
        samples: [],
        answeredSamples: [],
        missed: 0,
        errors: 0,
        errorSamples: [],
        achievedRate: 0,
        cpuPerLogin: [],
      };
      const servers = await system.start();
      const agent = await spawnChild('load/agent.ts');
      running.push({ system, servers, agent });
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
    }
    for (const { system, agent } of running) {
      const opened = await agent.call<{ opened: number; errorCount: number; errorSamples: string[] }>('openBrowsers', {
        count: opts.browsers,
        concurrency: 200,
        mode: 'ws',
      });
      const m = raw[system.label] as Measured;
      m.missed += opts.browsers - opened.opened;
      m.errors += opened.errorCount;
      m.errorSamples.push(...opened.errorSamples);
    }
    const bursts = Math.ceil(opts.browsers / opts.burst);
    for (let k = 0; k < bursts; k++) {
      const order = k % 2 === 0 ? running : [...running].reverse();
      for (const { system, servers, agent } of order) {
        const cpu = async () => {
          let total = 0;
          for (const s of servers) {
            const st = await s.call<ProcessStats>('stats');
            total += st.cpuUser + st.cpuSystem;
          }
          return total;
        };
        const cpu0 = await cpu();
        const r = await agent.call<{
          samples: number[];
          answeredSamples: number[];
          missed: number;
          achievedRate: number;
          errorCount: number;
          errorSamples: string[];
        }>('confirmAtRate', {
          count: Math.min(opts.burst, opts.browsers - k * opts.burst),
          rate: opts.rate,
          settleMs: 5000,
        });
        const cpu1 = await cpu();
        const m = raw[system.label] as Measured;
        m.cpuPerLogin.push((cpu1 - cpu0) / Math.max(1, r.samples.length));
        m.samples.push(...r.samples);
        m.answeredSamples.push(...r.answeredSamples);
        m.missed += r.missed;
        m.errors += r.errorCount;
        m.errorSamples.push(...r.errorSamples);
        m.achievedRate = r.achievedRate;
      }
    }
  } finally {
    for (const { system, servers, agent } of running) {
      await agent.stop();
      for (const s of servers) await s.stop();
      await system.reset?.();
    }
  }
  const summaries: Record<string, LatencySummary> = {};
  for (const [label, m] of Object.entries(raw)) {
    summaries[label] = {
      ...summarize(m.samples),
      missed: m.missed,
      errors: m.errors,
      achievedRate: m.achievedRate,
      cpuPerLogin: m.cpuPerLogin.reduce((a, b) => a + b, 0) / Math.max(1, m.cpuPerLogin.length),
      answered: summarize(m.answeredSamples),
    };
  }
  return { summaries, raw };
}

/** Table rows comparing qrlogin's p50 / p99 / max with the floor's; the bar is ≤ 1.5× for p50 and p99. */
export function latencyRows(scenario: string, q: LatencySummary, floor: LatencySummary, floorName: string): Row[] {
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
      metric: 'server CPU µs per scan+confirm',
      qrlogin: round(q.cpuPerLogin),
      baseline: round(floor.cpuPerLogin),
      baselineName: floorName,
      ratio: round(q.cpuPerLogin / floor.cpuPerLogin),
    },
    {
      scenario,
      metric: 'missed / errors',
      qrlogin: `${q.missed} / ${q.errors}`,
      bar: '0 / 0',
      pass: q.missed === 0 && q.errors === 0,
    },
  ];
}
