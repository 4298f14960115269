/**
 * The link routes (docs/protocol.md, "Linking a new phone"), dispatched from the HTTP core:
 *
 *     POST /links                 create (browser: host session + allowed Origin)
 *     POST /links/:id/claim       claim, and learn the outcome (app: signed `link`)
 *     POST /links/:id/confirm     type the phone's code (browser: secret in the body + the same host user)
 *     POST /links/:id/reject      refuse the phone (browser: secret in the body + the same host user)
 *
 * The page's answers carry the browser secret in the body: `Authorization` belongs to the host,
 * whose hook must see the same user there (a bearer-token host reads its session from it).
 *
 * The page watches a link like a login: `GET /sessions/:id`, the WebSocket, `DELETE` to cancel.
 */
import { isSessionId, QrLoginError } from '@qrlogin/protocol';
import type { AppRequestInfo } from '../app-actions.js';
import type { Context } from '../context.js';
import { claimLink, createLinkSession, decideLink } from '../link-actions.js';
import { json, malformedId, methodNotAllowed, readJson } from './handle-request.js';
import { allowedPageOrigin, hostUser } from './host-session.js';
import type { CoreRequest, CoreResponse } from './types.js';
import {
  parseCreateLinkBody,
  parseLinkClaimBody,
  parseLinkConfirmBody,
  parseLinkRejectBody,
} from './validate-link-body.js';

/**
 * Routes `/links…`.
 *
 * @example
 * if (resource === 'links') return routeLink(ctx, request, method, id, verb, info, maxBodyBytes);
 */
export async function routeLink(
  ctx: Context,
  request: CoreRequest,
  method: string,
  id: string | undefined,
  verb: string | undefined,
  info: AppRequestInfo,
  maxBodyBytes: number,
): Promise<CoreResponse> {
  if (id === undefined) {
    if (method !== 'POST') methodNotAllowed('POST');
    parseCreateLinkBody(await readJson(request, maxBodyBytes));
    const origin = allowedPageOrigin(ctx, request, { required: true });
    const userId = await hostUser(ctx, request, 'before linking a phone');
    return json(201, await createLinkSession(ctx, { ...info, origin }, userId));
  }
  if (!isSessionId(id)) throw malformedId('session');
  if (verb !== 'claim' && verb !== 'confirm' && verb !== 'reject') {
    throw new QrLoginError('NOT_FOUND', 'no such qrlogin route');
  }
  if (method !== 'POST') methodNotAllowed('POST');
  const body = await readJson(request, maxBodyBytes);
  if (verb === 'claim') return json(200, await claimLink(ctx, id, parseLinkClaimBody(body), info));
  const answer = verb === 'confirm' ? parseLinkConfirmBody(body) : parseLinkRejectBody(body);
  allowedPageOrigin(ctx, request, { required: false });
  const userId = await hostUser(ctx, request, 'before answering a phone');
  return json(200, await decideLink(ctx, verb, { sessionId: id, userId, ip: info.ip, ...answer }));
}
