/**
 * The `<script>` build (`dist/qr-login.iife.js`): exposes `window.QrLogin` and defines `<qr-login>`
 * on load, for pages without a bundler.
 *
 * @example
 * // <script src="/assets/qr-login.iife.js"></script>
 * // <qr-login base-url="/qrlogin" redeem-url="/login/qr"></qr-login>
 * const client = QrLogin.createQrLoginClient({ baseUrl: '/qrlogin' });
 */
export * from './element.js';
export * from './index.js';
