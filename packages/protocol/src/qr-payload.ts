/**
 * The QR payload: a URL on the host's own origin, so a phone camera without the app lands on a
 * page that can say "open this in the app". Versioned from day one:
 *
 *     <origin><basePath>/q/<version>/<sessionId>       a login (the browser waits to be signed in)
 *     <origin><basePath>/link/<version>/<sessionId>    a link (a signed-in browser adds this phone)
 *     https://example.com/qrlogin/q/1/V1StGXR8_Z5jdHi6B-myT0
 *
 * The kind is in the path, not a query, so a phone camera without the app still lands on a page
 * of the host, and an app that predates links refuses a link code as `INVALID_QR` instead of
 * scanning it as a login.
 *
 * The payload carries only the public session id; it is useless without the browser's secret.
 */
import { QrLoginError } from './errors.js';
import { isSessionId } from './ids.js';
import { parseUrl } from './origin.js';

/** QR payload format version written by this library. */
export const QR_PAYLOAD_VERSION = 1;

/**
 * What a QR code asks of the app: `login` (sign the browser in, the default) or `link` (register
 * this phone to the signed-in browser's user; see docs/protocol.md, "Linking a new phone").
 */
export type QrKind = 'login' | 'link';

/** The path segment of each kind. */
const SEGMENT: Readonly<Record<QrKind, string>> = { login: 'q', link: 'link' };

/** The parts of a QR payload. */
export interface QrPayload {
  /** What the code asks for: a login, or linking a new phone. */
  kind: QrKind;
  /** Origin of the site that shows the QR, e.g. `https://example.com`. */
  origin: string;
  /** Where qrlogin is mounted on that origin, e.g. `/qrlogin` (no trailing slash; `''` at the root). */
  basePath: string;
  /** Payload format version. */
  version: number;
  /** The public session id. */
  sessionId: string;
}

/**
 * Writes a QR payload.
 *
 * @example
 * formatQrPayload({ origin: 'https://example.com', basePath: '/qrlogin', sessionId })
 * // 'https://example.com/qrlogin/q/1/<sessionId>'
 * formatQrPayload({ origin: 'https://example.com', basePath: '/qrlogin', sessionId, kind: 'link' })
 * // 'https://example.com/qrlogin/link/1/<sessionId>'
 */
export function formatQrPayload(input: { origin: string; basePath: string; sessionId: string; kind?: QrKind }): string {
  return `${input.origin}${input.basePath}/${SEGMENT[input.kind ?? 'login']}/${QR_PAYLOAD_VERSION}/${input.sessionId}`;
}

/**
 * Reads a QR payload. Throws `QrLoginError('INVALID_QR')` for text that is not a qrlogin payload of
 * a version this library knows. It does not judge the origin: callers compare `origin` with their
 * allowlist (the app package refuses foreign codes with `FOREIGN_QR`).
 *
 * @example
 * const { kind, origin, sessionId } = parseQrPayload(scannedText);
 * if (kind === 'link') await linkDevice({ baseUrl, qrText: scannedText, keyStore, label });
 */
export function parseQrPayload(text: string): QrPayload {
  const url = typeof text === 'string' ? parseUrl(text.trim()) : null;
  if (!url) throw new QrLoginError('INVALID_QR', 'the QR code is not an http(s) URL');
  if (url.query !== '') throw new QrLoginError('INVALID_QR', 'a qrlogin QR code has no query string');
  const match = /^((?:\/[A-Za-z0-9\-._~]+)*)\/(q|link)\/([0-9]{1,3})\/([^/]+)$/.exec(url.path);
  if (!match) throw new QrLoginError('INVALID_QR', 'the QR code is not a qrlogin link');
  const version = Number(match[3]);
  if (version !== QR_PAYLOAD_VERSION) {
    throw new QrLoginError(
      'INVALID_QR',
      `QR payload version ${version} is not supported (expected ${QR_PAYLOAD_VERSION})`,
    );
  }
  const sessionId = match[4] as string;
  if (!isSessionId(sessionId)) throw new QrLoginError('INVALID_QR', 'the QR code does not hold a valid session id');
  const kind: QrKind = match[2] === 'link' ? 'link' : 'login';
  return { kind, origin: url.origin, basePath: match[1] as string, version, sessionId };
}
