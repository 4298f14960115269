/**
 * The package README's example, run as written against a real server with number matching on:
 * twice with the same stores, as an app's first and second launch. Only its `declare`d inputs are
 * supplied (an in-memory SecureStore, the host's token, the scanned text, the typed code) and its
 * example URL is pointed at the test server; `pnpm docs:check` type-checks the same block.
 */
import { readFileSync } from 'node:fs';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSnippets } from '../../../scripts/check-doc-snippets.js';
import * as appExports from '../src/index.js';
import { startServer, type TestServer } from './helpers/start-server.js';

const README = new URL('../README.md', import.meta.url);

/** The README's first ts block as a function of its declared inputs. */
async function readmeExample(baseUrl: string) {
  const snippet = extractSnippets('packages/app/README.md', readFileSync(README, 'utf8'))[0];
  if (!snippet) throw new Error('the README has no ts block');
  const body = snippet.code
    .replace(/^import [^;]*;$/gms, '')
    .replace(/^declare [^;]*;.*$/gm, '')
    .replace("'https://example.com/qrlogin'", JSON.stringify(baseUrl));
  const { code } = await transform(body, { loader: 'ts' });
  const [names, values] = [Object.keys(appExports), Object.values(appExports)];
  const AsyncFunction = (async () => {}).constructor as new (
    ...args: string[]
  ) => (...args: unknown[]) => Promise<void>;
  const run = new AsyncFunction(...names, 'SecureStore', 'appToken', 'userId', 'scannedText', 'askForCode', code);
  return (inputs: { SecureStore: unknown; scannedText: string; askForCode: () => Promise<string> }) =>
    run(...values, inputs.SecureStore, 'token-of-alice', 'alice', inputs.scannedText, inputs.askForCode);
}

describe('the package README example against a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ numberMatching: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('logs in on the first launch and on the second, registering the key only once', async () => {
    // expo-secure-store as the example uses it, in memory; Node's own crypto.getRandomValues plays the polyfill.
    const items = new Map<string, string>();
    const SecureStore = {
      getItemAsync: async (key: string) => items.get(key) ?? null,
      setItemAsync: async (key: string, value: string) => void items.set(key, value),
      deleteItemAsync: async (key: string) => void items.delete(key),
    };
    const example = await readmeExample(server.baseUrl);

    const deviceIds: string[] = [];
    for (const launch of [1, 2]) {
      const session = await server.createSession();
      await example({
        SecureStore,
        scannedText: session.qrPayload,
        askForCode: async () => (await server.poll(session)).code ?? '',
      });
      const login = await server.qr.redeem(session);
      expect(login, `launch ${launch}`).toMatchObject({ userId: 'alice' });
      deviceIds.push(login.deviceId);
    }
    expect(deviceIds[1]).toBe(deviceIds[0]);
    expect(items.get('qrlogin.device-id')).toBe(deviceIds[0]);
    expect(await server.devices.listByUser('alice')).toHaveLength(1);
  });
});
