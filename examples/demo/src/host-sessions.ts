/**
 * The host's own sessions, which qrlogin never sees: the browser's login session (made after a
 * successful `qr.redeem()`) and the phone simulator's "signed in to the app" token (what the
 * app's real auth would be). Both live in memory, keyed by random 256-bit ids, like everything
 * else in the demo.
 */
import { randomBytes } from 'node:crypto';
import type { RequesterContext } from '@qrlogin/server';

/** One signed-in browser, as the host remembers it. */
export interface HostSession {
  userId: string;
  /** The device that approved the login. */
  deviceId: string;
  /** Who asked, from the redemption: shown on the signed-in page. */
  requester: RequesterContext;
  signedInAt: number;
  /** The qrlogin login this session came from (`redemption.loginId`): signing out ends it too. */
  loginId: string;
}

/** A map of random ids to values, with a lifetime. */
export interface HostSessionStore<T> {
  /** Stores `value` under a fresh random id and returns the id. */
  create(value: T): string;
  /** The value for `id`, or `undefined` when unknown or past its lifetime. */
  get(id: string | undefined): T | undefined;
  delete(id: string | undefined): void;
  /**
   * Calls `onDeleted` once when `id` is deleted (not when it merely expires: readers see that on
   * their next `get`). Returns a function that stops watching.
   */
  watch(id: string, onDeleted: () => void): () => void;
}

/**
 * An in-memory id → value map whose ids are 32 random bytes (base64url), so a session id cannot
 * be guessed. Entries older than `ttlSeconds` are treated as gone and dropped when read.
 *
 * @example
 * const sessions = hostSessionStore<HostSession>({ ttlSeconds: 86400 });
 * const id = sessions.create({ userId, deviceId, requester, signedInAt: Date.now(), loginId });
 */
export function hostSessionStore<T>(options: { ttlSeconds: number; now?: () => number }): HostSessionStore<T> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: T; expiresAt: number }>();
  const watchers = new Map<string, Set<() => void>>();
  return {
    create(value) {
      const id = randomBytes(32).toString('base64url');
      entries.set(id, { value, expiresAt: now() + options.ttlSeconds * 1000 });
      return id;
    },
    get(id) {
      if (id === undefined) return undefined;
      const entry = entries.get(id);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(id);
        return undefined;
      }
      return entry.value;
    },
    delete(id) {
      if (id === undefined) return;
      entries.delete(id);
      const waiting = watchers.get(id);
      watchers.delete(id);
      for (const onDeleted of waiting ?? []) onDeleted();
    },
    watch(id, onDeleted) {
      const waiting = watchers.get(id) ?? new Set<() => void>();
      watchers.set(id, waiting);
      waiting.add(onDeleted);
      return () => {
        waiting.delete(onDeleted);
        if (waiting.size === 0 && watchers.get(id) === waiting) watchers.delete(id);
      };
    },
  };
}
