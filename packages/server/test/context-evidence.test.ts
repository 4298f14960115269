/**
 * Evidence-carrying approval over real HTTP: the scan fixes the context text and digest in its one
 * write, a re-scan gets the same request back, a confirm must sign that digest (version 3), a
 * different one is refused with CONTEXT_MISMATCH and changes nothing, an outdated app's confirm is
 * refused with UNSUPPORTED_VERSION, and the confirmed write keeps the receipt.
 */
import {
  canonicalMessage,
  contextText,
  type LoginRequest,
  parseContextText,
  SIGNING_TEST_VECTOR,
} from '@qrlogin/protocol';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextDigestOf } from '../src/context-digest.js';
import { memoryStore, type QrLoginEvents, type SessionRecord, type SessionStore } from '../src/index.js';
import { createSession, newDevice, post, signWith, startServer, type TestDevice, type TestServer } from './helpers.js';

let t: TestServer;
let store: SessionStore;
let phone: TestDevice;
const mismatches: QrLoginEvents['context-mismatch'][0][] = [];

beforeEach(async () => {
  store = memoryStore();
  t = await startServer({
    store,
    trustProxy: 1,
    describeRequester: (ip) => ({ place: ip.startsWith('198.51.100.') ? 'Berlin, DE' : 'Lisbon, PT' }),
  });
  phone = await newDevice(t);
  mismatches.length = 0;
  t.qr.events.on('context-mismatch', (event) => mismatches.push(event));
});
afterEach(() => t.close());

const record = async (sessionId: string) => (await store.get(sessionId)) as SessionRecord;

async function scanFrom(ip: string, sessionId: string): Promise<LoginRequest> {
  const timestamp = Date.now();
  const res = await post(
    `${t.base}/sessions/${sessionId}/scan`,
    {
      deviceId: phone.deviceId,
      timestamp,
      signature: phone.sign({ action: 'scan', sessionId, deviceId: phone.deviceId, timestamp }),
    },
    { 'x-forwarded-for': ip },
  );
  expect(res.status).toBe(200);
  return res.body as LoginRequest;
}

/** A scanned session, created by a browser in "Berlin" and scanned by the phone from "Lisbon". */
async function scanned() {
  const session = await createSession(t, { 'x-forwarded-for': '198.51.100.7' });
  const request = await scanFrom('203.0.113.9', session.sessionId);
  return { session, request };
}

/** A confirm body signed over `contextDigest` (version 3). */
const confirmWith = (request: LoginRequest, contextDigest: string) => phone.confirmBody(request, { contextDigest });

const confirmUrl = (request: LoginRequest) => `${t.base}/sessions/${request.sessionId}/confirm`;

describe('scan', () => {
  it('stores the context text and digest of exactly the request it answers, in the scanned write', async () => {
    const { session, request } = await scanned();
    const stored = await record(session.sessionId);
    expect(stored.state).toBe('scanned');
    expect(stored.version).toBe(2); // one write: created (1) → scanned with its context (2)
    expect(stored.context).toBe(contextText(request));
    expect(stored.contextDigest).toBe(contextDigestOf(request));
    expect(request.requester.place).toBe('Berlin, DE');
    expect(request.proximity).toMatchObject({ sameNetwork: false, samePlace: false, distance: 'far' });
  });

  it('gives the same device the same request and digest when it scans again, even from elsewhere', async () => {
    const { session, request } = await scanned();
    // From the browser's own network now: computed afresh, proximity would say "near".
    const again = await scanFrom('198.51.100.8', session.sessionId);
    expect({ ...again, serverTime: 0 }).toEqual({ ...request, serverTime: 0 });
    expect(contextDigestOf(again)).toBe(contextDigestOf(request));
    expect((await record(session.sessionId)).version).toBe(2);
  });
});

