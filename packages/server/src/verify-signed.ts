import {
  canonicalBytes,
  canonicalMessage,
  decodeBase64Url,
  LEGACY_SIGNATURE_VERSIONS,
  messageBytes,
  QrLoginError,
  SIGNATURE_VERSIONS,
  type SignedFields,
} from '@qrlogin/protocol';
import type { Context } from './context.js';
import { verifyEd25519 } from './crypto/verify-signature.js';
import type { DeviceRecord } from './store/types.js';

/** Loads a device that may act: it must exist and not be revoked. */
export async function activeDevice(ctx: Context, deviceId: string): Promise<DeviceRecord> {
  const device = await ctx.options.devices.get(deviceId);
  if (!device) throw new QrLoginError('DEVICE_NOT_FOUND', 'no device has this id');
  if (device.revokedAt !== undefined) throw new QrLoginError('DEVICE_REVOKED', 'this device has been revoked');
  return device;
}

/** Refuses a device timestamp outside the configured skew window. */
export function checkTimestamp(ctx: Context, timestamp: number): void {
  const skewMs = ctx.options.clockSkewSeconds * 1000;
  const now = ctx.options.now();
  if (Math.abs(now - timestamp) > skewMs) {
    throw new QrLoginError(
      'TIMESTAMP_SKEW',
      `device timestamp is ${Math.round((timestamp - now) / 1000)} s from the server clock (allowed ±${ctx.options.clockSkewSeconds} s)`,
    );
  }
}

/**
 * Verifies a device signature over the canonical message the *server* builds from its own view
 * (audience, stored challenge) plus the request's fields, so a signature made for any other
 * message — another site, session, challenge, action, time or code — fails. Returns the verified
 * text (a receipt keeps it).
 */
export async function verifySignature(
  ctx: Context,
  publicKey: string,
  fields: Omit<SignedFields, 'audience'>,
  signature: string,
  audit: { ip: string; deviceId: string },
): Promise<string> {
  const text = canonicalMessage({ ...fields, audience: ctx.options.origin });
  const sig = decodeBase64Url(signature);
  if (sig && (await verifyEd25519(publicKey, messageBytes(text), sig))) return text;
  const legacy = LEGACY_SIGNATURE_VERSIONS[fields.action];
  if (sig && legacy !== undefined) {
    // An outdated app signs an older version of this action, without the fields added since. Such
    // a body is refused either way; saying so tells its developers to update instead of looking
    // for a forged key.
    const { userId: _u, contextDigest: _c, ...older } = fields;
    const oldMessage = canonicalBytes({ ...older, audience: ctx.options.origin }, legacy);
    if (await verifyEd25519(publicKey, oldMessage, sig)) {
      const current = SIGNATURE_VERSIONS[fields.action];
      throw new QrLoginError(
        'UNSUPPORTED_VERSION',
        `this app signs version ${legacy} of "${fields.action}"; update it to sign version ${current}`,
      );
    }
  }
  ctx.events.emit('signature-invalid', {
    ...(fields.sessionId ? { sessionId: fields.sessionId } : {}),
    deviceId: audit.deviceId,
    action: fields.action,
    ip: audit.ip,
    at: ctx.options.now(),
  });
  throw new QrLoginError('SIGNATURE_INVALID', `the ${fields.action} signature does not verify`);
}
