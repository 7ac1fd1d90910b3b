/**
 * route.c semantics: RTM_ADD / DELETE / CHANGE / GET (and 4.9's RTM_LOCK) on one table,
 * interface-address selection (rtm_getifa / ifa_ifwithroute), next-hop caching (rt_setgwroute),
 * multipath bookkeeping and the loopback route hook. Errors are thrown as RtsockErrno.
 */
import {
  AF_LINK, RTF_ANNOUNCE, RTF_BROADCAST, RTF_CACHED, RTF_CLONED, RTF_CLONING, RTF_CONNECTED, RTF_DYNAMIC, RTF_GATEWAY, RTF_HOST, RTF_LLINFO,
  RTF_LOCAL, RTF_MPATH, RTF_MULTICAST, RTF_STATIC, RTF_UP, RTP_ANY, RTP_DOWN, RTP_MASK, RTP_STATIC, RTV_EXPIRE, RTV_MTU, LOMTU,
} from './constants.js';
import type { KernelContext } from './context.js';
import type { RtRequest } from './neighbours.js';
import { ERRNO, fail, RtsockErrno } from './errno.js';
import type { IfAddr, Interface } from './interface.js';
import type { RoutingTable } from './routing-table.js';
import { Rtentry } from './rtentry.js';
import {
  ADDR_BYTES, applyMask, familyOf, gatewayMatches, inetSockaddr, linkIndexOf, saAddressEquals, scratchAddress, scratchCopy,
  SCRATCH_GW, SCRATCH_PARENT, SCRATCH_ROUTE, SCRATCH_TMP, scratchKey, type Family,
} from './sockaddr-bytes.js';
import { keep } from './alloc.js';

/** A routing request after parsing: what rtm_output hands to route semantics. */
export interface RouteRequest {
  af: Family;
  /** Destination address bytes as sent (not yet masked). */
  dst: Uint8Array;
  /** Prefix length from RTA_NETMASK, undefined when no netmask was sent. */
  plen: number | undefined;
  /** RTA_GATEWAY, interned (alloc.ts internBytes): routes keep it as it is. */
  gateway: Uint8Array | undefined;
  ifp: Uint8Array | undefined;
  ifa: Uint8Array | undefined;
  /** RTA_LABEL text; undefined when absent ('' removes on CHANGE). */
  label: string | undefined;
  flags: number;
  fmask: number;
  /** Effective priority (0 for ADD = interface priority + RTP_STATIC). */
  priority: number;
  inits: number;
  mtu: number;
  expire: number;
  locks: number;
}

const sameGateway = (a: Rtentry, b: Rtentry): boolean => gatewayMatches(a.gateway, b.gateway);
const INSERT_MPATH = { mpath: true, sameGateway };
const INSERT_SINGLE = { mpath: false, sameGateway };

export class RouteCore {
  constructor(private readonly k: KernelContext) {}

  /**
   * rt_match: longest match with Use++. `resolve` (RT_RESOLVE) clones a matching RTF_CLONING
   * route into a host route for `addr` (§A.13) and returns the clone. `report` announces a miss
   * (4.9's rtalloc1(..., report)); kernel-internal lookups do not.
   */
  match(t: RoutingTable, af: Family, addr: Uint8Array, report = false, resolve = false): Rtentry | undefined {
    let rt = t.routes.match(af, addr);
    if (!rt) {
      if (report) this.k.events.lookupMissed(t.id, inetSockaddr(af, addr));
      return undefined;
    }
    if (resolve && rt.flags & RTF_CLONING) rt = this.clone(t, rt, af, addr);
    rt.use++;
    return rt;
  }

  /** rt_match's clone: the clone, or the parent when cloning failed. */
  private clone(t: RoutingTable, parent: Rtentry, af: Family, addr: Uint8Array): Rtentry {
    const rt = this.tryClone(t, parent, af, addr);
    return typeof rt === 'number' ? parent : rt;
  }

