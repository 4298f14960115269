/**
 * The HTTP core: routes a framework-free request to the services and turns every outcome, good
 * or bad, into one JSON response. Adapters (fetch, node:http, Express, Fastify, Hono) only
 * translate to and from {@link CoreRequest} / {@link CoreResponse}.
 */
import {
  describeError,
  type ErrorCode,
  isDeviceId,
  isQrLoginError,
  isSessionId,
  isTerminalState,
  QR_PAYLOAD_VERSION,
  QrLoginError,
  ROUTES,
  type StatusSnapshot,
} from '@qrlogin/protocol';
import { decideSession, scanSession } from '../app-actions.js';
import { appLinkResponse } from '../app-links.js';
import { authorizeBrowser, cancelSession, createSession, currentSnapshot } from '../browser-actions.js';
import { type Context, settledSession } from '../context.js';
import { registerDeviceFromApp, revokeDeviceFromApp } from '../device-actions.js';
import { clientIp } from '../net/client-ip.js';
import { rateLimitKeyOf } from '../net/ip-group.js';
import { promptSession, promptTokenOf } from '../prompt-actions.js';
import { findSessionByCode, issueShortCode } from '../short-codes.js';
import { warnMisconfigured } from '../warn-misconfigured.js';
import { routeDeviceManagement } from './device-routes.js';
import { hostUser } from './host-session.js';
import { LANDING_PAGE_HTML } from './landing-page.js';
import { ledgerRoute, reportSessionRoute } from './ledger-routes.js';
import { routeLink } from './link-routes.js';
import { waitForChange } from './long-poll.js';
import type { CoreRequest, CoreResponse } from './types.js';
import {
  parseConfirmBody,
  parseCreateBody,
  parseFindSessionBody,
  parseJsonObject,
  parseRegisterBody,
  parseRejectBody,
  parseRevokeBody,
  parseScanBody,
} from './validate-body.js';

/**
 * A JSON response that no cache keeps.
 *
 * @example
 * return json(201, created);
 */
export function json(status: number, body: unknown): CoreResponse {
  // A fresh literal per response (callers may add headers), not a spread of a shared one.
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  return { status, headers, body: JSON.stringify(body) };
}

/** The response for an error; unexpected errors become a bare `INTERNAL_ERROR`. */
export function errorResponse(ctx: Context, err: unknown, action: string): CoreResponse {
  const error = isQrLoginError(err) ? err : new QrLoginError('INTERNAL_ERROR', describeError('INTERNAL_ERROR'));
  if (!isQrLoginError(err) || error.code === 'STORE_UNAVAILABLE')
    ctx.events.emit('internal-error', { action, error: err });
  const response = json(error.status, error.toJSON());
  if (error.retryAfterSeconds !== undefined) response.headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.code === 'STORE_UNAVAILABLE') response.headers['retry-after'] = '1';
  return response;
}

/**
 * Reads a JSON object body (`''` is `{}`), refusing other media types.
 *
 * @example
 * const body = await readJson(request, maxBodyBytes);
 */
export async function readJson(request: CoreRequest, limit: number): Promise<Record<string, unknown>> {
  const type = request.header('content-type') ?? '';
  const text = await request.readBody(limit);
  if (text.length > 0 && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new QrLoginError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  }
  return parseJsonObject(text);
}

