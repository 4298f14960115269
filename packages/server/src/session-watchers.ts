import { isTerminalState, QrLoginError, type StatusSnapshot } from '@qrlogin/protocol';
import type { EventBus } from './store/types.js';

/** Something in this process waiting on a session: a WebSocket or a held long-poll. */
export interface Watcher {
  /** Receives every snapshot for the session; duplicates and stale versions included (filter by version). */
  deliver(snapshot: StatusSnapshot): void;
  /** The session can no longer be followed (it no longer exists): answer `error` and stop waiting. */
  fail(error: QrLoginError): void;
}

type Unsubscribe = () => unknown;

interface Watched {
  // Almost every session has exactly one watcher (its page's socket): keep it inline and allocate a
  // set only for a second one. Memory per waiting browser is what decides how many one box holds.
  first: Watcher | null;
  rest: Set<Watcher> | null;
  /** The bus subscription: `null` without a bus, a promise until the bus confirmed it. */
  subscription: Promise<Unsubscribe> | Unsubscribe | null;
  expiresAt: number;
  version: number;
  terminal: boolean;
  /** The bus may have lost a change (a resync): re-read until a re-read succeeds. */
  stale: boolean;
  /** A re-read is running. */
  refreshing: boolean;
}

/**
 * Everything this process is waiting on, grouped by session: one bus subscription per session
 * however many sockets and polls wait on it, and one sweep for the whole process instead of a
 * timer per connection. Without a bus (one process on the in-memory default) nothing is
 * subscribed: every change is written, and so delivered, in this process.
 *
 * A watched session is re-read from the store (`refresh`, which delivers what it finds) when its
 * time runs out (to push expiry) and after every bus resync (the bus may have lost changes while
 * it was away). A resync re-read that fails (the store is still coming back) is retried by each
 * sweep until one succeeds, so no page is left waiting on a change it never heard of.
 */
export class SessionWatchers {
  readonly #sessions = new Map<string, Watched>();
  readonly #bus: EventBus | null;
  readonly #refresh: (sessionId: string) => Promise<unknown>;
  readonly #unregisterResync: (() => void) | undefined;
  readonly #fromBus = (snapshot: StatusSnapshot) => this.deliver(snapshot);

  constructor(bus: EventBus | null, refresh: (sessionId: string) => Promise<unknown>) {
    this.#bus = bus;
    this.#refresh = refresh;
    this.#unregisterResync = bus?.onResync?.(() => {
      for (const [sessionId, entry] of this.#sessions) {
        entry.stale = true;
        this.#refreshEntry(sessionId, entry);
      }
    });
  }

  /** Sessions being watched in this process. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Starts delivering `sessionId`'s snapshots to `watcher` until {@link SessionWatchers.unwatch}.
   * Resolves once the bus subscription is live, so a snapshot read from the store *after* this
   * resolves cannot miss a change.
   */
  async watch(sessionId: string, watcher: Watcher, expiresAt: number): Promise<void> {
    let entry = this.#sessions.get(sessionId);
    if (!entry) {
      entry = {
        first: watcher,
        rest: null,
        subscription: null,
        expiresAt,
        version: 0,
        terminal: false,
        stale: false,
        refreshing: false,
      };
      this.#sessions.set(sessionId, entry);
      if (this.#bus) {
        const pending = Promise.resolve(this.#bus.subscribe(sessionId, this.#fromBus));
        const created = entry;
        created.subscription = pending;
        pending.then(
          (unsubscribe) => {
            if (created.subscription === pending) created.subscription = unsubscribe;
          },
          () => {},
        );
      }
    } else if (entry.first === null) {
      entry.first = watcher;
    } else {
      entry.rest ??= new Set();
      entry.rest.add(watcher);
    }
    if (entry.subscription instanceof Promise) {
      try {
        await entry.subscription;
      } catch (err) {
        this.unwatch(sessionId, watcher);
        throw err;
      }
    }
  }

  /** Stops delivering to `watcher`; the last watcher of a session ends its bus subscription. */
  unwatch(sessionId: string, watcher: Watcher): void {
    const entry = this.#sessions.get(sessionId);
    if (!entry) return;
    if (entry.first === watcher) entry.first = null;
    else entry.rest?.delete(watcher);
    if (entry.first !== null || (entry.rest && entry.rest.size > 0)) return;
    this.#sessions.delete(sessionId);
    end(entry.subscription);
  }

  /** Hands a snapshot to every local watcher of its session (from the bus, or directly after a local write). */
  deliver(snapshot: StatusSnapshot): void {
    const entry = this.#sessions.get(snapshot.sessionId);
    if (!entry) return;
    if (snapshot.version >= entry.version) {
      entry.version = snapshot.version;
      entry.expiresAt = snapshot.expiresAt;
      entry.terminal = isTerminalState(snapshot.state);
    }
    // Copy first: a watcher may unwatch (close its socket) while being told.
    const rest = entry.rest && entry.rest.size > 0 ? [...entry.rest] : null;
    entry.first?.deliver(snapshot);
    if (rest) for (const watcher of rest) watcher.deliver(snapshot);
  }

  /**
   * Tells every local watcher of `sessionId` that the session no longer exists (`SESSION_NOT_FOUND`:
   * sockets close with 4404, held polls answer 404), so each page starts a fresh login at once
   * instead of showing a dead QR code until its expiry. The store lost it: Redis restarted without
   * persistence, was flushed, or failed over to a replica that had not received it.
   */
  gone(sessionId: string): void {
    const entry = this.#sessions.get(sessionId);
    if (!entry) return;
    const error = new QrLoginError('SESSION_NOT_FOUND', 'the session no longer exists; start a new one');
    const watchers = [entry.first, ...(entry.rest ?? [])].filter((w): w is Watcher => w !== null);
    for (const watcher of watchers) watcher.fail(error);
  }

  /**
   * Re-reads the watched sessions whose time has run out (pushing their expiry) and those a
   * resync left stale. Sessions nobody waits on need no push; the store forgets them by itself.
   */
  sweep(now: number): void {
    for (const [sessionId, entry] of this.#sessions) {
      if (entry.stale || (!entry.terminal && entry.expiresAt <= now)) this.#refreshEntry(sessionId, entry);
    }
  }

  #refreshEntry(sessionId: string, entry: Watched): void {
    if (entry.refreshing) return;
    entry.refreshing = true;
    this.#refresh(sessionId)
      .then(
        () => {
          entry.stale = false;
        },
        () => {},
      )
      .finally(() => {
        entry.refreshing = false;
      });
  }

  close(): void {
    this.#unregisterResync?.();
    for (const entry of this.#sessions.values()) end(entry.subscription);
    this.#sessions.clear();
  }
}

function end(subscription: Watched['subscription']): void {
  if (subscription === null) return;
  // A failed unsubscribe leaves at worst a stray subscription that delivers to nobody.
  Promise.resolve(subscription)
    .then((unsubscribe) => unsubscribe())
    .then(undefined, () => {});
}
