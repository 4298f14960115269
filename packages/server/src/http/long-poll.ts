import type { QrLoginError, StatusSnapshot } from '@qrlogin/protocol';
import type { Context } from '../context.js';
import { snapshotOf } from '../state-machine.js';
import type { SessionRecord } from '../store/types.js';

/**
 * Holds a long-poll until the session's version passes `after`, the hold time ends (answered with
 * the unchanged snapshot, and the client asks again), the client goes away, or the server closes.
 */
export async function waitForChange(
  ctx: Context,
  record: SessionRecord,
  after: number,
  signal: AbortSignal | undefined,
): Promise<StatusSnapshot> {
  const { options, watchers, polls } = ctx;
  let finish!: (snapshot: StatusSnapshot) => void;
  let fail!: (error: QrLoginError) => void;
  const done = new Promise<StatusSnapshot>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const key = {};
  let last = snapshotOf(record, options.now());
  const watcher = {
    deliver(snapshot: StatusSnapshot) {
      if (snapshot.version > last.version || snapshot.state !== last.state) last = snapshot;
      if (snapshot.version > after) finish(snapshot);
    },
    fail: (error: QrLoginError) => fail(error),
  };
  await watchers.watch(record.id, watcher, record.expiresAt);
  // Read again now that the subscription is live: a change between the first read and the
  // subscription would otherwise be missed.
  const fresh = await options.store.get(record.id);
  if (!fresh) watchers.gone(record.id);
  else {
    const snapshot = snapshotOf(fresh, options.now());
    last = snapshot;
    if (snapshot.version > after) finish(snapshot);
  }
  polls.add(key, options.now() + options.longPollSeconds * 1000, () => finish({ ...last, serverTime: options.now() }));
  const onAbort = () => finish(last);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await done;
  } finally {
    polls.delete(key);
    signal?.removeEventListener('abort', onAbort);
    watchers.unwatch(record.id, watcher);
  }
}