function bearer(request: CoreRequest): string {
  const value = request.header('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(value);
  if (!match) throw new QrLoginError('INVALID_SECRET', 'send the browser secret as "Authorization: Bearer <secret>"');
  return match[1] as string;
}

/**
 * One answer for an id of the wrong format wherever it appears (path, body, frame, `redeem()`).
 *
 * @example
 * if (!isSessionId(id)) throw malformedId('session');
 */
export function malformedId(kind: 'session' | 'device'): QrLoginError {
  return new QrLoginError('INVALID_REQUEST', `the ${kind} id is not well-formed (22 base64url characters)`);
}

/**
 * `METHOD_NOT_ALLOWED` with the `Allow` header's value.
 *
 * @example
 * if (method !== 'POST') methodNotAllowed('POST');
 */
export function methodNotAllowed(allow: string): never {
  throw Object.assign(new QrLoginError('METHOD_NOT_ALLOWED', `use ${allow}`), { allow });
}

/**
 * Handles a request under the base path; returns `null` for paths outside it so adapters can pass
 * them on to the host's own routes.
 */
export async function handleRequest(ctx: Context, request: CoreRequest): Promise<CoreResponse | null> {
  const { basePath, maxBodyBytes, trustProxy } = ctx.options;
  // App-site association files live at the host's root, outside the base path (docs/app.md).
  const appLink = request.path.startsWith('/.well-known/')
    ? appLinkResponse(ctx.options.appLinks, request.method.toUpperCase(), request.path)
    : null;
  if (appLink) return appLink;
  if (request.path !== basePath && !request.path.startsWith(`${basePath}/`)) return null;
  const path = request.path.slice(basePath.length);
  const ip = clientIp(request.remoteAddress, request.header('x-forwarded-for'), trustProxy);
  const info = { ip, userAgent: request.header('user-agent') ?? '' };
  const method = request.method.toUpperCase();
  const segments = path.split('/').slice(1);
  try {
    const response = await route(ctx, request, method, segments, info, maxBodyBytes);
    return response;
  } catch (err) {
    const action = `${method} ${segments[0] ?? ''}${segments[2] ? `/${segments[2]}` : ''}`;
    const response = errorResponse(ctx, err, action);
    const allow = (err as { allow?: string }).allow;
    if (allow) response.headers.allow = allow;
    if (isQrLoginError(err)) {
      const sessionId =
        (segments[0] === 'sessions' || segments[0] === 'links') && isSessionId(segments[1]) ? segments[1] : undefined;
      ctx.events.emit('refused', {
        action,
        code: err.code as ErrorCode,
        ip,
        at: ctx.options.now(),
        ...(sessionId ? { sessionId } : {}),
      });
    }
    return response;
  }
}

async function route(
  ctx: Context,
  request: CoreRequest,
  method: string,
  segments: string[],
  info: { ip: string; userAgent: string },
  maxBodyBytes: number,
): Promise<CoreResponse> {
  const [resource, id, verb, ...rest] = segments;
  if (rest.length > 0) throw new QrLoginError('NOT_FOUND', 'no such qrlogin route');
  if (resource === 'ws' && id === undefined) warnWebSocketNotAttached(ctx);
  // The long-poll's `after` is the only query parameter any route reads; anything else in a query
  // is a client bug (or a cache-buster a proxy would key on) that must not pass unnoticed.
  const polling = resource === 'sessions' && id !== undefined && verb === undefined && method === 'GET';
  if (request.query !== '' && !polling && resource !== 'q' && resource !== 'link') {
    throw new QrLoginError('INVALID_REQUEST', 'this route takes no query parameters');
  }

  if (resource === 'sessions' && id === undefined) {
    if (method !== 'POST') methodNotAllowed('POST');
    const createBody = parseCreateBody(await readJson(request, maxBodyBytes));
    const origin = request.header('origin');
    // Only an absent Origin is a non-browser client; a present but empty one is not on any allowlist.
    if (origin === '') throw new QrLoginError('FORBIDDEN_ORIGIN', 'Origin "" is not allowed');
    if ('prompt' in createBody) {
      const token = promptTokenOf(createBody.prompt, request.header('cookie'));
      return json(201, await promptSession(ctx, { ...info, origin: origin ?? '', token }));
    }
    const created = await createSession(ctx, { ...info, origin: origin ?? '' });
    return json(201, created);
  }

  if (resource === 'sessions' && id !== undefined) {
    if (!isSessionId(id)) throw malformedId('session');
    if (verb === undefined) {
      if (method === 'GET') return json(200, await poll(ctx, request, id, info.ip));
      if (method === 'DELETE') {
        return json(200, await cancelSession(ctx, { sessionId: id, browserSecret: bearer(request), ip: info.ip }));
      }
      methodNotAllowed('GET, DELETE');
    }
    if (verb === 'short-code') {
      if (method !== 'POST') methodNotAllowed('POST');
      parseCreateBody(await readJson(request, maxBodyBytes));
      return json(200, await issueShortCode(ctx, id, bearer(request)));
    }
    if (verb === 'scan' || verb === 'confirm' || verb === 'reject') {
      if (method !== 'POST') methodNotAllowed('POST');
      const body = await readJson(request, maxBodyBytes);
      if (verb === 'scan') return json(200, await scanSession(ctx, id, parseScanBody(body), info));
      const parsed = verb === 'confirm' ? parseConfirmBody(body) : parseRejectBody(body);
      return json(200, await decideSession(ctx, id, verb, parsed, info));
    }
    if (verb === 'report') {
      if (method !== 'POST') methodNotAllowed('POST');
      return json(200, await reportSessionRoute(ctx, id, await readJson(request, maxBodyBytes), info));
    }
  }

  if (resource === 'logins' && id !== undefined) {
    if (method !== 'POST') methodNotAllowed('POST');
    return json(200, await ledgerRoute(ctx, id, verb, () => readJson(request, maxBodyBytes), info));
  }

  const managed = await routeDeviceManagement(ctx, request, method, segments, info.ip, maxBodyBytes);
  if (managed) return managed;

  if (resource === 'devices' && id === undefined) {
    if (method !== 'POST') methodNotAllowed('GET, POST');
    const body = parseRegisterBody(await readJson(request, maxBodyBytes));
    const userId = await hostUser(ctx, request, 'before registering a device');
    const { device, created } = await registerDeviceFromApp(ctx, body, userId, info.ip);
    // 200 for a key this user had already registered: the answer a lost response would have had.
    return json(created ? 201 : 200, { deviceId: device.id });
  }

  if (resource === 'devices' && id !== undefined && verb === 'revoke') {
    if (method !== 'POST') methodNotAllowed('POST');
    if (!isDeviceId(id)) throw malformedId('device');
    await revokeDeviceFromApp(ctx, id, parseRevokeBody(await readJson(request, maxBodyBytes)), info.ip);
    return { status: 204, headers: { 'cache-control': 'no-store' }, body: '' };
  }

  if (resource === 'find-session' && id === undefined) {
    if (method !== 'POST') methodNotAllowed('POST');
    const body = parseFindSessionBody(await readJson(request, maxBodyBytes));
    return json(200, await findSessionByCode(ctx, body, info));
  }

  if (resource === 'links') return routeLink(ctx, request, method, id, verb, info, maxBodyBytes);

  if ((resource === 'q' || resource === 'link') && id === String(QR_PAYLOAD_VERSION) && verb !== undefined) {
    if (!isSessionId(verb)) throw malformedId('session');
    if (method !== 'GET' && method !== 'HEAD') methodNotAllowed('GET');
    return {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'",
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      },
      body: LANDING_PAGE_HTML,
    };
  }

  throw new QrLoginError('NOT_FOUND', 'no such qrlogin route');
}