describe('confirm version 3', () => {
  it('confirms with the digest of what was sent, and keeps a receipt that verifies', async () => {
    const { session, request } = await scanned();
    const body = confirmWith(request, contextDigestOf(request));
    const res = await post(confirmUrl(request), body);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('confirmed');
    const stored = await record(session.sessionId);
    expect(stored.receipt).toEqual({
      message: canonicalMessage({ ...confirmFields(request, body), audience: t.origin }),
      signature: body.signature,
      publicKey: phone.publicKey,
      context: stored.context,
    });
    expect(stored.receipt?.message).toContain(`\nctx:${contextDigestOf(request)}\n`);
    expect(parseContextText(stored.receipt?.context as string).requester.place).toBe('Berlin, DE');
  });

  it('refuses a correctly signed digest of another context with 409 CONTEXT_MISMATCH, audited, changing nothing', async () => {
    const { session, request } = await scanned();
    const shown = { ...request, requester: { ...request.requester, place: 'Home' } };
    const res = await post(confirmUrl(request), confirmWith(request, contextDigestOf(shown)));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONTEXT_MISMATCH');
    expect(mismatches).toEqual([
      expect.objectContaining({ sessionId: session.sessionId, deviceId: phone.deviceId, userId: 'alice' }),
    ]);
    const after = await record(session.sessionId);
    expect(after).toMatchObject({ state: 'scanned', version: 2 });
    expect(after.receipt).toBeUndefined();
    // The honest confirm still goes through: the challenge was not spent.
    expect((await post(confirmUrl(request), confirmWith(request, contextDigestOf(request)))).body.state).toBe(
      'confirmed',
    );
  });

  it('refuses a digest the signature does not cover with SIGNATURE_INVALID, not as a mismatch', async () => {
    const { session, request } = await scanned();
    const body = {
      ...confirmWith(request, contextDigestOf(request)),
      contextDigest: SIGNING_TEST_VECTOR.fields.contextDigest,
    };
    const res = await post(confirmUrl(request), body);
    expect(res.body.error.code).toBe('SIGNATURE_INVALID');
    expect(mismatches).toEqual([]);
    expect((await record(session.sessionId)).state).toBe('scanned');
  });

  it('answers an outdated app (version 1 confirm, no digest) 400 UNSUPPORTED_VERSION, and changes nothing', async () => {
    const { session, request } = await scanned();
    const timestamp = Date.now();
    const v1 = signWith(
      phone.privateKey,
      {
        action: 'confirm',
        audience: t.origin,
        sessionId: request.sessionId,
        challenge: request.challenge,
        deviceId: phone.deviceId,
        timestamp,
      },
      1,
    );
    const res = await post(confirmUrl(request), { deviceId: phone.deviceId, timestamp, signature: v1 });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'UNSUPPORTED_VERSION',
      message: 'this app signs version 1 of "confirm"; update it to sign version 3',
    });
    // Without a digest and without a valid version 1 signature: still "update the app".
    const other = { ...confirmWith(request, contextDigestOf(request)), contextDigest: undefined };
    const res2 = await post(confirmUrl(request), other);
    expect(res2.status).toBe(400);
    expect(res2.body.error.code).toBe('UNSUPPORTED_VERSION');
    expect(res2.body.error.message).toMatch(/contextDigest.*update the app/);
    expect(await record(session.sessionId)).toMatchObject({ state: 'scanned', version: 2 });
  });

  it('refuses a malformed contextDigest with 400 INVALID_REQUEST (property), and a digest on a reject', async () => {
    const { session, request } = await scanned();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.stringMatching(/^[A-Za-z0-9_-]{42,44}$/)),
        async (digest) => {
          fc.pre(typeof digest !== 'string' || !/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/.test(digest));
          const res = await post(confirmUrl(request), {
            ...confirmWith(request, contextDigestOf(request)),
            contextDigest: digest,
          });
          expect(res.status).toBe(400);
          expect(res.body.error.code).toBe('INVALID_REQUEST');
        },
      ),
      { numRuns: 40 },
    );
    const reject = await phone.reject(request, { contextDigest: contextDigestOf(request) });
    expect(reject.body.error.code).toBe('INVALID_REQUEST');
    expect(await record(session.sessionId)).toMatchObject({ state: 'scanned', version: 2 });
  });

  it('refuses to confirm a session scanned without a context (a server from before digests) until it expires', async () => {
    const { session, request } = await scanned();
    const { context: _c, contextDigest: _d, ...older } = await record(session.sessionId);
    expect(await store.compareAndSet({ ...older, version: 3 }, 2, Date.now() + 60_000)).toBe(true);
    const res = await post(confirmUrl(request), confirmWith(request, contextDigestOf(request)));
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({
      code: 'CONTEXT_MISMATCH',
      message: 'this session was scanned without a context digest: scan again',
    });
    expect(mismatches).toEqual([]);
    expect(await record(session.sessionId)).toMatchObject({ state: 'scanned', version: 3 });
  });

  it('keeps reject at version 1, with no receipt', async () => {
    const { session, request } = await scanned();
    expect((await phone.reject(request)).body.state).toBe('rejected');
    expect((await record(session.sessionId)).receipt).toBeUndefined();
  });
});

function confirmFields(request: LoginRequest, body: ReturnType<typeof confirmWith>) {
  return {
    action: 'confirm' as const,
    sessionId: request.sessionId,
    challenge: request.challenge,
    deviceId: phone.deviceId,
    contextDigest: body.contextDigest,
    timestamp: body.timestamp,
  };
}
