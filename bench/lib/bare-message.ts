import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * What the hand-built baselines sign: the same facts as qrlogin's canonical message (action,
 * session, challenge, device, time) in the plainest encoding, so the floor still pays for one
 * Ed25519 verification per phone request, as any honest implementation must.
 */
export function bareMessage(action: string, sessionId: string, challenge: string, deviceId: string, ts: number) {
  return Buffer.from(`${action}\n${sessionId}\n${challenge}\n${deviceId}\n${ts}`);
}

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A raw base64url Ed25519 public key as a KeyObject. */
export function publicKeyObject(raw: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(raw, 'base64url')]),
    format: 'der',
    type: 'spki',
  });
}

/** Reads a small JSON request body. */
export function readJson(req: import('node:http').IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      try {
        resolve(body ? (JSON.parse(body) as Record<string, unknown>) : {});
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

/** Writes a JSON response. */
export function sendJson(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
