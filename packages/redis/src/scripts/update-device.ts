import { luaScript } from './lua-script.js';

/**
 * Changes an existing device's label and/or last-used time, creating nothing. The label and the
 * last-used time are fields of their own (`l`, `u`) beside the record JSON, so a rename and a touch
 * never overwrite each other; `u` only moves forward. KEYS[1] device hash · ARGV[1] label or '' ·
 * ARGV[2] lastUsedAt (ms epoch) or ''. Returns 1, or 0 when there is no such device.
 *
 * @example
 * await runScript(client, updateDeviceScript, [deviceKey], ['', String(Date.now())]);
 */
export const updateDeviceScript = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'l', ARGV[1]) end
if ARGV[2] ~= '' then
  local current = redis.call('HGET', KEYS[1], 'u')
  if not current or tonumber(current) < tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], 'u', ARGV[2]) end
end
return 1
`);
