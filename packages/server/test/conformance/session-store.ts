/**
 * The conformance suite every {@link SessionStore} must pass, memory and Redis alike. It pins the
 * contract the state machine relies on: create-once, whole-record reads, compare-and-set with
 * exactly one winner under concurrency, forgetting at `retainUntil`, and fixed-window counters.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord, SessionStore } from '../../src/store/types.js';
import { type ConformanceClock, realClock } from './clock.js';
import { randomId, scannedRecord, sessionRecord } from './fixtures.js';

/** What a session-store factory hands the suite for one test. */
export interface SessionStoreHarness {
  store: SessionStore;
  /** The backend's clock; omitted means the real clock. */
  clock?: ConformanceClock;
  /** Closes the store and removes what the test wrote. */
  cleanup: () => Promise<void>;
}

/**
 * Registers the session-store conformance tests for one backend. Call it inside a test file;
 * `factory` runs before every test and must return a fresh, isolated store.
 *
 * @example
 * testSessionStore('memoryStore', async () => {
 *   const clock = fakeClock();
 *   const store = memoryStore({ now: clock.now });
 *   return { store, clock, cleanup: async () => store.close?.() };
 * });
 */
export function testSessionStore(name: string, factory: () => Promise<SessionStoreHarness>): void {
  describe(`SessionStore conformance: ${name}`, () => {
    let store: SessionStore;
    let clock: ConformanceClock;
    let cleanup: () => Promise<void>;
    // Real clocks need windows long enough that a stalled, shared machine cannot cross them by
    // accident between two calls a test expects to fall inside one window.
    const WINDOW_MS = 1_000;

    beforeEach(async () => {
      const harness = await factory();
      store = harness.store;
      clock = harness.clock ?? realClock();
      cleanup = harness.cleanup;
    });
    afterEach(async () => {
      await cleanup();
    });

    const retain = () => clock.now() + 60_000;

    describe('create / get', () => {
      it('stores a record and reads it back whole, optional fields included', async () => {
        const record = sessionRecord({ now: clock.now() });
        expect(await store.create(record, retain())).toBe(true);
        expect(await store.get(record.id)).toEqual(record);

        const next = scannedRecord(record, clock.now());
        expect(await store.compareAndSet(next, 1, retain())).toBe(true);
        expect(await store.get(record.id)).toEqual(next);

        // The redemption's claim (see redeem) is a field like any other: a store that drops it
        // would hand one redemption to every retry.
        const claimed: SessionRecord = { ...next, state: 'redeemed', version: 3, claimedAt: clock.now() };
        expect(await store.compareAndSet(claimed, 2, retain())).toBe(true);
        expect(await store.get(record.id)).toEqual(claimed);
      });

      it('keeps the context, its digest and the approval receipt, and copies the receipt in and out', async () => {
        const record = sessionRecord({ now: clock.now() });
        await store.create(record, retain());
        const scanned: SessionRecord = {
          ...scannedRecord(record, clock.now()),
          context: 'qrlogin-context-v1\norigin:https://example.com',
          contextDigest: 'eL5kWRf5q9YPc43cOjzFeOFIOBvqX4CMnnU8J5pEbQE',
        };
        expect(await store.compareAndSet(scanned, 1, retain())).toBe(true);
        expect(await store.get(record.id)).toEqual(scanned);
        const receipt = { message: 'qrlogin-signature-v3', signature: 'sig', publicKey: 'key', context: 'ctx' };
        const confirmed: SessionRecord = { ...scanned, state: 'confirmed', version: 3, receipt };
        expect(await store.compareAndSet(confirmed, 2, retain())).toBe(true);
        receipt.context = 'changed';
        const read = (await store.get(record.id)) as SessionRecord;
        expect(read).toEqual({ ...confirmed, receipt: { ...receipt, context: 'ctx' } });
        (read.receipt as { context: string }).context = 'changed again';
        expect((await store.get(record.id))?.receipt?.context).toBe('ctx');
      });

      it("keeps a prompt session's promptUserId through create and compare-and-set", async () => {
        // A store that drops it would let any user's device answer a linked-browser prompt.
        const record: SessionRecord = { ...sessionRecord({ now: clock.now() }), promptUserId: 'alice' };
        expect(await store.create(record, retain())).toBe(true);
        expect((await store.get(record.id))?.promptUserId).toBe('alice');
        expect(await store.compareAndSet(scannedRecord(record, clock.now()), 1, retain())).toBe(true);
        expect((await store.get(record.id))?.promptUserId).toBe('alice');
      });

      it('keeps a link session whole: its kind, its creator, the key and label that claimed it', async () => {
        // A store that drops `kind` would turn a link into a login anyone's phone could scan.
        const record: SessionRecord = { ...sessionRecord({ now: clock.now() }), kind: 'link', createdBy: 'alice' };
        expect(await store.create(record, retain())).toBe(true);
        expect(await store.get(record.id)).toEqual(record);
        const claimed: SessionRecord = {
          ...record,
          state: 'scanned',
          version: 2,
          linkKey: randomId(),
          linkLabel: 'Ana’s Pixel',
          code: '42',
        };
        expect(await store.compareAndSet(claimed, 1, retain())).toBe(true);
        expect(await store.get(record.id)).toEqual(claimed);
      });

      it('answers null for an id that was never created', async () => {
        expect(await store.get(randomId())).toBeNull();
      });

      it('refuses a duplicate id and keeps the first record', async () => {
        const first = sessionRecord({ now: clock.now() });
        const second = { ...sessionRecord({ now: clock.now(), id: first.id }), secretHash: 'f'.repeat(64) };
        expect(await store.create(first, retain())).toBe(true);
        expect(await store.create(second, retain())).toBe(false);
        expect(await store.get(first.id)).toEqual(first);
      });

      it('lets exactly one of many concurrent creates of one id win', async () => {
        const id = randomId();
        const records = Array.from({ length: 50 }, () => sessionRecord({ now: clock.now(), id }));
        const results = await Promise.all(records.map((r) => store.create(r, retain())));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = records[results.indexOf(true)];
        expect(await store.get(id)).toEqual(winner);
      });

      it('keeps records of different ids apart', async () => {
        const a = sessionRecord({ now: clock.now() });
        const b = sessionRecord({ now: clock.now() });
        await store.create(a, retain());
        await store.create(b, retain());
        expect(await store.get(a.id)).toEqual(a);
        expect(await store.get(b.id)).toEqual(b);
      });

      it('is not changed by mutating the object written or the object read', async () => {
        const record = sessionRecord({ now: clock.now() });
        const original = structuredClone(record);
        await store.create(record, retain());
        record.state = 'confirmed';
        record.requester.ip = '0.0.0.0';
        const read = (await store.get(record.id)) as SessionRecord;
        read.version = 99;
        read.requester.browser = 'changed';
        expect(await store.get(record.id)).toEqual(original);
      });
    });

    describe('compareAndSet', () => {
      it('writes only when the stored version matches', async () => {
        const record = sessionRecord({ now: clock.now() });
        await store.create(record, retain());
        const next = scannedRecord(record, clock.now());
        expect(await store.compareAndSet({ ...next, version: 3 }, 2, retain())).toBe(false);
        expect(await store.compareAndSet({ ...next, version: 1 }, 0, retain())).toBe(false);
        expect(await store.get(record.id)).toEqual(record);
        expect(await store.compareAndSet(next, 1, retain())).toBe(true);
        expect(await store.get(record.id)).toEqual(next);
      });

      it('refuses a stale version after the record moved on', async () => {
        const record = sessionRecord({ now: clock.now() });
        await store.create(record, retain());
        const v2 = scannedRecord(record, clock.now());
        const v3: SessionRecord = { ...v2, state: 'confirmed', version: 3 };
        expect(await store.compareAndSet(v2, 1, retain())).toBe(true);
        expect(await store.compareAndSet(v3, 2, retain())).toBe(true);
        expect(await store.compareAndSet({ ...v2, state: 'rejected' }, 1, retain())).toBe(false);
        expect(await store.compareAndSet({ ...v3, state: 'rejected' }, 2, retain())).toBe(false);
        expect(await store.get(record.id)).toEqual(v3);
      });

      it('never creates a record that does not exist', async () => {
        const record = sessionRecord({ now: clock.now() });
        expect(await store.compareAndSet({ ...record, version: 2 }, 1, retain())).toBe(false);
        expect(await store.get(record.id)).toBeNull();
      });

      it('lets exactly one of 100 concurrent transitions from one version win', async () => {
        const record = sessionRecord({ now: clock.now() });
        await store.create(record, retain());
        const candidates = Array.from({ length: 100 }, (_, i) =>
          i % 2 === 0
            ? scannedRecord(record, clock.now())
            : { ...record, state: 'cancelled' as const, version: 2, updatedAt: clock.now() + i },
        );
        const results = await Promise.all(candidates.map((next) => store.compareAndSet(next, 1, retain())));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.get(record.id)).toEqual(candidates[results.indexOf(true)]);
      });

      it('keeps one outcome per session when many sessions race at once', async () => {
        const records = Array.from({ length: 20 }, () => sessionRecord({ now: clock.now() }));
        await Promise.all(records.map((r) => store.create(r, retain())));
        const attempts = records.flatMap((r) =>
          Array.from({ length: 10 }, () => ({ id: r.id, next: scannedRecord(r, clock.now()) })),
        );
        const results = await Promise.all(attempts.map((a) => store.compareAndSet(a.next, 1, retain())));
        for (const r of records) {
          const won = attempts.filter((a, i) => a.id === r.id && results[i]);
          expect(won).toHaveLength(1);
          expect(await store.get(r.id)).toEqual(won[0]?.next);
        }
      });
    });

    describe('retention', () => {
      it('forgets a record at retainUntil, and not before', async () => {
        const record = sessionRecord({ now: clock.now() });
        const until = clock.now() + 2 * WINDOW_MS;
        await store.create(record, until);
        expect(await store.get(record.id)).toEqual(record);
        await clock.advance(until - clock.now() + 100);
        expect(await store.get(record.id)).toBeNull();
        // A forgotten record cannot be moved on either.
        expect(await store.compareAndSet(scannedRecord(record, clock.now()), 1, retain())).toBe(false);
        expect(await store.get(record.id)).toBeNull();
      });

      it('moves retainUntil with every successful compare-and-set', async () => {
        const record = sessionRecord({ now: clock.now() });
        // Two windows, so that a stall between the create and the compare-and-set cannot let the
        // record expire first.
        await store.create(record, clock.now() + 2 * WINDOW_MS);
        const next = scannedRecord(record, clock.now());
        expect(await store.compareAndSet(next, 1, clock.now() + 60_000)).toBe(true);
        await clock.advance(2 * WINDOW_MS + 200);
        expect(await store.get(record.id)).toEqual(next);
      });

      it('keeps retainUntil when a compare-and-set fails', async () => {
        const record = sessionRecord({ now: clock.now() });
        const until = clock.now() + 2 * WINDOW_MS;
        await store.create(record, until);
        expect(await store.compareAndSet(scannedRecord(record, clock.now()), 5, clock.now() + 60_000)).toBe(false);
        await clock.advance(until - clock.now() + 100);
        expect(await store.get(record.id)).toBeNull();
      });

      it('accepts the id again once the record is forgotten', async () => {
        const record = sessionRecord({ now: clock.now() });
        await store.create(record, clock.now() + WINDOW_MS);
        await clock.advance(WINDOW_MS + 100);
        const again = sessionRecord({ now: clock.now(), id: record.id });
        expect(await store.create(again, retain())).toBe(true);
        expect(await store.get(record.id)).toEqual(again);
      });
    });

    describe('hit', () => {
      it('counts hits in one window and reports one reset instant for all of them', async () => {
        const key = `ip:${randomId()}`;
        const before = clock.now();
        const first = await store.hit(key, 60_000);
        const after = clock.now();
        expect(first.count).toBe(1);
        expect(first.resetAt).toBeGreaterThanOrEqual(before + 60_000);
        expect(first.resetAt).toBeLessThanOrEqual(after + 60_000);
        expect(await store.hit(key, 60_000)).toEqual({ count: 2, resetAt: first.resetAt });
        expect(await store.hit(key, 60_000)).toEqual({ count: 3, resetAt: first.resetAt });
      });

      it('keeps counters of different keys apart', async () => {
        const a = `ip:${randomId()}`;
        const b = `device:${randomId()}`;
        await store.hit(a, 60_000);
        await store.hit(a, 60_000);
        expect((await store.hit(b, 60_000)).count).toBe(1);
        expect((await store.hit(a, 60_000)).count).toBe(3);
      });

      it('starts a new window once the old one has passed', async () => {
        const key = `ip:${randomId()}`;
        const first = await store.hit(key, WINDOW_MS);
        expect((await store.hit(key, WINDOW_MS)).count).toBe(2);
        // A whole window of margin: a backend may start the window when the hit reaches it (Redis
        // sets a relative expiry when its script runs), which on a loaded machine can be well after
        // the `now` that `resetAt` was computed from.
        await clock.advance(first.resetAt - clock.now() + WINDOW_MS);
        const fresh = await store.hit(key, WINDOW_MS);
        expect(fresh.count).toBe(1);
        expect(fresh.resetAt).toBeGreaterThan(first.resetAt);
      });

      it('counts every one of many concurrent hits exactly once', async () => {
        const key = `ip:${randomId()}`;
        const results = await Promise.all(Array.from({ length: 60 }, () => store.hit(key, 60_000)));
        expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        expect(new Set(results.map((r) => r.resetAt)).size).toBe(1);
      });

      it('does not share keys with sessions', async () => {
        const record = sessionRecord({ now: clock.now() });
        await store.create(record, retain());
        expect((await store.hit(record.id, 60_000)).count).toBe(1);
        expect(await store.get(record.id)).toEqual(record);
      });
    });

    describe('short codes', () => {
      // Codes are drawn per test: stores under test may share a Redis with other runs.
      const code = () =>
        randomId()
          .replace(/[^A-Z2-9]/g, '')
          .padEnd(8, 'K')
          .slice(0, 8);

      it('maps a code to its session until retainUntil, and keeps the record field', async () => {
        if (!store.addShortCode || !store.findShortCode) return expect.fail('short-code methods missing');
        const c = code();
        const record = { ...sessionRecord({ now: clock.now() }), shortCode: c };
        await store.create(record, retain());
        expect(await store.get(record.id)).toEqual(record);
        const until = clock.now() + 2 * WINDOW_MS;
        expect(await store.addShortCode(c, record.id, until)).toBe(true);
        expect(await store.findShortCode(c)).toBe(record.id);
        expect(await store.findShortCode(code())).toBeNull();
        await clock.advance(until - clock.now() + 100);
        expect(await store.findShortCode(c)).toBeNull();
      });

      it('refuses a code that a live mapping holds, and accepts it again once forgotten', async () => {
        if (!store.addShortCode || !store.findShortCode) return expect.fail('short-code methods missing');
        const c = code();
        const until = clock.now() + 2 * WINDOW_MS;
        expect(await store.addShortCode(c, 'first-session-id-0000', until)).toBe(true);
        expect(await store.addShortCode(c, 'other-session-id-0000', retain())).toBe(false);
        expect(await store.findShortCode(c)).toBe('first-session-id-0000');
        await clock.advance(until - clock.now() + 100);
        expect(await store.addShortCode(c, 'other-session-id-0000', retain())).toBe(true);
        expect(await store.findShortCode(c)).toBe('other-session-id-0000');
      });

      it('lets exactly one of many concurrent claims of one code win', async () => {
        if (!store.addShortCode) return expect.fail('short-code methods missing');
        const c = code();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.addShortCode?.(c, `session-${i}`, retain())),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('keeps codes apart from session ids and counters', async () => {
        if (!store.addShortCode || !store.findShortCode) return expect.fail('short-code methods missing');
        const record = sessionRecord({ now: clock.now() });
        await store.create(record, retain());
        expect(await store.findShortCode(record.id)).toBeNull();
        const c = code();
        await store.hit(c, 60_000);
        expect(await store.findShortCode(c)).toBeNull();
        expect(await store.addShortCode(c, record.id, retain())).toBe(true);
        expect(await store.get(c)).toBeNull();
      });
    });
  });
}
