/**
 * The sockaddrs of the kernel's own route messages, read without the general per-slot walk:
 * replies to RTM_ADD/GET/CHANGE and route reports carry DST, GATEWAY, NETMASK, IFP (the
 * interface's sockaddr_dl) and IFA, as plain sockaddr_in or sockaddr_in6. The general walk
 * pays a slot-mode dispatch per sockaddr and the kind switch for the link address; here each
 * slot takes the one form it has in such messages. Anything else answers undefined and the
 * caller takes the general path, which produces the same result or raises the error.
 */
import { roundup, type Dialect } from '../abi/dialect.js';
import { isAllZero } from './bytes.js';
import { fullInet, inetMask, isFullInet } from './fast-inet.js';
import { AF_INET, AF_INET6, AF_LINK, decodeFullInet6, decodeLink, type Sockaddr } from './sockaddr.js';
import type { Sockaddrs } from './message.js';

/** RTA_DST | RTA_GATEWAY | RTA_NETMASK | RTA_IFP | RTA_IFA: the slots handled here. */
export const REPLY_ADDRS = 0x37;
const RTA_GATEWAY = 2, RTA_NETMASK = 4, RTA_IFP = 16, RTA_IFA = 32;

/**
 * A full sockaddr_in (sin_zero all zero) or sockaddr_in6 at `p`, as the general decoder reads
 * it in an address slot; undefined for any other form. `v6` is whether ROUNDUP(28) is 32, the
 * only size decodeFullInet6 reads (i386 fits it exactly and goes the general way).
 */
function plainAddress(b: Uint8Array, dv: DataView, p: number, end: number, v6: boolean, le: boolean): Sockaddr | undefined {
  const family = b[p + 1]!;
  if (family === AF_INET) return isFullInet(b, dv, p, end) ? fullInet(b, dv, p, family) : undefined;
  if (b[p] === 28 && family === AF_INET6 && v6 && p + 32 <= end) return decodeFullInet6(b, p, family, false, le);
  return undefined;
}

/** The netmask at `p` of a route of family `routeFamily` (read in that family whatever its own byte says). */
function plainMask(b: Uint8Array, dv: DataView, p: number, end: number, routeFamily: number, d: Dialect, v6: boolean): Sockaddr | undefined {
  if (routeFamily === AF_INET) return inetMask(b, dv, p, end, d.roundup);
  if (b[p] === 28 && v6 && p + 32 <= end) return decodeFullInet6(b, p, b[p + 1]!, true, d.littleEndian);
  return undefined;
}

/**
 * Decodes the sockaddrs of `addrs` (DST set, nothing outside {@link REPLY_ADDRS}) at `p`, up to
 * `end`; undefined unless every one is a form read here and nothing but zeros follows them.
 */
export function decodeReplySockaddrs(b: Uint8Array, dv: DataView, p: number, end: number, addrs: number, d: Dialect): Sockaddrs | undefined {
  if (p + 2 > end) return undefined;
  const unit = d.roundup;
  const le = d.littleEndian;
  const v6 = roundup(28, unit) === 32;
  const routeFamily = b[p + 1]!;
  const dst = plainAddress(b, dv, p, end, v6, le);
  if (dst === undefined) return undefined;
  p += roundup(b[p]!, unit);
  let gateway: Sockaddr | undefined;
  if (addrs & RTA_GATEWAY) {
    if (p + 2 > end || (gateway = plainAddress(b, dv, p, end, v6, le)) === undefined) return undefined;
    p += roundup(b[p]!, unit);
  }
  let netmask: Sockaddr | undefined;
  if (addrs & RTA_NETMASK) {
    if (p + 2 > end || (netmask = plainMask(b, dv, p, end, routeFamily, d, v6)) === undefined) return undefined;
    p += roundup(b[p]!, unit);
  }
  let ifp: Sockaddr | undefined;
  if (addrs & RTA_IFP) {
    if (p + 2 > end || b[p + 1] !== AF_LINK) return undefined;
    const len = b[p]!;
    const size = roundup(len, unit);
    // Pad bytes past sa_len are the general path's to keep.
    if (p + size > end || (size > len && !isAllZero(b, p + len, p + size))) return undefined;
    if ((ifp = decodeLink(b, dv, p, len, AF_LINK, le)) === undefined) return undefined;
    p += size;
  }
  let ifa: Sockaddr | undefined;
  if (addrs & RTA_IFA) {
    if (p + 2 > end || (ifa = plainAddress(b, dv, p, end, v6, le)) === undefined) return undefined;
    p += roundup(b[p]!, unit);
  }
  if (p < end && !isAllZero(b, p, end)) return undefined;
  // Keys in RTAX order, as the general decoder stores them.
  if (addrs === REPLY_ADDRS) return { dst, gateway, netmask, ifp, ifa };
  const out: Sockaddrs = { dst };
  if (gateway) out.gateway = gateway;
  if (netmask) out.netmask = netmask;
  if (ifp) out.ifp = ifp;
  if (ifa) out.ifa = ifa;
  return out;
}
