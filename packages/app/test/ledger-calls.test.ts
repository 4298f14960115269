/**
 * The app's ledger calls against a real server: list where the account is signed in, end one, end
 * all, report one, and "this wasn't me" from the confirm screen; each checked against what the
 * server's ledger and the host's `endSession` hook actually saw.
 */
import type { LoginRecord } from '@qrlogin/server';
import { afterEach, describe, expect, it } from 'vitest';
import { codeOf } from './helpers/code-of.js';
import { type RegisteredDevice, registeredDevice } from './helpers/registered-device.js';
import { startServer, type TestServer } from './helpers/start-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/** A browser logs in with `phone`; returns the login id the host stored with its session. */
async function logIn(s: TestServer, phone: RegisteredDevice, headers: Record<string, string> = {}): Promise<string> {
  const session = await s.createSession(headers);
  const request = await phone.app.scan(session.qrPayload);
  await request.confirm();
  s.clock.now += 1;
  return (await s.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret })).loginId;
}

describe('ledger calls against the real server', () => {
  it('lists, ends one, ends all; the host hook sees exactly those logins', async () => {
    const ended: LoginRecord[] = [];
    server = await startServer({ clock: true, endSession: (login) => void ended.push(login) });
    const phone = await registeredDevice(server, 'alice');
    const first = await logIn(server, phone);
    const second = await logIn(server, phone, { 'user-agent': CHROME_UA });
    const third = await logIn(server, phone);

    const logins = await phone.app.listLogins();
    expect(logins.map((l) => l.id)).toEqual([third, second, first]);
    expect(logins[1]).toMatchObject({
      deviceId: phone.deviceId,
      thisDevice: true,
      requester: { browser: 'Chrome 131', os: 'Windows 10', ip: '127.0.0.1' },
    });

    expect(await phone.app.endLogin(second)).toBe(true);
    expect(ended.map((l) => l.id)).toEqual([second]);
    expect(await phone.app.endLogin(second)).toBe(false);
    expect((await phone.app.listLogins()).find((l) => l.id === second)).toMatchObject({ endReason: 'user' });

    expect(await phone.app.endAllLogins()).toBe(2);
    expect(ended.map((l) => l.id).sort()).toEqual([first, second, third].sort());
    expect((await server.qr.listLogins('alice')).every((l) => l.endedAt !== undefined)).toBe(true);
  });

  it('cannot see or end another user’s logins; a malformed id is refused before any request', async () => {
    server = await startServer({ clock: true });
    const alice = await registeredDevice(server, 'alice');
    const bob = await registeredDevice(server, 'bob');
    const bobs = await logIn(server, bob);
    expect(await alice.app.listLogins()).toEqual([]);
    expect(await codeOf(alice.app.endLogin(bobs))).toBe('LOGIN_NOT_FOUND');
    expect(await codeOf(alice.app.reportLogin(bobs))).toBe('LOGIN_NOT_FOUND');
    expect(await codeOf(alice.app.endLogin('nope'))).toBe('INVALID_REQUEST');
    expect((await bob.app.listLogins())[0]?.endedAt).toBeUndefined();
  });

  it('reportLogin ends the device’s logins and locks scans until lockedUntil', async () => {
    server = await startServer({ clock: true, sessionTtlSeconds: 3_600 });
    const phone = await registeredDevice(server, 'alice');
    const first = await logIn(server, phone);
    const second = await logIn(server, phone);
    const report = await phone.app.reportLogin(second);
    expect(report).toEqual({ ended: 2, lockedUntil: server.clock.now + 900_000 });
    expect((await phone.app.listLogins()).map((l) => [l.id, l.endReason])).toEqual([
      [second, 'report'],
      [first, 'report'],
    ]);
    const session = await server.createSession();
    expect(await codeOf(phone.app.scan(session.qrPayload))).toBe('SCANS_LOCKED');
    server.clock.now = report.lockedUntil;
    expect((await phone.app.scan(session.qrPayload)).sessionId).toBe(session.sessionId);
  });

  it('request.report() from the confirm screen rejects the session, which the page hears, and locks scans', async () => {
    server = await startServer({ clock: true });
    const phone = await registeredDevice(server, 'alice');
    const earlier = await logIn(server, phone);
    const session = await server.createSession();
    const page = await server.watch(session);
    const request = await phone.app.scan(session.qrPayload);
    expect(await request.report()).toMatchObject({ ended: 1 });
    expect((await page.next('rejected')).reason).toBe('user');
    expect(await codeOf(request.confirm())).toBe('INVALID_STATE');
    expect((await server.qr.listLogins('alice'))[0]).toMatchObject({ id: earlier, endReason: 'report' });
    const next = await server.createSession();
    expect(await codeOf(phone.app.scan(next.qrPayload))).toBe('SCANS_LOCKED');
    page.close();
  });
});
