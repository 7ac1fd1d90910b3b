/**
 * The variable-length sockaddrs after a header, one kind per address family, each with
 * decode / encode / encodingLength. Every kind decodes to a value that encodes back to
 * the same bytes: bytes a kind has no field for are kept (`zero`, `tail`, `pad`), and a
 * sockaddr whose shape a kind cannot hold exactly falls back to `unknown` (raw bytes).
 */
import { SlotMode, roundup, type Dialect } from '../abi/dialect.js';
import { headerCodec, type HeaderValue } from './header.js';
import { RtsockEncodeError } from './errors.js';
import { SHARED_SLOT, writeIPv4Text, writeIPv6Text } from './addr-text-cache.js';
import {
  bytesToHex, formatIPv4, formatIPv4Value, formatIPv6, hexToBytes, isAllZero, latin1FromBytes, parseIPv4, parseIPv6,
} from './bytes.js';

export const AF_UNSPEC = 0;
export const AF_LOCAL = 1;
export const AF_INET = 2;
export const AF_LINK = 18;
export const AF_INET6 = 24;
export const AF_MPLS = 33;

interface Common {
  /** sa_len as on the wire. */
  len: number;
  /** sa_family byte as on the wire (a 4.9 kernel netmask reads 0xff). */
  family: number;
  /** Non-zero bytes between the sockaddr and its ROUNDUP boundary (hex), if any. */
  pad?: string;
  /** Non-zero bytes past the kind's struct, up to len (hex), if any. */
  tail?: string;
}
export interface InetSockaddr extends Common {
  kind: 'inet';
  addr: string;
  port: number;
  /** sin_zero when not all zero (hex). */
  zero?: string;
}
export interface Inet6Sockaddr extends Common {
  kind: 'inet6';
  /** The address with any KAME-embedded scope (bytes 2-3) removed. */
  addr: string;
  port: number;
  flowinfo: number;
  /** Interface index: the embedded scope of a link-local/multicast address, else sin6_scope_id. */
  scope_id: number;
  /** Present (false) when scope_id came from sin6_scope_id of a scoped address with nothing embedded. */
  scope_embedded?: false;
}
export interface LinkSockaddr extends Common {
  kind: 'link';
  index: number;
  type: number;
  name: string;
  /** Link-layer address as colon-separated hex (`fe:e1:ba:d4:c8:1d`), '' if none. */
  lladdr: string;
  /** Selector bytes (hex), if sdl_slen > 0. */
  selector?: string;
}
export interface LabelSockaddr extends Common { kind: 'label'; label: string }
export interface MplsSockaddr extends Common {
  kind: 'mpls';
  /** The 20-bit MPLS label (smpls_label = htonl(label << 12)). */
  label: number;
  /** Low 12 bits of the shim word (exp, bos, ttl), if not zero. */
  low?: number;
  pad0?: number;
  pad1?: string;
}
export interface UnixSockaddr extends Common { kind: 'unix'; path: string }
export interface DnsSockaddr extends Common { kind: 'dns'; addrs: string[] }
export interface StaticSockaddr extends Common { kind: 'static'; data: string }
export interface SearchSockaddr extends Common { kind: 'search'; data: string }
export interface BfdSockaddr extends Common { kind: 'bfd'; bfd: HeaderValue }
export interface UnknownSockaddr extends Common {
  kind: 'unknown';
  /** Bytes 2..len (hex). */
  data: string;
}

export type Sockaddr =
  | InetSockaddr | Inet6Sockaddr | LinkSockaddr | LabelSockaddr | MplsSockaddr | UnixSockaddr
  | DnsSockaddr | StaticSockaddr | SearchSockaddr | BfdSockaddr | UnknownSockaddr;

/** Input form: the sockaddr fields, with len/family/pad optional (computed when absent). */
export type SockaddrInput = { [K in Sockaddr['kind']]: Omit<Extract<Sockaddr, { kind: K }>, 'len' | 'family'> & { len?: number; family?: number } }[Sockaddr['kind']];

