/**
 * What `Ifconfig.addAddress` is given, as SIOCAIFADDR / SIOCAIFADDR_IN6 would receive it: the
 * address text parsed (a scope embedded, the classful mask for an IPv4 address without a
 * length), and an IPv6 address's flags and lifetimes.
 */
import { fail } from './errno.js';
import { INFINITE_REQUEST, ND6_INFINITE_LIFETIME, type Inet6Request } from './in6-lifetime.js';
import { ADDR_BYTES, isLinkLocal6, parseAddress, type Family } from './sockaddr-bytes.js';

/** addAddress options. */
export interface AddressOptions {
  /**
   * Destination address (ifra_dstaddr): of an IPv4 address on a point-to-point interface
   * (ignored elsewhere), or of an IPv6 address on a point-to-point or loopback interface (a
   * /128; `fe80::2` takes the interface's scope).
   */
  dest?: string;
  /**
   * Broadcast address (ifra_broadaddr) of an IPv4 address on a broadcast interface (ignored
   * elsewhere, as in_ioctl_change_ifaddr ignores it). in_ifinit recomputes the broadcast address
   * whenever it runs (a new address, a new mask or destination), so it lasts only for an
   * address re-stated without a mask (ifa_update_broadaddr): it is what ifconfig shows and what
   * the broadcast route is looked up by when the address goes, not a route of its own.
   */
  broadcast?: string;
  /**
   * An IPv6 address's ifra_flags (IN6_IFF_*: ANYCAST, TENTATIVE, and in current AUTOCONF and
   * TEMPORARY, in 4.9 DEPRECATED and PRIVACY; the read-only ones are EINVAL, Inet6AddrPolicy).
   * With AUTOCONF (current) `dest` is the announcing router, not a destination.
   */
  flags?: number;
  /** An IPv6 address's preferred and valid lifetimes in seconds (ND6_INFINITE_LIFETIME, the default, for none). */
  pltime?: number;
  vltime?: number;
}

/** addAddress's ifra_flags and ifra_lifetime: SIOCAIFADDR_IN6's only (EINVAL for an IPv4 address). */
export function inet6Request(af: Family, o: AddressOptions): Inet6Request {
  const given = o.flags !== undefined || o.pltime !== undefined || o.vltime !== undefined;
  if (af !== 'inet6') return given ? fail('EINVAL', 'flags and lifetimes are an IPv6 address\'s') : INFINITE_REQUEST;
  return { flags: o.flags ?? 0, pltime: o.pltime ?? ND6_INFINITE_LIFETIME, vltime: o.vltime ?? ND6_INFINITE_LIFETIME };
}

/** Parses `addr[/len]` (`%ifname` scopes are embedded as the interface index). */
export function parseCidr(text: string, ifindex: number): { af: Family; addr: Uint8Array; plen: number } {
  const [addrPart, lenPart] = text.split('/') as [string, string | undefined];
  const bare = addrPart.replace(/%.*$/, '');
  const a = parseAddress(bare) ?? fail('EINVAL', `bad address ${text}`);
  let plen: number;
  if (lenPart !== undefined) {
    plen = Number(lenPart);
    if (!/^\d+$/.test(lenPart) || plen > ADDR_BYTES[a.af] * 8) fail('EINVAL', `bad prefix length ${text}`);
  } else if (a.af === 'inet6') plen = 64;
  else plen = a.addr[0]! < 128 ? 8 : a.addr[0]! < 192 ? 16 : 24;
  if (a.af === 'inet6' && isLinkLocal6(a.addr)) {
    a.addr[2] = ifindex >> 8;
    a.addr[3] = ifindex & 0xff;
  }
  return { af: a.af, addr: a.addr, plen };
}
