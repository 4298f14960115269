/**
 * The phone side of "log in on this device too": a signed-out app scans the QR a signed-in browser
 * shows, claims it with its key (signed `link`), shows the code the server issued, and waits while
 * the user types that code on the page; the key is then a registered device of the page's user.
 */
import {
  APP_ROUTES,
  isDeviceId,
  type LinkClaimBody,
  type LinkClaimResponse,
  parseQrPayload,
  QrLoginError,
  type RequesterContext,
} from '@qrlogin/protocol';
import { type BeforeSign, createSigner } from './create-signer.js';
import type { DeviceKeys } from './device-keys.js';
import { type KeyStore, loadOrCreateDeviceKeys } from './key-store.js';
import type { FetchLike } from './platform.js';
import { postJson } from './post-json.js';
import { resolveBaseUrl } from './resolve-base-url.js';

/** What the phone shows while the user types its code on the page. */
export interface LinkCodeDisplay {
  /** The two digits to show, large: the user types them on the signed-in page. */
  code: string;
  /** The site being linked to, e.g. `https://example.com`. */
  origin: string;
  /** The browser that asked (browser, OS, IP, place): "Linking to Chrome on Windows, Berlin". */
  requester: RequesterContext;
  /** When the link expires, on the phone's clock. */
  localExpiresAt: number;
}

/** Options of {@link linkDevice}. Give exactly one of `keys` and `keyStore`. */
export interface LinkDeviceOptions {
  /** Where qrlogin is mounted on the host; only link codes of this origin and path are accepted. */
  baseUrl: string;
  /** The scanned text: a link code (`…/link/1/<id>`); a login code is `INVALID_QR`. */
  qrText: string;
  /** The key pair to register. */
  keys?: DeviceKeys;
  /** Where the key lives: its key is used, or one is made and stored there first. */
  keyStore?: KeyStore;
  /** The name shown on the page and in the device list, e.g. "Ana's Pixel" (1–64 characters). */
  label: string;
  /** Called once with the code to show. */
  onCode?: (display: LinkCodeDisplay) => void;
  /** Pause between the signed claims that ask for the outcome. @default 1000 */
  pollIntervalMs?: number;
  /** Stops waiting (the user left the screen): rejects with the signal's reason. */
  signal?: { readonly aborted: boolean; readonly reason?: unknown };
  /** @default `globalThis.fetch` */
  fetch?: FetchLike;
  /** Device clock in ms since the epoch. @default Date.now */
  now?: () => number;
  /** Gate awaited before each signature (action `link`). @default undefined */
  beforeSign?: BeforeSign;
}

/** What {@link linkDevice} resolves with once the page confirmed. */
export interface LinkedDevice {
  /** Store it beside the key: {@link createQrLoginApp} takes it. */
  deviceId: string;
  /** The page's user, now this device's user. */
  userId: string;
  /** The code that was shown. */
  code: string;
}

// Every runtime this package supports has a global setTimeout; its lib types (no DOM) do not say so.
const sleep = (ms: number) =>
  new Promise((resolve) =>
    (globalThis as unknown as { setTimeout(callback: () => void, ms: number): unknown }).setTimeout(
      () => resolve(0),
      ms,
    ),
  );

function outcomeError(answer: LinkClaimResponse): QrLoginError {
  if (answer.state === 'expired')
    return new QrLoginError('SESSION_EXPIRED', 'the link expired before the page confirmed it');
  if (answer.reason === 'code-mismatch') {
    return new QrLoginError('CODE_MISMATCH', 'the code typed on the page did not match this phone');
  }
  if (answer.reason === 'device-exists') {
    return new QrLoginError('DEVICE_EXISTS', 'this phone’s key is registered to another account; link with a new key');
  }
  if (answer.reason === 'device-revoked') {
    return new QrLoginError('DEVICE_REVOKED', 'this phone’s key was revoked; link with a new key');
  }
  return new QrLoginError('INVALID_STATE', `the page did not link this phone (the link is ${answer.state})`);
}

/**
 * Links this phone to the user signed in on the page that shows the QR: claims the link, calls
 * `onCode` with the code to show, then asks again every `pollIntervalMs` (each time signed anew)
 * until the page confirms, refuses, or the link expires. Resolves with the new `deviceId` and its
 * `userId`; keep both with the key (an account book does: {@link createAccountBook}).
 *
 * Errors (`QrLoginError` codes): `INVALID_QR` / `FOREIGN_QR` (before any network call),
 * `SESSION_NOT_FOUND`, `SESSION_EXPIRED`, `ALREADY_SCANNED` (another phone claimed it),
 * `CODE_MISMATCH` (a wrong code was typed: nothing was registered), `DEVICE_EXISTS` /
 * `DEVICE_REVOKED` (this key belongs to another account, or was revoked: link with a new key, e.g.
 * a new account in an account book), `INVALID_STATE` (the page refused or cancelled),
 * `RATE_LIMITED`, `NETWORK_ERROR`.
 *
 * @example
 * const { deviceId, userId } = await linkDevice({
 *   baseUrl: 'https://example.com/qrlogin',
 *   qrText: scannedText,
 *   keyStore,
 *   label: 'Ana’s Pixel',
 *   onCode: ({ code }) => setShownCode(code),
 * });
 */
export async function linkDevice(options: LinkDeviceOptions): Promise<LinkedDevice> {
  const { origin, basePath, href } = resolveBaseUrl(options.baseUrl);
  const { label, fetch, signal } = options;
  const now = options.now ?? Date.now;
  if ((options.keys === undefined) === (options.keyStore === undefined)) {
    throw new TypeError('give exactly one of keys and keyStore');
  }
  const payload = parseQrPayload(options.qrText);
  if (payload.origin !== origin || payload.basePath !== basePath) {
    throw new QrLoginError('FOREIGN_QR', `this code belongs to ${payload.origin}${payload.basePath}, not ${href}`);
  }
  if (payload.kind !== 'link')
    throw new QrLoginError('INVALID_QR', 'this is a sign-in code, not a code to link a phone');
  const keys = options.keys ?? (await loadOrCreateDeviceKeys(options.keyStore as KeyStore)).keys;
  const sign = createSigner({ keys }, options.beforeSign);
  const { sessionId } = payload;
  const claim = async (): Promise<LinkClaimResponse> => {
    const timestamp = Math.floor(now());
    const signature = await sign({
      action: 'link',
      audience: origin,
      sessionId,
      publicKey: keys.publicKey,
      text: label,
      timestamp,
    });
    const body: LinkClaimBody = { publicKey: keys.publicKey, label, timestamp, signature };
    return (await postJson(href + APP_ROUTES.linkClaim(sessionId), body, { fetch })) as LinkClaimResponse;
  };
  let answer = await claim();
  const code = answer.code;
  if (answer.state !== 'scanned' || typeof code !== 'string') throw outcomeError(answer);
  const localExpiresAt = now() + (answer.expiresAt - answer.serverTime);
  options.onCode?.({ code, origin, requester: answer.requester, localExpiresAt });
  while (answer.state === 'scanned' || answer.state === 'confirmed') {
    await sleep(options.pollIntervalMs ?? 1000);
    if (signal?.aborted) throw signal.reason;
    if (now() > localExpiresAt)
      throw new QrLoginError('SESSION_EXPIRED', 'the link expired before the page confirmed it');
    answer = await claim();
  }
  if (answer.state === 'redeemed' && isDeviceId(answer.deviceId) && typeof answer.userId === 'string') {
    return { deviceId: answer.deviceId, userId: answer.userId, code };
  }
  throw outcomeError(answer);
}
