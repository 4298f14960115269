/**
 * Records every event of a client in order and lets a test wait for one.
 */
import type { QrLoginClient, QrLoginClientEvents } from '../../src/index.js';

type Name = keyof QrLoginClientEvents;
type Payload<N extends Name> = Parameters<QrLoginClientEvents[N]>[0];

const NAMES: Name[] = [
  'session',
  'state',
  'scanned',
  'confirmed',
  'rejected',
  'expired',
  'cancelled',
  'transport',
  'error',
];

export interface Recorder {
  /** Every event so far as `[name, first argument]`. */
  log: [Name, unknown][];
  /** Names only, in order. */
  names(): Name[];
  /** Payloads of every `name` event so far. */
  all<N extends Name>(name: N): Payload<N>[];
  /** The first `name` event (already recorded, or the next one) whose payload passes `match`. */
  waitFor<N extends Name>(name: N, match?: (payload: Payload<N>) => boolean): Promise<Payload<N>>;
}

export function recordEvents(client: QrLoginClient): Recorder {
  const log: [Name, unknown][] = [];
  const waiters: { name: Name; match: (p: never) => boolean; resolve: (p: unknown) => void }[] = [];
  for (const name of NAMES) {
    client.on(name, (payload: unknown, ..._rest: unknown[]) => {
      log.push([name, payload]);
      for (const waiter of [...waiters]) {
        if (waiter.name === name && waiter.match(payload as never)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(payload);
        }
      }
    });
  }
  const all = <N extends Name>(name: N) => log.filter(([n]) => n === name).map(([, payload]) => payload as Payload<N>);
  return {
    log,
    names: () => log.map(([name]) => name),
    all,
    waitFor(name, match = () => true) {
      const found = all(name).find((payload) => match(payload));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => {
        waiters.push({ name, match: match as (p: never) => boolean, resolve: resolve as (p: unknown) => void });
      });
    },
  };
}