  /**
   * rt_clone / rtrequest(RTM_RESOLVE): a host route for `addr` made from the cloning route
   * `parent` (RTF_LLINFO from the interface's RTM_RESOLVE hook, on Ethernet-like interfaces).
   * Success announces it (RTM_ADD) and returns it; failure sends RTM_MISS and returns the errno.
   */
  private tryClone(t: RoutingTable, parent: Rtentry, af: Family, addr: Uint8Array): Rtentry | number {
    const flags = ((parent.flags | RTF_CLONED | RTF_HOST) & ~(RTF_CLONING | RTF_CONNECTED | RTF_STATIC)) | RTF_UP;
    // rtrequest(RTM_RESOLVE)'s gateway is a zeroed sockaddr_dl ({ sizeof, AF_LINK }): rtable_insert
    // compares it with the stored gateways, whose index and type the interface's hook has set
    // (arp_rtrequest / nd6_rtrequest), so a clone never conflicts with another by gateway; the
    // hook gives this one its interface's index and type after the insert.
    const gateway = this.k.emptyLinkOf(parent.ifp).slice();
    gateway[2] = gateway[3] = gateway[4] = 0;
    const rt = new Rtentry(t.id, af, keep(addr), this.fullLength(af), {
      priority: (parent.priority & RTP_MASK) - 1, flags, gateway, ifa: parent.ifa,
    });
    if (parent.label !== '') this.setLabel(rt, parent.label);
    // rtrequest(RTM_RESOLVE) copies the parent's rt_rmx whole: MTU, expire, locks and rt_use
    // (rmx_pksent), so a clone starts with its parent's Use.
    rt.mtu = parent.mtu;
    rt.expire = parent.expire;
    rt.locks = parent.locks;
    rt.use = parent.use;
    try {
      this.insert(t, rt, (flags & RTF_MPATH) !== 0, false, 'resolve');
    } catch (e) {
      if (!(e instanceof RtsockErrno)) throw e;
      this.k.labels.unref(rt.labelId);
      this.k.events.cloneFailed(t.id, inetSockaddr(af, addr), e.errno);
      return e.errno;
    }
    parent.adoptClone(rt);
    this.k.events.routeCloned(rt);
    return rt;
  }

  /** The rdomain's main table (next-hop resolution always looks there). */
  private mainTable(t: RoutingTable): RoutingTable {
    return this.k.table(t.rdomain) ?? t;
  }

  // ------------------------------------------------------------------ interface selection

  /** ifa_ifwithaddr: a local address of the rdomain equal to `sa`. */
  ifaWithAddr(rdomain: number, sa: Uint8Array): IfAddr | undefined {
    const af = familyOf(sa[1]!);
    if (!af) return undefined;
    for (const ifp of this.k.interfaces.values()) {
      if (ifp.rdomain !== rdomain) continue;
      const addrs = ifp.addrs;
      for (let i = 0; i < addrs.length; i++) {
        const a = addrs[i]!;
        if (a.af === af && saAddressEquals(af, sa, a.addr)) return a;
      }
    }
    return undefined;
  }

  /** ifa_ifwithdstaddr: the address of a point-to-point interface whose destination is `sa`. */
  private ifaWithDstaddr(rdomain: number, sa: Uint8Array): IfAddr | undefined {
    const af = familyOf(sa[1]!);
    if (!af) return undefined;
    for (const ifp of this.k.interfaces.values()) {
      if (ifp.rdomain !== rdomain || !ifp.isPointToPoint) continue;
      for (const a of ifp.addrs) if (a.af === af && a.dstaddr && saAddressEquals(af, sa, a.dstaddr)) return a;
    }
    return undefined;
  }

