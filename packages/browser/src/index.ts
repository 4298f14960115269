/**
 * @module @qrlogin/browser
 *
 * The waiting page of scan-to-log-in: {@link createQrLoginClient} (a headless client that creates
 * the session and hears, in real time, what the phone did), {@link renderQrSvg} (the QR as DOM
 * nodes) and {@link defineQrLoginElement} (the drop-in `<qr-login>` element). Free of side effects:
 * nothing touches `window` or `document` until called.
 *
 * @example
 * import { createQrLoginClient, renderQrSvg } from '@qrlogin/browser';
 * const client = createQrLoginClient({ baseUrl: '/qrlogin' });
 * client.on('session', ({ qrPayload }) => box.replaceChildren(renderQrSvg(qrPayload)));
 * await client.start();
 */
export type { CreateSessionResponse, ErrorCode, RejectReason, SessionState, StatusSnapshot } from '@qrlogin/protocol';
export { isQrLoginError, QrLoginError } from '@qrlogin/protocol';
export type { BackoffOptions } from './backoff-delay.js';
export {
  createQrLoginClient,
  type QrLoginClient,
  type QrLoginClientEvents,
  type QrLoginSessionInfo,
} from './client.js';
export type { QrLoginClientOptions, RotateOptions, TransportKind } from './client-options.js';
export {
  type DefineQrLoginElementOptions,
  defineQrLoginElement,
  type QrLoginElement,
  type QrLoginErrorDetail,
} from './define-qr-login-element.js';
export { LOCALES, pickLocale, type QrLoginLocale, resolveStrings } from './i18n/resolve-strings.js';
export { formatString, type QrLoginStrings } from './i18n/strings.js';
// Types only: the tables ship in the lazily loaded view, not in the `<script>` build's global.
export type { QrLoginWaysInStrings } from './i18n/ways-in.js';
export { type ErrorCorrectionLevel, type QrMatrix, qrMatrix, qrPathData } from './qr-matrix.js';
export { type RenderQrOptions, renderQrSvg } from './render-qr.js';
export type { FetchLike } from './request-json.js';
export type { WebSocketConstructor, WebSocketLike } from './transport/websocket-like.js';
export type { VisibilitySource } from './visibility.js';
