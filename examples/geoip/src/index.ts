/**
 * @module @qrlogin/example-geoip
 *
 * A `describeRequester` hook for qrlogin backed by a MaxMind-format GeoIP database file that the
 * host supplies (GeoLite2-City is free with an account; any database with the same record shape
 * works). It adds a place such as `Berlin, DE` to the requester context shown on the confirm
 * screen, and lets the proximity policy compare the phone's place with the browser's.
 *
 * @example
 * import { createQrLogin } from '@qrlogin/server';
 * import { openGeoIp } from '@qrlogin/example-geoip';
 *
 * const qr = createQrLogin({
 *   origin: 'https://example.com',
 *   describeRequester: await openGeoIp('/var/lib/GeoIP/GeoLite2-City.mmdb'),
 *   proximity: 'warn',
 * });
 */
export {
  type DescribeRequester,
  type GeoIpOptions,
  geoipDescribeRequester,
  openGeoIp,
  placeOf,
} from './geoip-describe-requester.js';
