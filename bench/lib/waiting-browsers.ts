import type { Child } from './spawn-child.js';

/** How the waiting browsers wait: on a socket, or polling every `intervalMs`. */
export interface WaitMode {
  mode: 'ws' | 'poll';
  intervalMs?: number;
}

/**
 * Scenario 5's setup, shared with `bench/low-rate.ts`: a warm-up of the scan and confirm path, then
 * `count` waiting browsers, a spell for pollers to reach their cadence, and a GC of the setup's
 * garbage (thousands of sessions and sockets opened in a burst), so the window that follows pays for
 * none of it. Returns how many browsers were opened.
 */
export async function openWaitingBrowsers(server: Child, agent: Child, count: number, wait: WaitMode): Promise<number> {
  await agent.call('openBrowsers', { count: 300, concurrency: 100, mode: 'ws' });
  await agent.call('confirmAtRate', { count: 300, rate: 500, settleMs: 2000 });
  await agent.call('closeAll');
  const { opened } = await agent.call<{ opened: number }>('openBrowsers', { count, concurrency: 200, ...wait });
  await new Promise((r) => setTimeout(r, wait.intervalMs ?? 2000));
  await server.call('settle');
  return opened;
}
