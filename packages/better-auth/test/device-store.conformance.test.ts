/**
 * `betterAuthDeviceStore` against the server's DeviceStore conformance suite, unchanged, on the
 * `qrloginDevice` table better-auth's migrations create in SQLite and PostgreSQL. The table's
 * `userId` references `user.id`, so the harness creates each user the suite names before adding
 * a device for it — as a real app only registers devices for users that exist.
 */
import { betterAuth } from 'better-auth';
import { describe } from 'vitest';
import { testDeviceStore } from '../../server/test/conformance/device-store.js';
import { betterAuthDeviceStore, qrLogin } from '../src/index.js';
import { DATABASES, migrate } from './helpers/databases.js';

for (const { kind, open, skip } of DATABASES) {
  describe.skipIf(skip)(kind, () => {
    testDeviceStore(`betterAuthDeviceStore (${kind})`, async () => {
      const db = await open();
      const auth = betterAuth({
        baseURL: 'https://example.com',
        secret: 'a-test-secret-that-is-long-enough-for-better-auth',
        database: db.database,
        plugins: [qrLogin()],
        telemetry: { enabled: false },
      });
      await migrate(auth.options);
      const { adapter } = await auth.$context;
      const store = betterAuthDeviceStore(adapter);
      const users = new Map<string, Promise<unknown>>();
      const ensureUser = (id: string) => {
        let created = users.get(id);
        if (!created) {
          created = adapter.create({
            model: 'user',
            forceAllowId: true,
            data: {
              id,
              email: `${id}@example.com`,
              name: id,
              emailVerified: false,
              createdAt: new Date(),
              updatedAt: new Date(),
            },
          });
          users.set(id, created);
        }
        return created;
      };
      return {
        devices: {
          ...store,
          add: async (record) => {
            await ensureUser(record.userId);
            return store.add(record);
          },
        },
        cleanup: () => db.close(),
      };
    });
  });
}
