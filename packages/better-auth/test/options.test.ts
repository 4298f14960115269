/**
 * What the plugin decides at construction: qrlogin's sessions never go on `secondaryStorage`
 * (no compare-and-set there), options better-auth owns are refused, and the origin and mount
 * path follow better-auth's `baseURL`.
 */
import { memoryStore } from '@qrlogin/server';
import { betterAuth } from 'better-auth';
import { afterEach, describe, expect, it } from 'vitest';
import { qrLogin, qrLoginInstance } from '../src/index.js';
import { migrate, sqliteDatabase, type TestDatabase } from './helpers/databases.js';

/** better-auth's secondaryStorage interface, in a Map: values, getAndDelete and counters. */
function mapStorage() {
  const map = new Map<string, string>();
  return {
    get: (key: string) => map.get(key) ?? null,
    getAndDelete: (key: string) => {
      const value = map.get(key) ?? null;
      map.delete(key);
      return value;
    },
    increment: (key: string) => {
      const next = Number(map.get(key) ?? 0) + 1;
      map.set(key, String(next));
      return next;
    },
    set: (key: string, value: string) => void map.set(key, value),
    delete: (key: string) => void map.delete(key),
  };
}

describe('qrLogin() options', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  const auth = async (plugin: ReturnType<typeof qrLogin>, extra: Record<string, unknown> = {}) => {
    db = await sqliteDatabase();
    const instance = betterAuth({
      baseURL: 'https://example.com/auth',
      basePath: '/auth',
      secret: 'a-test-secret-that-is-long-enough-for-better-auth',
      database: db.database,
      plugins: [plugin],
      telemetry: { enabled: false },
      ...extra,
    });
    await migrate(instance.options);
    return instance;
  };

  it('refuses better-auth’s secondaryStorage without a compare-and-set store, naming the way out', async () => {
    db = await sqliteDatabase();
    const instance = betterAuth({
      baseURL: 'https://example.com',
      secret: 'a-test-secret-that-is-long-enough-for-better-auth',
      database: db.database,
      secondaryStorage: mapStorage(),
      plugins: [qrLogin()],
      telemetry: { enabled: false },
    });
    await expect(instance.$context).rejects.toThrow(/compare-and-set store.*redisStore/);
  });

  it('takes an explicit store beside secondaryStorage', async () => {
    const store = memoryStore();
    const instance = await auth(qrLogin({ store }), { secondaryStorage: mapStorage() });
    const qr = qrLoginInstance(await instance.$context);
    expect(qr?.basePath).toBe('/auth/qr-login');
    await qr?.close();
    store.close?.();
  });

  it('mounts under better-auth’s base path and signs for the origin of its baseURL', async () => {
    const instance = await auth(qrLogin());
    const qr = qrLoginInstance(await instance.$context);
    const created = await instance.handler(
      new Request('https://example.com/auth/qr-login/sessions', {
        method: 'POST',
        headers: { origin: 'https://example.com', 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(created.status).toBe(201);
    const { qrPayload } = (await created.json()) as { qrPayload: string };
    expect(qrPayload).toMatch(/^https:\/\/example\.com\/auth\/qr-login\/q\/1\//);
    await qr?.close();
  });

  it('refuses the options better-auth decides, by name', () => {
    for (const name of ['basePath', 'devices', 'authenticate', 'logins', 'endSession']) {
      expect(() => qrLogin({ [name]: undefined } as never)).toThrow(new RegExp(`"${name}"`));
    }
  });
});