  private ifaWithRoute(t: RoutingTable, flags: number, dst: Uint8Array, gw: Uint8Array): IfAddr | undefined {
    let ifa: IfAddr | undefined;
    if ((flags & RTF_GATEWAY) === 0) {
      if (flags & RTF_HOST) ifa = this.ifaWithDstaddr(t.rdomain, dst);
      ifa ??= this.ifaWithAddr(t.rdomain, gw);
    } else {
      ifa = this.ifaWithDstaddr(t.rdomain, gw);
    }
    const dstAf = familyOf(dst[1]!);
    if (!ifa) {
      if (gw[1] === AF_LINK) {
        const ifp = this.k.interfaceByIndex(linkIndexOf(gw, this.k.littleEndian));
        ifa = ifp && dstAf ? ifp.addressFor(dstAf, scratchAddress(dstAf, dst, SCRATCH_TMP)) : undefined;
      } else {
        // ifa_ifwithroute looks the gateway up in the rdomain's main table (rtable_l2), also
        // for a request to an alternate table.
        const gwAf = familyOf(gw[1]!);
        ifa = gwAf ? this.match(this.mainTable(t), gwAf, scratchAddress(gwAf, gw, SCRATCH_GW), false, true)?.ifa : undefined;
      }
    }
    if (ifa && dstAf && ifa.af !== dstAf) ifa = ifa.ifp.addressFor(dstAf, scratchAddress(dstAf, dst, SCRATCH_TMP)) ?? ifa;
    return ifa;
  }

  /** rtm_getifa. `dstSa` is the destination sockaddr. */
  getifa(t: RoutingTable, req: RouteRequest, dstSa: Uint8Array): IfAddr | undefined {
    const ifp = req.ifp ? this.k.interfaceByIndex(linkIndexOf(req.ifp, this.k.littleEndian)) : undefined;
    if (req.ifa) {
      const local = this.ifaWithAddr(t.rdomain, req.ifa);
      if (local) return local;
    }
    const sa = req.ifa ?? req.gateway ?? dstSa;
    if (ifp) {
      const af = familyOf(sa[1]!);
      return af ? ifp.addressFor(af, scratchAddress(af, sa, SCRATCH_TMP)) : undefined;
    }
    if (req.gateway) return this.ifaWithRoute(t, req.flags, dstSa, req.gateway);
    return this.ifaWithRoute(t, req.flags, sa, sa);
  }

  // ------------------------------------------------------------------ next hop

  /** rt_setgwroute: resolve and cache the next hop of a gateway route. */
  private setGwroute(t: RoutingTable, rt: Rtentry): void {
    const gwAf = familyOf(rt.gateway[1]!);
    const main = this.mainTable(t);
    let nh = gwAf ? this.match(main, gwAf, scratchAddress(gwAf, rt.gateway, SCRATCH_GW), false, true) : undefined;
    if (!nh) fail('ENOENT', 'next hop not found');
    if (nh.ifp !== rt.ifp) {
      if ((nh.flags & (RTF_LLINFO | RTF_CLONED)) !== (RTF_LLINFO | RTF_CLONED)) fail('EHOSTUNREACH', 'next hop on another interface');
      // An L2 entry cloned on another interface of the same subnet: clone the next hop afresh
      // from this interface's cloning route, found in the multipath list of the clone's parent.
      const parent = nh.parent;
      const list = parent ? main.routes.routesAt(parent.af, parent.dstKey(scratchKey(parent.af, SCRATCH_PARENT)), parent.plen) : [];
      const prt = list.find((r) => r.ifp === rt.ifp);
      if (!prt || (prt.flags & RTF_CLONING) === 0) fail('EHOSTUNREACH', 'no cloning route for the next hop on this interface');
      // rt_setgwroute returns rt_clone's error as it is.
      const c = this.tryClone(main, prt, gwAf!, scratchAddress(gwAf!, rt.gateway, SCRATCH_GW));
      if (typeof c === 'number') throw new RtsockErrno(c, 'the next hop could not be cloned on this interface');
      nh = c;
    }
    if (nh.flags & (RTF_CLONING | RTF_GATEWAY)) fail('ENETUNREACH', 'next hop is not directly reachable');
    // An unlocked MTU above the next hop's is lowered to it — to 0 when the next hop has none,
    // so that path MTU discovery starts again (rt_setgwroute).
    if ((rt.locks & RTV_MTU) === 0 && rt.mtu > nh.mtu) rt.mtu = nh.mtu;
    // Committed only now (rt_putgwroute): a failure above leaves the route with the next hop it
    // had, still cached and referenced — what a failing RTM_CHANGE of the gateway keeps.
    const old = rt.gwroute;
    rt.gwroute = nh;
    nh.refs++;
    nh.cachedBy++;
    nh.flags |= RTF_CACHED;
    if (old) this.uncache(old);
  }

