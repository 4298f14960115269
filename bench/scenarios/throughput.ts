import type { BenchConfig } from '../lib/config.js';
import { newDeviceKeys, registerDevices } from '../lib/devices.js';
import type { ProcessStats } from '../lib/process-stats.js';
import { round, type ScenarioResult } from '../lib/result.js';
import { spawnChild } from '../lib/spawn-child.js';
import type { Summary } from '../lib/stats.js';

/** Server CPU over a window, in cores (1.0 = one core busy). */
function cores(a: ProcessStats, b: ProcessStats): number {
  return (b.cpuUser + b.cpuSystem - a.cpuUser - a.cpuSystem) / 1000 / (b.at - a.at);
}

/**
 * Scenario 4: complete logins per second through one process (create → socket + auth → scan →
 * confirm → `confirmed` → redeem through the host route), closed loop; then confirms per second
 * alone (sessions created and scanned beforehand, bodies signed beforehand).
 */
export async function throughput(cfg: BenchConfig): Promise<ScenarioResult> {
  const server = await spawnChild('servers/qrlogin-server.ts', {}, { profile: true });
  const agent = await spawnChild('load/agent.ts');
  try {
    const port = server.info.port as number;
    const devices = await registerDevices(server, newDeviceKeys(64));
    await agent.call('init', { kind: 'qrlogin', browserPort: port, phonePort: port, devices });
    await agent.call('loginsClosedLoop', { durationMs: 1500, concurrency: cfg.loginConcurrency });

    const s0 = await server.call<ProcessStats>('stats');
    const a0 = await agent.call<ProcessStats>('stats');
    const logins = await agent.call<{
      logins: number;
      perSecond: number;
      loginMs: Summary;
      errorCount: number;
      errorSamples: string[];
    }>('loginsClosedLoop', { durationMs: cfg.loginSeconds * 1000, concurrency: cfg.loginConcurrency });
    const s1 = await server.call<ProcessStats>('stats');
    const a1 = await agent.call<ProcessStats>('stats');

    await agent.call('prepareConfirms', { count: 1000 });
    await agent.call('fireConfirms', { concurrency: cfg.confirmConcurrency });
    const prep = await agent.call<{ prepared: number; errorCount: number }>('prepareConfirms', {
      count: cfg.confirmCount,
    });
    const c0 = await server.call<ProcessStats>('stats');
    const ac0 = await agent.call<ProcessStats>('stats');
    const confirms = await agent.call<{
      confirms: number;
      perSecond: number;
      errorCount: number;
      errorSamples: string[];
    }>('fireConfirms', { concurrency: cfg.confirmConcurrency });
    const c1 = await server.call<ProcessStats>('stats');
    const ac1 = await agent.call<ProcessStats>('stats');
    const counters = await server.call<{ internalErrors: number }>('counters');

    const name = '4 throughput, one process';
    return {
      name,
      rows: [
        {
          scenario: name,
          metric: 'complete logins/s (closed loop)',
          qrlogin: round(logins.perSecond),
          bar: '≥ 2000, 0 errors',
          pass: logins.perSecond >= 2000 && logins.errorCount === 0,
        },
        { scenario: name, metric: 'login errors', qrlogin: logins.errorCount },
        {
          scenario: name,
          metric: 'CPU during logins, server / load generator (cores)',
          qrlogin: `${round(cores(s0, s1))} / ${round(cores(a0, a1))}`,
        },
        {
          scenario: name,
          metric: 'server CPU ms per complete login',
          qrlogin: round((cores(s0, s1) * (s1.at - s0.at)) / Math.max(1, logins.logins)),
        },
        {
          scenario: name,
          metric: 'confirms/s',
          qrlogin: round(confirms.perSecond),
          bar: '≥ 4000, 0 errors',
          pass: confirms.perSecond >= 4000 && confirms.errorCount === 0 && prep.errorCount === 0,
        },
        { scenario: name, metric: 'confirm errors', qrlogin: confirms.errorCount + prep.errorCount },
        {
          scenario: name,
          metric: 'CPU during confirms, server / load generator (cores)',
          qrlogin: `${round(cores(c0, c1))} / ${round(cores(ac0, ac1))}`,
        },
        {
          scenario: name,
          metric: 'server CPU µs per confirm',
          qrlogin: round((cores(c0, c1) * (c1.at - c0.at) * 1000) / Math.max(1, confirms.confirms)),
        },
      ],
      details: { logins, confirms, serverInternalErrors: counters.internalErrors },
    };
  } finally {
    await agent.stop();
    await server.stop();
  }
}
