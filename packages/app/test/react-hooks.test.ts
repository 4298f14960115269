/**
 * The React hooks against a real qrlogin server on port 0, rendered with react-test-renderer (no
 * DOM, no UI kit): what a scan screen and a set-up screen would see, step by step.
 */
import { randomBytes } from 'node:crypto';
import { act, createElement } from 'react';
import TestRenderer, { type ReactTestRenderer } from 'react-test-renderer';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccountBook, type KeyStore, memoryKeyStore, type QrLoginApp } from '../src/index.js';
import {
  type DeviceIdStore,
  type DeviceState,
  type QrLoginFlow,
  type UseDeviceOptions,
  type UseQrLoginOptions,
  useAccounts,
  useDevice,
  useQrLogin,
} from '../src/react/index.js';
import { registeredDevice } from './helpers/registered-device.js';
import { AUTH, startServer, type TestServer } from './helpers/start-server.js';

beforeAll(() => {
  // Tells React that updates are wrapped in act(), as in its own test setups.
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

let server: TestServer | undefined;
let renderer: ReactTestRenderer | undefined;
afterEach(async () => {
  await act(async () => renderer?.unmount());
  renderer = undefined;
  await server?.close();
  server = undefined;
});

/** A component that renders nothing and hands its hook's value to the test. */
function Probe<T>({ hook, result }: { hook: () => T; result: { current: T } }) {
  result.current = hook();
  return null;
}

/** Renders a hook in {@link Probe}; `current` is its latest return value. */
async function renderHook<T>(hook: () => T): Promise<{ current: T }> {
  const result = {} as { current: T };
  await act(async () => {
    renderer = TestRenderer.create(createElement(Probe<T>, { hook, result }));
  });
  return result;
}

/** Runs `step` in act() and lets every promise it started settle (real network in between). */
async function step(work: () => unknown): Promise<void> {
  await act(async () => {
    await work();
  });
}

/** Waits, inside act(), until `done()` holds (the hook is waiting on the real server). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) {
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
  }
  expect(done()).toBe(true);
}

async function scanScreen(app: QrLoginApp, options?: UseQrLoginOptions) {
  return renderHook<QrLoginFlow>(() => useQrLogin(app, options));
}

describe('useQrLogin with a real server', () => {
  it('handles one code once however often the camera reports it, then confirms', async () => {
    server = await startServer();
    let scans = 0;
    const phone = await registeredDevice(server, 'alice', {
      fetch: (url, init) => {
        if (url.endsWith('/scan')) scans++;
        return fetch(url, init);
      },
    });
    const session = await server.createSession();
    const flow = await scanScreen(phone.app);
    expect(flow.current.phase).toBe('scanning');

    await step(() => {
      flow.current.onScan(session.qrPayload);
      flow.current.onScan(session.qrPayload);
    });
    await until(() => flow.current.phase === 'deciding');
    flow.current.onScan(session.qrPayload);
    expect(scans).toBe(1);
    expect(flow.current.request?.sessionId).toBe(session.sessionId);
    expect(flow.current.secondsLeft).toBeGreaterThan(0);

    await step(() => flow.current.confirm());
    expect(flow.current.phase).toBe('done');
    expect(flow.current.result?.state).toBe('confirmed');
    expect(await server.qr.redeem(session)).toMatchObject({ userId: 'alice', deviceId: phone.deviceId });
  });

  it('number matching: the typed code is sent; a wrong one fails with the text in the chosen language', async () => {
    server = await startServer({ numberMatching: true });
    const phone = await registeredDevice(server);
    const session = await server.createSession();
    const flow = await scanScreen(phone.app, { locale: 'ja' });
    await step(() => flow.current.onScan(session.qrPayload));
    await until(() => flow.current.phase === 'deciding');
    expect(flow.current.request?.codeRequired).toBe(true);

    await step(() => flow.current.confirm());
    expect(flow.current).toMatchObject({ phase: 'deciding', error: { code: 'CODE_REQUIRED' } });
    expect(flow.current.error?.text).toBe('パソコンに表示されている数字を入力してください。');

    const { code } = await server.poll(session);
    const wrong = code === '00' ? '01' : '00';
    await step(() => flow.current.setCode(wrong));
    await step(() => flow.current.confirm());
    expect(flow.current).toMatchObject({ phase: 'failed', error: { code: 'CODE_MISMATCH' } });
    expect(flow.current.error?.text).toBe('数字が一致しなかったため、サインインは取り消されました。');
  });

  it('the right typed code confirms', async () => {
    server = await startServer({ numberMatching: true });
    const phone = await registeredDevice(server);
    const session = await server.createSession();
    const flow = await scanScreen(phone.app);
    await step(() => flow.current.onScan(session.qrPayload));
    await until(() => flow.current.phase === 'deciding');
    const { code } = await server.poll(session); // what the browser shows
    await step(() => flow.current.setCode(code ?? ''));
    await step(() => flow.current.confirm());
    expect(flow.current.result?.state).toBe('confirmed');
  });

  it('counts down on the device clock and fails with SESSION_EXPIRED at zero; scan again starts over', async () => {
    server = await startServer();
    const phone = await registeredDevice(server);
    const session = await server.createSession();
    let clock = Date.now();
    const flow = await scanScreen(phone.app, { now: () => clock, locale: 'zh' });
    await step(() => flow.current.onScan(session.qrPayload));
    await until(() => flow.current.phase === 'deciding');
    const left = flow.current.secondsLeft ?? 0;
    expect(left).toBeGreaterThan(1);

    clock = (flow.current.request?.localExpiresAt ?? 0) + 1;
    await until(() => flow.current.phase === 'failed'); // the next tick of the 1 s countdown
    expect(flow.current).toMatchObject({ secondsLeft: 0, error: { code: 'SESSION_EXPIRED' } });
    expect(flow.current.error?.text).toBe('二维码已过期，请刷新页面后重新扫描。');

    clock = Date.now();
    await step(() => flow.current.scanAgain());
    expect(flow.current).toMatchObject({ phase: 'scanning', request: null, error: null });
    const next = await server.createSession();
    await step(() => flow.current.onScan(next.qrPayload));
    await until(() => flow.current.phase === 'deciding');
    await step(() => flow.current.reject());
    expect(flow.current.result?.state).toBe('rejected');
  });

  it('a failed scan shows its error (a code of another site) and is not retried until scan again', async () => {
    server = await startServer();
    const phone = await registeredDevice(server);
    const flow = await scanScreen(phone.app);
    await step(() => flow.current.onScan('https://evil.example/qrlogin/q/1/V1StGXR8_Z5jdHi6B-myT0'));
    await until(() => flow.current.phase === 'failed');
    expect(flow.current.error).toMatchObject({ code: 'FOREIGN_QR', text: 'This code is not for this app.' });
  });

  it('opens a request passed as plain data (navigation params) on another screen', async () => {
    server = await startServer();
    const phone = await registeredDevice(server);
    const session = await server.createSession();
    const scanned = await phone.app.scan(session.qrPayload);
    const params = JSON.parse(JSON.stringify(scanned));
    const flow = await scanScreen(phone.app);
    await step(() => flow.current.open(params));
    expect(flow.current.phase).toBe('deciding');
    await step(() => flow.current.confirm());
    expect(flow.current.result?.state).toBe('confirmed');
  });
});

describe('useDevice with a real server', () => {
  function stores(): { keyStore: KeyStore; deviceIdStore: DeviceIdStore } {
    let deviceId: string | null = null;
    return {
      keyStore: memoryKeyStore(),
      deviceIdStore: {
        get: () => deviceId,
        set: (id) => {
          deviceId = id;
        },
      },
    };
  }

  it('registers once; on the next launch the stored key and deviceId are reused, and the app logs in', async () => {
    server = await startServer();
    const kept = stores();
    const options: UseDeviceOptions = {
      baseUrl: server.baseUrl,
      ...kept,
      randomBytes: (n) => new Uint8Array(randomBytes(n)),
    };
    const first = await renderHook<DeviceState>(() => useDevice(options));
    expect(first.current.phase).toBe('unregistered');
    await step(() => first.current.register({ label: 'Test phone', userId: 'alice', headers: AUTH.alice }));
    expect(first.current.phase).toBe('ready');
    const deviceId = first.current.deviceId;
    const seed = await kept.keyStore.getSeed();
    await act(async () => renderer?.unmount());

    // Second launch: same stores, a new component tree.
    const second = await renderHook<DeviceState>(() => useDevice(options));
    await until(() => second.current.phase === 'ready');
    expect(second.current.deviceId).toBe(deviceId);
    expect(await kept.keyStore.getSeed()).toEqual(seed);
    const session = await server.createSession();
    const request = await (second.current.app as QrLoginApp).scan(session.qrPayload);
    await request.confirm();
    expect(await server.qr.redeem(session)).toMatchObject({ userId: 'alice', deviceId });
  });

  it('a refused registration fails with its code and text, and can be tried again', async () => {
    server = await startServer();
    const options = {
      baseUrl: server.baseUrl,
      ...stores(),
      randomBytes: (n: number) => new Uint8Array(randomBytes(n)),
    };
    const device = await renderHook<DeviceState>(() => useDevice(options));
    await until(() => device.current.phase === 'unregistered');
    await step(() =>
      device.current.register({ label: 'Test phone', userId: 'bob', headers: { authorization: 'Bearer nobody' } }),
    );
    expect(device.current).toMatchObject({ phase: 'failed', app: null, error: { code: 'UNAUTHENTICATED' } });
    await step(() => device.current.register({ label: 'Test phone', userId: 'bob', headers: AUTH.bob }));
    expect(device.current.phase).toBe('ready');
  });
});

describe('useAccounts', () => {
  it('reads the account book, re-reads it on refresh, and matches a code to its accounts', async () => {
    const t = await startServer();
    server = t;
    const data = new Map<string, string>();
    const stores = new Map<string, KeyStore>();
    const book = createAccountBook({
      storage: { getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) },
      keyStore: (id) => stores.get(id) ?? (stores.set(id, memoryKeyStore()).get(id) as KeyStore),
    });
    const result = await renderHook(() => useAccounts(book));
    await until(() => result.current.accounts !== null);
    expect(result.current.accounts).toEqual([]);
    await book.register({ baseUrl: t.baseUrl, label: 'Phone', userId: 'alice', headers: AUTH.alice });
    await step(() => result.current.refresh());
    expect(result.current.accounts?.map((account) => account.userId)).toEqual(['alice']);
    const session = await t.createSession();
    expect((await result.current.forQr(session.qrPayload)).map((account) => account.userId)).toEqual(['alice']);
  });
});
