/**
 * @module @qrlogin/browser/link
 *
 * "Link a new phone", for a page whose user is signed in: {@link createLinkSession} (the headless
 * client) and {@link defineQrLinkElement} (`<qr-link-device>`). A separate entry, so login pages
 * and the `<qr-login>` element do not carry it. Free of side effects until called.
 *
 * @example
 * import { defineQrLinkElement } from '@qrlogin/browser/link';
 * defineQrLinkElement();
 * // <qr-link-device base-url="/qrlogin"></qr-link-device>
 */
export { defineQrLinkElement, type QrLinkElement } from './define-qr-link-element.js';
export { LINK_LOCALES, type QrLinkStrings, resolveLinkStrings } from './i18n/link-strings.js';
export { createLinkSession, type LinkSession } from './link-session.js';
