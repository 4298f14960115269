import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Res, UnauthorizedException } from '@nestjs/common';
import { type QrLogin, QrLoginError } from '@qrlogin/server';
import type { Response } from 'express';
import { HostSessions } from './host-sessions.js';
import { QR_LOGIN } from './qr-login/qr-login.token.js';

/**
 * The host's own routes: `POST /login/qr` redeems a confirmed qrlogin session once and issues the
 * host's own session cookie; `GET /me` reads it back. A refused redeem throws a `QrLoginError`,
 * which `QrLoginErrorFilter` answers with qrlogin's error body and status.
 *
 * @example
 * // <qr-login base-url="/qrlogin" redeem-url="/login/qr"> posts here once the phone confirmed.
 */
@Controller()
export class LoginController {
  constructor(
    @Inject(QR_LOGIN) private readonly qr: QrLogin,
    @Inject(HostSessions) private readonly sessions: HostSessions,
  ) {}

  @Post('login/qr')
  @HttpCode(200)
  async redeem(
    @Headers('content-type') contentType: string | undefined,
    @Body() body: Record<string, unknown> | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ userId: string }> {
    // JSON only: a cross-site form cannot send it, so no other site can post a login here (login CSRF).
    if (!/^application\/json\b/.test(contentType ?? '')) {
      throw new QrLoginError('INVALID_REQUEST', 'send { sessionId, browserSecret } as JSON');
    }
    // Once only: a second call for the same session throws ALREADY_REDEEMED.
    const { userId } = await this.qr.redeem({
      sessionId: String(body?.sessionId),
      browserSecret: String(body?.browserSecret),
    });
    res.cookie('sid', this.sessions.start(userId), {
      httpOnly: true,
      sameSite: 'lax',
      secure: res.req.protocol === 'https',
    });
    return { userId };
  }

  @Get('me')
  me(@Headers('cookie') cookie: string | undefined): { userId: string } {
    const userId = this.sessions.userOf(/(?:^|;\s*)sid=([^;]+)/.exec(cookie ?? '')?.[1]);
    if (!userId) throw new UnauthorizedException({ error: 'not signed in' });
    return { userId };
  }
}
