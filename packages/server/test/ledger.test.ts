/**
 * The session ledger over real HTTP: logins recorded at redeem, listed and ended from the phone
 * (signed), the host's `endSession` hook called with exactly the login it ends, "this wasn't me"
 * ending logins and locking scans (on the injected clock, no sleeps), and other users' logins
 * invisible.
 */
import {
  isLoginId,
  type LoginRequest,
  type LoginView,
  QrLoginError,
  type SignedAction,
  type SignedFields,
} from '@qrlogin/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QrLoginEvents } from '../src/events.js';
import {
  type ApprovalReceipt,
  type LoginLedger,
  type LoginRecord,
  memoryLoginLedger,
  type QrLoginOptions,
  verifyReceipt,
} from '../src/index.js';
import { type Body, createSession, newDevice, post, startServer, type TestDevice, type TestServer } from './helpers.js';
import { lateWriteStore } from './late-write-store.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const MINUTE = 60_000;

interface Harness {
  t: TestServer;
  clock: { value: number };
  ended: LoginRecord[];
  /** When set, `endSession` throws it. */
  failHook: { error?: Error };
  events: { name: keyof QrLoginEvents; payload: unknown }[];
  alice: TestDevice;
}

let x: Harness;
const open: TestServer[] = [];

async function harness(options: Partial<QrLoginOptions> = {}): Promise<Harness> {
  const clock = { value: Date.now() };
  const ended: LoginRecord[] = [];
  const failHook: { error?: Error } = {};
  const t = await startServer({
    now: () => clock.value,
    // Two-hour sessions, so the clock can jump past a scan lock while a page keeps its session.
    sessionTtlSeconds: 7_200,
    endSession: (login) => {
      if (failHook.error) throw failHook.error;
      ended.push(login);
    },
    ...options,
  });
  open.push(t);
  const events: Harness['events'] = [];
  for (const name of ['login-recorded', 'login-ended', 'reported', 'hook-error', 'rejected'] as const) {
    t.qr.events.on(name, (payload: unknown) => events.push({ name, payload }));
  }
  return { t, clock, ended, failHook, events, alice: await newDevice(t, 'alice') };
}

afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

/** A signed POST on the harness clock (the helpers sign with the wall clock). */
function signed(device: TestDevice, action: SignedAction, path: string, fields: Partial<SignedFields> = {}) {
  const timestamp = x.clock.value;
  const signature = device.sign({ action, deviceId: device.deviceId, timestamp, ...fields });
  return post(`${x.t.base}${path}`, { deviceId: device.deviceId, timestamp, signature });
}

async function scan(device: TestDevice, sessionId: string) {
  return signed(device, 'scan', `/sessions/${sessionId}/scan`, { sessionId });
}

/** Scans and confirms a new session with `device`; returns the session, ready to redeem. */
async function confirmedSession(device: TestDevice, userAgent = CHROME) {
  const session = await createSession(x.t, { 'user-agent': userAgent });
  const scanned = await scan(device, session.sessionId);
  expect(scanned.status).toBe(200);
  const request = scanned.body as LoginRequest;
  // Signed with the digest of the request as received, as @qrlogin/app does (version 3).
  const body = device.confirmBody(request, { timestamp: x.clock.value });
  const confirmed = await post(`${x.t.base}/sessions/${session.sessionId}/confirm`, body);
  expect(confirmed.status).toBe(200);
  return session;
}

/** A browser with `userAgent` logs in with `device`; returns the redemption. */
async function logIn(device: TestDevice, userAgent: string) {
  const session = await confirmedSession(device, userAgent);
  x.clock.value += 1_000;
  return x.t.qr.redeem(session);
}

const list = async (device: TestDevice): Promise<LoginView[]> => {
  const res = await signed(device, 'list-logins', '/logins/list');
  expect(res.status).toBe(200);
  return (res.body as Body).logins;
};
const endOne = (device: TestDevice, loginId: string) =>
  signed(device, 'end-login', `/logins/${loginId}/end`, { ref: loginId });
const reportOne = (device: TestDevice, loginId: string) =>
  signed(device, 'report-login', `/logins/${loginId}/report`, { ref: loginId });

