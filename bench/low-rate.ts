/**
 * What push costs at a low confirm rate, the case scenario 5 measures: N browsers wait on their
 * sockets; the server's CPU is read over a quiet window, then over a window with phones scanning
 * and confirming at RATE per second; the difference per login is what one lone scan + confirm
 * costs. For qrlogin and the bare http+ws floor, each in its own process. Not a scenario: the tool
 * behind the low-rate figures in docs/benchmarks.md.
 *
 * Run: `npx tsx bench/low-rate.ts` (env: N=10000 browsers, RATE=20, SECONDS=16, KINDS=bare,qrlogin;
 * BENCH_QRLOGIN_REF=<commit> measures qrlogin as it was at that commit).
 */
import { newDeviceKeys, registerDevices } from './lib/devices.js';
import { coresBetween as cores, type ProcessStats } from './lib/process-stats.js';
import { spawnChild } from './lib/spawn-child.js';
import { openWaitingBrowsers } from './lib/waiting-browsers.js';

const N = Number(process.env.N ?? 10_000);
const RATE = Number(process.env.RATE ?? 20);
const SECONDS = Number(process.env.SECONDS ?? 16);
const kinds = (process.env.KINDS ?? 'bare,qrlogin').split(',') as ('bare' | 'qrlogin')[];

for (const kind of kinds) {
  const server = await spawnChild(kind === 'qrlogin' ? 'servers/qrlogin-server.ts' : 'servers/bare-server.ts');
  const agent = await spawnChild('load/agent.ts');
  try {
    const port = server.info.port as number;
    const devices = await registerDevices(server, newDeviceKeys(8));
    await agent.call('init', { kind, browserPort: port, phonePort: port, devices });
    await openWaitingBrowsers(server, agent, N, { mode: 'ws' });
    const q0 = await server.call<ProcessStats>('stats');
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const q1 = await server.call<ProcessStats>('stats');
    const r = await agent.call<{ latency: { p50: number }; errorCount: number }>(
      'confirmAtRate',
      { count: RATE * SECONDS, rate: RATE, settleMs: 500 },
      600_000,
    );
    const c1 = await server.call<ProcessStats>('stats');
    const quiet = cores(q0, q1);
    const busy = cores(q1, c1);
    console.log(
      `${kind.padEnd(8)} quiet ${quiet.toFixed(4)} cores, with ${RATE} logins/s ${busy.toFixed(4)} cores: ` +
        `${(((busy - quiet) * 1000) / RATE).toFixed(2)} ms of server CPU per scan + confirm, ` +
        `detection p50 ${r.latency.p50.toFixed(2)} ms, ${r.errorCount} errors`,
    );
  } finally {
    await agent.stop();
    await server.stop();
  }
}
