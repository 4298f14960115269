import { isTerminalState, type StatusSnapshot } from '@qrlogin/protocol';
import type { EventBus } from './store/types.js';

/** Something in this process waiting on a session: a WebSocket or a held long-poll. */
export interface Watcher {
  /** Receives every snapshot for the session; duplicates and stale versions included (filter by version). */
  deliver(snapshot: StatusSnapshot): void;
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
  expiring: boolean;
}

/**
 * Everything this process is waiting on, grouped by session: one bus subscription per session
 * however many sockets and polls wait on it, and one sweep for the whole process (expiry pushes)
 * instead of a timer per connection. Without a bus (one process on the in-memory default) nothing
 * is subscribed: every change is written, and so delivered, in this process.
 */
export class SessionWatchers {
  readonly #sessions = new Map<string, Watched>();
  readonly #bus: EventBus | null;
  readonly #onExpiryDue: (sessionId: string) => Promise<unknown>;
  readonly #unregisterResync: (() => void) | undefined;
  readonly #fromBus = (snapshot: StatusSnapshot) => this.deliver(snapshot);

  constructor(
    bus: EventBus | null,
    onExpiryDue: (sessionId: string) => Promise<unknown>,
    onResync: (ids: string[]) => void,
  ) {
    this.#bus = bus;
    this.#onExpiryDue = onExpiryDue;
    this.#unregisterResync = bus?.onResync?.(() => onResync([...this.#sessions.keys()]));
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
        expiring: false,
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
   * Pushes expiry for watched sessions whose time has run out. Sessions nobody waits on need no
   * push; the store forgets them by itself.
   */
  sweep(now: number): void {
    for (const [sessionId, entry] of this.#sessions) {
      if (entry.terminal || entry.expiring || entry.expiresAt > now) continue;
      entry.expiring = true;
      this.#onExpiryDue(sessionId)
        .catch(() => {})
        .finally(() => {
          entry.expiring = false;
        });
    }
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
