/**
 * The host's own redeem route: `<qr-login redeem-url="/login/qr">` posts `{ sessionId, browserSecret }`
 * here once the phone confirmed; `qr.redeem()` succeeds once, and the host then issues its own
 * session cookie. qrlogin never makes the host's sessions.
 */
import { randomBytes } from 'node:crypto';
import { isQrLoginError } from '@qrlogin/server';
import { NextResponse } from 'next/server';
import { host } from '../../../lib/qr-login';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request) {
  const { qr, sessions } = host();
  try {
    // JSON only: a cross-site form cannot send it, so no other site can post a login here (login CSRF).
    if (!/^application\/json\b/.test(request.headers.get('content-type') ?? '')) throw new Error('not JSON');
    const { sessionId, browserSecret } = (await request.json()) as Record<string, unknown>;
    // Once only: a second call for the same session throws ALREADY_REDEEMED.
    const { userId } = await qr.redeem({ sessionId: String(sessionId), browserSecret: String(browserSecret) });
    const sid = randomBytes(32).toString('base64url');
    sessions.set(sid, userId);
    const response = NextResponse.json({ userId });
    response.cookies.set('sid', sid, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: new URL(request.url).protocol === 'https:',
    });
    return response;
  } catch (err) {
    if (isQrLoginError(err)) return NextResponse.json(err.toJSON(), { status: err.status });
    return NextResponse.json(
      { error: { code: 'INVALID_REQUEST', message: 'send { sessionId, browserSecret } as JSON' } },
      { status: 400 },
    );
  }
}
