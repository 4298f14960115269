import type { BenchConfig } from '../lib/config.js';
import type { ProcessStats } from '../lib/process-stats.js';
import { type Row, round, type ScenarioResult } from '../lib/result.js';
import { spawnChild } from '../lib/spawn-child.js';

interface Held {
  label: string;
  opened: number;
  errors: number;
  errorSamples: string[];
  before: ProcessStats;
  after: ProcessStats;
  rssPerBrowser: number;
  heapPerBrowser: number;
  openMs: number;
}

async function hold(label: string, serverFile: string, count: number): Promise<Held> {
  const server = await spawnChild(serverFile);
  const agent = await spawnChild('load/agent.ts');
  try {
    const port = server.info.port as number;
    // Warm the server's code paths so the "before" reading is not of a cold process.
    if (label === 'socket.io') {
      await agent.call('openSocketIo', { count: 200, concurrency: 100, port });
    } else {
      await agent.call('init', {
        kind: label === 'qrlogin' ? 'qrlogin' : 'bare',
        browserPort: port,
        phonePort: port,
        devices: [],
      });
      await agent.call('openBrowsers', { count: 200, concurrency: 100, mode: 'ws' });
    }
    await agent.call('closeAll');
    await new Promise((r) => setTimeout(r, 500));
    const before = await server.call<ProcessStats>('settle');
    const r =
      label === 'socket.io'
        ? await agent.call<{ opened: number; ms: number; errorCount: number; errorSamples: string[] }>('openSocketIo', {
            count,
            concurrency: 200,
            port,
          })
        : await agent.call<{ opened: number; ms: number; errorCount: number; errorSamples: string[] }>('openBrowsers', {
            count,
            concurrency: 200,
            mode: 'ws',
          });
    const after = await server.call<ProcessStats>('settle');
    await agent.call('closeAll');
    return {
      label,
      opened: r.opened,
      errors: r.errorCount,
      errorSamples: r.errorSamples,
      before,
      after,
      rssPerBrowser: (after.rssExact - before.rssExact) / Math.max(1, r.opened),
      heapPerBrowser: (after.heapUsed - before.heapUsed) / Math.max(1, r.opened),
      openMs: r.ms,
    };
  } finally {
    await agent.stop();
    await server.stop();
  }
}

/**
 * Scenario 3: how many waiting browsers one process holds, and server RSS per waiting browser,
 * for qrlogin (session + authenticated socket), a bare `ws` server (map entry + socket) and
 * socket.io (a socket in a room). The target is the per-process open-file limit minus headroom for
 * the server's other descriptors, since the load comes from one machine.
 */
export async function capacity(cfg: BenchConfig, fileLimit: number): Promise<ScenarioResult> {
  const target = cfg.capacityTarget || fileLimit - 500;
  const held: Record<string, Held> = {};
  for (const [label, file] of [
    ['bare ws', 'servers/bare-server.ts'],
    ['socket.io', 'servers/socketio-server.ts'],
    ['qrlogin', 'servers/qrlogin-server.ts'],
  ] as const) {
    held[label] = await hold(label, file, target);
  }
  const q = held.qrlogin as Held;
  const bare = held['bare ws'] as Held;
  const sio = held['socket.io'] as Held;
  const name = `3 capacity (target ${target} browsers; open-file limit ${fileLimit} per process)`;
  const kb = (n: number) => round(n / 1024);
  const rows: Row[] = [
    {
      scenario: name,
      metric: 'browsers held',
      qrlogin: q.opened,
      baseline: `${bare.opened} / ${sio.opened}`,
      baselineName: 'bare ws / socket.io',
      bar: `= target (${target})`,
      pass: q.opened === target && q.errors === 0,
    },
    {
      scenario: name,
      metric: 'RSS KiB / browser',
      qrlogin: kb(q.rssPerBrowser),
      baseline: kb(bare.rssPerBrowser),
      baselineName: 'bare ws',
      ratio: round(q.rssPerBrowser / bare.rssPerBrowser),
      bar: '≤ 1.5×',
      pass: q.rssPerBrowser <= 1.5 * bare.rssPerBrowser,
    },
    {
      scenario: name,
      metric: 'RSS KiB / browser',
      qrlogin: kb(q.rssPerBrowser),
      baseline: kb(sio.rssPerBrowser),
      baselineName: 'socket.io rooms',
      ratio: round(q.rssPerBrowser / sio.rssPerBrowser),
      bar: '< 0.7×',
      pass: q.rssPerBrowser < 0.7 * sio.rssPerBrowser,
    },
    {
      scenario: name,
      metric: 'JS heap KiB / browser',
      qrlogin: kb(q.heapPerBrowser),
      baseline: `${kb(bare.heapPerBrowser)} / ${kb(sio.heapPerBrowser)}`,
      baselineName: 'bare ws / socket.io',
    },
  ];
  return { name, rows, details: { target, fileLimit, held } };
}