describe('the ledger over HTTP', () => {
  beforeEach(async () => {
    x = await harness();
  });

  it('records each redeem once and lists both browsers, newest first, as the phone needs them', async () => {
    const first = await logIn(x.alice, CHROME);
    const second = await logIn(x.alice, FIREFOX);
    expect(isLoginId(first.loginId)).toBe(true);
    expect(second.loginId).not.toBe(first.loginId);

    const logins = await list(x.alice);
    expect(logins.map((l) => l.id)).toEqual([second.loginId, first.loginId]);
    expect(logins[0]).toEqual({
      id: second.loginId,
      deviceId: x.alice.deviceId,
      requester: { browser: 'Firefox 133', os: 'Linux', ip: '127.0.0.1' },
      createdAt: second.redeemedAt,
      thisDevice: true,
    });
    // Another device of the same user sees them, not as its own.
    const tablet = await newDevice(x.t, 'alice');
    expect((await list(tablet)).map((l) => [l.id, l.thisDevice])).toEqual([
      [second.loginId, false],
      [first.loginId, false],
    ]);
    expect(x.events.filter((e) => e.name === 'login-recorded')).toHaveLength(2);
    expect(await x.t.qr.listLogins('alice')).toHaveLength(2);
  });

  it('keeps the confirm’s receipt with the login, verifiable offline with the device key', async () => {
    const { loginId, sessionId } = await logIn(x.alice, CHROME);
    const login = (await x.t.qr.listLogins('alice'))[0] as LoginRecord;
    expect(login.id).toBe(loginId);
    const proved = await verifyReceipt(login.receipt as ApprovalReceipt, x.alice.publicKey);
    expect(proved).toMatchObject({ sessionId, deviceId: x.alice.deviceId });
    // The phone's view carries no receipt.
    expect(Object.keys((await list(x.alice))[0] ?? {})).not.toContain('receipt');
  });

  it('ends exactly one login, calling endSession with exactly that login, once', async () => {
    const first = await logIn(x.alice, CHROME);
    const second = await logIn(x.alice, FIREFOX);
    const before = await x.t.qr.listLogins('alice');

    x.clock.value += 1_000;
    const res = await endOne(x.alice, first.loginId);
    expect(res).toMatchObject({ status: 200, body: { ended: true } });
    expect(x.ended).toEqual([before.find((l) => l.id === first.loginId)]);

    const logins = await list(x.alice);
    expect(logins.find((l) => l.id === first.loginId)).toMatchObject({ endedAt: x.clock.value, endReason: 'user' });
    expect(logins.find((l) => l.id === second.loginId)?.endedAt).toBeUndefined();

    // Again: nothing more ends, the hook is not called again.
    expect((await endOne(x.alice, first.loginId)).body).toEqual({ ended: false });
    expect(x.ended).toHaveLength(1);
    expect(x.events.filter((e) => e.name === 'login-ended')).toEqual([
      {
        name: 'login-ended',
        payload: {
          loginId: first.loginId,
          userId: 'alice',
          deviceId: x.alice.deviceId,
          reason: 'user',
          at: x.clock.value,
        },
      },
    ]);
  });

  it('ends all of the user’s active logins, and none of another user’s', async () => {
    const bob = await newDevice(x.t, 'bob');
    const a1 = await logIn(x.alice, CHROME);
    const a2 = await logIn(x.alice, FIREFOX);
    const b1 = await logIn(bob, CHROME);
    await endOne(x.alice, a1.loginId);

    const res = await signed(x.alice, 'end-all-logins', '/logins/end-all');
    expect(res).toMatchObject({ status: 200, body: { ended: 1 } });
    expect(x.ended.map((l) => l.id)).toEqual([a1.loginId, a2.loginId]);
    expect((await list(x.alice)).every((l) => l.endedAt !== undefined)).toBe(true);
    expect((await list(x.alice)).find((l) => l.id === a2.loginId)?.endReason).toBe('all');
    expect((await list(bob))[0]).toMatchObject({ id: b1.loginId });
    expect((await list(bob))[0]?.endedAt).toBeUndefined();
  });

  it('answers LOGIN_NOT_FOUND for another user’s login and for none, changing nothing', async () => {
    const bob = await newDevice(x.t, 'bob');
    const bobs = await logIn(bob, CHROME);
    const before = await x.t.qr.listLogins('bob');
    const unknown = 'A'.repeat(22);
    for (const res of [
      await endOne(x.alice, bobs.loginId),
      await reportOne(x.alice, bobs.loginId),
      await endOne(x.alice, unknown),
    ]) {
      expect(res.status).toBe(404);
      expect((res.body as Body).error.code).toBe('LOGIN_NOT_FOUND');
    }
    // Same message for both: the answer must not tell a foreign login from a missing one.
    const foreign = await endOne(x.alice, bobs.loginId);
    const missing = await endOne(x.alice, unknown);
    expect(foreign.body).toEqual(missing.body);
    expect(await x.t.qr.listLogins('bob')).toEqual(before);
    expect(x.ended).toEqual([]);
    // A report about a foreign login locks nothing either.
    const session = await createSession(x.t);
    expect((await scan(x.alice, session.sessionId)).status).toBe(200);
  });

  it('refuses a signature for another login id, another action or a revoked device', async () => {
    const first = await logIn(x.alice, CHROME);
    const second = await logIn(x.alice, FIREFOX);
    const timestamp = x.clock.value;
    const forSecond = x.alice.sign({ action: 'end-login', deviceId: x.alice.deviceId, ref: second.loginId, timestamp });
    const swapped = await post(`${x.t.base}/logins/${first.loginId}/end`, {
      deviceId: x.alice.deviceId,
      timestamp,
      signature: forSecond,
    });
    expect(swapped.status).toBe(401);
    expect((swapped.body as Body).error.code).toBe('SIGNATURE_INVALID');
    const asReport = await post(`${x.t.base}/logins/${second.loginId}/report`, {
      deviceId: x.alice.deviceId,
      timestamp,
      signature: forSecond,
    });
    expect((asReport.body as Body).error.code).toBe('SIGNATURE_INVALID');
    expect(x.ended).toEqual([]);
    expect((await x.t.qr.listLogins('alice')).every((l) => l.endedAt === undefined)).toBe(true);
    // Revoking ends the device's logins itself; what the revoked key signs afterwards is refused.
    await x.t.qr.revokeDevice(x.alice.deviceId);
    expect(((await endOne(x.alice, first.loginId)).body as Body).error.code).toBe('DEVICE_REVOKED');
    expect((await x.t.qr.listLogins('alice')).map((l) => l.endReason)).toEqual(['device-revoked', 'device-revoked']);
  });

  it('keeps a login active when endSession throws, answers END_SESSION_FAILED, and ends it on retry', async () => {
    const login = await logIn(x.alice, CHROME);
    x.failHook.error = new Error('session table down');
    const res = await endOne(x.alice, login.loginId);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((res.body as Body).error.code).toBe('END_SESSION_FAILED');
    expect((await list(x.alice))[0]?.endedAt).toBeUndefined();
    expect(x.events.find((e) => e.name === 'hook-error')?.payload).toEqual({
      hook: 'endSession',
      error: x.failHook.error,
    });
    await expect(x.t.qr.revokeLogin(login.loginId)).rejects.toMatchObject({ code: 'END_SESSION_FAILED' });

    x.failHook.error = undefined;
    expect((await endOne(x.alice, login.loginId)).body).toEqual({ ended: true });
    expect(x.ended.map((l) => l.id)).toEqual([login.loginId]);
  });

  it('host side: revokeLogin, and revokeLogins by device and since', async () => {
    const tablet = await newDevice(x.t, 'alice');
    const a = await logIn(x.alice, CHROME);
    const b = await logIn(tablet, CHROME);
    x.clock.value += MINUTE;
    const c = await logIn(x.alice, FIREFOX);
    expect(await x.t.qr.revokeLogins({ userId: 'alice', deviceId: x.alice.deviceId, since: c.redeemedAt })).toBe(1);
    expect(x.ended.map((l) => l.id)).toEqual([c.loginId]);
    expect(await x.t.qr.revokeLogin(a.loginId)).toBe(true);
    expect(await x.t.qr.revokeLogin(a.loginId)).toBe(false);
    expect(await x.t.qr.revokeLogin('not a login id')).toBe(false);
    expect(await x.t.qr.revokeLogins({ userId: 'alice' })).toBe(1);
    expect(x.ended.map((l) => l.id)).toEqual([c.loginId, a.loginId, b.loginId]);
    expect((await x.t.qr.listLogins('alice')).map((l) => l.endReason)).toEqual(['host', 'host', 'host']);
  });
});

