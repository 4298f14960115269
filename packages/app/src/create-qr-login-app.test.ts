import { randomBytes } from 'node:crypto';
import { formatQrPayload, type LoginRequest as LoginRequestBody, QrLoginError } from '@qrlogin/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createQrLoginApp } from './create-qr-login-app.js';
import { deviceKeysFromSeed } from './device-keys.js';
import { type KeyStore, memoryKeyStore } from './key-store.js';
import type { FetchInitLike, FetchLike } from './platform.js';

const BASE = 'https://example.com/qrlogin';
const SID = 'V1StGXR8_Z5jdHi6B-myT0';
const DEVICE = 'dev1StGXR8_Z5jdHi6B-my';
const QR = formatQrPayload({ origin: 'https://example.com', basePath: '/qrlogin', sessionId: SID });
const keys = deviceKeysFromSeed(new Uint8Array(randomBytes(32)));

function loginRequestBody(overrides: Partial<LoginRequestBody> = {}): LoginRequestBody {
  return {
    sessionId: SID,
    origin: 'https://example.com',
    challenge: 'Q2hhbGxlbmdlLWZvci10aGUtdGVzdC12ZWN0b3ItMDE',
    requester: { ip: '203.0.113.9', userAgent: 'UA', browser: 'Firefox 140', os: 'Linux', origin: '', createdAt: 1 },
    proximity: { sameNetwork: false, distance: 'unknown', policy: 'off' },
    codeRequired: false,
    expiresAt: 100_000,
    serverTime: 40_000,
    version: 2,
    ...overrides,
  };
}

/** A fetch double that answers in order and records what was sent. */
function scripted(...answers: { status: number; body: unknown }[]) {
  const sent: { url: string; init: FetchInitLike }[] = [];
  const fetch: FetchLike = async (url, init) => {
    sent.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    return { status: next.status, headers: { get: () => null }, text: async () => JSON.stringify(next.body) };
  };
  return { fetch, sent };
}

/** The device's key store, counting its reads (each read is one key derivation). */
function countingStore(): KeyStore & { reads: number } {
  const store = memoryKeyStore(keys.seed);
  const counting = {
    ...store,
    reads: 0,
    getSeed: () => {
      counting.reads++;
      return store.getSeed();
    },
  };
  return counting;
}

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    if (err instanceof QrLoginError) return err.code;
    throw err;
  }
  throw new Error('expected a QrLoginError');
}

describe('createQrLoginApp options', () => {
  it('refuses bad options with a TypeError naming the option', () => {
    const ok = { baseUrl: BASE, deviceId: DEVICE, keys };
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ baseUrl: 'example.com/qrlogin' }, /baseUrl/],
      [{ baseUrl: 'ftp://example.com/qrlogin' }, /baseUrl/],
      [{ baseUrl: 'https://example.com/qrlogin?x=1' }, /baseUrl/],
      [{ baseUrl: 'https://example.com/qrlogin#x' }, /baseUrl/],
      [{ baseUrl: 'https://user@example.com/qrlogin' }, /baseUrl/],
      [{ deviceId: 'short' }, /deviceId/],
      [{ keyStore: memoryKeyStore() }, /exactly one/],
      [{ keys: undefined }, /exactly one/],
      [{ fetch: 'no' }, /fetch/],
      [{ now: 5 }, /now/],
      [{ beforeSign: {} }, /beforeSign/],
    ];
    for (const [change, message] of bad) {
      expect(() => createQrLoginApp({ ...ok, ...change } as never)).toThrow(message);
    }
  });

  it('normalises the base URL', () => {
    const app = createQrLoginApp({ baseUrl: 'HTTPS://Example.com:443/qrlogin/', deviceId: DEVICE, keys });
    expect(app.origin).toBe('https://example.com');
    expect(app.baseUrl).toBe('https://example.com/qrlogin');
  });
});

