import { isShortCode } from './ids.js';

/**
 * What a user may type for a short code and still mean it: any case, spaces, dashes and dots
 * between the symbols. Look-alikes of the letters the alphabet leaves out are not mapped (an `O`
 * typed for a `0` that the alphabet never shows) — such input is refused, never guessed at.
 *
 * @example
 * normalizeShortCode(' k7m2-q9rt ') // 'K7M2Q9RT'
 * normalizeShortCode('K7M2Q9R0') // undefined (0 is not in the alphabet)
 */
export function normalizeShortCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 32) return undefined;
  const code = input.replace(/[\s.\-\u2010-\u2015]/g, '').toUpperCase();
  return isShortCode(code) ? code : undefined;
}

/**
 * A canonical short code as it is shown: two groups of four, `K7M2-Q9RT`, easier to read aloud
 * and to type than eight symbols in a row.
 *
 * @example
 * formatShortCode('K7M2Q9RT') // 'K7M2-Q9RT'
 */
export function formatShortCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
