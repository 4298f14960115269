/**
 * Device registration and revocation: a device key becomes usable only when the host vouches for
 * its user, and stops being usable the moment it is revoked.
 */
import {
  DEVICE_LABEL_RULE,
  decodeBase64Url,
  isDeviceId,
  isDeviceLabel,
  QrLoginError,
  type RegisterDeviceBody,
  type RevokeDeviceBody,
} from '@qrlogin/protocol';
import type { Context } from './context.js';
import { checkEd25519PublicKey } from './crypto/ed25519-public-key.js';
import { revokeLoginsOf } from './ledger-actions.js';
import { rateLimitKeyOf } from './net/ip-group.js';
import { newDeviceId } from './secrets.js';
import type { DeviceRecord } from './store/types.js';
import { activeDevice, checkTimestamp, verifySignature } from './verify-signed.js';

/** Input of `qr.registerDevice()`. */
export interface RegisterDeviceInput {
  /** The host's user id the device acts for. */
  userId: string;
  /** base64url Ed25519 public key (32 bytes). */
  publicKey: string;
  /** Human label, e.g. "Ana's iPhone": 1–64 characters, no control or bidi-control characters. */
  label: string;
}

/**
 * Refuses a public key that is not a usable Ed25519 point (`KEY_INVALID`).
 *
 * @example
 * checkPublicKey(body.publicKey);
 */
export function checkPublicKey(publicKey: unknown): asserts publicKey is string {
  const bytes = typeof publicKey === 'string' ? decodeBase64Url(publicKey) : null;
  const problem = bytes ? checkEd25519PublicKey(bytes) : 'wrong-length';
  if (problem) throw new QrLoginError('KEY_INVALID', `the public key is not usable (${problem})`);
}

/**
 * The device already holding this key for this user, so that a registration whose response was
 * lost can be sent again and find its device instead of orphaning it. A revoked key stays revoked.
 */
async function registeredKey(ctx: Context, userId: string, publicKey: string): Promise<DeviceRecord | null> {
  const devices = await ctx.options.devices.listByUser(userId);
  const device = devices.find((candidate) => candidate.publicKey === publicKey);
  if (device?.revokedAt !== undefined) throw new QrLoginError('DEVICE_REVOKED', 'this device key has been revoked');
  return device ?? null;
}

/**
 * Registers a device for a user the host has already authenticated. Idempotent: the same key for
 * the same user returns the device it already is; for another user it is `DEVICE_EXISTS`.
 */
export async function registerDevice(
  ctx: Context,
  input: RegisterDeviceInput,
  ip = 'server',
): Promise<{ device: DeviceRecord; created: boolean }> {
  if (typeof input?.userId !== 'string' || input.userId.length === 0 || input.userId.length > 256) {
    throw new QrLoginError('INVALID_REQUEST', 'userId must be a non-empty string of at most 256 characters');
  }
  if (!isDeviceLabel(input.label)) throw new QrLoginError('INVALID_REQUEST', `label must be ${DEVICE_LABEL_RULE}`);
  checkPublicKey(input.publicKey);
  const known = await registeredKey(ctx, input.userId, input.publicKey);
  if (known) return { device: known, created: false };
  const record: DeviceRecord = {
    id: newDeviceId(),
    userId: input.userId,
    publicKey: input.publicKey,
    label: input.label,
    createdAt: ctx.options.now(),
  };
  if (!(await ctx.options.devices.add(record))) {
    // Registered between the look-up above and the add (the same registration sent twice at once).
    const raced = await registeredKey(ctx, input.userId, input.publicKey);
    if (raced) return { device: raced, created: false };
    throw new QrLoginError('DEVICE_EXISTS', 'this public key is registered to another account');
  }
  ctx.events.emit('device-registered', {
    deviceId: record.id,
    userId: record.userId,
    label: record.label,
    ip,
    at: record.createdAt,
  });
  return { device: record, created: true };
}

/**
 * `POST /devices`: the host's `authenticate` hook names the user; the body proves possession of
 * the private key by signing a `register` message (version 2) that binds the key, the audience,
 * the time and that user, so a captured body is worthless under any other account.
 */
export async function registerDeviceFromApp(
  ctx: Context,
  body: RegisterDeviceBody,
  userId: string,
  ip: string,
): Promise<{ device: DeviceRecord; created: boolean }> {
  await ctx.limit('registerDevice', rateLimitKeyOf(ip), ip);
  checkPublicKey(body.publicKey);
  checkTimestamp(ctx, body.timestamp);
  await verifySignature(
    ctx,
    body.publicKey,
    { action: 'register', publicKey: body.publicKey, userId, timestamp: body.timestamp },
    body.signature,
    {
      ip,
      deviceId: '',
    },
  );
  return registerDevice(ctx, { userId, publicKey: body.publicKey, label: body.label }, ip);
}

/**
 * Revokes a device and ends every login it approved (reason `device-revoked`): a key nobody trusts
 * any more must not leave behind sessions it vouched for. The device is revoked first, so a failing
 * `endSession` hook (`END_SESSION_FAILED`) still leaves it unable to do anything; calling again
 * ends the rest without a second `device-revoked` event. Returns `false` when there is no such device.
 */
export async function revokeDevice(ctx: Context, deviceId: string, by: 'host' | 'device' = 'host'): Promise<boolean> {
  if (!isDeviceId(deviceId)) return false;
  const device = await ctx.options.devices.get(deviceId);
  if (!device) return false;
  if (device.revokedAt === undefined) {
    const at = ctx.options.now();
    await ctx.options.devices.revoke(deviceId, at);
    ctx.events.emit('device-revoked', { deviceId, userId: device.userId, by, at });
  }
  await revokeLoginsOf(ctx, { userId: device.userId, deviceId }, 'device-revoked');
  return true;
}

/** `POST /devices/:id/revoke`: a device revokes itself (e.g. on sign-out), signing action `revoke`. */
export async function revokeDeviceFromApp(
  ctx: Context,
  deviceId: string,
  body: RevokeDeviceBody,
  ip: string,
): Promise<void> {
  await ctx.limit('appPerIp', rateLimitKeyOf(ip), ip);
  const device = await activeDevice(ctx, deviceId);
  checkTimestamp(ctx, body.timestamp);
  await verifySignature(
    ctx,
    device.publicKey,
    { action: 'revoke', deviceId, timestamp: body.timestamp },
    body.signature,
    {
      ip,
      deviceId,
    },
  );
  await revokeDevice(ctx, deviceId, 'device');
}
