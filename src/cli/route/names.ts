/**
 * show.c's address texts (routename, netname4/6, p_sockaddr, p_flags) over raw sockaddr bytes,
 * as route(8) reads them: bytes past sa_len read as zero, names never resolved (as with an
 * empty hosts file), so `-n` only changes whether long texts are truncated.
 */
import { formatIPv6 } from '../../codec/bytes.js';

export interface NameCtx {
  /** if_indextoname(3). */
  ifname(index: number): string | undefined;
  /** sdl_index and other host-order fields are little-endian. */
  le: boolean;
  /** openbsd-4.9's route(8): 0.0.0.0 prints as "default", labels unquoted. */
  old: boolean;
}

const AF_UNSPEC = 0, AF_INET = 2, AF_LINK = 18, AF_INET6 = 24, AF_MPLS = 33;
const IFT_ETHER = 6, IFT_CARP = 0xf7;
export const RTF_HOST = 0x4;

/** Byte i of a sockaddr, zero past its end. */
const at = (sa: Uint8Array, i: number): number => (i < sa.length ? sa[i]! : 0);

/** inet_ntop(AF_INET6), with ::a.b.c.d and ::ffff:a.b.c.d forms. */
export function inet6Text(a: Uint8Array): string {
  const w = (i: number) => (a[2 * i]! << 8) | a[2 * i + 1]!;
  const zeros = (n: number) => [0, 1, 2, 3, 4, 5].slice(0, n).every((i) => w(i) === 0);
  if (zeros(5) && (w(5) === 0 ? w(6) !== 0 : w(5) === 0xffff)) {
    return `::${w(5) ? 'ffff:' : ''}${a[12]}.${a[13]}.${a[14]}.${a[15]}`;
  }
  return formatIPv6(a, 0);
}

/** Link-local unicast or interface/link-local multicast: the addresses KAME embeds a scope in. */
export function scoped6(a: Uint8Array): boolean {
  return (a[0] === 0xfe && (a[1]! & 0xc0) === 0x80) || (a[0] === 0xff && ((a[1]! & 0x0f) === 1 || (a[1]! & 0x0f) === 2));
}

/** A sockaddr_in6's address and scope, the KAME-embedded scope moved out of bytes 2-3. */
export function sin6(sa: Uint8Array, le: boolean): { addr: Uint8Array; scope: number } {
  const addr = new Uint8Array(16);
  for (let i = 0; i < 16; i++) addr[i] = at(sa, 8 + i);
  let scope = le
    ? (at(sa, 24) | (at(sa, 25) << 8) | (at(sa, 26) << 16) | (at(sa, 27) << 24)) >>> 0
    : ((at(sa, 24) << 24) | (at(sa, 25) << 16) | (at(sa, 26) << 8) | at(sa, 27)) >>> 0;
  if (scoped6(addr) && scope === 0) {
    scope = (addr[2]! << 8) | addr[3]!;
    addr[2] = addr[3] = 0;
  }
  return { addr, scope };
}

function withScope(c: NameCtx, addr: Uint8Array, scope: number): string {
  const text = inet6Text(addr);
  return scope === 0 ? text : `${text}%${c.ifname(scope) ?? scope}`;
}

function linkPrint(c: NameCtx, sa: Uint8Array): string {
  const nlen = at(sa, 5), alen = at(sa, 6), slen = at(sa, 7);
  if (nlen === 0 && alen === 0 && slen === 0) return `link#${c.le ? at(sa, 2) | (at(sa, 3) << 8) : (at(sa, 2) << 8) | at(sa, 3)}`;
  const type = at(sa, 4);
  if (type === IFT_ETHER || type === IFT_CARP) {
    return [0, 1, 2, 3, 4, 5].map((i) => at(sa, 8 + nlen + i).toString(16).padStart(2, '0')).join(':');
  }
  return linkNtoa(sa);
}

