/**
 * @module @qrlogin/server
 *
 * Scan-to-log-in for your own Node backend: `createQrLogin()` gives you the HTTP handlers
 * (`fetch` for Web runtimes, `node` for node:http / Express / Connect), the WebSocket push
 * (`attach`), and `redeem()` for your own login route. Sessions, devices and the cross-instance
 * bus are pluggable; the in-memory defaults run one process, `@qrlogin/redis` runs many.
 *
 * @example
 * import { createQrLogin } from '@qrlogin/server';
 * const qr = createQrLogin({ origin: 'https://example.com' });
 */

export type {
  CreateSessionResponse,
  EndAllLoginsResponse,
  EndLoginResponse,
  ListLoginsResponse,
  LoginRequest,
  LoginView,
  ProximitySignal,
  RejectReason,
  ReportResponse,
  RequesterContext,
  SessionState,
  StatusSnapshot,
} from '@qrlogin/protocol';
export {
  describeError,
  ERROR_STATUS,
  ERROR_TABLE,
  type ErrorBody,
  type ErrorCode,
  httpStatusOf,
  isQrLoginError,
  QrLoginError,
  wsCloseCodeOf,
} from '@qrlogin/protocol';
export { REDEEM_RETRY_WINDOW_MS, type Redemption } from './browser-actions.js';
export { contextDigestOf } from './context-digest.js';
export { createQrLogin, type QrLogin } from './create-qr-login.js';
export type { RegisterDeviceInput } from './device-actions.js';
export type { QrLoginEmitter, QrLoginEvents } from './events.js';
export type { FetchInfo } from './http/fetch-adapter.js';
export type { RevokeLoginsInput } from './ledger-actions.js';
export type { TrustProxy } from './net/client-ip.js';
export type { QrLoginOptions, RateLimit, RateLimits, RequesterDescription, SocketOptions } from './options.js';
export type { NotMeReport, ReportNotMeInput } from './report-not-me.js';
export { type MemoryBusOptions, memoryBus } from './store/memory-bus.js';
export { memoryDeviceStore } from './store/memory-device-store.js';
export { type MemoryLoginLedgerOptions, memoryLoginLedger } from './store/memory-login-ledger.js';
export { type MemoryStoreOptions, memoryStore } from './store/memory-store.js';
export type {
  ApprovalReceipt,
  Awaitable,
  DeviceRecord,
  DeviceStore,
  EventBus,
  LoginEndReason,
  LoginLedger,
  LoginRecord,
  SessionRecord,
  SessionStore,
  SnapshotListener,
} from './store/types.js';
export { type VerifiedReceipt, verifyReceipt } from './verify-receipt.js';
