import type { ApprovalReceipt, LoginEndReason, LoginLedger, LoginRecord, RequesterContext } from '@qrlogin/server';
import type { BetterAuthOptions, DBAdapter } from 'better-auth';

/** A `qrloginLogin` row as better-auth's adapter returns it (dates as `Date`, objects as JSON text). */
interface LoginRow {
  id: string;
  userId: string;
  deviceId: string;
  sessionId: string;
  requester: string;
  receipt?: string | null;
  createdAt: Date;
  endedAt?: Date | null;
  endReason?: string | null;
  retainUntil: Date;
  authSessionId?: string | null;
}

const MODEL = 'qrloginLogin';

function toRecord(row: LoginRow): LoginRecord {
  return {
    id: row.id,
    userId: row.userId,
    deviceId: row.deviceId,
    sessionId: row.sessionId,
    requester: JSON.parse(row.requester) as RequesterContext,
    createdAt: new Date(row.createdAt).getTime(),
    ...(row.endedAt ? { endedAt: new Date(row.endedAt).getTime() } : {}),
    ...(row.endReason ? { endReason: row.endReason as LoginEndReason } : {}),
    ...(row.receipt ? { receipt: JSON.parse(row.receipt) as ApprovalReceipt } : {}),
  };
}

/**
 * qrlogin's login ledger in better-auth's own database, in the `qrloginLogin` table the plugin
 * declares (created by better-auth's migrations). Each row also keeps which better-auth session
 * the redeem created (`authSessionId`, an id, never the session token), which is how ending a
 * login from the phone ends that browser's real session. The `qrLogin()` plugin builds one for you.
 *
 * Ending is atomic: one conditional `UPDATE … WHERE endedAt IS NULL`, so of two concurrent `end`
 * calls exactly one wins. Rows past their `retainUntil` are hidden from reads and deleted, per
 * user, the next time that user gets a new login.
 *
 * @example
 * import { betterAuthLoginLedger } from '@qrlogin/better-auth';
 * const logins = betterAuthLoginLedger((await auth.$context).adapter);
 * const mine = await logins.listByUser(session.user.id);
 */
export function betterAuthLoginLedger<Options extends BetterAuthOptions>(
  adapter: DBAdapter<Options>,
  now: () => number = Date.now,
): LoginLedger & BetterAuthLoginLedgerExtras {
  const findRow = (id: string) => adapter.findOne<LoginRow>({ model: MODEL, where: [{ field: 'id', value: id }] });
  const retained = (row: LoginRow | null): row is LoginRow =>
    row !== null && new Date(row.retainUntil).getTime() > now();
  const get = async (id: string) => {
    const row = await findRow(id);
    return retained(row) ? toRecord(row) : null;
  };
  return {
    async add(record, retainUntil) {
      const existing = await findRow(record.id);
      if (retained(existing)) return false;
      // A forgotten id (past its retention) is gone: its row must not block a new one.
      if (existing) await adapter.delete({ model: MODEL, where: [{ field: 'id', value: record.id }] });
      // Forgetting is per user and lazy: no sweeper process, and a user's list stays short.
      await adapter.deleteMany({
        model: MODEL,
        where: [
          { field: 'userId', value: record.userId },
          { field: 'retainUntil', value: new Date(now()), operator: 'lte' },
        ],
      });
      try {
        await adapter.create<Record<string, unknown>>({
          model: MODEL,
          forceAllowId: true,
          data: {
            id: record.id,
            userId: record.userId,
            deviceId: record.deviceId,
            sessionId: record.sessionId,
            requester: JSON.stringify(record.requester),
            receipt: record.receipt === undefined ? null : JSON.stringify(record.receipt),
            createdAt: new Date(record.createdAt),
            endedAt: record.endedAt === undefined ? null : new Date(record.endedAt),
            endReason: record.endReason ?? null,
            retainUntil: new Date(retainUntil),
            authSessionId: null,
          },
        });
        return true;
      } catch (err) {
        // A concurrent insert of the same id lost the race to the primary key: a refusal.
        if (retained(await findRow(record.id).catch(() => null))) return false;
        throw err;
      }
    },
    get,
    async listByUser(userId) {
      const rows = await adapter.findMany<LoginRow>({ model: MODEL, where: [{ field: 'userId', value: userId }] });
      // Newest first, ties by id descending: one order on every database (the adapter sorts by one field).
      return rows
        .filter(retained)
        .map(toRecord)
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    },
    async end(id, at, reason) {
      // `endedAt IS NULL` in the WHERE makes the first end the only one, across instances.
      await adapter.updateMany({
        model: MODEL,
        where: [
          { field: 'id', value: id },
          { field: 'endedAt', value: null },
        ],
        update: { endedAt: new Date(at), endReason: reason },
      });
      return get(id);
    },
    async linkAuthSession(id, authSessionId) {
      await adapter.update({ model: MODEL, where: [{ field: 'id', value: id }], update: { authSessionId } });
    },
    async authSessionOf(id) {
      return (await findRow(id))?.authSessionId ?? null;
    },
    async loginOfAuthSession(authSessionId) {
      const row = await adapter.findOne<LoginRow>({
        model: MODEL,
        where: [{ field: 'authSessionId', value: authSessionId }],
      });
      return retained(row) ? toRecord(row) : null;
    },
  };
}

/**
 * What the better-auth ledger adds to a {@link LoginLedger}: the login ↔ better-auth session link.
 *
 * @example
 * const logins = betterAuthLoginLedger(adapter);
 * const authSessionId = await logins.authSessionOf(loginId);
 */
export interface BetterAuthLoginLedgerExtras {
  /** Records that login `id` signed the browser in with better-auth session `authSessionId`. */
  linkAuthSession(id: string, authSessionId: string): Promise<void>;
  /** The better-auth session id login `id` created, or `null` (unknown login, or not linked yet). */
  authSessionOf(id: string): Promise<string | null>;
  /** The login that created better-auth session `authSessionId`, or `null`. */
  loginOfAuthSession(authSessionId: string): Promise<LoginRecord | null>;
}
