/**
 * The conformance suite every {@link LinkedBrowserStore} must pass: lookup by hash, one record per
 * hash, expiry, removal of one token and of every token of a user.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinkedBrowserRecord, LinkedBrowserStore } from '../../src/store/types.js';
import type { ConformanceClock } from './clock.js';
import { randomId } from './fixtures.js';

/** What a linked-browser-store factory hands the suite for one test. */
export interface LinkedBrowserStoreHarness {
  linkedBrowsers: LinkedBrowserStore;
  /** The clock the store expires records on. */
  clock: ConformanceClock;
  cleanup: () => Promise<void>;
}

/**
 * Registers the linked-browser-store conformance tests for one backend; `factory` runs before every test.
 *
 * @example
 * testLinkedBrowserStore('memoryLinkedBrowserStore', async () => {
 *   const clock = fakeClock();
 *   const linkedBrowsers = memoryLinkedBrowserStore({ now: clock.now });
 *   return { linkedBrowsers, clock, cleanup: async () => linkedBrowsers.close?.() };
 * });
 */
export function testLinkedBrowserStore(name: string, factory: () => Promise<LinkedBrowserStoreHarness>): void {
  describe(`LinkedBrowserStore conformance: ${name}`, () => {
    let store: LinkedBrowserStore;
    let clock: ConformanceClock;
    let cleanup: () => Promise<void>;
    let alice: string;
    let bob: string;

    beforeEach(async () => {
      ({ linkedBrowsers: store, clock, cleanup } = await factory());
      alice = `alice-${randomId()}`;
      bob = `bob-${randomId()}`;
    });
    afterEach(async () => cleanup());

    const record = (userId: string, ttlMs = 60_000): LinkedBrowserRecord => ({
      tokenHash: randomBytes(32).toString('hex'),
      userId,
      loginId: randomBytes(16).toString('base64url').slice(0, 22),
      createdAt: clock.now(),
      expiresAt: clock.now() + ttlMs,
    });

    it('stores a record and reads it back by its hash; an unknown hash is null', async () => {
      const a = record(alice);
      expect(await store.add(a)).toBe(true);
      expect(await store.get(a.tokenHash)).toEqual(a);
      expect(await store.get(randomBytes(32).toString('hex'))).toBeNull();
    });

    it('refuses a second record with the same hash and keeps the first', async () => {
      const a = record(alice);
      expect(await store.add(a)).toBe(true);
      expect(await store.add({ ...a, userId: bob })).toBe(false);
      expect((await store.get(a.tokenHash))?.userId).toBe(alice);
    });

    it('is not changed by mutating the object written or read', async () => {
      const a = record(alice);
      await store.add(a);
      a.userId = bob;
      const read = (await store.get(a.tokenHash)) as LinkedBrowserRecord;
      read.userId = bob;
      expect((await store.get(a.tokenHash))?.userId).toBe(alice);
    });

    it('answers null once a record is past expiresAt', async () => {
      const a = record(alice, 1_000);
      await store.add(a);
      await clock.advance(1_500);
      expect(await store.get(a.tokenHash)).toBeNull();
    });

    it('removes one token, once', async () => {
      const [a, b] = [record(alice), record(alice)];
      await store.add(a);
      await store.add(b);
      expect(await store.remove(a.tokenHash)).toBe(true);
      expect(await store.remove(a.tokenHash)).toBe(false);
      expect(await store.get(a.tokenHash)).toBeNull();
      expect(await store.get(b.tokenHash)).toEqual(b);
    });

    it("removes every token of one user and no other user's", async () => {
      const mine = [record(alice), record(alice), record(alice)];
      const theirs = record(bob);
      for (const r of [...mine, theirs]) await store.add(r);
      await store.remove(mine[0]?.tokenHash as string);
      expect(await store.removeByUser(alice)).toBe(2);
      for (const r of mine) expect(await store.get(r.tokenHash)).toBeNull();
      expect(await store.get(theirs.tokenHash)).toEqual(theirs);
      expect(await store.removeByUser(alice)).toBe(0);
    });
  });
}
