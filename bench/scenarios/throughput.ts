import type { BenchConfig } from '../lib/config.js';
import { newDeviceKeys, registerDevices } from '../lib/devices.js';
import { coresBetween as cores, cpuUsBetween, type ProcessStats } from '../lib/process-stats.js';
import { round, type ScenarioResult } from '../lib/result.js';
import { spawnChild } from '../lib/spawn-child.js';
import type { Summary } from '../lib/stats.js';

/**
 * The server's event-loop utilisation over a window (0..1): near 1 means its one JavaScript thread
 * was the limit, lower means the machine's cores were.
 */
function loopBusy(a: ProcessStats, b: ProcessStats): number {
  const active = b.loopActiveMs - a.loopActiveMs;
  return active / (active + b.loopIdleMs - a.loopIdleMs);
}

interface Measured {
  logins: { logins: number; perSecond: number; loginMs: Summary; errorCount: number; errorSamples: string[] };
  confirms: { confirms: number; perSecond: number; errorCount: number; errorSamples: string[] };
  prepErrors: number;
  loginCores: number;
  loginLoopBusy: number;
  loginAgentCores: number;
  confirmCores: number;
  confirmAgentCores: number;
  loginCpuMs: number;
  confirmCpuUs: number;
}

async function measure(kind: 'qrlogin' | 'bare', cfg: BenchConfig): Promise<Measured> {
  const server = await spawnChild(
    kind === 'qrlogin' ? 'servers/qrlogin-server.ts' : 'servers/bare-server.ts',
    {},
    {
      profile: true,
    },
  );
  const agent = await spawnChild('load/agent.ts');
  try {
    const port = server.info.port as number;
    const devices = await registerDevices(server, newDeviceKeys(64));
    await agent.call('init', { kind, browserPort: port, phonePort: port, devices });
    await agent.call('loginsClosedLoop', { durationMs: 1500, concurrency: cfg.loginConcurrency });

    const s0 = await server.call<ProcessStats>('stats');
    const a0 = await agent.call<ProcessStats>('stats');
    const logins = await agent.call<Measured['logins']>('loginsClosedLoop', {
      durationMs: cfg.loginSeconds * 1000,
      concurrency: cfg.loginConcurrency,
    });
    const s1 = await server.call<ProcessStats>('stats');
    const a1 = await agent.call<ProcessStats>('stats');

    await agent.call('prepareConfirms', { count: 1000 });
    await agent.call('fireConfirms', { concurrency: cfg.confirmConcurrency });
    const prep = await agent.call<{ prepared: number; errorCount: number }>('prepareConfirms', {
      count: cfg.confirmCount,
    });
    const c0 = await server.call<ProcessStats>('stats');
    const ac0 = await agent.call<ProcessStats>('stats');
    const confirms = await agent.call<Measured['confirms']>('fireConfirms', { concurrency: cfg.confirmConcurrency });
    const c1 = await server.call<ProcessStats>('stats');
    const ac1 = await agent.call<ProcessStats>('stats');
    return {
      logins,
      confirms,
      prepErrors: prep.errorCount,
      loginCores: cores(s0, s1),
      loginLoopBusy: loopBusy(s0, s1),
      loginAgentCores: cores(a0, a1),
      confirmCores: cores(c0, c1),
      confirmAgentCores: cores(ac0, ac1),
      loginCpuMs: cpuUsBetween(s0, s1) / 1000 / Math.max(1, logins.logins),
      confirmCpuUs: cpuUsBetween(c0, c1) / Math.max(1, confirms.confirms),
    };
  } finally {
    await agent.stop();
    await server.stop();
  }
}

/**
 * Scenario 4: complete logins per second through one process (create → socket + auth → scan →
 * confirm → `confirmed` → redeem through the host route), closed loop; then confirms per second
 * alone (sessions created and scanned beforehand, bodies signed beforehand). The bare http+ws
 * server runs the same loops as a reference for what this machine allows at all (the load
 * generator shares the two cores).
 */
export async function throughput(cfg: BenchConfig): Promise<ScenarioResult> {
  const bare = await measure('bare', cfg);
  const q = await measure('qrlogin', cfg);
  const name = `4 throughput, one process (closed loop: ${cfg.loginConcurrency} logins / ${cfg.confirmConcurrency} confirms in flight)`;
  const floor = 'bare http+ws';
  return {
    name,
    rows: [
      {
        scenario: name,
        metric: 'complete logins/s',
        qrlogin: round(q.logins.perSecond),
        baseline: round(bare.logins.perSecond),
        baselineName: floor,
        ratio: round(q.logins.perSecond / bare.logins.perSecond),
        bar: '≥ 2000/s, 0 errors',
        pass: q.logins.perSecond >= 2000 && q.logins.errorCount === 0,
      },
      { scenario: name, metric: 'login errors', qrlogin: q.logins.errorCount, baseline: bare.logins.errorCount },
      {
        scenario: name,
        metric: 'CPU during logins, server / load generator (cores)',
        qrlogin: `${round(q.loginCores)} / ${round(q.loginAgentCores)}`,
        baseline: `${round(bare.loginCores)} / ${round(bare.loginAgentCores)}`,
        baselineName: floor,
      },
      {
        scenario: name,
        metric: 'server event loop busy during logins',
        qrlogin: `${round(q.loginLoopBusy * 100)} %`,
        baseline: `${round(bare.loginLoopBusy * 100)} %`,
        baselineName: floor,
      },
      {
        scenario: name,
        metric: 'server CPU ms per complete login',
        qrlogin: round(q.loginCpuMs),
        baseline: round(bare.loginCpuMs),
        baselineName: floor,
        ratio: round(q.loginCpuMs / bare.loginCpuMs),
      },
      {
        scenario: name,
        metric: 'confirms/s',
        qrlogin: round(q.confirms.perSecond),
        baseline: round(bare.confirms.perSecond),
        baselineName: floor,
        ratio: round(q.confirms.perSecond / bare.confirms.perSecond),
        bar: '≥ 4000/s, 0 errors',
        pass: q.confirms.perSecond >= 4000 && q.confirms.errorCount === 0 && q.prepErrors === 0,
      },
      { scenario: name, metric: 'confirm errors', qrlogin: q.confirms.errorCount + q.prepErrors },
      {
        scenario: name,
        metric: 'CPU during confirms, server / load generator (cores)',
        qrlogin: `${round(q.confirmCores)} / ${round(q.confirmAgentCores)}`,
        baseline: `${round(bare.confirmCores)} / ${round(bare.confirmAgentCores)}`,
        baselineName: floor,
      },
      {
        scenario: name,
        metric: 'server CPU µs per confirm',
        qrlogin: round(q.confirmCpuUs),
        baseline: round(bare.confirmCpuUs),
        baselineName: floor,
        ratio: round(q.confirmCpuUs / bare.confirmCpuUs),
      },
    ],
    details: { qrlogin: q, bare },
  };
}
