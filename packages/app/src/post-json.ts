/**
 * The one HTTP call shape of the app package: a JSON `POST` whose failures all come back as
 * `QrLoginError`s with the server's own code, so callers switch on `err.code` and nothing else.
 */
import { errorFromBody, QrLoginError } from '@qrlogin/protocol';
import { type FetchLike, platformGlobals } from './platform.js';

/** Options of {@link postJson}. */
export interface PostJsonOptions {
  /** @default `globalThis.fetch`, looked up at call time */
  fetch?: FetchLike | undefined;
  /** Extra headers, e.g. the host's own `Authorization` for device registration. @default {} */
  headers?: Readonly<Record<string, string>> | undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The caller's headers plus the JSON ones. A caller's own `Content-Type` / `Accept` (in any letter
 * case) is dropped: fetch would merge the two spellings into one invalid value, and these two
 * describe this body, not the host's auth.
 */
function requestHeaders(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(extra)) {
    const lower = name.toLowerCase();
    if (lower !== 'content-type' && lower !== 'accept') headers[name] = extra[name] as string;
  }
  headers['content-type'] = 'application/json';
  headers['accept'] = 'application/json';
  return headers;
}

/**
 * Sends `body` as JSON and returns the parsed answer (`undefined` for an empty one, e.g. 204).
 * Throws:
 * - the server's error as a `QrLoginError` with its code (`SESSION_EXPIRED`, `ALREADY_SCANNED`, …),
 *   carrying `retryAfterSeconds` from `Retry-After` when rate-limited;
 * - `NETWORK_ERROR` when the request never got an answer (offline, DNS, TLS, refused);
 * - `INTERNAL_ERROR` for a successful status whose body is not JSON.
 *
 * @example
 * const request = await postJson(`${baseUrl}/sessions/${sessionId}/scan`, body, { fetch });
 */
export async function postJson(url: string, body: unknown, options: PostJsonOptions = {}): Promise<unknown> {
  const fetchImpl = options.fetch ?? platformGlobals().fetch;
  if (typeof fetchImpl !== 'function') {
    throw new TypeError('fetch is not available: pass the fetch option');
  }
  let response: Awaited<ReturnType<FetchLike>>;
  let text: string;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: requestHeaders(options.headers),
      body: JSON.stringify(body),
    });
    text = await response.text();
  } catch (cause) {
    throw new QrLoginError('NETWORK_ERROR', `the request to ${url} failed before the server answered`, { cause });
  }
  const parsed = text === '' ? undefined : parseJson(text);
  if (response.status >= 200 && response.status < 300) {
    if (text !== '' && parsed === undefined) {
      throw new QrLoginError(
        'INTERNAL_ERROR',
        `the server answered HTTP ${response.status} with a body that is not JSON`,
      );
    }
    return parsed;
  }
  const error = errorFromBody(parsed, response.status);
  const retryAfter = Number(response.headers.get('retry-after'));
  if (error.code === 'RATE_LIMITED' && Number.isFinite(retryAfter) && retryAfter > 0) {
    throw new QrLoginError(error.code, error.message, { retryAfterSeconds: retryAfter });
  }
  throw error;
}
