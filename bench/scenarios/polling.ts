import type { BenchConfig } from '../lib/config.js';
import { newDeviceKeys, registerDevices } from '../lib/devices.js';
import { coresBetween, cpuUsBetween, type ProcessStats } from '../lib/process-stats.js';
import { type Row, round, type ScenarioResult } from '../lib/result.js';
import { spawnChild } from '../lib/spawn-child.js';
import type { Summary } from '../lib/stats.js';
import { openWaitingBrowsers, type WaitMode } from '../lib/waiting-browsers.js';

interface ModeResult {
  mode: string;
  latency: Summary;
  missed: number;
  errors: number;
  errorSamples: string[];
  /** Server CPU over the window, in cores. */
  cpuCores: number;
  polls: number;
  pollErrors: number;
  windowMs: number;
}

/**
 * Scenario 5: the same N waiting browsers, waiting on qrlogin's WebSocket push versus polling
 * qrlogin's own `GET /sessions/:id` every 2 s and every 5 s (the design most QR-login
 * implementations use). Phones confirm a slice of them at a steady rate across the window;
 * detection latency runs from the confirm request to the browser knowing. Server CPU comes from
 * `process.cpuUsage()` in the server process over the same window. Two unbarred rows say what
 * this machine allows: the bare http+ws push at the same load, and the CPU of a lone request at the
 * confirm rate, which bounds any push from below.
 */
export async function polling(cfg: BenchConfig): Promise<ScenarioResult> {
  const keys = newDeviceKeys(8);
  const modes: { mode: string; kind: 'qrlogin' | 'bare'; open: WaitMode }[] = [
    { mode: 'push', kind: 'qrlogin', open: { mode: 'ws' } },
    { mode: 'poll 2 s', kind: 'qrlogin', open: { mode: 'poll', intervalMs: 2000 } },
    { mode: 'poll 5 s', kind: 'qrlogin', open: { mode: 'poll', intervalMs: 5000 } },
    // Not barred: what the same push costs with no qrlogin in it, i.e. how much of the CPU bar this
    // machine leaves to any push implementation at this confirm rate.
    { mode: 'bare push', kind: 'bare', open: { mode: 'ws' } },
  ];
  const results: Record<string, ModeResult> = {};
  for (const { mode, kind, open } of modes) {
    const server = await spawnChild(
      kind === 'qrlogin' ? 'servers/qrlogin-server.ts' : 'servers/bare-server.ts',
      {},
      { profile: true },
    );
    const agent = await spawnChild('load/agent.ts');
    try {
      const port = server.info.port as number;
      const devices = await registerDevices(server, keys);
      await agent.call('init', { kind, browserPort: port, phonePort: port, devices });
      // Every mode alike, so no mode's window pays for the setup.
      const opened = await openWaitingBrowsers(server, agent, cfg.pollBrowsers, open);
      await agent.call('resetCounters');
      const s0 = await server.call<ProcessStats>('stats');
      const r = await agent.call<{
        latency: Summary;
        missed: number;
        errorCount: number;
        errorSamples: string[];
        polls: number;
        pollErrors: number;
      }>('confirmAtRate', {
        count: cfg.pollConfirms,
        rate: cfg.pollConfirms / cfg.pollWindowSeconds,
        settleMs: (open.intervalMs ?? 0) + 3000,
      });
      const s1 = await server.call<ProcessStats>('stats');
      await agent.call('closeAll');
      results[mode] = {
        mode,
        latency: r.latency,
        missed: r.missed + cfg.pollBrowsers - opened,
        errors: r.errorCount,
        errorSamples: r.errorSamples,
        cpuCores: coresBetween(s0, s1),
        polls: r.polls,
        pollErrors: r.pollErrors,
        windowMs: s1.at - s0.at,
      };
    } finally {
      await agent.stop();
      await server.stop();
    }
  }
  const lonely = await lonelyRequestCost(cfg.pollConfirms / cfg.pollWindowSeconds, cfg.pollWindowSeconds);
  const push = results.push as ModeResult;
  const name = `5 against polling (${cfg.pollBrowsers} waiting browsers, ${cfg.pollConfirms} confirms over ${cfg.pollWindowSeconds} s)`;
  const rows: Row[] = [];
  for (const mode of ['poll 2 s', 'poll 5 s']) {
    const p = results[mode] as ModeResult;
    const barred = mode === 'poll 2 s';
    const latencyRatio = p.latency.p50 / push.latency.p50;
    const cpuRatio = push.cpuCores / p.cpuCores;
    rows.push(
      {
        scenario: name,
        metric: `median detection ms, push vs ${mode}`,
        qrlogin: round(push.latency.p50),
        baseline: round(p.latency.p50),
        baselineName: mode,
        ratio: round(latencyRatio),
        ...(barred ? { bar: '≥ 1000× lower', pass: latencyRatio >= 1000 } : {}),
      },
      {
        scenario: name,
        metric: `server CPU (cores), push vs ${mode}`,
        qrlogin: round(push.cpuCores),
        baseline: round(p.cpuCores),
        baselineName: mode,
        ratio: round(cpuRatio),
        ...(barred ? { bar: '≤ 0.1×', pass: cpuRatio <= 0.1 } : {}),
      },
    );
  }
  const bare = results['bare push'] as ModeResult;
  const poll2 = results['poll 2 s'] as ModeResult;
  rows.push({
    scenario: name,
    metric: 'server CPU (cores), bare http+ws push vs poll 2 s',
    qrlogin: round(bare.cpuCores),
    baseline: round(poll2.cpuCores),
    baselineName: 'poll 2 s',
    ratio: round(bare.cpuCores / poll2.cpuCores),
  });
  // Any push pays at least two requests (scan and confirm) per login at the confirm rate, each at
  // the price a request costs when it arrives alone.
  const pushFloorCores = (2 * lonely.rate * lonely.atRateUs) / 1e6;
  rows.push(
    {
      scenario: name,
      metric: `machine: server CPU µs per lone request (an instant 404), at ${round(lonely.rate)}/s vs ${lonely.busyRate}/s`,
      qrlogin: round(lonely.atRateUs),
      baseline: round(lonely.busyUs),
      baselineName: `${lonely.busyRate}/s`,
      ratio: round(lonely.atRateUs / lonely.busyUs),
    },
    {
      scenario: name,
      metric: 'machine: least CPU any push can use here (2 lone requests per login), vs poll 2 s',
      qrlogin: round(pushFloorCores),
      baseline: round(poll2.cpuCores),
      baselineName: 'poll 2 s',
      ratio: round(pushFloorCores / poll2.cpuCores),
    },
  );
  rows.push({
    scenario: name,
    metric: 'missed / errors (push, 2 s, 5 s, bare push, lone requests)',
    qrlogin: ['push', 'poll 2 s', 'poll 5 s', 'bare push']
      .map((m) => `${results[m]?.missed}/${(results[m]?.errors ?? 0) + (results[m]?.pollErrors ?? 0)}`)
      .concat(`${lonely.errors}`)
      .join(', '),
  });
  return { name, rows, details: { results, lonely } };
}

