import { qrSymbol } from './qr-symbol.js';

/** Error-correction level: L 7 %, M 15 %, Q 25 %, H 30 % of the code may be damaged. */
export type ErrorCorrectionLevel = 'L' | 'M' | 'Q' | 'H';

/** The modules of a QR code, without the quiet zone. */
export interface QrMatrix {
  /** Modules per side. */
  size: number;
  /** Row-major, `size * size` entries, 1 for a dark module. */
  modules: Uint8Array;
}

/**
 * Encodes `text` as a QR code and returns its module matrix: the DOM-free half of
 * {@link renderQrSvg}, for tests, canvases or server-side rendering. The text is encoded as UTF-8
 * in byte mode, in the smallest version that holds it; a `RangeError` says when it is too long for
 * any (2,331 bytes at level M). Level `M` is the default: a login URL stays at version 4
 * (33 modules), large enough per module for phone cameras, while surviving glare and a screen's
 * moiré.
 *
 * @example
 * const { size, modules } = qrMatrix('https://example.com/qrlogin/q/1/V1StGXR8_Z5jdHi6B-myT0');
 * const dark = modules[row * size + col] === 1;
 */
export function qrMatrix(text: string, errorCorrectionLevel: ErrorCorrectionLevel = 'M'): QrMatrix {
  if (typeof text !== 'string' || text === '') throw new TypeError('QR text must be a non-empty string');
  if (!['L', 'M', 'Q', 'H'].includes(errorCorrectionLevel)) {
    throw new TypeError(`option "errorCorrectionLevel" must be L, M, Q or H, got "${errorCorrectionLevel}"`);
  }
  const { modules } = qrSymbol(text, errorCorrectionLevel);
  return { size: modules.size, modules: modules.data };
}

/**
 * SVG path data drawing every dark module, one rectangle per horizontal run, offset by `margin`
 * modules of quiet zone. Built from numbers only, so it is safe to set as an attribute.
 *
 * @example
 * path.setAttribute('d', qrPathData(qrMatrix(text), 4));
 */
export function qrPathData(matrix: QrMatrix, margin: number): string {
  const { size, modules } = matrix;
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!modules[y * size + x]) continue;
      const start = x;
      while (x + 1 < size && modules[y * size + x + 1]) x++;
      const run = x - start + 1;
      d += `M${start + margin} ${y + margin}h${run}v1h-${run}z`;
    }
  }
  return d;
}
