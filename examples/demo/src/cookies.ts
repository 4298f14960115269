/**
 * The two cookie helpers the demo host needs: read the `Cookie` header, write one `Set-Cookie`.
 * A real host would use its framework's; the demo stays on bare node:http so the wiring is visible.
 */

/** Attributes of a cookie the demo sets. */
export interface CookieOptions {
  /** Seconds until the browser forgets it; `0` deletes it now. */
  maxAgeSeconds: number;
  /** `Lax` for the host's login session (followed top-level links keep it), `Strict` for the app token. */
  sameSite: 'Lax' | 'Strict';
  /** Only over HTTPS; on for an `https:` origin. */
  secure: boolean;
}

/**
 * Reads a `Cookie` header into a map; malformed pairs are skipped, the first of two equal names wins.
 *
 * @example
 * parseCookies('a=1; b=2').get('b') // '2'
 */
export function parseCookies(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    if (!cookies.has(name)) cookies.set(name, pair.slice(at + 1).trim());
  }
  return cookies;
}

/**
 * Writes a `Set-Cookie` value. Always `HttpOnly` and `Path=/`: page script never needs to read
 * the demo's session cookies, so an injected script cannot steal them either.
 *
 * @example
 * serializeCookie('demo_session', id, { maxAgeSeconds: 86400, sameSite: 'Lax', secure: false })
 * // 'demo_session=…; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax'
 */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name) || !/^[A-Za-z0-9_-]*$/.test(value)) {
    throw new TypeError('cookie names and values must be base64url text');
  }
  const parts = [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    `SameSite=${options.sameSite}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
