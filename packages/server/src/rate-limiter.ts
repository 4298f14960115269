import { QrLoginError } from '@qrlogin/protocol';
import type { QrLoginEmitter } from './events.js';
import type { RateLimits } from './options.js';
import type { SessionStore } from './store/types.js';

/** Checks one hit against a named limit. */
export type RateLimiter = (rule: keyof RateLimits, key: string, ip: string) => Promise<void>;

/**
 * Rate limits backed by the session store's counters, so a limit holds across every instance that
 * shares the store. Throws `RATE_LIMITED` with `retryAfterSeconds` once a window is used up.
 */
export function createRateLimiter(
  limits: RateLimits | false,
  store: SessionStore,
  events: QrLoginEmitter,
  now: () => number,
): RateLimiter {
  if (limits === false) return async () => {};
  return async (rule, key, ip) => {
    const { limit, windowSeconds } = limits[rule];
    const { count, resetAt } = await store.hit(`${rule}:${key}`, windowSeconds * 1000);
    if (count <= limit) return;
    const at = now();
    events.emit('rate-limited', { rule, key, ip, at });
    throw new QrLoginError('RATE_LIMITED', `too many requests (${rule}: ${limit} per ${windowSeconds} s)`, {
      retryAfterSeconds: Math.max(1, Math.ceil((resetAt - at) / 1000)),
    });
  };
}
