/**
 * The ledger across two qrlogin instances on one Redis (store, devices, bus and ledger all Redis):
 * a login redeemed on B is listed on A; ending it on A runs A's `endSession` hook with that login
 * and B sees it ended; a scan lock set by a report on A refuses scans on B until it runs out.
 */
import { randomBytes } from 'node:crypto';
import type { LoginRequest, SignedAction, SignedFields } from '@qrlogin/protocol';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contextDigestOf } from '../../server/src/context-digest.js';
import type { LoginRecord } from '../../server/src/index.js';
import {
  type Body,
  createSession,
  newDevice,
  post,
  startServer,
  type TestDevice,
  type TestServer,
} from '../../server/test/helpers.js';
import { redisBus } from '../src/redis-bus.js';
import { redisDeviceStore } from '../src/redis-device-store.js';
import { redisLoginLedger } from '../src/redis-login-ledger.js';
import { redisStore } from '../src/redis-store.js';
import { connectClient } from './helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from './helpers/redis-server.js';

const ORIGIN = 'https://login.example';

describe.skipIf(skipWithoutRedis)('the ledger on two instances sharing Redis', () => {
  let redis: RedisServer;
  const clients: Redis[] = [];
  const servers: TestServer[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const clock = { value: Date.now() };

  async function instance(keyPrefix: string, ended: LoginRecord[]): Promise<TestServer> {
    const [client, subscriber] = await Promise.all([connectClient(redis.port), connectClient(redis.port)]);
    clients.push(client, subscriber);
    const t = await startServer({
      origin: ORIGIN,
      now: () => clock.value,
      // Two hours, so the clock can jump past the scan lock while the waiting page's session lives.
      sessionTtlSeconds: 7_200,
      store: redisStore({ client, keyPrefix }),
      devices: redisDeviceStore({ client, keyPrefix }),
      bus: redisBus({ publisher: client, subscriber, keyPrefix, onError: () => {} }),
      logins: redisLoginLedger({ client, keyPrefix }),
      endSession: (login) => {
        ended.push(login);
      },
    });
    servers.push(t);
    return t;
  }

  function signed(
    t: TestServer,
    device: TestDevice,
    action: SignedAction,
    path: string,
    fields: Partial<SignedFields> = {},
  ) {
    const timestamp = clock.value;
    const signature = device.sign({ action, deviceId: device.deviceId, timestamp, ...fields }, ORIGIN);
    return post(`${t.base}${path}`, { deviceId: device.deviceId, timestamp, signature });
  }
  const scan = (t: TestServer, device: TestDevice, sessionId: string) =>
    signed(t, device, 'scan', `/sessions/${sessionId}/scan`, { sessionId });

  it('ends on A with A’s hook, is seen ended on B; a lock set on A holds on B', async () => {
    clock.value = Date.now();
    const keyPrefix = `t${randomBytes(4).toString('hex')}:`;
    const endedOnA: LoginRecord[] = [];
    const endedOnB: LoginRecord[] = [];
    const a = await instance(keyPrefix, endedOnA);
    const b = await instance(keyPrefix, endedOnB);
    const phone = await newDevice(a, `alice-${keyPrefix}`);

    // Created on B, scanned on A, confirmed on B, redeemed on A.
    const session = await createSession(b);
    const request = (await scan(a, phone, session.sessionId)).body as LoginRequest;
    // Signed with the digest of the request as received, as @qrlogin/app does (version 3).
    const contextDigest = contextDigestOf(request);
    const timestamp = clock.value;
    const confirmed = await post(`${b.base}/sessions/${session.sessionId}/confirm`, {
      deviceId: phone.deviceId,
      timestamp,
      contextDigest,
      signature: phone.sign(
        {
          action: 'confirm',
          sessionId: session.sessionId,
          challenge: request.challenge,
          deviceId: phone.deviceId,
          contextDigest,
          timestamp,
        },
        ORIGIN,
      ),
    });
    expect(confirmed.status).toBe(200);
    const { loginId } = await a.qr.redeem(session);
    const listedOnB = await signed(b, phone, 'list-logins', '/logins/list');
    expect((listedOnB.body as Body).logins.map((l: { id: string }) => l.id)).toEqual([loginId]);

    const end = await signed(a, phone, 'end-login', `/logins/${loginId}/end`, { ref: loginId });
    expect(end.body).toEqual({ ended: true });
    expect(endedOnA.map((l) => l.id)).toEqual([loginId]);
    expect(endedOnB).toEqual([]);
    expect((await b.qr.listLogins(phone.userId))[0]).toMatchObject({ id: loginId, endReason: 'user' });
    // B cannot end it a second time, nor call its hook.
    expect((await signed(b, phone, 'end-login', `/logins/${loginId}/end`, { ref: loginId })).body).toEqual({
      ended: false,
    });
    expect(endedOnB).toEqual([]);

    const report = await signed(a, phone, 'report-login', `/logins/${loginId}/report`, { ref: loginId });
    expect(report.status).toBe(200);
    const lockedUntil = (report.body as Body).lockedUntil as number;
    const waiting = await createSession(a);
    const refused = await scan(b, phone, waiting.sessionId);
    expect(refused.status).toBe(403);
    expect((refused.body as Body).error.code).toBe('SCANS_LOCKED');
    expect((await b.qr.inspect(waiting.sessionId))?.state).toBe('pending');
    // The lock is a Redis key expiring on Redis's own clock: on the injected clock it ends at
    // `lockedUntil` for the server's check, which is what refuses scans.
    clock.value = lockedUntil;
    expect((await scan(b, phone, waiting.sessionId)).status).toBe(200);
  });
});
