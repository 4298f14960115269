/**
 * @module @qrlogin/browser/element
 *
 * Importing this entry defines `<qr-login>` (when the page has custom elements); it is the one
 * entry of the package with a side effect. Use `defineQrLoginElement()` from the main entry to
 * pick another tag name or pass client options instead.
 *
 * @example
 * import '@qrlogin/browser/element';
 * // <qr-login base-url="/qrlogin" redeem-url="/login/qr"></qr-login>
 */
import { defineQrLoginElement, type QrLoginElement, type QrLoginErrorDetail } from './define-qr-login-element.js';

export * from './define-qr-login-element.js';

if (typeof customElements !== 'undefined') defineQrLoginElement();

declare global {
  interface HTMLElementTagNameMap {
    'qr-login': QrLoginElement;
  }
  interface HTMLElementEventMap {
    'qrlogin-login': CustomEvent<unknown>;
    'qrlogin-error': CustomEvent<QrLoginErrorDetail>;
    'qrlogin-confirmed': CustomEvent<{ sessionId: string; browserSecret: string }>;
    'qrlogin-state': CustomEvent<import('@qrlogin/protocol').StatusSnapshot>;
  }
}
