/**
 * The script the Hermes test runs inside the Hermes engine, bundled like a React Native app
 * bundles `@qrlogin/app`. Hermes has no network, so the app's `fetch` is a replay transport: the
 * test (in Node) passes in the server's answers so far; the first request without an answer is
 * printed and the script stops there. Everything is deterministic (fixed clock, injected random
 * bytes, Ed25519), so each run repeats the earlier requests byte for byte and gets one step
 * further, until the whole register → scan → confirm flow has run against the real server.
 */
import {
  createQrLoginApp,
  deviceKeysFromSeed,
  type FetchLike,
  generateDeviceKeys,
  isQrLoginError,
  memoryKeyStore,
  registerDevice,
  signFields,
} from '@qrlogin/app';
import { SIGNING_TEST_VECTOR as V } from '@qrlogin/protocol';
import nacl from 'tweetnacl';

declare const print: (text: string) => void;

/** What the Node side prepends as `var __QRLOGIN_INPUT__ = …`. */
export interface HermesInput {
  /** 32 bytes (hex) the injected randomBytes hands out: the device key seed. */
  randomHex: string;
  /** The device clock, fixed for the whole run. */
  now: number;
  baseUrl: string;
  /** Host credentials for registration. */
  authorization: string;
  /** The user the authorization names, signed into the registration. */
  userId: string;
  /** A login QR code the test's "browser" created. */
  qrText: string;
  /** Server answers to the requests made so far, in order. */
  answers: { status: number; body: string }[];
}

export interface HermesReport {
  globals: Record<string, string>;
  vector: { publicKey: string; signature: string };
  noSecureRandom: string;
  foreignQr: string;
  publicKey: string;
  deviceId?: string;
  request?: { browser: string; os: string; ip: string; codeRequired: boolean; origin: string };
  decision?: { state: string; version: number };
  afterPolyfill: { keysMade: boolean; naclRandom: number[] };
  mathRandomCalls: number;
}

const root = globalThis as unknown as {
  __QRLOGIN_INPUT__: HermesInput;
  __MATH_RANDOM_CALLS__: number;
  crypto?: unknown;
};
const input = root.__QRLOGIN_INPUT__;

function hex(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'no error';
  } catch (err) {
    return isQrLoginError(err) ? err.code : `not a QrLoginError: ${String(err)}`;
  }
}

let answered = 0;
const replay: FetchLike = (url, init) => {
  const answer = input.answers[answered++];
  if (!answer) {
    print(JSON.stringify({ type: 'request', url, init }));
    return new Promise(() => {}); // the run ends here; the test sends this request for real
  }
  return Promise.resolve({
    status: answer.status,
    headers: { get: () => null },
    text: () => Promise.resolve(answer.body),
  });
};

async function main(): Promise<HermesReport> {
  const g = globalThis as unknown as Record<string, unknown>;
  const globals: Record<string, string> = {};
  for (const name of ['crypto', 'TextEncoder', 'TextDecoder', 'URL', 'Buffer', 'fetch']) globals[name] = typeof g[name];

  // The published vector, from the seed, in Hermes.
  const vectorKeys = deviceKeysFromSeed(hex(V.seedHex));
  const vector = { publicKey: vectorKeys.publicKey, signature: signFields(vectorKeys, V.fields) };

  // Hermes has no crypto: without an injected source there must be no key at all.
  const noSecureRandom = codeOf(() => generateDeviceKeys());

  // The device key, from the injected bytes.
  const seed = hex(input.randomHex);
  const keys = generateDeviceKeys({ randomBytes: (length) => seed.slice(0, length) });
  const now = () => input.now;

  const { deviceId } = await registerDevice({
    baseUrl: input.baseUrl,
    keys,
    label: 'Hermes phone',
    userId: input.userId,
    headers: { authorization: input.authorization },
    fetch: replay,
    now,
  });
  const app = createQrLoginApp({
    baseUrl: input.baseUrl,
    deviceId,
    keyStore: memoryKeyStore(keys.seed),
    fetch: replay,
    now,
  });
  const foreignQr = codeOf(() => app.parse('https://evil.example/qrlogin/q/1/V1StGXR8_Z5jdHi6B-myT0'));
  const request = await app.scan(input.qrText);
  const decision = await request.confirm();

  // Import order must not matter: a getRandomValues polyfill installed now, long after tweetnacl
  // and this package were loaded, is picked up at first use (and handed to tweetnacl too).
  let counter = 0;
  root.crypto = {
    getRandomValues: (array: Uint8Array) =>
      array.map(() => {
        counter = (counter + 37) % 251;
        return counter + 1;
      }),
  };
  const keysMade = generateDeviceKeys().publicKey.length === 43;
  const naclRandom = Array.from(nacl.randomBytes(3));

  return {
    globals,
    vector,
    noSecureRandom,
    foreignQr,
    publicKey: keys.publicKey,
    deviceId,
    request: {
      browser: request.requester.browser,
      os: request.requester.os,
      ip: request.requester.ip,
      codeRequired: request.codeRequired,
      origin: request.origin,
    },
    decision: { state: decision.state, version: decision.version },
    afterPolyfill: { keysMade, naclRandom },
    mathRandomCalls: root.__MATH_RANDOM_CALLS__,
  };
}

main().then(
  (report) => print(JSON.stringify({ type: 'done', report })),
  (err: unknown) =>
    print(JSON.stringify({ type: 'error', code: isQrLoginError(err) ? err.code : undefined, message: String(err) })),
);
