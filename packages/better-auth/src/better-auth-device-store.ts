import type { DeviceRecord, DeviceStore } from '@qrlogin/server';
import type { BetterAuthOptions, DBAdapter } from 'better-auth';

/** A `qrloginDevice` row as better-auth's adapter returns it (dates as `Date`). */
interface DeviceRow {
  id: string;
  userId: string;
  publicKey: string;
  label: string;
  createdAt: Date;
  revokedAt?: Date | null;
  lastUsedAt?: Date | null;
}

const MODEL = 'qrloginDevice';

function toRecord(row: DeviceRow): DeviceRecord {
  return {
    id: row.id,
    userId: row.userId,
    publicKey: row.publicKey,
    label: row.label,
    createdAt: new Date(row.createdAt).getTime(),
    ...(row.revokedAt ? { revokedAt: new Date(row.revokedAt).getTime() } : {}),
    ...(row.lastUsedAt ? { lastUsedAt: new Date(row.lastUsedAt).getTime() } : {}),
  };
}

/**
 * A qrlogin {@link DeviceStore} in better-auth's own database, through its adapter (SQLite,
 * PostgreSQL, MySQL, Prisma, Drizzle, MongoDB — whatever `betterAuth({ database })` is). The
 * `qrLogin()` plugin builds one for you; use this directly only to read devices from your own
 * code (e.g. a "your devices" page).
 *
 * Uniqueness of ids and public keys is the database's (primary key, unique column), so concurrent
 * registrations of one key resolve to exactly one row. `update` writes only the columns it
 * changes, and raises `lastUsedAt` with conditional updates so it never moves back. Revocation reads then writes: two
 * concurrent revocations both succeed and the later instant may win, which changes nothing about
 * the device being revoked.
 *
 * @example
 * import { betterAuthDeviceStore } from '@qrlogin/better-auth';
 * const ctx = await auth.$context;
 * const devices = betterAuthDeviceStore(ctx.adapter);
 * const mine = await devices.listByUser(session.user.id);
 */
export function betterAuthDeviceStore<Options extends BetterAuthOptions>(adapter: DBAdapter<Options>): DeviceStore {
  const get = async (id: string) => {
    const row = await adapter.findOne<DeviceRow>({ model: MODEL, where: [{ field: 'id', value: id }] });
    return row ? toRecord(row) : null;
  };
  return {
    async add(record) {
      const taken = async () =>
        (await get(record.id)) !== null ||
        (await adapter.findOne({ model: MODEL, where: [{ field: 'publicKey', value: record.publicKey }] })) !== null;
      if (await taken()) return false;
      try {
        await adapter.create<Record<string, unknown>>({
          model: MODEL,
          forceAllowId: true,
          data: {
            id: record.id,
            userId: record.userId,
            publicKey: record.publicKey,
            label: record.label,
            createdAt: new Date(record.createdAt),
            revokedAt: record.revokedAt === undefined ? null : new Date(record.revokedAt),
            lastUsedAt: record.lastUsedAt === undefined ? null : new Date(record.lastUsedAt),
          },
        });
        return true;
      } catch (err) {
        // A concurrent insert of the same id or key lost the race to the unique index: that is a
        // refusal, not a failure. Anything else (database down) is the caller's error.
        if (await taken().catch(() => false)) return false;
        throw err;
      }
    },
    get,
    async revoke(id, at) {
      const device = await get(id);
      if (!device) return false;
      if (device.revokedAt !== undefined) return true;
      await adapter.update({ model: MODEL, where: [{ field: 'id', value: id }], update: { revokedAt: new Date(at) } });
      return true;
    },
    async update(id, patch) {
      if (!(await get(id))) return false;
      const byId = { field: 'id', value: id } as const;
      if (patch.label !== undefined) {
        await adapter.update({ model: MODEL, where: [byId], update: { label: patch.label } });
      }
      if (patch.lastUsedAt !== undefined) {
        const at = new Date(patch.lastUsedAt);
        // Forward only, without a read-then-write race: first fill an empty column, then raise an
        // older one. After both steps the stored instant is at least `at`, whatever ran in between.
        await adapter.updateMany({
          model: MODEL,
          where: [byId, { field: 'lastUsedAt', value: null }],
          update: { lastUsedAt: at },
        });
        await adapter.updateMany({
          model: MODEL,
          where: [byId, { field: 'lastUsedAt', operator: 'lt', value: at }],
          update: { lastUsedAt: at },
        });
      }
      return true;
    },
    async listByUser(userId) {
      const rows = await adapter.findMany<DeviceRow>({ model: MODEL, where: [{ field: 'userId', value: userId }] });
      return rows.map(toRecord);
    },
  } satisfies DeviceStore;
}
