/**
 * The conformance suite every {@link EventBus} must pass: delivery to every subscriber of a
 * session (on this instance and, for shared backends, from another instance), in order, with no
 * cross-talk; unsubscribe stops delivery; and, for backends that can lose messages, `onResync`
 * fires after a reconnect and delivery works again afterwards.
 *
 * Absence of a message is never checked with a sleep: the suite publishes a sentinel on a channel
 * that is subscribed after the one under test and waits for it. A bus delivers one publisher's
 * snapshots in order, so once the sentinel is in, anything published before it would be too.
 */
import type { StatusSnapshot } from '@qrlogin/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventBus } from '../../src/store/types.js';
import { randomId } from './fixtures.js';

/** What an event-bus factory hands the suite for one test. */
export interface EventBusHarness {
  bus: EventBus;
  /**
   * A second bus on the same backend, as another server instance would hold; what one publishes,
   * the other's subscribers receive. Omit for an in-process bus (the suite then uses `bus`).
   */
  peer?: EventBus;
  /**
   * Drops `bus`'s connection to its backend and resolves once it is connected again (optional
   * capability); the suite then expects `bus.onResync` listeners to fire.
   */
  reconnect?: () => Promise<void>;
  /** Closes both buses and releases the backend. */
  cleanup: () => Promise<void>;
}

/**
 * A snapshot of `sessionId` at `version`.
 *
 * @example
 * await bus.publish(snapshot(id, 2));
 */
export function snapshot(sessionId: string, version: number, state: StatusSnapshot['state'] = 'scanned') {
  return {
    sessionId,
    state,
    version,
    expiresAt: 1_767_225_720_000,
    serverTime: 1_767_225_600_000 + version,
    ...(state === 'scanned' ? { code: '42' } : {}),
  } satisfies StatusSnapshot;
}

const WAIT = { timeout: 5_000, interval: 10 };

/**
 * Registers the event-bus conformance tests for one backend; `factory` runs before every test.
 *
 * @example
 * testEventBus('memoryBus', async () => {
 *   const bus = memoryBus();
 *   return { bus, cleanup: async () => bus.close?.() };
 * });
 */
