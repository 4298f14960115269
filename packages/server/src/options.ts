import { DEFAULT_BASE_PATH, isCanonicalOrigin } from '@qrlogin/protocol';
import { type AppLinkFiles, type AppLinksOptions, appLinkFiles } from './app-links.js';
import type { QrLoginEvents } from './events.js';
import type { TrustProxy } from './net/client-ip.js';
import type { Notice, NotifyHook } from './notifications.js';
import type { PromptDevicesInput } from './prompt-actions.js';
import { memoryBus } from './store/memory-bus.js';
import { memoryDeviceStore } from './store/memory-device-store.js';
import { memoryLinkedBrowserStore } from './store/memory-linked-browser-store.js';
import { memoryLoginLedger } from './store/memory-login-ledger.js';
import { memoryStore } from './store/memory-store.js';
import type {
  Awaitable,
  DeviceStore,
  EventBus,
  LinkedBrowserStore,
  LoginLedger,
  LoginRecord,
  SessionStore,
} from './store/types.js';

/** One fixed-window rate limit: at most `limit` hits per `windowSeconds`. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** Every rate limit, per client IP (IPv6 grouped by /64) unless named otherwise. */
export interface RateLimits {
  /** `POST /sessions` per IP. @default { limit: 30, windowSeconds: 60 } */
  createSession: RateLimit;
  /** Long-poll requests per IP. @default { limit: 600, windowSeconds: 60 } */
  poll: RateLimit;
  /** WebSocket upgrades per IP. @default { limit: 120, windowSeconds: 60 } */
  socketConnect: RateLimit;
  /** Scans per device. @default { limit: 30, windowSeconds: 60 } */
  scanPerDevice: RateLimit;
  /** Confirm / reject attempts per session. @default { limit: 10, windowSeconds: 300 } */
  decidePerSession: RateLimit;
  /** Confirm / reject attempts per user. @default { limit: 60, windowSeconds: 60 } */
  decidePerUser: RateLimit;
  /** Signed app requests (scan, confirm, reject, revoke) per IP. @default { limit: 300, windowSeconds: 60 } */
  appPerIp: RateLimit;
  /** Device registrations per IP. @default { limit: 10, windowSeconds: 60 } */
  registerDevice: RateLimit;
  /** Linked-browser prompts per user, against push fatigue (`PROMPT_LIMITED` past it). @default { limit: 3, windowSeconds: 600 } */
  promptPerUser: RateLimit;
  /** Linked-browser prompt requests per IP, bad tokens included (`PROMPT_LIMITED` past it). @default { limit: 10, windowSeconds: 600 } */
  promptPerIp: RateLimit;
  /** Short-code lookups per network (IPv4 address, IPv6 /64), found or not. @default { limit: 60, windowSeconds: 3600 } */
  findSessionPerIp: RateLimit;
  /** Short-code lookups per device, found or not. @default { limit: 10, windowSeconds: 600 } */
  findSessionPerDevice: RateLimit;
  /** Short-code lookups per user (all their devices), found or not. @default { limit: 30, windowSeconds: 3600 } */
  findSessionPerUser: RateLimit;
  /** Signed ledger calls (list, end, end all, report) per device. @default { limit: 60, windowSeconds: 60 } */
  ledgerPerDevice: RateLimit;
}

/** What the host's `describeRequester` hook may add to the requester context. */
export interface RequesterDescription {
  /** Human place, e.g. `Berlin, DE`. Compared between phone and browser for proximity. */
  place?: string;
}

