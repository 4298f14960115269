/**
 * The few platform APIs this package touches, typed structurally. The package compiles with no DOM
 * and no Node types (`lib: ES2022`, `types: []`) because it must run where neither exists — React
 * Native's Hermes has no `crypto`, `TextEncoder`, `URL` or `Buffer` — so every global it reads is
 * described here, reduced to what is actually used, and read defensively at call time.
 */

/**
 * A value or a promise of it: key stores and hooks may answer synchronously or asynchronously.
 *
 * @example
 * const getSeed = (): Awaitable<Uint8Array | null> => cache ?? vault.read('qrlogin');
 */
export type Awaitable<T> = T | Promise<T>;

/**
 * Fills and returns `length` cryptographically secure random bytes. Never back it with
 * `Math.random`.
 *
 * @example
 * import { getRandomBytes } from 'expo-crypto';
 * const randomBytes: RandomBytes = (length) => getRandomBytes(length);
 */
export type RandomBytes = (length: number) => Uint8Array;

/** The part of a `fetch` `Response` this package reads. */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The part of `RequestInit` this package sends. */
export interface FetchInitLike {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * A `fetch` function: the global one of React Native, browsers and Node 18+ all fit, as do test
 * doubles and instrumented wrappers.
 *
 * @example
 * const app = createQrLoginApp({ baseUrl, deviceId, keyStore, fetch: (url, init) => fetch(url, init) });
 */
export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

/** `globalThis` as far as this package is concerned: every member may be missing. */
/**
 * The part of WebCrypto's `SubtleCrypto` used to sign with Ed25519 natively (Node >= 20, current
 * browsers; not Hermes).
 *
 * @example
 * const subtle: SubtleEd25519Like | undefined = platformGlobals().crypto?.subtle;
 */
export interface SubtleEd25519Like {
  importKey(
    format: 'pkcs8',
    keyData: Uint8Array,
    algorithm: { name: 'Ed25519' },
    extractable: false,
    keyUsages: ['sign'],
  ): Promise<unknown>;
  sign(algorithm: { name: 'Ed25519' }, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

interface PlatformGlobals {
  crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array; subtle?: SubtleEd25519Like };
  fetch?: FetchLike;
  /** The React entry's countdown; React Native, browsers and Node all have it. */
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/**
 * The current global object, viewed through {@link PlatformGlobals}. Read at call time, never at
 * import time, so a polyfill installed after this package was imported is still seen.
 *
 * @example
 * const fetchImpl = options.fetch ?? platformGlobals().fetch;
 */
export function platformGlobals(): PlatformGlobals {
  return globalThis as PlatformGlobals;
}
