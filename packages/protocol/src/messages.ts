/**
 * Every JSON shape on the wire, for HTTP bodies and WebSocket frames. `docs/protocol.md` is the
 * normative description; these types are its machine-readable half.
 */
import type { ErrorCode } from './errors.js';

/** Login session states. See the state machine in `docs/protocol.md`. */
export type SessionState = 'pending' | 'scanned' | 'confirmed' | 'redeemed' | 'rejected' | 'cancelled' | 'expired';

/** Every state, in state-machine order. */
export const SESSION_STATES: readonly SessionState[] = [
  'pending',
  'scanned',
  'confirmed',
  'redeemed',
  'rejected',
  'cancelled',
  'expired',
];

/** States a session never leaves. */
export const TERMINAL_STATES: readonly SessionState[] = ['redeemed', 'rejected', 'cancelled', 'expired'];

/**
 * True for a state the session never leaves.
 *
 * @example
 * isTerminalState('expired') // true
 */
export function isTerminalState(state: SessionState): boolean {
  return TERMINAL_STATES.includes(state);
}

/**
 * Why a session was rejected, when the browser may know it. `device-exists` and `device-revoked`
 * end a link whose phone key cannot be registered to the page's user (it belongs to another
 * account, or was revoked), so the waiting phone hears it instead of waiting out the link.
 */
export type RejectReason =
  | 'user'
  | 'code-mismatch'
  | 'proximity'
  | 'scan-conflict'
  | 'signature-invalid'
  | 'device-exists'
  | 'device-revoked';

// ───────────────────────────── browser ⇄ server ─────────────────────────────

/** `POST {base}/sessions` response (201). The only time `browserSecret` is sent. */
export interface CreateSessionResponse {
  sessionId: string;
  /** Keep in memory only; required to subscribe, poll, cancel and redeem. Never put it in a URL. */
  browserSecret: string;
  /** Text to encode in the QR code. */
  qrPayload: string;
  /** When the session expires, ms since the epoch (server clock). */
  expiresAt: number;
  /** Server clock when the response was made, ms since the epoch, for countdowns on skewed clients. */
  serverTime: number;
  /** Session version (starts at 1). */
  version: number;
  /**
   * `true` when the session was created by a linked-browser prompt (`{ prompt }` body): the host's
   * `promptDevices` hook is being called for the user's active devices. Absent otherwise.
   */
  prompted?: true;
}

/**
 * A snapshot of a session as the browser sees it: pushed on every change over WebSocket, and the
 * answer of the long-poll. Carries no personal data and never a secret.
 */
export interface StatusSnapshot {
  sessionId: string;
  state: SessionState;
  /** Monotonically increasing; drop any snapshot whose version is not greater than the last one seen. */
  version: number;
  /** ms since the epoch (server clock). */
  expiresAt: number;
  /** Server clock when the snapshot was made. */
  serverTime: number;
  /** Number-matching code for the browser to show, present while `scanned` when number matching is on. */
  code?: string;
  /** Why the session was rejected (state `rejected` only). */
  reason?: RejectReason;
  /**
   * Link sessions only, while `scanned`: the label the phone claiming it gave itself, for "Phone
   * '<label>' wants to sign in as you". A link snapshot never carries `code`: the phone shows it.
   */
  label?: string;
}

/** First frame a browser sends on the WebSocket, within the auth deadline. */
export interface AuthFrame {
  type: 'auth';
  sessionId: string;
  browserSecret: string;
}

/** Frames the browser may send. Anything else closes the socket with `INVALID_REQUEST` (4400). */
export type ClientFrame = AuthFrame;

/** Server frame carrying a snapshot. The first one after `auth` is the current state. */
export interface StateFrame extends StatusSnapshot {
  type: 'state';
}

/** Server frame sent just before the server closes the socket for an error. */
export interface ErrorFrame {
  type: 'error';
  error: { code: ErrorCode; message: string };
}

/** Frames the server sends. */
export type ServerFrame = StateFrame | ErrorFrame;

// ──────────────────────────────── app ⇄ server ────────────────────────────────

