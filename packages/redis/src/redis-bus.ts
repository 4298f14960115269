import { randomBytes } from 'node:crypto';
import type { StatusSnapshot } from '@qrlogin/protocol';
import type { EventBus, SnapshotListener } from '@qrlogin/server';
import type { Cluster } from 'ioredis';
import { callRedis, type RedisClient } from './client.js';
import { ClusterSubscription } from './cluster-subscription.js';
import { resolveKeyPrefix } from './key-prefix.js';
import { runScript } from './scripts/lua-script.js';
import { publishScript } from './scripts/publish.js';

/**
 * How often the bus checks that it can still hear and that Redis still has its data: a `PING` on
 * a Cluster subscriber connection, and the bus's own canary key. One command or two a second per
 * instance; a loss is noticed within about a second plus the command timeout.
 */
const HEARTBEAT_MS = 1_000;

/**
 * Options of {@link redisBus}.
 *
 * @example
 * const options: RedisBusOptions = { publisher: client, subscriber: client.duplicate(), onError: log.warn };
 */
export interface RedisBusOptions {
  /** Client that publishes; may be the same client the stores use. */
  publisher: RedisClient;
  /**
   * A client dedicated to subscribing (a connection in subscriber mode can run nothing else), e.g.
   * `publisher.duplicate()`. Keep ioredis's default `autoResubscribe: true`. With a `Cluster`, the
   * bus subscribes on a connection of its own to one node of it (see the Redis Cluster section of
   * docs/scaling.md); the Cluster only lends its node list and options.
   */
  subscriber: RedisClient;
  /**
   * Prefix of every channel; no braces.
   * @default 'qrlogin:'
   */
  keyPrefix?: string;
  /**
   * Called with errors nobody awaits: a listener that threw, a malformed message, a failed
   * re-subscribe after a reconnect.
   * @default console.error
   */
  onError?: (error: unknown) => void;
}

/**
 * Channel of one session's snapshots. It carries the same `{sessionId}` hash tag as the session's
 * key, so the pair lives in one Cluster slot (and can move to sharded pub/sub unchanged).
 *
 * @example
 * sessionChannel('qrlogin:', 'V1StGXR8_Z5jdHi6B-myT0') // 'qrlogin:bus:{V1StGXR8_Z5jdHi6B-myT0}'
 */
export function sessionChannel(prefix: string, sessionId: string): string {
  return `${prefix}bus:{${sessionId}}`;
}

interface Channel {
  sessionId: string;
  listeners: Set<SnapshotListener>;
  /** Settles when Redis has confirmed the SUBSCRIBE. */
  subscribed: Promise<unknown>;
}

function isSnapshotOf(value: unknown, sessionId: string): value is StatusSnapshot {
  const s = value as Partial<StatusSnapshot> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    s.sessionId === sessionId &&
    typeof s.state === 'string' &&
    Number.isSafeInteger(s.version)
  );
}

/**
 * The Redis {@link EventBus}: carries session snapshots between server instances over pub/sub.
 *
 * **One channel per session.** An instance subscribes only to the sessions its own browsers wait
 * on, so each snapshot reaches the one or two instances that care instead of every instance (a
 * shared channel would make every instance parse every change of the whole fleet). Listeners of
 * one session share one Redis subscription, taken by the first and dropped by the last.
 *
 * **Losses are repaired, not prevented.** Pub/sub drops what is published while the subscriber is
 * disconnected. When the subscriber comes back, the bus re-subscribes every watched channel, waits
 * for Redis to confirm, and only then fires the `onResync` listeners, so the server's re-read of
 * each snapshot cannot miss a change published in between. On Redis Cluster the subscriber moves
 * to another node when its node fails or stops answering a heartbeat `PING`, and resyncs the same
 * way. Once a second the bus also refreshes a canary key of its own
 * (`{prefix}bus:alive:{<random id>}`, expiring after a few seconds): when it is found missing,
 * Redis lost its data (a restart without persistence, a FLUSHALL, a failover to a replica that
 * lagged behind) and the bus resyncs, so pages of sessions that are gone learn it at once. On a
 * Cluster the canary watches the one shard it lives on.
 *
 * `subscribe` resolves once Redis confirmed the subscription (so nothing published after it is
 * missed) and rejects with `QrLoginError('STORE_UNAVAILABLE')` when Redis is unreachable, as
 * `publish` does. A listener that throws is reported to `onError` and does not disturb the others.
 * `close()` unsubscribes; it does not quit the clients, which the host owns.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { failFastRedisOptions, redisBus } from '@qrlogin/redis';
 *
 * const publisher = new Redis(process.env.REDIS_URL!, failFastRedisOptions);
 * const bus = redisBus({ publisher, subscriber: publisher.duplicate() });
 */