describe('revoking a device', () => {
  beforeEach(async () => {
    x = await harness();
  });

  it('ends every login that device approved (reason device-revoked), and no other device’s', async () => {
    const tablet = await newDevice(x.t, 'alice');
    const revokedEvents: unknown[] = [];
    x.t.qr.events.on('device-revoked', (e) => revokedEvents.push(e));
    const a = await logIn(x.alice, CHROME);
    const b = await logIn(x.alice, FIREFOX);
    const kept = await logIn(tablet, CHROME);

    expect(await x.t.qr.revokeDevice(x.alice.deviceId)).toBe(true);
    expect(x.ended.map((l) => l.id).sort()).toEqual([a.loginId, b.loginId].sort());
    const byId = new Map((await x.t.qr.listLogins('alice')).map((l) => [l.id, l]));
    expect(byId.get(a.loginId)?.endReason).toBe('device-revoked');
    expect(byId.get(b.loginId)?.endReason).toBe('device-revoked');
    expect(byId.get(kept.loginId)?.endedAt).toBeUndefined();
    expect(revokedEvents).toHaveLength(1);
    // Again: nothing left to end, no second event.
    expect(await x.t.qr.revokeDevice(x.alice.deviceId)).toBe(true);
    expect(x.ended).toHaveLength(2);
    expect(revokedEvents).toHaveLength(1);
  });

  it('a sign-in it confirmed but the browser had not yet redeemed is refused, and records nothing', async () => {
    const session = await confirmedSession(x.alice);
    await x.t.qr.revokeDevice(x.alice.deviceId);
    await expect(x.t.qr.redeem(session)).rejects.toMatchObject({ code: 'DEVICE_REVOKED' });
    expect(await x.t.qr.listLogins('alice')).toEqual([]);
    expect(x.events.filter((e) => e.name === 'login-recorded')).toEqual([]);
    // Once redeemed, a later revocation does not change what a second redeem is told.
    const tablet = await newDevice(x.t, 'alice');
    const redeemed = await confirmedSession(tablet);
    await x.t.qr.redeem(redeemed);
    await x.t.qr.revokeDevice(tablet.deviceId);
    await expect(x.t.qr.redeem(redeemed)).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
  });

  it('a device revoking itself ends its logins too', async () => {
    const login = await logIn(x.alice, CHROME);
    const timestamp = x.clock.value;
    const signature = x.alice.sign({ action: 'revoke', deviceId: x.alice.deviceId, timestamp });
    const res = await post(`${x.t.base}/devices/${x.alice.deviceId}/revoke`, { timestamp, signature });
    expect(res.status).toBe(204);
    expect(x.ended.map((l) => l.id)).toEqual([login.loginId]);
    expect((await x.t.qr.listLogins('alice'))[0]?.endReason).toBe('device-revoked');
  });

  it('when endSession fails: the device is revoked anyway, END_SESSION_FAILED, and a retry ends the rest', async () => {
    const login = await logIn(x.alice, CHROME);
    x.failHook.error = new Error('session table down');
    await expect(x.t.qr.revokeDevice(x.alice.deviceId)).rejects.toMatchObject({ code: 'END_SESSION_FAILED' });
    const session = await createSession(x.t, { 'user-agent': CHROME });
    const refused = await scan(x.alice, session.sessionId);
    expect((refused.body as Body).error.code).toBe('DEVICE_REVOKED');
    expect((await x.t.qr.listLogins('alice'))[0]?.endedAt).toBeUndefined();

    x.failHook.error = undefined;
    expect(await x.t.qr.revokeDevice(x.alice.deviceId)).toBe(true);
    expect(x.ended.map((l) => l.id)).toEqual([login.loginId]);
    expect((await x.t.qr.listLogins('alice'))[0]?.endReason).toBe('device-revoked');
  });
});

