/**
 * A tiny request/response protocol over Node's IPC channel, so the orchestrator can drive servers
 * and load generators that live in their own processes (the load must never share an event loop
 * with the server it measures).
 */

/** A message from the parent: run `cmd` with `args`, answer with the same `id`. */
export interface IpcRequest {
  id: number;
  cmd: string;
  args: unknown;
}

/** The answer to an {@link IpcRequest}. */
export type IpcResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** The first message a child sends, once it is ready for commands. */
export interface IpcReady {
  ready: true;
  info: Record<string, unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers are typed where they are written; IPC is untyped JSON.
export type Handlers = Record<string, (args: any) => unknown>;

/**
 * Child side: answers the parent's commands with `handlers`, then says it is ready. The child
 * exits when the parent goes away, so a crashed orchestrator leaves no load running.
 */
export function serveIpc(handlers: Handlers, info: Record<string, unknown> = {}): void {
  if (!process.send) throw new Error('this module must be started by bench/run.ts (no IPC channel)');
  process.on('message', (raw) => {
    const msg = raw as IpcRequest;
    const handler = handlers[msg.cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${msg.cmd}`);
        return handler(msg.args);
      })
      .then(
        (result) => process.send?.({ id: msg.id, ok: true, result: result ?? null } satisfies IpcResponse),
        (err: unknown) =>
          process.send?.({
            id: msg.id,
            ok: false,
            error: err instanceof Error ? (err.stack ?? err.message) : String(err),
          } satisfies IpcResponse),
      );
  });
  process.on('disconnect', () => process.exit(0));
  // A clean exit on SIGTERM lets `--cpu-prof` write its profile.
  process.on('SIGTERM', () => process.exit(0));
  process.send({ ready: true, info } satisfies IpcReady);
}