/**
 * What a request costs the server when it arrives alone, at `rate` per second, against the same
 * request when the server is kept busy: on a VM every lone request wakes an idle vCPU, and the
 * process pays for the wake-up, so CPU per request at 20/s is many times that at 2,000/s. It bounds
 * from below what any push server can spend per login at scenario 5's confirm rate.
 */
async function lonelyRequestCost(rate: number, seconds: number) {
  const busyRate = 2000;
  const server = await spawnChild('servers/bare-server.ts');
  const agent = await spawnChild('load/agent.ts');
  try {
    const port = server.info.port as number;
    await agent.call('init', { kind: 'bare', browserPort: port, phonePort: port, devices: [] });
    const cpuUs = async (count: number, r: number) => {
      const s0 = await server.call<ProcessStats>('stats');
      const out = await agent.call<{ errorCount: number }>('lonelyRequests', { count, rate: r });
      const s1 = await server.call<ProcessStats>('stats');
      return { us: cpuUsBetween(s0, s1) / count, errors: out.errorCount };
    };
    await cpuUs(200, busyRate);
    const busy = await cpuUs(busyRate * Math.min(seconds, 8), busyRate);
    const atRate = await cpuUs(Math.max(20, Math.round(rate * Math.min(seconds, 10))), rate);
    return { rate, atRateUs: atRate.us, busyRate, busyUs: busy.us, errors: busy.errors + atRate.errors };
  } finally {
    await agent.stop();
    await server.stop();
  }
}
