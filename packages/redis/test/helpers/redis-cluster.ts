/**
 * A private Redis Cluster per test file: 3 masters and 3 replicas, each its own `redis-server
 * --cluster-enabled yes` on a free loopback port, joined with `redis-cli --cluster create`. A short
 * `cluster-node-timeout` makes a failed master's replica take over within a few seconds.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { failFastRedisOptions } from '../../src/fail-fast-redis-options.js';
import { freePort, REDIS_SERVER_PATH, spawnRedis } from './redis-server.js';

const run = promisify(execFile);

/** Where the tests look for `redis-cli` (override with `REDIS_CLI`), next to `redis-server` by default. */
export const REDIS_CLI_PATH = process.env.REDIS_CLI ?? join(REDIS_SERVER_PATH, '..', 'redis-cli');

/** How long a node may be unreachable before the Cluster fails it over (`cluster-node-timeout`). */
export const NODE_TIMEOUT_MS = 1_000;

/** One node of the test Cluster. */
export interface ClusterNode {
  readonly port: number;
  /** A plain (non-Cluster) admin connection to this node only. */
  readonly admin: Redis;
  /** SIGSTOP: connections stay open, nothing answers. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
}

/** A running Cluster. */
export interface RedisCluster {
  readonly nodes: ClusterNode[];
  /** `[{ host, port }]` of every node, for `new Cluster(...)`. */
  readonly startupNodes: { host: string; port: number }[];
  /**
   * A Cluster client wired as docs/scaling.md tells hosts to: fail-fast options on every node
   * connection, no offline queue, a short slots refresh so a promoted replica is found quickly.
   */
  connect(connectionName?: string): Promise<Cluster>;
  /** Resolves once every node that answers reports `cluster_state:ok`. */
  healthy(): Promise<void>;
  stop(): Promise<void>;
}

async function clusterOk(admin: Redis): Promise<boolean> {
  const info = (await admin.cluster('INFO').catch(() => '')) as string;
  return info.includes('cluster_state:ok');
}

/**
 * Starts 6 nodes (3 masters, 3 replicas) and waits until the Cluster is healthy everywhere.
 *
 * @example
 * const cluster = await startRedisCluster();
 * const client = await cluster.connect();
 * afterAll(() => cluster.stop());
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  // `redis-cli --cluster create` now and then gives up waiting for the nodes to join on a busy
  // machine; a fresh set of nodes on fresh ports gets there.
  for (let attempt = 1; ; attempt++) {
    try {
      return await tryStartRedisCluster();
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

async function tryStartRedisCluster(): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'qrlogin-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const kill = () => {
    for (const child of children) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  };
  // A test run that dies must not leave Redis processes behind.
  process.once('exit', () => {
    kill();
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    // One node at a time, each bound right after its ports were found free, so a port is never
    // handed out twice (to another node, or to another test file starting its own Redis). Each
    // node also listens on a Cluster bus port, by default its port + 10000, which may not exist
    // (or be taken) for an ephemeral port: pick that one too.
    while (children.length < 6) {
      const port = await freePort();
      const busPort = await freePort();
      if (busPort === port) continue;
      children.push(
        await spawnRedis(port, undefined, [
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          // A replica writes the RDB it syncs from its master to disk: keep it out of the working
          // directory, where every later redis-server of the test run would load it at start.
          '--dir',
          dir,
          '--dbfilename',
          `dump-${port}.rdb`,
          '--cluster-node-timeout',
          String(NODE_TIMEOUT_MS),
          // As docs/scaling.md tells hosts: a shard without a master stops only its own sessions.
          '--cluster-require-full-coverage',
          'no',
        ]),
      );
      ports.push(port);
    }
    await run(REDIS_CLI_PATH, [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
  } catch (err) {
    kill();
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`could not start the Redis Cluster: ${String(err)}\n${stdout}\n${stderr}`);
  }
  const nodes = await Promise.all(
    ports.map(async (port, i) => {
      const admin = new Redis({ host: '127.0.0.1', port, ...failFastRedisOptions, retryStrategy: () => 100 });
      admin.on('error', () => {});
      if (admin.status !== 'ready') await once(admin, 'ready');
      const child = children[i] as ChildProcess;
      return { port, admin, freeze: () => child.kill('SIGSTOP'), thaw: () => child.kill('SIGCONT') };
    }),
  );
  const startupNodes = ports.map((port) => ({ host: '127.0.0.1', port }));
  const healthy = async () => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const states = await Promise.all(nodes.map((node) => clusterOk(node.admin)));
      if (states.every(Boolean)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the Redis Cluster did not become healthy');
  };
  await healthy();
  return {
    nodes,
    startupNodes,
    healthy,
    async connect(connectionName) {
      const client = new Cluster(startupNodes, {
        enableOfflineQueue: false,
        slotsRefreshInterval: 1_000,
        redisOptions: { ...failFastRedisOptions, ...(connectionName ? { connectionName } : {}) },
      });
      client.on('error', () => {});
      if (client.status !== 'ready') await once(client, 'ready');
      return client;
    },
    async stop() {
      for (const node of nodes) node.admin.disconnect();
      const exits = children.filter((c) => c.exitCode === null).map((c) => once(c, 'exit'));
      kill();
      await Promise.all(exits);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
