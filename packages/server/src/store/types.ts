/**
 * The storage seams of the server: where sessions, devices and rate-limit counters live, and how
 * changes reach every instance. Small on purpose: each backend (memory here, Redis in
 * `@qrlogin/redis`, a host's own database) implements a handful of methods, checked by one
 * conformance suite per interface.
 */
import type {
  LoginEndReason,
  QrKind,
  RejectReason,
  RequesterContext,
  SessionState,
  StatusSnapshot,
} from '@qrlogin/protocol';

// The phone sees why a login ended (LoginView.endReason): one definition, on the wire.
export type { LoginEndReason };

/** A value or a promise of it: memory backends answer synchronously, network ones asynchronously. */
export type Awaitable<T> = T | Promise<T>;

/** Everything the server knows about a login session. Stored whole; changed only by compare-and-set. */
export interface SessionRecord {
  /** Public id (in the QR). */
  id: string;
  /** Hex SHA-256 of the browser secret; the secret itself is never stored. */
  secretHash: string;
  state: SessionState;
  /** Starts at 1 and grows by exactly 1 with every write. */
  version: number;
  createdAt: number;
  /** ms since the epoch; a non-terminal session past this instant is expired. */
  expiresAt: number;
  updatedAt: number;
  /** The creating browser's context, shown on the phone. */
  requester: RequesterContext;
  /** Device that scanned (and locked) the session. */
  deviceId?: string;
  /** Owner of that device: the user who will be signed in. */
  userId?: string;
  /** Single-use challenge issued at scan, signed by confirm / reject. */
  challenge?: string;
  /** Number-matching code issued at scan (when on). */
  code?: string;
  /** Phone's IP at scan, for audit. */
  scanIp?: string;
  /** Why the session was rejected. */
  rejectReason?: RejectReason;
  /**
   * The context text the confirm screen was sent at scan (what the phone displays), and its digest,
   * which a version 3 confirm signs in its `ctx` line.
   */
  context?: string;
  contextDigest?: string;
  /** The verified confirm signature, kept from confirm to redeem, where it goes into the ledger. */
  receipt?: ApprovalReceipt;
  /**
   * When a `redeem()` call took the redemption (ms since the epoch): set once, by compare-and-set,
   * on a `redeemed` record. Kept apart from the `confirmed → redeemed` write because that write can
   * land after its caller gave up (a store that timed out); the redemption then stays unclaimed and
   * a retry with the same secret can still take it. Does not change `updatedAt`.
   */
  claimedAt?: number;
  /**
   * Set on a session created by a linked-browser prompt: only this user's devices may scan it, and
   * number matching is required whatever the `numberMatching` option says.
   */
  promptUserId?: string;
  /**
   * The session's "Can't scan?" short code, once the browser asked for one. A session that has one
   * requires number matching at scan, whatever the `numberMatching` option says.
   */
  shortCode?: string;
  /**
   * `link` for a session a signed-in browser created to add a new phone (docs/protocol.md,
   * "Linking a new phone"); absent for a login, so records written before links existed read as
   * logins. The login routes refuse a link session and the link routes a login one.
   */
  kind?: QrKind;
  /** Link sessions: the signed-in user who created it, and to whom the phone will be registered. */
  createdBy?: string;
  /** Link sessions, from the claim on: the public key the phone signed with, and its label. */
  linkKey?: string;
  linkLabel?: string;
  /**
   * The id of the login this session's redemption records in the ledger: drawn once, with the
   * `confirmed → redeemed` write, so a redeem retried within the claim window writes the same
   * login (the ledger refuses the second `add`) instead of a second one.
   */
  loginId?: string;
}

/**
 * Where sessions and rate-limit counters live. Every state change goes through
 * {@link SessionStore.compareAndSet}, so two instances racing on one session produce exactly one
 * outcome.
 *
 * @example
 * const store = memoryStore() satisfies SessionStore;
 */
