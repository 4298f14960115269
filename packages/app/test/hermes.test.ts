/**
 * The package on the real Hermes engine, bundled as a React Native app bundles it (see
 * helpers/bundle-like-react-native.ts), driving the real server: the signatures Hermes makes must
 * reproduce the published test vector and be accepted by the server's node:crypto verifier.
 */
import { createPrivateKey, createPublicKey, randomBytes, verify } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { canonicalBytes, decodeBase64Url, SIGNING_TEST_VECTOR as V } from '@qrlogin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLikeReactNative } from './helpers/bundle-like-react-native.js';
import { hermesUnavailableReason, runInHermes } from './helpers/hermes.js';
import { AUTH, startServer, type TestServer } from './helpers/start-server.js';
import type { HermesInput, HermesReport } from './hermes/hermes-entry.js';

const unavailable = hermesUnavailableReason();
// On a laptop without the binary, skip loudly; in CI a missing Hermes must fail, not skip.
const skip = unavailable !== null && process.env.CI !== 'true';
if (skip) console.warn(`[app] skipping the Hermes tests: ${unavailable}`);

const ENTRY = fileURLToPath(new URL('./hermes/hermes-entry.ts', import.meta.url));
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Counts Math.random calls inside Hermes; anything the package does with it is a defect. */
const PRELUDE = 'var __MATH_RANDOM_CALLS__ = 0; Math.random = function () { __MATH_RANDOM_CALLS__++; return 0.5; };\n';

type Output =
  | { type: 'request'; url: string; init: { method: string; headers: Record<string, string>; body: string } }
  | { type: 'done'; report: HermesReport }
  | { type: 'error'; code?: string; message: string };

describe.skipIf(skip)('@qrlogin/app on Hermes', () => {
  let server: TestServer;
  let bundle: string;
  let inputs: string[];

  beforeAll(async () => {
    if (unavailable) throw new Error(`Hermes is required in CI: ${unavailable}`);
    server = await startServer();
    ({ code: bundle, inputs } = await bundleLikeReactNative(ENTRY, ['@qrlogin/source']));
  });
  afterAll(async () => {
    await server?.close();
  });

  async function runFlow(input: HermesInput): Promise<{ report: HermesReport; rounds: number }> {
    for (let round = 1; round <= 6; round++) {
      const { stdout } = await runInHermes(`${PRELUDE}var __QRLOGIN_INPUT__ = ${JSON.stringify(input)};\n${bundle}`);
      const lines = stdout.trim().split('\n');
      const last = JSON.parse(lines[lines.length - 1] ?? '{}') as Output;
      if (last.type === 'done') return { report: last.report, rounds: round };
      if (last.type === 'error') throw new Error(`Hermes run failed: ${last.code ?? ''} ${last.message}`);
      // Hermes asked for a request: make it for real, against the real server.
      const response = await fetch(last.url, last.init);
      input.answers.push({ status: response.status, body: await response.text() });
    }
    throw new Error('the Hermes flow did not finish in 6 rounds');
  }

  it('bundles tweetnacl through its browser entry, with no Node module in the graph', () => {
    expect(inputs.some((path) => path.includes('tweetnacl'))).toBe(true);
    expect(inputs.filter((path) => path.startsWith('node:') || path === 'crypto')).toEqual([]);
  });

  it('registers, scans and confirms from Hermes; the server verifies every signature', async () => {
    const randomHex = randomBytes(32).toString('hex');
    const session = await server.createSession();
    const { report, rounds } = await runFlow({
      randomHex,
      now: Date.now(),
      baseUrl: server.baseUrl,
      authorization: AUTH.alice.authorization,
      userId: 'alice',
      qrText: session.qrPayload,
      answers: [],
    });
    expect(rounds).toBe(4); // register, scan, confirm, then done

    // The engine really is bare: none of these exist on Hermes.
    expect(report.globals).toEqual({
      crypto: 'undefined',
      TextEncoder: 'undefined',
      TextDecoder: 'undefined',
      URL: 'undefined',
      Buffer: 'undefined',
      fetch: 'undefined',
    });

    // The published vector, reproduced in Hermes and verified by node:crypto.
    expect(report.vector).toEqual({ publicKey: V.publicKey, signature: V.signature });
    const vectorKey = createPublicKey({
      key: Buffer.concat([SPKI_PREFIX, Buffer.from(decodeBase64Url(V.publicKey)!)]),
      format: 'der',
      type: 'spki',
    });
    expect(
      verify(null, canonicalBytes(V.fields), vectorKey, Buffer.from(decodeBase64Url(report.vector.signature)!)),
    ).toBe(true);

    // The key came from the injected bytes, exactly as node:crypto derives it.
    const nodeKey = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, Buffer.from(randomHex, 'hex')]),
      format: 'der',
      type: 'pkcs8',
    });
    const nodePublic = createPublicKey(nodeKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
    expect(report.publicKey).toBe(nodePublic.toString('base64url'));

    // The server accepted the registration, the scan and the confirm: its state says so.
    expect(await server.devices.get(report.deviceId!)).toMatchObject({ userId: 'alice', publicKey: report.publicKey });
    expect(report.request).toMatchObject({ ip: '127.0.0.1', origin: server.origin, codeRequired: false });
    expect(report.request?.browser).toMatch(/Firefox/);
    expect(report.decision?.state).toBe('confirmed');
    expect(
      await server.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret }),
    ).toMatchObject({
      userId: 'alice',
      deviceId: report.deviceId,
    });

    // Errors and randomness on Hermes.
    expect(report.noSecureRandom).toBe('NO_SECURE_RANDOM');
    expect(report.foreignQr).toBe('FOREIGN_QR');
    expect(report.afterPolyfill.keysMade).toBe(true);
    expect(report.afterPolyfill.naclRandom).toHaveLength(3);
    expect(report.mathRandomCalls).toBe(0);
  });
});
