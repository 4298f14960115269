/**
 * Linked-browser prompts across two server instances sharing one Redis: a token minted by a redeem
 * on one instance is honoured by the other, the per-user push-fatigue limit is one budget for both,
 * and forgetting the user's browsers on one ends prompts on the other. A token dies with its login,
 * so the ledger must be shared too; an instance with a ledger of its own says so.
 */
import { randomBytes } from 'node:crypto';
import type { LoginRequest } from '@qrlogin/protocol';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, newDevice, post, startServer, type TestServer } from '../../server/test/helpers.js';
import { redisDeviceStore } from '../src/redis-device-store.js';
import { redisLinkedBrowserStore } from '../src/redis-linked-browser-store.js';
import { redisLoginLedger } from '../src/redis-login-ledger.js';
import { redisStore } from '../src/redis-store.js';
import { connectClient } from './helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from './helpers/redis-server.js';

describe.skipIf(skipWithoutRedis)('prompts across instances on Redis', () => {
  let redis: RedisServer;
  let client: Redis;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    client = await connectClient(redis.port);
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    client?.disconnect();
    await redis?.stop();
  });

  /** The Redis stores of one site, under a key prefix of its own; the ledger is left to each test. */
  function sharedStores() {
    const keyPrefix = `t${randomBytes(4).toString('hex')}:`;
    return {
      keyPrefix,
      store: redisStore({ client, keyPrefix }),
      devices: redisDeviceStore({ client, keyPrefix }),
      linkedBrowsers: redisLinkedBrowserStore({ client, keyPrefix }),
      promptDevices: () => {},
    };
  }

  it('a token from A works on B; the per-user limit is shared; forgetting on A ends it on B', async () => {
    const { keyPrefix, ...stores } = sharedStores();
    const shared = {
      ...stores,
      logins: redisLoginLedger({ client, keyPrefix }),
      rateLimits: { promptPerUser: { limit: 2, windowSeconds: 600 } },
    };
    const a = await startServer(shared);
    const b = await startServer(shared);
    servers.push(a, b);

    const phone = await newDevice(a);
    const session = await createSession(a);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    expect((await phone.confirm(request)).status).toBe(200);
    const { promptToken } = await a.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });

    const onB = await post(`${b.base}/sessions`, { prompt: promptToken });
    expect(onB.status).toBe(201);
    expect((await b.qr.inspect(onB.body.sessionId))?.state).toBe('pending');
    expect((await post(`${a.base}/sessions`, { prompt: promptToken })).status).toBe(201);
    const third = await post(`${b.base}/sessions`, { prompt: promptToken });
    expect([third.status, third.body.error.code]).toEqual([429, 'PROMPT_LIMITED']);

    expect(await a.qr.forgetBrowser({ userId: phone.userId })).toBe(1);
    expect((await post(`${b.base}/sessions`, { prompt: promptToken })).body.error.code).toBe('PROMPT_INVALID');
  });

  it('ending the login from the phone on A ends its token on B; an instance whose ledger is not shared refuses and says so', async () => {
    const { keyPrefix, ...shared } = sharedStores();
    const a = await startServer({ ...shared, logins: redisLoginLedger({ client, keyPrefix }) });
    const b = await startServer({ ...shared, logins: redisLoginLedger({ client, keyPrefix }) });
    const alone = await startServer(shared); // the memory ledger: a setup mistake
    servers.push(a, b, alone);
    const said: string[] = [];
    alone.qr.events.on('misconfigured', (e) => said.push(e.problem));

    const phone = await newDevice(a);
    const signIn = async () => {
      const session = await createSession(a);
      const request = (await phone.scan(session.sessionId)).body as LoginRequest;
      expect((await phone.confirm(request)).status).toBe(200);
      return a.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });
    };
    const first = await signIn();
    const second = await signIn();
    expect((await post(`${b.base}/sessions`, { prompt: first.promptToken })).status).toBe(201);
    expect((await phone.endLogin(first.loginId)).body).toEqual({ ended: true });
    expect((await post(`${b.base}/sessions`, { prompt: first.promptToken })).body.error.code).toBe('PROMPT_INVALID');
    expect((await post(`${b.base}/sessions`, { prompt: second.promptToken })).status).toBe(201);

    expect((await post(`${alone.base}/sessions`, { prompt: second.promptToken })).body.error.code).toBe(
      'PROMPT_INVALID',
    );
    expect(said).toEqual(['ledger-not-shared']);
    // Refused there, but not forgotten: the instances set up right still honour it.
    expect((await post(`${b.base}/sessions`, { prompt: second.promptToken })).status).toBe(201);
  });
});