/** Where a sockaddr sits: its RTAX slot decides how masks, labels, DNS... are read. */
export interface SockaddrContext {
  readonly dialect: Dialect;
  /** The slot's SlotMode. */
  mode: SlotMode;
  /** Family of the message's route (DST, or IFA for address messages): how masks are read. */
  readonly routeFamily: number;
}

const STRUCT_SIZE = { inet: 16, inet6: 28, label: 34, mpls: 16, unix: 106, rtdata: 130 } as const;

/** True for addresses that carry a KAME scope in bytes 2-3 (fe80::/10, ff01::/16, ff02::/16 by scope nibble). */
export function isScopedInet6(b: Uint8Array, o: number): boolean {
  const b0 = b[o]!, b1 = b[o + 1]!;
  return (b0 === 0xfe && (b1 & 0xc0) === 0x80) || (b0 === 0xff && ((b1 & 0x0f) === 1 || (b1 & 0x0f) === 2));
}

/** The kind a sockaddr of this family decodes to in a slot of this mode. */
function kindFor(mode: SlotMode, family: number, routeFamily: number): Sockaddr['kind'] {
  switch (mode) {
    case SlotMode.Mask: {
      const f = routeFamily === AF_INET || routeFamily === AF_INET6 ? routeFamily : family;
      return f === AF_INET ? 'inet' : f === AF_INET6 ? 'inet6' : 'unknown';
    }
    case SlotMode.Label: if (family === AF_UNSPEC) return 'label'; break;
    case SlotMode.Dns: if (family === AF_INET || family === AF_INET6) return 'dns'; break;
    case SlotMode.Static: return 'static';
    case SlotMode.Search: return 'search';
    case SlotMode.Bfd: return 'bfd';
  }
  switch (family) {
    case AF_INET: return 'inet';
    case AF_INET6: return 'inet6';
    case AF_LINK: return 'link';
    case AF_MPLS: return 'mpls';
    case AF_LOCAL: return 'unix';
    default: return 'unknown';
  }
}

/**
 * Decodes the sockaddr at `off` (the caller checked that ROUNDUP(sa_len) bytes exist).
 * `dv` views the same memory as `b`.
 */
export function decodeSockaddr(b: Uint8Array, dv: DataView, off: number, ctx: SockaddrContext): Sockaddr {
  const len = b[off]!;
  const family = b[off + 1]!;
  // Fast paths, small enough to inline, for what fills every IPv4 route dump: a full
  // sockaddr_in with nothing in sin_zero, and 4.9's trimmed radix masks. Word reads: each
  // typed-array byte read carries its own bounds check.
  if (len === 16) {
    if ((family === AF_INET || (ctx.mode === SlotMode.Mask && ctx.routeFamily === AF_INET))
      && dv.getInt32(off + 8) === 0 && dv.getInt32(off + 12) === 0) {
      return { kind: 'inet', len, family, port: dv.getUint16(off + 2), addr: formatIPv4Value(dv.getInt32(off + 4)) };
    }
  } else if (len < 8 && ctx.mode === SlotMode.Mask && ctx.routeFamily === AF_INET) {
    return decodeShortInetMask(b, off, len, family, ctx.dialect.roundup);
  }
  if (len === 28 && ctx.dialect.roundup !== 4) {
    if (ctx.mode !== SlotMode.Mask) {
      if (family === AF_INET6) return decodeFullInet6(b, off, family, false, ctx.dialect.littleEndian);
    } else if (ctx.routeFamily === AF_INET6) {
      // A full IPv6 netmask (current kernels; masks read in the route's family).
      return decodeFullInet6(b, off, family, true, ctx.dialect.littleEndian);
    }
  }
  return decodeGeneral(b, dv, off, len, family, ctx);
}

const scopeScratch = new Uint8Array(16);

/**
 * A full sockaddr_in6 (every IPv6 route; `mask`: in a netmask slot, where no scope is taken
 * out of the address): no intermediate image. On amd64/sparc64 its ROUNDUP is 32, so 4 pad
 * bytes follow; i386 (exact fit) goes the general way.
 */
