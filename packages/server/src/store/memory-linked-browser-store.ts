import type { LinkedBrowserRecord, LinkedBrowserStore } from './types.js';

/**
 * Options of {@link memoryLinkedBrowserStore}.
 *
 * @example
 * const options: MemoryLinkedBrowserStoreOptions = { now: () => Date.now() };
 */
export interface MemoryLinkedBrowserStoreOptions {
  /** Clock for expiry, ms since the epoch. @default Date.now */
  now?: () => number;
}

/**
 * The in-memory {@link LinkedBrowserStore}: one process only (the demo, tests, small sites). Expired
 * tokens are answered as absent and dropped by a pass at most once a minute on writes, so the map stays bounded by the
 * tokens minted within one lifetime.
 *
 * @example
 * import { createQrLogin, memoryLinkedBrowserStore } from '@qrlogin/server';
 * const qr = createQrLogin({ origin: 'https://example.com', linkedBrowsers: memoryLinkedBrowserStore(), promptDevices });
 */
export function memoryLinkedBrowserStore(options: MemoryLinkedBrowserStoreOptions = {}): LinkedBrowserStore {
  const now = options.now ?? Date.now;
  const byHash = new Map<string, LinkedBrowserRecord>();
  const live = (record: LinkedBrowserRecord | undefined) => (record && record.expiresAt > now() ? record : undefined);
  let prunedAt = 0;
  // At most once a minute: a full pass per login would make minting linear in the tokens held.
  function prune(): void {
    if (now() - prunedAt < 60_000) return;
    prunedAt = now();
    for (const [hash, record] of byHash) if (!live(record)) byHash.delete(hash);
  }
  return {
    add(record) {
      prune();
      if (byHash.has(record.tokenHash)) return false;
      byHash.set(record.tokenHash, { ...record });
      return true;
    },
    get(tokenHash) {
      const record = live(byHash.get(tokenHash));
      return record ? { ...record } : null;
    },
    remove(tokenHash) {
      const had = live(byHash.get(tokenHash)) !== undefined;
      byHash.delete(tokenHash);
      return had;
    },
    removeByUser(userId) {
      let removed = 0;
      for (const [hash, record] of byHash) {
        if (record.userId !== userId) continue;
        if (live(record)) removed++;
        byHash.delete(hash);
      }
      return removed;
    },
    close() {
      byHash.clear();
    },
  } satisfies LinkedBrowserStore;
}
