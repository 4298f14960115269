/**
 * qrlogin as a Passport strategy: `authenticate` reads `{ sessionId, browserSecret }` from the JSON
 * body, redeems the confirmed session once with `qr.redeem()`, and hands the user your `verify`
 * returns to Passport, which then calls `req.login()` and so starts a fresh express-session.
 */
import { isQrLoginError, type QrLogin, QrLoginError, type Redemption } from '@qrlogin/server';
import type { Request } from 'express';
import { Strategy } from 'passport-strategy';

/** Maps a redemption to your user (e.g. loads it from your database); throwing refuses the login. */
export type QrLoginVerify = (redemption: Redemption) => Promise<Express.User> | Express.User;

/**
 * Passport strategy named `qrlogin`. A failed redemption fails the authentication with the
 * `QrLoginError` as the challenge and its HTTP status, so a custom callback can answer with
 * qrlogin's own error body; anything else is passed on as an error.
 *
 * @example
 * passport.use(new QrLoginStrategy(qr, ({ userId }) => users.find(userId)));
 * app.post('/login/qr', express.json(), passport.authenticate('qrlogin'), (req, res) => res.json(req.user));
 */
export class QrLoginStrategy extends Strategy {
  readonly name = 'qrlogin';

  constructor(
    private readonly qr: QrLogin,
    private readonly verify: QrLoginVerify,
  ) {
    super();
  }

  override authenticate(req: Request): void {
    const { sessionId, browserSecret } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof sessionId !== 'string' || typeof browserSecret !== 'string') {
      // No JSON body (a cross-site form can only send text/plain or a form encoding: login CSRF).
      const err = new QrLoginError('INVALID_REQUEST', 'send { sessionId, browserSecret } as JSON');
      this.fail(err, err.status);
      return;
    }
    this.redeem(sessionId, browserSecret).catch((err: unknown) => this.error(err as Error));
  }

  private async redeem(sessionId: string, browserSecret: string): Promise<void> {
    let redemption: Redemption;
    try {
      // Once only: a second call for the same session throws ALREADY_REDEEMED.
      redemption = await this.qr.redeem({ sessionId, browserSecret });
    } catch (err) {
      if (isQrLoginError(err)) return this.fail(err, err.status);
      throw err;
    }
    this.success(await this.verify(redemption));
  }
}