/** Options of {@link createQrLogin}. */
export interface QrLoginOptions {
  /**
   * The site's origin, e.g. `https://example.com`: the audience of every device signature and the
   * base of the QR URL. Required.
   */
  origin: string;
  /** Where the routes are mounted. @default '/qrlogin' */
  basePath?: string;
  /** Session store. @default memoryStore() */
  store?: SessionStore;
  /** Device store. @default memoryDeviceStore() */
  devices?: DeviceStore;
  /** Cross-instance event bus. @default memoryBus() */
  bus?: EventBus;
  /**
   * Host authentication for `POST {basePath}/devices`: resolve the signed-in user from the
   * request (cookie, bearer token …), or `null`. Without it, devices can only be registered from
   * server code with `qr.registerDevice()`.
   * @default undefined
   */
  authenticate?: (request: Request) => Awaitable<{ userId: string } | null>;
  /**
   * Page origins allowed to open the WebSocket and create sessions, compared exactly.
   * @default [origin]
   */
  allowedOrigins?: readonly string[];
  /** Session lifetime. @default 120 */
  sessionTtlSeconds?: number;
  /** Require the phone to type a two-digit code shown in the browser. @default false */
  numberMatching?: boolean;
  /**
   * What to do when the phone and the browser do not appear to be near each other:
   * `off` computes nothing, `warn` tells the app (`proximity.distance`), `deny` refuses the scan and
   * rejects the session.
   * @default 'warn'
   */
  proximity?: 'off' | 'warn' | 'deny';
  /** What a second device scanning a locked session does: `refuse` it, or also `cancel` the session. @default 'refuse' */
  scanConflict?: 'refuse' | 'cancel';
  /** Allowed difference between device and server clocks. @default 60 */
  clockSkewSeconds?: number;
  /** Reverse proxies to trust for `X-Forwarded-For` (see {@link TrustProxy}). @default false */
  trustProxy?: TrustProxy;
  /** Rate limits; `false` turns them all off (tests, benchmarks). @default see {@link RateLimits} */
  rateLimits?: Partial<RateLimits> | false;
  /** Adds a place to the requester context, e.g. from a GeoIP database. @default undefined */
  describeRequester?: (ip: string, userAgent: string) => Awaitable<RequesterDescription>;
  /**
   * Called after a successful `redeem()`, for "new sign-in on Chrome / Windows near Berlin"
   * notifications to the user's other devices. Errors are reported on `events` as `hook-error`.
   * @default undefined
   */
  onLogin?: (login: QrLoginEvents['redeemed'][0]) => Awaitable<void>;
  /**
   * Called with a typed {@link Notice} for the user: `new-sign-in` (at redeem), `scan-denied`,
   * `scan-conflict`. Runs off the request path: it never delays or fails a login, and its errors
   * are reported on `events` as `hook-error` (`hook: 'notify'`). See docs/notifications.md.
   * @default undefined
   */
  notify?: NotifyHook;
  /** WebSocket limits. */
  socket?: Partial<SocketOptions>;
  /** Longest a long-poll is held. @default 25 */
  longPollSeconds?: number;
  /** Largest JSON body accepted. @default 4096 */
  maxBodyBytes?: number;
  /** Clock, ms since the epoch (tests). @default Date.now */
  now?: () => number;
  /**
   * Turns on linked-browser prompts ("send a prompt to my phone"): `redeem()` then mints a
   * `promptToken` for the browser, and a `POST {basePath}/sessions` with `{ prompt }` calls this hook,
   * off the request path, to reach the user's active devices with the session's `qrPayload` (your
   * push channel); the app answers with `app.scan(qrPayload)`. Errors are reported as `hook-error`.
   * @default undefined
   */
  promptDevices?: (prompt: PromptDevicesInput) => Awaitable<void>;
  /** Where linked-browser tokens live (hashed). @default memoryLinkedBrowserStore() */
  linkedBrowsers?: LinkedBrowserStore;
  /**
   * Lifetime of a linked-browser prompt token minted at redeem, in days. A token never outlives the
   * ledger's record of its login (`loginRetentionSeconds`), and dies when the user ends that login
   * from a phone or revokes its device.
   * @default 30
   */
  promptTokenTtlDays?: number;
  /**
   * The apps that open the QR URL (iOS Universal Links, Android App Links): the server then answers
   * `/.well-known/apple-app-site-association` and `/.well-known/assetlinks.json` (outside the base
   * path), associating only `{basePath}/q/*`. See docs/app.md.
   * @default undefined (neither file is served)
   */
  appLinks?: AppLinksOptions;
  /**
   * The login ledger behind "where you're signed in": every redeem records a login there. Closed on
   * `close()` only when qrlogin created it.
   * @default memoryLoginLedger()
   */
  logins?: LoginLedger;
  /**
   * Ends the host's own session for a login (sign-out on the phone, "end all", "this wasn't me",
   * `qr.revokeLogin`). Store `redemption.loginId` with the session you issue at redeem, and delete
   * the session(s) carrying `login.id` here. Must be idempotent: a failed call is retried.
   * Called before the ledger marks the login ended; when it throws, the login stays active in the
   * ledger (a `hook-error` event fires) and the caller gets `END_SESSION_FAILED` to retry, so a
   * login never looks ended while its host session may live.
   * @default undefined (the ledger alone records the end; the host session lives on)
   */
  endSession?: (login: LoginRecord) => Awaitable<void>;
  /** How long a login stays listed in the ledger after its redeem. @default 2592000 (30 days) */
  loginRetentionSeconds?: number;
  /** "This wasn't me" ends the logins of the reported device created this far back. @default 86400 (24 h) */
  reportWindowSeconds?: number;
  /** After "this wasn't me", new scans for the user are refused (`SCANS_LOCKED`) this long. @default 900 */
  reportLockSeconds?: number;
}

