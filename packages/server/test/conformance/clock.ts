/**
 * The time seam of the conformance suites. A backend whose clock can be injected (the memory
 * stores take `now`) passes a fake clock, so retention and rate-limit windows are tested in no
 * time; a backend that keeps time itself (Redis expires keys on its own clock) runs on the real
 * one, with windows long enough that a slow shared machine cannot make a test flaky.
 */

/** A clock the suites read and move. */
export interface ConformanceClock {
  /** Current time, ms since the epoch, on the same clock the backend uses. */
  now(): number;
  /** Lets `ms` milliseconds pass for the backend. */
  advance(ms: number): Promise<void>;
}

/**
 * The real clock: `Date.now` and a real sleep.
 *
 * @example
 * const clock = realClock();
 * await clock.advance(1_100);
 */
export function realClock(): ConformanceClock {
  return {
    now: () => Date.now(),
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/**
 * A fake clock that starts at `start` and moves only when told; pass `clock.now` to a backend that
 * accepts a clock.
 *
 * @example
 * const clock = fakeClock();
 * const store = memoryStore({ now: clock.now });
 * await clock.advance(60_000);
 */
export function fakeClock(start = 1_767_225_600_000): ConformanceClock {
  let t = start;
  return {
    now: () => t,
    advance: async (ms) => {
      t += ms;
    },
  };
}
