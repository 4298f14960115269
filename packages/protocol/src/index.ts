/**
 * @module @qrlogin/protocol
 *
 * The shared wire layer of qrlogin: message types, error codes, the canonical signed bytes, id
 * formats and the QR payload. Private; bundled into `@qrlogin/server`, `@qrlogin/browser` and
 * `@qrlogin/app` so all three speak exactly one protocol.
 */
export * from './base64url.js';
export * from './context-text.js';
export * from './error-table.js';
export * from './errors.js';
export * from './ids.js';
export * from './messages.js';
export * from './origin.js';
export * from './qr-payload.js';
export * from './routes.js';
export * from './signing.js';
export * from './test-vectors.js';
