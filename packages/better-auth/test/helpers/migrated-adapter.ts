/**
 * better-auth's adapter on a fresh test database with the plugin's tables migrated, plus a way to
 * create the users a conformance suite names: the plugin's tables reference `user.id`, and a real
 * app only stores devices and logins of users that exist.
 */
import { betterAuth, type DBAdapter } from 'better-auth';
import { qrLogin } from '../../src/index.js';
import { migrate, type TestDatabase } from './databases.js';

/** One migrated database for a store test. */
export interface MigratedAdapter {
  adapter: DBAdapter;
  /** Creates user `id` once (concurrent calls share one insert). */
  ensureUser(id: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Opens a database with `open`, runs better-auth's migrations for a `qrLogin()` app on it and
 * returns its adapter.
 *
 * @example
 * const { adapter, ensureUser, close } = await migratedAdapter(sqliteDatabase);
 */
export async function migratedAdapter(open: () => Promise<TestDatabase>): Promise<MigratedAdapter> {
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
  const users = new Map<string, Promise<unknown>>();
  return {
    adapter: adapter as unknown as DBAdapter,
    ensureUser(id) {
      let created = users.get(id);
      if (!created) {
        created = adapter.create({
          model: 'user',
          forceAllowId: true,
          // Ids may hold anything (the suites use braces and newlines); emails must stay unique.
          data: {
            id,
            email: `user-${users.size}@example.com`,
            name: id,
            emailVerified: false,
            createdAt: new Date(),
            updatedAt: new Date(),
          },
        });
        users.set(id, created);
      }
      return created;
    },
    close: () => db.close(),
  };
}
