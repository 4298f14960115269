/**
 * The phone side of a QR login: read a code, fetch the login request it stands for, and sign the
 * user's answer.
 */
import {
  APP_ROUTES,
  isDeviceId,
  isSessionId,
  parseQrPayload,
  QrLoginError,
  type QrPayload,
  type RevokeDeviceBody,
  type ScanBody,
} from '@qrlogin/protocol';
import { borrowDeviceKeys, type KeySource } from './borrow-device-keys.js';
import { type BeforeSign, createSigner } from './create-signer.js';
import type { DeviceKeys } from './device-keys.js';
import { findSession } from './find-session.js';
import type { KeyStore } from './key-store.js';
import { createLedgerCalls, type LedgerCalls } from './ledger-calls.js';
import { createLoginRequest, type LoginRequest, type LoginRequestData } from './login-request.js';
import { type DeviceManagement, manageDevices } from './manage-devices.js';
import type { FetchLike } from './platform.js';
import { postJson } from './post-json.js';
import { resolveBaseUrl } from './resolve-base-url.js';

/** Options of {@link createQrLoginApp}. Give exactly one of `keys` and `keyStore`. */
export interface QrLoginAppOptions {
  /**
   * Where qrlogin is mounted on the host, e.g. `https://example.com/qrlogin`. Its origin is the
   * audience of every signature, and only QR codes for this exact origin and path are accepted.
   */
  baseUrl: string;
  /** The id {@link registerDevice} returned for this device. */
  deviceId: string;
  /** The device key pair, held in memory. */
  keys?: DeviceKeys;
  /**
   * Where the device seed is stored. Read once per login request (at scan, with no prompt: see
   * {@link KeyStore.getSeed}); the key derived from it signs the scan and the decision and is wiped
   * once the request is answered or expires. Preferred over `keys` in apps.
   */
  keyStore?: KeyStore;
  /** @default `globalThis.fetch`, looked up at call time */
  fetch?: FetchLike;
  /** Device clock in ms since the epoch, for signed timestamps. @default Date.now */
  now?: () => number;
  /** Gate (biometric / passcode) awaited before every signature. @default undefined */
  beforeSign?: BeforeSign;
}

/** The app-side client returned by {@link createQrLoginApp}, with the ledger calls of {@link LedgerCalls}. */
export interface QrLoginApp extends DeviceManagement, LedgerCalls {
  /** The server's origin, e.g. `https://example.com`. */
  readonly origin: string;
  /** `origin + basePath`, e.g. `https://example.com/qrlogin`. */
  readonly baseUrl: string;
  readonly deviceId: string;
  /**
   * Reads a scanned QR text without any network call. Throws `INVALID_QR` for anything that is not
   * a qrlogin code of a known version, and `FOREIGN_QR` for a code of another site (or of another
   * mount path on this one) — show that as "this code is not for <app>", never offer to continue.
   */
  parse(qrText: string): QrPayload;
  /**
   * Scans a code: checks it like {@link QrLoginApp.parse}, then sends the signed scan, which locks
   * the session to this device, and returns the {@link LoginRequest} for the confirm screen.
   * Errors: `INVALID_QR`, `FOREIGN_QR` (both before any network call), `SESSION_NOT_FOUND`,
   * `SESSION_EXPIRED`, `ALREADY_SCANNED` (another device got there first), `DEVICE_REVOKED`,
   * `DEVICE_NOT_FOUND`, `PROXIMITY_DENIED`, `TIMESTAMP_SKEW`, `RATE_LIMITED`, `NETWORK_ERROR`.
   */
  scan(qrText: string): Promise<LoginRequest>;
  /**
   * "Can't scan?": finds the session of a short code the user typed (as the page shows it, e.g.
   * `K7M2-Q9RT`; case, spaces and dashes do not matter), then scans it like {@link QrLoginApp.scan}
   * and returns the same {@link LoginRequest}. Such a request always has `codeRequired: true`:
   * the user types the number the real page shows. Errors: `INVALID_REQUEST` (not a code; no
   * network call), `SHORT_CODE_NOT_FOUND` (mistyped, expired or used), `RATE_LIMITED`, and those
   * of {@link QrLoginApp.scan}.
   */
  findByCode(input: string): Promise<LoginRequest>;
  /**
   * Turns {@link LoginRequestData} (`request.toJSON()`, e.g. from navigation params) back into a
   * working request. While the scanned request is still open in this app it is that same request
   * (its key is not derived again); otherwise the key is read and derived anew. Throws
   * `INVALID_REQUEST` for data that is not a login request of this app's server.
   */
  restore(data: LoginRequestData): Promise<LoginRequest>;
  /**
   * Revokes this device on the server (signed by its own key); it can do nothing afterwards. With
   * a `keyStore`, the seed is then deleted from it too, since the key is useless from now on.
   */
  revoke(): Promise<void>;
}

/**
 * Creates the phone-side client.
 *
 * @example
 * import * as SecureStore from 'expo-secure-store';
 * const app = createQrLoginApp({
 *   baseUrl: 'https://example.com/qrlogin',
 *   deviceId,
 *   keyStore: expoSecureStoreKeyStore(SecureStore),
 * });
 * const request = await app.scan(scannedText);
 * // … show request.requester, request.proximity, then:
 * await request.confirm();
 */
