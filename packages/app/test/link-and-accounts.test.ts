/**
 * linkDevice and the account book against a real server: a phone with no device is linked by a
 * signed-in page's QR and the code it shows, then signs in; two accounts of one site on one phone,
 * the login landing as the one picked.
 */
import type { CreateSessionResponse } from '@qrlogin/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AccountStorage,
  createAccountBook,
  createQrLoginApp,
  generateDeviceKeys,
  type KeyStore,
  type LinkCodeDisplay,
  linkDevice,
  memoryKeyStore,
  registerDevice,
} from '../src/index.js';
import { codeOf } from './helpers/code-of.js';
import { AUTH, startServer, type TestServer } from './helpers/start-server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

/** The signed-in page: `POST /links` with the host's credentials and its Origin. */
async function createLink(user: keyof typeof AUTH = 'alice'): Promise<CreateSessionResponse> {
  const res = await fetch(`${server.baseUrl}/links`, {
    method: 'POST',
    headers: { origin: server.origin, 'content-type': 'application/json', ...AUTH[user] },
    body: '{}',
  });
  if (res.status !== 201) throw new Error(`createLink: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as CreateSessionResponse;
}

/** The phone's code screen: resolves with what `onCode` was given (the page may hear of the claim first). */
function codeShown(): { onCode: (display: LinkCodeDisplay) => void; shown: Promise<LinkCodeDisplay> } {
  let onCode: (display: LinkCodeDisplay) => void = () => {};
  const shown = new Promise<LinkCodeDisplay>((resolve) => {
    onCode = resolve;
  });
  return { onCode, shown };
}

function memoryStorage(): AccountStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

/** Signs in by QR as `app`'s account and returns who the host's redeem says signed in. */
async function signIn(app: ReturnType<typeof createQrLoginApp>): Promise<string> {
  const session = await server.createSession();
  const request = await app.scan(session.qrPayload);
  expect(request.codeRequired).toBe(false);
  await request.confirm();
  return (await server.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret })).userId;
}

describe('linkDevice', () => {
  it('links a phone with no device to the page user once the page types its code, and it then signs in', async () => {
    const link = await createLink('alice');
    const watcher = await server.watch(link);
    const keyStore = memoryKeyStore();
    const display = codeShown();
    const linked = linkDevice({
      baseUrl: server.baseUrl,
      qrText: link.qrPayload,
      keyStore,
      label: 'Ana’s Pixel',
      pollIntervalMs: 20,
      onCode: display.onCode,
    });
    const scanned = await watcher.next('scanned');
    expect(scanned.label).toBe('Ana’s Pixel');
    expect(scanned.code).toBeUndefined();
    const shown = await display.shown;
    expect(shown?.code).toMatch(/^[0-9]{2}$/);
    expect(shown?.origin).toBe(server.origin);
    const res = await confirmAsPage(link, shown?.code as string, 'alice');
    expect(res.status).toBe(200);
    const { deviceId, userId } = await linked;
    expect(userId).toBe('alice');
    expect(await server.devices.get(deviceId)).toMatchObject({ userId: 'alice', label: 'Ana’s Pixel' });
    watcher.close();
    // The key the link stored is the device's key.
    const app = createQrLoginApp({ baseUrl: server.baseUrl, deviceId, keyStore });
    expect(await signIn(app)).toBe('alice');
  });

  it('fails with CODE_MISMATCH when the page types another code, and registers nothing', async () => {
    const link = await createLink('alice');
    const watcher = await server.watch(link);
    const display = codeShown();
    const linked = linkDevice({
      baseUrl: server.baseUrl,
      qrText: link.qrPayload,
      keyStore: memoryKeyStore(),
      label: 'Pixel',
      pollIntervalMs: 20,
      onCode: display.onCode,
    });
    const outcome = codeOf(linked);
    await watcher.next('scanned');
    watcher.close();
    const { code } = await display.shown;
    const res = await confirmAsPage(link, code === '13' ? '31' : '13', 'alice');
    expect(res.status).toBe(403);
    expect(await outcome).toBe('CODE_MISMATCH');
    expect(await server.devices.listByUser('alice')).toEqual([]);
  });

  it('fails with DEVICE_EXISTS, not a wait until expiry, when its key already belongs to another account', async () => {
    const keys = generateDeviceKeys();
    await server.qr.registerDevice({ userId: 'bob', publicKey: keys.publicKey, label: 'Bob’s phone' });
    const link = await createLink('alice');
    const display = codeShown();
    const linked = linkDevice({
      baseUrl: server.baseUrl,
      qrText: link.qrPayload,
      keys,
      label: 'Pixel',
      pollIntervalMs: 20,
      onCode: display.onCode,
    });
    const outcome = codeOf(linked);
    const { code } = await display.shown;
    const res = await confirmAsPage(link, code, 'alice');
    expect(res.status).toBe(409);
    expect(await outcome).toBe('DEVICE_EXISTS');
    expect(await server.devices.listByUser('alice')).toEqual([]);
  });

  it('refuses a sign-in code and a foreign code before any network call; scan() refuses a link code', async () => {
    const link = await createLink('alice');
    const login = await server.createSession();
    const fetch = () => Promise.reject(new Error('no network expected'));
    const options = { baseUrl: server.baseUrl, keyStore: memoryKeyStore(), label: 'Pixel', fetch };
    expect(await codeOf(linkDevice({ ...options, qrText: login.qrPayload }))).toBe('INVALID_QR');
    const foreign = link.qrPayload.replace(server.origin, 'https://other.example');
    expect(await codeOf(linkDevice({ ...options, qrText: foreign }))).toBe('FOREIGN_QR');
    const app = createQrLoginApp({
      baseUrl: server.baseUrl,
      deviceId: 'A'.repeat(22),
      keyStore: memoryKeyStore(),
      fetch,
    });
    expect(await codeOf(app.scan(link.qrPayload))).toBe('INVALID_QR');
  });
});

/**
 * The page confirms: its secret in the body, its user's own credentials (this test host's bearer
 * token) in Authorization, as a token-based host's page would send them.
 */
function confirmAsPage(link: CreateSessionResponse, code: string, user: keyof typeof AUTH) {
  return fetch(`${server.baseUrl}/links/${link.sessionId}/confirm`, {
    method: 'POST',
    headers: { origin: server.origin, 'content-type': 'application/json', ...AUTH[user] },
    body: JSON.stringify({ browserSecret: link.browserSecret, code }),
  });
}

/** An account book on memory storage, one memory key store per account (kept in `stores`). */
function newBook() {
  const storage = memoryStorage();
  const stores = new Map<string, KeyStore>();
  const keyStore = (id: string) => stores.get(id) ?? (stores.set(id, memoryKeyStore()).get(id) as KeyStore);
  return { storage, stores, keyStore, book: createAccountBook({ storage, keyStore }) };
}

describe('account book', () => {
  it('holds two accounts of one site, each with its own key, and signs in as the one picked', async () => {
    const { storage, stores, keyStore, book } = newBook();
    const alice = await book.register({
      baseUrl: server.baseUrl,
      label: 'Phone',
      userId: 'alice',
      headers: AUTH.alice,
      name: 'Ana',
    });
    const link = await createLink('bob');
    const watcher = await server.watch(link);
    const display = codeShown();
    const linking = book.link({
      baseUrl: server.baseUrl,
      qrText: link.qrPayload,
      label: 'Phone',
      pollIntervalMs: 20,
      onCode: display.onCode,
    });
    await watcher.next('scanned');
    await confirmAsPage(link, (await display.shown).code, 'bob');
    watcher.close();
    const bob = await linking;
    expect(bob).toMatchObject({ userId: 'bob', origin: server.origin, baseUrl: server.baseUrl, name: 'bob' });
    expect(stores.size).toBe(2);

    // A fresh book on the same storage sees both; a QR of this site matches both.
    const again = createAccountBook({ storage, keyStore });
    expect((await again.list()).map((a) => a.userId)).toEqual(['alice', 'bob']);
    const session = await server.createSession();
    const matches = await again.forQr(session.qrPayload);
    expect(matches.map((a) => a.name)).toEqual(['Ana', 'bob']);
    const picked = matches.find((a) => a.userId === 'bob');
    const request = await again.app(picked as (typeof matches)[number]).scan(session.qrPayload);
    await request.confirm();
    const redemption = await server.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });
    expect(redemption).toMatchObject({ userId: 'bob', deviceId: bob.deviceId });
    expect(await signIn(again.app(alice))).toBe('alice');

    // Another site's code matches no account; a link code is for book.link().
    expect(await again.forQr(session.qrPayload.replace(server.origin, 'https://other.example'))).toEqual([]);
    expect(await codeOf(again.forQr(link.qrPayload))).toBe('INVALID_QR');

    await again.remove(alice.id);
    expect((await again.list()).map((a) => a.userId)).toEqual(['bob']);
    expect(await stores.get(alice.id)?.getSeed()).toBeNull();
  });

  it('keeps an already registered key with add(), and keeps every account of concurrent registrations', async () => {
    const { stores, book } = newBook();
    const keys = generateDeviceKeys();
    const { deviceId } = await registerDevice({
      baseUrl: server.baseUrl,
      keys,
      label: 'Old phone',
      userId: 'alice',
      headers: AUTH.alice,
    });
    const kept = await book.add({ baseUrl: `${server.baseUrl}/`, userId: 'alice', deviceId, label: 'Old phone', keys });
    expect(kept).toMatchObject({ baseUrl: server.baseUrl, origin: server.origin, name: 'alice' });
    expect(await stores.get(kept.id)?.getSeed()).toEqual(keys.seed);
    expect(await signIn(book.app(kept))).toBe('alice');

    // Read-modify-write of the list is serialised: neither of two registrations at once is lost.
    await Promise.all([
      book.register({ baseUrl: server.baseUrl, label: 'A', userId: 'alice', headers: AUTH.alice }),
      book.register({ baseUrl: server.baseUrl, label: 'B', userId: 'bob', headers: AUTH.bob }),
    ]);
    expect((await book.list()).map((account) => account.label).sort()).toEqual(['A', 'B', 'Old phone']);
  });

  it('keeps no account and no seed when the registration fails', async () => {
    const { stores, book } = newBook();
    const failed = book.register({ baseUrl: server.baseUrl, label: 'Phone', userId: 'alice' });
    expect(await codeOf(failed)).toBe('UNAUTHENTICATED');
    expect(await book.list()).toEqual([]);
    for (const store of stores.values()) expect(await store.getSeed()).toBeNull();
  });
});
