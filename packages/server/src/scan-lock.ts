/**
 * The scan lock "this wasn't me" sets on a user: until it ends, every scan by the user's devices is
 * refused with `SCANS_LOCKED`. Kept in the session store, so it holds on every instance sharing it,
 * with only the store's existing primitives (create, get, compare-and-set): no new store method
 * for hosts with their own store to implement.
 */
import { createHash } from 'node:crypto';
import { QrLoginError } from '@qrlogin/protocol';
import type { Context } from './context.js';
import type { SessionRecord } from './store/types.js';

/**
 * The record id of a user's lock. The `.` is outside the session-id alphabet, so a lock can never
 * be mistaken for a session: every route refuses such an id before reading the store. Hashed, so
 * any user id (long, with braces or newlines) makes a short, safe key.
 */
export function scanLockId(userId: string): string {
  return `lock.${createHash('sha256').update(userId).digest('base64url')}`;
}

function lockRecord(id: string, userId: string, now: number, until: number): SessionRecord {
  return {
    id,
    // No browser secret can match an empty hash, and the record is terminal: nothing can act on it.
    secretHash: '',
    state: 'rejected',
    version: 1,
    createdAt: now,
    updatedAt: now,
    expiresAt: until,
    requester: { ip: '', userAgent: '', browser: '', os: '', origin: '', createdAt: now },
    userId,
  };
}

/**
 * Locks scans for `userId` until `until` (ms since the epoch), or keeps a later lock already set.
 * Compare-and-set, so two reports racing on two instances leave the later end.
 */
export async function lockScans(ctx: Context, userId: string, until: number): Promise<number> {
  const { store, now } = ctx.options;
  const id = scanLockId(userId);
  if (await store.create(lockRecord(id, userId, now(), until), until)) return until;
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await store.get(id);
    if (!current) {
      if (await store.create(lockRecord(id, userId, now(), until), until)) return until;
      continue;
    }
    if (current.expiresAt >= until) return current.expiresAt;
    const next: SessionRecord = { ...current, version: current.version + 1, updatedAt: now(), expiresAt: until };
    if (await store.compareAndSet(next, current.version, until)) return until;
  }
  throw new QrLoginError('STORE_UNAVAILABLE', 'the scan lock changed too often to be written');
}

/** Until when scans are locked for `userId`, or `null` when they are not. */
export async function scansLockedUntil(ctx: Context, userId: string): Promise<number | null> {
  const record = await ctx.options.store.get(scanLockId(userId));
  return record && record.expiresAt > ctx.options.now() ? record.expiresAt : null;
}

/**
 * Refuses a scan while the user's scans are locked (`SCANS_LOCKED`, with `Retry-After`), given
 * what {@link scansLockedUntil} read.
 *
 * @example
 * refuseLockedScans(ctx, await scansLockedUntil(ctx, device.userId));
 */
export function refuseLockedScans(ctx: Context, lockedUntil: number | null): void {
  if (lockedUntil === null) return;
  throw new QrLoginError(
    'SCANS_LOCKED',
    'a sign-in on this account was reported as not yours: scanning is locked for a while; try again later',
    { retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil - ctx.options.now()) / 1000)) },
  );
}
