import { isIPv4, isIPv6 } from 'node:net';

/** Strips the IPv4-mapped IPv6 form (`::ffff:1.2.3.4`) that dual-stack sockets report. */
export function normalizeIp(ip: string): string {
  const lower = ip.trim().toLowerCase();
  if (lower.startsWith('::ffff:') && isIPv4(lower.slice(7))) return lower.slice(7);
  return lower;
}

/** Expands an IPv6 address to its eight 16-bit groups; `null` when it is not IPv6. */
function ipv6Groups(ip: string): number[] | null {
  if (!isIPv6(ip)) return null;
  let text = ip.split('%')[0] as string;
  // An embedded IPv4 tail becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = (v4[1] as string).split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -(v4[1] as string).length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => Number.parseInt(g || '0', 16));
}

/**
 * The network an address belongs to, as a string key: the IPv4 /24 or the IPv6 /64. Two clients
 * with the same key "appear to share a network". `prefix` narrows IPv4 to the full address for
 * rate limiting, where one IPv4 is one client but one IPv6 /64 is one client too.
 *
 * @example
 * networkOf('203.0.113.7') // '203.0.113.0/24'
 * networkOf('2001:db8:1:2:3:4:5:6') // '2001:db8:1:2::/64'
 */
export function networkOf(ip: string, ipv4Bits: 24 | 32 = 24): string {
  const addr = normalizeIp(ip);
  if (isIPv4(addr)) {
    if (ipv4Bits === 32) return `${addr}/32`;
    return `${addr.split('.').slice(0, 3).join('.')}.0/24`;
  }
  const groups = ipv6Groups(addr);
  if (!groups) return addr;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/**
 * Rate-limit identity of a client: the IPv4 address itself, or the IPv6 /64 (one subscriber
 * usually holds a whole /64, so per-address limits would be trivially bypassed).
 *
 * @example
 * rateLimitKeyOf('2001:db8::1') === rateLimitKeyOf('2001:db8::2') // true
 */
export function rateLimitKeyOf(ip: string): string {
  return networkOf(ip, 32);
}
