/**
 * Arbitrary input to the ledger routes: never a 5xx, always a stable error code, and neither the
 * ledger, nor the scanned session, nor the user's scans change.
 */
import { isErrorCode, type LoginRequest } from '@qrlogin/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginRecord } from '../src/index.js';
import { createSession, newDevice, startServer, type TestDevice, type TestServer } from './helpers.js';

let t: TestServer;
let phone: TestDevice;
let loginId: string;
let scanned: { sessionId: string };
let ledger: LoginRecord[];
let hookCalls = 0;

beforeAll(async () => {
  t = await startServer({
    endSession: () => {
      hookCalls++;
    },
  });
  phone = await newDevice(t);
  const session = await createSession(t);
  const request = (await phone.scan(session.sessionId)).body as LoginRequest;
  await phone.confirm(request);
  loginId = (await t.qr.redeem(session)).loginId;
  scanned = await createSession(t);
  await phone.scan(scanned.sessionId);
  ledger = await t.qr.listLogins('alice');
});
afterAll(() => t.close());

const field = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{86}$/),
  fc.constant('DID'),
  fc.constant(Date.now()),
  fc.array(fc.string(), { maxLength: 3 }),
);
const body = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .dictionary(fc.constantFrom('deviceId', 'timestamp', 'signature', 'ref', 'loginId', 'challenge', 'x'), field)
    .map((o) => JSON.stringify(o)),
  fc.constant('{"__proto__":{"polluted":true}}'),
  fc.constant('x'.repeat(5000)),
);
const paths = fc.oneof(
  fc.constantFrom('/logins/list', '/logins/end-all', '/logins', '/logins/LID/end', '/logins/LID/report'),
  fc.constantFrom('/sessions/SID/report', '/logins/LID', '/logins/list/end', '/logins/LID/end/x'),
  fc.string().map((s) => `/logins/${encodeURIComponent(s)}/end`),
  fc.string().map((s) => `/logins/${encodeURIComponent(s)}`),
);

describe('fuzzing the ledger routes', () => {
  it('answers arbitrary requests with a 4xx JSON error and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'POST', 'POST', 'DELETE', 'PUT'),
        paths,
        body,
        fc.constantFrom('application/json', 'text/plain', ''),
        async (method, path, text, type) => {
          const url = `${t.base}${path.replace('SID', scanned.sessionId).replace('LID', loginId)}`;
          const headers: Record<string, string> = type ? { 'content-type': type } : {};
          const res = await t.qr.fetch(
            new Request(url, {
              method,
              headers,
              ...(method === 'GET' ? {} : { body: text.replaceAll('DID', phone.deviceId) }),
            }),
            { remoteAddress: '127.0.0.1' },
          );
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          const json = (await res.json()) as { error: { code: unknown; message: unknown } };
          expect(isErrorCode(json.error.code)).toBe(true);
          expect(typeof json.error.message).toBe('string');
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { numRuns: 1000 },
    );
    expect(await t.qr.listLogins('alice')).toEqual(ledger);
    expect(hookCalls).toBe(0);
    expect((await t.qr.inspect(scanned.sessionId))?.state).toBe('scanned');
    // No report got through: scanning is not locked.
    const fresh = await createSession(t);
    expect((await phone.scan(fresh.sessionId)).status).toBe(200);
  });
});