export function decodeFullInet6(b: Uint8Array, off: number, family: number, mask: boolean, le: boolean): Sockaddr {
  const u32 = (o: number) => (le
    ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0
    : ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0);
  const flowinfo = u32(off + 4);
  let scope = u32(off + 24);
  const e = (b[off + 10]! << 8) | b[off + 11]!;
  const scoped = isScopedInet6(b, off + 8);
  let addr: string;
  let embedded: false | undefined;
  if (!mask && scoped && e !== 0 && scope === 0) {
    // KAME: the interface index travels in bytes 2-3; surface it as the scope id.
    scopeScratch.set(b.subarray(off + 8, off + 24));
    scopeScratch[2] = 0;
    scopeScratch[3] = 0;
    addr = formatIPv6(scopeScratch, 0);
    scope = e;
  } else {
    addr = formatIPv6(b, off + 8);
    if (scoped && e === 0 && scope !== 0 && scope <= 0xffff) embedded = false;
  }
  const sa: Inet6Sockaddr = { kind: 'inet6', len: 28, family, port: (b[off + 2]! << 8) | b[off + 3]!, flowinfo, addr, scope_id: scope };
  if (embedded === false) sa.scope_embedded = false;
  if ((b[off + 28]! | b[off + 29]! | b[off + 30]! | b[off + 31]!) !== 0) sa.pad = bytesToHex(b, off + 28, off + 32);
  return sa;
}

/**
 * 4.9's radix netmasks (sa_len 0..7, `07 ff ff ff ff ff ff 00` for a /24) are in every 4.9
 * route dump: read them without the general decoder. Bytes past sa_len read as zero.
 */
export function decodeShortInetMask(b: Uint8Array, off: number, len: number, family: number, unit: number): Sockaddr {
  let port = 0;
  if (len > 2) port = b[off + 2]! << 8;
  if (len > 3) port |= b[off + 3]!;
  let addr = 0;
  for (let i = 4; i < len; i++) addr |= b[off + i]! << (8 * (7 - i));
  const sa: InetSockaddr = { kind: 'inet', len, family, port, addr: formatIPv4Value(addr) };
  const body = len > 2 ? len : 2;
  const end = off + roundup(len, unit);
  if (end > off + body && !isAllZero(b, off + body, end)) sa.pad = bytesToHex(b, off + body, end);
  return sa;
}

function decodeGeneral(b: Uint8Array, dv: DataView, off: number, len: number, family: number, ctx: SockaddrContext): Sockaddr {
  const end = off + roundup(len, ctx.dialect.roundup);
  const body = Math.max(len, 2);
  let sa = decodeKind(kindFor(ctx.mode, family, ctx.routeFamily), b, dv, off, len, family, ctx);
  if (!sa) sa = { kind: 'unknown', len, family, data: bytesToHex(b, off + 2, off + body) };
  if (end > off + body && !isAllZero(b, off + body, end)) sa.pad = bytesToHex(b, off + body, end);
  return sa;
}

/** `n` bytes at `at` as colon-separated hex (`fe:e1:ba:d4:c8:1d`), '' for none. */
function colonHex(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (i === 0 ? '' : ':') + bytesToHex(b, at + i, at + i + 1);
  return s;
}

// Interface link sockaddrs repeat in every message about their interface (IFP of each route
// reply, if_msghdr, ...): their name and lladdr texts are kept per interface-sized key
// (strings are values, so sharing them is invisible). Direct-mapped by the bytes' hash.
const LINK_SLOTS = 64;
const linkKeys: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(LINK_SLOTS).fill(undefined);
const linkNames: string[] = new Array<string>(LINK_SLOTS).fill('');
const linkAddrs: string[] = new Array<string>(LINK_SLOTS).fill('');
const linkOut = { name: '', lladdr: '' };

