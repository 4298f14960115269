import type { LoginRecord } from '@qrlogin/server';
import type { AuthContext } from 'better-auth';
import type { BetterAuthLoginLedgerExtras } from './better-auth-login-ledger.js';

/**
 * Ends the better-auth session a qrlogin login created: qrlogin's `endSession` hook as the plugin
 * passes it. The ledger row names the session by id; the token `deleteSession` needs comes from
 * better-auth's own list of the user's sessions, which covers sessions in the database and in
 * `secondaryStorage` alike, so the ledger never stores a credential.
 *
 * Idempotent, as qrlogin retries a failed call: a login without a linked session (ended before the
 * redeem linked it) or whose session is already gone (signed out, expired) ends nothing. A session
 * served from better-auth's `cookieCache` stays readable from that cookie until the cache's
 * `maxAge` passes — better-auth's own rule for every revocation.
 *
 * @example
 * const qr = createQrLogin({ ..., endSession: (login) => endBetterAuthSession(context, logins, login) });
 */
export async function endBetterAuthSession(
  context: Pick<AuthContext, 'internalAdapter'>,
  logins: Pick<BetterAuthLoginLedgerExtras, 'authSessionOf'>,
  login: Pick<LoginRecord, 'id' | 'userId'>,
): Promise<void> {
  const authSessionId = await logins.authSessionOf(login.id);
  if (!authSessionId) return;
  const sessions = await context.internalAdapter.listSessions(login.userId);
  const session = sessions.find((s) => s.id === authSessionId);
  if (session) await context.internalAdapter.deleteSession(session.token);
}
