import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { canonicalBytes } from '../../packages/protocol/src/index.js';
import { bareMessage } from '../lib/bare-message.js';
import { BENCH_ORIGIN } from '../lib/constants.js';

/** A phone's registered device: its id on the server under test and its private key (PKCS#8 DER, base64). */
export interface BenchDevice {
  deviceId: string;
  pkcs8: string;
}

/** Signs a phone request the way the server under test expects. */
export type Signer = (
  action: 'scan' | 'confirm',
  sessionId: string,
  challenge: string,
  device: { deviceId: string; key: KeyObject },
  timestamp: number,
  /** qrlogin confirm: the digest of the login request the scan returned. */
  contextDigest?: string,
) => string;

/** qrlogin's canonical message (as `@qrlogin/app` signs it) or the baselines' plain one. */
export function signerFor(kind: 'qrlogin' | 'bare'): Signer {
  return (action, sessionId, challenge, device, timestamp, contextDigest) => {
    const bytes =
      kind === 'qrlogin'
        ? canonicalBytes({
            action,
            audience: BENCH_ORIGIN,
            sessionId,
            deviceId: device.deviceId,
            timestamp,
            ...(action === 'confirm' ? { challenge, contextDigest } : {}),
          })
        : bareMessage(action, sessionId, challenge, device.deviceId, timestamp);
    return sign(null, bytes, device.key).toString('base64url');
  };
}

/** Loads the devices the orchestrator registered. */
export function loadDevices(devices: BenchDevice[]): { deviceId: string; key: KeyObject }[] {
  return devices.map((d) => ({
    deviceId: d.deviceId,
    key: createPrivateKey({ key: Buffer.from(d.pkcs8, 'base64'), format: 'der', type: 'pkcs8' }),
  }));
}