/** Name and lladdr text of the sockaddr_dl data at `at` (nlen name bytes, then alen address bytes). */
function linkTexts(b: Uint8Array, at: number, nlen: number, alen: number): { name: string; lladdr: string } {
  const n = nlen + alen;
  let h = Math.imul(nlen, 31) + alen;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ b[at + i]!, 0x01000193);
  const slot = (h >>> 0) % LINK_SLOTS;
  const key = linkKeys[slot];
  // The key holds nlen, then the bytes: equal keys mean the same split and the same bytes.
  let same = key !== undefined && key.length === n + 1 && key[0] === nlen;
  for (let i = 0; same && i < n; i++) same = key![i + 1] === b[at + i];
  if (!same) {
    const k = new Uint8Array(n + 1);
    k[0] = nlen;
    k.set(b.subarray(at, at + n), 1);
    linkKeys[slot] = k;
    linkNames[slot] = latin1FromBytes(b, false, at, at + nlen);
    linkAddrs[slot] = colonHex(b, at + nlen, alen);
  }
  linkOut.name = linkNames[slot]!;
  linkOut.lladdr = linkAddrs[slot]!;
  return linkOut;
}

/**
 * The sockaddr_dl at `off` (sa_len `len`), or undefined when its name, address and selector
 * lengths overrun sa_len (the caller then keeps it as raw bytes).
 */
export function decodeLink(b: Uint8Array, dv: DataView, off: number, len: number, family: number, le: boolean): LinkSockaddr | undefined {
  if (len < 8) return undefined;
  const nlen = b[off + 5]!, alen = b[off + 6]!, slen = b[off + 7]!;
  const used = 8 + nlen + alen + slen;
  if (used > len) return undefined;
  const texts = linkTexts(b, off + 8, nlen, alen);
  const sa: LinkSockaddr = { kind: 'link', len, family, index: dv.getUint16(off + 2, le), type: b[off + 4]!, name: texts.name, lladdr: texts.lladdr };
  if (slen > 0) sa.selector = bytesToHex(b, off + 8 + nlen + alen, off + used);
  return withTail(sa, b, off, len, used);
}

/** Byte i of a sockaddr whose bytes past sa_len read as zero. */
function byteAt(b: Uint8Array, off: number, len: number, i: number): number {
  return i < len ? b[off + i]! : 0;
}

/** Reads the bytes [size, len) as a `tail`; zero tails are not kept. */
function withTail<T extends Common>(sa: T, b: Uint8Array, off: number, len: number, size: number): T {
  if (len > size && !isAllZero(b, off + size, off + len)) sa.tail = bytesToHex(b, off + size, off + len);
  return sa;
}

