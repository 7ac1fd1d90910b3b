/**
 * The sockaddrs of the commonest routing message, decoded without the general per-slot
 * machinery: DST, GATEWAY and NETMASK as plain sockaddr_in (the netmask also in 4.9's
 * trimmed radix form). Anything else answers "not sure" (undefined) and the caller takes the
 * general path, which produces the same result or raises the error. (The encoder's side is
 * fast-inet-encode.ts.)
 */
import { roundup } from '../abi/dialect.js';
import { formatIPv4Value, isAllZero } from './bytes.js';
import { AF_INET, decodeShortInetMask, type InetSockaddr, type Sockaddr } from './sockaddr.js';
import type { Sockaddrs } from './message.js';

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
  if (len < 8 && p + roundup(len, unit) <= end) return shortMask(b, p, len, unit);
  return undefined;
}

/**
 * 4.9's trimmed radix mask (sa_len < 8): every dump of a 4.9 kernel has one per route, so the
 * common shape (zero padding after sa_len bytes) is read here without the general reader's
 * loop; the object has decodeShortInetMask's keys in its order.
 */
function shortMask(b: Uint8Array, p: number, len: number, unit: number): Sockaddr {
  const body = len > 2 ? len : 2;
  const pad = roundup(len, unit);
  for (let i = body; i < pad; i++) if (b[p + i] !== 0) return decodeShortInetMask(b, p, len, b[p + 1]!, unit);
  const port = len > 3 ? (b[p + 2]! << 8) | b[p + 3]! : len > 2 ? b[p + 2]! << 8 : 0;
  const addr = (len > 4 ? b[p + 4]! << 24 : 0) | (len > 5 ? b[p + 5]! << 16 : 0) | (len > 6 ? b[p + 6]! << 8 : 0);
  return { kind: 'inet', len, family: b[p + 1]!, port, addr: formatIPv4Value(addr) };
}
