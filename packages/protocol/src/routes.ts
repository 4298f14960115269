/**
 * Paths of the qrlogin HTTP API, relative to the base path it is mounted under (default
 * `/qrlogin`). Clients build URLs from these so the server and its clients cannot drift apart.
 */
export const ROUTES = {
  /** `POST` — create a session (browser). */
  sessions: '/sessions',
  /** `GET ?after=N` long-poll (browser, `Authorization: Bearer <browserSecret>`); `DELETE` cancels. */
  session: (sessionId: string) => `/sessions/${sessionId}`,
  /** `GET` WebSocket upgrade (browser). */
  socket: '/ws',
  /** `POST` the session's "Can't scan?" short code (browser, `Authorization: Bearer <browserSecret>`). */
  shortCode: (sessionId: string) => `/sessions/${sessionId}/short-code`,
  /** `POST` — a signed-in browser creates a link session to add a new phone (host-authenticated). */
  links: '/links',
  /** `POST { browserSecret, code }` (browser, host-authenticated). */
  linkConfirm: (sessionId: string) => `/links/${sessionId}/confirm`,
  /** `POST { browserSecret }` (browser, host-authenticated). */
  linkReject: (sessionId: string) => `/links/${sessionId}/reject`,
} as const;

/**
 * Paths only the phone (and a host's own device pages) call, relative to the base path. Kept apart
 * from {@link ROUTES} so the browser bundles, which never make these calls, do not carry them.
 *
 * @example
 * await postJson(baseUrl + APP_ROUTES.scan(sessionId), body);
 */
export const APP_ROUTES = {
  /** `POST` signed scan (app). */
  scan: (sessionId: string) => `/sessions/${sessionId}/scan`,
  /** `POST` signed confirm (app). */
  confirm: (sessionId: string) => `/sessions/${sessionId}/confirm`,
  /** `POST` signed reject (app). */
  reject: (sessionId: string) => `/sessions/${sessionId}/reject`,
  /** `POST` register a device (app, host-authenticated, proof of possession); `GET` lists the signed-in user's devices (web). */
  devices: '/devices',
  /** `POST` signed self-revocation (app). */
  revokeDevice: (deviceId: string) => `/devices/${deviceId}/revoke`,
  /** `POST` signed find-session: a typed short code → its session id (app). */
  findSession: '/find-session',
  /** `POST` signed `link` (app): claims a link session, and again to learn the outcome. */
  linkClaim: (sessionId: string) => `/links/${sessionId}/claim`,
  /** `POST` signed list of the signer's user's devices (app, action `list-devices`). */
  listDevices: '/devices/list',
  /** `POST` signed rename of one of the user's devices (app, action `rename-device`). */
  renameDevice: (deviceId: string) => `/devices/${deviceId}/rename`,
  /** `POST` signed revocation of one of the user's devices, this one or another (app, action `revoke-device`). */
  revokeUserDevice: (deviceId: string) => `/devices/${deviceId}/revoke-device`,
  /** `PATCH {label}` renames, `DELETE` revokes one of the signed-in user's devices (web, same origin). */
  userDevice: (deviceId: string) => `/devices/${deviceId}`,
} as const;

/**
 * Paths of the ledger calls (app, signed, version 3), relative to the base path. Kept apart from
 * {@link ROUTES} so the browser bundles, which never make these calls, do not carry them.
 *
 * @example
 * await postJson(baseUrl + LOGIN_ROUTES.endLogin(loginId), body);
 */
export const LOGIN_ROUTES = {
  /** `POST` signed list of the device user's logins (app, action `list-logins`). */
  listLogins: '/logins/list',
  /** `POST` signed end of one login (app, action `end-login`). */
  endLogin: (loginId: string) => `/logins/${loginId}/end`,
  /** `POST` signed end of every login of the device's user (app, action `end-all-logins`). */
  endAllLogins: '/logins/end-all',
  /** `POST` signed "this wasn't me" about a login (app, action `report-login`). */
  reportLogin: (loginId: string) => `/logins/${loginId}/report`,
  /** `POST` signed "this wasn't me" from the confirm screen (app, action `report`). */
  report: (sessionId: string) => `/sessions/${sessionId}/report`,
} as const;

/** Default base path qrlogin is mounted under. */
export const DEFAULT_BASE_PATH = '/qrlogin';

/** Longest a long-poll request is held before it answers with the unchanged snapshot. */
export const LONG_POLL_HOLD_SECONDS = 25;

/** Deadline for the `auth` frame after a WebSocket opens. */
export const WS_AUTH_DEADLINE_SECONDS = 5;

/**
 * App-site association files, served at the host's root (never under the base path) when the
 * server's `appLinks` option is set: iOS Universal Links and Android App Links then open the QR URL
 * (`{basePath}/q/*`) in the app instead of the browser.
 */
export const WELL_KNOWN = {
  apple: '/.well-known/apple-app-site-association',
  android: '/.well-known/assetlinks.json',
} as const;
