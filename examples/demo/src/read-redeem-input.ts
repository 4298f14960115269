/** The body of the host's redeem route, as `<qr-login redeem-url>` posts it. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';
import { readBody } from './read-body.js';

// `{ sessionId, browserSecret }` is ~120 bytes; anything near this is not from the widget.
const MAX_BODY_BYTES = 1024;

/**
 * Reads `{ sessionId, browserSecret }` from a redeem request, refusing anything else with a 4xx
 * before qrlogin is asked: 415 for a body that is not `application/json` (which also keeps plain
 * cross-site form posts out), 413 for an oversized one, 400 for bad JSON or missing fields.
 * The values themselves are checked by `qr.redeem()`.
 *
 * @example
 * const { sessionId, browserSecret } = await readRedeemInput(req);
 * const login = await qr.redeem({ sessionId, browserSecret });
 */
export async function readRedeemInput(req: IncomingMessage): Promise<{ sessionId: string; browserSecret: string }> {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send { sessionId, browserSecret } as application/json');
  }
  let input: unknown;
  try {
    input = JSON.parse(await readBody(req, MAX_BODY_BYTES));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'INVALID_REQUEST', 'the body is not JSON');
  }
  const { sessionId, browserSecret } = (input ?? {}) as Record<string, unknown>;
  if (typeof sessionId !== 'string' || typeof browserSecret !== 'string') {
    throw new HttpError(400, 'INVALID_REQUEST', 'expected { sessionId, browserSecret } strings');
  }
  return { sessionId, browserSecret };
}
