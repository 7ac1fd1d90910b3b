/** A route as plain data, for route(8)-style listings and tests. */
import { formatIPv4 } from '../codec/bytes.js';
import { RTP_MASK } from './constants.js';
import type { IfAddr } from './interface.js';
import type { Rtentry } from './rtentry.js';
import { formatAddress, isScoped6, labelOf, linkIndexOf, type Family } from './sockaddr-bytes.js';

export interface RouteInfo {
  af: Family;
  tableid: number;
  /** Destination address (masked), scope removed; `dst/plen` gives the prefix. */
  dst: string;
  plen: number;
  /** Gateway text: an address, `link#N` or the link's name. */
  gateway: string;
  flags: number;
  refs: number;
  use: number;
  mtu: number;
  locks: number;
  expire: number;
  /** Priority without the DOWN bit. */
  priority: number;
  ifname: string;
  ifindex: number;
  /** The route's interface address (rt_ifa; RTA_IFA unless the table has a preferred source), scope as `%N`. */
  ifa: string;
  label: string;
}

function addrText(af: Family, bytes: Uint8Array): string {
  if (af === 'inet6' && isScoped6(bytes) && (bytes[2] || bytes[3])) {
    const b = bytes.slice();
    const scope = (b[2]! << 8) | b[3]!;
    b[2] = 0;
    b[3] = 0;
    return `${formatAddress(af, b)}%${scope}`;
  }
  return formatAddress(af, bytes);
}

function gatewayText(sa: Uint8Array, le: boolean): string {
  const family = sa[1];
  if (family === 2 && sa.length >= 8) return formatIPv4(sa, 4);
  if (family === 24 && sa.length >= 24) return addrText('inet6', sa.subarray(8, 24));
  if (family === 18) {
    const nlen = sa[5]!, alen = sa[6]!;
    if (alen > 0) return Array.from(sa.subarray(8 + nlen, 8 + nlen + alen), (b) => b.toString(16).padStart(2, '0')).join(':');
    if (nlen > 0) return String.fromCharCode(...sa.subarray(8, 8 + nlen));
    return `link#${linkIndexOf(sa, le)}`;
  }
  if (family === 0 && sa.length >= 34) return labelOf(sa);
  return `(${family})`;
}

/** Interface addresses are few and never change: their text is made once (lookup() describes every hit). */
const ifaTexts = new WeakMap<IfAddr, string>();
function ifaText(ifa: IfAddr): string {
  let text = ifaTexts.get(ifa);
  if (text === undefined) ifaTexts.set(ifa, (text = addrText(ifa.af, ifa.addr)));
  return text;
}

export function describeRoute(k: { littleEndian: boolean }, rt: Rtentry): RouteInfo {
  return {
    af: rt.af, tableid: rt.tableid, dst: addrText(rt.af, rt.dst), plen: rt.plen,
    gateway: gatewayText(rt.gateway, k.littleEndian), flags: rt.flags, refs: rt.refs, use: rt.use, mtu: rt.mtu,
    locks: rt.locks, expire: rt.expire, priority: rt.priority & RTP_MASK, ifname: rt.ifp.name, ifindex: rt.ifp.index,
    ifa: ifaText(rt.ifa), label: rt.label,
  };
}
