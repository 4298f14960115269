/**
 * QR rendering read back by a real decoder (jsQR): the module matrix, and the SVG that
 * `renderQrSvg` builds, rasterised here from its path data.
 */
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { type QrMatrix, qrMatrix, qrPathData, renderQrSvg } from '../src/index.js';

const PAYLOADS = [
  'https://example.com/qrlogin/q/1/V1StGXR8_Z5jdHi6B-myT0',
  'http://127.0.0.1:54321/qrlogin/q/1/abcdefghijklmnopqrstuv',
  'https://login.example.co.jp/auth/qr/q/1/_-_-_-_-_-_-_-_-_-_-_-',
];

/** Dark modules → black pixels, `scale` pixels per module, `margin` light modules around. */
function rasterize(dark: (x: number, y: number) => boolean, modules: number, margin: number, scale = 4) {
  const side = (modules + 2 * margin) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - margin;
      const my = Math.floor(y / scale) - margin;
      if (mx >= 0 && my >= 0 && mx < modules && my < modules && dark(mx, my)) {
        pixels.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
      }
    }
  }
  return { pixels, side };
}

function decodeMatrix(matrix: QrMatrix): string | undefined {
  const { pixels, side } = rasterize((x, y) => matrix.modules[y * matrix.size + x] === 1, matrix.size, 4);
  return jsQR(pixels, side, side)?.data;
}

/** A document just big enough for renderQrSvg: records elements and attributes. */
interface FakeNode {
  namespaceURI: string;
  tagName: string;
  attributes: Record<string, string>;
  children: FakeNode[];
}
const fakeDocument = {
  createElementNS(namespaceURI: string, tagName: string) {
    const node = {
      namespaceURI,
      tagName,
      attributes: {} as Record<string, string>,
      children: [] as FakeNode[],
      setAttribute(name: string, value: string) {
        node.attributes[name] = value;
      },
      append(...children: FakeNode[]) {
        node.children.push(...children);
      },
    };
    return node;
  },
} as unknown as Document;

describe('qrMatrix', () => {
  it.each(PAYLOADS)('decodes back to the payload: %s', (payload) => {
    expect(decodeMatrix(qrMatrix(payload))).toBe(payload);
  });

  it.each(['L', 'M', 'Q', 'H'] as const)(
    'decodes at error-correction level %s; higher levels need more modules',
    (level) => {
      const matrix = qrMatrix(PAYLOADS[0]!, level);
      expect(decodeMatrix(matrix)).toBe(PAYLOADS[0]);
      expect(matrix.modules).toHaveLength(matrix.size * matrix.size);
    },
  );

  // Version 7 and up carry version information; 2,331 bytes is the most level M holds (version 40).
  it.each([150, 400, 1000, 2331])('decodes %i bytes of URL, past the versions a short login URL needs', (bytes) => {
    const payload = `https://login.example.com/${'qrlogin/q/1/V1StGXR8_Z5jdHi6B-myT0/'.repeat(70)}`.slice(0, bytes);
    const matrix = qrMatrix(payload);
    expect(matrix.size).toBeGreaterThanOrEqual(45);
    expect(decodeMatrix(matrix)).toBe(payload);
  });

  it('decodes text beyond ASCII: the bytes are UTF-8', () => {
    const payload = 'https://例え.jp/ログイン/q/1/V1StGXR8_Z5jdHi6B-myT0?名前=二维码';
    expect(decodeMatrix(qrMatrix(payload))).toBe(payload);
  });

  it('keeps a login URL at version 4 (33 modules) with the default level M', () => {
    expect(qrMatrix(PAYLOADS[0]!).size).toBe(33);
    expect(qrMatrix(PAYLOADS[0]!, 'H').size).toBeGreaterThan(33);
  });

  it('still decodes with a corner of the data area damaged, thanks to level M', () => {
    const matrix = qrMatrix(PAYLOADS[0]!);
    const damaged = { size: matrix.size, modules: matrix.modules.slice() };
    // Flip a 3×3 block of data modules left of the bottom-right alignment area.
    for (let y = 20; y < 23; y++) {
      for (let x = 12; x < 15; x++) damaged.modules[y * matrix.size + x] = matrix.modules[y * matrix.size + x] ? 0 : 1;
    }
    expect(damaged.modules).not.toEqual(matrix.modules);
    expect(decodeMatrix(damaged)).toBe(PAYLOADS[0]);
  });

  it('refuses empty text and unknown levels with a TypeError, too much text with a RangeError', () => {
    expect(() => qrMatrix('')).toThrow(TypeError);
    expect(() => qrMatrix('x', 'X' as 'L')).toThrow(/errorCorrectionLevel/);
    expect(() => qrMatrix('x'.repeat(2332))).toThrowError(/^QR text too long: 2332 bytes .* at most 2331$/);
    expect(() => renderQrSvg('x'.repeat(2332), { document: fakeDocument })).toThrow(RangeError);
  });
});

