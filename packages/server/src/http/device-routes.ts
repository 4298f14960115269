/**
 * The device-management routes under `{basePath}/devices`, beside registration (`POST /devices`)
 * and self-revocation (`POST /devices/:id/revoke`):
 *
 * - signed by one of the user's devices (app): `POST /devices/list`, `POST /devices/:id/rename`,
 *   `POST /devices/:id/revoke-device`;
 * - authenticated by the host's own session (web): `GET /devices`, `PATCH /devices/:id` (`{ label }`),
 *   `DELETE /devices/:id`. The two that change state need an allowed `Origin`: the host session is
 *   usually a cookie, which a cross-site form or fetch would carry along (CSRF).
 */
import { isDeviceId } from '@qrlogin/protocol';
import type { Context } from '../context.js';
import {
  listDevices,
  listDevicesFromApp,
  renameDevice,
  renameDeviceFromApp,
  revokeDeviceFromUserApp,
  revokeUserDevice,
  toDeviceSummary,
} from '../device-management.js';
import { rateLimitKeyOf } from '../net/ip-group.js';
import { json, malformedId, methodNotAllowed, readJson } from './handle-request.js';
import { allowedPageOrigin, hostUser } from './host-session.js';
import type { CoreRequest, CoreResponse } from './types.js';
import { parseRenameDeviceBody, parseSignedDeviceCall, parseWebRenameBody } from './validate-device-bodies.js';

const NO_CONTENT: () => CoreResponse = () => ({ status: 204, headers: { 'cache-control': 'no-store' }, body: '' });

/**
 * Answers the device-management routes; `null` for every other path, which the caller routes on
 * (registration and self-revocation included).
 */
export async function routeDeviceManagement(
  ctx: Context,
  request: CoreRequest,
  method: string,
  segments: readonly string[],
  ip: string,
  maxBodyBytes: number,
): Promise<CoreResponse | null> {
  const [resource, id, verb] = segments;
  if (resource !== 'devices' || segments.length > 3) return null;
  if (id === undefined) {
    if (method !== 'GET') return null;
    await ctx.limit('appPerIp', rateLimitKeyOf(ip), ip);
    const userId = await hostUser(ctx, request, 'to manage your devices');
    return json(200, { devices: (await listDevices(ctx, userId)).map((d) => toDeviceSummary(d)) });
  }
  if (id === 'list' && verb === undefined) {
    if (method !== 'POST') methodNotAllowed('POST');
    const body = parseSignedDeviceCall(await readJson(request, maxBodyBytes));
    return json(200, { devices: await listDevicesFromApp(ctx, body, ip) });
  }
  if (verb === 'rename' || verb === 'revoke-device') {
    if (method !== 'POST') methodNotAllowed('POST');
    if (!isDeviceId(id)) throw malformedId('device');
    const body = await readJson(request, maxBodyBytes);
    if (verb === 'rename') return json(200, await renameDeviceFromApp(ctx, id, parseRenameDeviceBody(body), ip));
    await revokeDeviceFromUserApp(ctx, id, parseSignedDeviceCall(body), ip);
    return NO_CONTENT();
  }
  if (verb === undefined) {
    if (method !== 'PATCH' && method !== 'DELETE') methodNotAllowed('PATCH, DELETE');
    if (!isDeviceId(id)) throw malformedId('device');
    allowedPageOrigin(ctx, request, { required: true });
    await ctx.limit('appPerIp', rateLimitKeyOf(ip), ip);
    // Read before authenticating: a body that is too large or malformed is refused either way.
    const body = method === 'PATCH' ? parseWebRenameBody(await readJson(request, maxBodyBytes)) : null;
    const userId = await hostUser(ctx, request, 'to manage your devices');
    if (body) {
      const renamed = await renameDevice(ctx, id, body.label, { actor: { kind: 'host' }, userId });
      return json(200, toDeviceSummary(renamed));
    }
    await revokeUserDevice(ctx, id, userId, { kind: 'host' });
    return NO_CONTENT();
  }
  return null;
}
