import type { BetterAuthPluginDBSchema } from 'better-auth';

/**
 * The tables the plugin adds, declared the better-auth way so `npx @better-auth/cli migrate` (or
 * `generate`, or `getMigrations()`) creates them next to `user` and `session`:
 * - `qrloginDevice`: device keys registered to better-auth users. The row id is qrlogin's own
 *   device id (`forceAllowId`), because the app signs it; the public key is unique so one key can
 *   never belong to two users.
 * - `qrloginLogin`: the login ledger ("where you're signed in"), one row per redeem, with the id of
 *   the better-auth session that redeem created (`authSessionId`), so ending the login ends it.
 *
 * @example
 * import { qrLoginSchema } from '@qrlogin/better-auth';
 * console.log(Object.keys(qrLoginSchema.qrloginDevice.fields)); // userId, publicKey, label, createdAt, revokedAt, lastUsedAt
 * console.log(Object.keys(qrLoginSchema.qrloginLogin.fields)); // userId, deviceId, sessionId, requester, …
 */
export const qrLoginSchema = {
  qrloginDevice: {
    fields: {
      userId: {
        type: 'string',
        required: true,
        references: { model: 'user', field: 'id', onDelete: 'cascade' },
        index: true,
      },
      publicKey: { type: 'string', required: true, unique: true },
      label: { type: 'string', required: true },
      createdAt: { type: 'date', required: true },
      revokedAt: { type: 'date', required: false },
      // Added with device management: `migrate` / `generate` add the column to an existing table.
      lastUsedAt: { type: 'date', required: false },
    },
  },
  qrloginLogin: {
    fields: {
      userId: {
        type: 'string',
        required: true,
        references: { model: 'user', field: 'id', onDelete: 'cascade' },
        index: true,
      },
      deviceId: { type: 'string', required: true },
      sessionId: { type: 'string', required: true },
      // The requester context and the approval receipt as JSON text: read back whole, never queried.
      requester: { type: 'string', required: true },
      receipt: { type: 'string', required: false },
      createdAt: { type: 'date', required: true },
      endedAt: { type: 'date', required: false },
      endReason: { type: 'string', required: false },
      retainUntil: { type: 'date', required: true },
      // The better-auth session's id (not its token: the ledger keeps no credential).
      authSessionId: { type: 'string', required: false, index: true },
    },
  },
} satisfies BetterAuthPluginDBSchema;
