/**
 * The Web Push example for real, without the internet: a local HTTPS server plays the push service
 * (the subscription's endpoint points at it), a browser's subscription keys are made with
 * node:crypto as a browser would make them, and a whole QR login runs through the host with the
 * real `@qrlogin/app`. The push service must receive an RFC 8291 `aes128gcm` request with RFC 8292
 * VAPID authentication, and the payload must decrypt with the subscription's private key.
 */
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, createPublicKey, type ECDH, hkdfSync, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createQrLoginApp, generateDeviceKeys, registerDevice } from '@qrlogin/app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { type PushSubscriptionJson, type SignInPush, startWebPushHost, type WebPushHost } from '../src/index.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skip = !hasOpenssl() && process.env.CI !== 'true';
if (skip) console.warn('SKIPPED: the Web Push test needs the openssl CLI for its local push service certificate');

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A local push service on HTTPS (web-push only speaks https): records each request, answers `status(path)`. */
async function startPushService(status: (path: string) => number) {
  const dir = mkdtempSync(join(tmpdir(), 'qrlogin-push-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(join(dir, 'cert.pem'));
  const key = readFileSync(join(dir, 'key.pem'));
  rmSync(dir, { recursive: true, force: true });
  const received: Received[] = [];
  const server = https.createServer({ cert, key }, async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(status(req.url ?? '')).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    agent: new https.Agent({ ca: cert }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser's push subscription: a P-256 key pair and a 16-byte auth secret (RFC 8291 §2). */
function browserSubscription(endpoint: string): { subscription: PushSubscriptionJson; ecdh: ECDH; auth: Buffer } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    subscription: {
      endpoint,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    },
    ecdh,
    auth,
  };
}

/** RFC 8291 §3.4 + RFC 8188: what the browser does with a pushed body. */
function decrypt(body: Buffer, ecdh: ECDH, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20] as number;
  const senderPublicKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  expect(idLength).toBe(65);
  expect(record.length).toBeLessThanOrEqual(recordSize);
  const shared = ecdh.computeSecret(senderPublicKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderPublicKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end--;
  expect(padded[end - 1]).toBe(2);
  return padded.subarray(0, end - 1).toString('utf8');
}

/** RFC 8292: `vapid t=<JWT>, k=<public key>`, the JWT signed ES256 by that key for the push service's origin. */
function checkVapid(header: string, vapidPublicKey: string, audience: string, subject: string): void {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header);
  expect(match).not.toBeNull();
  const [, jwt, k] = match as unknown as [string, string, string];
  expect(k).toBe(vapidPublicKey);
  const [head, payload, signature] = jwt.split('.') as [string, string, string];
  expect(JSON.parse(Buffer.from(head, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'ES256' });
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const signed = Buffer.from(`${head}.${payload}`);
  expect(verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
  // The same signature over anything else must not verify (the check above can fail).
  expect(
    verify('sha256', Buffer.from(`${head}.x`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url')),
  ).toBe(false);
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { aud: string; sub: string; exp: number };
  expect(claims.aud).toBe(audience);
  expect(claims.sub).toBe(subject);
  const now = Math.floor(Date.now() / 1000);
  expect(claims.exp).toBeGreaterThan(now);
  expect(claims.exp).toBeLessThanOrEqual(now + 24 * 3600);
}

describe.skipIf(skip)('Web Push on a new QR sign-in', () => {
  let push: Awaited<ReturnType<typeof startPushService>>;
  let host: WebPushHost;
  const vapid = { subject: 'mailto:ops@example.com', ...webpush.generateVAPIDKeys() };
  const hookErrors: unknown[] = [];

  beforeAll(async () => {
    push = await startPushService((path) => (path.startsWith('/gone/') ? 410 : 201));
    host = await startWebPushHost({
      vapid,
      pushAgent: push.agent,
      qrlogin: { rateLimits: false },
    });
    host.qr.events.on('hook-error', (e) => hookErrors.push(e));
  });
  afterAll(async () => {
    await host?.close();
    await push?.close();
  });

  const signIn = async (userId: string) => {
    const res = await fetch(`${host.url}/demo/sign-in`, { method: 'POST', body: JSON.stringify({ userId }) });
    return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  };
  const subscribe = (cookie: string, subscription: unknown, origin: string | null = host.url) =>
    fetch(`${host.url}/push/subscribe`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
      body: JSON.stringify(subscription),
    });

  it('pushes an encrypted, VAPID-signed "new sign-in" to the user’s subscribed browser', async () => {
    const laptop = await signIn('alice');
    const browser = browserSubscription(`${push.origin}/push/laptop-of-alice`);
    const gone = browserSubscription(`${push.origin}/gone/old-browser`);
    // The subscription route is a cookie-authenticated state change: same-origin only, signed-in only.
    expect((await subscribe(laptop, browser.subscription, 'https://evil.example')).status).toBe(403);
    expect((await subscribe('', browser.subscription)).status).toBe(401);
    expect((await subscribe(laptop, { endpoint: 'nope' })).status).toBe(400);
    expect(host.subscriptions.list('alice')).toEqual([]);
    expect((await subscribe(laptop, browser.subscription)).status).toBe(201);
    expect((await subscribe(laptop, gone.subscription)).status).toBe(201);
    // Bob's browser must hear nothing about Alice.
    const bob = browserSubscription(`${push.origin}/push/bob`);
    expect((await subscribe(await signIn('bob'), bob.subscription)).status).toBe(201);

    // The phone: registered while signed in on the laptop, then a QR login on a new browser.
    const keys = generateDeviceKeys({ randomBytes: (n) => new Uint8Array(randomBytes(n)) });
    const baseUrl = `${host.url}/qrlogin`;
    const { deviceId } = await registerDevice({
      baseUrl,
      keys,
      label: 'Ana’s phone',
      userId: 'alice',
      headers: { cookie: laptop },
    });
    const app = createQrLoginApp({ baseUrl, deviceId, keys });
    const created = await fetch(`${baseUrl}/sessions`, {
      method: 'POST',
      headers: {
        origin: host.url,
        'content-type': 'application/json',
        'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
      },
      body: '{}',
    });
    const session = (await created.json()) as { sessionId: string; browserSecret: string; qrPayload: string };
    const request = await app.scan(session.qrPayload);
    await request.confirm();
    expect(push.received).toEqual([]);
    const login = await fetch(`${host.url}/login/qr`, {
      method: 'POST',
      body: JSON.stringify({ sessionId: session.sessionId, browserSecret: session.browserSecret }),
    });
    expect(await login.json()).toEqual({ userId: 'alice' });

    await expect.poll(() => push.received.length, { timeout: 5000 }).toBe(2);
    const delivered = push.received.find((r) => r.path === '/push/laptop-of-alice') as Received;
    expect(delivered.headers['content-encoding']).toBe('aes128gcm');
    expect(delivered.headers.ttl).toBe('3600');
    expect(delivered.headers.urgency).toBe('high');
    checkVapid(String(delivered.headers.authorization), vapid.publicKey, push.origin, vapid.subject);
    const payload = JSON.parse(decrypt(delivered.body, browser.ecdh, browser.auth)) as SignInPush;
    expect(payload).toEqual({
      title: 'New sign-in',
      body: 'New sign-in on Chrome 131 on macOS Catalina',
      sessionId: session.sessionId,
      at: expect.any(Number),
    });
    // Only the subscription's own key decrypts it.
    const stranger = browserSubscription('https://x.invalid/');
    expect(() => decrypt(delivered.body, stranger.ecdh, stranger.auth)).toThrow();
    // The push service said the old browser is gone: forgotten. Bob heard nothing.
    await expect
      .poll(() => host.subscriptions.list('alice').map((s) => s.endpoint))
      .toEqual([browser.subscription.endpoint]);
    expect(push.received.some((r) => r.path === '/push/bob')).toBe(false);
    expect(hookErrors).toEqual([]);
  });
});
