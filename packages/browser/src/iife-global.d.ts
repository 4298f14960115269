/**
 * Types of the `<script>` build (`@qrlogin/browser/qr-login.iife.js`, copied to
 * `dist/qr-login.iife.d.ts`): it adds `window.QrLogin` and defines `<qr-login>` on load.
 *
 * @example
 * // <script src="/assets/qr-login.iife.js"></script>
 * const client = window.QrLogin.createQrLoginClient({ baseUrl: '/qrlogin' });
 */
import type * as QrLoginModule from './index.js';

declare global {
  var QrLogin: typeof QrLoginModule;
}