export interface SessionStore {
  /**
   * Inserts a new record. Returns `false` (and writes nothing) when the id already exists.
   * The store may forget the record at `retainUntil` (ms since the epoch).
   */
  create(record: SessionRecord, retainUntil: number): Awaitable<boolean>;
  /** The stored record, or `null` when there is none (never created, or forgotten). */
  get(id: string): Awaitable<SessionRecord | null>;
  /**
   * Atomically replaces the record with `next` if and only if the stored record exists and its
   * version equals `expectedVersion`. Returns whether it wrote. The caller guarantees
   * `next.version === expectedVersion + 1` and `next.id` names the record.
   */
  compareAndSet(next: SessionRecord, expectedVersion: number, retainUntil: number): Awaitable<boolean>;
  /**
   * Optional fast path for stores that are also the bus's transport (Redis store + Redis bus on one
   * server): {@link SessionStore.compareAndSet}, and when it writes, publish `snapshot` on `bus` in
   * the same atomic step — one round trip instead of two, and no lost publish after a won write.
   * Return `null` when this store cannot publish for that bus; the server then falls back to
   * `compareAndSet` followed by `bus.publish`.
   */
  compareAndSetAndPublish?(
    next: SessionRecord,
    expectedVersion: number,
    retainUntil: number,
    snapshot: StatusSnapshot,
    bus: EventBus,
  ): Awaitable<boolean | null>;
  /**
   * Counts one hit against `key` in a fixed window of `windowMs` starting at the key's first hit,
   * and returns the count so far and when the window resets (ms since the epoch). Backs the rate
   * limits, so limits hold across instances that share the store.
   */
  hit(key: string, windowMs: number): Awaitable<{ count: number; resetAt: number }>;
  /**
   * Optional, for "Can't scan?" short codes: maps `code` to `sessionId` until `retainUntil` (ms since
   * the epoch), in a key space of its own, only if no live mapping holds `code`. Returns whether it
   * wrote; `false` is a collision the server retries with another code. Without this method (and
   * {@link SessionStore.findShortCode}) short codes are unavailable.
   */
  addShortCode?(code: string, sessionId: string, retainUntil: number): Awaitable<boolean>;
  /** Optional: the session id a live short code maps to, or `null`. */
  findShortCode?(code: string): Awaitable<string | null>;
  /** Releases timers / connections the store owns. */
  close?(): Awaitable<void>;
}

/** A device key registered to a user. */
export interface DeviceRecord {
  id: string;
  userId: string;
  /** base64url Ed25519 public key (32 bytes). */
  publicKey: string;
  label: string;
  createdAt: number;
  /** Set once the device is revoked; a revoked device can do nothing. */
  revokedAt?: number;
  /**
   * Last scan or confirm (ms since the epoch), written best-effort and at most about once a minute
   * per device (see {@link DeviceStore.update}); absent when the device was never used.
   */
  lastUsedAt?: number;
}

/**
 * What {@link DeviceStore.update} may change: the label (a rename) and the last-used time.
 *
 * @example
 * await devices.update(deviceId, { lastUsedAt: Date.now() });
 */
export interface DevicePatch {
  label?: string;
  lastUsedAt?: number;
}

/**
 * Where registered devices live. Hosts usually back it with their own database.
 *
 * @example
 * const devices = memoryDeviceStore() satisfies DeviceStore;
 */
export interface DeviceStore {
  /** Inserts a device. Returns `false` (writing nothing) when the id or the public key is taken. */
  add(record: DeviceRecord): Awaitable<boolean>;
  get(id: string): Awaitable<DeviceRecord | null>;
  /** Marks the device revoked at `at`. Returns `false` when there is no such device. Idempotent. */
  revoke(id: string, at: number): Awaitable<boolean>;
  /** Every device of a user, revoked ones included. */
  listByUser(userId: string): Awaitable<DeviceRecord[]>;
  /**
   * Changes the fields in `patch` of an existing device, revoked or not, creating nothing. Returns
   * `false` when there is no such device. `lastUsedAt` only moves forward: an older instant than
   * the stored one leaves it as it is (two instances touching one device in either order).
   */
  update(id: string, patch: DevicePatch): Awaitable<boolean>;
  close?(): Awaitable<void>;
}

/** Receives snapshots of one session. */
export type SnapshotListener = (snapshot: StatusSnapshot) => void;

/**
 * Carries session snapshots from the instance that changed a session to every instance holding a
 * browser waiting on it. Delivery is best-effort (pub/sub may drop messages while disconnected);
 * the server makes that harmless by re-sending snapshots whenever {@link EventBus.onResync} fires.
 *
 * @example
 * const bus = memoryBus() satisfies EventBus;
 */
export interface EventBus {
  publish(snapshot: StatusSnapshot): Awaitable<void>;
  /**
   * Calls `listener` with every snapshot published for `sessionId` from now on, until the returned
   * function is called. Several listeners may subscribe to one session.
   */
  subscribe(sessionId: string, listener: SnapshotListener): Awaitable<() => Awaitable<void>>;
  /**
   * Registers a callback for "messages may have been lost" (e.g. after a reconnect); the server
   * then re-reads and re-sends the snapshot of every session it is watching. Returns an unregister
   * function.
   */
  onResync?(listener: () => void): () => void;
  close?(): Awaitable<void>;
}

