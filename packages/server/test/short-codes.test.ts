/**
 * "Can't scan?" short codes over real HTTP: issued to the browser secret, found by a signed
 * device call, always number-matched, rate limited as guesses, and refused cleanly on bad input.
 */
import { isShortCode, type LoginRequest } from '@qrlogin/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/store/memory-store.js';
import { createSession, newDevice, post, serversPerTest, type TestDevice, type TestServer } from './helpers.js';

const server = serversPerTest();

async function shortCodeOf(t: TestServer, session: { sessionId: string; browserSecret: string }) {
  return post(`${t.base}/sessions/${session.sessionId}/short-code`, '', {
    authorization: `Bearer ${session.browserSecret}`,
  });
}

function findBody(phone: TestDevice, shortCode: string, timestamp = Date.now()) {
  return {
    deviceId: phone.deviceId,
    shortCode,
    timestamp,
    signature: phone.sign({ action: 'find-session', deviceId: phone.deviceId, ref: shortCode, timestamp }),
  };
}

describe('short codes', () => {
  it('issues one code per session, the same on every call, living as long as the session', async () => {
    const t = await server();
    const session = await createSession(t);
    const first = await shortCodeOf(t, session);
    expect(first.status).toBe(200);
    expect(isShortCode(first.body.shortCode)).toBe(true);
    expect(first.body.expiresAt).toBe(session.expiresAt);
    const again = await shortCodeOf(t, session);
    expect(again.body.shortCode).toBe(first.body.shortCode);
    const other = await shortCodeOf(t, await createSession(t));
    expect(other.body.shortCode).not.toBe(first.body.shortCode);
  });

  it('gives one code to racing requests of one session', async () => {
    const t = await server();
    const session = await createSession(t);
    const answers = await Promise.all(Array.from({ length: 8 }, () => shortCodeOf(t, session)));
    expect(new Set(answers.map((a) => a.body.shortCode)).size).toBe(1);
  });

  it('refuses a wrong browser secret and a session that is no longer pending', async () => {
    const t = await server({ authenticate: () => ({ userId: 'alice' }) });
    const session = await createSession(t);
    const wrong = await shortCodeOf(t, { ...session, browserSecret: 'x'.repeat(43) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_SECRET');
    const phone = await newDevice(t);
    await phone.scan(session.sessionId);
    const late = await shortCodeOf(t, session);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('INVALID_STATE');
  });

  it('finds the session by code; the scan then requires number matching although the option is off', async () => {
    const t = await server();
    const session = await createSession(t);
    const { shortCode } = (await shortCodeOf(t, session)).body;
    const phone = await newDevice(t);
    const found = await post(`${t.base}/find-session`, findBody(phone, shortCode));
    expect(found).toMatchObject({ status: 200, body: { sessionId: session.sessionId } });
    const scanned = await phone.scan(found.body.sessionId);
    const request = scanned.body as LoginRequest;
    expect(request.codeRequired).toBe(true);
    const withoutCode = await phone.confirm(request);
    expect(withoutCode.body.error.code).toBe('CODE_REQUIRED');
    // The number is shown only on the page that holds the browser secret.
    const snapshot = await fetch(`${t.base}/sessions/${session.sessionId}`, {
      headers: { authorization: `Bearer ${session.browserSecret}` },
    }).then((r) => r.json() as Promise<{ code: string }>);
    expect(snapshot.code).toMatch(/^[0-9]{2}$/);
    const confirmed = await phone.confirm(request, { code: snapshot.code });
    expect(confirmed.body.state).toBe('confirmed');
  });

  it('a session without a short code keeps the numberMatching option (off: no code)', async () => {
    const t = await server();
    const session = await createSession(t);
    const phone = await newDevice(t);
    expect(((await phone.scan(session.sessionId)).body as LoginRequest).codeRequired).toBe(false);
  });

  it('answers SHORT_CODE_NOT_FOUND for an unknown code, one of a finished session, and a bad signature', async () => {
    const t = await server();
    const phone = await newDevice(t);
    const unknown = await post(`${t.base}/find-session`, findBody(phone, 'K7M2Q9RT'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('SHORT_CODE_NOT_FOUND');

    const session = await createSession(t);
    const { shortCode } = (await shortCodeOf(t, session)).body;
    await fetch(`${t.base}/sessions/${session.sessionId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${session.browserSecret}` },
    });
    const ended = await post(`${t.base}/find-session`, findBody(phone, shortCode));
    expect(ended.body.error.code).toBe('SHORT_CODE_NOT_FOUND');

    const forged = { ...findBody(phone, shortCode), shortCode: 'K7M2Q9RT' };
    expect((await post(`${t.base}/find-session`, forged)).body.error.code).toBe('SIGNATURE_INVALID');
  });

  it('lets another device find a code that is already scanned by someone else only as "not found"', async () => {
    const t = await server();
    const session = await createSession(t);
    const { shortCode } = (await shortCodeOf(t, session)).body;
    const first = await newDevice(t, 'alice');
    const second = await newDevice(t, 'mallory');
    await first.scan(session.sessionId);
    expect((await post(`${t.base}/find-session`, findBody(first, shortCode))).body.sessionId).toBe(session.sessionId);
    expect((await post(`${t.base}/find-session`, findBody(second, shortCode))).body.error.code).toBe(
      'SHORT_CODE_NOT_FOUND',
    );
  });

  it('counts wrong codes as guesses: per device, then per user across devices, then per network', async () => {
    const t = await server({
      rateLimits: {
        findSessionPerDevice: { limit: 3, windowSeconds: 600 },
        findSessionPerUser: { limit: 4, windowSeconds: 3600 },
        findSessionPerIp: { limit: 7, windowSeconds: 3600 },
      },
    });
    const session = await createSession(t);
    const { shortCode } = (await shortCodeOf(t, session)).body;
    const a = await newDevice(t, 'mallory');
    const codes = ['K7M2Q9RT', 'K7M2Q9RV', 'K7M2Q9RW'];
    for (const c of codes) expect((await post(`${t.base}/find-session`, findBody(a, c))).status).toBe(404);
    // The fourth try is refused even with the right code: the limit holds before the lookup.
    const limited = await post(`${t.base}/find-session`, findBody(a, shortCode));
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const b = await newDevice(t, 'mallory');
    expect((await post(`${t.base}/find-session`, findBody(b, 'K7M2Q9RX'))).status).toBe(404);
    expect((await post(`${t.base}/find-session`, findBody(b, shortCode))).status).toBe(429);
    const c = await newDevice(t, 'eve');
    expect((await post(`${t.base}/find-session`, findBody(c, shortCode))).status).toBe(200);
    expect((await post(`${t.base}/find-session`, findBody(c, 'K7M2Q9RX'))).status).toBe(429);
  });

  it('refuses malformed bodies with INVALID_REQUEST before anything is counted or looked up', async () => {
    const t = await server();
    const phone = await newDevice(t);
    for (const body of [
      {},
      { ...findBody(phone, 'K7M2Q9RT'), shortCode: 'k7m2-q9rt' },
      { ...findBody(phone, 'K7M2Q9RT'), extra: 1 },
      { ...findBody(phone, 'K7M2Q9RT'), timestamp: -1 },
    ]) {
      const res = await post(`${t.base}/find-session`, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
    const get = await fetch(`${t.base}/find-session`);
    expect(get.status).toBe(405);
  });

  it('says clearly when the store has no short codes', async () => {
    const base = memoryStore();
    const { addShortCode: _a, findShortCode: _f, ...store } = base;
    const t = await server({ store });
    const res = await shortCodeOf(t, await createSession(t));
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/addShortCode/);
  });

  it('fuzz: arbitrary find-session bodies get a 4xx with a stable code and never find the session', async () => {
    const t = await server();
    const phone = await newDevice(t);
    const session = await createSession(t);
    await shortCodeOf(t, session);
    const field = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.stringMatching(/^[2-9A-Z]{8}$/));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('deviceId', 'shortCode', 'timestamp', 'signature', 'x'), field),
        fc.boolean(),
        async (body, withDevice) => {
          const res = await post(`${t.base}/find-session`, withDevice ? { ...body, deviceId: phone.deviceId } : body);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(typeof res.body.error.code).toBe('string');
        },
      ),
      { numRuns: 150 },
    );
    expect((await t.qr.inspect(session.sessionId))?.state).toBe('pending');
  });
});
