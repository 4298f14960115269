import { isTerminalState, type StatusSnapshot } from '@qrlogin/protocol';
import type { EventBus } from './store/types.js';

/** Something in this process waiting on a session: a WebSocket or a held long-poll. */
export interface Watcher {
  /** Receives every snapshot for the session; duplicates and stale versions included (filter by version). */
  deliver(snapshot: StatusSnapshot): void;
}

interface Watched {
  watchers: Set<Watcher>;
  unsubscribe: Promise<() => unknown>;
  expiresAt: number;
  version: number;
  terminal: boolean;
  expiring: boolean;
}

/**
 * Everything this process is waiting on, grouped by session: one bus subscription per session
 * however many sockets and polls wait on it, and one sweep for the whole process (expiry pushes,
 * auth deadlines, poll deadlines) instead of a timer per connection.
 */
export class SessionWatchers {
  readonly #sessions = new Map<string, Watched>();
  readonly #bus: EventBus;
  readonly #onExpiryDue: (sessionId: string) => Promise<unknown>;
  readonly #unregisterResync: (() => void) | undefined;

  constructor(bus: EventBus, onExpiryDue: (sessionId: string) => Promise<unknown>, onResync: (ids: string[]) => void) {
    this.#bus = bus;
    this.#onExpiryDue = onExpiryDue;
    this.#unregisterResync = bus.onResync?.(() => onResync([...this.#sessions.keys()]));
  }

  /** Sessions being watched in this process. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Starts delivering `sessionId`'s snapshots to `watcher`. Resolves once the bus subscription is
   * live, so a snapshot read from the store *after* this resolves cannot miss a change.
   */
  async watch(sessionId: string, watcher: Watcher, expiresAt: number): Promise<() => void> {
    let watched = this.#sessions.get(sessionId);
    if (!watched) {
      const entry: Watched = {
        watchers: new Set(),
        unsubscribe: Promise.resolve(() => {}),
        expiresAt,
        version: 0,
        terminal: false,
        expiring: false,
      };
      entry.unsubscribe = Promise.resolve(this.#bus.subscribe(sessionId, (s) => this.deliver(s)));
      this.#sessions.set(sessionId, entry);
      watched = entry;
    }
    watched.watchers.add(watcher);
    const entry = watched;
    try {
      await entry.unsubscribe;
    } catch (err) {
      this.#release(sessionId, entry, watcher);
      throw err;
    }
    return () => this.#release(sessionId, entry, watcher);
  }

  #release(sessionId: string, entry: Watched, watcher: Watcher): void {
    entry.watchers.delete(watcher);
    if (entry.watchers.size > 0 || this.#sessions.get(sessionId) !== entry) return;
    this.#sessions.delete(sessionId);
    entry.unsubscribe.then(
      (unsubscribe) => unsubscribe(),
      () => {},
    );
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
    for (const watcher of [...entry.watchers]) watcher.deliver(snapshot);
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
    for (const [sessionId, entry] of this.#sessions) {
      this.#sessions.delete(sessionId);
      entry.unsubscribe.then(
        (unsubscribe) => unsubscribe(),
        () => {},
      );
    }
  }
}