describe('this wasn’t me', () => {
  beforeEach(async () => {
    x = await harness();
  });

  it('from the ledger: ends both logins of that device, locks scans, emits one event; scans work after the lock', async () => {
    const tablet = await newDevice(x.t, 'alice');
    const first = await logIn(x.alice, CHROME);
    const second = await logIn(x.alice, FIREFOX);
    const other = await logIn(tablet, CHROME);
    // A page waiting since before the report, scanned during the lock: refused, left pending.
    const waiting = await createSession(x.t);

    x.clock.value += 1_000;
    const reportedAt = x.clock.value;
    const res = await reportOne(x.alice, first.loginId);
    expect(res).toMatchObject({ status: 200, body: { ended: 2, lockedUntil: reportedAt + 15 * MINUTE } });
    expect(x.ended.map((l) => l.id).sort()).toEqual([first.loginId, second.loginId].sort());
    const reports = x.events.filter((e) => e.name === 'reported');
    expect(reports).toHaveLength(1);
    expect(reports[0]?.payload).toMatchObject({
      userId: 'alice',
      by: 'device',
      deviceId: x.alice.deviceId,
      loginId: first.loginId,
      failed: [],
      lockedUntil: reportedAt + 15 * MINUTE,
      at: reportedAt,
    });
    const report = reports[0]?.payload as { ended: string[] };
    expect([...report.ended].sort()).toEqual([first.loginId, second.loginId].sort());
    // The tablet's login was not minted via the reported device.
    expect((await x.t.qr.listLogins('alice')).find((l) => l.id === other.loginId)?.endedAt).toBeUndefined();

    for (const device of [x.alice, tablet]) {
      const refused = await scan(device, waiting.sessionId);
      expect(refused.status).toBe(403);
      expect((refused.body as Body).error.code).toBe('SCANS_LOCKED');
      expect((await x.t.qr.inspect(waiting.sessionId))?.state).toBe('pending');
    }
    x.clock.value = reportedAt + 15 * MINUTE - 1;
    expect(((await scan(x.alice, waiting.sessionId)).body as Body).error.code).toBe('SCANS_LOCKED');
    x.clock.value = reportedAt + 15 * MINUTE;
    expect((await scan(x.alice, waiting.sessionId)).status).toBe(200);
  });

  it('from the confirm screen: rejects the scanned session, ends the device’s logins, locks scans', async () => {
    const earlier = await logIn(x.alice, CHROME);
    const session = await createSession(x.t, { 'user-agent': FIREFOX });
    const request = (await scan(x.alice, session.sessionId)).body as LoginRequest;
    const res = await signed(x.alice, 'report', `/sessions/${session.sessionId}/report`, {
      sessionId: session.sessionId,
      challenge: request.challenge,
    });
    expect(res).toMatchObject({ status: 200, body: { ended: 1 } });
    expect((await x.t.qr.inspect(session.sessionId))?.state).toBe('rejected');
    expect(x.ended.map((l) => l.id)).toEqual([earlier.loginId]);
    expect(x.events.filter((e) => e.name === 'reported')).toHaveLength(1);
    const again = await createSession(x.t);
    expect(((await scan(x.alice, again.sessionId)).body as Body).error.code).toBe('SCANS_LOCKED');
  });

  it('from the confirm screen: only the device that scanned may report, with the scan’s challenge', async () => {
    const thief = await newDevice(x.t, 'mallory');
    const session = await createSession(x.t);
    const request = (await scan(x.alice, session.sessionId)).body as LoginRequest;
    const fields = { sessionId: session.sessionId, challenge: request.challenge };
    const other = await signed(thief, 'report', `/sessions/${session.sessionId}/report`, fields);
    expect((other.body as Body).error.code).toBe('DEVICE_FORBIDDEN');
    const wrongChallenge = await signed(x.alice, 'report', `/sessions/${session.sessionId}/report`, {
      ...fields,
      challenge: 'B'.repeat(43),
    });
    expect((wrongChallenge.body as Body).error.code).toBe('SIGNATURE_INVALID');
    expect((await x.t.qr.inspect(session.sessionId))?.state).toBe('scanned');
    expect(x.events.filter((e) => e.name === 'reported')).toEqual([]);
  });

  it('ends only logins inside the window; the reported login itself ends even when older', async () => {
    const old = await logIn(x.alice, CHROME);
    const older = await logIn(x.alice, CHROME);
    x.clock.value += 25 * 60 * MINUTE;
    const recent = await logIn(x.alice, FIREFOX);
    const report = await x.t.qr.reportNotMe({ userId: 'alice', loginId: old.loginId });
    expect(report.ended.sort()).toEqual([old.loginId, recent.loginId].sort());
    expect((await x.t.qr.listLogins('alice')).find((l) => l.id === older.loginId)?.endedAt).toBeUndefined();
    expect(x.events.filter((e) => e.name === 'reported').map((e) => (e.payload as { by: string }).by)).toEqual([
      'host',
    ]);
  });

  it('host side with a scanned session: rejects it and locks; a later report keeps the later lock end', async () => {
    const session = await createSession(x.t);
    await scan(x.alice, session.sessionId);
    const first = await x.t.qr.reportNotMe({ userId: 'alice', sessionId: session.sessionId });
    expect((await x.t.qr.inspect(session.sessionId))?.state).toBe('rejected');
    x.clock.value += MINUTE;
    const second = await x.t.qr.reportNotMe({ userId: 'alice' });
    expect(second.lockedUntil).toBe(first.lockedUntil + MINUTE);
    // Another user's session is not found for alice, and nothing of it changes.
    const bob = await newDevice(x.t, 'bob');
    const bobs = await createSession(x.t);
    await scan(bob, bobs.sessionId);
    await expect(x.t.qr.reportNotMe({ userId: 'alice', sessionId: bobs.sessionId })).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
    expect((await x.t.qr.inspect(bobs.sessionId))?.state).toBe('scanned');
  });

  it('when a hook fails: still locks, ends the rest, reports the failure once, and throws END_SESSION_FAILED', async () => {
    const login = await logIn(x.alice, CHROME);
    x.failHook.error = new Error('down');
    const res = await reportOne(x.alice, login.loginId);
    expect((res.body as Body).error.code).toBe('END_SESSION_FAILED');
    expect(x.events.filter((e) => e.name === 'reported').map((e) => e.payload)).toMatchObject([
      { ended: [], failed: [login.loginId] },
    ]);
    const session = await createSession(x.t);
    expect(((await scan(x.alice, session.sessionId)).body as Body).error.code).toBe('SCANS_LOCKED');
    expect((await x.t.qr.listLogins('alice'))[0]?.endedAt).toBeUndefined();
  });
});

