/**
 * The login page's script. Defining `<qr-login>` is all a real site needs: the element creates the
 * session, shows the QR, hears the phone over WebSocket (or long-poll), redeems through the host's
 * `redeem-url` and follows `redirect` to the signed-in page.
 *
 * The rest is a demo-only shortcut for trying it without a phone: a link that opens the phone
 * simulator with the current code's link (`/phone?qr=…`). The link is public — it is what the QR
 * shows — but a real site should not offer it: the point of the QR is that the phone reads it.
 */
import '@qrlogin/browser/element';
import type { QrLoginElement } from '@qrlogin/browser';
import { addPromptButton } from '@qrlogin/browser/prompt';

const widget = document.querySelector<QrLoginElement>('qr-login');
const shortcut = document.querySelector<HTMLAnchorElement>('#phone-shortcut');
// The host rendered `prompt` because this browser signed in before (its token is an HttpOnly cookie).
if (widget?.hasAttribute('prompt')) addPromptButton(widget);

if (widget && shortcut) {
  widget.addEventListener('qrlogin-state', (event) => {
    const payload = widget.client?.session?.qrPayload;
    const waiting = event.detail.state === 'pending' && payload !== undefined;
    shortcut.hidden = !waiting;
    if (waiting) shortcut.href = `/phone?qr=${encodeURIComponent(payload)}`;
  });
  widget.addEventListener('qrlogin-error', () => {
    shortcut.hidden = true;
  });
}
