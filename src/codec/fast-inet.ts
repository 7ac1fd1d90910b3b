/**
 * The sockaddrs of the commonest routing message, handled without the general per-slot
 * machinery: DST, GATEWAY and NETMASK as plain sockaddr_in (the netmask also in 4.9's
 * trimmed radix form); when encoding, plain sockaddr_in6 as well. Anything else answers
 * "not sure" (undefined / -1) and the caller takes the general path, which produces the same
 * result or raises the error.
 */
import { roundup } from '../abi/dialect.js';
import { formatIPv4Value, isAllZero } from './bytes.js';
import { writeIPv4Text, writeIPv6Text } from './addr-text-cache.js';
import { AF_INET, AF_INET6, decodeShortInetMask, type InetSockaddr, type Sockaddr, type SockaddrInput } from './sockaddr.js';
import type { Sockaddrs, SockaddrsInput } from './message.js';

/** RTA_DST | RTA_GATEWAY | RTA_NETMASK: the only slots handled here. */
export const FAST_ADDRS = 7;

/** A full sockaddr_in at `p` with sin_zero all zero (what decodeSockaddr's own fast path accepts). */
export function fullInet(b: Uint8Array, dv: DataView, p: number, family: number): InetSockaddr {
  return { kind: 'inet', len: 16, family, port: dv.getUint16(p + 2), addr: formatIPv4Value(dv.getInt32(p + 4)) };
}

export function isFullInet(b: Uint8Array, dv: DataView, p: number, end: number): boolean {
  return p + 16 <= end && b[p] === 16 && dv.getInt32(p + 8) === 0 && dv.getInt32(p + 12) === 0;
}

/**
 * Decodes the sockaddrs of `addrs` (DST set, nothing past NETMASK) at `p`, up to `end`;
 * undefined unless every one is a form read here and nothing but zeros follows them.
 * `unit` is the dialect's ROUNDUP (callers ensure ROUNDUP(16) is 16).
 */
export function decodeInetSockaddrs(b: Uint8Array, dv: DataView, p: number, end: number, addrs: number, unit: number): Sockaddrs | undefined {
  if (!isFullInet(b, dv, p, end) || b[p + 1] !== AF_INET) return undefined;
  const dst = fullInet(b, dv, p, AF_INET);
  p += 16;
  let gateway: Sockaddr | undefined;
  if (addrs & 2) {
    if (!isFullInet(b, dv, p, end) || b[p + 1] !== AF_INET) return undefined;
    gateway = fullInet(b, dv, p, AF_INET);
    p += 16;
  }
  let netmask: Sockaddr | undefined;
  if (addrs & 4) {
    if (p + 2 > end || (netmask = inetMask(b, dv, p, end, unit)) === undefined) return undefined;
    p += roundup(b[p]!, unit);
  }
  if (p < end && !isAllZero(b, p, end)) return undefined;
  // Keys in RTAX order, as the general decoder stores them.
  if (addrs === FAST_ADDRS) return { dst, gateway, netmask };
  const out: Sockaddrs = { dst };
  if (gateway) out.gateway = gateway;
  if (netmask) out.netmask = netmask;
  return out;
}

/**
 * The netmask at `p` (sa_len readable) of an IPv4 route: read as inet whatever its family byte
 * says, full (sin_zero zero) or 4.9's trimmed radix form; it takes ROUNDUP(sa_len) bytes.
 */
export function inetMask(b: Uint8Array, dv: DataView, p: number, end: number, unit: number): Sockaddr | undefined {
  const len = b[p]!;
  if (len === 16) return isFullInet(b, dv, p, end) ? fullInet(b, dv, p, b[p + 1]!) : undefined;
  if (len < 8 && p + roundup(len, unit) <= end) return decodeShortInetMask(b, p, len, b[p + 1]!, unit);
  return undefined;
}

// Encoding is split in two so that nothing is written until everything is known to fit the
// fast path: scanInetSockaddrs validates the sockaddrs and keeps their images here, then
// writeInetSockaddrs stores every byte of them. A caller can thus encode straight into a
// buffer it does not own (encodeMessageInto) and fall back to the general path untouched.

