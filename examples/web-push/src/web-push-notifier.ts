/**
 * A qrlogin `notify` hook that turns a `new-sign-in` notice into a Web Push to each of the user's
 * subscribed browsers, with the `web-push` package: RFC 8291 `aes128gcm` payload encryption and
 * RFC 8292 VAPID authentication.
 */
import type { Agent } from 'node:https';
import type { Notice, NotifyHook } from '@qrlogin/server';
import webpush from 'web-push';
import type { PushSubscriptions } from './push-subscriptions.js';

/** Options of {@link webPushNotifier}. */
export interface WebPushNotifierOptions {
  subscriptions: PushSubscriptions;
  /** The VAPID key pair (`webpush.generateVAPIDKeys()`, kept) and a contact (`mailto:` or `https:`). */
  vapid: { subject: string; publicKey: string; privateKey: string };
  /** How long the push service keeps an undelivered message. @default 3600 */
  ttlSeconds?: number;
  /** The `https.Agent` for the push services (a proxy, a private CA). @default Node's global agent */
  agent?: Agent;
  /** Gives up on a push service after this long. @default 10000 */
  timeoutMs?: number;
  /** Called when a push fails for a reason other than a gone subscription. @default console.warn */
  onError?: (error: unknown) => void;
}

/** What the service worker receives, as JSON. */
export interface SignInPush {
  title: string;
  body: string;
  sessionId: string;
  at: number;
}

/**
 * The text of a sign-in notice: "New sign-in on Chrome 131 on macOS near Berlin, DE".
 *
 * @example
 * signInText({ browser: 'Chrome 131', os: 'macOS', place: 'Berlin, DE' }) // 'New sign-in on Chrome 131 on macOS near Berlin, DE'
 */
export function signInText(notice: { browser: string; os: string; place?: string }): string {
  return `New sign-in on ${notice.browser} on ${notice.os}${notice.place ? ` near ${notice.place}` : ''}`;
}

/**
 * Builds the hook. qrlogin calls it off the request path and reports its errors as `hook-error`,
 * so a slow or failing push service never holds up a login; pushes to several browsers go out in
 * parallel, and a subscription the push service calls gone (404, 410) is forgotten.
 *
 * @example
 * const qr = createQrLogin({
 *   origin: 'https://example.com',
 *   notify: webPushNotifier({ subscriptions, vapid: { subject: 'mailto:ops@example.com', ...vapidKeys } }),
 * });
 */
export function webPushNotifier(options: WebPushNotifierOptions): NotifyHook {
  const { subscriptions, vapid, agent, ttlSeconds = 3600, timeoutMs = 10_000 } = options;
  const onError = options.onError ?? ((error: unknown) => console.warn('web push failed', error));
  return async (notice: Notice) => {
    if (notice.type !== 'new-sign-in') return;
    const payload: SignInPush = {
      title: 'New sign-in',
      body: signInText(notice),
      sessionId: notice.sessionId,
      at: notice.at,
    };
    await Promise.all(
      subscriptions.list(notice.userId).map(async (subscription) => {
        try {
          await webpush.sendNotification(subscription, JSON.stringify(payload), {
            vapidDetails: vapid,
            TTL: ttlSeconds,
            contentEncoding: 'aes128gcm',
            urgency: 'high',
            timeout: timeoutMs,
            ...(agent ? { agent } : {}),
          });
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          if (status === 404 || status === 410) subscriptions.remove(notice.userId, subscription.endpoint);
          else onError(error);
        }
      }),
    );
  };
}
