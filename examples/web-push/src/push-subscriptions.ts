/**
 * Where a host keeps its users' Web Push subscriptions: one per signed-in browser that opted in.
 * In memory here; a real host keeps them in its database next to its sessions.
 */

/** A browser's `PushSubscription.toJSON()`: the push service URL and the browser's keys. */
export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** The subscriptions of every user, by user id. */
export interface PushSubscriptions {
  add(userId: string, subscription: PushSubscriptionJson): void;
  list(userId: string): PushSubscriptionJson[];
  /** Forgets a subscription the push service says is gone (404 / 410). */
  remove(userId: string, endpoint: string): void;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Checks a subscription a browser posted: an https (or, for local tests, http) endpoint and the two
 * base64url keys of RFC 8291. Returns `null` for anything else.
 *
 * @example
 * const subscription = parseSubscription(await request.json());
 */
export function parseSubscription(value: unknown): PushSubscriptionJson | null {
  const v = value as Partial<PushSubscriptionJson> | null;
  if (typeof v?.endpoint !== 'string' || v.endpoint.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(v.endpoint);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const { p256dh, auth } = v.keys ?? {};
  if (typeof p256dh !== 'string' || !BASE64URL.test(p256dh) || p256dh.length !== 87) return null;
  if (typeof auth !== 'string' || !BASE64URL.test(auth) || auth.length !== 22) return null;
  return { endpoint: url.href, keys: { p256dh, auth } };
}

/**
 * An in-memory {@link PushSubscriptions}: at most `perUser` per user, the oldest dropped first.
 *
 * @example
 * const subscriptions = memoryPushSubscriptions();
 * subscriptions.add('alice', subscription);
 */
export function memoryPushSubscriptions(perUser = 10): PushSubscriptions {
  const byUser = new Map<string, PushSubscriptionJson[]>();
  return {
    add(userId, subscription) {
      const list = (byUser.get(userId) ?? []).filter((s) => s.endpoint !== subscription.endpoint);
      list.push(subscription);
      byUser.set(userId, list.slice(-perUser));
    },
    list: (userId) => [...(byUser.get(userId) ?? [])],
    remove(userId, endpoint) {
      byUser.set(
        userId,
        (byUser.get(userId) ?? []).filter((s) => s.endpoint !== endpoint),
      );
    },
  };
}