/** `GET /sessions/:id?after=N`: the snapshot now, or once its version passes N (held up to `longPollSeconds`). */
async function poll(ctx: Context, request: CoreRequest, sessionId: string, ip: string): Promise<StatusSnapshot> {
  await ctx.limit('poll', rateLimitKeyOf(ip), ip);
  const query = new URLSearchParams(request.query);
  const afterText = query.get('after');
  if ([...query.keys()].some((name) => name !== 'after') || query.getAll('after').length > 1) {
    throw new QrLoginError('INVALID_REQUEST', 'the long-poll takes one query parameter, after, at most once');
  }
  let after: number | undefined;
  if (afterText !== null) {
    if (!/^[0-9]{1,9}$/.test(afterText)) throw new QrLoginError('INVALID_REQUEST', 'after must be a version number');
    after = Number(afterText);
  }
  await authorizeBrowser(ctx, sessionId, bearer(request));
  const record = await settledSession(ctx, sessionId);
  const snapshot = currentSnapshot(ctx, record);
  // A finished session never changes again: holding the poll would only delay what the client must learn.
  if (after === undefined || snapshot.version > after || isTerminalState(snapshot.state)) return snapshot;
  return waitForChange(ctx, record, after, request.signal);
}

/**
 * The socket path reached the HTTP handler: no `upgrade` listener took it (node:http hands such
 * requests to `request` listeners), or a proxy dropped the Upgrade header. Pages fall back to
 * long-poll, so nothing else would ever say so.
 */
function warnWebSocketNotAttached(ctx: Context): void {
  warnMisconfigured(ctx, 'websocket', {
    problem: 'websocket-not-attached',
    option: 'attach',
    message:
      `a WebSocket request for ${ctx.options.basePath}${ROUTES.socket} reached the HTTP handler: call ` +
      'qr.attach(server) on your HTTP server (or qr.handleUpgrade in your own "upgrade" listener), and let ' +
      'any proxy pass the Upgrade and Connection headers (Vite: ws: true). Pages long-poll until then.',
  });
}
