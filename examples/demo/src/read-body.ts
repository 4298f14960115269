/** Reads a small request body for the host's own JSON routes. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * Reads a request body as UTF-8 text, refusing more than `limitBytes` with a 413 as soon as the
 * limit is passed (the rest is not buffered).
 *
 * @example
 * const text = await readBody(req, 1024);
 */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body may be at most ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
