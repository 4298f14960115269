/**
 * Login and link sessions share one store and one id space; each route accepts only its own kind,
 * so a login QR cannot be claimed as a link (which would register a stranger's key) and a link
 * cannot be scanned or redeemed as a login.
 */
import { QrLoginError } from '@qrlogin/protocol';
import type { SessionRecord } from './store/types.js';

/**
 * Refuses a session of the other kind as not found: to the caller's route it does not exist.
 *
 * @example
 * requireKind(record, 'link'); // in the link routes
 */
export function requireKind(record: SessionRecord, kind: 'login' | 'link'): void {
  if ((record.kind ?? 'login') === kind) return;
  throw new QrLoginError(
    'SESSION_NOT_FOUND',
    kind === 'login' ? 'no login session has this id (it links a phone)' : 'no link session has this id',
  );
}
