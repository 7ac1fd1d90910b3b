/**
 * Sockaddrs as the kernel keeps them: raw bytes (sa_len first). Gateways are compared
 * byte-for-byte over sa_len like rtable_lookup does, so the raw form is the natural one.
 */
import { AF_INET, AF_INET6, AF_LINK, AF_UNSPEC } from './constants.js';
import { zeroed } from './alloc.js';
import { parseV4, parseV6 } from '../addr/parse.js';
import { formatIPv4 } from '../codec/bytes.js';

export type Family = 'inet' | 'inet6';

export const ADDR_BYTES: Record<Family, number> = { inet: 4, inet6: 16 };
/** Offset of the address inside sockaddr_in / sockaddr_in6. */
export const ADDR_OFFSET: Record<Family, number> = { inet: 4, inet6: 8 };
export const SA_SIZE: Record<Family, number> = { inet: 16, inet6: 28 };
export const AF_OF: Record<Family, number> = { inet: AF_INET, inet6: AF_INET6 };

export function familyOf(af: number): Family | undefined {
  return af === AF_INET ? 'inet' : af === AF_INET6 ? 'inet6' : undefined;
}

/** A full sockaddr_in / sockaddr_in6 holding `addr` (KAME scope already embedded). */
export function inetSockaddr(af: Family, addr: Uint8Array): Uint8Array {
  const sa = zeroed(SA_SIZE[af]);
  sa[0] = sa.length;
  sa[1] = AF_OF[af];
  sa.set(addr, ADDR_OFFSET[af]);
  return sa;
}

/** The address bytes of an inet/inet6 sockaddr (a copy; bytes past sa_len read as zero). */
export function addressOf(af: Family, sa: Uint8Array): Uint8Array {
  const out = zeroed(ADDR_BYTES[af]);
  const off = ADDR_OFFSET[af];
  const end = Math.min(sa[0]!, sa.length, off + out.length);
  for (let i = off; i < end; i++) out[i - off] = sa[i]!;
  return out;
}

/**
 * The address bytes of an inet/inet6 sockaddr written into `out` (ADDR_BYTES[af] long), with
 * addressOf's rules (bytes past sa_len read as zero). No allocation.
 */
export function addressInto(af: Family, sa: Uint8Array, out: Uint8Array): Uint8Array {
  return addressIntoAt(af, sa, 0, sa.length, out);
}

/** {@link addressInto} for the `len`-byte sockaddr at `b[pos]` (no view needed). */
export function addressIntoAt(af: Family, b: Uint8Array, pos: number, len: number, out: Uint8Array): Uint8Array {
  const n = out.length;
  const off = af === 'inet' ? 4 : 8;
  let end = b[pos]!;
  if (len < end) end = len;
  if (off + n < end) end = off + n;
  let i = 0;
  for (let j = off; j < end; j++) out[i++] = b[pos + j]!;
  for (; i < n; i++) out[i] = 0;
  return out;
}

// Kernel-owned scratch keys, one set per purpose, for lookups that need address bytes only
// for the duration of one call (the table never keeps a key it was given for a lookup).
const SCRATCH: Record<Family, Uint8Array[]> = {
  inet: Array.from({ length: 5 }, () => new Uint8Array(4)),
  inet6: Array.from({ length: 5 }, () => new Uint8Array(16)),
};
/** Scratch slots: the request's destination, a gateway being resolved, a transient key. */
export const SCRATCH_DST = 0;
export const SCRATCH_GW = 1;
export const SCRATCH_TMP = 2;
/** The IPv4 key of a route being inserted or removed (Rtentry.dstKey). */
export const SCRATCH_ROUTE = 3;
/** The key of a cloning route looked up while a next hop is resolved. */
export const SCRATCH_PARENT = 4;

/** A scratch slot itself (to be filled by the caller). */
export function scratchKey(af: Family, slot: number): Uint8Array {
  return SCRATCH[af][slot]!;
}

/** addressOf into a scratch key: valid until the next use of the same slot. Never store it. */
export function scratchAddress(af: Family, sa: Uint8Array, slot: number): Uint8Array {
  return addressInto(af, sa, SCRATCH[af][slot]!);
}

/** {@link scratchAddress} for the `len`-byte sockaddr at `b[pos]`. */
export function scratchAddressAt(af: Family, b: Uint8Array, pos: number, len: number, slot: number): Uint8Array {
  return addressIntoAt(af, b, pos, len, SCRATCH[af][slot]!);
}

// A full sockaddr per family that only ever holds a family and an address: a request's
// destination as interface selection reads it (family and address; nothing else is looked at).
const SCRATCH_SOCKADDR: Record<Family, Uint8Array> = {
  inet: Uint8Array.of(16, AF_INET, ...new Array<number>(14).fill(0)),
  inet6: Uint8Array.of(28, AF_INET6, ...new Array<number>(26).fill(0)),
};