describe('parse', () => {
  const app = createQrLoginApp({ baseUrl: BASE, deviceId: DEVICE, keys, fetch: scripted().fetch });

  it('accepts its own codes', () => {
    expect(app.parse(QR)).toEqual({
      kind: 'login',
      origin: 'https://example.com',
      basePath: '/qrlogin',
      version: 1,
      sessionId: SID,
    });
  });

  it('refuses other sites, other mount paths and look-alikes with FOREIGN_QR', async () => {
    for (const text of [
      `https://evil.example/qrlogin/q/1/${SID}`,
      `https://example.com.evil.example/qrlogin/q/1/${SID}`,
      `http://example.com/qrlogin/q/1/${SID}`,
      `https://example.com:8443/qrlogin/q/1/${SID}`,
      `https://example.com/other/q/1/${SID}`,
      `https://example.com/q/1/${SID}`,
      `https://example.com/qrlogin/x/q/1/${SID}`,
    ]) {
      expect(await codeOf(() => app.parse(text))).toBe('FOREIGN_QR');
    }
  });

  it('refuses non-qrlogin text and unknown versions with INVALID_QR', async () => {
    for (const text of [
      '',
      'hello',
      `https://example.com/qrlogin/q/2/${SID}`,
      `https://example.com/qrlogin/q/1/${SID}?x=1`,
      `https://example.com/qrlogin/q/1/short`,
      `https://example.com@evil.example/qrlogin/q/1/${SID}`,
      `javascript:alert(1)//example.com/qrlogin/q/1/${SID}`,
    ]) {
      expect(await codeOf(() => app.parse(text))).toBe('INVALID_QR');
    }
  });

  it('accepts exactly the codes of its own origin and path (property)', () => {
    const host = fc.stringMatching(/^[a-z][a-z0-9]{0,8}\.(com|org|test)$/);
    const path = fc.constantFrom('', '/qrlogin', '/auth/qr');
    const sessionId = fc.stringMatching(/^[A-Za-z0-9_-]{22}$/);
    fc.assert(
      fc.property(host, path, host, path, sessionId, (appHost, appPath, qrHost, qrPath, sid) => {
        const own = createQrLoginApp({ baseUrl: `https://${appHost}${appPath}`, deviceId: DEVICE, keys });
        const text = formatQrPayload({ origin: `https://${qrHost}`, basePath: qrPath, sessionId: sid });
        if (appHost === qrHost && appPath === qrPath) {
          expect(own.parse(text).sessionId).toBe(sid);
        } else {
          expect(() => own.parse(text)).toThrow(expect.objectContaining({ code: 'FOREIGN_QR' }));
        }
      }),
    );
  });

  it('makes no network call for a refused code', async () => {
    const { fetch, sent } = scripted();
    const strict = createQrLoginApp({ baseUrl: BASE, deviceId: DEVICE, keys, fetch });
    expect(await codeOf(strict.scan(`https://evil.example/qrlogin/q/1/${SID}`))).toBe('FOREIGN_QR');
    expect(await codeOf(strict.scan('not a url'))).toBe('INVALID_QR');
    expect(sent).toEqual([]);
  });
});

