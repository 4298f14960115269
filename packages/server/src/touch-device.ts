/**
 * The device's last-used time: written after a verified scan or confirm, best-effort and off the
 * request path, at most once per {@link TOUCH_INTERVAL_MS} per device.
 */
import type { Context } from './context.js';
import type { DeviceRecord } from './store/types.js';

/** The granularity of `lastUsedAt`: a device is touched again only once this much has passed. */
export const TOUCH_INTERVAL_MS = 60_000;

/**
 * Records that `device` (as just read by the request) was used now. The throttle reads the
 * `lastUsedAt` the request already loaded, so it costs no extra round trip, holds across instances
 * sharing the store, and keeps a busy device to about one write a minute. The write is not awaited:
 * a slow or failing device store never delays or fails a login (a failure is reported as
 * `internal-error`), and a lost write only leaves `lastUsedAt` a little old.
 */
export function touchDevice(ctx: Context, device: DeviceRecord): void {
  const now = ctx.options.now();
  if (device.lastUsedAt !== undefined && now - device.lastUsedAt < TOUCH_INTERVAL_MS) return;
  Promise.resolve()
    .then(() => ctx.options.devices.update(device.id, { lastUsedAt: now }))
    .catch((error: unknown) => ctx.events.emit('internal-error', { action: 'touch a device', error }));
}
