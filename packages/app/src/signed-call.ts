/**
 * The one way the app makes a signed call that is not part of a login request (ledger and device
 * management): borrow the key for this call alone, sign the action with the device and the time,
 * post the body, let the key go.
 */
import type { SignedFields } from '@qrlogin/protocol';
import { borrowDeviceKeys, type KeySource } from './borrow-device-keys.js';
import { type BeforeSign, createSigner } from './create-signer.js';
import type { FetchLike } from './platform.js';
import { postJson } from './post-json.js';

/** What a signed call needs from the app client. */
export interface SignedCallContext {
  href: string;
  audience: string;
  deviceId: string;
  source: KeySource;
  beforeSign: BeforeSign | undefined;
  fetch: FetchLike | undefined;
  now: () => number;
}

/** The fields a call signs besides the audience, the device and the time. */
export type CallFields = Pick<SignedFields, 'action' | 'ref' | 'text'>;

/**
 * Signs `fields` as this device, now, and posts `{ deviceId, ...extra, timestamp, signature }` to
 * `path`; returns the parsed answer (errors as `QrLoginError`, like every app call).
 *
 * @example
 * const answer = await signedCall(context, LOGIN_ROUTES.listLogins, { action: 'list-logins' });
 */
export async function signedCall(
  context: SignedCallContext,
  path: string,
  fields: CallFields,
  extra: Record<string, unknown> = {},
): Promise<unknown> {
  const { audience, deviceId, now } = context;
  const borrowed = await borrowDeviceKeys(context.source);
  try {
    const timestamp = Math.floor(now());
    const signature = await createSigner(borrowed, context.beforeSign)({ ...fields, audience, deviceId, timestamp });
    return await postJson(context.href + path, { deviceId, ...extra, timestamp, signature }, { fetch: context.fetch });
  } finally {
    borrowed.release();
  }
}
