/**
 * Redis forgets on its own. After many sessions, in every state, on two instances, have expired and
 * their retention has passed, `SCAN` over the key prefix finds nothing but the registered devices
 * (which are meant to stay). No sweeper, no keyspace notifications: waiting browsers are told
 * `expired` by the instance holding their socket.
 *
 * Slow by nature (the server keeps finished sessions for 60 s so late calls get a precise error);
 * real time, because the TTLs run on Redis's clock.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginRequest } from '../packages/protocol/src/index.js';
import { connectClient, scanKeys } from '../packages/redis/test/helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from '../packages/redis/test/helpers/redis-server.js';
import { RETENTION_MS } from '../packages/server/src/state-machine.js';
import { createSession, type Instance, newPhone, openSocket, redeem, startInstance } from './helpers/redis-fleet.js';

const PREFIX = 'exp:';
const RULE = { limit: 10_000, windowSeconds: 2 };
const RATE_LIMITS = Object.fromEntries(
  [
    'createSession',
    'poll',
    'socketConnect',
    'scanPerDevice',
    'decidePerSession',
    'decidePerUser',
    'appPerIp',
    'registerDevice',
  ].map((name) => [name, RULE]),
);

describe.skipIf(skipWithoutRedis)('expiry on Redis', () => {
  let redis: RedisServer;
  let admin: Redis;
  let d: Instance;
  let e: Instance;

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = await connectClient(redis.port);
    const env = {
      REDIS_PORT: String(redis.port),
      KEY_PREFIX: PREFIX,
      SESSION_TTL_SECONDS: '10',
      RATE_LIMITS: JSON.stringify(RATE_LIMITS),
    };
    [d, e] = await Promise.all([startInstance('d', env), startInstance('e', env)]);
  });
  afterAll(async () => {
    await Promise.all([d?.stop(), e?.stop()]);
    admin?.disconnect();
    await redis?.stop();
  });

  it('leaves no session or counter key behind once sessions expired and retention passed', async () => {
    const instances = [d, e];
    const phones = await Promise.all([newPhone(d, 'erin'), newPhone(e, 'frank')]);
    const deviceKeys = (await scanKeys(admin, PREFIX)).filter((k) => k.startsWith(`${PREFIX}{devices}:`));
    // Per device: the device hash and its public-key index; per user: the device set.
    expect(deviceKeys).toHaveLength(6);

    const sessions = await Promise.all(Array.from({ length: 120 }, (_, i) => createSession(instances[i % 2]!)));
    const watched = await openSocket(d, sessions[0]!);
    await watched.waitFor('pending');
    // Move sessions into every state: pending (i%6==0), scanned, confirmed, redeemed, rejected, cancelled.
    await Promise.all(
      sessions.map(async (s, i) => {
        const step = i % 6;
        if (step === 0) return;
        const on = instances[(i + 1) % 2]!;
        const phone = phones[i % 2]!;
        if (step === 5) {
          const res = await fetch(`${on.base}/sessions/${s.sessionId}`, {
            method: 'DELETE',
            headers: { authorization: `Bearer ${s.browserSecret}`, 'x-forwarded-for': s.ip },
          });
          expect(res.status).toBe(200);
          return;
        }
        const request = (await phone.scan(on, s.sessionId)).body as LoginRequest;
        if (step === 2 || step === 3) expect((await phone.confirm(on, request)).status).toBe(200);
        if (step === 3) expect((await redeem(instances[i % 2]!, s)).status).toBe(200);
        if (step === 4) expect((await phone.reject(on, request)).status).toBe(200);
      }),
    );
    const lastExpiry = Math.max(...sessions.map((s) => s.expiresAt));

    // The waiting browser is told by its instance's own sweep, not by Redis.
    expect(await watched.waitFor('expired')).toMatchObject({ sessionId: sessions[0]!.sessionId });

    // Right after expiry the records are still kept (for precise late errors): TTLs, not deletes.
    const kept = await scanKeys(admin, `${PREFIX}s:`);
    expect(kept.length).toBe(sessions.length);

    // Retention ends RETENTION_MS after a record's expiry or its last write, whichever is later; the
    // last write of all was the expiry the sweep just pushed.
    const forgetAt = Math.max(lastExpiry, Date.now()) + RETENTION_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, forgetAt - Date.now()) + 500));
    const left = await scanKeys(admin, PREFIX);
    // Besides the devices, only each running instance's bus canary (it expires once its bus stops).
    const canaries = left.filter((k) => k.startsWith(`${PREFIX}bus:alive:`));
    expect(canaries).toHaveLength(instances.length);
    expect(left.filter((k) => !canaries.includes(k)).sort()).toEqual(deviceKeys.sort());
  }, 150_000);
});
