/**
 * One log line per setup mistake the server can see from requests alone (a page origin missing
 * from `allowedOrigins`, a WebSocket request that no upgrade listener took), instead of silence:
 * these look like an outage from the page. Said once per problem and instance, never per request.
 */
import type { Context } from './context.js';
import type { QrLoginEvents } from './events.js';

/** What was wrong: the `misconfigured` event's payload. */
export type Misconfiguration = QrLoginEvents['misconfigured'][0];

// Distinct problems remembered per instance: a hostile page can vary its Origin header at will, so
// the set is capped, and past the cap nothing more is said.
const MAX_DISTINCT = 16;
const said = new WeakMap<object, Set<string>>();

/**
 * Emits `misconfigured` the first time `key` comes up on this instance, and prints the message
 * with `console.warn` when nobody listens to that event.
 *
 * @example
 * warnMisconfigured(ctx, `origin ${origin}`, { problem: 'forbidden-origin', option: 'allowedOrigins', message });
 */
export function warnMisconfigured(ctx: Context, key: string, what: Omit<Misconfiguration, 'at'>): void {
  let keys = said.get(ctx.events);
  if (!keys) {
    keys = new Set();
    said.set(ctx.events, keys);
  }
  if (keys.has(key) || keys.size >= MAX_DISTINCT) return;
  keys.add(key);
  const event: Misconfiguration = { ...what, at: ctx.options.now() };
  if (ctx.events.listenerCount('misconfigured') > 0) ctx.events.emit('misconfigured', event);
  else console.warn(`qrlogin: ${what.message}`);
}
