/**
 * `pnpm --filter @qrlogin/example-web-push start`: the host on PORT (default 3000) with VAPID keys
 * from VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY, or a fresh pair printed for you to keep (browsers'
 * subscriptions are bound to the public key).
 */
import webpush from 'web-push';
import { startWebPushHost } from './host.js';

let publicKey = process.env.VAPID_PUBLIC_KEY;
let privateKey = process.env.VAPID_PRIVATE_KEY;
if (!publicKey || !privateKey) {
  ({ publicKey, privateKey } = webpush.generateVAPIDKeys());
  console.log(`VAPID_PUBLIC_KEY=${publicKey}\nVAPID_PRIVATE_KEY=${privateKey}  (keep these)`);
}
const host = await startWebPushHost({
  port: Number(process.env.PORT ?? 3000),
  vapid: { subject: process.env.VAPID_SUBJECT ?? 'mailto:ops@example.com', publicKey, privateKey },
});
console.log(`web-push example on ${host.url}`);
