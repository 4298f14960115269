import type { ErrorCode, LoginEndReason, QrKind, RejectReason, RequesterContext } from '@qrlogin/protocol';
// The named export: eventemitter3's types are CommonJS-shaped, so under node16/nodenext a default
// import is the whole module (a namespace, TS2709) and `qr.events` would silently become `any`.
import { EventEmitter } from 'eventemitter3';

/** Fields common to audit events. Never a secret, key, signature or challenge. */
interface Audit {
  sessionId: string;
  /** IP of the caller that caused the event (browser or phone). */
  ip: string;
  at: number;
}

/**
 * Every audit event `qr.events` emits, with its payload: one per state transition and one per
 * refusal. Suitable for logs and metrics.
 */
export interface QrLoginEvents {
  created: [Audit & { userAgent: string; origin: string; kind?: QrKind; userId?: string }];
  scanned: [Audit & { deviceId: string; userId: string; sameNetwork: boolean; distance: string }];
  confirmed: [Audit & { deviceId: string; userId: string }];
  rejected: [Audit & { deviceId?: string; userId?: string; reason: RejectReason }];
  cancelled: [Audit];
  expired: [Omit<Audit, 'ip'>];
  redeemed: [Audit & { deviceId: string; userId: string; requester: RequesterContext }];
  /** A second device tried to scan a session another device had locked. */
  'scan-conflict': [Audit & { deviceId: string; userId: string; lockedBy: string }];
  /** A signed request whose signature did not verify. */
  'signature-invalid': [Partial<Audit> & { ip: string; at: number; deviceId: string; action: string }];
  /** A request refused by a rate limit. */
  'rate-limited': [{ rule: string; key: string; ip: string; at: number }];
  /** Any refused request or frame (4xx / close code), with its error code. */
  refused: [
    {
      action: string;
      code: ErrorCode;
      ip: string;
      at: number;
      sessionId?: string;
      deviceId?: string;
      userId?: string;
    },
  ];
  'device-registered': [{ deviceId: string; userId: string; label: string; ip: string; at: number }];
  'device-revoked': [{ deviceId: string; userId: string; by: 'host' | 'device'; at: number }];
  /** A device's label changed: by the host (server code, web side) or by a device of the same user. */
  'device-renamed': [
    { deviceId: string; userId: string; label: string; by: 'host' | 'device'; byDeviceId?: string; at: number },
  ];
  /** A host hook (`describeRequester`, `onLogin`, `notify`) threw; the flow continued without it. */
  /**
   * A host hook threw: `describeRequester` or `onLogin` (the flow continued without it), or
   * `endSession` (the login stays active; the caller got `END_SESSION_FAILED`).
   */
  'hook-error': [{ hook: string; error: unknown }];
  /**
   * A setup mistake seen in a request, once per problem (and page origin) per instance; printed with
   * `console.warn` when nobody listens. `option` names what to fix.
   */
  misconfigured: [
    {
      problem: 'forbidden-origin' | 'websocket-not-attached' | 'ledger-not-shared';
      option: 'allowedOrigins' | 'attach' | 'logins';
      message: string;
      at: number;
    },
  ];
  /** An unexpected failure (answered as `INTERNAL_ERROR` / `STORE_UNAVAILABLE`); log it. */
  'internal-error': [{ action: string; error: unknown }];
  /**
   * A confirm, correctly signed by the scanning device, whose context digest is not the digest of
   * the login request the server sent: the phone was shown something else (answered `CONTEXT_MISMATCH`).
   */
  'context-mismatch': [Audit & { deviceId: string; userId: string }];
  /** A linked browser asked for a prompt; `promptDevices` is being called for `devices` active devices. */
  prompted: [Audit & { userId: string; devices: number }];
  /** A phone claimed a link session (the browser's user still has to type the phone's code). */
  'link-claimed': [Audit & { userId: string; label: string }];
  /** A redeem wrote its login to the ledger (once per login, not again for a retried redeem). */
  'login-recorded': [{ loginId: string; sessionId: string; userId: string; deviceId: string; at: number }];
  /** A login ended (the host's `endSession` hook had succeeded, when there is one). */
  'login-ended': [{ loginId: string; userId: string; deviceId: string; reason: LoginEndReason; at: number }];
  /**
   * "This wasn't me": one event per report, with the logins it ended (and any it could not end
   * because `endSession` failed) and until when new scans for the user are refused.
   */
  reported: [
    {
      userId: string;
      by: 'host' | 'device';
      deviceId?: string;
      sessionId?: string;
      loginId?: string;
      ended: string[];
      failed: string[];
      lockedUntil: number;
      ip?: string;
      at: number;
    },
  ];
}

/** The typed emitter behind `qr.events`. */
export type QrLoginEmitter = EventEmitter<QrLoginEvents>;

/** @internal */
export const createEmitter = (): QrLoginEmitter => new EventEmitter<QrLoginEvents>();