describe('scan and decisions (fetch double)', () => {
  it('sends a signed scan and exposes the request with a device-clock expiry', async () => {
    const { fetch, sent } = scripted({ status: 200, body: loginRequestBody() });
    const app = createQrLoginApp({ baseUrl: BASE, deviceId: DEVICE, keys, fetch, now: () => 1_000_000 });
    const request = await app.scan(QR);
    expect(sent[0]?.url).toBe(`${BASE}/sessions/${SID}/scan`);
    expect(JSON.parse(sent[0]?.init.body ?? '')).toMatchObject({ deviceId: DEVICE, timestamp: 1_000_000 });
    expect(request.requester.browser).toBe('Firefox 140');
    expect(request.localExpiresAt).toBe(1_000_000 + 60_000);
    expect(Object.isFrozen(request)).toBe(true);
  });

  it('refuses a malformed or mismatched scan response with INTERNAL_ERROR', async () => {
    const broken: unknown[] = [
      null,
      loginRequestBody({ sessionId: 'X1StGXR8_Z5jdHi6B-myT0' }),
      loginRequestBody({ origin: 'https://evil.example' }),
      loginRequestBody({ challenge: 'short' }),
      loginRequestBody({ codeRequired: 'yes' as never }),
      loginRequestBody({ requester: { ip: 1 } as never }),
      loginRequestBody({ proximity: undefined as never }),
      loginRequestBody({ expiresAt: Number.NaN }),
    ];
    for (const body of broken) {
      const app = createQrLoginApp({
        baseUrl: BASE,
        deviceId: DEVICE,
        keys,
        fetch: scripted({ status: 200, body }).fetch,
      });
      expect(await codeOf(app.scan(QR))).toBe('INTERNAL_ERROR');
    }
  });

  it('asks for the code locally when number matching is on, and sends it trimmed and signed', async () => {
    const decision = { sessionId: SID, state: 'confirmed', version: 3 };
    const { fetch, sent } = scripted(
      { status: 200, body: loginRequestBody({ codeRequired: true }) },
      { status: 200, body: decision },
    );
    const app = createQrLoginApp({ baseUrl: BASE, deviceId: DEVICE, keys, fetch });
    const request = await app.scan(QR);
    expect(await codeOf(request.confirm())).toBe('CODE_REQUIRED');
    expect(await codeOf(request.confirm({ code: '4' }))).toBe('CODE_REQUIRED');
    expect(sent).toHaveLength(1);
    expect(await request.confirm({ code: ' 42 ' })).toEqual(decision);
    expect(JSON.parse(sent[1]?.init.body ?? '')).toMatchObject({ code: '42', deviceId: DEVICE });
  });

  it('does not send two answers at once (double tap)', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const decision = { sessionId: SID, state: 'confirmed', version: 3 };
    const { fetch, sent } = scripted({ status: 200, body: loginRequestBody() }, { status: 200, body: decision });
    const app = createQrLoginApp({
      baseUrl: BASE,
      deviceId: DEVICE,
      keys,
      fetch,
      beforeSign: ({ action }) => (action === 'confirm' ? gate : undefined),
    });
    const request = await app.scan(QR);
    const first = request.confirm();
    expect(await codeOf(request.reject())).toBe('INVALID_STATE');
    release();
    expect((await first).state).toBe('confirmed');
    expect(sent).toHaveLength(2);
  });

  it('awaits beforeSign before every signature, and a refusal sends nothing', async () => {
    const seen: unknown[] = [];
    const { fetch, sent } = scripted({ status: 200, body: loginRequestBody() });
    const app = createQrLoginApp({
      baseUrl: BASE,
      deviceId: DEVICE,
      keyStore: memoryKeyStore(keys.seed),
      fetch,
      beforeSign: async (context) => {
        seen.push(context);
        if (context.action === 'reject') throw new Error('biometric prompt cancelled');
      },
    });
    const request = await app.scan(QR);
    await expect(request.reject()).rejects.toThrow('biometric prompt cancelled');
    expect(seen).toEqual([
      { action: 'scan', sessionId: SID },
      { action: 'reject', sessionId: SID },
    ]);
    expect(sent).toHaveLength(1);
  });

  it('reads and derives the key once per login request: scan and confirm share it', async () => {
    const counting = countingStore();
    const decision = { sessionId: SID, state: 'confirmed', version: 3 };
    const { fetch } = scripted({ status: 200, body: loginRequestBody() }, { status: 200, body: decision });
    const app = createQrLoginApp({ baseUrl: BASE, deviceId: DEVICE, keyStore: counting, fetch });
    const request = await app.scan(QR);
    expect(await request.confirm()).toEqual(decision);
    expect(counting.reads).toBe(1);
  });

  it('is over once answered: a second answer is refused locally, with no request', async () => {
    const decision = { sessionId: SID, state: 'rejected', version: 3 };
    const { fetch, sent } = scripted({ status: 200, body: loginRequestBody() }, { status: 200, body: decision });
    const app = createQrLoginApp({ baseUrl: BASE, deviceId: DEVICE, keyStore: memoryKeyStore(keys.seed), fetch });
    const request = await app.scan(QR);
    await request.reject();
    expect(await codeOf(request.confirm())).toBe('INVALID_STATE');
    expect(sent).toHaveLength(2);
  });

  it('stays open after a network error, so the same answer can be sent again', async () => {
    const decision = { sessionId: SID, state: 'confirmed', version: 3 };
    const { fetch: scriptedFetch, sent } = scripted(
      { status: 200, body: loginRequestBody() },
      { status: 200, body: decision },
    );
    let failNext = false;
    const fetch: FetchLike = (url, init) => {
      if (!failNext) return scriptedFetch(url, init);
      failNext = false;
      return Promise.reject(new TypeError('Network request failed'));
    };
    const app = createQrLoginApp({ baseUrl: BASE, deviceId: DEVICE, keyStore: memoryKeyStore(keys.seed), fetch });
    const request = await app.scan(QR);
    failNext = true;
    expect(await codeOf(request.confirm())).toBe('NETWORK_ERROR');
    expect(await request.confirm()).toEqual(decision);
    expect(sent).toHaveLength(2);
  });

  it('is over once expired on the device clock, or disposed: later answers send nothing', async () => {
    let clock = 1_000;
    const { fetch, sent } = scripted(
      { status: 200, body: loginRequestBody() },
      { status: 200, body: loginRequestBody() },
    );
    const options = { baseUrl: BASE, deviceId: DEVICE, keyStore: memoryKeyStore(keys.seed), fetch, now: () => clock };
    const app = createQrLoginApp(options);
    const expiring = await app.scan(QR);
    clock += 60_000; // expiresAt - serverTime
    expect(await codeOf(expiring.confirm())).toBe('SESSION_EXPIRED');
    const disposed = await app.scan(QR);
    disposed.dispose();
    expect(await codeOf(disposed.confirm())).toBe('INVALID_STATE');
    expect(sent).toHaveLength(2);
  });

  it('serialises a request for navigation and restores it: the open one as is, a closed one anew', async () => {
    const counting = countingStore();
    const decision = { sessionId: SID, state: 'confirmed', version: 3 };
    const { fetch, sent } = scripted({ status: 200, body: loginRequestBody() }, { status: 200, body: decision });
    const app = createQrLoginApp({ baseUrl: BASE, deviceId: DEVICE, keyStore: counting, fetch, now: () => 1_000 });
    const request = await app.scan(QR);
    const params = JSON.parse(JSON.stringify(request)) as ReturnType<typeof request.toJSON>;
    expect(params).toEqual({ ...loginRequestBody(), localExpiresAt: 61_000 });
    expect(await app.restore(params)).toBe(request);
    request.dispose();
    const restored = await app.restore(params);
    expect(restored).not.toBe(request);
    expect(restored.localExpiresAt).toBe(61_000);
    expect(await restored.confirm()).toEqual(decision);
    expect(JSON.parse(sent[1]?.init.body ?? '')).toMatchObject({ deviceId: DEVICE });
    expect(counting.reads).toBe(2);
  });

  it('refuses to restore anything but a request of its own server, with INVALID_REQUEST', async () => {
    const app = createQrLoginApp({ baseUrl: BASE, deviceId: DEVICE, keyStore: memoryKeyStore(keys.seed) });
    const data = { ...loginRequestBody(), localExpiresAt: 5 };
    for (const bad of [null, {}, { ...data, localExpiresAt: 'soon' }, { ...data, origin: 'https://evil.example' }]) {
      expect(await codeOf(app.restore(bad as typeof data))).toBe('INVALID_REQUEST');
    }
  });

  it('fails with DEVICE_NOT_FOUND when the key store is empty, before any request', async () => {
    const { fetch, sent } = scripted();
    const app = createQrLoginApp({ baseUrl: BASE, deviceId: DEVICE, keyStore: memoryKeyStore(), fetch });
    expect(await codeOf(app.scan(QR))).toBe('DEVICE_NOT_FOUND');
    expect(sent).toEqual([]);
  });
});
