import type { DeviceRecord, DeviceStore } from './types.js';

/**
 * The in-memory {@link DeviceStore}. Fine for the demo and tests; a real host keeps devices in its
 * own database (implement the six methods of `DeviceStore` over your users table's neighbour).
 *
 * @example
 * import { createQrLogin, memoryDeviceStore } from '@qrlogin/server';
 * const qr = createQrLogin({ origin: 'https://example.com', devices: memoryDeviceStore() });
 */
export function memoryDeviceStore(): DeviceStore {
  const byId = new Map<string, DeviceRecord>();
  const keys = new Set<string>();
  return {
    add(record) {
      if (byId.has(record.id) || keys.has(record.publicKey)) return false;
      byId.set(record.id, { ...record });
      keys.add(record.publicKey);
      return true;
    },
    get(id) {
      const record = byId.get(id);
      return record ? { ...record } : null;
    },
    revoke(id, at) {
      const record = byId.get(id);
      if (!record) return false;
      record.revokedAt ??= at;
      return true;
    },
    update(id, patch) {
      const record = byId.get(id);
      if (!record) return false;
      if (patch.label !== undefined) record.label = patch.label;
      if (patch.lastUsedAt !== undefined && !(patch.lastUsedAt <= (record.lastUsedAt ?? -1))) {
        record.lastUsedAt = patch.lastUsedAt;
      }
      return true;
    },
    listByUser(userId) {
      return [...byId.values()].filter((d) => d.userId === userId).map((d) => ({ ...d }));
    },
    close() {
      byId.clear();
      keys.clear();
    },
  } satisfies DeviceStore;
}