export function testEventBus(
  name: string,
  factory: () => Promise<EventBusHarness>,
  /** Optional capabilities the backend claims; their tests run only for backends that claim them (never skipped). */
  capabilities: { reconnect?: boolean } = {},
): void {
  describe(`EventBus conformance: ${name}`, () => {
    let bus: EventBus;
    let peer: EventBus;
    let harness: EventBusHarness;

    beforeEach(async () => {
      harness = await factory();
      bus = harness.bus;
      peer = harness.peer ?? harness.bus;
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    /** Subscribes a recording listener. */
    const record = async (on: EventBus, sessionId: string) => {
      const seen: StatusSnapshot[] = [];
      const unsubscribe = await on.subscribe(sessionId, (s) => seen.push(s));
      return { seen, unsubscribe };
    };

    /** Publishes a sentinel on a fresh session subscribed on `on`, and waits until it arrives. */
    const flush = async (on: EventBus) => {
      const id = randomId();
      const probe = await record(on, id);
      await peer.publish(snapshot(id, 1));
      await vi.waitFor(() => expect(probe.seen).toHaveLength(1), WAIT);
      await probe.unsubscribe();
    };

    it('delivers a snapshot to a subscriber, unchanged', async () => {
      const id = randomId();
      const a = await record(bus, id);
      const sent = snapshot(id, 2);
      await bus.publish(sent);
      await vi.waitFor(() => expect(a.seen).toEqual([sent]), WAIT);
    });

    it('delivers to every subscriber of the session, on this instance and another', async () => {
      const id = randomId();
      const a = await record(bus, id);
      const b = await record(bus, id);
      const c = await record(peer, id);
      const sent = snapshot(id, 2);
      await peer.publish(sent);
      await vi.waitFor(() => {
        expect(a.seen).toEqual([sent]);
        expect(b.seen).toEqual([sent]);
        expect(c.seen).toEqual([sent]);
      }, WAIT);
    });

    it('treats the same function subscribed twice as two subscriptions', async () => {
      const id = randomId();
      const seen: number[] = [];
      const listener = (s: StatusSnapshot) => seen.push(s.version);
      const first = await bus.subscribe(id, listener);
      await bus.subscribe(id, listener);
      await peer.publish(snapshot(id, 2));
      await vi.waitFor(() => expect(seen).toEqual([2, 2]), WAIT);
      await first();
      await peer.publish(snapshot(id, 3));
      await vi.waitFor(() => expect(seen).toEqual([2, 2, 3]), WAIT);
    });

    it('delivers one publisher’s snapshots in the order they were published', async () => {
      const id = randomId();
      const a = await record(bus, id);
      for (let v = 2; v <= 21; v++) await peer.publish(snapshot(id, v));
      await vi.waitFor(
        () => expect(a.seen.map((s) => s.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2)),
        WAIT,
      );
    });

    it('delivers snapshots published concurrently, each exactly once', async () => {
      const id = randomId();
      const a = await record(bus, id);
      await Promise.all(Array.from({ length: 50 }, (_, i) => peer.publish(snapshot(id, i + 2))));
      await vi.waitFor(() => expect(a.seen).toHaveLength(50), WAIT);
      expect(new Set(a.seen.map((s) => s.version)).size).toBe(50);
      await flush(bus);
      expect(a.seen).toHaveLength(50);
    });

    it('keeps sessions apart', async () => {
      const one = randomId();
      const two = randomId();
      const a = await record(bus, one);
      const b = await record(bus, two);
      await peer.publish(snapshot(one, 2));
      await peer.publish(snapshot(two, 5, 'confirmed'));
      await vi.waitFor(() => {
        expect(a.seen).toEqual([snapshot(one, 2)]);
        expect(b.seen).toEqual([snapshot(two, 5, 'confirmed')]);
      }, WAIT);
      await flush(bus);
      expect(a.seen).toHaveLength(1);
      expect(b.seen).toHaveLength(1);
    });

    it('stops delivering to a listener once it unsubscribes, and only to that listener', async () => {
      const id = randomId();
      const a = await record(bus, id);
      const b = await record(bus, id);
      await peer.publish(snapshot(id, 2));
      await vi.waitFor(() => expect(a.seen).toHaveLength(1), WAIT);
      await a.unsubscribe();
      await peer.publish(snapshot(id, 3));
      await vi.waitFor(() => expect(b.seen.map((s) => s.version)).toEqual([2, 3]), WAIT);
      await flush(bus);
      expect(a.seen.map((s) => s.version)).toEqual([2]);
    });

    it('stops all delivery once every listener of a session unsubscribed; unsubscribing twice is harmless', async () => {
      const id = randomId();
      const a = await record(bus, id);
      await a.unsubscribe();
      await a.unsubscribe();
      await peer.publish(snapshot(id, 2));
      await flush(bus);
      expect(a.seen).toEqual([]);
    });

    it('delivers again to a session subscribed right after its last listener left', async () => {
      const id = randomId();
      const a = await record(bus, id);
      // No await between leaving and re-joining: a bus that tears down and re-creates a backend
      // subscription must not let the late teardown win.
      const leaving = a.unsubscribe();
      const b = await record(bus, id);
      await leaving;
      await peer.publish(snapshot(id, 2));
      await vi.waitFor(() => expect(b.seen).toEqual([snapshot(id, 2)]), WAIT);
      expect(a.seen).toEqual([]);
    });

    it('keeps delivering to other listeners when one listener throws', async () => {
      const id = randomId();
      const thrower = vi.fn(() => {
        throw new Error('listener bug');
      });
      await bus.subscribe(id, thrower);
      const a = await record(bus, id);
      // A listener's bug is the listener's: the publisher (who just won a compare-and-set) must not
      // see it, and the other browsers waiting on the session must still be told.
      await expect((async () => peer.publish(snapshot(id, 2)))()).resolves.toBeUndefined();
      await vi.waitFor(() => expect(a.seen).toEqual([snapshot(id, 2)]), WAIT);
      expect(thrower).toHaveBeenCalledTimes(1);
    });

    // Registered only for backends that claim the capability, so no backend reports a skip.
    if (capabilities.reconnect) {
      it('fires onResync after a reconnect and delivers again afterwards', async () => {
        if (!harness.reconnect || !bus.onResync)
          throw new Error(`${name} claims reconnect but lacks reconnect() or onResync`);
        const id = randomId();
        const a = await record(bus, id);
        const resynced = vi.fn();
        const off = bus.onResync(resynced);
        await harness.reconnect();
        await vi.waitFor(() => expect(resynced).toHaveBeenCalled(), WAIT);
        await peer.publish(snapshot(id, 2));
        await vi.waitFor(() => expect(a.seen).toEqual([snapshot(id, 2)]), WAIT);

        off();
        const calls = resynced.mock.calls.length;
        await harness.reconnect();
        await flush(bus);
        expect(resynced).toHaveBeenCalledTimes(calls);
      });
    }
  });
}
