import type { LoginLedger, LoginRecord } from './types.js';

/**
 * Options of {@link memoryLoginLedger}.
 *
 * @example
 * const options: MemoryLoginLedgerOptions = { now: () => clock.now() };
 */
export interface MemoryLoginLedgerOptions {
  /** Clock deciding when a login's retention is over (tests). @default Date.now */
  now?: () => number;
}

interface Entry {
  record: LoginRecord;
  retainUntil: number;
}

/**
 * Newest first; logins redeemed in the same millisecond by id, descending, the order a Redis sorted
 * set scored by `createdAt` gives, so every backend lists alike.
 *
 * @example
 * const listed = [...records].sort(newestFirst);
 */
export function newestFirst(a: LoginRecord, b: LoginRecord): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

// A login is flat but for two flat objects: copying them by hand is several times cheaper than
// structuredClone, and this runs once per redeem.
function copy(record: LoginRecord): LoginRecord {
  const out: LoginRecord = { ...record, requester: { ...record.requester } };
  if (record.receipt) out.receipt = { ...record.receipt };
  return out;
}

/**
 * The in-memory {@link LoginLedger}, the default: fine for one process (the demo, tests). Logins
 * past their retention are forgotten when next read, or when an add finds them oldest. Returns copies, so a caller changing a record
 * changes nothing stored.
 *
 * @example
 * import { createQrLogin, memoryLoginLedger } from '@qrlogin/server';
 * const qr = createQrLogin({ origin: 'https://example.com', logins: memoryLoginLedger() });
 */
export function memoryLoginLedger(options: MemoryLoginLedgerOptions = {}): LoginLedger {
  const now = options.now ?? Date.now;
  const byId = new Map<string, Entry>();
  const byUser = new Map<string, Set<string>>();

  const live = (id: string): Entry | undefined => {
    const entry = byId.get(id);
    if (!entry) return undefined;
    if (entry.retainUntil > now()) return entry;
    byId.delete(id);
    byUser.get(entry.record.userId)?.delete(id);
    return undefined;
  };

  // Logins are added in time order with one retention, so the oldest come first in the map: each
  // add forgets the expired ones at its front, and memory stays bounded without a timer.
  const forgetExpired = () => {
    for (const id of byId.keys()) {
      if (live(id)) return;
    }
  };

  return {
    add(record, retainUntil) {
      forgetExpired();
      if (live(record.id)) return false;
      byId.set(record.id, { record: copy(record), retainUntil });
      const ids = byUser.get(record.userId) ?? new Set<string>();
      byUser.set(record.userId, ids);
      ids.add(record.id);
      return true;
    },
    get(id) {
      const entry = live(id);
      return entry ? copy(entry.record) : null;
    },
    listByUser(userId) {
      const ids = byUser.get(userId);
      if (!ids) return [];
      const records: LoginRecord[] = [];
      for (const id of [...ids]) {
        const entry = live(id);
        if (entry) records.push(copy(entry.record));
      }
      if (ids.size === 0) byUser.delete(userId);
      return records.sort(newestFirst);
    },
    end(id, at, reason) {
      const entry = live(id);
      if (!entry) return null;
      // The first end wins: a later "end all" must not rewrite why or when a login ended.
      if (entry.record.endedAt === undefined) {
        entry.record.endedAt = at;
        entry.record.endReason = reason;
      }
      return copy(entry.record);
    },
    close() {
      byId.clear();
      byUser.clear();
    },
  } satisfies LoginLedger;
}
