/**
 * Evidence-carrying approval end to end, with the real @qrlogin/app against the real server over
 * real HTTP: a network intermediary that alters the confirm screen is caught (CONTEXT_MISMATCH,
 * nothing changes, the honest confirm then succeeds); an outdated app is told to update; and the
 * receipt a real login leaves verifies in a fresh process holding only the receipt and the key,
 * and fails on any one changed byte.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { canonicalBytes, encodeBase64Url, type LoginRequest } from '@qrlogin/protocol';
import { type ApprovalReceipt, memoryStore, type SessionStore, verifyReceipt } from '@qrlogin/server';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { afterEach, describe, expect, it } from 'vitest';
import { isQrLoginError } from '../src/index.js';
import { registeredDevice } from './helpers/registered-device.js';
import { startServer, type TestServer } from './helpers/start-server.js';

let server: TestServer | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await server?.close();
  server = undefined;
  proxy = undefined;
});

/**
 * A real HTTP intermediary in front of the server (a hostile Wi-Fi proxy, say) that, while
 * `tamper.on`, rewrites the place in every scan response it passes on.
 */
async function alteringProxy(target: string, tamper: { on: boolean }): Promise<string> {
  proxy = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const upstream = await fetch(target + req.url, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      ...(req.method === 'POST' ? { body } : {}),
    });
    let text = await upstream.text();
    if (tamper.on && upstream.status === 200 && req.url?.endsWith('/scan')) {
      const request = JSON.parse(text) as LoginRequest;
      text = JSON.stringify({ ...request, requester: { ...request.requester, place: 'Home' } });
    }
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isQrLoginError(error)) throw new Error(`expected a QrLoginError, got ${String(error)}`);
  return error;
}

