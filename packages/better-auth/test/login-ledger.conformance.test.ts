/**
 * `betterAuthLoginLedger` against the server's LoginLedger conformance suite, unchanged, on the
 * `qrloginLogin` table better-auth's migrations create in SQLite and PostgreSQL, on the suite's
 * fake clock. The table's `userId` references `user.id`, so the harness creates each user the suite
 * names before adding a login for it — as a real app only records logins of users that exist.
 */
import { betterAuth } from 'better-auth';
import { describe } from 'vitest';
import { fakeClock } from '../../server/test/conformance/clock.js';
import { testLoginLedger } from '../../server/test/conformance/login-ledger.js';
import { betterAuthLoginLedger, qrLogin } from '../src/index.js';
import { DATABASES, migrate } from './helpers/databases.js';

for (const { kind, open, skip } of DATABASES) {
  describe.skipIf(skip)(kind, () => {
    testLoginLedger(`betterAuthLoginLedger (${kind})`, async () => {
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
      const clock = fakeClock();
      const ledger = betterAuthLoginLedger(adapter, clock.now);
      const users = new Map<string, Promise<unknown>>();
      const ensureUser = (id: string) => {
        let created = users.get(id);
        if (!created) {
          created = adapter.create({
            model: 'user',
            forceAllowId: true,
            data: {
              id,
              email: `${users.size}@example.com`,
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
        logins: {
          ...ledger,
          add: async (record, retainUntil) => {
            await ensureUser(record.userId);
            return ledger.add(record, retainUntil);
          },
        },
        clock,
        cleanup: () => db.close(),
      };
    });
  });
}
