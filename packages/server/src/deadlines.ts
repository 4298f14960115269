/**
 * Deadlines checked by the process-wide sweep instead of a timer each: held long-polls and
 * sockets that have not authenticated yet. Precision is the sweep interval (a second), which is
 * all these deadlines need.
 */
export class Deadlines {
  readonly #due = new Map<object, { at: number; onDue: () => void }>();

  /** Calls `onDue` at the first sweep at or after `at`, unless {@link Deadlines.delete}d first. */
  add(key: object, at: number, onDue: () => void): void {
    this.#due.set(key, { at, onDue });
  }

  delete(key: object): void {
    this.#due.delete(key);
  }

  get size(): number {
    return this.#due.size;
  }

  sweep(now: number): void {
    for (const [key, entry] of this.#due) {
      if (entry.at > now) continue;
      this.#due.delete(key);
      entry.onDue();
    }
  }

  /** Fires every pending deadline now (shutdown). */
  flush(): void {
    const entries = [...this.#due.values()];
    this.#due.clear();
    for (const entry of entries) entry.onDue();
  }
}
