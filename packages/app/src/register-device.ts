/**
 * Device registration: binds a device public key to the user the host already knows, once, while
 * the user is signed in to the host app.
 */
import {
  APP_ROUTES,
  DEVICE_LABEL_RULE,
  isDeviceId,
  isDeviceLabel,
  MAX_USER_ID_LENGTH,
  QrLoginError,
  type RegisterDeviceBody,
} from '@qrlogin/protocol';
import { type BeforeSign, createSigner } from './create-signer.js';
import type { DeviceKeys } from './device-keys.js';
import type { FetchLike } from './platform.js';
import { postJson } from './post-json.js';
import { resolveBaseUrl } from './resolve-base-url.js';

/** Longest device label the server accepts. */
export { MAX_LABEL_LENGTH } from '@qrlogin/protocol';

/** Options of {@link registerDevice}. */
export interface RegisterDeviceOptions {
  /** Where qrlogin is mounted on the host, e.g. `https://example.com/qrlogin`. */
  baseUrl: string;
  /** The key pair to register (from {@link generateDeviceKeys} or {@link loadOrCreateDeviceKeys}). */
  keys: DeviceKeys;
  /**
   * Name the user will recognise in a device list, e.g. "Ana's iPhone": 1–64 characters, no
   * control, bidi-control or line-separator characters (the server refuses them).
   */
  label: string;
  /**
   * The signed-in user's id, exactly as the server's `authenticate` hook returns it for the
   * `headers` below. It is signed into the registration (version 2 of the signed message), so a
   * captured request is worthless under any other account; a different id fails with
   * `SIGNATURE_INVALID`.
   */
  userId: string;
  /**
   * The host's own credentials for the signed-in user, e.g. `{ authorization: 'Bearer …' }`: the
   * server's `authenticate` hook reads them to decide whose device this is.
   * @default {}
   */
  headers?: Readonly<Record<string, string>>;
  /** @default `globalThis.fetch` */
  fetch?: FetchLike;
  /** Device clock in ms since the epoch, for the signed timestamp. @default Date.now */
  now?: () => number;
  /** Gate awaited before the proof-of-possession signature. @default undefined */
  beforeSign?: BeforeSign;
}

/**
 * Registers the device key with the server and returns its `deviceId` (store it next to the key;
 * it is not secret). The request carries the host's auth headers and a signature over the public
 * key and the user's id (action `register`) proving the phone holds the private key.
 *
 * Safe to retry: registering a key this user already registered returns the same `deviceId`, so a
 * lost response does not orphan the device.
 *
 * Errors (`QrLoginError` codes): `UNAUTHENTICATED` (the host did not recognise the headers),
 * `SIGNATURE_INVALID` (`userId` is not the one the host's hook returned), `DEVICE_EXISTS` (this key
 * is registered to another account), `DEVICE_REVOKED`, `KEY_INVALID`, `RATE_LIMITED`,
 * `NETWORK_ERROR`.
 *
 * @example
 * const { keys } = await loadOrCreateDeviceKeys(keyStore);
 * const { deviceId } = await registerDevice({
 *   baseUrl: 'https://example.com/qrlogin',
 *   keys,
 *   label: 'Ana’s iPhone',
 *   userId: currentUser.id,
 *   headers: { authorization: `Bearer ${sessionToken}` },
 * });
 */
export async function registerDevice(options: RegisterDeviceOptions): Promise<{ deviceId: string }> {
  const { origin, href } = resolveBaseUrl(options.baseUrl);
  // The server's own rule, checked here too so a bad label fails before the key is read or signs.
  if (!isDeviceLabel(options.label) || options.label.trim() === '') {
    throw new TypeError(`label must be ${DEVICE_LABEL_RULE}, not only spaces`);
  }
  if (typeof options.userId !== 'string' || options.userId.length === 0 || options.userId.length > MAX_USER_ID_LENGTH) {
    throw new TypeError(`userId must be the signed-in user's id, a string of 1–${MAX_USER_ID_LENGTH} characters`);
  }
  if (!options.keys || typeof options.keys.publicKey !== 'string') {
    throw new TypeError('keys must be device keys from generateDeviceKeys() or loadOrCreateDeviceKeys()');
  }
  for (const name of ['fetch', 'now', 'beforeSign'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      throw new TypeError(`${name} must be a function`);
  }
  if (options.headers !== undefined && (typeof options.headers !== 'object' || options.headers === null)) {
    throw new TypeError('headers must be an object of header names to values');
  }
  const sign = createSigner({ keys: options.keys }, options.beforeSign);
  const timestamp = Math.floor((options.now ?? Date.now)());
  const signature = await sign({
    action: 'register',
    audience: origin,
    publicKey: options.keys.publicKey,
    userId: options.userId,
    timestamp,
  });
  const body: RegisterDeviceBody = { publicKey: options.keys.publicKey, label: options.label, timestamp, signature };
  const answer = await postJson(href + APP_ROUTES.devices, body, { fetch: options.fetch, headers: options.headers });
  const deviceId = (answer as { deviceId?: unknown } | undefined)?.deviceId;
  if (!isDeviceId(deviceId)) {
    throw new QrLoginError('INTERNAL_ERROR', 'the server answered the registration without a valid deviceId');
  }
  return { deviceId };
}