/**
 * A confirm signature kept as evidence: anyone holding the device's public key can check later,
 * offline, that this device approved this login after being shown `context`.
 */
export interface ApprovalReceipt {
  /** The canonical signed text (version 3 `confirm`), exactly as verified. */
  message: string;
  /** base64url Ed25519 signature over `message`. */
  signature: string;
  /** base64url public key of the device that signed, as it was at confirm. */
  publicKey: string;
  /** The context text whose digest is the message's `ctx` line (what the phone displayed). */
  context: string;
}

/**
 * One sign-in a scan created: written at redeem, so the user can see "where you're signed in" and
 * end it. Holds no secret and no more personal data than the requester context the phone showed.
 */
export interface LoginRecord {
  /** Login id (22 base64url characters), returned by `redeem()`. */
  id: string;
  userId: string;
  /** The device that approved it. */
  deviceId: string;
  /** The session it was redeemed from. */
  sessionId: string;
  /** The browser that was signed in, as shown on the phone. */
  requester: RequesterContext;
  /** When it was redeemed (ms since the epoch). */
  createdAt: number;
  /** Set once, when it ended. */
  endedAt?: number;
  endReason?: LoginEndReason;
  /** The approval, when the confirm was signed with a context digest (version 3). */
  receipt?: ApprovalReceipt;
}

/**
 * Where logins live: the ledger behind "where you're signed in". Its own store beside sessions and
 * devices (memory by default, Redis in `@qrlogin/redis`, a host's database), checked by one
 * conformance suite.
 *
 * @example
 * const logins = memoryLoginLedger() satisfies LoginLedger;
 */
export interface LoginLedger {
  /** Inserts a login. Returns `false` (writing nothing) when the id exists. May forget it after `retainUntil`. */
  add(record: LoginRecord, retainUntil: number): Awaitable<boolean>;
  get(id: string): Awaitable<LoginRecord | null>;
  /** Every login of a user still retained, ended ones included, newest first. */
  listByUser(userId: string): Awaitable<LoginRecord[]>;
  /**
   * Marks a login ended at `at` for `reason`, once: the first call wins and later calls change
   * nothing. Returns the login as stored afterwards (`null` when there is none), so the caller can
   * tell from `endedAt === at && endReason === reason` whether this call ended it.
   */
  end(id: string, at: number, reason: LoginEndReason): Awaitable<LoginRecord | null>;
  close?(): Awaitable<void>;
}

/**
 * A linked browser: one that signed in before and may ask for a prompt on its user's phone. The
 * token itself is never stored, only its SHA-256, so a leaked store cannot send prompts.
 */
export interface LinkedBrowserRecord {
  /** Hex SHA-256 of the prompt token: the lookup key. */
  tokenHash: string;
  userId: string;
  /**
   * The login whose redemption minted the token. Once the user ends that login from a phone (End,
   * End all, "this wasn't me") or revokes the device that approved it, the token is refused and
   * forgotten: a browser signed out from the phone cannot go on prompting it. A browser that signs
   * itself out (reason `host`) keeps its token, to sign back in by prompt. Absent on tokens minted
   * before this field existed (they are honoured until they expire).
   */
  loginId?: string;
  /** When it was minted (ms since the epoch). */
  createdAt: number;
  /** ms since the epoch; past it the token is refused (and the store may forget it). */
  expiresAt: number;
}

/**
 * Where linked-browser tokens live (memory by default, Redis in `@qrlogin/redis`), checked by one
 * conformance suite. Lookup is by hash only, so no token is ever compared character by character.
 *
 * @example
 * const linkedBrowsers = memoryLinkedBrowserStore() satisfies LinkedBrowserStore;
 */
export interface LinkedBrowserStore {
  /** Inserts a record; the store may forget it after `expiresAt`. Returns `false` when the hash exists. */
  add(record: LinkedBrowserRecord): Awaitable<boolean>;
  /** The record for a token hash, or `null` (never added, removed, or past `expiresAt`). */
  get(tokenHash: string): Awaitable<LinkedBrowserRecord | null>;
  /** Removes one token. Returns whether there was one. */
  remove(tokenHash: string): Awaitable<boolean>;
  /** Removes every token of a user ("forget all my browsers"). Returns how many there were. */
  removeByUser(userId: string): Awaitable<number>;
  close?(): Awaitable<void>;
}