export function redisBus(options: RedisBusOptions): EventBus {
  const { publisher, subscriber } = options;
  if (!publisher || typeof publisher.publish !== 'function') {
    throw new TypeError('redisBus: option "publisher" must be an ioredis Redis or Cluster client');
  }
  if (!subscriber || typeof subscriber.subscribe !== 'function') {
    throw new TypeError('redisBus: option "subscriber" must be an ioredis Redis or Cluster client');
  }
  if (subscriber === publisher) {
    throw new TypeError(
      'redisBus: options "publisher" and "subscriber" must be two clients (try publisher.duplicate())',
    );
  }
  const prefix = resolveKeyPrefix(options.keyPrefix, 'redisBus: option "keyPrefix"');
  const cluster = subscriber.isCluster ? new ClusterSubscription(subscriber as Cluster) : null;
  const link = cluster ?? (subscriber as Exclude<RedisClient, Cluster>);
  const canary = `${prefix}bus:alive:{${randomBytes(9).toString('base64url')}}`;
  const onError = options.onError ?? ((error: unknown) => console.error('[qrlogin/redis] bus:', error));
  const channels = new Map<string, Channel>();
  const resyncListeners = new Set<() => void>();
  // Channels whose UNSUBSCRIBE failed (Redis was away): ioredis re-subscribes them on reconnect, so
  // they are dropped again once the connection is back.
  const orphans = new Set<string>();
  let closed = false;
  let lostConnection = false;
  let canarySeen = false;
  let probing = false;

  const onMessage = (channelName: string, message: string) => {
    const channel = channels.get(channelName);
    if (!channel) return;
    let snapshot: unknown;
    try {
      snapshot = JSON.parse(message);
    } catch (err) {
      onError(err);
      return;
    }
    if (!isSnapshotOf(snapshot, channel.sessionId)) {
      onError(new Error(`ignored a malformed snapshot on ${channelName}`));
      return;
    }
    for (const listener of [...channel.listeners]) {
      try {
        listener(snapshot);
      } catch (err) {
        onError(err);
      }
    }
  };

  const onClose = () => {
    lostConnection = true;
  };

  const onReady = async () => {
    if (!lostConnection || closed) return;
    lostConnection = false;
    // ioredis re-subscribes by itself, but does not say when Redis has confirmed. Our own SUBSCRIBE
    // (a no-op for channels already subscribed) is answered after ioredis's, on the same connection.
    const names = [...channels.keys()];
    const stale = [...orphans].filter((name) => !channels.has(name));
    orphans.clear();
    try {
      if (names.length > 0) await link.subscribe(...names);
      if (stale.length > 0) await link.unsubscribe(...stale);
    } catch (err) {
      for (const name of stale) orphans.add(name);
      // The connection dropped again; the next `ready` retries.
      lostConnection = true;
      onError(err);
      return;
    }
    // This resync covers whatever the canary could report until now.
    canarySeen = false;
    resync();
  };

  const resync = () => {
    for (const listener of [...resyncListeners]) {
      try {
        listener();
      } catch (err) {
        onError(err);
      }
    }
  };

  const probe = async () => {
    if (probing || closed) return;
    probing = true;
    try {
      if (cluster && cluster.status === 'ready') await cluster.ping().catch(() => cluster.abandon());
      // SET … GET answers the previous value: none, after we set it before, means Redis lost it.
      const previous = await publisher.set(canary, '1', 'PX', HEARTBEAT_MS * 5, 'GET').catch(() => undefined);
      // While the subscriber is away, its own resync (on `ready`) comes anyway, after re-subscribing.
      if (previous === null && canarySeen && !lostConnection && link.status === 'ready') resync();
      if (previous !== undefined) canarySeen = true;
    } finally {
      probing = false;
    }
  };
  const heartbeat = setInterval(probe, HEARTBEAT_MS);
  heartbeat.unref();

  link.on('message', onMessage);
  link.on('close', onClose);
  link.on('ready', onReady);

  const bus: EventBus & { [REDIS_BUS]: RedisBusTarget } = {
    [REDIS_BUS]: { publisher, prefix },
    async publish(snapshot) {
      const name = sessionChannel(prefix, snapshot.sessionId);
      const message = JSON.stringify(snapshot);
      await callRedis(publisher, 'publish a snapshot', () =>
        // On a Cluster, through the session's slot so its snapshots stay in order (see publishScript).
        publisher.isCluster ? runScript(publisher, publishScript, [name], [message]) : publisher.publish(name, message),
      );
    },

    async subscribe(sessionId, listener) {
      if (closed) throw new TypeError('redisBus: subscribe after close()');
      const name = sessionChannel(prefix, sessionId);
      let channel = channels.get(name);
      if (!channel) {
        channel = {
          sessionId,
          listeners: new Set(),
          subscribed: callRedis(link, 'subscribe to a session', () => link.subscribe(name)),
        };
        channels.set(name, channel);
        orphans.delete(name);
      }
      const own = channel;
      // Wrapped, so one function subscribed twice holds two independent subscriptions.
      const entry: SnapshotListener = (s) => listener(s);
      own.listeners.add(entry);

      const leave = async () => {
        if (!own.listeners.delete(entry)) return;
        if (own.listeners.size > 0 || channels.get(name) !== own) return;
        channels.delete(name);
        // Commands on one connection run in order: a later subscribe's SUBSCRIBE to this channel is
        // sent after this UNSUBSCRIBE, so it wins.
        await link.unsubscribe(name).catch(() => {
          if (!channels.has(name)) orphans.add(name);
        });
      };

      try {
        await own.subscribed;
      } catch (err) {
        await leave();
        throw err;
      }
      return leave;
    },

    onResync(listener) {
      const entry = () => listener();
      resyncListeners.add(entry);
      return () => {
        resyncListeners.delete(entry);
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      link.off('message', onMessage);
      link.off('close', onClose);
      link.off('ready', onReady);
      resyncListeners.clear();
      const names = [...channels.keys()];
      channels.clear();
      if (names.length > 0) await link.unsubscribe(...names).catch(() => undefined);
      cluster?.close();
      await publisher.del(canary).catch(() => undefined);
    },
  };
  return bus;
}

/**
 * What a {@link redisStore} needs to publish for this bus inside its compare-and-set script: the
 * client it publishes with and the channel prefix. Internal to the package (a symbol key).
 */
export interface RedisBusTarget {
  publisher: RedisClient;
  prefix: string;
}

/** @internal */
export const REDIS_BUS: unique symbol = Symbol('qrlogin.redisBus');

/**
 * The bus's publishing target, when `bus` is a {@link redisBus}.
 *
 * @internal
 */
export function redisBusTarget(bus: EventBus): RedisBusTarget | undefined {
  return (bus as Partial<Record<typeof REDIS_BUS, RedisBusTarget>>)[REDIS_BUS];
}
