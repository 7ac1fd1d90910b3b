/**
 * gif(4) tunnel endpoints and parameters: the SIOCSLIFPHYADDR, SIOCDIFPHYADDR, SIOCGLIFPHYADDR,
 * SIOCSLIFPHYRTABLE, SIOCSLIFPHYTTL, SIOCSLIFPHYDF and SIOCSLIFPHYECN cases of gif_ioctl. Current
 * from if_gif.c 1.141 (gif_set_tunnel, gif_get_tunnel, gif_del_tunnel, gif_clone_create); 4.9
 * from the SIOCSLIFPHYADDR case if_gif.c kept unchanged from 1.40 (2007) to 1.70 (2014). What
 * differs is DialectPolicy.tunnel. Only gif(4) answers them; every other interface's ioctl
 * routine ends in ENOTTY (ether_ioctl, loioctl).
 */
import { IFF_RUNNING, RT_TABLEID_MAX } from './constants.js';
import { fail } from './errno.js';
import type { Interface } from './interface.js';
import type { Kernel } from './kernel.js';
import { ADDR_BYTES, bytesEqual, formatAddress, isLinkLocal6, parseAddress, type Family } from './sockaddr-bytes.js';

/** ip_defttl: gif_clone_create's tunnel TTL. */
const IP_DEFTTL = 64;

/** One gif's tunnel (struct gif_tunnel and the softc's ttl/df/ecn), as gif_clone_create leaves it. */
export class GifTunnel {
  /** t_af: the endpoints' family, undefined for AF_UNSPEC (none set, or deleted). */
  af: Family | undefined = undefined;
  /**
   * t_src / t_dst: a union of an in_addr (the first four bytes) and an in6_addr; a link-local
   * IPv6 endpoint carries its scope embedded in bytes 2-3 where the dialect embeds it.
   */
  readonly src = new Uint8Array(16);
  readonly dst = new Uint8Array(16);
  /** 4.9 keeps each sockaddr_in6 whole: its sin6_scope_id (0 in current, where it is embedded). */
  srcScope = 0;
  dstScope = 0;
  /** t_rtableid: the routing table the encapsulated packets use (tunneldomain). */
  rdomain = 0;
  /** sc_ttl: 1..255, or -1 to copy the inner packet's. */
  ttl = IP_DEFTTL;
  /** sc_df: IP_DF on the outer header. */
  df = false;
  /** sc_ecn: ECN_ALLOWED (true) or ECN_FORBIDDEN. */
  ecn = true;
}

/** An endpoint as a sockaddr_in/sockaddr_in6 would carry it. */
export interface TunnelEndpoint {
  af: Family;
  /** The address without an embedded scope. */
  address: string;
  /** sin6_scope_id (0: none). */
  scope: number;
}

/** SIOCGLIFPHYADDR's answer. */
export interface TunnelAddresses {
  src: TunnelEndpoint;
  dst: TunnelEndpoint;
}

/** SIOCGLIFPHYRTABLE and, where the dialect has them, SIOCGLIFPHYTTL / DF / ECN. */
export interface TunnelParameters {
  rdomain: number;
  ttl?: number;
  df?: boolean;
  ecn?: boolean;
}

interface Sockaddr {
  af: Family;
  addr: Uint8Array;
  scope: number;
}

export class TunnelIoctls {
  /** `bringUp` is if_up (RTM_IFINFO, then the interface's routes follow), for 4.9's SIOCSLIFPHYADDR. */
  constructor(private readonly k: Kernel, private readonly bringUp: (ifp: Interface) => void) {}

  private tunnelOf(ifp: Interface): GifTunnel {
    return ifp.tunnel ?? fail('ENOTTY', `${ifp.name} has no tunnel`);
  }

  /**
   * SIOCSLIFPHYADDR. `src` and `dst` are numeric addresses, an IPv6 one with `%scope` (an
   * interface name or index) if wanted; `dst` undefined is an AF_UNSPEC sockaddr (ifconfig's
   * tunneladdr). Endpoints of different families are EINVAL. Current (gif_set_tunnel): an
   * unspecified or multicast source or a multicast destination is EINVAL; link-local scopes are
   * embedded, an index no interface has being ENXIO — after the source was written, as
   * in6_embedscope writes its result before it can fail. 4.9: the pair another gif has, or a
   * second unspecified destination, is EADDRNOTAVAIL; then IFF_RUNNING and if_up.
   */
  set(ifp: Interface, srcText: string, dstText: string | undefined): void {
    const t = this.tunnelOf(ifp);
    const p = this.k.policy.tunnel;
    const src = this.sockaddr(srcText);
    const dst = dstText === undefined ? undefined : this.sockaddr(dstText);
    if (!dst || src.af !== dst.af) fail('EINVAL', 'the tunnel endpoints are of different families');
    if (p.checksEndpoints && (isUnspecified(src.addr) || isMulticast(src.af, src.addr) || isMulticast(dst.af, dst.addr))) {
      fail('EINVAL', 'an unspecified or multicast source, or a multicast destination');
    }
    if (p.uniquePairs) this.checkUnique(ifp, src, dst);
    if (p.embedsScope) {
      this.store(t.src, src);
      this.store(t.dst, dst);
      t.srcScope = t.dstScope = 0;
    } else {
      t.src.set(src.addr);
      t.dst.set(dst.addr);
      t.srcScope = src.scope;
      t.dstScope = dst.scope;
    }
    t.af = src.af;
    if (p.setBringsUp) {
      ifp.flags |= IFF_RUNNING;
      this.bringUp(ifp);
    }
  }