  /** Drops the cached next hop (rt_putgwroute(rt, NULL)). */
  releaseGwroute(rt: Rtentry): void {
    const nh = rt.gwroute;
    if (!nh) return;
    rt.gwroute = undefined;
    this.uncache(nh);
  }

  /** One gateway route less caching `nh`: its reference, and RTF_CACHED with the last one. */
  private uncache(nh: Rtentry): void {
    nh.refs--;
    if (--nh.cachedBy === 0) nh.flags &= ~RTF_CACHED;
  }

  /**
   * ifp->if_rtrequest(ifp, req, rt): the loopback driver's hook (MTU 0 becomes LOMTU) or, on
   * Ethernet-like interfaces, ether_rtrequest (ARP / ND state, RTF_LLINFO and expire).
   */
  private interfaceHook(rt: Rtentry, req: RtRequest, ifp: Interface = rt.ifp): void {
    if (ifp.isLoopback) {
      if (rt.mtu === 0) rt.mtu = LOMTU;
    } else if (ifp.hasNeighbours) this.k.neighbours.rtrequest(ifp, req, rt);
  }

  // ------------------------------------------------------------------ multipath

  private fixMpath(t: RoutingTable, rt: Rtentry, key: Uint8Array): void {
    const cls = rt.priority & RTP_MASK;
    const all = t.routes.routesAt(rt.af, key, rt.plen);
    // Count the same-class routes without building a list of them.
    let same = 0;
    let only: Rtentry | undefined;
    for (let i = 0; i < all.length; i++) {
      const r = all[i]!;
      if ((r.priority & RTP_MASK) === cls) {
        same++;
        only = r;
      }
    }
    if (same >= 2) {
      for (let i = 0; i < all.length; i++) if ((all[i]!.priority & RTP_MASK) === cls) all[i]!.flags |= RTF_MPATH;
    } else if (same === 1) only!.flags &= ~RTF_MPATH;
  }

  // ------------------------------------------------------------------ insertion / removal

  /**
   * rtrequest(RTM_ADD) for a route already built: resolves the next hop, inserts with the
   * multipath rules and runs the interface hook. Used by RTM_ADD and by interface address code.
   */
  insert(t: RoutingTable, rt: Rtentry, mpathAllowed: boolean, newPrefix = false, req: RtRequest = 'add'): void {
    if (!rt.ifp.running && (rt.flags & RTF_LOCAL) === 0) {
      rt.flags &= ~RTF_UP;
      rt.priority |= RTP_DOWN;
    }
    if (rt.flags & RTF_GATEWAY) this.setGwroute(t, rt);
    let key = rt.dstKey(scratchKey('inet', SCRATCH_ROUTE));
    const mode = mpathAllowed ? INSERT_MPATH : INSERT_SINGLE;
    let r = t.routes.insert(rt.af, key, rt.plen, rt, mode);
    if (r === 'EEXIST') {
      // "overwrite cloned route": a non-cached clone in the way is deleted and the insert retried.
      const crt = t.routes.match(rt.af, key);
      if (crt && crt !== rt && crt.flags & RTF_CLONED && (crt.flags & RTF_CACHED) === 0) {
        const before = crt.flags;
        this.remove(t, crt);
        this.k.events.routeDeleted(crt, before);
        key = rt.dstKey(scratchKey('inet', SCRATCH_ROUTE));
        r = t.routes.insert(rt.af, key, rt.plen, rt, mode);
      }
    }
    if (r === 'EEXIST') {
      this.releaseGwroute(rt);
      fail('EEXIST');
    }
    rt.inTable = true;
    t.grown();
    // Alone at a new prefix: fixMpath would find one same-class route (rt) and clear its MPATH.
    if (newPrefix) rt.flags &= ~RTF_MPATH;
    else this.fixMpath(t, rt, key);
    this.interfaceHook(rt, req);
    // if_group_routechange: a default route came, `egress` is built again (groups.ts).
    if (rt.plen === 0) this.k.groups.rebuildEgress(this.k);
  }

