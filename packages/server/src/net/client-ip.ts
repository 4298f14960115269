import { isIP } from 'node:net';
import { normalizeIp } from './ip-group.js';

/**
 * How many reverse proxies in front of the server to trust. `false` (the default) ignores
 * `X-Forwarded-For` entirely, since any client can send one. With `n`, the client address is the
 * `n`-th entry from the right of `X-Forwarded-For` (each trusted proxy appends the address it saw).
 */
export type TrustProxy = false | number;

/**
 * The client's IP address for a request: the socket's peer address unless proxies are trusted.
 *
 * @example
 * clientIp('10.0.0.2', '198.51.100.7, 10.0.0.1', 1) // '10.0.0.1' … one trusted hop
 */
export function clientIp(
  remoteAddress: string | undefined,
  forwardedFor: string | null | undefined,
  trust: TrustProxy,
): string {
  const peer = normalizeIp(remoteAddress ?? '');
  if (trust === false || trust < 1 || !forwardedFor) return peer || 'unknown';
  const hops = forwardedFor
    .split(',')
    .map((s) => normalizeIp(s))
    .filter(Boolean);
  // The peer itself is the last trusted proxy; the client is `trust` entries back from the right.
  const candidate = hops[hops.length - trust];
  return candidate && isIP(candidate) ? candidate : peer || 'unknown';
}