/** A sockaddr_in / sockaddr_in6 holding `addr` (port, flowinfo, scope id zero); scratch, valid until the next call. */
export function scratchSockaddr(af: Family, addr: Uint8Array): Uint8Array {
  const sa = SCRATCH_SOCKADDR[af];
  sa.set(addr, af === 'inet' ? 4 : 8);
  return sa;
}

/** A scratch copy of `addr` (valid until the next use of the slot). */
export function scratchCopy(af: Family, addr: Uint8Array, slot: number): Uint8Array {
  const out = SCRATCH[af][slot]!;
  out.set(addr);
  return out;
}

/** Whether the address of sockaddr `sa` (addressOf rules) equals `addr`, without copying. */
export function saAddressEquals(af: Family, sa: Uint8Array, addr: Uint8Array): boolean {
  const n = af === 'inet' ? 4 : 16;
  if (addr.length !== n) return false;
  const off = af === 'inet' ? 4 : 8;
  let end = sa[0]!;
  if (sa.length < end) end = sa.length;
  for (let i = 0; i < n; i++) {
    const j = off + i;
    if ((j < end ? sa[j]! : 0) !== addr[i]) return false;
  }
  return true;
}

/** Mask bytes of a prefix length. */
export function maskBytes(af: Family, plen: number): Uint8Array {
  const m = zeroed(ADDR_BYTES[af]);
  for (let i = 0; i < m.length; i++) {
    const bits = Math.min(8, Math.max(0, plen - i * 8));
    m[i] = (0xff00 >> bits) & 0xff;
  }
  return m;
}

// Mask sockaddrs depend only on (family, prefix length): built once and shared. Callers
// copy them into messages and must never write to them.
const fullMasks: Record<Family, Uint8Array[]> = { inet: [], inet6: [] };
const trimmedMasks: Record<Family, Uint8Array[]> = { inet: [], inet6: [] };

/** current's rt_plen2mask: a full sockaddr with the mask as address (shared, read-only). */
export function fullMaskSockaddr(af: Family, plen: number): Uint8Array {
  return (fullMasks[af][plen] ??= inetSockaddr(af, maskBytes(af, plen)));
}

/**
 * 4.9's radix "kernel form": sa_len = last non-zero byte + 1, bytes between sa_len and the
 * address read 0xff, trailing zeros trimmed; a default route's mask has sa_len 0.
 */
export function trimmedMaskSockaddr(af: Family, plen: number): Uint8Array {
  return (trimmedMasks[af][plen] ??= buildTrimmedMask(af, plen));
}

function buildTrimmedMask(af: Family, plen: number): Uint8Array {
  if (plen === 0) return zeroed(0);
  const off = ADDR_OFFSET[af];
  const m = maskBytes(af, plen);
  let last = m.length - 1;
  while (last >= 0 && m[last] === 0) last--;
  const sa = zeroed(off + last + 1);
  sa[0] = sa.length;
  sa.fill(0xff, 1, off);
  sa.set(m.subarray(0, last + 1), off);
  return sa;
}

/**
 * IPv4 interface netmask (ia_sockmask): family 0, sa_len trimmed to the last non-zero mask byte
 * + 1 (in_socktrim). IPv6 prefix masks are full sockaddr_in6.
 */
export function interfaceMaskSockaddr(af: Family, plen: number): Uint8Array {
  if (af === 'inet6') return fullMaskSockaddr(af, plen);
  const m = maskBytes(af, plen);
  let last = m.length - 1;
  while (last >= 0 && m[last] === 0) last--;
  const sa = zeroed(8);
  sa.set(m, 4);
  sa[0] = last < 0 ? 0 : 4 + last + 1;
  sa[1] = AF_UNSPEC;
  return sa;
}

/**
 * rtable_satoplen: prefix length of the netmask sockaddr at `b[pos]` (`len` bytes readable,
 * at least sa_len), -1 if not contiguous. sa_len 0 is /0; the family byte is not looked at.
 */
export function maskToPlenAt(af: Family, b: Uint8Array, pos: number, len: number): number {
  const salen = b[pos]!;
  if (salen === 0) return 0;
  const off = ADDR_OFFSET[af];
  const end = Math.min(salen, off + ADDR_BYTES[af]);
  let plen = 0;
  let i = off;
  for (; i < end && b[pos + i] === 0xff; i++) plen += 8;
  if (i < end) {
    const m = b[pos + i]!;
    if (m !== 0) {
      // Contiguous leading ones: the clear bits below them are a run from bit 0.
      const clear = ~m & 0xff;
      if ((clear & (clear + 1)) !== 0) return -1;
      plen += Math.clz32(clear) - 24;
    }
    for (i++; i < end; i++) if (b[pos + i] !== 0) return -1;
  }
  // Bytes past the address field make the mask longer than the family allows.
  for (let j = off + ADDR_BYTES[af]; j < salen && j < len; j++) if (b[pos + j] !== 0) return -1;
  return plen;
}

/** Clears host bits beyond `plen` in place. */
export function applyMask(addr: Uint8Array, plen: number): Uint8Array {
  for (let i = 0; i < addr.length; i++) {
    const bits = Math.min(8, Math.max(0, plen - i * 8));
    addr[i]! &= (0xff00 >> bits) & 0xff;
  }
  return addr;
}

