/**
 * One test per rule of docs/protocol.md that an independent implementer found unstated and the
 * server had to be made to agree with: malformed ids, non-canonical base64url, device labels, a
 * code sent without number matching, query parameters, and a long-poll on a finished session.
 * Where input is parsed, fast-check generates it.
 */
import { encodeBase64Url, isDeviceId, isSessionId, type LoginRequest } from '@qrlogin/protocol';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSession, newDevice, newKeyPair, post, signWith, startServer, type TestServer } from './helpers.js';

let t: TestServer;
afterEach(async () => {
  await t?.close();
});

const RUNS = { numRuns: 25 };

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(`${t.base}${path}`, init);
  const text = await res.text();
  return { status: res.status, code: (text.startsWith('{') ? JSON.parse(text).error?.code : undefined) as string };
}

/** A segment that is not a well-formed id of either kind, URL-safe once encoded. */
const malformedId = fc
  .string({ minLength: 1, maxLength: 40 })
  .filter((s) => !isSessionId(s) && !isDeviceId(s) && s !== '.' && s !== '..')
  .map(encodeURIComponent);

describe('a malformed id is 400 INVALID_REQUEST wherever it appears', () => {
  it('in every path that names a session or device (property)', async () => {
    t = await startServer({ rateLimits: false });
    await fc.assert(
      fc.asyncProperty(malformedId, async (id) => {
        expect(await call(`/sessions/${id}`)).toEqual({ status: 400, code: 'INVALID_REQUEST' });
        expect(await call(`/sessions/${id}`, { method: 'DELETE' })).toEqual({ status: 400, code: 'INVALID_REQUEST' });
        for (const verb of ['scan', 'confirm', 'reject']) {
          const res = await call(`/sessions/${id}/${verb}`, { method: 'POST' });
          expect(res).toEqual({ status: 400, code: 'INVALID_REQUEST' });
        }
        expect(await call(`/devices/${id}/revoke`, { method: 'POST' })).toEqual({
          status: 400,
          code: 'INVALID_REQUEST',
        });
        for (const verb of ['rename', 'revoke-device']) {
          const res = await call(`/devices/${id}/${verb}`, { method: 'POST' });
          expect(res).toEqual({ status: 400, code: 'INVALID_REQUEST' });
        }
        // `/devices/list` is the signed list route, whose other methods are 405.
        for (const method of id === 'list' ? [] : ['PATCH', 'DELETE']) {
          expect(await call(`/devices/${id}`, { method })).toEqual({ status: 400, code: 'INVALID_REQUEST' });
        }
        expect(await call(`/q/1/${id}`)).toEqual({ status: 400, code: 'INVALID_REQUEST' });
      }),
      RUNS,
    );
  });

  it('in a body, the auth frame and redeem() — the same code', async () => {
    t = await startServer();
    const session = await createSession(t);
    const scan = await post(`${t.base}/sessions/${session.sessionId}/scan`, {
      deviceId: 'short',
      timestamp: Date.now(),
      signature: 'A'.repeat(86),
    });
    expect(scan.body.error.code).toBe('INVALID_REQUEST');
    await expect(t.qr.redeem({ sessionId: 'short', browserSecret: session.browserSecret })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    const ws = new WebSocket(`${t.base.replace(/^http/, 'ws')}/ws`, { origin: t.origin });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'auth', sessionId: 'short', browserSecret: session.browserSecret }));
    const code = await new Promise<number>((resolve) => ws.once('close', (closeCode) => resolve(closeCode)));
    expect(code).toBe(4400);
  });
});

/** `text` with its last symbol's unused low bits set: the same length and alphabet, not canonical. */
function nonCanonical(text: string, unusedBits: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(text.at(-1) as string);
  return text.slice(0, -1) + alphabet[last | ((1 << unusedBits) - 1)];
}

describe('non-canonical base64url is 400 INVALID_REQUEST', () => {
  it('for a public key and for a signature (property)', async () => {
    t = await startServer({ rateLimits: false, authenticate: () => ({ userId: 'u' }) });
    const phone = await newDevice(t);
    const session = await createSession(t);
    let invalidSignatures = 0;
    t.qr.events.on('signature-invalid', () => invalidSignatures++);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 64, maxLength: 64 }), async (bytes) => {
        const publicKey = nonCanonical(encodeBase64Url(bytes.subarray(0, 32)), 2);
        const signature = nonCanonical(encodeBase64Url(bytes), 4);
        const registration = await post(`${t.base}/devices`, {
          publicKey,
          label: 'x',
          timestamp: Date.now(),
          signature,
        });
        expect([registration.status, registration.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
        const scan = await post(`${t.base}/sessions/${session.sessionId}/scan`, {
          deviceId: phone.deviceId,
          timestamp: Date.now(),
          signature,
        });
        expect([scan.status, scan.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
      }),
      RUNS,
    );
    expect(invalidSignatures).toBe(0);
    expect((await t.qr.inspect(session.sessionId))?.state).toBe('pending');
  });
});

