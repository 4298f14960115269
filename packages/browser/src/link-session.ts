/**
 * The page side of "link a new phone": a signed-in page shows a link QR, hears over the usual
 * WebSocket / long-poll when a phone claimed it (with the phone's label), and answers with the
 * code the PHONE shows (docs/protocol.md, "Linking a new phone").
 */
import { type CreateSessionResponse, QrLoginError, ROUTES, type StatusSnapshot } from '@qrlogin/protocol';
import { createClientWith, type QrLoginClient } from './client.js';
import type { QrLoginClientOptions } from './client-options.js';
import { readCreated, readSnapshot } from './read-wire.js';
import { type FetchLike, requestJson } from './request-json.js';
import { resolveEndpoints } from './resolve-endpoints.js';

/** A link session's client: the login client's events and lifecycle, plus the page's answer. */
export interface LinkSession extends QrLoginClient {
  /**
   * Types the code the phone shows. Right: the phone becomes a device of the signed-in user
   * (state `confirmed`). Wrong: `CODE_MISMATCH`, the link is rejected and nothing registered.
   */
  confirm(code: string): Promise<StatusSnapshot>;
  /** Refuses the phone that claimed the link. */
  reject(): Promise<StatusSnapshot>;
}

const malformed = () => new QrLoginError('INTERNAL_ERROR', 'the server sent a malformed answer');

/**
 * Creates the link page's client. Its requests carry the page's cookies (`credentials:
 * 'same-origin'`): the host's `authenticate` hook says who is linking a phone. Listen to `state`
 * for `{ state: 'scanned', label }` ("Phone '<label>' wants to sign in as you"), then call
 * `confirm(code)` with what the user typed.
 *
 * @example
 * const link = createLinkSession({ baseUrl: '/qrlogin' });
 * link.on('session', ({ qrPayload }) => box.replaceChildren(renderQrSvg(qrPayload)));
 * link.on('state', (s) => { if (s.state === 'scanned') askForCode(s.label); });
 * await link.start();
 * await link.confirm(typedCode);
 */
export function createLinkSession(options: QrLoginClientOptions): LinkSession {
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let base: string | undefined;
  let current: CreateSessionResponse | undefined;
  const create = async (signal: AbortSignal) => {
    base ??= resolveEndpoints(options.baseUrl).http;
    const body = await requestJson(fetchFn, base + ROUTES.links, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      credentials: 'same-origin',
      signal,
    });
    current = readCreated(body) ?? undefined;
    if (!current) throw malformed();
    return current;
  };
  const answer = async (route: (id: string) => string, payload: unknown): Promise<StatusSnapshot> => {
    if (!current || !base) throw new QrLoginError('INVALID_STATE', 'start() the link session first');
    const body = await requestJson(fetchFn, base + route(current.sessionId), {
      method: 'POST',
      // The secret goes in the body: `Authorization` is the host's, for a host that signs pages in by token.
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ browserSecret: current.browserSecret, ...(payload as object) }),
      credentials: 'same-origin',
    });
    return readSnapshot(body) ?? Promise.reject(malformed());
  };
  const client = createClientWith({ rotate: false, ...options }, create) as LinkSession;
  client.confirm = (code) => answer(ROUTES.linkConfirm, { code });
  client.reject = () => answer(ROUTES.linkReject, {});
  return client;
}
