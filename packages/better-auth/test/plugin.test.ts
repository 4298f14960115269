/**
 * The plugin end to end over real HTTP and a real WebSocket, on SQLite and on PostgreSQL with the
 * tables better-auth's migrations made: a phone signed in with email and password registers its
 * key, a page waits on the socket, the phone scans and confirms, and the page redeems into a new
 * better-auth session of its own.
 */
import { generateDeviceKeys, linkDevice, QrLoginError, registerDevice as registerWithoutSession } from '@qrlogin/app';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { betterAuthDeviceStore } from '../src/index.js';
import { openLoginPage } from './helpers/browser.js';
import { DATABASES, type TestDatabase } from './helpers/databases.js';
import { type Host, SESSION_COOKIE, startHost, whoIs as whoIsOn } from './helpers/host.js';
import { authClientWithJar, signedInPhone } from './helpers/phone.js';

describe.each(DATABASES)('qrLogin() on $kind', ({ open, skip }) => {
  let db: TestDatabase;
  let host: Host;
  const createdSessions: { userId: string; id: string }[] = [];

  beforeEach(async (t) => {
    if (skip) return t.skip();
    db = await open();
    createdSessions.length = 0;
    host = await startHost(
      db.database,
      {},
      {
        databaseHooks: {
          session: { create: { after: async (session) => void createdSessions.push(session) } },
        },
      },
    );
  });
  afterEach(async () => {
    await host?.close();
    await db?.close();
  });

  /** Who a cookie jar is signed in as, asked of better-auth itself. */
  const whoIs = (cookies: Map<string, string>) => whoIsOn(host, cookies);

  it('links a new phone from a signed-in better-auth session: the right code registers it to that user', async () => {
    const phone = await signedInPhone(host.url, 'ana@example.com');
    const base = `${host.url}/api/auth/qr-login`;
    const session = `${SESSION_COOKIE}=${phone.cookies.get(SESSION_COOKIE)}`;
    const signedOut = await fetch(`${base}/links`, {
      method: 'POST',
      headers: { origin: host.url, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(signedOut.status).toBe(401);
    const created = await fetch(`${base}/links`, {
      method: 'POST',
      headers: { origin: host.url, 'content-type': 'application/json', cookie: session },
      body: '{}',
    });
    expect(created.status).toBe(201);
    const link = (await created.json()) as { sessionId: string; browserSecret: string; qrPayload: string };
    expect(link.qrPayload).toBe(`${base}/link/1/${link.sessionId}`);
    let shown = '';
    const linking = linkDevice({
      baseUrl: base,
      qrText: link.qrPayload,
      keys: generateDeviceKeys(),
      label: 'Second phone',
      pollIntervalMs: 20,
      onCode: ({ code }) => {
        shown = code;
      },
    });
    await expect.poll(() => shown).toMatch(/^[0-9]{2}$/);
    const confirmed = await fetch(`${base}/links/${link.sessionId}/confirm`, {
      method: 'POST',
      headers: { origin: host.url, 'content-type': 'application/json', cookie: session },
      body: JSON.stringify({ browserSecret: link.browserSecret, code: shown }),
    });
    expect(confirmed.status).toBe(200);
    const { deviceId, userId } = await linking;
    expect(userId).toBe(phone.userId);
    const devices = betterAuthDeviceStore((await host.auth.$context).adapter);
    expect(await devices.get(deviceId)).toMatchObject({ userId: phone.userId, label: 'Second phone' });
  });

  it('signs the page in with a new better-auth session, independent of the phone’s both ways', async () => {
    const phone = await signedInPhone(host.url, 'ana@example.com');
    const phoneSession = await whoIs(phone.cookies);
    expect(phoneSession?.user.id).toBe(phone.userId);

    // Login 1: the phone signs out afterwards; the page must stay signed in.
    const page = await openLoginPage(host.url);
    await page.waitFor('pending');
    const request = await phone.app.scan(page.session.qrPayload);
    expect(request.origin).toBe(host.url);
    await page.waitFor('scanned');
    await request.confirm();
    await page.waitFor('confirmed');
    const redeemed = await page.redeem();
    expect(redeemed.status).toBe(200);
    const body = (await redeemed.json()) as { token: string; user: { id: string }; deviceId: string };
    expect(body.user.id).toBe(phone.userId);
    expect(body.deviceId).toBe(phone.deviceId);
    const pageSession = await whoIs(page.cookies);
    expect(pageSession?.user.id).toBe(phone.userId);
    expect(pageSession?.session.id).not.toBe(phoneSession?.session.id);
    expect(pageSession?.session.token).not.toBe(phoneSession?.session.token);
    expect(pageSession?.session.token).toBe(body.token);
    // better-auth's databaseHooks ran for the new row: sign-up's session, then the page's.
    expect(createdSessions.map((s) => s.id)).toEqual([phoneSession?.session.id, pageSession?.session.id]);
    expect(pageSession?.session.userAgent).toBe('Mozilla/5.0 Chrome/140.0');
    page.close();

    await phone.client.signOut();
    expect(await whoIs(phone.cookies)).toBeNull();
    expect((await whoIs(page.cookies))?.session.id).toBe(pageSession?.session.id);

    // Login 2: the phone signs back in; this time the page signs out, and the phone stays.
    const signedIn = await phone.client.signIn.email({ email: 'ana@example.com', password: 'correct horse battery' });
    expect(signedIn.error).toBeNull();
    const second = await openLoginPage(host.url);
    await (await phone.app.scan(second.session.qrPayload)).confirm();
    await second.waitFor('confirmed');
    expect((await second.redeem()).status).toBe(200);
    const secondSession = await whoIs(second.cookies);
    expect(secondSession?.user.id).toBe(phone.userId);
    const signOut = await second.fetch(`${host.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { origin: host.url, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(signOut.status).toBe(200);
    expect(await whoIs(second.cookies)).toBeNull();
    expect((await whoIs(phone.cookies))?.user.id).toBe(phone.userId);
    // The first page, signed in by login 1, is untouched by either sign-out.
    expect((await whoIs(page.cookies))?.session.id).toBe(pageSession?.session.id);
    second.close();
  });

  it('long-polls through better-auth’s handler (no WebSocket), with bearer() on beside it', async () => {
    const phone = await signedInPhone(host.url, 'gil@example.com');
    const page = await openLoginPage(host.url);
    page.close();
    const { sessionId, browserSecret, qrPayload } = page.session;
    const poll = fetch(`${host.url}/api/auth/qr-login/sessions/${sessionId}?after=1`, {
      headers: { authorization: `Bearer ${browserSecret}`, origin: host.url },
    });
    await phone.app.scan(qrPayload);
    const answer = await poll;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ state: 'scanned', version: 2 });
  });

  it('redeems once: a second redeem and a wrong secret get qrlogin errors and create no session', async () => {
    const phone = await signedInPhone(host.url, 'bo@example.com');
    const page = await openLoginPage(host.url);
    await (await phone.app.scan(page.session.qrPayload)).confirm();
    await page.waitFor('confirmed');

    const wrong = await page.redeem({ sessionId: page.session.sessionId, browserSecret: 'A'.repeat(43) });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'INVALID_SECRET' } });
    expect(page.cookies.has(SESSION_COOKIE)).toBe(false);
    const sessionsBefore = createdSessions.length;

    expect((await page.redeem()).status).toBe(200);
    const again = await page.redeem();
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'ALREADY_REDEEMED', error: { code: 'ALREADY_REDEEMED' } });
    expect(createdSessions.length).toBe(sessionsBefore + 1);
    page.close();
  });

  it('redeems through the client plugin: authClient.qrLogin.redeem() signs that client in', async () => {
    const phone = await signedInPhone(host.url, 'fay@example.com');
    const page = await openLoginPage(host.url);
    await (await phone.app.scan(page.session.qrPayload)).confirm();
    await page.waitFor('confirmed');
    const { client, cookies } = authClientWithJar(host.url);
    const { data, error } = await client.qrLogin.redeem({
      sessionId: page.session.sessionId,
      browserSecret: page.session.browserSecret,
    });
    expect(error).toBeNull();
    expect(data?.user.id).toBe(phone.userId);
    const session = await whoIs(cookies);
    expect(session?.user.id).toBe(phone.userId);
    expect(session?.session.id).not.toBe((await whoIs(phone.cookies))?.session.id);
    page.close();
  });

  it('refuses to redeem a session the phone has not confirmed', async () => {
    const page = await openLoginPage(host.url);
    const early = await page.redeem();
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect(page.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(createdSessions).toEqual([]);
    page.close();
  });

  it('registers a device only for a signed-in user, and stores it in better-auth’s database', async () => {
    const keys = generateDeviceKeys();
    const refused = await registerWithoutSession({
      baseUrl: `${host.url}/api/auth/qr-login`,
      keys,
      label: 'Nobody’s phone',
      userId: 'nobody',
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(QrLoginError);
    expect((refused as QrLoginError).code).toBe('UNAUTHENTICATED');

    const phone = await signedInPhone(host.url, 'cy@example.com');
    const devices = betterAuthDeviceStore((await host.auth.$context).adapter);
    const mine = await devices.listByUser(phone.userId);
    expect(mine).toEqual([expect.objectContaining({ id: phone.deviceId, userId: phone.userId, label: 'Test phone' })]);
    expect(mine.some((d) => d.publicKey === keys.publicKey)).toBe(false);
  });

  it('accepts a bearer token for registration, as token clients send it', async () => {
    const { client } = authClientWithJar(host.url);
    const signedUp = await client.signUp.email({
      email: 'di@example.com',
      password: 'correct horse battery',
      name: 'Di',
    });
    const token = signedUp.data?.token;
    expect(token).toBeTruthy();
    const { deviceId } = await registerWithoutSession({
      baseUrl: `${host.url}/api/auth/qr-login`,
      keys: generateDeviceKeys(),
      label: 'Bearer phone',
      userId: signedUp.data?.user.id ?? '',
      headers: { authorization: `Bearer ${token}` },
    });
    const devices = betterAuthDeviceStore((await host.auth.$context).adapter);
    expect((await devices.get(deviceId))?.userId).toBe(signedUp.data?.user.id);
  });

  it('a revoked device can no longer scan', async () => {
    const phone = await signedInPhone(host.url, 'ed@example.com');
    await phone.app.revoke();
    const page = await openLoginPage(host.url);
    const refused = await phone.app.scan(page.session.qrPayload).catch((error: unknown) => error);
    expect((refused as QrLoginError).code).toBe('DEVICE_REVOKED');
    expect((await host.qr.inspect(page.session.sessionId))?.state).toBe('pending');
    page.close();
  });
});
