/**
 * `betterAuthDeviceStore` against the server's DeviceStore conformance suite, unchanged, on the
 * `qrloginDevice` table better-auth's migrations create in SQLite and PostgreSQL. The table's
 * `userId` references `user.id`, so the harness creates each user the suite names before adding
 * a device for it — as a real app only registers devices for users that exist.
 */
import { describe } from 'vitest';
import { testDeviceStore } from '../../server/test/conformance/device-store.js';
import { betterAuthDeviceStore } from '../src/index.js';
import { DATABASES } from './helpers/databases.js';
import { migratedAdapter } from './helpers/migrated-adapter.js';

for (const { kind, open, skip } of DATABASES) {
  describe.skipIf(skip)(kind, () => {
    testDeviceStore(`betterAuthDeviceStore (${kind})`, async () => {
      const { adapter, ensureUser, close } = await migratedAdapter(open);
      const store = betterAuthDeviceStore(adapter);
      return {
        devices: {
          ...store,
          add: async (record) => {
            await ensureUser(record.userId);
            return store.add(record);
          },
        },
        cleanup: close,
      };
    });
  });
}
