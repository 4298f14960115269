/** Who the host's session cookie names: the proof that a QR login left a real host session behind. */
import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { host } from '../../lib/qr-login';

export const dynamic = 'force-dynamic';

export async function GET() {
  const userId = host().sessions.get((await cookies()).get('sid')?.value ?? '');
  return userId ? NextResponse.json({ userId }) : NextResponse.json({ error: 'not signed in' }, { status: 401 });
}
