/**
 * The conformance suite every {@link DeviceStore} must pass: unique ids and unique public keys,
 * idempotent revocation that keeps the first instant, per-user listing, and updates (rename,
 * last-used time that only moves forward) that never create a device.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceRecord, DeviceStore } from '../../src/store/types.js';
import { deviceRecord, randomId } from './fixtures.js';

/** What a device-store factory hands the suite for one test. */
export interface DeviceStoreHarness {
  devices: DeviceStore;
  /** Closes the store and removes what the test wrote. */
  cleanup: () => Promise<void>;
}

const byId = (a: DeviceRecord, b: DeviceRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Registers the device-store conformance tests for one backend; `factory` runs before every test.
 *
 * @example
 * testDeviceStore('memoryDeviceStore', async () => {
 *   const devices = memoryDeviceStore();
 *   return { devices, cleanup: async () => devices.close?.() };
 * });
 */
export function testDeviceStore(name: string, factory: () => Promise<DeviceStoreHarness>): void {
  describe(`DeviceStore conformance: ${name}`, () => {
    let devices: DeviceStore;
    let cleanup: () => Promise<void>;
    // Users are random per test so backends shared between tests (one Redis) never mix lists.
    let alice: string;
    let bob: string;
    const now = 1_767_225_600_000;

    beforeEach(async () => {
      const harness = await factory();
      devices = harness.devices;
      cleanup = harness.cleanup;
      alice = `alice-${randomId()}`;
      bob = `bob-${randomId()}`;
    });
    afterEach(async () => {
      await cleanup();
    });

    it('adds a device and reads it back whole', async () => {
      const device = deviceRecord({ userId: alice, now });
      expect(await devices.add(device)).toBe(true);
      expect(await devices.get(device.id)).toEqual(device);
    });

    it('answers null for an unknown device', async () => {
      expect(await devices.get(randomId())).toBeNull();
    });

    it('refuses a duplicate id and writes nothing', async () => {
      const first = deviceRecord({ userId: alice, now });
      const second = deviceRecord({ userId: bob, now, id: first.id });
      expect(await devices.add(first)).toBe(true);
      expect(await devices.add(second)).toBe(false);
      expect(await devices.get(first.id)).toEqual(first);
      expect(await devices.listByUser(bob)).toEqual([]);
    });

    it('refuses a public key that is already registered and writes nothing', async () => {
      const first = deviceRecord({ userId: alice, now });
      const second = deviceRecord({ userId: bob, now, publicKey: first.publicKey });
      expect(await devices.add(first)).toBe(true);
      expect(await devices.add(second)).toBe(false);
      expect(await devices.get(second.id)).toBeNull();
      expect(await devices.listByUser(bob)).toEqual([]);
    });

    it('lets exactly one of many concurrent adds of one public key win', async () => {
      const publicKey = deviceRecord({ userId: alice, now }).publicKey;
      const records = Array.from({ length: 30 }, () => deviceRecord({ userId: alice, now, publicKey }));
      const results = await Promise.all(records.map((r) => devices.add(r)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await devices.listByUser(alice)).toEqual([records[results.indexOf(true)]]);
    });

    it('revokes a device at the given instant', async () => {
      const device = deviceRecord({ userId: alice, now });
      await devices.add(device);
      expect(await devices.revoke(device.id, now + 5_000)).toBe(true);
      expect(await devices.get(device.id)).toEqual({ ...device, revokedAt: now + 5_000 });
    });

    it('revokes idempotently, keeping the first revocation instant', async () => {
      const device = deviceRecord({ userId: alice, now });
      await devices.add(device);
      expect(await devices.revoke(device.id, now + 5_000)).toBe(true);
      expect(await devices.revoke(device.id, now + 9_000)).toBe(true);
      expect((await devices.get(device.id))?.revokedAt).toBe(now + 5_000);
    });

    it('answers false when revoking an unknown device, creating nothing', async () => {
      const id = randomId();
      expect(await devices.revoke(id, now)).toBe(false);
      expect(await devices.get(id)).toBeNull();
    });

    it('keeps a revoked device public key taken', async () => {
      const device = deviceRecord({ userId: alice, now });
      await devices.add(device);
      await devices.revoke(device.id, now + 1);
      expect(await devices.add(deviceRecord({ userId: alice, now, publicKey: device.publicKey }))).toBe(false);
    });

    it('lists every device of a user, revoked ones included, and no one else', async () => {
      const a1 = deviceRecord({ userId: alice, now });
      const a2 = deviceRecord({ userId: alice, now: now + 1 });
      const b1 = deviceRecord({ userId: bob, now });
      for (const d of [a1, a2, b1]) expect(await devices.add(d)).toBe(true);
      await devices.revoke(a2.id, now + 10);
      expect((await devices.listByUser(alice)).sort(byId)).toEqual([a1, { ...a2, revokedAt: now + 10 }].sort(byId));
      expect(await devices.listByUser(bob)).toEqual([b1]);
      expect(await devices.listByUser(`nobody-${randomId()}`)).toEqual([]);
    });

    it('renames a device, keeping every other field', async () => {
      const device = deviceRecord({ userId: alice, now });
      await devices.add(device);
      expect(await devices.update(device.id, { label: 'Work phone 📱' })).toBe(true);
      expect(await devices.get(device.id)).toEqual({ ...device, label: 'Work phone 📱' });
      expect(await devices.listByUser(alice)).toEqual([{ ...device, label: 'Work phone 📱' }]);
    });

    it('records the last-used time, moving it forward only', async () => {
      const device = deviceRecord({ userId: alice, now });
      await devices.add(device);
      expect(await devices.update(device.id, { lastUsedAt: now + 60_000 })).toBe(true);
      expect(await devices.get(device.id)).toEqual({ ...device, lastUsedAt: now + 60_000 });
      expect(await devices.update(device.id, { lastUsedAt: now + 1_000 })).toBe(true);
      expect((await devices.get(device.id))?.lastUsedAt).toBe(now + 60_000);
      expect(await devices.update(device.id, { lastUsedAt: now + 120_000 })).toBe(true);
      expect((await devices.get(device.id))?.lastUsedAt).toBe(now + 120_000);
    });

    it('updates a revoked device without un-revoking it', async () => {
      const device = deviceRecord({ userId: alice, now });
      await devices.add(device);
      await devices.revoke(device.id, now + 5);
      expect(await devices.update(device.id, { label: 'old phone', lastUsedAt: now + 9 })).toBe(true);
      expect(await devices.get(device.id)).toEqual({
        ...device,
        label: 'old phone',
        lastUsedAt: now + 9,
        revokedAt: now + 5,
      });
    });

    it('answers false when updating an unknown device, creating nothing', async () => {
      const id = randomId();
      expect(await devices.update(id, { label: 'ghost', lastUsedAt: now })).toBe(false);
      expect(await devices.get(id)).toBeNull();
    });

    it('keeps both fields of concurrent updates of one device', async () => {
      const device = deviceRecord({ userId: alice, now });
      await devices.add(device);
      await Promise.all([
        devices.update(device.id, { label: 'renamed' }),
        ...Array.from({ length: 10 }, (_, i) => devices.update(device.id, { lastUsedAt: now + i * 1_000 })),
      ]);
      expect(await devices.get(device.id)).toEqual({ ...device, label: 'renamed', lastUsedAt: now + 9_000 });
    });

    it('is not changed by mutating the object written or the object read', async () => {
      const device = deviceRecord({ userId: alice, now });
      const original = { ...device };
      await devices.add(device);
      device.label = 'changed';
      const read = (await devices.get(device.id)) as DeviceRecord;
      read.revokedAt = 1;
      expect(await devices.get(device.id)).toEqual(original);
    });
  });
}
