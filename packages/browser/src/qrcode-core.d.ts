// The building blocks of `qrcode`'s encoder that `qr-symbol.ts` assembles for a single byte-mode
// segment: not the package's entry (its canvas / PNG / terminal renderers) and not
// `lib/core/qrcode.js` (automatic segmentation). The package has no `exports` map and ships no types
// for these files; the signatures below are the parts we call, as qrcode 1.5 implements them.

declare module 'qrcode/lib/core/bit-buffer.js' {
  export default class BitBuffer {
    buffer: number[];
    put(num: number, length: number): void;
    putBit(bit: boolean | number): void;
    getLengthInBits(): number;
  }
}

declare module 'qrcode/lib/core/bit-matrix.js' {
  /** The module grid: `data` holds 0 / 1 per module, row-major. */
  export default class BitMatrix {
    constructor(size: number);
    size: number;
    data: Uint8Array;
    set(row: number, col: number, value: boolean | number, reserved?: boolean): void;
    isReserved(row: number, col: number): number;
  }
}

declare module 'qrcode/lib/core/reed-solomon-encoder.js' {
  export default class ReedSolomonEncoder {
    constructor(degree: number);
    /** The `degree` error-correction codewords of one block. */
    encode(data: Uint8Array): Uint8Array;
  }
}

declare module 'qrcode/lib/core/error-correction-level.js' {
  /** A level as `qrcode` represents it: its two format-information bits. */
  export interface EcLevel {
    bit: number;
  }
  export const L: EcLevel;
  export const M: EcLevel;
  export const Q: EcLevel;
  export const H: EcLevel;
}

declare module 'qrcode/lib/core/error-correction-code.js' {
  import type { EcLevel } from 'qrcode/lib/core/error-correction-level.js';
  export function getBlocksCount(version: number, level: EcLevel): number;
  export function getTotalCodewordsCount(version: number, level: EcLevel): number;
}

declare module 'qrcode/lib/core/utils.js' {
  export function getSymbolSize(version: number): number;
  export function getSymbolTotalCodewords(version: number): number;
  export function getBCHDigit(data: number): number;
}

declare module 'qrcode/lib/core/finder-pattern.js' {
  /** Top-left corners `[row, col]` of the three finder patterns. */
  export function getPositions(version: number): [number, number][];
}

declare module 'qrcode/lib/core/alignment-pattern.js' {
  /** Centres `[row, col]` of the alignment patterns. */
  export function getPositions(version: number): [number, number][];
}

declare module 'qrcode/lib/core/format-info.js' {
  import type { EcLevel } from 'qrcode/lib/core/error-correction-level.js';
  export function getEncodedBits(level: EcLevel, mask: number): number;
}

declare module 'qrcode/lib/core/mask-pattern.js' {
  import type BitMatrix from 'qrcode/lib/core/bit-matrix.js';
  export function applyMask(pattern: number, data: BitMatrix): void;
  /** Tries the eight masks (calling `setupFormatFunc` with each first) and returns the least penalised. */
  export function getBestMask(data: BitMatrix, setupFormatFunc: (mask: number) => void): number;
}