/** WebSocket limits. */
export interface SocketOptions {
  /** Largest frame accepted; the auth frame is ~120 bytes. @default 1024 */
  maxPayloadBytes: number;
  /** Most fragments one message may arrive in (close 1008 past it). @default 8 */
  maxFragments: number;
  /** Deadline for the `auth` frame. @default 5 */
  authTimeoutSeconds: number;
  /** Ping interval; a socket that misses one pong is terminated. @default 30 */
  heartbeatSeconds: number;
  /** Open sockets per client IP (IPv6 /64). @default 50 */
  maxPerIp: number;
  /** Open sockets in all. @default 100000 */
  maxTotal: number;
}

const DEFAULT_RATE_LIMITS: RateLimits = {
  createSession: { limit: 30, windowSeconds: 60 },
  poll: { limit: 600, windowSeconds: 60 },
  socketConnect: { limit: 120, windowSeconds: 60 },
  scanPerDevice: { limit: 30, windowSeconds: 60 },
  decidePerSession: { limit: 10, windowSeconds: 300 },
  decidePerUser: { limit: 60, windowSeconds: 60 },
  appPerIp: { limit: 300, windowSeconds: 60 },
  registerDevice: { limit: 10, windowSeconds: 60 },
  promptPerUser: { limit: 3, windowSeconds: 600 },
  promptPerIp: { limit: 10, windowSeconds: 600 },
  findSessionPerIp: { limit: 60, windowSeconds: 3600 },
  findSessionPerDevice: { limit: 10, windowSeconds: 600 },
  findSessionPerUser: { limit: 30, windowSeconds: 3600 },
  ledgerPerDevice: { limit: 60, windowSeconds: 60 },
};

const DEFAULT_SOCKET: SocketOptions = {
  maxPayloadBytes: 1024,
  maxFragments: 8,
  authTimeoutSeconds: 5,
  heartbeatSeconds: 30,
  maxPerIp: 50,
  maxTotal: 100_000,
};

