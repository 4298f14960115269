/**
 * The Hermes half of `pnpm bench --only=8`: derives the device key from a seed and signs a confirm
 * the way `@qrlogin/app` does on a phone, `__ROUNDS__` times each, and prints the mean cost of one
 * derivation and one signature in ms. Bundled like a React Native app bundles the package.
 */
import { deviceKeysFromSeed, signFields } from '@qrlogin/app';
import { SIGNING_TEST_VECTOR as V } from '@qrlogin/protocol';

declare const print: (text: string) => void;
declare const __ROUNDS__: number;

/** What the script prints (one JSON line). */
export interface SignBenchReport {
  rounds: number;
  deriveMs: number;
  signMs: number;
}

const seed = new Uint8Array(32).map((_, i) => i);
// Warm-up, so the first call's lazy compilation is not counted.
let keys = deviceKeysFromSeed(seed);
signFields(keys, V.fields);

let started = Date.now();
for (let i = 0; i < __ROUNDS__; i++) keys = deviceKeysFromSeed(seed);
const deriveMs = (Date.now() - started) / __ROUNDS__;

started = Date.now();
for (let i = 0; i < __ROUNDS__; i++) signFields(keys, V.fields);
const signMs = (Date.now() - started) / __ROUNDS__;

const report: SignBenchReport = { rounds: __ROUNDS__, deriveMs, signMs };
print(JSON.stringify(report));