  /** SIOCDIFPHYADDR: t_af back to AF_UNSPEC; no flag changes, in either dialect. */
  delete(ifp: Interface): void {
    this.tunnelOf(ifp).af = undefined;
  }

  /** SIOCGLIFPHYADDR: EADDRNOTAVAIL while none is set; current recovers embedded scopes. */
  get(ifp: Interface): TunnelAddresses {
    const t = this.tunnelOf(ifp);
    if (t.af === undefined) fail('EADDRNOTAVAIL', `${ifp.name} has no tunnel`);
    return { src: endpointOf(t.af, t.src, t.srcScope), dst: endpointOf(t.af, t.dst, t.dstScope) };
  }

  /** SIOCSLIFPHYRTABLE: an rdomain id up to RT_TABLEID_MAX whose table exists (rtable_exists), else EINVAL. */
  setRdomain(ifp: Interface, rdomain: number): void {
    const t = this.tunnelOf(ifp);
    if (!Number.isInteger(rdomain) || rdomain < 0 || rdomain > RT_TABLEID_MAX || !this.k.table(rdomain)) {
      fail('EINVAL', `no routing table ${rdomain}`);
    }
    t.rdomain = rdomain;
  }

  /** SIOCSLIFPHYTTL: 1..255, or -1 (copy the inner packet's), else EINVAL. */
  setTtl(ifp: Interface, ttl: number): void {
    const t = this.withOptions(ifp);
    if (ttl !== -1 && (!Number.isInteger(ttl) || ttl < 1 || ttl > 0xff)) fail('EINVAL', `tunnel ttl ${ttl}`);
    t.ttl = ttl;
  }

  /** SIOCSLIFPHYDF. */
  setDf(ifp: Interface, df: boolean): void {
    this.withOptions(ifp).df = df;
  }

  /** SIOCSLIFPHYECN. */
  setEcn(ifp: Interface, ecn: boolean): void {
    this.withOptions(ifp).ecn = ecn;
  }

  parameters(ifp: Interface): TunnelParameters {
    const t = this.tunnelOf(ifp);
    return this.k.policy.tunnel.options ? { rdomain: t.rdomain, ttl: t.ttl, df: t.df, ecn: t.ecn } : { rdomain: t.rdomain };
  }

  /** 4.9's gif_ioctl knows no SIOCSLIFPHYTTL / DF / ECN (they came with the 2018 rewrite). */
  private withOptions(ifp: Interface): GifTunnel {
    const t = this.tunnelOf(ifp);
    if (!this.k.policy.tunnel.options) fail('ENOTTY', 'no tunnel options in this dialect');
    return t;
  }

  /** in6_embedscope: a link-local address takes a non-zero sin6_scope_id in bytes 2-3, if an interface has that index. */
  private store(into: Uint8Array, sa: Sockaddr): void {
    into.set(sa.addr);
    if (sa.af !== 'inet6' || !isLinkLocal6(sa.addr) || sa.scope === 0) return;
    if (!this.k.interfaceByIndex(sa.scope)) fail('ENXIO', `no interface with index ${sa.scope}`);
    into[2] = (sa.scope >> 8) & 0xff;
    into[3] = sa.scope & 0xff;
  }

  /** 4.9's walk of gif_softc_list over the other gifs with a tunnel of the same family. */
  private checkUnique(ifp: Interface, src: Sockaddr, dst: Sockaddr): void {
    const n = ADDR_BYTES[src.af];
    for (const other of this.k.interfaces.values()) {
      const t = other.tunnel;
      if (other === ifp || !t || t.af !== src.af) continue;
      const same = (a: Uint8Array, scope: number, sa: Sockaddr) => scope === sa.scope && bytesEqual(a.subarray(0, n), sa.addr);
      if (same(t.src, t.srcScope, src) && same(t.dst, t.dstScope, dst)) fail('EADDRNOTAVAIL', `${other.name} has this pair`);
      if (isUnspecified(dst.addr) && isUnspecified(t.dst.subarray(0, n))) fail('EADDRNOTAVAIL', `${other.name} has an unspecified destination too`);
    }
  }