/** link_ntoa(3): name, then ':' and the address in dotted hex. */
export function linkNtoa(sa: Uint8Array): string {
  const nlen = at(sa, 5), alen = at(sa, 6);
  let out = '';
  for (let i = 0; i < nlen; i++) out += String.fromCharCode(at(sa, 8 + i));
  const parts: string[] = [];
  for (let i = 0; i < alen; i++) parts.push(at(sa, 8 + nlen + i).toString(16));
  if (nlen > 0 && alen > 0) out += ':';
  return out + parts.join('.');
}

function anyNtoa(sa: Uint8Array): string {
  const out: string[] = [];
  let len = at(sa, 0) - 2;
  let i = 0;
  do out.push(at(sa, 2 + i++).toString(16).padStart(2, '0')); while (--len > 0);
  return `Q${out.join('.')}`;
}

/** routename(): a host address. `family` overrides sa_family (masks take their route's). */
export function routename(c: NameCtx, sa: Uint8Array, family = at(sa, 1)): string {
  const len = at(sa, 0);
  if (len === 0) return 'default';
  switch (family) {
    case AF_INET: {
      const v = [4, 5, 6, 7].map((i) => at(sa, i));
      return c.old && (v.every((x) => x === 0) || len < 4) ? 'default' : v.join('.');
    }
    case AF_INET6: {
      const { addr, scope } = sin6(sa, c.le);
      return withScope(c, addr, scope);
    }
    case AF_LINK:
      return linkPrint(c, sa);
    case AF_MPLS:
      return String((((at(sa, 4) << 24) | (at(sa, 5) << 16) | (at(sa, 6) << 8) | at(sa, 7)) >>> 0) >>> 12);
    case AF_UNSPEC:
      if (len === 34) return c.old ? labelText(sa) : `"${labelText(sa)}"`;
  }
  return `(${family}) ${anyNtoa(sa)}`;
}

export function labelText(sa: Uint8Array): string {
  let s = '';
  for (let i = 2; i < 34 && at(sa, i) !== 0; i++) s += String.fromCharCode(at(sa, i));
  return s;
}

function netname4(c: NameCtx, sa: Uint8Array, mask: Uint8Array | undefined): string {
  const a = [4, 5, 6, 7].map((i) => at(sa, i));
  const m = mask && at(mask, 0) !== 0 ? (((at(mask, 4) << 24) | (at(mask, 5) << 16) | (at(mask, 6) << 8) | at(mask, 7)) >>> 0) : 0;
  if (a.every((x) => x === 0) && m === 0) return 'default';
  let mbits = 0;
  if (m !== 0) {
    let low = 1;
    while (((m >>> (low - 1)) & 1) === 0) low++;
    mbits = 33 - low;
  }
  void c;
  if (mbits < 9) return `${a[0]}/${mbits}`;
  if (mbits < 17) return `${a[0]}.${a[1]}/${mbits}`;
  if (mbits < 25) return `${a[0]}.${a[1]}.${a[2]}/${mbits}`;
  return `${a.join('.')}/${mbits}`;
}

const BITS: Record<number, number> = { 0xff: 8, 0xfe: 7, 0xfc: 6, 0xf8: 5, 0xf0: 4, 0xe0: 3, 0xc0: 2, 0x80: 1, 0x00: 0 };

function netname6(c: NameCtx, sa: Uint8Array, mask: Uint8Array | undefined): string {
  const { addr, scope } = sin6(sa, c.le);
  let masklen = 0;
  if (mask) {
    const lim = Math.min(at(mask, 0) - 8, 16);
    let final = false, illegal = false, i = 0;
    for (let k = 0; k < lim; k++) {
      const p = at(mask, 8 + k);
      if (final && p) {
        illegal = true;
        addr[i++] = 0;
        continue;
      }
      const b = BITS[p];
      if (b === undefined) { final = true; illegal = true; } else {
        masklen += b;
        if (b < 8) final = true;
      }
      if (!illegal) addr[i] = addr[i]! & p;
      i++;
    }
    while (i < 16) addr[i++] = 0;
  } else masklen = 128;
  if (masklen === 0 && addr.every((b) => b === 0)) return 'default';
  return `${withScope(c, addr, scope)}/${masklen}`;
}

