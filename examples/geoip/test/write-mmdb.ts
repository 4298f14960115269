/**
 * A minimal MaxMind DB (format 2.0) writer, for test fixtures only: the real GeoLite2 files are
 * licensed and large, so the tests build a tiny database with the same record shape and read it with
 * the real `maxmind` reader. Writes an IPv6 tree (IPv4 networks live under `::/96`, as in MaxMind's
 * own files) with 24-bit records, no pointers or deduplication in the data section.
 *
 * Spec: "MaxMind DB File Format Specification", version 2.0.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** A value the writer can encode. Integers become uint32, other numbers doubles. */
export type MmdbValue = string | number | boolean | MmdbValue[] | { [key: string]: MmdbValue };

/** One network and its record, e.g. `{ network: '198.51.100.0/24', data: { city: … } }`. */
export interface MmdbNetwork {
  network: string;
  data: { [key: string]: MmdbValue };
}

const RECORD_BITS = 24;
const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'); // "\xAB\xCD\xEFMaxMind.com"

function ipv6Bits(address: string): number[] {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = (v4[1] as string).split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -(v4[1] as string).length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...new Array<string>(tail === undefined ? 0 : 8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g || '0', 16);
    return Array.from({ length: 16 }, (_, i) => (n >> (15 - i)) & 1);
  });
}

/** The network's prefix as bits of the 128-bit tree. */
function prefixBits(network: string): number[] {
  const [address, lengthText] = network.split('/') as [string, string | undefined];
  if (isIPv4(address)) {
    const length = Number(lengthText ?? 32);
    const bits = address
      .split('.')
      .map(Number)
      .flatMap((n) => Array.from({ length: 8 }, (_, i) => (n >> (7 - i)) & 1));
    return [...new Array<number>(96).fill(0), ...bits.slice(0, length)];
  }
  if (isIPv6(address)) return ipv6Bits(address).slice(0, Number(lengthText ?? 128));
  throw new TypeError(`not a network: ${network}`);
}

interface TreeNode {
  children: [TreeNode | number | null, TreeNode | number | null];
}