  /**
   * rtrequest_delete once the route is known: unlink, release, clear UP, then the interface's
   * RTM_DELETE hook (an L2 entry loses RTF_LLINFO before its RTM_DELETE or reply is built).
   */
  remove(t: RoutingTable, rt: Rtentry): void {
    if (!rt.inTable) return;
    t.routes.delete(rt.af, rt.dstKey(scratchKey('inet', SCRATCH_ROUTE)), rt.plen, rt);
    rt.inTable = false;
    this.releaseGwroute(rt);
    // rtflushclone: the children go first, each announced (rtdeletemsg), then rt_parent is released.
    if (rt.flags & RTF_CLONING) {
      for (const c of this.clonesToFlush(t, rt)) {
        const before = c.flags;
        this.remove(this.k.table(c.tableid) ?? t, c);
        this.k.events.routeDeleted(c, before);
      }
    }
    rt.releaseParent();
    const key = rt.dstKey(scratchKey('inet', SCRATCH_ROUTE));
    rt.flags &= ~RTF_UP;
    this.fixMpath(t, rt, key);
    // After UP is cleared, as rtrequest_delete: on Ethernet-like interfaces this drops the L2
    // state and RTF_LLINFO, so messages built from the deleted route no longer show it.
    this.interfaceHook(rt, 'delete');
    this.k.labels.unref(rt.labelId);
    rt.labelId = 0;
    if (rt.plen === 0) this.k.groups.rebuildEgress(this.k);
  }

  /**
   * rtflushclone1's choice, for a cloning route `rt` just unlinked: the clones whose parent has
   * rt's prefix — rt's own and those of the other routes of its node (multipath connected routes),
   * except a cached clone of another parent, which must outlive its own, and a clone whose
   * interface if_get no longer finds (a destroyed one's: rt_ifa_purge takes those). In walk
   * order, which for host routes is address order, then the clone's place in its node.
   */
  private clonesToFlush(t: RoutingTable, rt: Rtentry): Rtentry[] {
    const attached = (c: Rtentry) => this.k.interfaces.get(c.ifp.index) === c.ifp;
    const out = rt.clones.filter(attached);
    for (const p of t.routes.routesAt(rt.af, rt.dstKey(scratchKey(rt.af, SCRATCH_PARENT)), rt.plen)) {
      for (const c of p.clones) if ((c.flags & RTF_CACHED) === 0 && attached(c)) out.push(c);
    }
    if (out.length < 2) return out;
    const keyed = out.map((c) => {
      const dst = c.dst;
      return { c, dst, at: t.routes.routesAt(c.af, dst, c.plen).indexOf(c) };
    });
    keyed.sort((a, b) => compareBytes(a.dst, b.dst) || a.at - b.at);
    return keyed.map((x) => x.c);
  }

  private setLabel(rt: Rtentry, label: string): void {
    this.k.labels.unref(rt.labelId);
    rt.labelId = this.k.labels.ref(label);
    rt.label = rt.labelId === 0 ? '' : label;
  }

  private setMetrics(rt: Rtentry, req: RouteRequest): void {
    if (req.inits & RTV_MTU) rt.mtu = req.mtu;
    if (req.inits & RTV_EXPIRE) rt.expire = req.expire;
  }

  // ------------------------------------------------------------------ the four operations

  private fullLength(af: Family): number {
    return ADDR_BYTES[af] * 8;
  }

