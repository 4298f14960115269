/**
 * Several qrlogin instances, each its own process, on one Redis, with no sticky sessions: a login
 * may start on one instance, be scanned and confirmed on another and redeemed on a third; races
 * spread over instances have exactly one outcome; rate limits hold across instances; an instance
 * may die under a waiting browser; Redis may go away and come back.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginRequest } from '../packages/protocol/src/index.js';
import { sessionChannel } from '../packages/redis/src/redis-bus.js';
import { connectClient, killConnection } from '../packages/redis/test/helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from '../packages/redis/test/helpers/redis-server.js';
import {
  createSession,
  type Instance,
  newPhone,
  openSocket,
  type Phone,
  poll,
  randomIp,
  redeem,
  startInstance,
} from './helpers/redis-fleet.js';

describe.skipIf(skipWithoutRedis)('multi-instance on Redis', () => {
  let redis: RedisServer;
  let a: Instance;
  let b: Instance;
  const env = () => ({
    REDIS_PORT: String(redis.port),
    KEY_PREFIX: 'mi:',
    // Real limits, shared through Redis; tight on session creation so the cross-instance test can
    // reach it. Every test actor has its own IP, so only that test does.
    RATE_LIMITS: JSON.stringify({ createSession: { limit: 4, windowSeconds: 60 } }),
  });

  beforeAll(async () => {
    // Persistent, so the outage test can stop Redis and find its sessions again after the restart.
    redis = await startRedisServer({ persistent: true });
    [a, b] = await Promise.all([startInstance('a', env()), startInstance('b', env())]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('socket on A, scan and confirm on B, redeem on A — exactly once across instances', async () => {
    const session = await createSession(a);
    const socket = await openSocket(a, session);
    await socket.waitFor('pending');
    const phone = await newPhone(b, 'alice');

    const scan = await phone.scan(b, session.sessionId);
    expect(scan.status).toBe(200);
    await socket.waitFor('scanned');
    const confirm = await phone.confirm(b, scan.body as LoginRequest);
    expect(confirm).toMatchObject({ status: 200, body: { state: 'confirmed', version: 3 } });
    await socket.waitFor('confirmed');

    const login = await redeem(a, session);
    expect(login).toMatchObject({ status: 200, body: { userId: 'alice', deviceId: phone.deviceId } });
    expect(await redeem(b, session)).toMatchObject({ status: 409, code: 'ALREADY_REDEEMED' });
    await socket.waitFor('redeemed');
    expect(socket.states()).toEqual(['pending', 'scanned', 'confirmed', 'redeemed']);
    // Version 5: the redemption's claim (see docs/protocol.md, redemption) is a write of its own,
    // never pushed; the state stays redeemed.
    expect((await poll(b, session)).body).toMatchObject({ state: 'redeemed', version: 5 });
  });

  it('200 confirm / reject / redeem races spread over both instances each have exactly one outcome', async () => {
    const phones: Phone[] = await Promise.all(
      Array.from({ length: 20 }, (_, i) => newPhone(i % 2 ? a : b, `racer-${i}`)),
    );
    const instances = [a, b];
    const sessions = await Promise.all(
      Array.from({ length: 200 }, (_, i) => createSession(instances[i % 2] as Instance)),
    );
    const requests = await Promise.all(
      sessions.map(async (s, i) => {
        const res = await (phones[i % 20] as Phone).scan(instances[(i + 1) % 2] as Instance, s.sessionId);
        expect(res.status).toBe(200);
        return res.body as LoginRequest;
      }),
    );

    // Every session: a confirm on one instance against a reject on the other, all at once.
    const decisions = await Promise.all(
      sessions.map((_, i) => {
        const phone = phones[i % 20] as Phone;
        const request = requests[i] as LoginRequest;
        const [first, second] = i % 2 ? [a, b] : [b, a];
        return Promise.all([phone.confirm(first, request), phone.reject(second, request)]);
      }),
    );
    const confirmed: number[] = [];
    decisions.forEach(([confirm, reject], i) => {
      const outcomes = [confirm, reject].filter((r) => r.status === 200);
      expect(outcomes, `session ${i}`).toHaveLength(1);
      const loser = confirm.status === 200 ? reject : confirm;
      expect(loser).toMatchObject({ status: 409, code: 'INVALID_STATE' });
      if (confirm.status === 200) confirmed.push(i);
    });

    // Every confirmed session: redeemed on both instances at once; exactly one redemption.
    const redemptions = await Promise.all(
      confirmed.map((i) => Promise.all([redeem(a, sessions[i]!), redeem(b, sessions[i]!)])),
    );
    redemptions.forEach(([onA, onB], k) => {
      const wins = [onA, onB].filter((r) => r.status === 200);
      expect(wins, `session ${confirmed[k]}`).toHaveLength(1);
      expect([onA, onB].find((r) => r.status !== 200)).toMatchObject({ status: 409, code: 'ALREADY_REDEEMED' });
      expect(wins[0]?.body.userId).toBe(`racer-${(confirmed[k] as number) % 20}`);
    });

    // Both instances agree on every final state.
    const finals = await Promise.all(
      sessions.map((s, i) => Promise.all([poll(a, s), poll(b, s)]).then((r) => [i, r] as const)),
    );
    for (const [i, [onA, onB]] of finals) {
      expect(onA.body).toEqual({ ...onB.body, serverTime: onA.body.serverTime });
      expect(onA.body.state).toBe(confirmed.includes(i) ? 'redeemed' : 'rejected');
    }
  });

  it('holds rate limits across instances', async () => {
    const ip = randomIp();
    for (const on of [a, b, a, b]) await createSession(on, ip);
    await expect(createSession(a, ip)).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    await expect(createSession(b, ip)).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // Another client is not affected.
    await expect(createSession(b)).resolves.toMatchObject({ version: 1 });
  });

  it('survives an instance dying under waiting browsers: they reconnect elsewhere and finish', async () => {
    const c = await startInstance('c', env());
    const scannedSession = await createSession(c);
    const pendingSession = await createSession(c);
    const socket1 = await openSocket(c, scannedSession);
    const socket2 = await openSocket(c, pendingSession);
    await Promise.all([socket1.waitFor('pending'), socket2.waitFor('pending')]);
    const phone = await newPhone(a, 'carol');
    const scan = await phone.scan(b, scannedSession.sessionId);
    await socket1.waitFor('scanned');

    await c.kill();
    expect((await socket1.closed).code).toBe(1006);
    expect((await socket2.closed).code).toBe(1006);

    // The first browser reconnects to B and is told where it stands at once.
    const again1 = await openSocket(b, scannedSession);
    expect(await again1.waitFor('scanned')).toMatchObject({ version: 2 });
    expect((await phone.confirm(a, scan.body as LoginRequest)).status).toBe(200);
    await again1.waitFor('confirmed');
    expect(await redeem(b, scannedSession)).toMatchObject({ status: 200, body: { userId: 'carol' } });

    // The second one reconnects to A and does the whole login from there.
    const again2 = await openSocket(a, pendingSession);
    await again2.waitFor('pending');
    const scan2 = await phone.scan(b, pendingSession.sessionId);
    expect((await phone.confirm(b, scan2.body as LoginRequest)).status).toBe(200);
    await again2.waitFor('confirmed');
    expect(await redeem(a, pendingSession)).toMatchObject({ status: 200, body: { userId: 'carol' } });
    again1.ws.close();
    again2.ws.close();
  });

  it('repairs a push lost while an instance’s subscriber was cut off (resync after reconnect)', async () => {
    // Instance F subscribes as its own ACL user, so the test can keep its subscriber out at will.
    const admin = await connectClient(redis.port);
    await admin.acl('SETUSER', 'sub-f', 'on', '>secret-f', '~*', '&*', '+@all');
    const f = await startInstance('f', { ...env(), SUBSCRIBER_USER: 'sub-f', SUBSCRIBER_PASSWORD: 'secret-f' });
    try {
      const session = await createSession(f);
      const socket = await openSocket(f, session);
      await socket.waitFor('pending');

      await admin.acl('SETUSER', 'sub-f', 'off');
      expect(await killConnection(admin, 'sub-f')).toBe(1);
      const phone = await newPhone(b, 'erin');
      const scan = await phone.scan(b, session.sessionId);
      expect((await phone.confirm(b, scan.body as LoginRequest)).status).toBe(200);
      // Both snapshots were published to nobody: F's subscriber is still locked out.
      expect(await admin.pubsub('NUMSUB', sessionChannel('mi:', session.sessionId))).toEqual([
        sessionChannel('mi:', session.sessionId),
        0,
      ]);
      expect(socket.states()).toEqual(['pending']);

      await admin.acl('SETUSER', 'sub-f', 'on');
      // F's subscriber gets back in, re-subscribes, and F re-sends the current snapshot.
      expect(await socket.waitFor('confirmed')).toMatchObject({ version: 3 });
      expect(await redeem(f, session)).toMatchObject({ status: 200, body: { userId: 'erin' } });
    } finally {
      await f.stop();
      admin.disconnect();
    }
  });

  it('answers 503 STORE_UNAVAILABLE while Redis is down, without crashing, and finishes once it is back', async () => {
    const session = await createSession(a);
    const socket = await openSocket(a, session);
    await socket.waitFor('pending');
    const phone = await newPhone(b, 'dave');
    const scan = await phone.scan(b, session.sessionId);
    await socket.waitFor('scanned');

    await redis.stop();
    const unavailable = { status: 503, code: 'STORE_UNAVAILABLE' };
    expect(await phone.confirm(b, scan.body as LoginRequest)).toMatchObject(unavailable);
    expect(await poll(a, session)).toMatchObject(unavailable);
    expect(await redeem(a, session)).toMatchObject(unavailable);
    await expect(createSession(b)).rejects.toMatchObject(unavailable);
    // Refused before the upgrade (the per-IP connect limit lives in Redis too).
    await expect(openSocket(b, session)).rejects.toMatchObject(unavailable);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();

    await redis.start();
    // The instances reconnect by themselves; the phone retries until the store answers again.
    let confirm = await phone.confirm(b, scan.body as LoginRequest);
    for (let i = 0; confirm.status === 503 && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      confirm = await phone.confirm(b, scan.body as LoginRequest);
    }
    expect(confirm).toMatchObject({ status: 200, body: { state: 'confirmed' } });
    // The socket on A lived through the outage and hears about the confirm made on B.
    await socket.waitFor('confirmed');
    expect(await redeem(a, session)).toMatchObject({ status: 200, body: { userId: 'dave' } });
    expect(socket.states().filter((s) => s.startsWith('error'))).toEqual([]);
  });
});
