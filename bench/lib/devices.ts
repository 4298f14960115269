import { generateKeyPairSync } from 'node:crypto';
import type { BenchDevice } from '../load/signer.js';
import type { Child } from './spawn-child.js';

/** Fresh Ed25519 device keys: raw public keys for the server, PKCS#8 private keys for the phones. */
export function newDeviceKeys(count: number): { publicKey: string; pkcs8: string }[] {
  return Array.from({ length: count }, () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    return {
      publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64url'),
      pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    };
  });
}

/** Registers the keys on a server (qrlogin's `registerDevice`, or a baseline's map) and returns the phones' view. */
export async function registerDevices(
  server: Child,
  keys: { publicKey: string; pkcs8: string }[],
): Promise<BenchDevice[]> {
  const ids = await server.call<string[]>('registerDevices', { publicKeys: keys.map((k) => k.publicKey) });
  return ids.map((deviceId, i) => ({ deviceId, pkcs8: (keys[i] as { pkcs8: string }).pkcs8 }));
}