  /** RTM_DELETE/CHANGE/(4.9) LOCK act on the exact prefix only: without a netmask, a host route (ESRCH otherwise). */
  private requireExactPrefix(rt: Rtentry, req: RouteRequest): void {
    if (rt.plen !== (req.plen ?? this.fullLength(req.af))) fail('ESRCH', 'no exact prefix');
  }

  private lookup(t: RoutingTable, req: RouteRequest, withGateway: boolean): Rtentry | undefined {
    const gw = withGateway ? req.gateway : undefined;
    const key = req.plen === undefined ? req.dst : applyMask(scratchCopy(req.af, req.dst, SCRATCH_TMP), req.plen);
    return t.routes.lookup(req.af, key, req.plen, req.priority, gw ? (r) => gatewayMatches(r.gateway, gw) : undefined);
  }

  add(t: RoutingTable, req: RouteRequest, dstSa: Uint8Array): Rtentry {
    if (!req.gateway) fail('EINVAL', 'no gateway');
    const lpm = t.routes.match(req.af, req.dst);
    this.arpConflict(req, lpm);
    if (lpm && lpm.flags & RTF_CACHED) return this.changeRoute(t, lpm, req, dstSa, true);
    const ifa = this.getifa(t, req, dstSa) ?? fail('ENETUNREACH', 'no interface address for this route');
    const plen = req.flags & RTF_HOST || req.plen === undefined ? this.fullLength(req.af) : req.plen;
    const priority = req.priority === 0 ? ifa.ifp.priority + RTP_STATIC : req.priority;
    // IPv4 destinations are packed into the Rtentry: the masked key can be scratch.
    const dst = req.af === 'inet' ? scratchCopy('inet', req.dst, SCRATCH_TMP) : keep(req.dst);
    const rt = new Rtentry(t.id, req.af, applyMask(dst, plen), plen, {
      priority, flags: (req.flags | RTF_UP) & ~RTF_MPATH, gateway: req.gateway, ifa,
    });
    if (req.label !== undefined) this.setLabel(rt, req.label);
    try {
      // No route at exactly this prefix when the longest match of (an address in) it is a
      // shorter prefix or nothing: the insert creates the node.
      this.insert(t, rt, (req.flags & RTF_MPATH) !== 0, lpm === undefined || lpm.plen < plen);
    } catch (e) {
      this.k.labels.unref(rt.labelId);
      throw e;
    }
    this.setMetrics(rt, req);
    return rt;
  }

  /**
   * route_arp_conflict (rtsock.c): an IPv4 ARP entry (RTF_LLINFO, set for an AF_LINK gateway)
   * whose destination's best match is a non-cached L2 entry is EEXIST when both are published
   * (RTF_ANNOUNCE) or both private, or when that entry is multipath already; otherwise it is
   * forced multipath beside it (a private and a public entry per address).
   */
  private arpConflict(req: RouteRequest, lpm: Rtentry | undefined): void {
    if ((req.flags & RTF_LLINFO) === 0 || req.af !== 'inet') return;
    if (!lpm || (lpm.flags & RTF_LLINFO) === 0 || lpm.flags & RTF_CACHED) return;
    if ((lpm.flags & RTF_ANNOUNCE) === (req.flags & RTF_ANNOUNCE) || lpm.flags & RTF_MPATH) fail('EEXIST', 'an ARP entry of this kind exists');
    req.flags |= RTF_MPATH;
  }