/** Options after defaults and validation. */
export interface ResolvedOptions
  extends Required<
    Omit<
      QrLoginOptions,
      | 'authenticate'
      | 'describeRequester'
      | 'onLogin'
      | 'rateLimits'
      | 'socket'
      | 'allowedOrigins'
      | 'promptDevices'
      | 'appLinks'
      | 'notify'
      | 'endSession'
    >
  > {
  promptDevices: QrLoginOptions['promptDevices'];
  endSession: QrLoginOptions['endSession'];
  authenticate: QrLoginOptions['authenticate'];
  describeRequester: QrLoginOptions['describeRequester'];
  onLogin: QrLoginOptions['onLogin'];
  notify: QrLoginOptions['notify'];
  /** Each allowed origin to itself: `get` returns the allowlist's own copy of a request's origin. */
  allowedOrigins: ReadonlyMap<string, string>;
  rateLimits: RateLimits | false;
  socket: SocketOptions;
  /** The association files to serve, built from `appLinks`; `undefined` when it is not set. */
  appLinks: AppLinkFiles | undefined;
}

/** A value as a message shows it: strings quoted, so `"5"` and `5` read differently. */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function refuse(name: string, expected: string, ...value: [unknown?]): never {
  const got = value.length > 0 ? `, got ${shown(value[0])}` : '';
  throw new TypeError(`createQrLogin: option "${name}" ${expected}${got}`);
}

function positive(name: string, value: unknown, integer = true): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    refuse(name, `must be a positive ${integer ? 'integer' : 'number'}`, value);
  }
  return value;
}

function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) refuse(name, `must be one of ${allowed.map(shown).join(', ')}`, value);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A store or bus passed in must have the interface's required methods; a typo fails here, not on the first login. */
function implementing<T>(name: string, value: T | undefined, type: string, methods: readonly string[]): T | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) refuse(name, `must be ${type}`, value);
  const missing = methods.filter((method) => typeof value[method] !== 'function');
  if (missing.length > 0) refuse(name, `must be ${type} (missing ${missing.join(', ')})`);
  return value;
}

/** Overrides of a closed set of fields: an unknown name is a typo that would silently keep the default. */
function knownFields(name: string, value: unknown, known: object, what: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isObject(value)) refuse(name, 'must be an object', value);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(known, key))
      refuse(name, `has no ${what} ${shown(key)} (known: ${Object.keys(known).join(', ')})`);
  }
  return value;
}

