/**
 * The login ledger mapped onto better-auth, over real HTTP on SQLite and PostgreSQL: each redeem
 * is a `qrloginLogin` row linked to the better-auth session it created, so ending a login from the
 * phone (signed, `@qrlogin/app`) makes better-auth's get-session return null for THAT browser while
 * the other browser and the phone stay signed in; "this wasn't me" ends the rest; the signed-in
 * user's web endpoints list and end only their own logins.
 */
import { type ApprovalReceipt, verifyReceipt } from '@qrlogin/server';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { betterAuthDeviceStore } from '../src/index.js';
import { openLoginPage } from './helpers/browser.js';
import { DATABASES, type TestDatabase } from './helpers/databases.js';
import { type Host, SESSION_COOKIE, startHost, whoIs as whoIsOn } from './helpers/host.js';
import { type Phone, signedInPhone } from './helpers/phone.js';

describe.each(DATABASES)('the login ledger on better-auth ($kind)', ({ open, skip }) => {
  let db: TestDatabase;
  let host: Host;
  // Set by a test to act between better-auth's session insert and the plugin linking it.
  let onSessionCreated: ((session: { id: string; userId: string }) => Promise<void>) | undefined;

  beforeEach(async (t) => {
    if (skip) return t.skip();
    db = await open();
    onSessionCreated = undefined;
    host = await startHost(
      db.database,
      {},
      { databaseHooks: { session: { create: { after: async (session) => onSessionCreated?.(session) } } } },
    );
  });
  afterEach(async () => {
    await host?.close();
    await db?.close();
  });

  /** Who a cookie jar is signed in as, asked of better-auth itself. */
  const whoIs = (cookies: Map<string, string>) => whoIsOn(host, cookies);

  /** A page signed in by `phone` through the plugin's redeem route; its login id from the answer. */
  const logIn = async (phone: Phone) => {
    const page = await openLoginPage(host.url);
    await (await phone.app.scan(page.session.qrPayload)).confirm();
    await page.waitFor('confirmed');
    const redeemed = await page.redeem();
    expect(redeemed.status).toBe(200);
    const { loginId } = (await redeemed.json()) as { loginId: string };
    page.close();
    return { page, loginId };
  };

  const account = (cookies: Map<string, string>, path: string, body?: unknown) =>
    fetch(`${host.url}/api/auth/qr-login/account${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        cookie: `${SESSION_COOKIE}=${cookies.get(SESSION_COOKIE) ?? ''}`,
        origin: host.url,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('ending one login from the phone signs out that browser only; "this wasn’t me" ends the other', async () => {
    const phone = await signedInPhone(host.url, 'ana@example.com');
    const first = await logIn(phone);
    const second = await logIn(phone);
    expect((await whoIs(first.page.cookies))?.user.id).toBe(phone.userId);
    expect((await whoIs(second.page.cookies))?.user.id).toBe(phone.userId);

    const listed = await phone.app.listLogins();
    expect(listed.map((login) => login.id)).toEqual([second.loginId, first.loginId]);
    // The receipt went through the qrloginLogin row (JSON text) and still verifies against the
    // device key in the qrloginDevice row.
    const stored = await host.qr.listLogins(phone.userId);
    const device = await betterAuthDeviceStore((await host.auth.$context).adapter).get(phone.deviceId);
    const verified = await verifyReceipt(stored[0]?.receipt as ApprovalReceipt, device?.publicKey);
    expect(verified).toMatchObject({ deviceId: phone.deviceId, sessionId: stored[0]?.sessionId });
    expect(listed.every((login) => login.endedAt === undefined)).toBe(true);

    await phone.app.endLogin(first.loginId);
    expect(await whoIs(first.page.cookies)).toBeNull();
    expect((await whoIs(second.page.cookies))?.user.id).toBe(phone.userId);
    expect((await whoIs(phone.cookies))?.user.id).toBe(phone.userId);
    const afterEnd = await phone.app.listLogins();
    expect(afterEnd.find((login) => login.id === first.loginId)).toMatchObject({ endReason: 'user' });

    await phone.app.reportLogin(second.loginId);
    expect(await whoIs(second.page.cookies)).toBeNull();
    // The phone's own better-auth session is not a qrlogin login: a report never signs the app out.
    expect((await whoIs(phone.cookies))?.user.id).toBe(phone.userId);
    const rows = await host.qr.listLogins(phone.userId);
    expect(rows.map((login) => [login.id, login.endReason])).toEqual([
      [second.loginId, 'report'],
      [first.loginId, 'user'],
    ]);
  });

  it('"end all" from the phone signs every QR-signed-in browser out, never the phone', async () => {
    const phone = await signedInPhone(host.url, 'bo@example.com');
    const pages = [await logIn(phone), await logIn(phone)];
    await phone.app.endAllLogins();
    for (const { page } of pages) expect(await whoIs(page.cookies)).toBeNull();
    expect((await whoIs(phone.cookies))?.user.id).toBe(phone.userId);
  });

  it('revoking a device on the web deletes the better-auth sessions it approved, and only those', async () => {
    const phone = await signedInPhone(host.url, 'rey@example.com');
    const other = await signedInPhone(host.url, 'finn@example.com');
    const byPhone = await logIn(phone);
    const byOther = await logIn(other);
    const revoked = await fetch(`${host.url}/api/auth/qr-login/devices/${phone.deviceId}`, {
      method: 'DELETE',
      headers: { cookie: `${SESSION_COOKIE}=${phone.cookies.get(SESSION_COOKIE)}`, origin: host.url },
    });
    expect(revoked.status).toBe(204);
    expect(await whoIs(byPhone.page.cookies)).toBeNull();
    expect((await whoIs(byOther.page.cookies))?.user.id).toBe(other.userId);
    // The phone's own better-auth session is no QR login: revoking its key does not sign it out.
    expect((await whoIs(phone.cookies))?.user.id).toBe(phone.userId);
    expect((await host.qr.listLogins(phone.userId)).map((login) => [login.id, login.endReason])).toEqual([
      [byPhone.loginId, 'device-revoked'],
    ]);
  });

  it('a browser signing itself out through better-auth ends its login (reason host); the other stays', async () => {
    const phone = await signedInPhone(host.url, 'eve@example.com');
    const first = await logIn(phone);
    const second = await logIn(phone);
    const ended: string[] = [];
    host.qr.events.on('login-ended', (event) => void ended.push(`${event.loginId}:${event.reason}`));
    const signOut = await first.page.fetch(`${host.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { origin: host.url, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(signOut.status).toBe(200);
    expect(await whoIs(first.page.cookies)).toBeNull();
    const listed = await phone.app.listLogins();
    expect(listed.map((login) => [login.id, login.endReason])).toEqual([
      [second.loginId, undefined],
      [first.loginId, 'host'],
    ]);
    expect(ended).toEqual([`${first.loginId}:host`]);
    // The phone's own sign-out is no QR login: it ends nothing in the ledger.
    await phone.client.signOut();
    expect((await host.qr.listLogins(phone.userId)).find((l) => l.id === second.loginId)?.endedAt).toBeUndefined();
    expect((await whoIs(second.page.cookies))?.user.id).toBe(phone.userId);
  });

  it('the signed-in user lists and ends their own logins on the web, and nobody else’s', async () => {
    const phone = await signedInPhone(host.url, 'cy@example.com');
    const first = await logIn(phone);
    const second = await logIn(phone);
    const listed = await account(second.page.cookies, '/logins');
    expect(listed.status).toBe(200);
    const { logins } = (await listed.json()) as { logins: { id: string; current: boolean }[] };
    expect(logins.map((l) => [l.id, l.current])).toEqual([
      [second.loginId, true],
      [first.loginId, false],
    ]);
    expect(JSON.stringify(logins)).not.toContain(second.page.cookies.get(SESSION_COOKIE)?.split('.')[0]);

    // better-auth's own client, through the client plugin, on the phone's (non-QR) session.
    const viaClient = await phone.client.qrLogin.account.logins();
    expect(viaClient.data?.logins.map((l) => [l.id, l.current])).toEqual([
      [second.loginId, false],
      [first.loginId, false],
    ]);

    // Another user, signed in, cannot end (or learn of) the first user's login.
    const stranger = await signedInPhone(host.url, 'mallory@example.com');
    const refused = await account(stranger.cookies, '/logins/end', { loginId: first.loginId });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: 'LOGIN_NOT_FOUND' });
    expect((await whoIs(first.page.cookies))?.user.id).toBe(phone.userId);
    // Signed out: no list, no end.
    expect((await account(new Map(), '/logins')).status).toBe(401);
    expect((await account(new Map(), '/logins/end', { loginId: first.loginId })).status).toBe(401);
    // A malformed body changes nothing either.
    expect((await account(second.page.cookies, '/logins/end', { loginId: 7 })).status).toBe(400);
    expect((await whoIs(first.page.cookies))?.user.id).toBe(phone.userId);

    const ended = await account(second.page.cookies, '/logins/end', { loginId: first.loginId });
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ ended: true });
    expect(await whoIs(first.page.cookies)).toBeNull();
    expect((await whoIs(second.page.cookies))?.user.id).toBe(phone.userId);
    // And through the client plugin: the phone's session ends the second browser's login.
    const viaClientEnd = await phone.client.qrLogin.account.logins.end({ loginId: second.loginId });
    expect(viaClientEnd.data).toEqual({ ended: true });
    expect(await whoIs(second.page.cookies)).toBeNull();
    expect((await whoIs(phone.cookies))?.user.id).toBe(phone.userId);
  });

  it('fuzz: any body posted to the web end endpoint is a 4xx and ends nothing but the named own login', async () => {
    const phone = await signedInPhone(host.url, 'fuzz@example.com');
    const { page, loginId } = await logIn(phone);
    const body = fc.oneof(
      fc.json(),
      fc.string(),
      fc.record({ loginId: fc.oneof(fc.string(), fc.anything()) }),
      fc.record({ loginId: fc.string({ unit: 'binary', maxLength: 200 }) }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (input) => {
        const text = typeof input === 'string' ? input : JSON.stringify(input);
        fc.pre(!text.includes(loginId));
        const response = await fetch(`${host.url}/api/auth/qr-login/account/logins/end`, {
          method: 'POST',
          headers: {
            cookie: `${SESSION_COOKIE}=${page.cookies.get(SESSION_COOKIE) ?? ''}`,
            origin: host.url,
            'content-type': 'application/json',
          },
          body: text,
        });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    expect((await whoIs(page.cookies))?.user.id).toBe(phone.userId);
    expect((await host.qr.listLogins(phone.userId)).map((login) => login.endedAt)).toEqual([undefined]);
  });

  it('a login ended between the ledger write and the session link leaves no session behind', async () => {
    const phone = await signedInPhone(host.url, 'di@example.com');
    const page = await openLoginPage(host.url);
    await (await phone.app.scan(page.session.qrPayload)).confirm();
    await page.waitFor('confirmed');
    let revoked: string | undefined;
    onSessionCreated = async (session) => {
      onSessionCreated = undefined;
      const [newest] = await host.qr.listLogins(session.userId);
      revoked = newest?.id;
      if (newest) await host.qr.revokeLogin(newest.id);
    };
    const redeemed = await page.redeem();
    expect(revoked).toBeDefined();
    expect(redeemed.status).toBe(401);
    expect(page.cookies.has(SESSION_COOKIE)).toBe(false);
    const sessions = await (await host.auth.$context).internalAdapter.listSessions(phone.userId);
    // Only the phone's own session is left.
    expect(sessions.map((s) => s.id)).toEqual([(await whoIs(phone.cookies))?.session.id]);
    page.close();
  });
});
