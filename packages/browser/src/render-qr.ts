import { type ErrorCorrectionLevel, qrMatrix, qrPathData } from './qr-matrix.js';

/** Options of {@link renderQrSvg}. */
export interface RenderQrOptions {
  /** Width and height in CSS pixels. @default 256 */
  size?: number;
  /** Quiet zone around the code, in modules; the QR standard asks for 4. @default 4 */
  margin?: number;
  /** @default 'M' */
  errorCorrectionLevel?: ErrorCorrectionLevel;
  /** Module colour. Keep it much darker than `light`: cameras need the contrast. @default '#000' */
  dark?: string;
  /** Background colour, quiet zone included. @default '#fff' */
  light?: string;
  /** Accessible name: what the code is for, never its payload. @default 'QR code' */
  label?: string;
  /** Document that creates the nodes. @default globalThis.document */
  document?: Document;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Draws `text` as a QR code in an `<svg role="img">`, built node by node with
 * `createElementNS` / `setAttribute`, so neither the payload nor any option is ever parsed as
 * markup and no inline `style` is written (strict-CSP safe). One `<path>` holds every module,
 * with `shape-rendering="crispEdges"` so modules stay sharp at any zoom. Synchronous; `await` on it
 * is harmless.
 *
 * @example
 * container.replaceChildren(renderQrSvg(session.qrPayload, { size: 240, label: 'Scan to sign in' }));
 */
export function renderQrSvg(text: string, options: RenderQrOptions = {}): SVGSVGElement {
  const margin = options.margin ?? 4;
  const size = options.size ?? 256;
  if (!Number.isInteger(margin) || margin < 0) throw new TypeError(`option "margin" must be a whole number ≥ 0`);
  if (!(size > 0)) throw new TypeError(`option "size" must be a positive number`);
  const doc = options.document ?? globalThis.document;
  const matrix = qrMatrix(text, options.errorCorrectionLevel ?? 'M');
  const side = String(matrix.size + 2 * margin);
  const node = <K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>) => {
    const element = doc.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element;
  };
  const svg = node('svg', {
    viewBox: `0 0 ${side} ${side}`,
    width: String(size),
    height: String(size),
    role: 'img',
    'aria-label': options.label ?? 'QR code',
    'shape-rendering': 'crispEdges',
  });
  svg.append(
    node('rect', { width: side, height: side, fill: options.light ?? '#fff' }),
    node('path', { d: qrPathData(matrix, margin), fill: options.dark ?? '#000' }),
  );
  return svg;
}