/** Applies defaults and validates every option once, at construction. Never mutates `options`. */
export function resolveOptions(options: QrLoginOptions): ResolvedOptions {
  if (!isObject(options)) throw new TypeError('createQrLogin: options object is required');
  if (!isCanonicalOrigin(options.origin)) {
    refuse(
      'origin',
      'must be a lower-case origin like "https://example.com" (no path, no trailing slash)',
      options.origin,
    );
  }
  const basePath = options.basePath ?? DEFAULT_BASE_PATH;
  if (typeof basePath !== 'string' || (basePath !== '' && !/^(\/[A-Za-z0-9\-._~]+)+$/.test(basePath))) {
    refuse('basePath', 'must look like "/qrlogin" (no trailing slash)', basePath);
  }
  const allowedOrigins: unknown = options.allowedOrigins ?? [options.origin];
  if (!Array.isArray(allowedOrigins)) refuse('allowedOrigins', 'must be an array of origins', allowedOrigins);
  // An empty allowlist would refuse every browser's WebSocket: a misconfiguration, not a policy.
  if (allowedOrigins.length === 0) refuse('allowedOrigins', 'must list at least one origin');
  for (const origin of allowedOrigins) {
    if (!isCanonicalOrigin(origin)) {
      refuse('allowedOrigins', `holds ${shown(origin)}, which is not a canonical origin like "https://example.com"`);
    }
  }
  for (const name of [
    'authenticate',
    'describeRequester',
    'onLogin',
    'notify',
    'now',
    'promptDevices',
    'endSession',
  ] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      refuse(name, 'must be a function', options[name]);
  }
  const numberMatching = options.numberMatching ?? false;
  if (typeof numberMatching !== 'boolean') refuse('numberMatching', 'must be true or false', numberMatching);
  const trustProxy = options.trustProxy ?? false;
  if (trustProxy !== false && !(typeof trustProxy === 'number' && Number.isInteger(trustProxy) && trustProxy > 0)) {
    refuse('trustProxy', 'must be false or a positive integer', trustProxy);
  }
  let rateLimits: RateLimits | false = false;
  if (options.rateLimits !== false) {
    if (options.rateLimits !== undefined && !isObject(options.rateLimits)) {
      refuse('rateLimits', 'must be false or an object of rules', options.rateLimits);
    }
    rateLimits = {
      ...DEFAULT_RATE_LIMITS,
      ...knownFields('rateLimits', options.rateLimits, DEFAULT_RATE_LIMITS, 'rule'),
    };
    for (const [name, rule] of Object.entries(rateLimits) as [string, unknown][]) {
      if (!isObject(rule)) refuse(`rateLimits.${name}`, 'must be { limit, windowSeconds }', rule);
      positive(`rateLimits.${name}.limit`, rule.limit);
      positive(`rateLimits.${name}.windowSeconds`, rule.windowSeconds, false);
    }
  }
  const socket = {
    ...DEFAULT_SOCKET,
    ...knownFields('socket', options.socket, DEFAULT_SOCKET, 'field'),
  } as SocketOptions;
  for (const [name, value] of Object.entries(socket))
    positive(`socket.${name}`, value, name !== 'authTimeoutSeconds' && name !== 'heartbeatSeconds');
  const store = implementing('store', options.store, 'a SessionStore', ['create', 'get', 'compareAndSet', 'hit']);
  const devices = implementing('devices', options.devices, 'a DeviceStore', [
    'add',
    'get',
    'revoke',
    'listByUser',
    'update',
  ]);
  const bus = implementing('bus', options.bus, 'an EventBus', ['publish', 'subscribe']);
  const linkedBrowsers = implementing('linkedBrowsers', options.linkedBrowsers, 'a LinkedBrowserStore', [
    'add',
    'get',
    'remove',
    'removeByUser',
  ]);
  const logins = implementing('logins', options.logins, 'a LoginLedger', ['add', 'get', 'listByUser', 'end']);

  return {
    origin: options.origin,
    basePath,
    store: store ?? memoryStore({ now: options.now }),
    devices: devices ?? memoryDeviceStore(),
    bus: bus ?? memoryBus(),
    authenticate: options.authenticate,
    allowedOrigins: new Map(allowedOrigins.map((origin: string) => [origin, origin])),
    sessionTtlSeconds: positive('sessionTtlSeconds', options.sessionTtlSeconds ?? 120, false),
    numberMatching,
    proximity: oneOf('proximity', options.proximity ?? 'warn', ['off', 'warn', 'deny']),
    scanConflict: oneOf('scanConflict', options.scanConflict ?? 'refuse', ['refuse', 'cancel']),
    clockSkewSeconds: positive('clockSkewSeconds', options.clockSkewSeconds ?? 60, false),
    trustProxy,
    rateLimits,
    describeRequester: options.describeRequester,
    onLogin: options.onLogin,
    notify: options.notify,
    socket,
    longPollSeconds: positive('longPollSeconds', options.longPollSeconds ?? 25, false),
    maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes ?? 4096),
    now: options.now ?? Date.now,
    promptDevices: options.promptDevices,
    linkedBrowsers: linkedBrowsers ?? memoryLinkedBrowserStore({ now: options.now }),
    promptTokenTtlDays: positive('promptTokenTtlDays', options.promptTokenTtlDays ?? 30, false),
    appLinks: appLinkFiles(options.appLinks, basePath),
    logins: logins ?? memoryLoginLedger({ now: options.now }),
    endSession: options.endSession,
    loginRetentionSeconds: positive('loginRetentionSeconds', options.loginRetentionSeconds ?? 2_592_000, false),
    reportWindowSeconds: positive('reportWindowSeconds', options.reportWindowSeconds ?? 86_400, false),
    reportLockSeconds: positive('reportLockSeconds', options.reportLockSeconds ?? 900, false),
  };
}
