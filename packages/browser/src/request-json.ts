import { errorFromBody, QrLoginError } from '@qrlogin/protocol';

/** The `fetch` signature the client needs; `globalThis.fetch`, undici's, or a test double. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Sends one request and reads a JSON answer. A request that never reached the server becomes
 * `NETWORK_ERROR`; a non-2xx answer becomes the server's own `QrLoginError` (its wire code), with
 * `Retry-After` carried over for rate limits. An abort is rethrown untouched so callers can tell
 * "we stopped" from "it failed".
 *
 * @example
 * const created = await requestJson<CreateSessionResponse>(fetch, '/qrlogin/sessions', { method: 'POST' });
 */
export async function requestJson<T>(fetchFn: FetchLike, url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetchFn(url, init);
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    throw new QrLoginError('NETWORK_ERROR', `${init.method ?? 'GET'} ${pathOf(url)} failed before an answer`, {
      cause,
    });
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: the status below still says what happened.
  }
  if (response.ok) return body as T;
  const error = notQrLogin(body, response.status)
    ? new QrLoginError(
        response.status === 404 ? 'NOT_FOUND' : 'METHOD_NOT_ALLOWED',
        `${init.method ?? 'GET'} ${pathOf(url)} answered ${response.status} without a qrlogin error: is qrlogin mounted there?`,
      )
    : errorFromBody(body, response.status);
  const retryAfter = Number(response.headers.get('retry-after'));
  return Promise.reject(
    retryAfter > 0 ? new QrLoginError(error.code, error.message, { retryAfterSeconds: retryAfter }) : error,
  );
}

// A 404 / 405 page that is not qrlogin's: a wrong `baseUrl`, which retrying never fixes.
function notQrLogin(body: unknown, status: number): boolean {
  return (status === 404 || status === 405) && !(body as { error?: unknown } | null)?.error;
}

// Only the path goes into messages: the query may carry nothing secret today, but messages are logged.
function pathOf(url: string): string {
  return url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/\?.*$/, '');
}
