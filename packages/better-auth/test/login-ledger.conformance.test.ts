/**
 * `betterAuthLoginLedger` against the server's LoginLedger conformance suite, unchanged, on the
 * `qrloginLogin` table better-auth's migrations create in SQLite and PostgreSQL, on the suite's
 * fake clock. The table's `userId` references `user.id`, so the harness creates each user the
 * suite names before adding a login for it — as a real app only records logins of users that exist.
 */
import { describe } from 'vitest';
import { fakeClock } from '../../server/test/conformance/clock.js';
import { testLoginLedger } from '../../server/test/conformance/login-ledger.js';
import { betterAuthLoginLedger } from '../src/index.js';
import { DATABASES } from './helpers/databases.js';
import { migratedAdapter } from './helpers/migrated-adapter.js';

for (const { kind, open, skip } of DATABASES) {
  describe.skipIf(skip)(kind, () => {
    testLoginLedger(`betterAuthLoginLedger (${kind})`, async () => {
      const { adapter, ensureUser, close } = await migratedAdapter(open);
      const clock = fakeClock();
      const ledger = betterAuthLoginLedger(adapter, clock.now);
      return {
        logins: {
          ...ledger,
          add: async (record, retainUntil) => {
            await ensureUser(record.userId);
            return ledger.add(record, retainUntil);
          },
        },
        clock,
        cleanup: close,
      };
    });
  });
}
