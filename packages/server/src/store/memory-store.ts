import type { RequesterContext } from '@qrlogin/protocol';
import { ExpiryWheel } from './expiry-wheel.js';
import type { SessionRecord, SessionStore } from './types.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Clock, ms since the epoch. Tests may pass a fake one.
   * @default Date.now
   */
  now?: () => number;
  /**
   * How often expired records and counters are dropped.
   * @default 1000
   */
  sweepIntervalMs?: number;
}

/**
 * A record is flat but for `requester`; copying both levels keeps callers from changing stored
 * state through an object they hold, at a fraction of `structuredClone`'s cost. Every field is
 * written out, in one order, so every copy has one shape: spreading records of a dozen shapes (one
 * per state and option) sends V8's object spread down its slow, megamorphic path.
 */
function copy(r: SessionRecord): SessionRecord {
  return {
    id: r.id,
    secretHash: r.secretHash,
    state: r.state,
    version: r.version,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    updatedAt: r.updatedAt,
    requester: copyRequester(r.requester),
    deviceId: r.deviceId,
    userId: r.userId,
    challenge: r.challenge,
    code: r.code,
    scanIp: r.scanIp,
    rejectReason: r.rejectReason,
    claimedAt: r.claimedAt,
    context: r.context,
    contextDigest: r.contextDigest,
    // Flat strings: one spread copies it whole.
    receipt: r.receipt === undefined ? undefined : { ...r.receipt },
    loginId: r.loginId,
  };
}

/** Field by field like {@link copy}; `place` only when there is one, so the usual copy has six fields in-object. */
function copyRequester(q: RequesterContext): RequesterContext {
  const out: RequesterContext = {
    ip: q.ip,
    userAgent: q.userAgent,
    browser: q.browser,
    os: q.os,
    origin: q.origin,
    createdAt: q.createdAt,
  };
  if (q.place !== undefined) out.place = q.place;
  return out;
}

interface Entry<T> {
  value: T;
  retainUntil: number;
}

/**
 * The in-memory {@link SessionStore}: the default, right for one process (`pnpm demo`, small
 * sites, tests). Records are copied in and out, so callers can never change stored state by
 * mutating an object. Expired records and counters are dropped by one sweep a second (timer
 * `unref`'d, so it never keeps a process alive).
 *
 * @example
 * import { createQrLogin, memoryStore } from '@qrlogin/server';
 * const qr = createQrLogin({ origin: 'https://example.com', store: memoryStore() });
 */
export function memoryStore(options: MemoryStoreOptions = {}): SessionStore & { readonly size: number } {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Entry<SessionRecord>>();
  const counters = new Map<string, { count: number; resetAt: number }>();
  const wheel = new ExpiryWheel();
  const counterWheel = new ExpiryWheel();

  const live = (id: string): Entry<SessionRecord> | undefined => {
    const entry = sessions.get(id);
    if (entry && entry.retainUntil <= now()) {
      sessions.delete(id);
      return undefined;
    }
    return entry;
  };
  const sweep = () => {
    const t = now();
    wheel.sweep(t, (id) => {
      const entry = sessions.get(id);
      if (!entry) return;
      if (entry.retainUntil <= t) sessions.delete(id);
      else wheel.add(id, entry.retainUntil);
    });
    counterWheel.sweep(t, (key) => {
      const counter = counters.get(key);
      if (counter && counter.resetAt <= t) counters.delete(key);
    });
  };
  const timer = setInterval(sweep, options.sweepIntervalMs ?? 1000);
  timer.unref?.();

  return {
    get size() {
      return sessions.size;
    },
    create(record, retainUntil) {
      if (live(record.id)) return false;
      sessions.set(record.id, { value: copy(record), retainUntil });
      wheel.add(record.id, retainUntil);
      return true;
    },
    get(id) {
      const entry = live(id);
      return entry ? copy(entry.value) : null;
    },
    compareAndSet(next, expectedVersion, retainUntil) {
      const entry = live(next.id);
      if (!entry || entry.value.version !== expectedVersion) return false;
      if (retainUntil !== entry.retainUntil) wheel.add(next.id, retainUntil);
      entry.value = copy(next);
      entry.retainUntil = retainUntil;
      return true;
    },
    hit(key, windowMs) {
      const t = now();
      let counter = counters.get(key);
      if (!counter || counter.resetAt <= t) {
        counter = { count: 0, resetAt: t + windowMs };
        counters.set(key, counter);
        counterWheel.add(key, counter.resetAt);
      }
      counter.count += 1;
      return { count: counter.count, resetAt: counter.resetAt };
    },
    close() {
      clearInterval(timer);
      sessions.clear();
      counters.clear();
      wheel.clear();
      counterWheel.clear();
    },
  } satisfies SessionStore & { readonly size: number };
}
