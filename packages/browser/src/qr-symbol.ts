// A QR symbol holding one byte-mode segment, assembled from `qrcode`'s own building blocks (bit
// buffer, Reed-Solomon encoder, error-correction tables, format bits, mask selection). Not
// `qrcode`'s `create()`: that splits the text into numeric / alphanumeric / kanji / byte segments
// and searches the cheapest mix (segments.js, dijkstrajs, the mode regexes and character tables:
// 3.6 kB of gzip on every page with the element), while what we encode is a URL, bytes almost
// throughout. This is `lib/core/qrcode.js`'s createSymbol for that single segment, and a test holds
// it module for module to `QRCode.create([{ data, mode: 'byte' }])`. `version.js` and `mode.js`
// stay out as well (they pull the regexes back in): the byte-mode header and the version
// information are computed here.
import * as AlignmentPattern from 'qrcode/lib/core/alignment-pattern.js';
import BitBuffer from 'qrcode/lib/core/bit-buffer.js';
import BitMatrix from 'qrcode/lib/core/bit-matrix.js';
import * as ECCode from 'qrcode/lib/core/error-correction-code.js';
import { type EcLevel, H, L, M, Q } from 'qrcode/lib/core/error-correction-level.js';
import * as FinderPattern from 'qrcode/lib/core/finder-pattern.js';
import * as FormatInfo from 'qrcode/lib/core/format-info.js';
import * as MaskPattern from 'qrcode/lib/core/mask-pattern.js';
import ReedSolomonEncoder from 'qrcode/lib/core/reed-solomon-encoder.js';
import { getSymbolSize, getSymbolTotalCodewords } from 'qrcode/lib/core/utils.js';
import type { ErrorCorrectionLevel } from './qr-matrix.js';

/** A built symbol; `modules.data` is row-major, 1 for a dark module. */
export interface QrSymbol {
  version: number;
  maskPattern: number;
  modules: BitMatrix;
}

const dataCodewords = (version: number, level: EcLevel) =>
  getSymbolTotalCodewords(version) - ECCode.getTotalCodewordsCount(version, level);

/**
 * Encodes the UTF-8 bytes of `text` as one byte-mode segment in the smallest version (1–40) that
 * holds it at `level`, with the mask of least penalty: the symbol `qrcode` builds for
 * `[{ data: text, mode: 'byte' }]`. Throws a `RangeError` when even version 40 is too small.
 *
 * @example
 * const { version, modules } = qrSymbol('https://example.com/qrlogin/q/1/V1StGXR8_Z5jdHi6B-myT0', 'M'); // 4, 33×33
 */
export function qrSymbol(text: string, level: ErrorCorrectionLevel): QrSymbol {
  const ecLevel = { L, M, Q, H }[level];
  const bytes = new TextEncoder().encode(text);
  // Mode indicator (4 bits) and a character count of 8 bits up to version 9, 16 from version 10.
  const headerBits = (version: number) => 4 + (version < 10 ? 8 : 16);
  let version = 1;
  while (headerBits(version) + bytes.length * 8 > dataCodewords(version, ecLevel) * 8) {
    if (++version > 40) {
      throw new RangeError(
        `QR text too long: ${bytes.length} bytes of UTF-8, level ${level} holds at most ${dataCodewords(40, ecLevel) - 3}`,
      );
    }
  }

  const buffer = new BitBuffer();
  buffer.put(0b0100, 4); // byte mode
  buffer.put(bytes.length, headerBits(version) - 4);
  for (const byte of bytes) buffer.put(byte, 8);
  // The header is 12 or 20 bits, so the stream ends 4 bits short of a byte boundary, and the
  // 4-bit terminator always fits and aligns it. Pad codewords 0xEC / 0x11 fill the rest.
  buffer.put(0, 4);
  const capacity = dataCodewords(version, ecLevel);
  for (let i = 0; buffer.buffer.length < capacity; i++) buffer.put(i % 2 ? 0x11 : 0xec, 8);

  const modules = new BitMatrix(getSymbolSize(version));
  setupFunctionPatterns(modules, version);
  // Reserve the format area before placing data (its bits are written once the mask is known).
  setupFormatInfo(modules, ecLevel, 0);
  if (version >= 7) setupVersionInfo(modules, version);
  setupData(modules, interleave(new Uint8Array(buffer.buffer), version, ecLevel));
  const maskPattern = MaskPattern.getBestMask(modules, (mask) => setupFormatInfo(modules, ecLevel, mask));
  MaskPattern.applyMask(maskPattern, modules);
  setupFormatInfo(modules, ecLevel, maskPattern);
  return { version, maskPattern, modules };
}