  delete(t: RoutingTable, req: RouteRequest): Rtentry {
    const rt = this.lookup(t, req, true) ?? fail('ESRCH');
    if (rt.flags & RTF_MPATH && !req.gateway) fail('ESRCH', 'multipath route needs a gateway');
    // rtm_output: if_get(rt_ifidx) must find the route's interface (a route of the other family
    // than its RTA_IFA address outlives its destroyed interface: rt_ifa_purge walks one family).
    if (!this.k.interfaceByIndex(rt.ifp.index)) fail('ESRCH', 'interface gone');
    if (rt.flags & RTF_CACHED) {
      // A cached next hop is only invalidated (its L2 address forgotten): its users forget
      // their unlocked MTU — those of its own family only (rtm_output walks rt_key(rt)'s
      // sa_family with route_cleargateway): a route via a gateway of the other family keeps it.
      this.interfaceHook(rt, 'invalidate');
      t.routes.walk((r) => {
        if (r.gwroute === rt && (r.locks & RTV_MTU) === 0) r.mtu = 0;
      }, rt.af, 'art'); // any order: nothing is announced
      return rt;
    }
    if (rt.flags & (RTF_LOCAL | RTF_BROADCAST)) fail('EINVAL', 'local and broadcast routes belong to addresses');
    this.requireExactPrefix(rt, req);
    this.remove(t, rt);
    return rt;
  }

  get(t: RoutingTable, req: RouteRequest): Rtentry {
    return this.lookup(t, req, true) ?? fail('ESRCH');
  }

  /**
   * 4.9 RTM_LOCK: set the lock bits of the named metrics. The route is found as RTM_CHANGE
   * finds it (rtsock.c 1.101): a multipath route only with its gateway, and only the exact
   * prefix (no netmask: a host route).
   */
  lock(t: RoutingTable, req: RouteRequest): Rtentry {
    const rt = this.lookup(t, req, true) ?? fail('ESRCH');
    if (rt.flags & RTF_MPATH && !req.gateway) fail('ESRCH', 'multipath route needs a gateway');
    this.requireExactPrefix(rt, req);
    rt.locks = (rt.locks & ~req.inits) | (req.inits & req.locks);
    return rt;
  }

  change(t: RoutingTable, req: RouteRequest, dstSa: Uint8Array): Rtentry {
    let rt = this.lookup(t, req, true);
    if (rt && rt.flags & RTF_MPATH && !req.gateway) rt = undefined;
    if (!rt && req.gateway) {
      rt = this.lookup(t, req, false);
      if (rt && rt.flags & RTF_MPATH) rt = undefined;
    }
    if (!rt) fail('ESRCH');
    if (rt.flags & (RTF_LOCAL | RTF_BROADCAST)) fail('EINVAL', 'local and broadcast routes belong to addresses');
    this.requireExactPrefix(rt, req);
    return this.changeRoute(t, rt, req, dstSa, false);
  }

  /** The body of RTM_CHANGE, also reached by an RTM_ADD that lands on a cached route. */
  private changeRoute(t: RoutingTable, rt: Rtentry, req: RouteRequest, dstSa: Uint8Array, fromAdd: boolean): Rtentry {
    if (!rt.ifp || !this.k.interfaceByIndex(rt.ifp.index)) fail('ESRCH', 'interface gone');
    // rtm_output takes the route's interface before any move and runs its RTM_ADD hook at the
    // end (rtsock.c 1.388): a route moved to another interface gets its old interface's hook.
    const ifp = rt.ifp;
    const gw = req.gateway;
    const newgate = gw !== undefined && !gatewayMatches(rt.gateway, gw);
    if (fromAdd && gw && gw[1] !== rt.gateway[1]) fail('EINVAL', 'gateway family differs');
    if (!fromAdd && (newgate || req.ifp || req.ifa)) {
      const ifa = this.getifa(t, req, dstSa) ?? fail('ENETUNREACH', 'no interface address for this route');
      if (ifa !== rt.ifa) this.moveToAddress(t, rt, ifa);
    }
    if (gw) {
      // rt_setgate installs the gateway before resolving it: a failure leaves it in place.
      rt.gateway = gw;
      if (rt.flags & RTF_GATEWAY) this.setGwroute(t, rt);
    }
    const fmask = req.fmask;
    rt.flags = (rt.flags & ~fmask) | (req.flags & fmask);
    this.setMetrics(rt, req);
    this.interfaceHook(rt, 'add', ifp);
    if (req.label !== undefined) this.setLabel(rt, req.label);
    rt.locks = (rt.locks & ~req.inits) | (req.inits & req.locks);
    return rt;
  }

