/**
 * A runnable host with GeoIP places: qrlogin on node:http, the place of each requester from the
 * GeoIP database file you supply, and a log line per sign-in the way a "new sign-in near Berlin"
 * notification would read it.
 *
 *   GEOIP_DB=/var/lib/GeoIP/GeoLite2-City.mmdb TRUST_PROXY=1 pnpm --filter @qrlogin/example-geoip start
 */
import http from 'node:http';
import { createQrLogin } from '@qrlogin/server';
import { openGeoIp } from './geoip-describe-requester.js';

const databasePath = process.env.GEOIP_DB;
if (!databasePath) {
  console.error('Set GEOIP_DB to a MaxMind-format city database, e.g. GEOIP_DB=/var/lib/GeoIP/GeoLite2-City.mmdb');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const origin = process.env.ORIGIN ?? `http://localhost:${port}`;

const qr = createQrLogin({
  origin,
  // Re-read after a `geoipupdate` replaces the file, without a restart.
  describeRequester: await openGeoIp(databasePath, { watch: true }),
  proximity: 'warn',
  // Behind a reverse proxy the socket peer is the proxy; trust exactly as many hops as you run.
  trustProxy: process.env.TRUST_PROXY ? Number(process.env.TRUST_PROXY) : false,
  onLogin: ({ userId, requester }) => {
    const where = requester.place ? ` near ${requester.place}` : '';
    console.log(`new sign-in for ${userId} on ${requester.browser || 'a browser'} / ${requester.os || '?'}${where}`);
  },
});
qr.events.on('scanned', ({ sessionId, distance, sameNetwork }) =>
  console.log(`session ${sessionId.slice(0, 6)}… scanned: distance ${distance}, same network ${sameNetwork}`),
);

const server = http.createServer((req, res) => qr.node(req, res));
qr.attach(server);
server.listen(port, () => console.log(`qrlogin with GeoIP places on ${origin}/qrlogin`));
