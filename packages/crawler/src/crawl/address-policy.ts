import { isIPv4, isIPv6 } from 'node:net';

/** Why an address is not a public unicast one; null for an address the crawler may connect to. */
export type SpecialAddressKind = 'unspecified' | 'loopback' | 'private' | 'link-local' | 'multicast' | 'special';

interface Range4 {
  base: number;
  bits: number;
  kind: SpecialAddressKind;
}

// IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates), plus multicast and class E.
const V4_TABLE: Array<[string, number, SpecialAddressKind]> = [
  ['0.0.0.0', 8, 'unspecified'], // "this network" (RFC 791); 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8, 'private'], // RFC 1918
  ['100.64.0.0', 10, 'private'], // RFC 6598 carrier-grade NAT: someone else's private network
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // includes 169.254.169.254, the cloud metadata endpoint
  ['172.16.0.0', 12, 'private'], // RFC 1918
  ['192.0.0.0', 24, 'special'], // IETF protocol assignments
  ['192.0.2.0', 24, 'special'], // TEST-NET-1
  ['192.88.99.0', 24, 'special'], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16, 'private'], // RFC 1918
  ['198.18.0.0', 15, 'special'], // benchmarking
  ['198.51.100.0', 24, 'special'], // TEST-NET-2
  ['203.0.113.0', 24, 'special'], // TEST-NET-3
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'special'], // reserved, and 255.255.255.255 broadcast
];
const V4_RANGES: Range4[] = V4_TABLE.map(([base, bits, kind]) => ({ base: parseIPv4(base), bits, kind }));

function parseIPv4(text: string): number {
  const parts = text.split('.').map(Number);
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

function classifyV4(value: number): SpecialAddressKind | null {
  for (const r of V4_RANGES) {
    const mask = r.bits === 0 ? 0 : (0xffffffff << (32 - r.bits)) >>> 0;
    if (((value & mask) >>> 0) === r.base) return r.kind;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, embedded dotted quad allowed), or null. */
function parseIPv6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, '');
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!isIPv6(s)) return null;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted?.[1]) {
    const v4 = parseIPv4(dotted[1]);
    tail.push(v4 >>> 16, v4 & 0xffff);
    s = s.slice(0, s.length - dotted[1].length);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  const head = halves[0] ? halves[0].split(':').map((h) => parseInt(h, 16)) : [];
  const rest = halves.length > 1 && halves[1] ? halves[1].split(':').map((h) => parseInt(h, 16)) : [];
  const known = head.length + rest.length + tail.length;
  const zeros = halves.length > 1 ? 8 - known : 0;
  const groups = [...head, ...new Array<number>(zeros).fill(0), ...rest, ...tail];
  return groups.length === 8 ? groups : null;
}

function classifyV6(g: number[]): SpecialAddressKind | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = ((g6 << 16) | g7) >>> 0;
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (upperZero && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified'; // ::
  if (upperZero && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback'; // ::1
  // Forms that carry an IPv4 address in their low 32 bits, and reach it through a translator or tunnel:
  // the embedded address is what gets connected to, so the IPv4 rules apply to it.
  if (upperZero && g5 === 0xffff) return classifyV4(embedded); // ::ffff:a.b.c.d, IPv4-mapped (RFC 4291)
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) return classifyV4(embedded); // ::ffff:0:a.b.c.d, IPv4-translated (RFC 2765/6052)
  if (upperZero && g5 === 0) return classifyV4(embedded) ?? 'special'; // ::a.b.c.d, IPv4-compatible (deprecated): never public
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyV4(embedded); // NAT64 well-known prefix 64:ff9b::/96
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'private'; // local-use NAT64 (RFC 8215)
  if (g0 < 0x100) return 'special'; // the rest of ::/8 is reserved by the IETF (other lengths of 64:ff9b::, ...): no public host
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'special'; // discard-only (RFC 6666)
  if (g0 === 0x2001 && g1 === 0xdb8) return 'special'; // documentation
  if (g0 === 0x2001 && g1 < 0x200) return 'special'; // 2001::/23 IETF protocol assignments (Teredo, ORCHID, ...)
  if (g0 === 0x2002) return classifyV4(((g1 << 16) | g2) >>> 0); // 6to4 carries an IPv4 address
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // fec0::/10 site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  return null;
}

/**
 * Classifies an IP address (v4, v6, or v6 in brackets): null when it is public unicast, the kind of
 * special address otherwise. Throws on a string that is not an IP address.
 */
export function classifyAddress(address: string): SpecialAddressKind | null {
  if (isIPv4(address)) return classifyV4(parseIPv4(address));
  const groups = parseIPv6(address);
  if (!groups) throw new Error(`'${address}' is not an IP address`);
  return classifyV6(groups);
}
