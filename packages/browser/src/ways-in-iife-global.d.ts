/**
 * Types of the second `<script>` file (`@qrlogin/browser/qr-login-ways-in.iife.js`, copied to
 * `dist/qr-login-ways-in.iife.d.ts`). It exports nothing: loaded after `qr-login.iife.js`, it hands
 * `<qr-login>` the open-in-app, short-code and TV views that one `<script>` file cannot load as a chunk.
 *
 * @example
 * // <script src="/assets/qr-login.iife.js"></script>
 * // <script src="/assets/qr-login-ways-in.iife.js"></script>
 * // <qr-login base-url="/qrlogin" short-code></qr-login>
 */
export {};
