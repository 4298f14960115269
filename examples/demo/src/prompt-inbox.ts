/**
 * The demo's stand-in for a push service: qrlogin's `promptDevices` hook drops a prompt into the
 * user's inbox, and the phone simulator long-polls `GET /demo/prompts` (signed in to "the app" by
 * its cookie) to receive it. A real host sends the same `qrPayload` through APNs / FCM instead.
 */
import type { PromptDevicesInput } from '@qrlogin/server';

/** A prompt is useless once its session is over; the demo's sessions live 120 s. */
const KEEP_MS = 120_000;
/** How long one poll is held before it answers "nothing yet". */
const HOLD_MS = 25_000;

/** Prompts per user, waiting for that user's phone. */
export interface PromptInbox {
  /** The `promptDevices` hook. */
  deliver(prompt: PromptDevicesInput): void;
  /** The next prompt's `qrPayload` for `userId`, or `null` after the hold (or once `signal` aborts). */
  next(userId: string, signal: AbortSignal): Promise<string | null>;
  /** Answers every held poll with `null`. */
  close(): void;
}

/**
 * Creates the demo's in-memory prompt inbox.
 *
 * @example
 * const inbox = promptInbox();
 * const qr = createQrLogin({ origin, promptDevices: inbox.deliver });
 */
export function promptInbox(): PromptInbox {
  const queued = new Map<string, { qrPayload: string; at: number }[]>();
  const waiting = new Map<string, Set<(qrPayload: string | null) => void>>();
  return {
    deliver({ userId, qrPayload }) {
      const waiters = waiting.get(userId);
      if (waiters?.size) {
        // Every open phone of the user shows it, as every device of a real user gets the push.
        for (const wake of [...waiters]) wake(qrPayload);
        return;
      }
      const fresh = (queued.get(userId) ?? []).filter((p) => Date.now() - p.at < KEEP_MS);
      queued.set(userId, [...fresh, { qrPayload, at: Date.now() }]);
    },
    next(userId, signal) {
      const list = (queued.get(userId) ?? []).filter((p) => Date.now() - p.at < KEEP_MS);
      const first = list.shift();
      queued.set(userId, list);
      if (first) return Promise.resolve(first.qrPayload);
      return new Promise((resolve) => {
        const waiters = waiting.get(userId) ?? new Set();
        waiting.set(userId, waiters);
        const done = (qrPayload: string | null) => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve(qrPayload);
        };
        const timer = setTimeout(() => done(null), HOLD_MS);
        signal.addEventListener('abort', () => done(null), { once: true });
        waiters.add(done);
      });
    },
    close() {
      for (const waiters of waiting.values()) for (const wake of [...waiters]) wake(null);
    },
  };
}
