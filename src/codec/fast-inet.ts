/**
 * The sockaddrs of the commonest routing message, handled without the general per-slot
 * machinery: DST, GATEWAY and NETMASK as plain sockaddr_in (the netmask also in 4.9's
 * trimmed radix form). Anything else answers "not sure" (undefined / -1) and the caller
 * takes the general path, which produces the same result or raises the error.
 */
import { roundup } from '../abi/dialect.js';
import { formatIPv4Value, isAllZero } from './bytes.js';
import { writeIPv4Text } from './ipv4cache.js';
import { AF_INET, decodeShortInetMask, type InetSockaddr, type Sockaddr, type SockaddrInput } from './sockaddr.js';
import type { Sockaddrs, SockaddrsInput } from './message.js';

/** RTA_DST | RTA_GATEWAY | RTA_NETMASK: the only slots handled here. */
export const FAST_ADDRS = 7;

/** A full sockaddr_in at `p` with sin_zero all zero (what decodeSockaddr's own fast path accepts). */
function fullInet(b: Uint8Array, dv: DataView, p: number, family: number): InetSockaddr {
  return { kind: 'inet', len: 16, family, port: dv.getUint16(p + 2), addr: formatIPv4Value(dv.getInt32(p + 4)) };
}

function isFullInet(b: Uint8Array, dv: DataView, p: number, end: number): boolean {
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
    // DST is inet, so the mask reads as inet whatever its family byte says.
    if (p + 2 > end) return undefined;
    const len = b[p]!;
    if (len === 16) {
      if (!isFullInet(b, dv, p, end)) return undefined;
      netmask = fullInet(b, dv, p, b[p + 1]!);
      p += 16;
    } else if (len < 8) {
      const size = roundup(len, unit);
      if (p + size > end) return undefined;
      netmask = decodeShortInetMask(b, p, len, b[p + 1]!, unit);
      p += size;
    } else {
      return undefined;
    }
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
 * Writes a plain sockaddr_in value (kind, addr, optional port/len <= 16/family; no zero,
 * tail or pad) at `p` of zero-filled memory; returns ROUNDUP(len), or -1 if not such a value
 * (bytes may have been written: the caller wipes them).
 */
function inetInto(sa: SockaddrInput | undefined, out: Uint8Array, p: number, slot: number, unit: number): number {
  if (typeof sa !== 'object' || sa === null || sa.kind !== 'inet') return -1;
  if (sa.zero !== undefined || sa.tail !== undefined || sa.pad !== undefined) return -1;
  // One comparison each checks type, integrality and range (see the generated header writers).
  const port = sa.port === undefined ? 0 : sa.port;
  const len = sa.len === undefined ? 16 : sa.len;
  const family = sa.family === undefined ? AF_INET : sa.family;
  if ((port & 0xffff) !== port || (len & 0x1f) !== len || len > 16 || (family & 0xff) !== family) return -1;
  if (typeof sa.addr !== 'string' || !writeIPv4Text(sa.addr, out, p + 4, slot)) return -1;
  out[p + 2] = port >> 8;
  out[p + 3] = port & 0xff;
  // A trimmed sockaddr (sa_len < 8) must not cut off non-zero port or address bytes.
  if (len < 8 && !isAllZero(out, p + (len > 2 ? len : 2), p + 8)) return -1;
  out[p] = len;
  out[p + 1] = family;
  return roundup(len, unit);
}

/**
 * Writes the sockaddrs of `sas` at `p` when they are plain sockaddr_in values in DST,
 * GATEWAY and NETMASK only; returns (bytes written << 3) | addrs bits, or -1.
 */
export function encodeInetSockaddrs(sas: SockaddrsInput | undefined, out: Uint8Array, p: number, unit: number): number {
  if (typeof sas !== 'object' || sas === null) return -1;
  let keys = 0;
  for (const k in sas) if (sas[k] !== undefined) keys++;
  // inetInto never returns 0, so 0 marks an absent slot.
  const dst = sas.dst, gateway = sas.gateway, netmask = sas.netmask;
  const n0 = dst === undefined ? 0 : inetInto(dst, out, p, 0, unit);
  if (n0 < 0) return -1;
  const n1 = gateway === undefined ? 0 : inetInto(gateway, out, p + n0, 1, unit);
  if (n1 < 0) return -1;
  const n2 = netmask === undefined ? 0 : inetInto(netmask, out, p + n0 + n1, 2, unit);
  if (n2 < 0) return -1;
  // A key of any other slot (or none) is the general path's to handle.
  if (keys !== (n0 && 1) + (n1 && 1) + (n2 && 1)) return -1;
  return ((n0 + n1 + n2) << 3) | (n0 && 1) | (n1 && 2) | (n2 && 4);
}
