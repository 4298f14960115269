import {
  type CreateSessionResponse,
  QrLoginError,
  ROUTES,
  type ShortCodeResponse,
  type StatusSnapshot,
} from '@qrlogin/protocol';
import { readCreated, readSnapshot } from './read-wire.js';
import { type FetchLike, requestJson } from './request-json.js';

/** The three HTTP calls a waiting page makes. `base` is the absolute URL qrlogin is mounted at. */
export interface SessionApi {
  /** Creates a session; with `prompt` (a linked-browser token, or `true` for its cookie), a prompt session. */
  create(signal: AbortSignal, prompt?: string | true): Promise<CreateSessionResponse>;
  /** Long-poll: answers once the version is past `after`, or at once without `after`. */
  read(sessionId: string, secret: string, after: number | undefined, signal: AbortSignal): Promise<StatusSnapshot>;
  cancel(sessionId: string, secret: string): Promise<StatusSnapshot>;
  /** The session's "Can't scan?" short code (the same on every call). */
  shortCode(sessionId: string, secret: string): Promise<ShortCodeResponse>;
}

const malformed = () => new QrLoginError('INTERNAL_ERROR', 'the server sent a malformed answer');

/**
 * Binds the session routes to a base URL and a `fetch`. The browser secret only ever travels in
 * the `Authorization` header, never in a URL (it would end up in logs and history).
 *
 * @example
 * const api = sessionApi('https://example.com/qrlogin', fetch);
 * const created = await api.create(new AbortController().signal);
 */
export function sessionApi(base: string, fetchFn: FetchLike): SessionApi {
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  return {
    async create(signal, prompt) {
      const body = await requestJson(fetchFn, base + ROUTES.sessions, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: prompt === undefined ? '{}' : JSON.stringify({ prompt }),
        signal,
      });
      return readCreated(body) ?? Promise.reject(malformed());
    },
    async read(sessionId, secret, after, signal) {
      const query = after === undefined ? '' : `?after=${after}`;
      const body = await requestJson(fetchFn, base + ROUTES.session(sessionId) + query, {
        headers: bearer(secret),
        // A cached long-poll answer would replay an old state forever.
        cache: 'no-store',
        signal,
      });
      return readSnapshot(body) ?? Promise.reject(malformed());
    },
    async cancel(sessionId, secret) {
      const body = await requestJson(fetchFn, base + ROUTES.session(sessionId), {
        method: 'DELETE',
        headers: bearer(secret),
      });
      return readSnapshot(body) ?? Promise.reject(malformed());
    },
    // Checked where it is shown (the lazily loaded view), keeping this module small.
    shortCode: (sessionId, secret) =>
      requestJson(fetchFn, base + ROUTES.shortCode(sessionId), { method: 'POST', headers: bearer(secret) }),
  };
}