/** Whether `addr` lies inside `prefix`/`plen`. */
export function prefixContains(prefix: Uint8Array, plen: number, addr: Uint8Array): boolean {
  if (prefix.length !== addr.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const bits = Math.min(8, Math.max(0, plen - i * 8));
    if (bits === 0) return true;
    const m = (0xff00 >> bits) & 0xff;
    if ((prefix[i]! & m) !== (addr[i]! & m)) return false;
  }
  return true;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** rtable_lookup's gateway test: `stored` equals `gw` over gw's sa_len bytes. */
export function gatewayMatches(stored: Uint8Array, gw: Uint8Array): boolean {
  const n = gw[0]!;
  if (stored[0] !== n) return false;
  for (let i = 1; i < n; i++) if ((stored[i] ?? 0) !== (gw[i] ?? 0)) return false;
  return true;
}

/** The sockaddr_rtlabel of a label (34 bytes, AF_UNSPEC, NUL-terminated). */
export function labelSockaddr(label: string): Uint8Array {
  const sa = zeroed(34);
  sa[0] = 34;
  sa[1] = AF_UNSPEC;
  for (let i = 0; i < label.length && i < 31; i++) sa[2 + i] = label.charCodeAt(i) & 0xff;
  return sa;
}

/** The label text of a sockaddr_rtlabel (up to its NUL). */
export function labelOf(sa: Uint8Array): string {
  let s = '';
  for (let i = 2; i < Math.min(sa[0]!, sa.length, 34) && sa[i] !== 0; i++) s += String.fromCharCode(sa[i]!);
  return s;
}

/**
 * An interface's sockaddr_dl (if_sadl): len = ROUNDUP(max(8 + nlen + alen, sizeof sockaddr_dl)).
 * `sdlSize` is the dialect's sizeof(struct sockaddr_dl), `unit` its ROUNDUP unit.
 */
export function linkSockaddr(
  index: number, type: number, name: string, lladdr: Uint8Array, sdlSize: number, unit: number, le: boolean,
): Uint8Array {
  const natural = Math.max(8 + name.length + lladdr.length, sdlSize);
  const len = 1 + ((natural - 1) | (unit - 1));
  const sa = zeroed(len);
  sa[0] = len;
  sa[1] = AF_LINK;
  if (le) { sa[2] = index & 0xff; sa[3] = index >> 8; } else { sa[2] = index >> 8; sa[3] = index & 0xff; }
  sa[4] = type;
  sa[5] = name.length;
  sa[6] = lladdr.length;
  for (let i = 0; i < name.length; i++) sa[8 + i] = name.charCodeAt(i);
  sa.set(lladdr, 8 + name.length);
  return sa;
}

/** sdl_index of a sockaddr_dl. */
export function linkIndexOf(sa: Uint8Array, le: boolean): number {
  if (sa.length < 4) return 0;
  return le ? sa[2]! | (sa[3]! << 8) : (sa[2]! << 8) | sa[3]!;
}

/**
 * Family of a numeric IPv4/IPv6 address text (no scope, no prefix), its bytes written to
 * `v4` or `v6`; undefined (bytes unspecified) if it is neither.
 */
export function parseAddressInto(text: string, v4: Uint8Array, v6: Uint8Array): Family | undefined {
  const a = parseV4(text);
  if (a >= 0) {
    v4[0] = a >>> 24;
    v4[1] = (a >>> 16) & 0xff;
    v4[2] = (a >>> 8) & 0xff;
    v4[3] = a & 0xff;
    return 'inet';
  }
  return parseV6(text, v6) ? 'inet6' : undefined;
}

/** Parses a numeric IPv4/IPv6 address (no scope, no prefix) into fresh bytes. */
export function parseAddress(text: string): { af: Family; addr: Uint8Array } | undefined {
  const v4 = zeroed(4);
  const v6 = zeroed(16);
  const af = parseAddressInto(text, v4, v6);
  if (af === undefined) return undefined;
  return { af, addr: af === 'inet' ? v4 : v6 };
}

/** Text form of an address: dotted quad, or RFC 5952-ish IPv6 (zero-run compressed). */
export function formatAddress(af: Family, addr: Uint8Array): string {
  // The codec's cached dotted quad: listings and lookups format the same few gateways again and again.
  if (af === 'inet') return formatIPv4(addr, 0);
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((addr[i]! << 8) | addr[i + 1]!);
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((v) => v.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** fe80::/10, the IPv6 link-local unicast prefix. */
export function isLinkLocal6(addr: Uint8Array): boolean {
  return addr[0] === 0xfe && (addr[1]! & 0xc0) === 0x80;
}

/** fe80::/10, ff01::/16, ff02::/16: addresses that carry a KAME scope in bytes 2-3. */
export function isScoped6(addr: Uint8Array): boolean {
  return isLinkLocal6(addr) || (addr[0] === 0xff && ((addr[1]! & 0x0f) === 1 || (addr[1]! & 0x0f) === 2));
}
