/**
 * `pnpm demo`: starts the demo host app on the in-memory store and prints where to open it.
 * Environment: `PORT` (default 3000), `HOST` (default 127.0.0.1), `ORIGIN` (default
 * `http://localhost:PORT`), `NUMBER_MATCHING=0` to turn the typed code off, `CSP=0` to drop the
 * Content-Security-Policy header.
 */
import { startDemo } from './server.js';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`qrlogin demo: PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}

const demo = await startDemo({
  port,
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
  ...(process.env.ORIGIN ? { origin: process.env.ORIGIN } : {}),
  numberMatching: process.env.NUMBER_MATCHING !== '0',
  csp: process.env.CSP !== '0',
});

// The audit trail, so a newcomer sees each step of the flow happen on the server.
for (const name of ['created', 'scanned', 'confirmed', 'rejected', 'redeemed', 'device-registered'] as const) {
  demo.qr.events.on(name, (event: object) => {
    const { sessionId, deviceId, userId } = event as { sessionId?: string; deviceId?: string; userId?: string };
    const details = [
      sessionId && `session ${sessionId.slice(0, 8)}…`,
      userId && `user ${userId}`,
      deviceId && `device ${deviceId}`,
    ];
    console.log(`  ${name.padEnd(17)} ${details.filter(Boolean).join(', ')}`);
  });
}
demo.qr.events.on('refused', ({ action, code }) => console.log(`  refused           ${action}: ${code}`));

console.log(`qrlogin demo: ${demo.url}  (phone simulator: /phone)`);

const stop = () => {
  demo.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