/** netname(): a network with its mask. */
export function netname(c: NameCtx, sa: Uint8Array, mask: Uint8Array | undefined): string {
  switch (at(sa, 1)) {
    case AF_INET: return netname4(c, sa, mask);
    case AF_INET6: return netname6(c, sa, mask);
    case AF_LINK: return linkPrint(c, sa);
    default: return routename(c, sa);
  }
}

/** p_sockaddr()'s text (the caller pads): host form for RTF_HOST or no mask, else network form. */
export function sockaddrText(c: NameCtx, sa: Uint8Array, mask: Uint8Array | undefined, flags: number): string {
  if (at(sa, 1) === AF_INET6) return flags & RTF_HOST ? routename(c, sa) : netname(c, sa, mask);
  return flags & RTF_HOST || mask === undefined ? routename(c, sa) : netname(c, sa, mask);
}

/** show.c p_flags letters, in show.c's order. */
const FLAG_LETTERS: [number, string][] = [
  [0x1, 'U'], [0x2, 'G'], [0x4, 'H'], [0x8, 'R'], [0x10, 'D'], [0x20, 'M'], [0x100, 'C'], [0x200, 'm'],
  [0x400, 'L'], [0x800, 'S'], [0x1000, 'B'], [0x2000, '3'], [0x4000, '2'], [0x8000, '1'], [0x10000, 'c'],
  [0x20000, 'h'], [0x40000, 'P'], [0x100000, 'T'], [0x200000, 'l'], [0x1000000, 'F'], [0x400000, 'b'],
  [0x800000, 'n'],
];

export function flagLetters(flags: number): string {
  let s = '';
  for (const [bit, ch] of FLAG_LETTERS) if (flags & bit) s += ch;
  return s;
}

/** route.c's bprintf(routeflags): `<UP,GATEWAY,...>`, nothing for 0. */
const ROUTE_FLAG_NAMES: [number, string][] = [
  [1, 'UP'], [2, 'GATEWAY'], [3, 'HOST'], [4, 'REJECT'], [5, 'DYNAMIC'], [6, 'MODIFIED'], [7, 'DONE'],
  [8, 'XMASK_PRESENT'], [9, 'CLONING'], [10, 'MULTICAST'], [11, 'LLINFO'], [12, 'STATIC'], [13, 'BLACKHOLE'],
  [14, 'PROTO3'], [15, 'PROTO2'], [16, 'PROTO1'], [17, 'CLONED'], [18, 'CACHED'], [19, 'MPATH'], [21, 'MPLS'],
  [22, 'LOCAL'], [23, 'BROADCAST'], [24, 'CONNECTED'], [25, 'BFD'],
];
const ROUTE_FLAG_NAMES_49: [number, string][] = [
  [1, 'UP'], [2, 'GATEWAY'], [3, 'HOST'], [4, 'REJECT'], [5, 'DYNAMIC'], [6, 'MODIFIED'], [7, 'DONE'],
  [8, 'MASK_PRESENT'], [9, 'CLONING'], [10, 'XRESOLVE'], [11, 'LLINFO'], [12, 'STATIC'], [13, 'BLACKHOLE'],
  [14, 'PROTO3'], [15, 'PROTO2'], [16, 'PROTO1'], [17, 'CLONED'], [18, 'SOURCE'], [19, 'MPATH'], [20, 'JUMBO'],
  [21, 'MPLS'],
];

export function routeFlagNames(flags: number, old: boolean): string {
  const names = (old ? ROUTE_FLAG_NAMES_49 : ROUTE_FLAG_NAMES).filter(([b]) => (flags >>> (b - 1)) & 1).map(([, n]) => n);
  return names.length ? `<${names.join(',')}>` : '';
}

const ADDR_NAMES = ['DST', 'GATEWAY', 'NETMASK', 'GENMASK', 'IFP', 'IFA', 'AUTHOR', 'BRD', 'SRC', 'SRCMASK', 'LABEL', 'BFD', 'DNS', 'STATIC', 'SEARCH'];

export function addrNames(addrs: number): string {
  const names = ADDR_NAMES.filter((_, i) => (addrs >>> i) & 1);
  return names.length ? `<${names.join(',')}>` : '';
}
