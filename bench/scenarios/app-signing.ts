import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createSigner } from '../../packages/app/src/create-signer.js';
import { deviceKeysFromSeed, signFields } from '../../packages/app/src/index.js';
import { bundleLikeReactNative } from '../../packages/app/test/helpers/bundle-like-react-native.js';
import { hermesUnavailableReason, runInHermes } from '../../packages/app/test/helpers/hermes.js';
import type { SignBenchReport } from '../../packages/app/test/hermes/sign-bench-entry.js';
import { canonicalBytes, SIGNING_TEST_VECTOR as V } from '../../packages/protocol/src/index.js';
import type { ScenarioResult } from '../lib/result.js';
import { type Row, round } from '../lib/result.js';

const ENTRY = fileURLToPath(new URL('../../packages/app/test/hermes/sign-bench-entry.ts', import.meta.url));
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** The goal of issue 16: a signature must not hold the JS thread longer than this on Hermes. */
const HERMES_SIGN_GOAL_MS = 30;

/** Mean ms of one call of `fn` over `rounds` calls, after one warm-up call. */
function meanMs(rounds: number, fn: () => unknown): number {
  fn();
  const started = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  return (performance.now() - started) / rounds;
}

/** Mean ms of one awaited call of `fn` over `rounds` sequential calls, after one warm-up call. */
async function meanMsAsync(rounds: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const started = performance.now();
  for (let i = 0; i < rounds; i++) await fn();
  return (performance.now() - started) / rounds;
}

/**
 * Scenario 8: what a phone's key derivation and signature cost. `@qrlogin/app` (tweetnacl's fast
 * build) bundled as React Native bundles it and run on the Hermes VM from `hermes-engine-cli`
 * (Hermes 0.12, no JIT), and in V8 the app's WebCrypto path and its tweetnacl fallback next to
 * node:crypto (OpenSSL) as the baseline.
 */
export async function appSigning(rounds = 30): Promise<ScenarioResult> {
  const name = '8 app signing (Hermes, V8)';
  const unavailable = hermesUnavailableReason();
  if (unavailable) throw new Error(unavailable);
  const { code } = await bundleLikeReactNative(ENTRY, ['@qrlogin/source']);
  const { stdout } = await runInHermes(`var __ROUNDS__ = ${rounds};\n${code}`);
  const hermes = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as SignBenchReport;

  const seed = Buffer.from(V.seedHex, 'hex');
  const message = canonicalBytes(V.fields);
  const v8Rounds = rounds * 20;
  let keys = deviceKeysFromSeed(seed);
  // What the app does in Node and browsers: createSigner signs through crypto.subtle's Ed25519
  // (the key imported at the warm-up call, once per signer as once per login request). Measured
  // before the tweetnacl loops, whose garbage otherwise lands in these calls' GC pauses.
  const webCryptoSigner = createSigner({ keys });
  const webCrypto = { signMs: await meanMsAsync(v8Rounds, () => webCryptoSigner(V.fields)) };
  const v8 = {
    deriveMs: meanMs(v8Rounds, () => {
      keys = deviceKeysFromSeed(seed);
    }),
    signMs: meanMs(v8Rounds, () => signFields(keys, V.fields)),
  };
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const openssl = {
    deriveMs: meanMs(v8Rounds, () =>
      createPublicKey(createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })),
    ),
    signMs: meanMs(v8Rounds, () => sign(null, message, privateKey)),
    // The same OpenSSL call with a callback: a thread-pool job and a callback per signature, the
    // hop Node's crypto.subtle.sign also takes, so the two differ by the WebCrypto layer alone.
    asyncSignMs: await meanMsAsync(
      v8Rounds,
      () => new Promise((resolve, reject) => sign(null, message, privateKey, (e, s) => (e ? reject(e) : resolve(s)))),
    ),
  };

  const againstOpenssl = (metric: string, ms: number, opensslMs: number): Row => ({
    scenario: name,
    metric,
    qrlogin: round(ms),
    baseline: round(opensslMs),
    baselineName: 'node:crypto',
    ratio: round(ms / opensslMs),
  });
  const rows: Row[] = [
    {
      scenario: name,
      metric: `Hermes 0.12: one signature, ms (mean of ${rounds})`,
      qrlogin: round(hermes.signMs),
      bar: `< ${HERMES_SIGN_GOAL_MS} ms`,
      pass: hermes.signMs < HERMES_SIGN_GOAL_MS,
    },
    {
      scenario: name,
      metric: `Hermes 0.12: one key derivation, ms (mean of ${rounds})`,
      qrlogin: round(hermes.deriveMs),
    },
    {
      ...againstOpenssl(
        `V8, WebCrypto (what the app uses in Node/browsers): one signature, ms (mean of ${v8Rounds})`,
        webCrypto.signMs,
        openssl.signMs,
      ),
      bar: '≤ 2× node:crypto',
      pass: webCrypto.signMs <= 2 * openssl.signMs,
    },
    {
      ...againstOpenssl(
        `V8, WebCrypto vs node:crypto's asynchronous sign() (thread pool): one signature, ms (mean of ${v8Rounds})`,
        webCrypto.signMs,
        openssl.asyncSignMs,
      ),
      baselineName: 'node:crypto, callback',
    },
    againstOpenssl(
      `V8, tweetnacl (the fallback without WebCrypto Ed25519): one signature, ms (mean of ${v8Rounds})`,
      v8.signMs,
      openssl.signMs,
    ),
    againstOpenssl(`V8: one key derivation, ms (mean of ${v8Rounds})`, v8.deriveMs, openssl.deriveMs),
  ];
  return { name, rows, details: { hermes, v8, webCrypto, openssl } };
}
