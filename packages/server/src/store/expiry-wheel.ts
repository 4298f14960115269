/**
 * A timing wheel of one-second buckets: memory backends drop what has outlived its time with one
 * sweep a second, touching only the keys that are due, instead of a timer per key (a million
 * waiting sessions must not mean a million timers).
 */
export class ExpiryWheel {
  readonly #buckets = new Map<number, Set<string>>();

  /** Schedules `key` to be checked at `at` (ms since the epoch). Re-adding moves it. */
  add(key: string, at: number): void {
    const second = Math.ceil(at / 1000);
    let bucket = this.#buckets.get(second);
    if (!bucket) {
      bucket = new Set();
      this.#buckets.set(second, bucket);
    }
    bucket.add(key);
  }

  /**
   * Calls `check(key)` for every key scheduled at or before `now` and forgets those buckets. The
   * callback decides whether the key really is due (it may have been re-scheduled later).
   */
  sweep(now: number, check: (key: string) => void): void {
    const due = Math.floor(now / 1000);
    for (const [second, keys] of this.#buckets) {
      if (second > due) continue;
      this.#buckets.delete(second);
      for (const key of keys) check(key);
    }
  }

  clear(): void {
    this.#buckets.clear();
  }
}