describe('a tampered confirm screen', () => {
  it('is refused with CONTEXT_MISMATCH and changes nothing; the honest confirm then succeeds', async () => {
    const store = memoryStore();
    server = await startServer({ store, describeRequester: () => ({ place: 'Berlin, DE' }) });
    const tamper = { on: true };
    const via = await alteringProxy(server.origin, tamper);
    const target = server.origin;
    // The app still talks to the server's origin; only its network path goes through the proxy.
    const phone = await registeredDevice(server, 'alice', {
      fetch: (url, init) => fetch(url.replace(target, via), init as RequestInit),
    });
    const mismatches: unknown[] = [];
    server.qr.events.on('context-mismatch', (event) => mismatches.push(event));
    const session = await server.createSession();

    const shown = await phone.app.scan(session.qrPayload);
    expect(shown.requester.place).toBe('Home');
    const error = await errorOf(shown.confirm());
    expect(error.code).toBe('CONTEXT_MISMATCH');
    expect(error.status).toBe(409);
    expect(mismatches).toHaveLength(1);
    expect(await server.qr.inspect(session.sessionId)).toMatchObject({ state: 'scanned', version: 2 });

    // Off the hostile network: the same phone scans again and sees what the server sent.
    tamper.on = false;
    const honest = await phone.app.scan(session.qrPayload);
    expect(honest.requester.place).toBe('Berlin, DE');
    expect(honest.contextDigest).not.toBe(shown.contextDigest);
    expect(await honest.confirm()).toMatchObject({ state: 'confirmed' });
    const login = await server.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });
    expect(login).toMatchObject({ userId: 'alice', deviceId: phone.deviceId });
  });

  it('an outdated app (version 1 confirm, no digest) gets 400 UNSUPPORTED_VERSION and nothing changes', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice');
    const session = await server.createSession();
    const request = await phone.app.scan(session.qrPayload);
    const timestamp = Date.now();
    const fields = {
      action: 'confirm' as const,
      audience: server.origin,
      sessionId: session.sessionId,
      challenge: request.challenge,
      deviceId: phone.deviceId,
      timestamp,
    };
    const signature = encodeBase64Url(nacl.sign.detached(canonicalBytes(fields, 1), phone.keys.secretKey));
    const res = await fetch(`${server.baseUrl}/sessions/${session.sessionId}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: phone.deviceId, timestamp, signature }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'UNSUPPORTED_VERSION',
      message: 'this app signs version 1 of "confirm"; update it to sign version 3',
    });
    expect(await server.qr.inspect(session.sessionId)).toMatchObject({ state: 'scanned', version: 2 });
    expect(await request.confirm()).toMatchObject({ state: 'confirmed' });
  });
});

/** A receipt from a real login: the app scans and confirms; the confirmed record holds it. */
async function realReceipt(): Promise<{ receipt: ApprovalReceipt; publicKey: string; sessionId: string }> {
  const store: SessionStore = memoryStore();
  server = await startServer({ store, describeRequester: () => ({ place: 'Zürich, CH' }) });
  const phone = await registeredDevice(server, 'alice');
  const session = await server.createSession();
  await (await phone.app.scan(session.qrPayload)).confirm();
  const receipt = (await store.get(session.sessionId))?.receipt as ApprovalReceipt;
  return { receipt, publicKey: phone.keys.publicKey, sessionId: session.sessionId };
}

const FIELDS = ['message', 'signature', 'publicKey', 'context'] as const;

/** One changed character (one byte: every receipt field is ASCII) in one field of the receipt. */
const oneChange = (receipt: ApprovalReceipt) =>
  fc
    .record({ field: fc.constantFrom(...FIELDS), at: fc.nat(), delta: fc.integer({ min: 1, max: 127 }) })
    .map(({ field, at, delta }) => {
      const text = receipt[field];
      const i = at % text.length;
      const changed = String.fromCharCode((text.charCodeAt(i) + delta) % 128);
      return { ...receipt, [field]: text.slice(0, i) + changed + text.slice(i + 1) } as ApprovalReceipt;
    });

// Run by a fresh Node process: it has the receipts and the key on stdin, and @qrlogin/server.
const CHILD_SOURCE = `
import { verifyReceipt } from '@qrlogin/server';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { receipt, publicKey, changed } = JSON.parse(input);
const verified = await verifyReceipt(receipt, publicKey);
const refusals = [];
for (const other of changed) {
  refusals.push(await verifyReceipt(other, publicKey).then(() => null, (e) => e.code));
}
process.stdout.write(JSON.stringify({ verified, refusals }));
`;

function verifyInChild(input: unknown): Promise<{ verified: Record<string, unknown>; refusals: (string | null)[] }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@qrlogin/source', '--import', 'tsx', '--input-type=module', '-e', CHILD_SOURCE],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stdin.end(JSON.stringify(input));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
  });
}

describe('the receipt of a real login', () => {
  it('verifies offline in a fresh process with only the receipt and the key, and not with one byte changed', async () => {
    const { receipt, publicKey, sessionId } = await realReceipt();
    await server?.close();
    server = undefined; // no server running from here on
    const changed = fc.sample(oneChange(receipt), { numRuns: 200, seed: 18 });
    const { verified, refusals } = await verifyInChild({ receipt, publicKey, changed });
    expect(verified).toMatchObject({ sessionId, publicKey, context: { requester: { place: 'Zürich, CH' } } });
    expect(refusals).toHaveLength(200);
    expect(refusals.filter((code) => code === null)).toEqual([]);
    expect(new Set(refusals)).toEqual(new Set(['INVALID_REQUEST', 'CONTEXT_MISMATCH', 'SIGNATURE_INVALID']));
  }, 60_000);

  it('is refused on any one changed byte (property, in process)', async () => {
    const { receipt, publicKey } = await realReceipt();
    await expect(verifyReceipt(receipt, publicKey)).resolves.toMatchObject({ deviceId: expect.any(String) });
    await fc.assert(
      fc.asyncProperty(oneChange(receipt), async (other) => {
        await expect(verifyReceipt(other, publicKey)).rejects.toSatisfy(isQrLoginError);
      }),
      { numRuns: 300 },
    );
    // And under another key than the device's, even unchanged.
    const stranger = encodeBase64Url(nacl.sign.keyPair().publicKey);
    await expect(verifyReceipt(receipt, stranger)).rejects.toThrow(/another public key/);
  });
});
