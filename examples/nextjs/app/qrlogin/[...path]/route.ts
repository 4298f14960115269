/**
 * qrlogin's HTTP API (`POST /qrlogin/sessions`, the long-poll, scan, confirm, device registration …)
 * as one catch-all route handler: `qr.fetch` takes the Web `Request` and answers its own 404s.
 * The WebSocket is no route handler's business; `server.ts` attaches it to the HTTP server.
 */
import { clientAddress } from '../../../lib/client-address';
import { host } from '../../../lib/qr-login';

// Every answer is per request (sessions, long-poll): never prerendered or cached.
export const dynamic = 'force-dynamic';
// qrlogin's server verifies Ed25519 with node:crypto, so the Edge runtime will not do.
export const runtime = 'nodejs';

const handler = (request: Request) => host().qr.fetch(request, { remoteAddress: clientAddress(request) });

export { handler as DELETE, handler as GET, handler as POST };
