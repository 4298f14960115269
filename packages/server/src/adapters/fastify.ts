/**
 * @module @qrlogin/server/fastify
 *
 * Fastify plugin: mounts qrlogin's routes and WebSocket on a Fastify instance.
 */
import type { FastifyInstance } from 'fastify';
import type { QrLogin } from '../create-qr-login.js';

/**
 * Returns a Fastify plugin serving qrlogin under its base path. Register it without
 * `fastify-plugin`: its content-type parsers stay inside its own encapsulation context (qrlogin
 * reads and size-limits the raw body itself), so your routes keep Fastify's JSON parsing.
 *
 * @example
 * import Fastify from 'fastify';
 * import { createQrLogin } from '@qrlogin/server';
 * import { qrLoginFastify } from '@qrlogin/server/fastify';
 *
 * const qr = createQrLogin({ origin: 'https://example.com' });
 * const app = Fastify();
 * await app.register(qrLoginFastify(qr));
 * await app.listen({ port: 3000 });
 */
export function qrLoginFastify(qr: QrLogin) {
  return async function qrLoginPlugin(fastify: FastifyInstance): Promise<void> {
    fastify.removeAllContentTypeParsers();
    // Leave the body unread: qrlogin applies its own size cap and strict JSON parsing.
    fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const handler = (
      request: { raw: Parameters<QrLogin['node']>[0] },
      reply: { hijack(): void; raw: Parameters<QrLogin['node']>[1] },
    ) => {
      reply.hijack();
      qr.node(request.raw, reply.raw);
    };
    fastify.all(qr.basePath || '/', handler);
    fastify.all(`${qr.basePath}/*`, handler);
    for (const path of qr.wellKnownPaths) fastify.all(path, handler);
    qr.attach(fastify.server);
  };
}
