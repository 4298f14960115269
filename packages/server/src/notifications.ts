/**
 * The `notify` hook: typed notices for the user ("new sign-in on Chrome on macOS near Berlin", a
 * denied or conflicting scan), built from the audit events `qr.events` already emits, delivered off
 * the request path.
 */
import type { RejectReason } from '@qrlogin/protocol';
import type { QrLoginEmitter, QrLoginEvents } from './events.js';
import type { Awaitable, DeviceStore } from './store/types.js';

/** The device a notice is about: its id, and its label when the device store could tell. */
export interface NoticeDevice {
  id: string;
  label?: string;
}

/** Fields every notice has. */
interface NoticeBase {
  /** The user to tell (the owner of the device involved). */
  userId: string;
  device: NoticeDevice;
  sessionId: string;
  /** IP of the request that caused it (the browser's for a sign-in, the phone's for a scan). */
  ip: string;
  /** When it happened (ms since the epoch). */
  at: number;
}

/**
 * A browser was signed in: emitted at redeem (the host really issued its session), not at confirm.
 * `browser`, `os` and `place` are the requester context the phone was shown.
 */
export interface NewSignInNotice extends NoticeBase {
  type: 'new-sign-in';
  browser: string;
  os: string;
  place?: string;
}

/** A scan ended in a rejection: the user said no, the code did not match, or the two were too far apart. */
export interface ScanDeniedNotice extends NoticeBase {
  type: 'scan-denied';
  reason: RejectReason;
}

/** A second device of this user tried to scan a session another device had already locked. */
export interface ScanConflictNotice extends NoticeBase {
  type: 'scan-conflict';
  /** The device that holds the session. */
  lockedBy: string;
}

/**
 * What the `notify` option is called with.
 *
 * @example
 * const notify = async (notice: Notice) => {
 *   if (notice.type === 'new-sign-in') {
 *     await push(notice.userId, `New sign-in on ${notice.browser} on ${notice.os}${notice.place ? ` near ${notice.place}` : ''}`);
 *   }
 * };
 */
export type Notice = NewSignInNotice | ScanDeniedNotice | ScanConflictNotice;

/** The host's notification hook. */
export type NotifyHook = (notice: Notice) => Awaitable<void>;

/** A notice before its device label is read: the device as its id. */
type Draft = Notice extends infer N ? (N extends Notice ? Omit<N, 'device'> & { deviceId: string } : never) : never;

/**
 * Subscribes `notify` to the audit events a notice is made of: `redeemed` → `new-sign-in`,
 * `rejected` (of a scanned session, so with a user) → `scan-denied`, `scan-conflict` →
 * `scan-conflict`. Each event gives exactly one call, on the instance that handled the request.
 * The call is scheduled on a timer, so the response is not held by it (nor by the device-label
 * read); its failure, thrown or rejected, is reported as `hook-error` (`hook: 'notify'`) and never
 * reaches the login. Returns the unsubscribe function.
 *
 * @example
 * const stop = forwardNotices(qr.events, devices, async (notice) => console.log(notice));
 */
export function forwardNotices(events: QrLoginEmitter, devices: DeviceStore, notify: NotifyHook): () => void {
  const deliver = (draft: Draft): void => {
    setTimeout(async () => {
      try {
        const { deviceId, ...rest } = draft;
        const label = (
          await Promise.resolve()
            .then(() => devices.get(deviceId))
            .catch(() => null)
        )?.label;
        await notify({ ...rest, device: label === undefined ? { id: deviceId } : { id: deviceId, label } } as Notice);
      } catch (error) {
        events.emit('hook-error', { hook: 'notify', error });
      }
    }, 0);
  };
  const onRedeemed = (e: QrLoginEvents['redeemed'][0]): void => {
    const { browser, os, place } = e.requester;
    deliver({
      type: 'new-sign-in',
      userId: e.userId,
      deviceId: e.deviceId,
      sessionId: e.sessionId,
      browser,
      os,
      ...(place !== undefined ? { place } : {}),
      ip: e.ip,
      at: e.at,
    });
  };
  const onRejected = (e: QrLoginEvents['rejected'][0]): void => {
    // A session rejected before any device scanned it concerns no one in particular.
    if (e.userId === undefined || e.deviceId === undefined) return;
    deliver({
      type: 'scan-denied',
      userId: e.userId,
      deviceId: e.deviceId,
      sessionId: e.sessionId,
      reason: e.reason,
      ip: e.ip,
      at: e.at,
    });
  };
  const onConflict = (e: QrLoginEvents['scan-conflict'][0]): void => {
    deliver({
      type: 'scan-conflict',
      userId: e.userId,
      deviceId: e.deviceId,
      sessionId: e.sessionId,
      lockedBy: e.lockedBy,
      ip: e.ip,
      at: e.at,
    });
  };
  events.on('redeemed', onRedeemed);
  events.on('rejected', onRejected);
  events.on('scan-conflict', onConflict);
  return () => {
    events.off('redeemed', onRedeemed);
    events.off('rejected', onRejected);
    events.off('scan-conflict', onConflict);
  };
}
