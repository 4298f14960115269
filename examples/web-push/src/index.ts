/**
 * @module @qrlogin/example-web-push
 *
 * A qrlogin `notify` hook that sends "New sign-in on Chrome on macOS near Berlin" as a Web Push to
 * every browser of the user that subscribed, plus a small host showing the subscription route.
 *
 * @example
 * import webpush from 'web-push';
 * import { createQrLogin } from '@qrlogin/server';
 * import { memoryPushSubscriptions, webPushNotifier } from '@qrlogin/example-web-push';
 *
 * const subscriptions = memoryPushSubscriptions();
 * const qr = createQrLogin({
 *   origin: 'https://example.com',
 *   notify: webPushNotifier({ subscriptions, vapid: { subject: 'mailto:ops@example.com', ...webpush.generateVAPIDKeys() } }),
 * });
 */
export { startWebPushHost, type WebPushHost, type WebPushHostOptions } from './host.js';
export {
  memoryPushSubscriptions,
  type PushSubscriptionJson,
  type PushSubscriptions,
  parseSubscription,
} from './push-subscriptions.js';
export { type SignInPush, signInText, type WebPushNotifierOptions, webPushNotifier } from './web-push-notifier.js';
