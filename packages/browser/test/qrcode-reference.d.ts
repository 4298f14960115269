// The one `qrcode` internal the tests read that the package sources do not: the capacity table, an
// oracle for the version boundaries in qr-symbol.test.ts. Without `mode` it answers for byte mode.
declare module 'qrcode/lib/core/version.js' {
  import type { EcLevel } from 'qrcode/lib/core/error-correction-level.js';
  export function getCapacity(version: number, level: EcLevel): number;
}