/** Finder patterns with their separators, timing patterns, alignment patterns; all reserved. */
function setupFunctionPatterns(matrix: BitMatrix, version: number): void {
  const size = matrix.size;
  // By Chebyshev distance from the centre: finder dark 0–1, light 2, dark 3, separator light 4.
  for (const [row, col] of FinderPattern.getPositions(version)) {
    for (let r = -1; r <= 7; r++) {
      for (let c = -1; c <= 7; c++) {
        if (row + r < 0 || row + r >= size || col + c < 0 || col + c >= size) continue;
        const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
        matrix.set(row + r, col + c, ring !== 2 && ring !== 4, true);
      }
    }
  }
  for (let i = 8; i < size - 8; i++) {
    matrix.set(i, 6, i % 2 === 0, true);
    matrix.set(6, i, i % 2 === 0, true);
  }
  // After the timing patterns, which alignment patterns overwrite where they cross (version 7+).
  for (const [row, col] of AlignmentPattern.getPositions(version)) {
    for (let r = -2; r <= 2; r++) {
      for (let c = -2; c <= 2; c++) matrix.set(row + r, col + c, Math.max(Math.abs(r), Math.abs(c)) !== 1, true);
    }
  }
}

/** The 15 format bits (level and mask, BCH-protected), twice, and the dark module. */
function setupFormatInfo(matrix: BitMatrix, level: EcLevel, mask: number): void {
  const size = matrix.size;
  const bits = FormatInfo.getEncodedBits(level, mask);
  for (let i = 0; i < 15; i++) {
    const dark = ((bits >> i) & 1) === 1;
    // Down column 8 beside the top-left finder (skipping the timing row), then the bottom-left one.
    matrix.set(i < 6 ? i : i < 8 ? i + 1 : size - 15 + i, 8, dark, true);
    // Along row 8 under the top-right finder, then beside the top-left one (skipping the timing column).
    matrix.set(8, i < 8 ? size - i - 1 : i < 9 ? 15 - i : 14 - i, dark, true);
  }
  matrix.set(size - 8, 8, 1, true);
}

/** Version 7+: the 6-bit version with its 12-bit (18, 6) Golay remainder, in two 6×3 blocks. */
function setupVersionInfo(matrix: BitMatrix, version: number): void {
  let remainder = version;
  for (let i = 0; i < 12; i++) remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1f25);
  const bits = (version << 12) | remainder;
  for (let i = 0; i < 18; i++) {
    const dark = ((bits >> i) & 1) === 1;
    const a = Math.floor(i / 3);
    const b = (i % 3) + matrix.size - 11;
    matrix.set(a, b, dark, true);
    matrix.set(b, a, dark, true);
  }
}

/** Splits the data codewords into blocks, appends each block's Reed-Solomon codewords, interleaves. */
function interleave(data: Uint8Array, version: number, level: EcLevel): Uint8Array {
  const total = getSymbolTotalCodewords(version);
  const blocks = ECCode.getBlocksCount(version, level);
  // Group 1 blocks hold `short` data codewords, the last `total % blocks` blocks one more.
  const longBlocks = total % blocks;
  const short = Math.floor(data.length / blocks);
  const ecCount = Math.floor(total / blocks) - short;
  const rs = new ReedSolomonEncoder(ecCount);
  const dataBlocks: Uint8Array[] = [];
  const ecBlocks: Uint8Array[] = [];
  for (let b = 0, offset = 0; b < blocks; b++) {
    const end = offset + (b < blocks - longBlocks ? short : short + 1);
    const block = data.subarray(offset, end);
    offset = end;
    dataBlocks.push(block);
    ecBlocks.push(rs.encode(block));
  }
  const out = new Uint8Array(total);
  let index = 0;
  for (let i = 0; i <= short; i++) {
    for (const block of dataBlocks) if (i < block.length) out[index++] = block[i]!;
  }
  for (let i = 0; i < ecCount; i++) {
    for (const block of ecBlocks) out[index++] = block[i]!;
  }
  return out;
}

/** Places the codewords, most significant bit first, in the zigzag of two-module columns. */
function setupData(matrix: BitMatrix, data: Uint8Array): void {
  const size = matrix.size;
  let inc = -1;
  let row = size - 1;
  let bit = 0;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col--; // the vertical timing pattern
    for (;;) {
      for (let c = 0; c < 2; c++) {
        if (matrix.isReserved(row, col - c)) continue;
        // Remainder bits past the last codeword stay light.
        matrix.set(row, col - c, ((data[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
        bit++;
      }
      row += inc;
      if (row < 0 || row >= size) {
        row -= inc;
        inc = -inc;
        break;
      }
    }
  }
}