export function createQrLoginApp(options: QrLoginAppOptions): QrLoginApp {
  const { origin, basePath, href } = resolveBaseUrl(options.baseUrl);
  const { deviceId, keys, keyStore, fetch, beforeSign } = options;
  if (!isDeviceId(deviceId)) throw new TypeError('deviceId must be the id registerDevice() returned');
  if ((keys === undefined) === (keyStore === undefined)) throw new TypeError('give exactly one of keys and keyStore');
  if (keys !== undefined && typeof keys.publicKey !== 'string') throw new TypeError('keys must be device keys');
  if (keyStore !== undefined && typeof keyStore.getSeed !== 'function')
    throw new TypeError('keyStore must be a KeyStore');
  if (fetch !== undefined && typeof fetch !== 'function') throw new TypeError('fetch must be a function');
  if (beforeSign !== undefined && typeof beforeSign !== 'function')
    throw new TypeError('beforeSign must be a function');
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError('now must be a function returning ms since the epoch');
  const source: KeySource = keys ? { keys } : { keyStore: keyStore as KeyStore };
  // Open requests by session, so a restored request is the live one and shares its key.
  const open = new Map<string, LoginRequest>();

  const openRequest = async (
    sessionId: string,
    prove: (sign: ReturnType<typeof createSigner>) => Promise<unknown>,
    restoredExpiresAt?: number,
  ): Promise<LoginRequest> => {
    // One derivation per login request: the scan and the decision share this key pair.
    const borrowed = await borrowDeviceKeys(source);
    try {
      const sign = createSigner(borrowed, beforeSign);
      const answer = await prove(sign);
      const release = () => {
        open.delete(sessionId);
        borrowed.release();
      };
      const context = { href, audience: origin, deviceId, sign, fetch, now, release };
      const request = createLoginRequest(answer, sessionId, context, restoredExpiresAt);
      open.get(sessionId)?.dispose();
      open.set(sessionId, request);
      return request;
    } catch (error) {
      borrowed.release();
      throw error;
    }
  };

  const parse = (qrText: string): QrPayload => {
    const payload = parseQrPayload(qrText);
    if (payload.origin !== origin || payload.basePath !== basePath) {
      // Naming the other site helps the user see why; it is public (it was printed in the QR).
      throw new QrLoginError('FOREIGN_QR', `this code belongs to ${payload.origin}${payload.basePath}, not ${href}`);
    }
    return payload;
  };

  const scanById = (sessionId: string): Promise<LoginRequest> =>
    openRequest(sessionId, async (sign) => {
      const timestamp = Math.floor(now());
      const signature = await sign({ action: 'scan', audience: origin, sessionId, deviceId, timestamp });
      const body: ScanBody = { deviceId, timestamp, signature };
      return postJson(href + APP_ROUTES.scan(sessionId), body, { fetch });
    });

  const app = {
    ...createLedgerCalls({ href, audience: origin, deviceId, source, beforeSign, fetch, now }),
    origin,
    baseUrl: href,
    deviceId,
    parse,
    async scan(qrText: string): Promise<LoginRequest> {
      const { sessionId, kind } = parse(qrText);
      if (kind === 'link') throw new QrLoginError('INVALID_QR', 'this code links a new phone: use linkDevice()');
      return scanById(sessionId);
    },
    async findByCode(input: string): Promise<LoginRequest> {
      // The key is read only for input that is a code, and let go before the scan borrows it again.
      const sign = async (fields: Parameters<ReturnType<typeof createSigner>>[0]) => {
        const borrowed = await borrowDeviceKeys(source);
        try {
          return await createSigner(borrowed, beforeSign)(fields);
        } finally {
          borrowed.release();
        }
      };
      return scanById(await findSession({ href, audience: origin, deviceId, sign, fetch, now }, input));
    },
    async restore(data: LoginRequestData): Promise<LoginRequest> {
      const sessionId = (data as Partial<LoginRequestData> | null)?.sessionId;
      const localExpiresAt = (data as Partial<LoginRequestData> | null)?.localExpiresAt;
      if (!isSessionId(sessionId) || typeof localExpiresAt !== 'number' || !Number.isFinite(localExpiresAt)) {
        throw new QrLoginError('INVALID_REQUEST', 'restore() takes what request.toJSON() returned');
      }
      const live = open.get(sessionId);
      if (live) return live;
      return openRequest(sessionId, async () => data, localExpiresAt).catch((error: unknown) => {
        if (!(error instanceof QrLoginError) || error.code !== 'INTERNAL_ERROR') throw error;
        throw new QrLoginError('INVALID_REQUEST', `restore() takes what request.toJSON() returned (${error.message})`);
      });
    },
    async revoke(): Promise<void> {
      const borrowed = await borrowDeviceKeys(source);
      try {
        const timestamp = Math.floor(now());
        const signature = await createSigner(
          borrowed,
          beforeSign,
        )({ action: 'revoke', audience: origin, deviceId, timestamp });
        const body: RevokeDeviceBody = { timestamp, signature };
        await postJson(href + APP_ROUTES.revokeDevice(deviceId), body, { fetch });
      } finally {
        borrowed.release();
      }
      if (keyStore) await keyStore.deleteSeed();
    },
  };
  return Object.freeze({
    ...app,
    ...manageDevices({ href, audience: origin, deviceId, source, beforeSign, fetch, now, revokeSelf: app.revoke }),
  });
}
