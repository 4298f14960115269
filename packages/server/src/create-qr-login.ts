import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { isSessionId, QrLoginError } from '@qrlogin/protocol';
import { type Redemption, redeemSession } from './browser-actions.js';
import { type Context, loadSession, refreshWatched } from './context.js';
import { Deadlines } from './deadlines.js';
import { type RegisterDeviceInput, registerDevice, revokeDevice } from './device-actions.js';
import { listDevices, renameDevice } from './device-management.js';
import { createEmitter, type QrLoginEmitter } from './events.js';
import { type FetchInfo, fromWebRequest, toWebResponse } from './http/fetch-adapter.js';
import { errorResponse, handleRequest } from './http/handle-request.js';
import { fromNodeRequest, sendNodeResponse } from './http/node-adapter.js';
import { listLogins, type RevokeLoginsInput, revokeLoginById, revokeLoginsOf } from './ledger-actions.js';
import { forwardNotices } from './notifications.js';
import { type QrLoginOptions, resolveOptions } from './options.js';
import { forgetBrowser, promptCookie } from './prompt-actions.js';
import { createRateLimiter } from './rate-limiter.js';
import { type NotMeReport, type ReportNotMeInput, reportNotMe } from './report-not-me.js';
import { SessionWatchers } from './session-watchers.js';
import { effectiveState } from './state-machine.js';
import type { DeviceRecord, LoginRecord } from './store/types.js';
import { refuseUpgrade } from './ws/refuse-upgrade.js';
import { createSocketServer } from './ws/socket-server.js';

