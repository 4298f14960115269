/**
 * Device management: a user's devices listed, renamed and revoked — by the host (`qr.listDevices`,
 * `qr.renameDevice`), by one of the user's own active devices (signed `list-devices`,
 * `rename-device`, `revoke-device`) or from the host's web side (its own session). Any active
 * device of a user may rename or revoke any device of that same user; a device of another user is
 * answered `DEVICE_NOT_FOUND`, exactly like one that does not exist, so ids cannot be probed.
 */
import {
  DEVICE_LABEL_RULE,
  type DeviceSummary,
  isDeviceId,
  isDeviceLabel,
  QrLoginError,
  type RenameDeviceBody,
  type SignedAction,
  type SignedDeviceCallBody,
} from '@qrlogin/protocol';
import type { Context } from './context.js';
import { revokeDevice } from './device-actions.js';
import { rateLimitKeyOf } from './net/ip-group.js';
import type { DeviceRecord } from './store/types.js';
import { activeDevice, checkTimestamp, verifySignature } from './verify-signed.js';

/** Who asks: a device of the user (signed) or the host (server code or the web side). */
type Actor = { kind: 'device'; device: DeviceRecord } | { kind: 'host' };

/** Every device of a user, oldest first (the store's order is unspecified). */
export async function listDevices(ctx: Context, userId: string): Promise<DeviceRecord[]> {
  if (typeof userId !== 'string' || userId === '')
    throw new QrLoginError('INVALID_REQUEST', 'userId must be a non-empty string');
  const devices = await ctx.options.devices.listByUser(userId);
  return [...devices].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

/**
 * The wire view of a device: no public key, no user id.
 *
 * @example
 * const summaries = (await qr.listDevices(userId)).map((d) => toDeviceSummary(d));
 */
export function toDeviceSummary(device: DeviceRecord, thisDeviceId?: string): DeviceSummary {
  return {
    id: device.id,
    label: device.label,
    createdAt: device.createdAt,
    ...(device.lastUsedAt !== undefined ? { lastUsedAt: device.lastUsedAt } : {}),
    ...(device.revokedAt !== undefined ? { revokedAt: device.revokedAt } : {}),
    thisDevice: device.id === thisDeviceId,
  };
}

/** The target device, if it belongs to `userId` (`undefined` = the host, any user). */
async function ownedDevice(ctx: Context, deviceId: string, userId: string | undefined): Promise<DeviceRecord> {
  const device = isDeviceId(deviceId) ? await ctx.options.devices.get(deviceId) : null;
  // Another user's device reads as absent: the caller learns nothing about ids it does not own.
  if (!device || (userId !== undefined && device.userId !== userId)) {
    throw new QrLoginError('DEVICE_NOT_FOUND', 'no device of this user has this id');
  }
  return device;
}

/**
 * Renames a device. `userId` restricts it to that user's devices (web and app callers). Refuses a
 * label outside `DEVICE_LABEL_RULE` (`INVALID_REQUEST`) and a revoked device (`DEVICE_REVOKED`).
 */
export async function renameDevice(
  ctx: Context,
  deviceId: string,
  label: unknown,
  by: { actor: Actor; userId?: string },
): Promise<DeviceRecord> {
  if (!isDeviceLabel(label)) throw new QrLoginError('INVALID_REQUEST', `label must be ${DEVICE_LABEL_RULE}`);
  const device = await ownedDevice(ctx, deviceId, by.userId);
  if (device.revokedAt !== undefined) throw new QrLoginError('DEVICE_REVOKED', 'a revoked device cannot be renamed');
  // Gone between the read and the write (a host deleting rows): the same answer as not found.
  if (!(await ctx.options.devices.update(device.id, { label }))) {
    throw new QrLoginError('DEVICE_NOT_FOUND', 'no device of this user has this id');
  }
  ctx.events.emit('device-renamed', {
    deviceId: device.id,
    userId: device.userId,
    label,
    by: by.actor.kind,
    ...(by.actor.kind === 'device' ? { byDeviceId: by.actor.device.id } : {}),
    at: ctx.options.now(),
  });
  return { ...device, label };
}

/**
 * Revokes one of `userId`'s devices and ends its logins. Idempotent: an already revoked one stays as
 * it was, and calling again ends what an `END_SESSION_FAILED` left active.
 */
export async function revokeUserDevice(ctx: Context, deviceId: string, userId: string, by: Actor): Promise<void> {
  const device = await ownedDevice(ctx, deviceId, userId);
  await revokeDevice(ctx, device.id, by.kind);
}

/**
 * Checks a signed device-management call: rate limit, an active signing device, its clock, and the
 * signature over the action with `ref` (the device acted on) and `text` (a new label). Such a body
 * carries no challenge, so it can be replayed within the clock-skew window: every one of these
 * calls is idempotent (the same list, the same label, a device revoked once), so a replay changes
 * nothing that the original did not.
 */
export async function signedCaller(
  ctx: Context,
  action: Extract<SignedAction, 'list-devices' | 'rename-device' | 'revoke-device'>,
  body: SignedDeviceCallBody,
  ip: string,
  ref?: string,
  text?: string,
): Promise<DeviceRecord> {
  await ctx.limit('appPerIp', rateLimitKeyOf(ip), ip);
  const device = await activeDevice(ctx, body.deviceId);
  checkTimestamp(ctx, body.timestamp);
  await verifySignature(
    ctx,
    device.publicKey,
    { action, deviceId: device.id, timestamp: body.timestamp, ...(ref ? { ref } : {}), ...(text ? { text } : {}) },
    body.signature,
    { ip, deviceId: device.id },
  );
  return device;
}

/** `POST /devices/list`: the signer's user's devices, the signer marked `thisDevice`. */
export async function listDevicesFromApp(
  ctx: Context,
  body: SignedDeviceCallBody,
  ip: string,
): Promise<DeviceSummary[]> {
  const signer = await signedCaller(ctx, 'list-devices', body, ip);
  return (await listDevices(ctx, signer.userId)).map((d) => toDeviceSummary(d, signer.id));
}

/** `POST /devices/:id/rename`: the signer renames a device of its own user. */
export async function renameDeviceFromApp(
  ctx: Context,
  deviceId: string,
  body: RenameDeviceBody,
  ip: string,
): Promise<DeviceSummary> {
  const signer = await signedCaller(ctx, 'rename-device', body, ip, deviceId, body.label);
  const renamed = await renameDevice(ctx, deviceId, body.label, {
    actor: { kind: 'device', device: signer },
    userId: signer.userId,
  });
  return toDeviceSummary(renamed, signer.id);
}

/** `POST /devices/:id/revoke-device`: the signer revokes a device of its own user (itself included). */
export async function revokeDeviceFromUserApp(
  ctx: Context,
  deviceId: string,
  body: SignedDeviceCallBody,
  ip: string,
): Promise<void> {
  const signer = await signedCaller(ctx, 'revoke-device', body, ip, deviceId);
  await revokeUserDevice(ctx, deviceId, signer.userId, { kind: 'device', device: signer });
}
