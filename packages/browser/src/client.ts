import {
  type CreateSessionResponse,
  isQrLoginError,
  QrLoginError,
  type RejectReason,
  type ShortCodeResponse,
  type StatusSnapshot,
} from '@qrlogin/protocol';
import { EventEmitter } from 'eventemitter3';
import { backoffDelay } from './backoff-delay.js';
import {
  type QrLoginClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
  type TransportKind,
} from './client-options.js';
import { misconfigurationHint } from './misconfiguration.js';
import type { FetchLike } from './request-json.js';
import { resolveEndpoints } from './resolve-endpoints.js';
import { type SessionApi, sessionApi } from './session-api.js';
import { openSocket } from './transport/open-socket.js';
import type { WebSocketConstructor } from './transport/websocket-like.js';

/** The public side of a session: what a page shows. The browser secret is not part of it. */
export interface QrLoginSessionInfo {
  sessionId: string;
  /** Text to encode in the QR code. */
  qrPayload: string;
  /** Expiry on the server's clock, ms since the epoch. */
  expiresAt: number;
  /** Expiry on this device's clock (corrected by the server's), for countdowns. */
  localExpiresAt: number;
  /** 0 for the first session, one more for each rotation. */
  rotation: number;
}

/** Events of a {@link QrLoginClient}, with their listener signatures. */
export interface QrLoginClientEvents {
  /** A session was created (first, after `refresh()`, or by rotation): show its QR. */
  session: (session: QrLoginSessionInfo) => void;
  /** Every new snapshot, in version order; stale and duplicate ones are dropped. */
  state: (snapshot: StatusSnapshot) => void;
  /** A phone scanned; `code` is the number to show when number matching is on. */
  scanned: (event: { sessionId: string; code?: string }) => void;
  /**
   * The phone confirmed. Redeem through the host's own route with these two values; the client has
   * stopped listening (the next state, `redeemed`, is the host's own doing).
   */
  confirmed: (event: { sessionId: string; browserSecret: string }) => void;
  rejected: (event: { sessionId: string; reason?: RejectReason }) => void;
  /** The session expired; `rotating` says whether a fresh one follows (possibly once the page is visible). */
  expired: (event: { sessionId: string; rotating: boolean }) => void;
  cancelled: (event: { sessionId: string }) => void;
  /** The channel that delivered the latest snapshot changed (first delivery, or fallback to long-poll). */
  transport: (kind: TransportKind) => void;
  /** A failure. `fatal: false` means the client is retrying; `fatal: true` means it stopped. */
  error: (error: QrLoginError, context: { fatal: boolean }) => void;
}

/** A headless login waiter. Create it with {@link createQrLoginClient}. */
export interface QrLoginClient extends EventEmitter<QrLoginClientEvents> {
  /**
   * Creates the first session and starts listening. Resolves once the session exists; rejects (as
   * well as emitting a fatal `error`) when it cannot be created. Calling it again returns the same
   * promise.
   */
  start(): Promise<void>;
  /**
   * Replaces the current session with a fresh one and resets the rotation budget (the page's
   * "refresh" button). With `prompt` (a linked-browser token, or `true` for the one in its HttpOnly
   * cookie), the fresh session is a prompt sent to the user's phone; a refused prompt
   * (`PROMPT_LIMITED`, `PROMPT_INVALID`) is a fatal `error`, after which a plain `refresh()` shows a QR.
   */
  refresh(prompt?: string | true): Promise<void>;
  /** Cancels the session on the server (`DELETE` with the secret) and stops listening. */
  cancel(): Promise<void>;
  /** Stops everything at once: no timer, request or socket is left, and every listener is removed. */
  destroy(): void;
  /**
   * "Can't scan?": the current session's short code, to type in the app (made on the first call,
   * the same afterwards; it stops working with the session). Rejects with `INVALID_STATE` once the
   * session is no longer waiting for a scan, and with a `TypeError` before `start()` made one.
   */
  shortCode(): Promise<ShortCodeResponse>;
  /** The current session, if one was created. */
  readonly session: QrLoginSessionInfo | undefined;
  /** The latest accepted snapshot. */
  readonly snapshot: StatusSnapshot | undefined;
  /** The channel that delivered the latest snapshot. */
  readonly transport: TransportKind | undefined;
}

interface ActiveSession {
  info: QrLoginSessionInfo;
  secret: string;
  version: number;
  /** Nothing more is expected for this session (terminal, confirmed, replaced or stopped). */
  done: boolean;
}