/** A qrlogin instance: HTTP handlers, the WebSocket push, and the host-side functions. */
export interface QrLogin {
  /**
   * Web `Request → Response` handler (Hono, Next.js route handlers, Bun, Deno …). Requests
   * outside the base path get a `404 NOT_FOUND`.
   */
  fetch(request: Request, info?: FetchInfo): Promise<Response>;
  /**
   * node:http / Express / Connect handler. Requests outside the base path go to `next()` when
   * given, else get a `404`.
   */
  node(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /**
   * Serves the WebSocket on `server`, at `{basePath}/ws`. Other upgrade paths are left to the
   * server's other `upgrade` listeners (added before or after); with none, they are answered `404`
   * and closed, as node:http itself would close them.
   */
  attach(server: Server): void;
  /** Takes an upgrade yourself; returns `false` for paths that are not qrlogin's. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /**
   * Redeems a confirmed session once. Call it from your own login route, then issue your own session.
   * A `STORE_UNAVAILABLE` answer may be retried with the same input: a redemption written despite
   * the error is returned to the first retry within 30 s (`REDEEM_RETRY_WINDOW_MS`).
   */
  redeem(input: { sessionId: string; browserSecret: string }): Promise<Redemption>;
  /**
   * Registers a device key for a user you have authenticated yourself. Idempotent: the same key for
   * the same user returns the device it already is; for another user it is `DEVICE_EXISTS`, and a
   * revoked key is `DEVICE_REVOKED`.
   */
  registerDevice(input: RegisterDeviceInput): Promise<DeviceRecord>;
  /**
   * Revokes a device (it can do nothing afterwards) and ends every login it approved, your
   * `endSession` hook first (reason `device-revoked`). Returns `false` when there is no such device.
   * `END_SESSION_FAILED` when the hook threw for some: the device is revoked; call again to end
   * the rest.
   *
   * @example
   * // "Remove this phone" on the user's devices page.
   * await qr.revokeDevice(deviceId);
   */
  revokeDevice(deviceId: string): Promise<boolean>;
  /** Every device of a user, revoked ones included, oldest first (for your own "your devices" page). */
  listDevices(userId: string): Promise<DeviceRecord[]>;
  /**
   * Renames a device (label per `DEVICE_LABEL_RULE`, else `INVALID_REQUEST`). Returns `false` when
   * there is no such device; a revoked one is `DEVICE_REVOKED`.
   */
  renameDevice(deviceId: string, label: string): Promise<boolean>;
  /** The current state of a session, as the browser would see it (for admin pages and tests). */
  inspect(sessionId: string): Promise<{ state: string; version: number; userId?: string; deviceId?: string } | null>;
  /**
   * Every login of a user the ledger still retains (ended ones included, with `endedAt`), newest
   * first: for your own "where you're signed in" page.
   */
  listLogins(userId: string): Promise<LoginRecord[]>;
  /**
   * Ends one login: your `endSession` hook first, then the ledger (reason `host`). `false` when
   * there is no such login or it had already ended. `END_SESSION_FAILED` when the hook threw: the
   * login stays active; retry.
   */
  revokeLogin(loginId: string): Promise<boolean>;
  /**
   * Ends a user's active logins, optionally only those one device approved and those created since
   * an instant (ms since the epoch). Returns how many this call ended; `END_SESSION_FAILED` when
   * the hook threw for some (the others are ended; retry for the rest).
   */
  revokeLogins(input: RevokeLoginsInput): Promise<number>;
  /**
   * "This wasn't me", from your own pages (the phone has signed routes for it): rejects the session
   * when still scanned, ends the logins of the device concerned within `reportWindowSeconds`
   * (every login of the user in it when no device is known), locks new scans for the user for
   * `reportLockSeconds`, and emits one `reported` event.
   */
  reportNotMe(input: ReportNotMeInput): Promise<NotMeReport>;
  /** Audit events. */
  readonly events: QrLoginEmitter;
  /** The path the routes are mounted under, e.g. `/qrlogin`. */
  readonly basePath: string;
  /** Open WebSockets on this instance. */
  readonly socketCount: number;
  /**
   * The `/.well-known/` paths this instance answers (from the `appLinks` option; empty without it),
   * for adapters that mount only the routes they are told about.
   */
  readonly wellKnownPaths: readonly string[];
  /** Graceful shutdown: 1001 to sockets, held polls answered, timers cleared, bus unsubscribed. */
  close(): Promise<void>;
  /**
   * Forgets a linked browser (its prompt token), or every linked browser of a user: call it on
   * "sign out everywhere" or when a user removes a browser. Returns how many were forgotten.
   */
  forgetBrowser(input: { token: string } | { userId: string }): Promise<number>;
  /**
   * The `Set-Cookie` value that hands a redemption's prompt token to the page (HttpOnly, on the
   * qrlogin path, `SameSite=Strict`, `Secure` on https), or `undefined` when it carries none. With
   * `null`, a value that deletes the cookie.
   */
  promptCookie(redemption: Pick<Redemption, 'promptToken' | 'promptTokenExpiresAt'> | null): string | undefined;
}

/**
 * Creates a qrlogin instance on your own Node backend.
 *
 * @example
 * import http from 'node:http';
 * import { createQrLogin } from '@qrlogin/server';
 *
 * const qr = createQrLogin({
 *   origin: 'https://example.com',
 *   authenticate: async (request) => getUserFromCookie(request.headers.get('cookie')),
 * });
 * const server = http.createServer((req, res) => qr.node(req, res, () => myApp(req, res)));
 * qr.attach(server);
 * server.listen(3000);
 *
 * // in your own POST /login/qr route:
 * const { userId } = await qr.redeem({ sessionId, browserSecret });
 * startYourOwnSession(userId);
 */
export function createQrLogin(options: QrLoginOptions): QrLogin {
  const resolved = resolveOptions(options);
  const events = createEmitter();
  const polls = new Deadlines();
  const ctx: Context = {
    options: resolved,
    events,
    polls,
    // With no bus given, this process is the only one: every change is written, and so delivered,
    // here, and going through the in-memory bus would only deliver each change twice.
    localOnly: options.bus === undefined,
    limit: createRateLimiter(resolved.rateLimits, resolved.store, events, resolved.now),
    // Assigned just below: the watchers call back into the context for expiry and resync.
    watchers: undefined as unknown as SessionWatchers,
  };
  ctx.watchers = new SessionWatchers(ctx.localOnly ? null : resolved.bus, (sessionId) =>
    refreshWatched(ctx, sessionId),
  );
  // Notices are made of audit events: subscribed once here, removed with every listener on close.
  if (resolved.notify) forwardNotices(events, resolved.devices, resolved.notify);
  const sockets = createSocketServer(ctx);
  const attached = new Set<Server>();
  function onUpgrade(this: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (sockets.handleUpgrade(req, socket, head)) return;
    // Another listener, added before or after attach(), owns the other paths. With none, node:http
    // alone would have closed the request; left open it would hang past every cap and deadline.
    if (this.listenerCount('upgrade') > 1) return;
    socket.on('error', () => socket.destroy());
    refuseUpgrade(socket, 404, 'NOT_FOUND');
  }

  // One sweep for the whole instance: expiry pushes, auth deadlines, long-poll holds.
  const sweep = setInterval(() => {
    const now = resolved.now();
    ctx.watchers.sweep(now);
    sockets.sweep(now);
    polls.sweep(now);
  }, 1000);
  sweep.unref();

  let closed = false;

  return {
    events,
    basePath: resolved.basePath,
    wellKnownPaths: Object.freeze([...(resolved.appLinks?.keys() ?? [])]),
    get socketCount() {
      return sockets.size;
    },
    async fetch(request, info) {
      const core = fromWebRequest(request, info);
      const response = await handleRequest(ctx, core);
      return toWebResponse(
        response ?? errorResponse(ctx, new QrLoginError('NOT_FOUND', 'no such qrlogin route'), 'fetch'),
      );
    },
    node(req, res, next) {
      const core = fromNodeRequest(req, res);
      handleRequest(ctx, core).then(
        (response) => {
          if (response) sendNodeResponse(res, response);
          else if (next) next();
          else sendNodeResponse(res, errorResponse(ctx, new QrLoginError('NOT_FOUND', 'no such route'), 'node'));
        },
        (err) => sendNodeResponse(res, errorResponse(ctx, err, 'node')),
      );
    },
    attach(server) {
      if (attached.has(server)) return;
      attached.add(server);
      server.on('upgrade', onUpgrade);
    },
    handleUpgrade: (req, socket, head) => sockets.handleUpgrade(req, socket, head),
    redeem: (input) => redeemSession(ctx, input),
    registerDevice: async (input) => (await registerDevice(ctx, input)).device,
    revokeDevice: (deviceId) => revokeDevice(ctx, deviceId),
    listDevices: (userId) => listDevices(ctx, userId),
    renameDevice: (deviceId, label) =>
      renameDevice(ctx, deviceId, label, { actor: { kind: 'host' } }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof QrLoginError && error.code === 'DEVICE_NOT_FOUND') return false;
          throw error;
        },
      ),
    listLogins: (userId) => listLogins(ctx, userId),
    revokeLogin: (loginId) => revokeLoginById(ctx, loginId),
    revokeLogins: (input) => revokeLoginsOf(ctx, input),
    reportNotMe: (input) => reportNotMe(ctx, input, { by: 'host' }),
    async inspect(sessionId) {
      if (!isSessionId(sessionId)) return null;
      const record = await loadSession(ctx, sessionId).catch((err) => {
        if (err instanceof QrLoginError && err.code === 'SESSION_NOT_FOUND') return null;
        throw err;
      });
      if (!record) return null;
      return {
        state: effectiveState(record, resolved.now()),
        version: record.version,
        ...(record.userId ? { userId: record.userId } : {}),
        ...(record.deviceId ? { deviceId: record.deviceId } : {}),
      };
    },
    forgetBrowser: (input) => forgetBrowser(ctx, input),
    promptCookie(redemption) {
      if (redemption === null) return promptCookie(ctx, '', 0);
      const { promptToken, promptTokenExpiresAt } = redemption;
      return promptToken ? promptCookie(ctx, promptToken, promptTokenExpiresAt ?? 0) : undefined;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      for (const server of attached) server.off('upgrade', onUpgrade);
      polls.flush();
      await sockets.close();
      ctx.watchers.close();
      // Only close what we created: a store or bus the host passed in is the host's to close.
      if (!options.store) await resolved.store.close?.();
      if (!options.devices) await resolved.devices.close?.();
      if (!options.bus) await resolved.bus.close?.();
      if (!options.linkedBrowsers) await resolved.linkedBrowsers.close?.();
      if (!options.logins) await resolved.logins.close?.();
      events.removeAllListeners();
    },
  };
}
