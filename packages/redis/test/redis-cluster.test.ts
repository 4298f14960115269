/**
 * The Redis backends on a real Redis Cluster (3 masters, 3 replicas, started by this file), wired as
 * docs/scaling.md says: every store and bus operation without CROSSSLOT (the conformance suites,
 * unchanged), delivery between two qrlogin instances whose subscriptions sit on different nodes,
 * a frozen node under an instance's subscription (the bus moves it and resyncs: the page still hears
 * "confirmed", a new browser is answered instead of held), and a frozen master failed over under a
 * waiting page, logins going on.
 */
import { randomBytes } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  type BrowserSocket,
  createSession,
  type Endpoint,
  newPhone,
  ORIGIN,
  openSocket,
  type Phone,
} from '../../../test/helpers/redis-fleet.js';
import type { LoginRequest } from '../../protocol/src/index.js';
import { testDeviceStore } from '../../server/test/conformance/device-store.js';
import { testEventBus } from '../../server/test/conformance/event-bus.js';
import { testLoginLedger } from '../../server/test/conformance/login-ledger.js';
import { testSessionStore } from '../../server/test/conformance/session-store.js';
import { startServer, type TestServer } from '../../server/test/helpers.js';
import { redisBus } from '../src/redis-bus.js';
import { redisDeviceStore } from '../src/redis-device-store.js';
import { redisLoginLedger } from '../src/redis-login-ledger.js';
import { redisStore, sessionKey } from '../src/redis-store.js';
import { type ClusterNode, NODE_TIMEOUT_MS, type RedisCluster, startRedisCluster } from './helpers/redis-cluster.js';
import { skipWithoutRedis } from './helpers/redis-server.js';

/**
 * The subscribing connections named `name` (ioredis's own Cluster subscriber would be named
 * `ioredis-cluster(subscriber):<name>`), with the node holding each. Frozen nodes cannot say.
 */
async function subscribersNamed(cluster: RedisCluster, name: string): Promise<{ node: ClusterNode; id: string }[]> {
  const found: { node: ClusterNode; id: string }[] = [];
  const named = new RegExp(` name=(?:\\S*:)?${name} `);
  for (const node of cluster.nodes) {
    const list = (await node.admin.client('LIST').catch(() => '')) as string;
    for (const line of list.split('\n')) {
      const id = /^id=(\d+) /.exec(line)?.[1];
      if (id && named.test(line) && !/ sub=0 /.test(line)) found.push({ node, id });
    }
  }
  return found;
}

/** The nodes holding a subscribing connection named `name`. */
async function subscribedOn(cluster: RedisCluster, name: string): Promise<ClusterNode[]> {
  return (await subscribersNamed(cluster, name)).map(({ node }) => node);
}

const credentials = ({ sessionId, browserSecret }: BrowserSession) => ({ sessionId, browserSecret });