describe('device label: 1–64 characters, no control or bidi-override characters', () => {
  const FORBIDDEN = [
    '\u0000',
    '\n',
    '\u001f',
    '\u007f',
    '\u0085',
    '\u202e',
    '\u2066',
    '\u2069',
    '\u200f',
    '\u061c',
    '\u2028',
  ];

  it('refuses a label holding any forbidden character, over HTTP and from server code (property)', async () => {
    t = await startServer({ rateLimits: false, authenticate: () => ({ userId: 'u' }) });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 20 }),
        fc.constantFrom(...FORBIDDEN),
        fc.string({ maxLength: 20 }),
        async (before, bad, after) => {
          const label = `${before}${bad}${after}`;
          const { publicKey, privateKey } = newKeyPair();
          const timestamp = Date.now();
          const signature = signWith(privateKey, {
            action: 'register',
            audience: t.origin,
            publicKey,
            userId: 'u',
            timestamp,
          });
          const res = await post(`${t.base}/devices`, { publicKey, label, timestamp, signature });
          expect([res.status, res.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
          await expect(t.qr.registerDevice({ userId: 'u', publicKey, label })).rejects.toMatchObject({
            code: 'INVALID_REQUEST',
          });
        },
      ),
      RUNS,
    );
    expect(await t.qr.inspect('none')).toBeNull();
  });

  it('refuses an empty label and one over 64 characters; accepts 64, emoji and right-to-left text', async () => {
    t = await startServer();
    const register = (label: string) => t.qr.registerDevice({ userId: 'u', publicKey: newKeyPair().publicKey, label });
    await expect(register('')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(register('x'.repeat(65))).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    for (const label of ['x'.repeat(64), 'Ana’s iPhone 📱', 'هاتف سارة', '王小明的手机']) {
      await expect(register(label)).resolves.toMatchObject({ label });
    }
  });
});

describe('a code sent when number matching is off', () => {
  it('is 400 INVALID_REQUEST and the session stays scanned; without it the confirm goes through', async () => {
    t = await startServer({ numberMatching: false });
    const phone = await newDevice(t);
    const session = await createSession(t);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    expect(request.codeRequired).toBe(false);
    const withCode = await phone.confirm(request, { code: '42' });
    expect([withCode.status, withCode.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    expect((await t.qr.inspect(session.sessionId))?.state).toBe('scanned');
    expect((await phone.confirm(request)).status).toBe(200);
  });
});

describe('query parameters', () => {
  it('the long-poll takes `after` once and nothing else; other routes take none (400 INVALID_REQUEST)', async () => {
    t = await startServer();
    const session = await createSession(t);
    const auth = { headers: { authorization: `Bearer ${session.browserSecret}` } };
    const path = `/sessions/${session.sessionId}`;
    expect((await call(`${path}?after=0`, auth)).status).toBe(200);
    expect(await call(`${path}?after=0&after=5`, auth)).toEqual({ status: 400, code: 'INVALID_REQUEST' });
    expect(await call(`${path}?after=0&x=1`, auth)).toEqual({ status: 400, code: 'INVALID_REQUEST' });
    expect(await call(`${path}?x`, auth)).toEqual({ status: 400, code: 'INVALID_REQUEST' });
    expect(await call('/sessions?after=1', { method: 'POST' })).toEqual({ status: 400, code: 'INVALID_REQUEST' });
    expect((await t.qr.inspect(session.sessionId))?.state).toBe('pending');
  });
});

describe('a long-poll on a finished session', () => {
  it('answers at once with the terminal snapshot, whatever `after` says', async () => {
    // A frozen clock: a held poll would never be released by the sweep, so only an immediate answer passes.
    const frozen = Date.now();
    t = await startServer({ now: () => frozen });
    const session = await createSession(t);
    const auth = { authorization: `Bearer ${session.browserSecret}` };
    const cancelled = await fetch(`${t.base}/sessions/${session.sessionId}`, { method: 'DELETE', headers: auth });
    const { version } = (await cancelled.json()) as { version: number };
    const res = await fetch(`${t.base}/sessions/${session.sessionId}?after=${version}`, {
      headers: auth,
      signal: AbortSignal.timeout(10_000),
    });
    expect(await res.json()).toMatchObject({ state: 'cancelled', version });
  });
});
