import { QrLoginError } from '@qrlogin/protocol';

/**
 * Collects a byte stream as UTF-8 text, failing with `PAYLOAD_TOO_LARGE` as soon as it passes
 * `limit` bytes, so an oversized body is never buffered whole.
 */
export async function readLimited(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limit: number,
  declaredLength?: string | null,
): Promise<string> {
  if (declaredLength && Number(declaredLength) > limit) {
    throw tooLarge(limit);
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The error for a body over the limit. */
export function tooLarge(limit: number): QrLoginError {
  return new QrLoginError('PAYLOAD_TOO_LARGE', `the body may be at most ${limit} bytes`);
}