describe('recording at redeem', () => {
  it('writes one login when the redeem write landed but was reported failed, and the host retried', async () => {
    const store = lateWriteStore();
    x = await harness({ store });
    const session = await confirmedSession(x.alice);
    store.failRedeemWrites = 1;
    await expect(x.t.qr.redeem(session)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const redemption = await x.t.qr.redeem(session);
    expect((await x.t.qr.listLogins('alice')).map((l) => l.id)).toEqual([redemption.loginId]);
  });

  it('writes one login when the ledger write landed but was reported failed, and the host retried', async () => {
    const inner = memoryLoginLedger();
    let failAfterWrite = 1;
    const logins: LoginLedger = {
      ...inner,
      async add(record, retainUntil) {
        const wrote = await inner.add(record, retainUntil);
        if (failAfterWrite-- > 0) throw new QrLoginError('STORE_UNAVAILABLE', 'the ledger timed out');
        return wrote;
      },
    };
    x = await harness({ logins });
    const session = await confirmedSession(x.alice);
    await expect(x.t.qr.redeem(session)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const redemption = await x.t.qr.redeem(session);
    const listed = await x.t.qr.listLogins('alice');
    expect(listed.map((l) => l.id)).toEqual([redemption.loginId]);
    expect(listed[0]).toMatchObject({ sessionId: session.sessionId, deviceId: x.alice.deviceId, userId: 'alice' });
    expect(x.events.filter((e) => e.name === 'login-recorded')).toHaveLength(1);
    await expect(x.t.qr.redeem(session)).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
    expect(await x.t.qr.listLogins('alice')).toHaveLength(1);
  });
});

describe('rate limits on the ledger routes', () => {
  it('limits each device’s signed ledger calls; unsigned ones do not spend its budget', async () => {
    x = await harness({ rateLimits: { ledgerPerDevice: { limit: 2, windowSeconds: 60 } } });
    const forged = await post(`${x.t.base}/logins/list`, {
      deviceId: x.alice.deviceId,
      timestamp: x.clock.value,
      signature: 'A'.repeat(86),
    });
    expect((forged.body as Body).error.code).toBe('SIGNATURE_INVALID');
    await list(x.alice);
    await list(x.alice);
    const limited = await signed(x.alice, 'list-logins', '/logins/list');
    expect(limited.status).toBe(429);
    expect((limited.body as Body).error.code).toBe('RATE_LIMITED');
    expect(await list(await newDevice(x.t, 'alice'))).toEqual([]);
  });
});

describe('ownership', () => {
  it('leaves a ledger the host passed in open on close()', async () => {
    const inner = memoryLoginLedger();
    let closed = 0;
    const logins: LoginLedger = {
      ...inner,
      close: () => {
        closed++;
      },
    };
    const t = await startServer({ logins });
    await t.close();
    expect(closed).toBe(0);
  });
});
