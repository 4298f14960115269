/**
 * Redeem against a Redis that freezes (SIGSTOP) just as the `confirmed → redeemed` script is sent:
 * the host gets 503, the script runs once Redis thaws. The host's retry, on another instance, must
 * sign the user in, and the `redeemed` event must fire exactly once across both instances.
 */
import type { LoginRequest } from '@qrlogin/protocol';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REDEEM_RETRY_WINDOW_MS } from '../../server/src/browser-actions.js';
import { createQrLogin, memoryDeviceStore, type SessionStore } from '../../server/src/index.js';
import { createSession, newDevice, startServer, type TestServer } from '../../server/test/helpers.js';
import { redisBus } from '../src/redis-bus.js';
import { redisStore } from '../src/redis-store.js';
import { connectClient } from './helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from './helpers/redis-server.js';

describe.skipIf(skipWithoutRedis)('redeem while Redis freezes', () => {
  let redis: RedisServer;
  const clients: Redis[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    redis?.thaw();
    await redis?.stop();
  });

  /** One server instance's Redis wiring; `freezeOnRedeem` freezes Redis as the redeem script goes out. */
  async function instance() {
    // 1.5 s: only the frozen redeem may time out, not one of the twenty calls around it on a slow machine.
    const client = await connectClient(redis.port, { commandTimeout: 1_500 });
    const subscriber = await connectClient(redis.port);
    clients.push(client, subscriber);
    const inner = redisStore({ client });
    let freezeOnRedeem = false;
    const freezing = (next: { state: string; claimedAt?: number }) => {
      if (freezeOnRedeem && next.state === 'redeemed' && next.claimedAt === undefined) {
        freezeOnRedeem = false;
        redis.freeze();
      }
    };
    const store: SessionStore = {
      ...inner,
      compareAndSet(next, expected, retainUntil) {
        freezing(next);
        return inner.compareAndSet(next, expected, retainUntil);
      },
      compareAndSetAndPublish(next, expected, retainUntil, snapshot, bus) {
        freezing(next);
        return inner.compareAndSetAndPublish?.(next, expected, retainUntil, snapshot, bus) ?? null;
      },
    };
    return {
      store,
      bus: redisBus({ publisher: client, subscriber }),
      freezeNextRedeem: () => {
        freezeOnRedeem = true;
      },
    };
  }

  /** A confirmed session whose redeem is answered 503 while Redis is frozen; resolves once the write has landed. */
  async function redeemedDespite503(server: TestServer, a: { freezeNextRedeem(): void }) {
    const session = await createSession(server);
    const phone = await newDevice(server);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    expect((await phone.confirm(request)).status).toBe(200);
    a.freezeNextRedeem();
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 });
    redis.thaw();
    // The frozen script runs once Redis thaws: the session is redeemed though the host heard 503.
    await vi.waitFor(async () => expect((await server.qr.inspect(session.sessionId))?.state).toBe('redeemed'), {
      timeout: 5_000,
    });
    return session;
  }

  it('a 503 whose write landed: the retry on another instance signs in, one redeemed event in all', async () => {
    const a = await instance();
    const b = await instance();
    // Instances share their devices as they share sessions: the redeem checks the approving device.
    const devices = memoryDeviceStore();
    const server = await startServer({ store: a.store, bus: a.bus, devices });
    const qrB = createQrLogin({ origin: server.origin, store: b.store, bus: b.bus, devices, rateLimits: false });
    const events: string[] = [];
    server.qr.events.on('redeemed', () => events.push('a'));
    qrB.events.on('redeemed', () => events.push('b'));
    try {
      const session = await redeemedDespite503(server, a);

      // A different secret still gets nothing.
      const other = await createSession(server);
      await expect(
        qrB.redeem({ sessionId: session.sessionId, browserSecret: other.browserSecret }),
      ).rejects.toMatchObject({ code: 'INVALID_SECRET' });

      await expect(qrB.redeem(session)).resolves.toMatchObject({ sessionId: session.sessionId, userId: 'alice' });
      await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
      await expect(qrB.redeem(session)).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
      expect(events).toEqual(['b']);
    } finally {
      redis.thaw();
      await qrB.close();
      await server.close();
    }
  });

  it(`a retry more than ${REDEEM_RETRY_WINDOW_MS / 1000} s after the landed write is refused`, async () => {
    const a = await instance();
    let now = Date.now();
    const server = await startServer({ store: a.store, bus: a.bus, now: () => now });
    const redeemed = vi.fn();
    server.qr.events.on('redeemed', redeemed);
    try {
      const session = await redeemedDespite503(server, a);
      now += REDEEM_RETRY_WINDOW_MS + 1;
      await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
      expect(redeemed).not.toHaveBeenCalled();
    } finally {
      redis.thaw();
      await server.close();
    }
  });
});
