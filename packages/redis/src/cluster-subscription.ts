import { EventEmitter } from 'node:events';
import { type Cluster, Redis } from 'ioredis';
import { failFastRedisOptions } from './fail-fast-redis-options.js';

/**
 * The subscribing side of a {@link redisBus} on Redis Cluster: one connection of its own to one
 * node of `cluster` (classic pub/sub reaches every node of a Cluster, so any node will do), moved
 * to another node whenever it ends or stops answering, with events the bus can act on.
 *
 * ioredis's own Cluster subscriber re-subscribes on another node silently, so a bus on it never
 * learns that messages were lost meanwhile and never resyncs; and its connection has no timeouts,
 * so a frozen node holds every SUBSCRIBE forever. This one emits `close` when its connection is
 * lost and `ready` when the next one is up (the bus then subscribes every channel on it and fires
 * `onResync`), fails fast like {@link failFastRedisOptions}, and is abandoned by the bus when a
 * heartbeat `PING` times out. The Cluster itself only lends its node list and connection options
 * (host's `redisOptions`: password, TLS …); keep its `slotsRefreshInterval` short so a promoted
 * replica and a removed node are known within seconds.
 *
 * Events: `message (channel, message)`, `ready`, `close`.
 *
 * @example
 * const link = new ClusterSubscription(cluster.duplicate());
 * link.on('message', (channel, message) => console.log(channel, message));
 * link.once('ready', () => link.subscribe('qrlogin:bus:{abc}'));
 */
export class ClusterSubscription extends EventEmitter {
  readonly #cluster: Cluster;
  #current: Redis | null = null;
  #closed = false;
  #everReady = false;
  /** Nodes whose connection failed lately, tried again only when nothing else is left. */
  readonly #failed = new Set<string>();
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(cluster: Cluster) {
    super();
    this.#cluster = cluster;
    this.#connect();
  }

  /**
   * The current connection's ioredis status; `'wait'` before the first connection is up (a
   * subscribe then waits for it, bounded by the connect timeout) and `'reconnecting'` between nodes.
   */
  get status(): string {
    if (!this.#everReady) return 'wait';
    return this.#current?.status ?? 'reconnecting';
  }

  /** SUBSCRIBE on the current node. */
  async subscribe(...channels: string[]): Promise<unknown> {
    return (await this.#live()).subscribe(...channels);
  }

  /** UNSUBSCRIBE on the current node; nothing to do between nodes (a new connection starts empty). */
  async unsubscribe(...channels: string[]): Promise<unknown> {
    const current = this.#current;
    return current?.status === 'ready' ? current.unsubscribe(...channels) : 0;
  }

  /** PING on the current node (allowed in subscriber mode): the bus's heartbeat. */
  async ping(): Promise<unknown> {
    return (await this.#live()).ping();
  }

  /** Drops the current connection (it stopped answering) and moves to another node. */
  abandon(): void {
    const current = this.#current;
    if (!current) return;
    this.#failed.add(nodeKey(current));
    current.disconnect();
  }

  /** Disconnects for good. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#current?.disconnect();
    this.#current = null;
  }

  async #live(): Promise<Redis> {
    if (!this.#everReady) {
      const timeoutMs = failFastRedisOptions.connectTimeout;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.off('ready', onReady);
          reject(new Error(`no Cluster node answered the subscriber within ${timeoutMs} ms`));
        }, timeoutMs);
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        this.once('ready', onReady);
      });
    }
    const current = this.#current;
    if (current?.status !== 'ready') throw new Error('the Cluster subscriber is between nodes');
    return current;
  }

  #connect(): void {
    if (this.#closed) return;
    const nodes = this.#cluster.nodes('all');
    let candidates = nodes.filter((node) => !this.#failed.has(nodeKey(node)));
    if (candidates.length === 0) {
      this.#failed.clear();
      candidates = nodes;
    }
    const node = candidates[Math.floor(Math.random() * candidates.length)];
    if (!node) {
      // The Cluster has not discovered its nodes yet (or lost them all): look again shortly.
      this.#retry = setTimeout(() => this.#connect(), 100);
      return;
    }
    const connection = new Redis({
      ...node.options,
      ...failFastRedisOptions,
      lazyConnect: false,
      readOnly: false,
      // This class picks the next node itself; the bus subscribes every channel on each new one.
      retryStrategy: () => null,
      autoResubscribe: false,
    });
    this.#current = connection;
    // Errors end the connection, which moves it to another node; nobody awaits them.
    connection.on('error', () => {});
    connection.on('message', (channel: string, message: string) => this.emit('message', channel, message));
    // A node that accepts the connection but never answers (frozen) must not hold the move.
    const readyBy = setTimeout(() => this.abandon(), failFastRedisOptions.connectTimeout);
    connection.once('ready', () => {
      clearTimeout(readyBy);
      this.#failed.delete(nodeKey(connection));
      this.#everReady = true;
      this.emit('ready');
    });
    connection.once('end', () => {
      clearTimeout(readyBy);
      if (this.#current !== connection) return;
      this.#current = null;
      this.#failed.add(nodeKey(connection));
      if (this.#everReady) this.emit('close');
      if (!this.#closed) this.#retry = setTimeout(() => this.#connect(), 50);
    });
  }
}

function nodeKey(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}
