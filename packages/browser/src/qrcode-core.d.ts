// `qrcode`'s encoder alone, without its canvas / PNG / terminal renderers (half the bytes). The
// package has no `exports` map and ships no types for this file; its signature is the one
// @types/qrcode gives `create`.
declare module 'qrcode/lib/core/qrcode.js' {
  import type { QRCode, QRCodeOptions } from 'qrcode';
  export function create(text: string, options?: QRCodeOptions): QRCode;
}
