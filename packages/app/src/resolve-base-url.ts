/**
 * The app's `baseUrl` — where qrlogin is mounted on the host, e.g. `https://example.com/qrlogin` —
 * split once into the origin (the audience of every signature) and the base path (what a QR code's
 * path must start with). Parsed by hand: React Native's `URL` is incomplete.
 */
import { parseUrl } from '@qrlogin/protocol';

/** A validated base URL. */
export interface ResolvedBaseUrl {
  /** Canonical origin, e.g. `https://example.com`: the audience of every signature. */
  origin: string;
  /** Mount path without trailing slash, e.g. `/qrlogin`; `''` when mounted at the root. */
  basePath: string;
  /** `origin + basePath`. */
  href: string;
}

// The same segment grammar the QR payload parser accepts, so a valid base path can match a QR.
const BASE_PATH = /^(?:\/[A-Za-z0-9\-._~]+)*$/;

/**
 * Validates and splits a base URL, throwing a `TypeError` that names the option for anything that
 * is not an `http(s)` URL with a plain path (no query, no fragment, no credentials).
 *
 * @example
 * resolveBaseUrl('https://Example.com:443/qrlogin/')
 * // { origin: 'https://example.com', basePath: '/qrlogin', href: 'https://example.com/qrlogin' }
 */
export function resolveBaseUrl(baseUrl: unknown, optionName = 'baseUrl'): ResolvedBaseUrl {
  const expected = `${optionName} must be an http(s) URL like https://example.com/qrlogin`;
  if (typeof baseUrl !== 'string' || baseUrl.includes('#')) throw new TypeError(expected);
  const parts = parseUrl(baseUrl);
  if (parts?.query !== '' || baseUrl.includes('?')) throw new TypeError(expected);
  const basePath = parts.path.replace(/\/+$/, '');
  if (!BASE_PATH.test(basePath)) throw new TypeError(`${optionName} has a path qrlogin cannot be mounted at`);
  return { origin: parts.origin, basePath, href: parts.origin + basePath };
}