function decodeKind(
  kind: Sockaddr['kind'], b: Uint8Array, dv: DataView, off: number, len: number, family: number, ctx: SockaddrContext,
): Sockaddr | undefined {
  const le = ctx.dialect.littleEndian;
  switch (kind) {
    case 'inet': {
      if (len >= 16) {
        const sa: InetSockaddr = { kind, len, family, port: (b[off + 2]! << 8) | b[off + 3]!, addr: formatIPv4(b, off + 4) };
        if (!isAllZero(b, off + 8, off + 16)) sa.zero = bytesToHex(b, off + 8, off + 16);
        return withTail(sa, b, off, len, 16);
      }
      // A short sockaddr_in (4.9's trimmed kernel netmasks): bytes past sa_len read as zero.
      const at = (i: number) => byteAt(b, off, len, i);
      const sa: InetSockaddr = { kind, len, family, port: (at(2) << 8) | at(3), addr: `${at(4)}.${at(5)}.${at(6)}.${at(7)}` };
      if (len > 8 && !isAllZero(b, off + 8, off + len)) sa.zero = bytesToHex(b, off + 8, off + len).padEnd(16, '0');
      return sa;
    }
    case 'inet6': {
      const img = new Uint8Array(28);
      for (let i = 2; i < Math.min(len, 28); i++) img[i] = b[off + i]!;
      const idv = new DataView(img.buffer);
      const port = idv.getUint16(2);
      const flowinfo = idv.getUint32(4, le);
      let scope = idv.getUint32(24, le);
      const scoped = isScopedInet6(img, 8);
      const e = (img[10]! << 8) | img[11]!;
      let embedded: false | undefined;
      if (ctx.mode !== SlotMode.Mask && scoped && e !== 0 && scope === 0) {
        // KAME: the interface index travels in bytes 2-3; surface it as the scope id.
        scope = e;
        img[10] = 0;
        img[11] = 0;
      } else if (scoped && e === 0 && scope !== 0 && scope <= 0xffff) {
        // The encoder would embed this scope id; say it was not embedded on the wire.
        embedded = false;
      }
      const sa: Inet6Sockaddr = { kind, len, family, port, flowinfo, addr: formatIPv6(img, 8), scope_id: scope };
      if (embedded === false) sa.scope_embedded = false;
      return withTail(sa, b, off, len, 28);
    }
    case 'link': return decodeLink(b, dv, off, len, family, le);
    case 'label': {
      const size = Math.min(len, STRUCT_SIZE.label);
      let nul = off + 2;
      while (nul < off + size && b[nul] !== 0) nul++;
      if (!isAllZero(b, nul, off + size)) return undefined;
      return withTail({ kind, len, family, label: latin1FromBytes(b, false, off + 2, nul) }, b, off, len, STRUCT_SIZE.label);
    }
    case 'unix': {
      const size = Math.min(len, STRUCT_SIZE.unix);
      let nul = off + 2;
      while (nul < off + size && b[nul] !== 0) nul++;
      if (!isAllZero(b, nul, off + size)) return undefined;
      return withTail({ kind, len, family, path: latin1FromBytes(b, false, off + 2, nul) }, b, off, len, STRUCT_SIZE.unix);
    }
    case 'mpls': {
      const at = (i: number) => byteAt(b, off, len, i);
      const shim = ((at(4) << 24) | (at(5) << 16) | (at(6) << 8) | at(7)) >>> 0;
      const sa: MplsSockaddr = { kind, len, family, label: shim >>> 12 };
      if (shim & 0xfff) sa.low = shim & 0xfff;
      const pad0 = le ? at(2) | (at(3) << 8) : (at(2) << 8) | at(3);
      if (pad0) sa.pad0 = pad0;
      let p1 = '';
      for (let i = 8; i < 16; i++) p1 += bytesToHex(Uint8Array.of(at(i)));
      if (!/^0*$/.test(p1)) sa.pad1 = p1;
      return withTail(sa, b, off, len, STRUCT_SIZE.mpls);
    }
    case 'dns': {
      const width = family === AF_INET ? 4 : 16;
      if (len < 2 || (len - 2) % width !== 0) return undefined;
      const addrs: string[] = [];
      for (let p = off + 2; p < off + len; p += width) addrs.push(width === 4 ? formatIPv4(b, p) : formatIPv6(b, p));
      return { kind, len, family, addrs };
    }
    case 'static': case 'search':
      return { kind, len, family, data: bytesToHex(b, off + 2, off + Math.max(len, 2)) };
    case 'bfd': {
      const layout = ctx.dialect.structs['sockaddr_bfd'];
      if (!layout || len !== layout.size) return undefined;
      const v = headerCodec(layout, le).decode(b, dv, off);
      delete v['len'];
      delete v['family'];
      return { kind, len, family, bfd: v };
    }
    case 'unknown':
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// Encoding writes a sockaddr value's struct image straight into the (zero-filled) output,
// then checks that nothing past sa_len was needed: the first max(len, 2) bytes are the
// sockaddr, then `pad` (or zeros) up to ROUNDUP(len). No per-sockaddr allocation.

function bad(path: string, why: string): never {
  throw new RtsockEncodeError('BAD_VALUE', path, why);
}

// Field paths for errors are composed only when an error is thrown: building
// `sockaddrs.dst.port` eagerly would cost more than encoding the field.

function hexInto(path: string, field: string, v: unknown, out: Uint8Array, at: number, max: number): number {
  const b = typeof v === 'string' ? hexToBytes(v.replace(/[:\s]/g, '')) : undefined;
  if (!b) bad(`${path}.${field}`, `${JSON.stringify(v)} is not hex`);
  if (b.length > max) bad(`${path}.${field}`, `${b.length} bytes, at most ${max} fit`);
  out.set(b, at);
  return b.length;
}

function u(path: string, field: string, v: unknown, max: number, dflt = 0): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    bad(`${path}.${field}`, `${JSON.stringify(v)} is not an integer in 0..${max}`);
  }
  return v;
}

