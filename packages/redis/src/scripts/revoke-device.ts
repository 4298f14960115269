import { luaScript } from './lua-script.js';

/**
 * Marks a device revoked, keeping the first revocation instant (idempotent).
 * KEYS[1] device hash · ARGV[1] revokedAt (ms epoch). Returns 1, or 0 when there is no such device.
 *
 * @example
 * await runScript(client, revokeDeviceScript, [deviceKey], [Date.now()]);
 */
export const revokeDeviceScript = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSETNX', KEYS[1], 'r', ARGV[1])
return 1
`);