/** Retries `action` while the Cluster is failing over (503s), for up to 20 s. */
async function retrying<T>(action: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let last: T | undefined;
  for (let attempt = 0; attempt < 100; attempt++) {
    last = await action().catch(() => undefined);
    if (last !== undefined && ok(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`still failing after 20 s: ${JSON.stringify(last)}`);
}

describe.skipIf(skipWithoutRedis)('Redis Cluster (3 masters + 3 replicas)', () => {
  let cluster: RedisCluster;
  const opened: Cluster[] = [];
  const connect = async (name?: string) => {
    const client = await cluster.connect(name);
    opened.push(client);
    return client;
  };
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(async () => {
    for (const client of opened) client.disconnect();
    for (const node of cluster?.nodes ?? []) node.thaw();
    await cluster?.stop();
  });

  const prefix = () => `c${randomBytes(4).toString('hex')}:`;

  describe('every script and command, without CROSSSLOT', () => {
    testSessionStore('redisStore on Cluster', async () => ({
      store: redisStore({ client: await connect(), keyPrefix: prefix() }),
      cleanup: async () => {},
    }));
    testDeviceStore('redisDeviceStore on Cluster', async () => ({
      devices: redisDeviceStore({ client: await connect(), keyPrefix: prefix() }),
      cleanup: async () => {},
    }));
    testLoginLedger('redisLoginLedger on Cluster', async () => ({
      logins: redisLoginLedger({ client: await connect(), keyPrefix: prefix() }),
      cleanup: async () => {},
    }));
    testEventBus(
      'redisBus on Cluster',
      async () => {
        const keyPrefix = prefix();
        const name = `sub-${keyPrefix.slice(0, -1)}`;
        const [publisherA, subscriberA, publisherB, subscriberB] = await Promise.all([
          connect(),
          connect(name),
          connect(),
          connect(),
        ]);
        const bus = redisBus({ publisher: publisherA, subscriber: subscriberA, keyPrefix, onError: () => {} });
        const peer = redisBus({ publisher: publisherB, subscriber: subscriberB, keyPrefix, onError: () => {} });
        return {
          bus,
          peer,
          // The node carrying the subscription drops it, as when that node fails: the bus must
          // subscribe elsewhere and resync.
          reconnect: async () => {
            const [connection] = await subscribersNamed(cluster, name);
            if (!connection) throw new Error(`no subscribing connection named ${name}`);
            await connection.node.admin.client('KILL', 'ID', connection.id);
            await expect.poll(() => subscribedOn(cluster, name), { timeout: 10_000 }).toHaveLength(1);
          },
          cleanup: async () => {
            await bus.close?.();
            await peer.close?.();
          },
        };
      },
      { reconnect: true },
    );
  });

  describe('two qrlogin instances', () => {
    let a: TestServer;
    let b: TestServer;
    let phone: Phone;
    const at = (t: TestServer): Endpoint => ({ base: t.base, url: t.origin });
    const instance = async (name: string) => {
      const [client, subscriber] = await Promise.all([connect(), connect(`bus-${name}`)]);
      return startServer({
        origin: ORIGIN,
        trustProxy: 1,
        store: redisStore({ client }),
        devices: redisDeviceStore({ client }),
        bus: redisBus({ publisher: client, subscriber, onError: () => {} }),
        authenticate: (request) => {
          const userId = request.headers.get('x-test-user');
          return userId ? { userId } : null;
        },
      });
    };
    beforeAll(async () => {
      [a, b] = await Promise.all([instance('a'), instance('b')]);
      phone = await newPhone(at(b), 'alice');
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
    });

    /** A page on A, scanned on B; resolves with its socket once it shows "scanned". */
    async function scannedOnB(): Promise<{
      session: BrowserSession;
      socket: BrowserSocket;
      request: LoginRequest;
    }> {
      const session = await retrying(
        () => createSession(at(a)),
        () => true,
      );
      // While a failover is under way the socket may be refused (4503): the browser reconnects.
      const socket = await retrying(
        async () => {
          const socket = await openSocket(at(a), session);
          const first = await Promise.race([socket.waitFor('pending'), socket.closed]);
          return 'type' in first ? socket : undefined;
        },
        (socket) => socket !== undefined,
      );
      if (!socket) throw new Error('unreachable');
      const scan = await retrying(
        () => phone.scan(at(b), session.sessionId),
        (res) => res.status === 200,
      );
      await socket.waitFor('scanned');
      return { session, socket, request: scan.body as LoginRequest };
    }

    it('delivers across nodes: socket on A, scan and confirm on B, redeem on A', async () => {
      const { session, socket, request } = await scannedOnB();
      // Each instance subscribes through a connection of its own, wherever the Cluster put it.
      expect(await subscribedOn(cluster, 'bus-a')).toHaveLength(1);
      const confirm = await phone.confirm(at(b), request);
      expect(confirm).toMatchObject({ status: 200, body: { state: 'confirmed' } });
      await socket.waitFor('confirmed');
      expect(await a.qr.redeem(credentials(session))).toMatchObject({ userId: 'alice' });
    });

    /** The role of `node` (`master` or `slave`). */
    const role = async (node: ClusterNode) =>
      /role:(\w+)/.exec((await node.admin.info('replication')) as string)?.[1] ?? 'unknown';

    /** The node serving `sessionId`'s slot: the one master that answers for its key instead of MOVED. */
    async function masterOf(sessionId: string): Promise<ClusterNode> {
      for (const node of cluster.nodes) {
        if ((await node.admin.exists(sessionKey('qrlogin:', sessionId)).catch(() => 0)) === 1) return node;
      }
      throw new Error(`no node holds session ${sessionId}`);
    }

    it('a frozen replica under the subscription of A: a new browser is answered, the waiting page still hears "confirmed"', async () => {
      const waiting = await scannedOnB();
      const [node] = await subscribedOn(cluster, 'bus-a');
      if (!node) throw new Error('A has no subscribing connection');
      if ((await role(node)) === 'master') {
        // Demote it: its replica takes over by a manual failover, so freezing it fails nothing over.
        const replicaPort = Number(
          /slave0:ip=[^,]+,port=(\d+)/.exec((await node.admin.info('replication')) as string)?.[1],
        );
        const replica = cluster.nodes.find((n) => n.port === replicaPort);
        if (!replica) throw new Error(`no replica of ${node.port}`);
        await replica.admin.cluster('FAILOVER');
        await expect.poll(() => role(node), { timeout: 10_000 }).toBe('slave');
        await cluster.healthy();
      }
      // Nobody else may notice the frozen node for the length of this test (the Cluster would fail
      // it and ioredis move its own subscriber): only the bus's heartbeat can find out.
      const nodeTimeout = (ms: number) =>
        Promise.all(cluster.nodes.map((n) => n.admin.config('SET', 'cluster-node-timeout', String(ms))));
      await nodeTimeout(60_000);

      node.freeze();
      try {
        // Published while A's subscription sits on the frozen node: lost there, so A must resync.
        // When the node was demoted just above, B's slot map may still name it master until its
        // next refresh: the phone gets 503 meanwhile and tries again, as a real phone would.
        const confirm = await retrying(
          () => phone.confirm(at(b), waiting.request),
          (res) => res.status === 200,
        );
        expect(confirm).toMatchObject({ status: 200, body: { state: 'confirmed' } });
        await waiting.socket.waitFor('confirmed');
        expect(await a.qr.redeem(credentials(waiting.session))).toMatchObject({ userId: 'alice' });

        // A new browser on A is answered (a snapshot, or 503 while its subscription cannot be
        // made), not held while the node stays frozen.
        const fresh = await createSession(at(a));
        const socket = await openSocket(at(a), fresh);
        await expect.poll(() => socket.frames.length, { timeout: 15_000 }).toBeGreaterThan(0);
        expect(socket.states()[0]).toMatch(/^(pending|error:STORE_UNAVAILABLE)$/);
        socket.ws.close();
      } finally {
        node.thaw();
      }
      await nodeTimeout(NODE_TIMEOUT_MS);
      await cluster.healthy();
    }, 120_000);

    it('a frozen master is failed over under a waiting page: it still hears "confirmed", and logins go on', async () => {
      const waiting = await scannedOnB();
      const master = await masterOf(waiting.session.sessionId);
      master.freeze();
      try {
        // Refused (503) until a replica of the frozen master is promoted, then accepted.
        const confirm = await retrying(
          () => phone.confirm(at(b), waiting.request),
          (res) => res.status === 200,
        );
        expect(confirm.body).toMatchObject({ state: 'confirmed' });
        await waiting.socket.waitFor('confirmed');
        // A's own view of the slots may lag B's by a refresh: a 503 meanwhile is retried, as a host would.
        expect(await retrying(() => a.qr.redeem(credentials(waiting.session)), Boolean)).toMatchObject({
          userId: 'alice',
        });

        // A whole login on the failed-over Cluster, the old master still frozen.
        const next = await scannedOnB();
        await retrying(
          () => phone.confirm(at(b), next.request),
          (res) => res.status === 200,
        );
        await next.socket.waitFor('confirmed');
        expect(await retrying(() => a.qr.redeem(credentials(next.session)), Boolean)).toMatchObject({
          userId: 'alice',
        });
      } finally {
        master.thaw();
      }
      // The old master rejoins as a replica of the promoted one.
      await cluster.healthy();
      await expect.poll(() => role(master), { timeout: 10_000 }).toBe('slave');
    }, 120_000);
  });
});