function latin1Into(path: string, field: string, s: unknown, out: Uint8Array, at: number, max: number): number {
  if (typeof s !== 'string' || s.length > max) bad(`${path}.${field}`, `${JSON.stringify(s)} is not a string of at most ${max} characters`);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) bad(`${path}.${field}`, 'not a latin1 string');
    out[at + i] = c;
  }
  return s.length;
}

const DEFAULT_FAMILY: Record<Sockaddr['kind'], number> = {
  inet: AF_INET, inet6: AF_INET6, link: AF_LINK, label: AF_UNSPEC, mpls: AF_MPLS, unix: AF_LOCAL,
  dns: AF_INET, static: AF_INET, search: AF_UNSPEC, bfd: AF_UNSPEC, unknown: AF_UNSPEC,
};

/** Largest struct image a sockaddr value can write (the output needs this much room past it). */
export const MAX_SOCKADDR_IMAGE = 512;

/**
 * Writes the struct image of `sa` at `off`; returns its natural length (the sa_len used when
 * the value gives none) and where a `tail` goes.
 */
function writeImage(sa: SockaddrInput, d: Dialect, out: Uint8Array, dv: DataView, off: number, path: string, slot: number): number {
  const le = d.littleEndian;
  switch (sa.kind) {
    case 'inet': {
      if (typeof sa.addr !== 'string' || !writeIPv4Text(sa.addr, out, off + 4, slot)) {
        bad(`${path}.addr`, `${JSON.stringify(sa.addr)} is not an IPv4 address`);
      }
      const port = u(path, 'port', sa.port, 0xffff);
      out[off + 2] = port >> 8;
      out[off + 3] = port & 0xff;
      if (sa.zero !== undefined) hexInto(path, 'zero', sa.zero, out, off + 8, 8);
      return 16;
    }
    case 'inet6': {
      if (!writeIPv6Text(String(sa.addr), out, off + 8, slot)) bad(`${path}.addr`, `${JSON.stringify(sa.addr)} is not an IPv6 address`);
      dv.setUint16(off + 2, u(path, 'port', sa.port, 0xffff));
      dv.setUint32(off + 4, u(path, 'flowinfo', sa.flowinfo, 0xffffffff), le);
      const scope = u(path, 'scope_id', sa.scope_id, 0xffffffff);
      const embed = scope !== 0 && scope <= 0xffff && sa.scope_embedded !== false && isScopedInet6(out, off + 8)
        && out[off + 10] === 0 && out[off + 11] === 0;
      if (embed) {
        out[off + 10] = scope >> 8;
        out[off + 11] = scope & 0xff;
      } else {
        dv.setUint32(off + 24, scope, le);
      }
      return 28;
    }
    case 'link': {
      dv.setUint16(off + 2, u(path, 'index', sa.index, 0xffff), le);
      out[off + 4] = u(path, 'type', sa.type, 0xff);
      const nlen = latin1Into(path, 'name', sa.name ?? '', out, off + 8, 247);
      const alen = sa.lladdr ? hexInto(path, 'lladdr', sa.lladdr, out, off + 8 + nlen, 247 - nlen) : 0;
      const slen = sa.selector ? hexInto(path, 'selector', sa.selector, out, off + 8 + nlen + alen, 247 - nlen - alen) : 0;
      out[off + 5] = nlen;
      out[off + 6] = alen;
      out[off + 7] = slen;
      return 8 + nlen + alen + slen;
    }
    case 'label':
      latin1Into(path, 'label', sa.label, out, off + 2, 32);
      return STRUCT_SIZE.label;
    case 'unix':
      latin1Into(path, 'path', sa.path, out, off + 2, 104);
      return STRUCT_SIZE.unix;
    case 'mpls': {
      dv.setUint16(off + 2, u(path, 'pad0', sa.pad0, 0xffff), le);
      dv.setUint32(off + 4, ((u(path, 'label', sa.label, 0xfffff) << 12) | u(path, 'low', sa.low, 0xfff)) >>> 0);
      if (sa.pad1 !== undefined) hexInto(path, 'pad1', sa.pad1, out, off + 8, 8);
      return STRUCT_SIZE.mpls;
    }
    case 'dns': {
      if (!Array.isArray(sa.addrs)) bad(`${path}.addrs`, 'not an array');
      const v6 = sa.family === AF_INET6 || (sa.family === undefined && sa.addrs.some((a) => String(a).includes(':')));
      const width = v6 ? 16 : 4;
      if (2 + sa.addrs.length * width > 255) bad(`${path}.addrs`, 'too many addresses for one sockaddr');
      sa.addrs.forEach((a, i) => {
        const ok = v6 ? parseIPv6(String(a), out, off + 2 + i * 16) : parseIPv4(String(a), out, off + 2 + i * 4);
        if (!ok) bad(`${path}.addrs[${i}]`, `${JSON.stringify(a)} is not an IPv${v6 ? 6 : 4} address`);
      });
      out[off + 1] = v6 ? AF_INET6 : AF_INET;
      return 2 + sa.addrs.length * width;
    }
    case 'static': case 'search': case 'unknown':
      return 2 + hexInto(path, 'data', sa.data, out, off + 2, 253);
    case 'bfd': {
      const layout = d.structs['sockaddr_bfd'] ?? bad(path, `dialect ${d.name} has no sockaddr_bfd`);
      try {
        headerCodec(layout, le).encode({ ...(sa.bfd ?? {}), len: 0, family: 0 }, dv, out, off);
      } catch (e) {
        // The struct writer names fields from the struct; say where the struct sits.
        if (e instanceof RtsockEncodeError) throw new RtsockEncodeError(e.code, `${path}.bfd.${e.path}`, e.message.slice(e.path.length + 2));
        throw e;
      }
      return layout.size;
    }
    default:
      return bad(`${path}.kind`, `unknown sockaddr kind ${JSON.stringify((sa as { kind: unknown }).kind)}`);
  }
}

