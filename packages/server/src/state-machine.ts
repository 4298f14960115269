/**
 * The session state machine as pure functions: which transitions exist, what they write, and the
 * error for a transition the current state does not allow. No I/O here; the services apply these
 * through the store's compare-and-set.
 *
 * ```
 * pending ──scan──▶ scanned ──confirm──▶ confirmed ──redeem──▶ redeemed
 *    │                 ├──reject / wrong code──▶ rejected
 *    ├── proximity deny ──▶ rejected
 *    ├── cancel (pending or scanned) ──▶ cancelled
 *    └── ttl passes (any non-terminal state) ──▶ expired
 * ```
 */
import {
  isTerminalState,
  QrLoginError,
  type RejectReason,
  type SessionState,
  type StatusSnapshot,
} from '@qrlogin/protocol';
import type { ApprovalReceipt, SessionRecord } from './store/types.js';

/** A change to a session. */
export type Transition =
  | {
      to: 'scanned';
      deviceId: string;
      userId: string;
      challenge: string;
      code?: string;
      scanIp: string;
      /** The context text sent to the phone and its digest, written with the scan so a re-scan gets them back. */
      context: string;
      contextDigest: string;
    }
  | { to: 'confirmed'; receipt: ApprovalReceipt }
  | { to: 'rejected'; reason: RejectReason; deviceId?: string; userId?: string }
  | { to: 'cancelled' }
  | { to: 'redeemed'; loginId: string }
  | { to: 'expired' };

/** States each target state may be reached from. */
const FROM: Record<Transition['to'], readonly SessionState[]> = {
  scanned: ['pending'],
  confirmed: ['scanned'],
  rejected: ['pending', 'scanned'],
  cancelled: ['pending', 'scanned'],
  redeemed: ['confirmed'],
  expired: ['pending', 'scanned', 'confirmed'],
};

/** How long a finished session is remembered, so late or replayed calls get a precise error. */
export const RETENTION_MS = 60_000;

/** The state as of `now`: a non-terminal session past its expiry is expired, whatever is stored. */
export function effectiveState(record: SessionRecord, now: number): SessionState {
  return expiryDue(record, now) ? 'expired' : record.state;
}

/** True when a session's time has run out but its expiry is not written yet. */
export function expiryDue(record: SessionRecord, now: number): boolean {
  return !isTerminalState(record.state) && now >= record.expiresAt;
}

/** When the store may forget the record. */
export function retainUntil(record: SessionRecord): number {
  return Math.max(record.expiresAt, record.updatedAt) + RETENTION_MS;
}

/** The error for attempting `action` on a session in `state`. */
export function stateError(action: string, state: SessionState): QrLoginError {
  if (state === 'expired') return new QrLoginError('SESSION_EXPIRED', `cannot ${action}: the session has expired`);
  if (state === 'redeemed' && action === 'redeem') {
    return new QrLoginError('ALREADY_REDEEMED', 'the session was already redeemed');
  }
  return new QrLoginError('INVALID_STATE', `cannot ${action}: the session is ${state}`);
}

/**
 * The record after `transition`, or a `QrLoginError` when the current state does not allow it.
 * The version grows by exactly one.
 */
export function applyTransition(record: SessionRecord, transition: Transition, now: number): SessionRecord {
  const state = effectiveState(record, now);
  const allowed = FROM[transition.to];
  // An expiry may be written for a session that is already effectively expired.
  const current = transition.to === 'expired' ? record.state : state;
  if (!allowed.includes(current)) throw stateError(verbOf(transition.to), state);
  const next: SessionRecord = { ...record, state: transition.to, version: record.version + 1, updatedAt: now };
  switch (transition.to) {
    case 'scanned':
      next.deviceId = transition.deviceId;
      next.userId = transition.userId;
      next.challenge = transition.challenge;
      next.scanIp = transition.scanIp;
      if (transition.code !== undefined) next.code = transition.code;
      next.context = transition.context;
      next.contextDigest = transition.contextDigest;
      break;
    case 'confirmed':
      next.receipt = transition.receipt;
      break;
    case 'rejected':
      next.rejectReason = transition.reason;
      if (transition.deviceId) next.deviceId = transition.deviceId;
      if (transition.userId) next.userId = transition.userId;
      break;
    case 'redeemed':
      next.loginId = transition.loginId;
      break;
    default:
      break;
  }
  return next;
}

function verbOf(to: Transition['to']): string {
  const verbs: Record<Transition['to'], string> = {
    scanned: 'scan',
    confirmed: 'confirm',
    rejected: 'reject',
    cancelled: 'cancel',
    redeemed: 'redeem',
    expired: 'expire',
  };
  return verbs[to];
}

/**
 * What the browser may see of a session: state, version, expiry, the number-matching code while
 * scanned, the reject reason. Never a secret, a device, a user or the challenge.
 */
export function snapshotOf(record: SessionRecord, now: number): StatusSnapshot {
  const state = effectiveState(record, now);
  const snapshot: StatusSnapshot = {
    sessionId: record.id,
    state,
    version: record.version,
    expiresAt: record.expiresAt,
    serverTime: now,
  };
  if (state === 'scanned' && record.code !== undefined) snapshot.code = record.code;
  if (state === 'rejected' && record.rejectReason) snapshot.reason = record.rejectReason;
  return snapshot;
}
