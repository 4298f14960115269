/**
 * The signed-in page's "Link a new phone" panel (imported by `signed-in.ts`): `<qr-link-device>` (from the separate `@qrlogin/browser/link`
 * entry, so the login page does not load it) and, as on the login page, a demo-only shortcut that
 * opens the phone simulator with the current code's link.
 */
import { defineQrLinkElement, type QrLinkElement } from '@qrlogin/browser/link';

defineQrLinkElement();
const panel = document.querySelector<QrLinkElement>('qr-link-device');
const shortcut = document.querySelector<HTMLAnchorElement>('#link-shortcut');

if (panel && shortcut) {
  panel.addEventListener('qrlink-state', (event) => {
    const payload = panel.session?.session?.qrPayload;
    const waiting = (event as CustomEvent<{ state: string }>).detail.state === 'pending' && payload !== undefined;
    shortcut.hidden = !waiting;
    if (waiting) shortcut.href = `/phone?qr=${encodeURIComponent(payload)}`;
  });
}