/** The signature part of every signed app request. */
export interface SignedBody {
  deviceId: string;
  /** Device clock, ms since the epoch; must be within the server's skew window. */
  timestamp: number;
  /** base64url Ed25519 signature over the canonical message. */
  signature: string;
}

/** `POST {base}/sessions/:id/scan` body. */
export type ScanBody = SignedBody;

/** `POST {base}/sessions/:id/confirm` body. */
export interface ConfirmBody extends SignedBody {
  /** Number-matching code, when the login request says `codeRequired`. */
  code?: string;
  /**
   * Digest of the context text of the login request the phone displayed (`contextDigest` in
   * context-text.ts), also signed in the `ctx` line (confirm version 3). A body without it is
   * refused with `UNSUPPORTED_VERSION`; one that differs from the server's with `CONTEXT_MISMATCH`.
   */
  contextDigest: string;
}

/** `POST {base}/sessions/:id/reject` body. */
export type RejectBody = SignedBody;

/** Who is asking to sign in: computed by the server from the creating browser's request. */
export interface RequesterContext {
  /** Client IP of the browser (proxy headers only when trusted). */
  ip: string;
  /** Raw User-Agent (truncated). */
  userAgent: string;
  /** Parsed browser, e.g. `Chrome 131`; `''` when unknown. */
  browser: string;
  /** Parsed operating system, e.g. `Windows 10`; `''` when unknown. */
  os: string;
  /** The page's Origin header at creation, or `''`. */
  origin: string;
  /** Where the browser is, from the host's `describeRequester` hook, e.g. `Berlin, DE`. */
  place?: string;
  /** When the session was created, ms since the epoch. */
  createdAt: number;
}

/** Whether the phone and the browser appear to be near each other. */
export interface ProximitySignal {
  /** Same IPv4 /24 or IPv6 /64. */
  sameNetwork: boolean;
  /** Both places known and equal (from the host hook); `undefined` when either is unknown. */
  samePlace?: boolean;
  /** Coarse distance judgement: `near` (same network or place), `far` (places differ), `unknown`. */
  distance: 'near' | 'far' | 'unknown';
  /** The server's proximity policy; with `warn`, apps should stress the context on a `far` request. */
  policy: 'off' | 'warn' | 'deny';
}

/** `POST {base}/sessions/:id/scan` response: everything the confirm screen shows. */
export interface LoginRequest {
  sessionId: string;
  /** The site asking, the audience of the signatures. */
  origin: string;
  /** Single-use challenge to sign in confirm / reject. */
  challenge: string;
  requester: RequesterContext;
  proximity: ProximitySignal;
  /** Number matching is on: the user must type the code the browser shows. */
  codeRequired: boolean;
  /** ms since the epoch (server clock). */
  expiresAt: number;
  serverTime: number;
  version: number;
}

/** `POST {base}/sessions/:id/confirm` and `/reject` response. */
export interface DecisionResponse {
  sessionId: string;
  state: SessionState;
  version: number;
}

/** `POST {base}/devices` body: the public key and a proof of possession (action `register`). */
export interface RegisterDeviceBody {
  /** base64url Ed25519 public key (32 bytes). */
  publicKey: string;
  /** Human label, e.g. "Ana's iPhone". At most 64 characters. */
  label: string;
  timestamp: number;
  signature: string;
}

/** `POST {base}/devices` response (201). */
export interface RegisterDeviceResponse {
  deviceId: string;
}

/** `POST {base}/devices/:id/revoke` body (the device revokes itself, action `revoke`). */
export interface RevokeDeviceBody {
  timestamp: number;
  signature: string;
}

/** `POST {base}/sessions/:id/short-code` response: the session's "Can't scan?" code. */
export interface ShortCodeResponse {
  /** 8 symbols of `SHORT_CODE_ALPHABET`, canonical (no dash); show it grouped, e.g. `K7M2-Q9RT`. */
  shortCode: string;
  /** When the code stops working: the session's own expiry (ms since the epoch). */
  expiresAt: number;
}

/** `POST {base}/find-session` body: a typed short code, signed by a device (action `find-session`, `ref` = the code). */
export interface FindSessionBody {
  deviceId: string;
  /** The canonical short code (upper case, no separators). */
  shortCode: string;
  timestamp: number;
  signature: string;
}