/** Per slot (DST, GATEWAY, NETMASK): the image's first word (len, family, port), big-endian. */
const headWord = new Int32Array(3);
/** Per slot: the address bytes, parsed in place (the per-slot text cache writes bytes). */
const addrBytes = new Uint8Array(12);
const addrView = new DataView(addrBytes.buffer);
/** Per slot: ROUNDUP(sa_len), the bytes the image takes (0 when the slot is absent). */
const imageSize = new Int32Array(3);
/** Bit i: slot i holds a sockaddr_in6, whose flowinfo and 16 address bytes are kept here. */
let inet6Slots = 0;
const flowinfo = new Uint32Array(3);
const addr6 = new Uint8Array(48);
const addr6View = new DataView(addr6.buffer);

/**
 * Validates a plain sockaddr_in value (kind, addr, optional port/len <= 16/family; no zero,
 * tail or pad) for slot `i`; returns ROUNDUP(len), or -1 if not such a value.
 */
function scanInet(sa: SockaddrInput | undefined, i: number, unit: number): number {
  if (typeof sa !== 'object' || sa === null || sa.kind !== 'inet') return scanOther(sa, i, unit);
  if (sa.zero !== undefined || sa.tail !== undefined || sa.pad !== undefined) return -1;
  // One comparison each checks type, integrality and range (see the generated header writers).
  const port = sa.port === undefined ? 0 : sa.port;
  const len = sa.len === undefined ? 16 : sa.len;
  const family = sa.family === undefined ? AF_INET : sa.family;
  if ((port & 0xffff) !== port || (len & 0x1f) !== len || len > 16 || (family & 0xff) !== family) return -1;
  if (typeof sa.addr !== 'string' || !writeIPv4Text(sa.addr, addrBytes, i << 2, i)) return -1;
  const head = (len << 24) | (family << 16) | port;
  // A trimmed sockaddr (sa_len < 8) must not cut off non-zero port or address bytes.
  if (len < 8 && !trimmedTailIsZero(head, addrView.getInt32(i << 2), len)) return -1;
  headWord[i] = head;
  return (imageSize[i] = roundup(len, unit));
}

/** scanInet for what is not a sockaddr_in (kept out of scanInet, which stays small). */
function scanOther(sa: SockaddrInput | undefined, i: number, unit: number): number {
  return typeof sa === 'object' && sa !== null && sa.kind === 'inet6' ? scanInet6(sa, i, unit) : -1;
}

/**
 * scanInet for a plain sockaddr_in6: sa_len 28 (given or not), no tail or pad, and scope id 0.
 * A non-zero scope id may have to be embedded in the address (KAME), which the general writer
 * decides; with 0 nothing is embedded and bytes 24-27 stay zero (scope_embedded is then unread).
 */
function scanInet6(sa: Extract<SockaddrInput, { kind: 'inet6' }>, i: number, unit: number): number {
  if (sa.tail !== undefined || sa.pad !== undefined || (sa.scope_id !== undefined && sa.scope_id !== 0)) return -1;
  const port = sa.port === undefined ? 0 : sa.port;
  const flow = sa.flowinfo === undefined ? 0 : sa.flowinfo;
  const family = sa.family === undefined ? AF_INET6 : sa.family;
  if ((sa.len !== undefined && sa.len !== 28) || (port & 0xffff) !== port || (flow >>> 0) !== flow || (family & 0xff) !== family) return -1;
  if (typeof sa.addr !== 'string' || !writeIPv6Text(sa.addr, addr6, i << 4, i)) return -1;
  headWord[i] = (28 << 24) | (family << 16) | port;
  flowinfo[i] = flow;
  inet6Slots |= 1 << i;
  return (imageSize[i] = roundup(28, unit));
}

