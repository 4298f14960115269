/**
 * Paths of the qrlogin HTTP API, relative to the base path it is mounted under (default
 * `/qrlogin`). Clients build URLs from these so the server and its clients cannot drift apart.
 */
export const ROUTES = {
  /** `POST` — create a session (browser). */
  sessions: '/sessions',
  /** `GET ?after=N` long-poll (browser, `Authorization: Bearer <browserSecret>`); `DELETE` cancels. */
  session: (sessionId: string) => `/sessions/${sessionId}`,
  /** `POST` signed scan (app). */
  scan: (sessionId: string) => `/sessions/${sessionId}/scan`,
  /** `POST` signed confirm (app). */
  confirm: (sessionId: string) => `/sessions/${sessionId}/confirm`,
  /** `POST` signed reject (app). */
  reject: (sessionId: string) => `/sessions/${sessionId}/reject`,
  /** `POST` register a device (app, host-authenticated, proof of possession). */
  devices: '/devices',
  /** `POST` signed self-revocation (app). */
  revokeDevice: (deviceId: string) => `/devices/${deviceId}/revoke`,
  /** `GET` WebSocket upgrade (browser). */
  socket: '/ws',
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
