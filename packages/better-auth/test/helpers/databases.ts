/**
 * The real databases the plugin is tested on: SQLite through better-sqlite3 (in memory, one per
 * test) and the machine's PostgreSQL at 127.0.0.1:5432 (trust auth, database `test`, user
 * `postgres`), in a schema of its own per test so runs never see each other's rows. Tables come
 * from better-auth's own migrations, plugin schema included, as `npx @better-auth/cli migrate`
 * would create them.
 */
import { randomBytes } from 'node:crypto';
import type { BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import Database from 'better-sqlite3';
import pg from 'pg';

/** One empty database, ready for `betterAuth({ database })`. */
export interface TestDatabase {
  /** `sqlite` or `postgres`, for test names. */
  kind: string;
  /** What `betterAuth({ database })` takes. */
  database: BetterAuthOptions['database'];
  /** Closes connections and drops what the test created. */
  close(): Promise<void>;
}

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ ...PG, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

const postgresProblem = await probePostgres();
const inCi = process.env.CI === 'true';

/**
 * True when the PostgreSQL tests should skip: no server on this developer machine. In CI
 * (`CI=true`) this stays false, so a missing server fails the run instead of passing silently.
 */
export const skipWithoutPostgres = postgresProblem !== null && !inCi;
if (skipWithoutPostgres) {
  console.warn(
    `\n⚠ PostgreSQL tests SKIPPED: no server at ${PG.host}:${PG.port} (${postgresProblem}). ` +
      'In CI (CI=true) these tests fail instead.\n',
  );
}

/** A fresh in-memory SQLite database. */
export async function sqliteDatabase(): Promise<TestDatabase> {
  const db = new Database(':memory:');
  return { kind: 'sqlite', database: db, close: async () => void db.close() };
}

/** A fresh schema on the machine's PostgreSQL, dropped again by `close()`. */
export async function postgresDatabase(): Promise<TestDatabase> {
  const schema = `qrlogin_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(PG);
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ ...PG, max: 4, options: `-c search_path=${schema}` });
  return {
    kind: 'postgres',
    database: pool,
    async close() {
      await pool.end();
      const dropper = new pg.Client(PG);
      await dropper.connect();
      await dropper.query(`drop schema ${schema} cascade`);
      await dropper.end();
    },
  };
}

/** Both databases, for `describe.each`; PostgreSQL's tests skip (loudly) without a server. */
export const DATABASES = [
  { kind: 'sqlite', open: sqliteDatabase, skip: false },
  { kind: 'postgres', open: postgresDatabase, skip: skipWithoutPostgres },
] as const;

/** Runs better-auth's own migrations for `options` (its tables and every plugin's). */
export async function migrate(options: BetterAuthOptions): Promise<void> {
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
}