function sizePrefix(type: number, size: number): Buffer {
  const extended = type > 7;
  const head: number[] = [];
  let tail: number[] = [];
  let bits: number;
  if (size < 29) bits = size;
  else if (size < 29 + 256) {
    bits = 29;
    tail = [size - 29];
  } else if (size < 285 + 65536) {
    bits = 30;
    tail = [((size - 285) >> 8) & 0xff, (size - 285) & 0xff];
  } else {
    bits = 31;
    const n = size - 65821;
    tail = [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  }
  head.push(((extended ? 0 : type) << 5) | bits);
  if (extended) head.push(type - 7);
  return Buffer.from([...head, ...tail]);
}

function unsigned(type: number, value: number | bigint): Buffer {
  const bytes: number[] = [];
  let n = BigInt(value);
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return Buffer.concat([sizePrefix(type, bytes.length), Buffer.from(bytes)]);
}

/** Encodes one value of the data section. */
export function encodeValue(value: MmdbValue | bigint): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([sizePrefix(2, bytes.length), bytes]);
  }
  if (typeof value === 'bigint') return unsigned(9, value);
  if (typeof value === 'boolean') return sizePrefix(14, value ? 1 : 0);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return unsigned(6, value);
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value);
    return Buffer.concat([sizePrefix(3, 8), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([sizePrefix(11, value.length), ...value.map(encodeValue)]);
  const entries = Object.entries(value);
  return Buffer.concat([
    sizePrefix(7, entries.length),
    ...entries.flatMap(([k, v]) => [encodeValue(k), encodeValue(v)]),
  ]);
}

function encodeUint16(value: number): Buffer {
  return unsigned(5, value);
}

/**
 * Builds a MaxMind DB file in memory.
 *
 * @example
 * const db = writeMmdb([{ network: '198.51.100.0/24', data: { country: { iso_code: 'DE' } } }]);
 * await writeFile('fixture.mmdb', db);
 */
export function writeMmdb(networks: MmdbNetwork[], databaseType = 'GeoLite2-City'): Buffer {
  // Data section first: each network's record at a known offset.
  const dataParts: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const { data } of networks) {
    const encoded = encodeValue(data);
    offsets.push(offset);
    dataParts.push(encoded);
    offset += encoded.length;
  }

  const root: TreeNode = { children: [null, null] };
  networks.forEach(({ network }, index) => {
    const bits = prefixBits(network);
    let node = root;
    bits.forEach((bit, depth) => {
      const slot = bit as 0 | 1;
      if (depth === bits.length - 1) {
        if (node.children[slot] !== null) throw new Error(`overlapping network ${network}`);
        node.children[slot] = index;
        return;
      }
      const next = node.children[slot];
      if (typeof next === 'number') throw new Error(`overlapping network ${network}`);
      if (next === null) {
        const created: TreeNode = { children: [null, null] };
        node.children[slot] = created;
        node = created;
      } else node = next;
    });
  });

  // Number nodes breadth-first, then write each as two big-endian 24-bit records.
  const order: TreeNode[] = [];
  const numbers = new Map<TreeNode, number>();
  for (let queue = [root]; queue.length > 0; ) {
    const node = queue.shift() as TreeNode;
    numbers.set(node, order.length);
    order.push(node);
    for (const child of node.children) if (child !== null && typeof child === 'object') queue.push(child);
  }
  const nodeCount = order.length;
  const tree = Buffer.alloc(nodeCount * ((RECORD_BITS * 2) / 8));
  order.forEach((node, i) => {
    node.children.forEach((child, side) => {
      const value =
        child === null
          ? nodeCount
          : typeof child === 'number'
            ? nodeCount + 16 + (offsets[child] as number)
            : (numbers.get(child) as number);
      tree.writeUIntBE(value, i * 6 + side * 3, 3);
    });
  });

  const metadata = Buffer.concat([
    sizePrefix(7, 9),
    encodeValue('binary_format_major_version'),
    encodeUint16(2),
    encodeValue('binary_format_minor_version'),
    encodeUint16(0),
    encodeValue('build_epoch'),
    encodeValue(BigInt(Math.floor(Date.UTC(2026, 0, 1) / 1000))),
    encodeValue('database_type'),
    encodeValue(databaseType),
    encodeValue('description'),
    encodeValue({ en: 'qrlogin test fixture' }),
    encodeValue('ip_version'),
    encodeUint16(6),
    encodeValue('languages'),
    encodeValue(['en', 'de']),
    encodeValue('node_count'),
    encodeValue(nodeCount),
    encodeValue('record_size'),
    encodeUint16(RECORD_BITS),
  ]);
  return Buffer.concat([tree, Buffer.alloc(16), ...dataParts, METADATA_MARKER, metadata]);
}

/** A GeoLite2-City-shaped record. */
export function cityRecord(city: string, cityDe: string, iso: string, country: string): MmdbNetwork['data'] {
  return {
    city: { geoname_id: 1, names: { en: city, de: cityDe } },
    country: { geoname_id: 2, iso_code: iso, names: { en: country } },
    location: { accuracy_radius: 20, latitude: 52.5, longitude: 13.4, time_zone: 'Europe/Berlin' },
  };
}

/** The fixture database every test uses: two Berlin networks, Sydney, and a country-only network. */
export const FIXTURE_NETWORKS: MmdbNetwork[] = [
  { network: '198.51.100.0/24', data: cityRecord('Berlin', 'Berlin', 'DE', 'Germany') },
  { network: '203.0.113.0/25', data: cityRecord('Berlin', 'Berlin', 'DE', 'Germany') },
  { network: '192.0.2.0/24', data: cityRecord('Sydney', 'Sydney', 'AU', 'Australia') },
  { network: '2001:db8:40::/48', data: cityRecord('Munich', 'München', 'DE', 'Germany') },
  { network: '2001:db8:41::/48', data: { country: { geoname_id: 3, iso_code: 'FR', names: { en: 'France' } } } },
];
