/**
 * Origins and URLs, parsed by hand: React Native's `URL` is partial, and a login QR must be judged
 * before any network call. Only what qrlogin needs is supported: `http` / `https`, a DNS name, an
 * IPv4 address or a bracketed IPv6 address, an optional port, a path. No userinfo, no IDN
 * (hosts must already be ASCII / punycode).
 */

/** A URL split into the parts qrlogin uses. */
export interface UrlParts {
  /** `https://example.com` or `http://localhost:3000` — lower case, default port dropped. */
  origin: string;
  /** The path, always starting with `/` (`/` when the URL has none). Query and fragment removed. */
  path: string;
  /** The query string without `?`, or `''`. */
  query: string;
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV6_BRACKETED = /^\[[0-9a-f:.]{2,45}\]$/;
const PORT = /^[0-9]{1,5}$/;
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

function isHost(host: string): boolean {
  if (IPV6_BRACKETED.test(host)) return host.includes(':');
  if (host.length === 0 || host.length > 253) return false;
  return host.split('.').every((label) => HOST_LABEL.test(label));
}

/**
 * Splits an absolute `http(s)` URL. Returns `null` for anything else: other schemes, userinfo
 * (`https://example.com@evil.com`), backslashes, whitespace, bad ports, non-ASCII.
 *
 * @example
 * parseUrl('HTTPS://Example.com:443/qrlogin/q/1/abc')
 * // { origin: 'https://example.com', path: '/qrlogin/q/1/abc', query: '' }
 */
export function parseUrl(text: string): UrlParts | null {
  if (typeof text !== 'string' || text.length > 2048) return null;
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/.exec(text);
  if (!match) return null;
  const scheme = (match[1] as string).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return null;
  const authority = (match[2] as string).toLowerCase();
  if (authority.includes('@')) return null;
  const close = authority.startsWith('[') ? authority.indexOf(']') + 1 : 0;
  const colon = authority.indexOf(':', close);
  const host = colon === -1 ? authority : authority.slice(0, colon);
  let port = colon === -1 ? '' : authority.slice(colon + 1);
  if (colon !== -1 && (!PORT.test(port) || Number(port) > 65535)) return null;
  if (!isHost(host)) return null;
  if ((scheme === 'https' && port === '443') || (scheme === 'http' && port === '80')) port = '';
  const path = (match[3] as string) || '/';
  if (!PATH.test(path)) return null;
  const query = match[4] ?? '';
  if (/[\s\\]/.test(query)) return null;
  return { origin: `${scheme}://${host}${port ? `:${Number(port)}` : ''}`, path, query };
}

/**
 * True when `value` is already a canonical origin: what {@link parseUrl} would produce for it, with
 * no path. Used to validate the audience of every signature and the server's `origin` option.
 *
 * @example
 * isCanonicalOrigin('https://example.com') // true
 * isCanonicalOrigin('https://example.com/') // false
 */
export function isCanonicalOrigin(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = parseUrl(value);
  return parts !== null && parts.origin === value && parts.path === '/' && !value.endsWith('/');
}
