import type { BetterAuthPluginDBSchema } from 'better-auth';

/**
 * The one table the plugin adds: device keys registered to better-auth users, declared the
 * better-auth way so `npx @better-auth/cli migrate` (or `generate`, or `getMigrations()`) creates
 * it next to `user` and `session`. The row id is qrlogin's own device id (`forceAllowId`), because
 * the app signs it; the public key is unique so one key can never belong to two users.
 *
 * @example
 * import { qrLoginSchema } from '@qrlogin/better-auth';
 * console.log(Object.keys(qrLoginSchema.qrloginDevice.fields)); // userId, publicKey, label, createdAt, revokedAt, lastUsedAt
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
} satisfies BetterAuthPluginDBSchema;