  /** `address[%scope]`: the scope an interface name or a number; anything else is EINVAL. */
  private sockaddr(text: string): Sockaddr {
    const pct = text.indexOf('%');
    const a = parseAddress(pct < 0 ? text : text.slice(0, pct)) ?? fail('EINVAL', `bad address ${text}`);
    let scope = 0;
    if (pct >= 0) {
      const zone = text.slice(pct + 1);
      scope = /^\d+$/.test(zone) ? Number(zone) : this.k.ifconfig.indexOf(zone);
      if (a.af !== 'inet6' || (scope === 0 && !/^\d+$/.test(zone)) || scope > 0xffffffff) fail('EINVAL', `bad scope in ${text}`);
    }
    return { af: a.af, addr: a.addr, scope };
  }
}

/** in6_recoverscope for an embedded link-local scope (current); 4.9's stored sin6_scope_id otherwise. */
function endpointOf(af: Family, stored: Uint8Array, keptScope: number): TunnelEndpoint {
  const addr = stored.slice(0, ADDR_BYTES[af]);
  let scope = keptScope;
  if (af === 'inet6' && isLinkLocal6(addr) && (addr[2] !== 0 || addr[3] !== 0)) {
    scope = (addr[2]! << 8) | addr[3]!;
    addr[2] = addr[3] = 0;
  }
  return { af, address: formatAddress(af, addr), scope };
}

function isUnspecified(addr: Uint8Array): boolean {
  return addr.every((b) => b === 0);
}

/** IN_MULTICAST (224/4) / IN6_IS_ADDR_MULTICAST (ff00::/8). */
function isMulticast(af: Family, addr: Uint8Array): boolean {
  return af === 'inet' ? (addr[0]! & 0xf0) === 0xe0 : addr[0] === 0xff;
}

/**
 * A tunnel in a kernel snapshot: only what differs from gif_clone_create's defaults; the
 * endpoints (their family's bytes, hex, as stored) only while a family is set.
 */
export interface TunnelSnapshot {
  af?: Family;
  src?: string;
  dst?: string;
  srcScope?: number;
  dstScope?: number;
  rdomain?: number;
  ttl?: number;
  df?: boolean;
  ecn?: boolean;
}

export function snapshotTunnel(t: GifTunnel): TunnelSnapshot | undefined {
  const d = new GifTunnel();
  const s: TunnelSnapshot = {};
  if (t.af !== undefined) {
    const n = ADDR_BYTES[t.af];
    Object.assign(s, { af: t.af, src: hexOf(t.src.subarray(0, n)), dst: hexOf(t.dst.subarray(0, n)) });
    if (t.srcScope !== 0) s.srcScope = t.srcScope;
    if (t.dstScope !== 0) s.dstScope = t.dstScope;
  }
  if (t.rdomain !== d.rdomain) s.rdomain = t.rdomain;
  if (t.ttl !== d.ttl) s.ttl = t.ttl;
  if (t.df !== d.df) s.df = t.df;
  if (t.ecn !== d.ecn) s.ecn = t.ecn;
  return Object.keys(s).length > 0 ? s : undefined;
}

/** Restores a snapshot's tunnel into `t`; returns why it is inconsistent, or undefined. */
export function restoreTunnel(t: GifTunnel, s: TunnelSnapshot): string | undefined {
  const uint = (v: unknown, max: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;
  if (s.af !== undefined) {
    const n = ADDR_BYTES[s.af];
    const hexRe = new RegExp(`^[0-9a-f]{${2 * n}}$`);
    if (!n || !hexRe.test(s.src ?? '') || !hexRe.test(s.dst ?? '')) return `tunnel endpoints ${String(s.src)} ${String(s.dst)}`;
    t.af = s.af;
    t.src.set(Buffer.from(s.src!, 'hex'));
    t.dst.set(Buffer.from(s.dst!, 'hex'));
    for (const k of ['srcScope', 'dstScope'] as const) {
      if (s[k] === undefined) continue;
      if (!uint(s[k], 0xffffffff)) return `tunnel scope ${String(s[k])}`;
      t[k] = s[k]!;
    }
  }
  if (s.rdomain !== undefined) {
    if (!uint(s.rdomain, RT_TABLEID_MAX)) return `tunnel rdomain ${String(s.rdomain)}`;
    t.rdomain = s.rdomain;
  }
  if (s.ttl !== undefined) {
    if (s.ttl !== -1 && !(uint(s.ttl, 0xff) && s.ttl >= 1)) return `tunnel ttl ${String(s.ttl)}`;
    t.ttl = s.ttl;
  }
  if (s.df !== undefined) t.df = s.df === true;
  if (s.ecn !== undefined) t.ecn = s.ecn === true;
  return undefined;
}

function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