/** Whether bytes [max(len, 2), 8) of the image (head word, address word) are zero. */
function trimmedTailIsZero(head: number, addr: number, len: number): boolean {
  const from = len > 2 ? len : 2;
  // Byte k of the 8-byte image sits (7 - k) bytes from the low end of (head:addr).
  const headMask = from >= 4 ? 0 : 0xffffffff >>> (from * 8);
  const addrMask = from >= 8 ? 0 : from <= 4 ? 0xffffffff : 0xffffffff >>> ((from - 4) * 8);
  return (head & headMask) === 0 && (addr & addrMask) === 0;
}

/**
 * Validates the sockaddrs of `sas` when they are plain sockaddr_in values in DST, GATEWAY and
 * NETMASK only, writing nothing; returns (bytes they take << 3) | addrs bits, or -1. The
 * images are kept for {@link writeInetSockaddrs}.
 */
export function scanInetSockaddrs(sas: SockaddrsInput | undefined, unit: number): number {
  if (typeof sas !== 'object' || sas === null) return -1;
  // Counting keys, not defined values (no keyed load per key: half the loop's cost): a key
  // holding undefined makes the counts differ and the general path decides.
  let keys = 0;
  for (const _ in sas) keys++;
  inet6Slots = 0;
  // scanInet never returns 0, so 0 marks an absent slot.
  const dst = sas.dst, gateway = sas.gateway, netmask = sas.netmask;
  const n0 = dst === undefined ? 0 : scanInet(dst, 0, unit);
  if (n0 < 0) return -1;
  const n1 = gateway === undefined ? 0 : scanInet(gateway, 1, unit);
  if (n1 < 0) return -1;
  const n2 = netmask === undefined ? 0 : scanInet(netmask, 2, unit);
  if (n2 < 0) return -1;
  // A key of any other slot (or none) is the general path's to handle.
  if (keys !== (n0 && 1) + (n1 && 1) + (n2 && 1)) return -1;
  imageSize[0] = n0;
  imageSize[1] = n1;
  imageSize[2] = n2;
  return ((n0 + n1 + n2) << 3) | (n0 && 1) | (n1 && 2) | (n2 && 4);
}

/**
 * Stores every byte of the images scanInetSockaddrs just accepted, from `p` of `dv`; `le`: the
 * dialect's byte order (sin6_flowinfo is a host-order field).
 */
export function writeInetSockaddrs(dv: DataView, p: number, le: boolean): void {
  if (inet6Slots !== 0) {
    writeMixed(dv, p, le);
    return;
  }
  for (let i = 0; i < 3; i++) p += writeInet(dv, p, i);
}

/** writeInetSockaddrs when some slot holds a sockaddr_in6 (kept apart: the IPv4-only loop stays small). */
function writeMixed(dv: DataView, p: number, le: boolean): void {
  for (let i = 0; i < 3; i++) {
    if ((inet6Slots & (1 << i)) === 0) {
      p += writeInet(dv, p, i);
      continue;
    }
    // 28 bytes, then 4 pad bytes where ROUNDUP(28) is 32.
    const a = i << 4;
    dv.setInt32(p, headWord[i]!);
    dv.setUint32(p + 4, flowinfo[i]!, le);
    dv.setInt32(p + 8, addr6View.getInt32(a));
    dv.setInt32(p + 12, addr6View.getInt32(a + 4));
    dv.setInt32(p + 16, addr6View.getInt32(a + 8));
    dv.setInt32(p + 20, addr6View.getInt32(a + 12));
    dv.setInt32(p + 24, 0);
    if (imageSize[i]! > 28) dv.setInt32(p + 28, 0);
    p += imageSize[i]!;
  }
}

/** The sockaddr_in image of slot `i` at `p` (nothing when the slot is absent); returns its size. */
function writeInet(dv: DataView, p: number, i: number): number {
  const size = imageSize[i]!;
  if (size === 0) return 0;
  // Sizes are 4, 8, 12 or 16 (ROUNDUP of a length <= 16); bytes 8-15 are sin_zero.
  dv.setInt32(p, headWord[i]!);
  if (size > 4) dv.setInt32(p + 4, addrView.getInt32(i << 2));
  if (size > 8) dv.setInt32(p + 8, 0);
  if (size > 12) dv.setInt32(p + 12, 0);
  return size;
}
