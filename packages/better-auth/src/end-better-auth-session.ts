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
 * `maxAge` passes — better-auth's own rule for every revocation. `ending`, when given, holds the
 * session's id while it is being deleted (see {@link endLoginOfDeletedSession}).
 *
 * @example
 * const qr = createQrLogin({ ..., endSession: (login) => endBetterAuthSession(context, logins, login) });
 */
export async function endBetterAuthSession(
  context: Pick<AuthContext, 'internalAdapter'>,
  logins: Pick<BetterAuthLoginLedgerExtras, 'authSessionOf'>,
  login: Pick<LoginRecord, 'id' | 'userId'>,
  ending?: Set<string>,
): Promise<void> {
  const authSessionId = await logins.authSessionOf(login.id);
  if (!authSessionId) return;
  const sessions = await context.internalAdapter.listSessions(login.userId);
  const session = sessions.find((s) => s.id === authSessionId);
  if (!session) return;
  // Marked while deleting, so the plugin's sign-out hook does not end this login a second time
  // with reason `host` before qrlogin records the real reason.
  ending?.add(session.id);
  try {
    await context.internalAdapter.deleteSession(session.token);
  } finally {
    ending?.delete(session.id);
  }
}

/**
 * The other direction: a better-auth session was deleted by better-auth itself (the browser signed
 * out, `revokeSession`, `revokeSessions`, a password change) — if a qrlogin login created it, end
 * that login with reason `host` through qrlogin (so `login-ended` fires), and the phone stops
 * listing it as active. Run from the plugin's `session.delete.after` database hook; skips sessions
 * {@link endBetterAuthSession} is deleting itself. Best effort: a failure is left to qrlogin's
 * `hook-error` event and never fails the sign-out; sessions kept only in `secondaryStorage` run
 * no database hook, so their logins stay listed until ended or past retention.
 *
 * @example
 * databaseHooks: { session: { delete: { after: (s) => endLoginOfDeletedSession(s.id, () => ({ logins, qr }), ending) } } }
 */
export async function endLoginOfDeletedSession(
  authSessionId: string,
  plugin: () => {
    logins: Pick<BetterAuthLoginLedgerExtras, 'loginOfAuthSession'>;
    qr: { revokeLogin(loginId: string): Promise<boolean> };
  },
  ending: Set<string>,
): Promise<void> {
  if (ending.has(authSessionId)) return;
  try {
    const { logins, qr } = plugin();
    const login = await logins.loginOfAuthSession(authSessionId);
    if (login && login.endedAt === undefined) await qr.revokeLogin(login.id);
  } catch {
    // The sign-out itself succeeded; the ledger catching up is not worth failing it over.
  }
}