/**
 * Writes sockaddr `sa` at `off` of a zero-filled buffer with at least MAX_SOCKADDR_IMAGE
 * bytes of room; returns ROUNDUP(sa_len), the bytes it occupies. Throws RtsockEncodeError.
 */
export function writeSockaddr(
  sa: SockaddrInput, d: Dialect, out: Uint8Array, dv: DataView, off: number, path: string, slot = SHARED_SLOT,
): number {
  if (typeof sa !== 'object' || sa === null) bad(path, 'not a sockaddr object');
  // Fast path for the plain sockaddr_in of most route messages (nothing but kind, addr, port).
  if (sa.kind === 'inet' && sa.len === undefined && sa.family === undefined && sa.zero === undefined
    && sa.tail === undefined && sa.pad === undefined) {
    if (typeof sa.addr !== 'string' || !writeIPv4Text(sa.addr, out, off + 4, slot)) {
      bad(`${path}.addr`, `${JSON.stringify(sa.addr)} is not an IPv4 address`);
    }
    const port = sa.port;
    if (port !== undefined) {
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 0xffff) u(path, 'port', port, 0xffff);
      out[off + 2] = port >> 8;
      out[off + 3] = port & 0xff;
    }
    out[off] = 16;
    out[off + 1] = AF_INET;
    return roundup(16, d.roundup);
  }
  const natural = writeImage(sa, d, out, dv, off, path, slot);
  const tailAt = natural;
  const minimum = sa.kind === 'link' ? Math.max(natural, d.structs['sockaddr_dl']!.size) : natural;
  const len = u(path, 'len', sa.len, 255, minimum);
  const family = u(path, 'family', sa.family, 255, out[off + 1] || DEFAULT_FAMILY[sa.kind]);
  const body = Math.max(len, 2);
  if (sa.tail !== undefined) {
    const n = hexInto(path, 'tail', sa.tail, out, off + tailAt, MAX_SOCKADDR_IMAGE - tailAt);
    if (tailAt + n > body) bad(`${path}.tail`, `does not fit in len ${len}`);
  }
  if (body < natural) {
    // Whatever the image holds past len would be lost: a value that needs it is invalid.
    if (!isAllZero(out, off + body, off + natural)) bad(path, `len ${len} cuts off non-zero fields`);
  }
  out[off] = len;
  out[off + 1] = family;
  const size = roundup(len, d.roundup);
  if (sa.pad !== undefined) hexInto(path, 'pad', sa.pad, out, off + body, size - body);
  return size;
}
