/** Reconnect timing. */
export interface BackoffOptions {
  /** First delay. @default 500 */
  initialDelayMs: number;
  /** Longest delay. @default 15000 */
  maxDelayMs: number;
  /** Consecutive failures before the client gives up with a fatal error. @default 8 */
  maxAttempts: number;
}

/**
 * Exponential backoff with "equal jitter": half the doubled delay is fixed, half random, so a
 * server restart does not bring every waiting page back in the same millisecond, yet no retry
 * comes sooner than half its step.
 *
 * @example
 * backoffDelay(0, options) // between 250 and 500 ms with the defaults
 * backoffDelay(3, options) // between 2000 and 4000 ms
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** attempt);
  return Math.round(step / 2 + (random() * step) / 2);
}
