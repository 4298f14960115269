/**
 * The demo's `describeRequester` hook. A real host looks the IP up in a GeoIP database and answers
 * e.g. `{ place: 'Berlin, DE' }`; the demo runs on one machine, so it can only tell loopback and
 * private addresses apart, which is still enough to show the field on the confirm screen.
 */
import type { RequesterDescription } from '@qrlogin/server';

const PRIVATE_V4 = /^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)/;

/**
 * Names the place of a requester IP without any database.
 *
 * @example
 * describeDemoRequester('127.0.0.1') // { place: 'This computer' }
 * describeDemoRequester('8.8.8.8')   // {}
 */
export function describeDemoRequester(ip: string): RequesterDescription {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (v4.startsWith('127.') || ip === '::1') return { place: 'This computer' };
  if (PRIVATE_V4.test(v4) || /^f[cd]/i.test(ip)) return { place: 'Local network' };
  return {};
}
