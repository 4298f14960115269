import { QrLoginError } from '@qrlogin/protocol';
import type { Deadlines } from './deadlines.js';
import type { QrLoginEmitter } from './events.js';
import type { ResolvedOptions } from './options.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SessionWatchers } from './session-watchers.js';
import { applyTransition, expiryDue, retainUntil, snapshotOf, type Transition } from './state-machine.js';
import type { SessionRecord } from './store/types.js';

/** What every service function needs: resolved options, events, local watchers, limits. */
export interface Context {
  options: ResolvedOptions;
  events: QrLoginEmitter;
  watchers: SessionWatchers;
  limit: RateLimiter;
  /** No other instance exists (no bus was given): changes are delivered locally only. */
  localOnly: boolean;
  /** Held long-polls, released by the sweep. */
  polls: Deadlines;
}

/** Reads a session or fails with `SESSION_NOT_FOUND`. */
export async function loadSession(ctx: Context, sessionId: string): Promise<SessionRecord> {
  const record = await ctx.options.store.get(sessionId);
  if (!record) throw new QrLoginError('SESSION_NOT_FOUND', 'no session has this id');
  return record;
}

/**
 * Sends a session's snapshot to this process's watchers at once (the fast path) and to every
 * other instance over the bus, best-effort. Watchers drop the duplicate by version.
 */
export async function publish(ctx: Context, record: SessionRecord): Promise<void> {
  const snapshot = snapshotOf(record, ctx.options.now());
  ctx.watchers.deliver(snapshot);
  if (ctx.localOnly) return;
  try {
    await ctx.options.bus.publish(snapshot);
  } catch (error) {
    // The write has already won; failing the request now would lose it (a redeem answered 503
    // that can never be retried). Other instances' browsers catch up on their next resync, poll
    // or reconnect, which always starts from the stored snapshot.
    ctx.events.emit('internal-error', { action: 'bus publish', error });
  }
}

/**
 * Writes `next` by compare-and-set and, when it won, tells every watcher: in one atomic step where
 * the store can publish for the bus, else by writing and then publishing.
 */
async function writeAndPublish(ctx: Context, next: SessionRecord, expectedVersion: number): Promise<boolean> {
  const { store, bus, now } = ctx.options;
  if (!ctx.localOnly && store.compareAndSetAndPublish) {
    const snapshot = snapshotOf(next, now());
    const written = await store.compareAndSetAndPublish(next, expectedVersion, retainUntil(next), snapshot, bus);
    if (written !== null) {
      if (written) ctx.watchers.deliver(snapshot);
      return written;
    }
  }
  if (!(await store.compareAndSet(next, expectedVersion, retainUntil(next)))) return false;
  await publish(ctx, next);
  return true;
}

/**
 * Applies a transition with compare-and-set. `decide` sees the freshest record and returns the
 * transition (or throws to refuse); when another writer wins the race, the record is re-read and
 * `decide` asked again, so exactly one of several racing writers succeeds and the others get the
 * error the new state calls for. A session found past its expiry is expired on the way.
 */
export async function commit(
  ctx: Context,
  sessionId: string,
  decide: (record: SessionRecord) => Transition | Promise<Transition>,
  first?: SessionRecord,
): Promise<SessionRecord> {
  let record = first ?? (await loadSession(ctx, sessionId));
  // Every lost race means another writer advanced the version; a session has at most four writes.
  for (let attempt = 0; attempt < 8; attempt++) {
    const now = ctx.options.now();
    if (expiryDue(record, now)) {
      await expireRecord(ctx, record);
      record = await loadSession(ctx, sessionId);
      continue;
    }
    const next = applyTransition(record, await decide(record), now);
    if (await writeAndPublish(ctx, next, record.version)) return next;
    record = await loadSession(ctx, sessionId);
  }
  throw new QrLoginError('INVALID_STATE', 'the session changed too often while this request was being handled');
}

/** Writes `expired` for a record past its time (once, by compare-and-set) and pushes it. */
export async function expireRecord(ctx: Context, record: SessionRecord): Promise<void> {
  const next = applyTransition(record, { to: 'expired' }, ctx.options.now());
  if (await writeAndPublish(ctx, next, record.version)) {
    ctx.events.emit('expired', { sessionId: record.id, at: next.updatedAt });
  }
}

/**
 * Re-reads a watched session and tells its local watchers what the store holds now: its current
 * snapshot, or `SESSION_NOT_FOUND` when the store no longer has it. Used after the bus may have
 * lost messages (a resync) and by the sweep once a session's time ran out, where a session also
 * past its expiry is expired (it ended nowhere else, and someone has to write `expired`).
 */
export async function refreshWatched(ctx: Context, sessionId: string): Promise<void> {
  const record = await ctx.options.store.get(sessionId);
  if (!record) {
    ctx.watchers.gone(sessionId);
    return;
  }
  if (expiryDue(record, ctx.options.now())) {
    await expireRecord(ctx, record);
  } else {
    ctx.watchers.deliver(snapshotOf(record, ctx.options.now()));
  }
}

/**
 * Reads a session with its expiry written: a session found past its time is expired (once, by
 * compare-and-set) before it is returned, so every snapshot a client sees carries a new version.
 */
export async function settledSession(ctx: Context, sessionId: string): Promise<SessionRecord> {
  const record = await loadSession(ctx, sessionId);
  if (!expiryDue(record, ctx.options.now())) return record;
  await expireRecord(ctx, record);
  return loadSession(ctx, sessionId);
}