/** Failures worth retrying: the server or the path to it, not the request. */
// PROMPT_LIMITED is a 429 to fall back from (show the QR), not to wait out: its window is minutes.
const transient = (error: QrLoginError) =>
  error.status >= 500 || (error.status === 429 && error.code !== 'PROMPT_LIMITED') || error.status === 408;

const asQrLoginError = (error: unknown) =>
  isQrLoginError(error) ? error : new QrLoginError('INTERNAL_ERROR', 'unexpected client failure', { cause: error });

// How many consecutive socket failures before authentication make `auto` give up on WebSockets
// even after they once worked (a network that started blocking them mid-page).
const SOCKET_FAILURES_BEFORE_FALLBACK = 3;

// Probes back to the WebSocket from long-poll wait this many times the reconnect delays: a network
// that really blocks sockets costs one refused upgrade a minute at most (with the defaults).
const PROBE_DELAY_FACTOR = 4;

const pageOrigin = () => (globalThis as { location?: { origin?: string } }).location?.origin ?? '';

let warnedSocketFallback = false;

/**
 * Said once per page: a WebSocket that never connected is often a server without `qr.attach` or a
 * proxy without WebSocket support, and the long-poll that follows hides it completely.
 */
function warnSocketFallback(url: string, error: QrLoginError): void {
  if (warnedSocketFallback) return;
  warnedSocketFallback = true;
  console.warn(
    `qrlogin: the WebSocket ${url} did not connect (${error.code}); long-polling instead. If the server should ` +
      'take WebSockets, call qr.attach(server) there and let any proxy pass the Upgrade header (Vite: ws: true); ' +
      'set the "transport" option to "poll" to long-poll on purpose.',
  );
}

class Client extends EventEmitter<QrLoginClientEvents> implements QrLoginClient {
  readonly #o: ResolvedClientOptions;
  #api: SessionApi | undefined;
  #socketUrl = '';
  #WebSocket: WebSocketConstructor | undefined;
  #session: ActiveSession | undefined;
  #snapshot: StatusSnapshot | undefined;
  #transport: TransportKind | undefined;
  /** Bumped whenever the current session's work stops; async continuations of older work check it. */
  #gen = 0;
  #abort: AbortController | undefined;
  #closeSocket: (() => void) | undefined;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #attempt = 0;
  #socketWorked = false;
  #socketFailures = 0;
  #fallback = false;
  /** Consecutive failed probes back to the WebSocket while on the long-poll fallback. */
  #probeAttempt = 0;
  /** A probe is scheduled or its socket is open. */
  #probing = false;
  /** Aborts the current long-poll chain alone, when a probe socket takes over. */
  #pollAbort: AbortController | undefined;
  #activeMs = 0;
  #visibleSince: number | undefined;
  #rotationDue = false;
  #unwatchVisibility: (() => void) | undefined;
  #starting: Promise<void> | undefined;
  #destroyed = false;

  readonly #create: SessionCreator | undefined;

  constructor(options: QrLoginClientOptions, create?: SessionCreator) {
    super();
    this.#o = resolveClientOptions(options);
    this.#create = create;
  }

  get session() {
    return this.#session?.info;
  }
  get snapshot() {
    return this.#snapshot;
  }
  get transport() {
    return this.#transport;
  }

