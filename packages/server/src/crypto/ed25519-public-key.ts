/**
 * Registration-time checks of an Ed25519 public key, done once so that verification can stay
 * strict and simple: the 32 bytes must be a canonical encoding of a point on the curve that is not
 * of small order. A small-order key lets one signature verify for many messages (and for every
 * key of the same small-order class), so such keys are refused outright.
 *
 * Written with BigInt rather than pulled from a library: it runs once per device registration,
 * never on a hot path, and is short enough to read against RFC 8032 §5.1.3.
 */

const P = 2n ** 255n - 19n;
const D = mod(-121665n * inverse(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

function mod(a: bigint): bigint {
  const r = a % P;
  return r >= 0n ? r : r + P;
}

function pow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = mod(result * b);
    b = mod(b * b);
    e >>= 1n;
  }
  return result;
}

function inverse(a: bigint): bigint {
  return pow(a, P - 2n);
}

type Point = { x: bigint; y: bigint };

/** RFC 8032 §5.1.3 point decoding; `null` for non-canonical encodings and points off the curve. */
function decodePoint(bytes: Uint8Array): Point | null {
  if (bytes.length !== 32) return null;
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(bytes[i] as number);
  const sign = y >> 255n;
  y &= (1n << 255n) - 1n;
  if (y >= P) return null;
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 === u) {
    // x is a square root
  } else if (vx2 === mod(-u)) {
    x = mod(x * SQRT_M1);
  } else {
    return null;
  }
  if (x === 0n && sign === 1n) return null;
  if ((x & 1n) !== sign) x = P - x;
  return { x, y };
}

function add(a: Point, b: Point): Point {
  const t = mod(D * a.x * b.x * a.y * b.y);
  return {
    x: mod((a.x * b.y + a.y * b.x) * inverse(1n + t)),
    y: mod((a.y * b.y + a.x * b.x) * inverse(1n - t)),
  };
}

/** Why a public key was refused, or `null` when it is usable. */
export type PublicKeyProblem = 'wrong-length' | 'not-on-curve' | 'small-order';

/**
 * Checks a raw 32-byte Ed25519 public key.
 *
 * @example
 * checkEd25519PublicKey(new Uint8Array(32)) // 'small-order' (a point of order 4)
 */
export function checkEd25519PublicKey(bytes: Uint8Array): PublicKeyProblem | null {
  if (bytes.length !== 32) return 'wrong-length';
  const point = decodePoint(bytes);
  if (!point) return 'not-on-curve';
  // Multiply by the cofactor 8: a small-order point lands on the identity (0, 1).
  let q = point;
  for (let i = 0; i < 3; i++) q = add(q, q);
  if (q.x === 0n && q.y === 1n) return 'small-order';
  return null;
}