describe('renderQrSvg', () => {
  it('builds one path whose modules decode back to the payload, with a 4-module quiet zone', () => {
    const payload = PAYLOADS[1]!;
    const svg = renderQrSvg(payload, { document: fakeDocument }) as unknown as FakeNode;
    const [rect, path] = svg.children;
    const size = qrMatrix(payload).size;
    const side = size + 8;
    expect(svg.attributes.viewBox).toBe(`0 0 ${side} ${side}`);
    expect(rect?.attributes).toMatchObject({ width: String(side), height: String(side), fill: '#fff' });

    const dark = new Set<string>();
    for (const [, x, y, run] of path!.attributes.d!.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      for (let i = 0; i < Number(run); i++) dark.add(`${Number(x) + i},${y}`);
    }
    // Nothing is drawn inside the quiet zone.
    for (const key of dark) {
      const [x, y] = key.split(',').map(Number) as [number, number];
      expect(x >= 4 && y >= 4 && x < side - 4 && y < side - 4).toBe(true);
    }
    const { pixels, side: px } = rasterize((x, y) => dark.has(`${x + 4},${y + 4}`), size, 4);
    expect(jsQR(pixels, px, px)?.data).toBe(payload);
  });

  it('labels the image by purpose, never by payload, and sets only safe attributes', () => {
    const payload = PAYLOADS[0]!;
    const svg = renderQrSvg(payload, {
      document: fakeDocument,
      label: 'Scan to sign in',
      size: 200,
    }) as unknown as FakeNode;
    expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(svg.attributes).toMatchObject({
      role: 'img',
      'aria-label': 'Scan to sign in',
      width: '200',
      height: '200',
      'shape-rendering': 'crispEdges',
    });
    const everything = JSON.stringify(svg);
    expect(everything).not.toContain('V1StGXR8');
    expect(everything).not.toContain('style');
    expect(svg.children.map((c) => c.tagName)).toEqual(['rect', 'path']);
  });

  it('takes colours and margin from the options', () => {
    const svg = renderQrSvg('hello', {
      document: fakeDocument,
      dark: '#123',
      light: 'ivory',
      margin: 0,
    }) as unknown as FakeNode;
    const size = qrMatrix('hello').size;
    expect(svg.attributes.viewBox).toBe(`0 0 ${size} ${size}`);
    expect(svg.children[0]?.attributes.fill).toBe('ivory');
    expect(svg.children[1]?.attributes.fill).toBe('#123');
    expect(svg.children[1]?.attributes.d?.startsWith('M0 0h7')).toBe(true); // the finder pattern's top row
  });

  it('refuses a bad margin or size with a TypeError naming the option', () => {
    expect(() => renderQrSvg('x', { document: fakeDocument, margin: -1 })).toThrow(/margin/);
    expect(() => renderQrSvg('x', { document: fakeDocument, margin: 1.5 })).toThrow(/margin/);
    expect(() => renderQrSvg('x', { document: fakeDocument, size: 0 })).toThrow(/size/);
  });
});

describe('qrPathData', () => {
  it('draws one rectangle per horizontal run of dark modules', () => {
    const matrix: QrMatrix = { size: 3, modules: Uint8Array.from([1, 1, 0, 0, 0, 0, 1, 0, 1]) };
    expect(qrPathData(matrix, 2)).toBe('M2 2h2v1h-2zM2 4h1v1h-1zM4 4h1v1h-1z');
  });
});