  start(): Promise<void> {
    if (this.#destroyed) return Promise.reject(new QrLoginError('INVALID_STATE', 'the client was destroyed'));
    if (!this.#starting) {
      try {
        this.#init();
      } catch (error) {
        return Promise.reject(error);
      }
      this.#starting = this.#open(0);
    }
    return this.#starting;
  }

  refresh(prompt?: string | true): Promise<void> {
    if (!this.#starting) return this.start();
    if (this.#destroyed) return Promise.reject(new QrLoginError('INVALID_STATE', 'the client was destroyed'));
    const old = this.#session;
    // The old QR must stop working once it is off screen; best effort, the new session does not wait.
    if (old && !old.done) this.#api?.cancel(old.info.sessionId, old.secret).catch(() => {});
    this.#activeMs = 0;
    this.#visibleSince = this.#o.visibility.hidden() ? undefined : Date.now();
    this.#rotationDue = false;
    this.#attempt = 0;
    return this.#open(0, prompt);
  }

  async cancel(): Promise<void> {
    const session = this.#session;
    const live = session && !session.done;
    this.#halt();
    this.#rotationDue = false;
    if (!live) return;
    const snapshot = await this.#api!.cancel(session.info.sessionId, session.secret);
    if (!this.#destroyed && snapshot.sessionId === session.info.sessionId && snapshot.version > session.version) {
      session.version = snapshot.version;
      this.#apply(snapshot);
    }
  }

  async shortCode(): Promise<ShortCodeResponse> {
    // The server refuses a session that is no longer pending (INVALID_STATE); no need to judge here.
    const { info, secret } = this.#session!;
    return this.#api!.shortCode(info.sessionId, secret);
  }

  destroy(): void {
    this.#destroyed = true;
    this.#halt();
    this.#unwatchVisibility?.();
    this.#unwatchVisibility = undefined;
    this.removeAllListeners();
  }

  #init(): void {
    const endpoints = resolveEndpoints(this.#o.baseUrl);
    const fetchFn: FetchLike = this.#o.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#api = sessionApi(endpoints.http, fetchFn);
    this.#socketUrl = endpoints.socket;
    this.#WebSocket = this.#o.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!this.#WebSocket && this.#o.transport === 'websocket') {
      throw new TypeError('option "WebSocket" is required: this runtime has no global WebSocket');
    }
    const visibility = this.#o.visibility;
    this.#visibleSince = visibility.hidden() ? undefined : Date.now();
    this.#unwatchVisibility = visibility.subscribe(() => this.#onVisibility());
  }

  /** Stops all work for the current session: requests, socket, timers. */
  #halt(): void {
    this.#gen++;
    this.#abort?.abort();
    this.#abort = undefined;
    this.#closeSocket?.();
    this.#closeSocket = undefined;
    this.#pollAbort?.abort();
    this.#pollAbort = undefined;
    this.#probing = false;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (this.#session) this.#session.done = true;
  }

  #later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  /** Creates a session, retrying transient failures. Resolves when done; rejects only when it gave up. */
  async #open(rotation: number, prompt?: string | true): Promise<void> {
    this.#halt();
    const gen = this.#gen;
    const abort = new AbortController();
    this.#abort = abort;
    for (;;) {
      try {
        const created = await (this.#create ?? ((signal: AbortSignal) => this.#api!.create(signal, prompt)))(
          abort.signal,
        );
        if (gen !== this.#gen) return;
        this.#attempt = 0;
        const info: QrLoginSessionInfo = {
          sessionId: created.sessionId,
          qrPayload: created.qrPayload,
          expiresAt: created.expiresAt,
          localExpiresAt: created.expiresAt + Date.now() - created.serverTime,
          rotation,
        };
        this.#session = { info, secret: created.browserSecret, version: created.version, done: false };
        this.#snapshot = {
          sessionId: created.sessionId,
          state: 'pending',
          version: created.version,
          expiresAt: created.expiresAt,
          serverTime: created.serverTime,
        };
        this.emit('session', info);
        if (gen !== this.#gen) return;
        this.emit('state', this.#snapshot);
        if (gen !== this.#gen) return;
        this.#subscribe(gen);
        this.#armExpiryCheck(gen, info.localExpiresAt - Date.now() + this.#o.expiryGraceMs);
        return;
      } catch (caught) {
        if (gen !== this.#gen) return;
        const error = asQrLoginError(caught);
        if (!transient(error) || this.#attempt >= this.#o.reconnect.maxAttempts - 1) {
          const hint = misconfigurationHint(error, this.#o.baseUrl, pageOrigin());
          if (hint) console.warn(hint);
          this.#fail(error);
          throw error;
        }
        this.emit('error', error, { fatal: false });
        // Woken by the timer, or by `#halt()` aborting this attempt so `start()` never hangs after `destroy()`.
        await new Promise<void>((resolve) => {
          this.#later(this.#retryDelay(error), resolve);
          abort.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        if (gen !== this.#gen) return;
      }
    }
  }

  #retryDelay(error: QrLoginError): number {
    const delay = backoffDelay(this.#attempt++, this.#o.reconnect);
    return error.retryAfterSeconds ? Math.max(delay, error.retryAfterSeconds * 1000) : delay;
  }

  #subscribe(gen: number): void {
    // A probe socket took over while a failed poll waited for its retry: it is the channel now.
    if (this.#closeSocket && !this.#fallback) return;
    const useSocket = this.#WebSocket && this.#o.transport !== 'poll' && !this.#fallback;
    if (useSocket) this.#connect(gen, false);
    else this.#startPoll(gen);
  }

  /** Long-polls; on the `auto` fallback, also keeps probing for the WebSocket's return. */
  #startPoll(gen: number): void {
    const abort = new AbortController();
    this.#pollAbort = abort;
    void this.#poll(gen, undefined, abort.signal);
    if (this.#fallback) this.#scheduleProbe(gen);
  }

  /**
   * A fallback caused by a blip (a 503 while the store was down, a proxy restarting) must not
   * last for the page's life: try the WebSocket again, with backoff, while long-polling on.
   */
  #scheduleProbe(gen: number): void {
    if (this.#probing || !this.#WebSocket) return;
    this.#probing = true;
    const { initialDelayMs, maxDelayMs, maxAttempts } = this.#o.reconnect;
    const delay = backoffDelay(this.#probeAttempt++, {
      initialDelayMs: initialDelayMs * PROBE_DELAY_FACTOR,
      maxDelayMs: maxDelayMs * PROBE_DELAY_FACTOR,
      maxAttempts,
    });
    this.#later(delay, () => {
      if (gen === this.#gen) this.#connect(gen, true);
    });
  }

  /**
   * Opens the session's socket. A `probe` runs beside the long-poll: its first snapshot makes it
   * the channel (the poll stops); failing before that only schedules the next probe.
   */
  #connect(gen: number, probe: boolean): void {
    const session = this.#session!;
    this.#closeSocket = openSocket(
      this.#WebSocket!,
      this.#socketUrl,
      { sessionId: session.info.sessionId, browserSecret: session.secret },
      {
        onSnapshot: (snapshot) => {
          if (gen !== this.#gen) return;
          if (probe && this.#fallback) {
            this.#fallback = false;
            this.#probing = false;
            this.#probeAttempt = 0;
            this.#pollAbort?.abort();
            this.#pollAbort = undefined;
          }
          this.#socketWorked = true;
          this.#socketFailures = 0;
          this.#delivered('websocket', snapshot);
        },
        onEnd: (authenticated, error) => {
          if (gen !== this.#gen) return;
          this.#closeSocket = undefined;
          if (probe && !authenticated) {
            this.#probing = false;
            this.#scheduleProbe(gen);
            return;
          }
          if (!authenticated && transient(error) && this.#o.transport === 'auto') {
            this.#socketFailures++;
            if (!this.#socketWorked || this.#socketFailures >= SOCKET_FAILURES_BEFORE_FALLBACK) {
              // Upgrades are refused or swallowed on this network: long-poll at once, probing for
              // the socket's return now and then.
              this.#fallback = true;
              if (!this.#socketWorked) warnSocketFallback(this.#socketUrl, error);
              this.emit('error', error, { fatal: false });
              if (gen === this.#gen) this.#startPoll(gen);
              return;
            }
          }
          this.#lost(gen, error);
        },
      },
      this.#o.socketTimeoutMs,
    );
  }

  async #poll(gen: number, after: number | undefined, signal: AbortSignal): Promise<void> {
    const session = this.#session!;
    try {
      const snapshot = await this.#api!.read(session.info.sessionId, session.secret, after, signal);
      if (gen !== this.#gen || signal.aborted) return;
      this.#delivered('poll', snapshot);
      // Ask for what comes after the newest version seen; a reconnect (after = undefined) re-reads the snapshot.
      if (gen === this.#gen && !signal.aborted) void this.#poll(gen, session.version, signal);
    } catch (caught) {
      if (gen !== this.#gen || signal.aborted) return;
      this.#lost(gen, asQrLoginError(caught));
    }
  }

  #delivered(kind: TransportKind, snapshot: StatusSnapshot): void {
    this.#attempt = 0;
    if (this.#transport !== kind) {
      this.#transport = kind;
      this.emit('transport', kind);
    }
    this.#accept(snapshot);
  }

  /** The channel failed: decide between "the session is gone", retrying and giving up. */
  #lost(gen: number, error: QrLoginError): void {
    if (error.code === 'SESSION_EXPIRED' || error.code === 'SESSION_NOT_FOUND') {
      this.#expired(this.#session!.info.sessionId);
    } else if (!transient(error) || this.#attempt >= this.#o.reconnect.maxAttempts) {
      this.#fail(error);
    } else {
      this.emit('error', error, { fatal: false });
      // After every reconnect the first answer is the current snapshot (socket auth, or a poll
      // without `after`), so whatever happened meanwhile is not lost.
      if (gen === this.#gen) this.#later(this.#retryDelay(error), () => this.#subscribe(gen));
    }
  }

  #fail(error: QrLoginError): void {
    this.#halt();
    this.emit('error', error, { fatal: true });
  }

  /**
   * The expiry push can be lost (a socket that died silently, a server that expires lazily): once
   * the deadline has passed, ask the server directly.
   */
  #armExpiryCheck(gen: number, delayMs: number): void {
    this.#later(Math.max(0, delayMs), async () => {
      const session = this.#session!;
      try {
        const snapshot = await this.#api!.read(session.info.sessionId, session.secret, undefined, this.#abort!.signal);
        if (gen !== this.#gen) return;
        this.#accept(snapshot);
      } catch (caught) {
        if (gen !== this.#gen) return;
        const error = asQrLoginError(caught);
        if (error.code === 'SESSION_EXPIRED' || error.code === 'SESSION_NOT_FOUND') {
          this.#expired(session.info.sessionId);
          return;
        }
      }
      // Still alive (clock skew) or the check failed: look again a little later.
      if (gen === this.#gen) this.#armExpiryCheck(gen, this.#o.expiryGraceMs + 1000);
    });
  }

  #accept(snapshot: StatusSnapshot): void {
    const session = this.#session;
    if (!session || session.done || snapshot.sessionId !== session.info.sessionId) return;
    // Versions only grow: anything not newer is a duplicate or arrived late.
    if (snapshot.version <= session.version) return;
    session.version = snapshot.version;
    this.#apply(snapshot);
  }

  #apply(snapshot: StatusSnapshot): void {
    const { sessionId, state } = snapshot;
    this.#snapshot = snapshot;
    if (state !== 'pending' && state !== 'scanned') this.#halt();
    this.emit('state', snapshot);
    if (state === 'scanned') {
      this.emit('scanned', snapshot.code === undefined ? { sessionId } : { sessionId, code: snapshot.code });
    } else if (state === 'confirmed') {
      // Confirmed is followed only by the host's own redeem: there is nothing left to listen for.
      this.emit('confirmed', { sessionId, browserSecret: this.#session!.secret });
    } else if (state === 'rejected') {
      this.emit('rejected', snapshot.reason === undefined ? { sessionId } : { sessionId, reason: snapshot.reason });
    } else if (state === 'cancelled') {
      this.emit('cancelled', { sessionId });
    } else if (state === 'expired') {
      this.#expired(sessionId);
    }
  }

  #expired(sessionId: string): void {
    this.#halt();
    const rotate = this.#o.rotate;
    const rotating =
      !this.#destroyed &&
      rotate !== false &&
      this.#session!.info.rotation + 1 < rotate.maxSessions &&
      this.#visibleMs() < rotate.maxTotalSeconds * 1000;
    this.emit('expired', { sessionId, rotating });
    if (!rotating || this.#destroyed) return;
    // A QR nobody can see would only burn sessions: wait for the page to come back.
    if (this.#o.visibility.hidden()) this.#rotationDue = true;
    else this.#open(this.#session!.info.rotation + 1).catch(() => {});
  }

  #visibleMs(): number {
    return this.#activeMs + (this.#visibleSince === undefined ? 0 : Date.now() - this.#visibleSince);
  }

  #onVisibility(): void {
    if (this.#o.visibility.hidden()) {
      this.#activeMs = this.#visibleMs();
      this.#visibleSince = undefined;
      return;
    }
    this.#visibleSince ??= Date.now();
    if (this.#rotationDue && !this.#destroyed) {
      this.#rotationDue = false;
      this.#open(this.#session!.info.rotation + 1).catch(() => {});
    }
  }
}

/**
 * Creates a headless QR-login client: it creates the session, keeps the browser secret in memory
 * only, listens over a WebSocket (falling back to long-poll where sockets are blocked), reconnects
 * with backoff and jitter, drops stale snapshots, and rotates to a fresh session when one expires
 * (up to `rotate`, and never while the page is hidden). Nothing runs until `start()`; nothing is
 * read from `window` or `document` at import time.
 *
 * On `confirmed` the client stops listening: the page redeems `{ sessionId, browserSecret }`
 * through the host's own route, and that answer, not a push, tells it the outcome.
 *
 * @example
 * const client = createQrLoginClient({ baseUrl: '/qrlogin' });
 * client.on('session', ({ qrPayload }) => qrBox.replaceChildren(renderQrSvg(qrPayload)));
 * client.on('scanned', ({ code }) => showCode(code));
 * client.on('confirmed', async (login) => {
 *   await fetch('/login/qr', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
 *   location.assign('/');
 * });
 * await client.start();
 */
export function createQrLoginClient(options: QrLoginClientOptions): QrLoginClient {
  return new Client(options);
}

/** Makes a session another way than `POST /sessions` (a link page: `POST /links`). */
export type SessionCreator = (signal: AbortSignal) => Promise<CreateSessionResponse>;

/**
 * A client whose sessions come from `create` instead of `POST /sessions`: the same listening,
 * reconnects, expiry and rotation, for the link page (`@qrlogin/browser/link`).
 *
 * @example
 * const client = createClientWith({ baseUrl: '/qrlogin' }, (signal) => createLink(signal));
 */
export function createClientWith(options: QrLoginClientOptions, create: SessionCreator): QrLoginClient {
  return new Client(options, create);
}
