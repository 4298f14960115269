import type { StatusSnapshot } from '@qrlogin/protocol';
import type { EventBus, SnapshotListener } from './types.js';

/** Options of {@link memoryBus}. */
export interface MemoryBusOptions {
  /** Receives errors thrown by listeners. @default console.error */
  onListenerError?: (error: unknown) => void;
}

/**
 * The in-process {@link EventBus}: delivers every snapshot to the listeners of its session in this
 * process. Enough for one instance; several instances need a shared bus such as `redisBus()`.
 *
 * @example
 * import { createQrLogin, memoryBus } from '@qrlogin/server';
 * const qr = createQrLogin({ origin: 'https://example.com', bus: memoryBus() });
 */
export function memoryBus(options: MemoryBusOptions = {}): EventBus {
  const onListenerError = options.onListenerError ?? ((err) => console.error('qrlogin: a bus listener threw', err));
  const listeners = new Map<string, Set<SnapshotListener>>();
  return {
    publish(snapshot: StatusSnapshot) {
      const set = listeners.get(snapshot.sessionId);
      if (!set) return;
      for (const listener of [...set]) {
        // The publisher has just won a compare-and-set; one broken listener must neither turn that
        // into an error nor starve the other listeners.
        try {
          listener(snapshot);
        } catch (err) {
          onListenerError(err);
        }
      }
    },
    subscribe(sessionId, listener) {
      let set = listeners.get(sessionId);
      if (!set) {
        set = new Set();
        listeners.set(sessionId, set);
      }
      // Wrap so the same function subscribed twice gets two independent subscriptions.
      const entry: SnapshotListener = (s) => listener(s);
      set.add(entry);
      return () => {
        set.delete(entry);
        if (set.size === 0 && listeners.get(sessionId) === set) listeners.delete(sessionId);
      };
    },
    close() {
      listeners.clear();
    },
  } satisfies EventBus;
}
