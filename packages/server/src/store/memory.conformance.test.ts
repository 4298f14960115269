/**
 * The memory backends against the store and bus conformance suites, on a fake clock so retention
 * and rate-limit windows pass in no time.
 */
import { fakeClock } from '../../test/conformance/clock.js';
import { testDeviceStore } from '../../test/conformance/device-store.js';
import { testEventBus } from '../../test/conformance/event-bus.js';
import { testLoginLedger } from '../../test/conformance/login-ledger.js';
import { testSessionStore } from '../../test/conformance/session-store.js';
import { memoryBus } from './memory-bus.js';
import { memoryDeviceStore } from './memory-device-store.js';
import { memoryLoginLedger } from './memory-login-ledger.js';
import { memoryStore } from './memory-store.js';

testSessionStore('memoryStore', async () => {
  const clock = fakeClock();
  const store = memoryStore({ now: clock.now });
  return { store, clock, cleanup: async () => store.close?.() };
});

testDeviceStore('memoryDeviceStore', async () => {
  const devices = memoryDeviceStore();
  return { devices, cleanup: async () => devices.close?.() };
});

testEventBus('memoryBus', async () => {
  const bus = memoryBus();
  return { bus, cleanup: async () => bus.close?.() };
});

testLoginLedger('memoryLoginLedger', async () => {
  const clock = fakeClock();
  const logins = memoryLoginLedger({ now: clock.now });
  return { logins, clock, cleanup: async () => logins.close?.() };
});