  /**
   * RTM_CHANGE moving a route to another address (rtsock.c rtm_output): the old interface's
   * route hook runs for RTM_DELETE (an L2 entry's ARP / neighbour-cache state freed, RTF_LLINFO
   * cleared; lo(4): an MTU of 0 becomes LOMTU), then the link state of the new interface is
   * re-evaluated.
   */
  private moveToAddress(t: RoutingTable, rt: Rtentry, ifa: IfAddr): void {
    this.interfaceHook(rt, 'delete', rt.ifp);
    rt.ifa = ifa;
    // rtm_output ignores rt_if_linkstate_change's request for deletion: a clone moved onto a
    // down interface stays (only rt_if_track's walk deletes, see trackState).
    this.linkStateChange(t, rt, ifa.ifp);
  }

  /**
   * rt_if_linkstate_change: re-evaluates the up/down state of `rt` for interface `ifp`. True
   * when it asks for the route's deletion (a non-cached clone or dynamic route on a down
   * interface), which is left to the caller.
   */
  private linkStateChange(t: RoutingTable, rt: Rtentry, ifp: Interface): boolean {
    if (rt.flags & RTF_LOCAL) {
      rt.flags |= RTF_UP;
      return false;
    }
    if (ifp.running) {
      if ((rt.flags & RTF_UP) === 0) {
        rt.flags |= RTF_UP;
        t.routes.reprio(rt.af, rt.dst, rt.plen, rt, rt.priority & RTP_MASK);
      }
      return false;
    }
    if (rt.flags & (RTF_CLONED | RTF_DYNAMIC) && (rt.flags & RTF_CACHED) === 0) return true;
    if (rt.flags & RTF_UP) {
      rt.flags &= ~RTF_UP;
      t.routes.reprio(rt.af, rt.dst, rt.plen, rt, rt.priority | RTP_DOWN);
    }
    return false;
  }

  /**
   * 4.9's rt_if_remove (route.c): every table by id, each family in AF order, walked for the
   * routes on `ifp`, each handed to rtdeletemsg(rt, tableid). `tableid` is the interface's
   * rdomain whatever table the route is in (route.c's own "XXX wrong"), so rtrequest1 deletes
   * the route with that destination, netmask, gateway and priority in that table — another
   * table's route stays, and a route of that key there goes instead, or nothing does (ESRCH).
   * Either way RTM_DELETE is sent with the walked route's destination, netmask, gateway and
   * flags, and the error. A cloning route deleted (its clones flushed) restarts its table's walk.
   */
  removeInterfaceRoutes(ifp: Interface, tableid: number): void {
    const target = this.k.table(tableid);
    for (const id of this.k.tableIds()) {
      const t = this.k.table(id)!;
      for (const af of ['inet', 'inet6'] as const) {
        let restart = true;
        while (restart) {
          restart = false;
          for (const { route: rt } of [...t.routes.entries(af)]) {
            if (!rt.inTable || rt.ifp !== ifp) continue;
            const before = rt.flags;
            const found = target === undefined ? undefined
              : target.routes.lookup(af, rt.dstKey(scratchKey('inet', SCRATCH_TMP)), rt.plen, rt.priority, (r) => gatewayMatches(r.gateway, rt.gateway));
            if (found) this.remove(target!, found);
            this.k.events.routeDeleteTried(rt, before, tableid, found ? 0 : ERRNO.ESRCH);
            if (found && before & RTF_CLONING) {
              restart = true;
              break;
            }
          }
        }
      }
    }
  }

  /** rt_if_track's step for one route of `ifp`: the link-state change, deleting what it asks to (rtdeletemsg). */
  trackState(t: RoutingTable, rt: Rtentry, ifp: Interface): 'deleted' | 'kept' {
    if (!this.linkStateChange(t, rt, ifp)) return 'kept';
    const before = rt.flags;
    this.remove(t, rt);
    this.k.events.routeDeleted(rt, before);
    return 'deleted';
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export { RTP_ANY };