// ──────────────────────────── linking a new phone ────────────────────────────

/**
 * `POST {base}/links/:id/claim` body (app, action `link`): the key to register, its label, and a
 * signature over both and the session made with that key (proof of possession). Sent again, signed
 * anew, to learn the outcome.
 */
export interface LinkClaimBody {
  /** base64url Ed25519 public key (32 bytes) the phone wants registered. */
  publicKey: string;
  /** Human label, e.g. "Ana's iPhone": shown on the page, then the device's label. */
  label: string;
  timestamp: number;
  signature: string;
}

/** `POST {base}/find-session` response: the session the code stands for; the app scans it next. */
export interface FindSessionResponse {
  sessionId: string;
}

/**
 * `POST {base}/links/:id/claim` response: the state of the link as the claiming phone may see it.
 * While `scanned` it carries the number-matching `code` the PHONE shows and the user types on the
 * page; once `redeemed` (the first claim after the page confirmed) the registered `deviceId` and
 * its `userId`.
 */
export interface LinkClaimResponse {
  sessionId: string;
  /** The site the phone is being linked to (the audience of the signature). */
  origin: string;
  state: SessionState;
  /** The browser that asked, as on a login's confirm screen. */
  requester: RequesterContext;
  /** Number-matching code to show on the phone (state `scanned`). */
  code?: string;
  /** The registered device (state `redeemed`). */
  deviceId?: string;
  /** Its user (state `redeemed`). */
  userId?: string;
  /** Why the link was refused (state `rejected`). */
  reason?: RejectReason;
  expiresAt: number;
  serverTime: number;
  version: number;
}

/**
 * `POST {base}/links/:id/reject` body (browser). The secret travels in the body, not in
 * `Authorization`, which stays free for the host's own credentials (its `authenticate` hook reads
 * them here: the same user who created the link must answer it).
 */
export interface LinkRejectBody {
  browserSecret: string;
}

/** `POST {base}/links/:id/confirm` body (browser): the secret and the code the phone shows. */
export interface LinkConfirmBody extends LinkRejectBody {
  code: string;
}

// ─────────────────────────────── logins (ledger) ───────────────────────────────

/** `POST {base}/logins/list`, `/logins/end-all`, `/logins/:id/end`, `/logins/:id/report` body. */
export type LoginsBody = SignedBody;

/** `POST {base}/sessions/:id/report` body ("this wasn't me" from the confirm screen): like reject. */
export type ReportBody = SignedBody;

/** Why a login ended: by the user, with "end all", by a report, by the host, by a device revocation. */
export type LoginEndReason = 'user' | 'all' | 'report' | 'host' | 'device-revoked';

/** One login as the phone shows it under "Where you're signed in". Holds no secret. */
export interface LoginView {
  /** Login id (22 base64url characters). */
  id: string;
  /** The device that approved it. */
  deviceId: string;
  /** The browser that was signed in, as the confirm screen showed it. */
  requester: Pick<RequesterContext, 'browser' | 'os' | 'ip' | 'place'>;
  /** When it was redeemed, ms since the epoch (server clock). */
  createdAt: number;
  /** When it ended, if it did. */
  endedAt?: number;
  endReason?: LoginEndReason;
  /** Approved by the device asking. */
  thisDevice: boolean;
}

/** `POST {base}/logins/list` response: the device user's logins, newest first. */
export interface ListLoginsResponse {
  logins: LoginView[];
}

/** `POST {base}/logins/:id/end` response: whether this call ended it (`false`: it had already ended). */
export interface EndLoginResponse {
  ended: boolean;
}

/** `POST {base}/logins/end-all` response: how many logins this call ended. */
export interface EndAllLoginsResponse {
  ended: number;
}

/** `POST {base}/logins/:id/report` and `/sessions/:id/report` response. */
export interface ReportResponse {
  /** How many logins the report ended. */
  ended: number;
  /** Until when new scans for the user are refused (`SCANS_LOCKED`), ms since the epoch. */
  lockedUntil: number;
}
