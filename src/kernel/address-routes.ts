/**
 * The routes an interface address brings and takes away (semantics §E.3/§E.4): in_ifinit's
 * local route and prefix routes (connected, broadcast, or a point-to-point destination's host
 * route), IPv6 multicast routes, and in_purgeaddr / in_ifscrub on removal.
 */
import {
  RTF_BROADCAST, RTF_CLONING, RTF_CONNECTED, RTF_HOST, RTF_LLINFO, RTF_LOCAL, RTF_MULTICAST, RTM_ADD, RTM_DELADDR,
  RTM_DELETE, RTM_NEWADDR, RTP_CONNECTED, RTP_LOCAL, RTP_MASK, RTP_STATIC, AF_INET, AF_INET6, IFA_ROUTE,
} from './constants.js';
import { fail } from './errno.js';
import type { IfAddr, Interface } from './interface.js';
import type { Kernel } from './kernel.js';
import type { RoutingTable } from './routing-table.js';
import { Rtentry } from './rtentry.js';
import { ADDR_BYTES, applyMask, bytesEqual, gatewayMatches, inetSockaddr, maskBytes } from './sockaddr-bytes.js';

export class AddressRoutes {
  constructor(private readonly k: Kernel) {}

  /** in_ifinit after the driver: the local route, then the prefix routes (§E.3). The address is listed already. */
  add(t: RoutingTable, ifa: IfAddr, isNew: boolean): void {
    const { af, addr, plen, ifp } = ifa;
    if (!this.addLocal(t, ifa, isNew)) {
      // in.c in_ifinit: rt_ifa_addlocal's error fails the ioctl before the prefix routes. A new
      // address is purged; one being re-initialised is only taken off the interface's list
      // (ifa_del), the routes still on it staying. (Its own local route, kept because
      // rt_ifa_dellocal's rtalloc found a point-to-point or loopback one first, is in the way.)
      if (isNew) this.purge(ifa);
      else ifp.addrs.splice(ifp.addrs.indexOf(ifa), 1);
      fail('EEXIST', 'the address\'s local route exists');
    }
    // in_ifinit takes the interface's metric after rt_ifa_addlocal announced the address.
    ifa.metric = ifp.metric;
    if (ifp.isPointToPoint) {
      // in_addhost: the destination's host route (rt_ifa_add: gateway = the address, priority
      // if_priority + RTP_STATIC); its failure fails the ioctl like in_insert_prefix's.
      if (ifa.dstaddr && !this.addHostRoute(t, ifa, ifa.dstaddr)) {
        if (isNew) this.purge(ifa);
        fail('EEXIST', 'the destination\'s host route exists');
      }
    } else if (!ifp.isLoopback) {
      const mask = maskBytes(af, plen);
      ifa.dstaddr = plen < 31 ? addr.map((b, i) => b | (~mask[i]! & 0xff)) : undefined;
      // in_insert_prefix: a connected or broadcast route that cannot be added (another
      // interface's, same gateway) fails the ioctl with EEXIST, and a new address is purged.
      const gw = inetSockaddr(af, addr);
      const net = applyMask(addr.slice(), plen);
      const ok = this.addKernelRoute(t, ifa, net, plen, RTF_CLONING | RTF_CONNECTED, this.priority(ifp, RTP_CONNECTED), gw, true)
        && (!ifa.dstaddr || this.addKernelRoute(t, ifa, ifa.dstaddr, 32, RTF_BROADCAST | RTF_HOST, RTP_LOCAL, gw, true));
      if (!ok) {
        if (isNew) this.purge(ifa);
        fail('EEXIST', 'the address\'s prefix routes exist on another interface');
      }
    }
  }

  /**
   * A new IPv6 address (listed, the driver called): in6_ifinit's host route to a
   * point-to-point destination (addDestination) and local route (when either cannot be added,
   * in6_unlink_ifa takes the address away and the ioctl fails with EEXIST); in6_update_ifa's
   * multicast routes; then, but on loopback and for a /128, the connected route
   * (in6_ioctl_change_ifaddr, or in6_ifattach_linklocal for `linkLocal`): RTF_CLONING except
   * for the link-local prefix of a point-to-point interface, and there for any prefix where the
   * dialect's nd6_prefix_onlink clears it. When the connected route cannot be added (the same
   * address's, on another interface) the address is purged (in6_purgeaddr) and the ioctl fails
   * with EEXIST. `updated` runs where in6_update_ifa has returned (the flags set, the multicast
   * routes added) and the connected route is still to come: nd6_dad_start's place.
   */
  addInet6(t: RoutingTable, ifa: IfAddr, linkLocal: boolean, updated: () => void): void {
    const { addr, plen, ifp } = ifa;
    // in6_ifinit returns rt_ifa_add's or rt_ifa_addlocal's error; in6_update_ifa then unlinks
    // the new address (a destination's host route already added goes with rt_ifa_purge).
    if (!this.addDestination(t, ifa) || !this.addLocal(t, ifa, true)) {
      this.unlinkInet6(t, ifa);
      fail('EEXIST', 'the address\'s destination or local route exists');
    }
    this.addMulticastRoutes(t, ifa);
    updated();
    if (ifp.isLoopback || plen === 128) return;
    const clones = !ifp.isPointToPoint || (!linkLocal && this.k.policy.p2pConnectedCloning);
    if (!this.addKernelRoute(t, ifa, applyMask(addr.slice(), plen), plen, (clones ? RTF_CLONING : 0) | RTF_CONNECTED,
      this.priority(ifp, RTP_CONNECTED), inetSockaddr('inet6', addr), true)) {
      this.purge(ifa);
      fail('EEXIST', 'the address\'s connected route exists on another interface');
    }
  }

  /**
   * in6_ifinit's route to the destination of a /128 on a point-to-point interface: IFA_ROUTE
   * when added; false when it could not be (EEXIST). Nothing to add is success.
   */
  addDestination(t: RoutingTable, ifa: IfAddr): boolean {
    if (!ifa.ifp.isPointToPoint || ifa.plen !== 128 || !ifa.dstaddr) return true;
    if (!this.addHostRoute(t, ifa, ifa.dstaddr)) return false;
    ifa.destRoute = true;
    return true;
  }

  /** in6_purgeaddr / in6_update_ifa: with IFA_ROUTE, rt_ifa_del of the destination's host route; IFA_ROUTE goes when it was found. */
  delDestination(t: RoutingTable, ifa: IfAddr): void {
    if (!ifa.destRoute || !ifa.dstaddr) return;
    if (this.delAddressRoute(t, ifa, ifa.dstaddr, undefined, inetSockaddr(ifa.af, ifa.addr), this.priority(ifa.ifp, RTP_STATIC))) ifa.destRoute = false;
  }

  /**
   * in_addhost / in6_ifinit: rt_ifa_add(RTF_HOST) of a point-to-point destination, gateway the
   * address, priority if_priority + RTP_STATIC, announced.
   */
  private addHostRoute(t: RoutingTable, ifa: IfAddr, dst: Uint8Array): Rtentry | undefined {
    const gw = inetSockaddr(ifa.af, ifa.addr);
    return this.addKernelRoute(t, ifa, dst.slice(), ADDR_BYTES[ifa.af] * 8, RTF_HOST, this.priority(ifa.ifp, RTP_STATIC), gw, true);
  }

  /**
   * rt_ifa_addlocal: the local host route (unless one exists), announced by NEWADDR then
   * RTM_ADD (rt_ifa_add) — no route added, no NEWADDR. `isNew`: a brand-new address (its
   * NEWADDR shows the untrimmed mask and no broadcast address yet). False when rt_ifa_add
   * failed (EEXIST).
   */
  private addLocal(t: RoutingTable, ifa: IfAddr, isNew: boolean): boolean {
    const k = this.k;
    // The unspecified address gets no local route; rt_ifa_addlocal returns before its rtalloc.
    if (isUnspecified(ifa)) return true;
    // rtalloc (rt_match): the route it finds counts one Use.
    const covering = k.core.match(t, ifa.af, ifa.addr);
    const full = ADDR_BYTES[ifa.af] * 8;
    const ifp = ifa.ifp;
    const flags = localFlags(ifp);
    // An existing local route counts only if it has this interface kind's flags: an Ethernet
    // address gets its own (multipath) local route beside a point-to-point one, not the reverse.
    if (covering && (covering.flags & flags) === flags) return true;
    const gateway = ifp.hasNeighbours ? k.messages.linkOf(ifp) : inetSockaddr(ifa.af, ifa.addr);
    const rt = this.addKernelRoute(t, ifa, ifa.addr.slice(), full, flags, RTP_LOCAL, gateway, false);
    if (!rt) return false;
    // rtm_addr's ifam_flags is ifa_flags: in6_ifinit has set IFA_ROUTE by now when it added the
    // destination's host route first (in6.c 1.273); in_ifinit adds the local route first.
    const ifaFlags = ifa.destRoute ? IFA_ROUTE : 0;
    if (k.hasSockets()) k.broadcast(k.messages.addr(RTM_NEWADDR, ifa, isNew, ifaFlags), ifa.af === 'inet' ? AF_INET : AF_INET6);
    k.routeSent(RTM_ADD, rt);
    return true;
  }

  /** ff01:<idx>::/32 and ff02:<idx>::/32 on multicast-capable interfaces, without messages. */
  private addMulticastRoutes(t: RoutingTable, ifa: IfAddr): void {
    const ifp = ifa.ifp;
    for (const scope of [0x02, 0x01]) {
      const probe = allNodes(ifp, scope);
      const found = this.k.core.match(t, 'inet6', probe);
      if (found && found.plen >= 32 && bytesEqual(found.dst.subarray(0, 4), probe.subarray(0, 4))) continue;
      const dst = applyMask(probe.slice(), 32);
      // in6_update_ifa adds these with rtrequest and no RTAX_LABEL: the interface label is rt_ifa_add's.
      this.addKernelRoute(t, ifa, dst, 32, RTF_MULTICAST, RTP_CONNECTED, inetSockaddr('inet6', ifa.addr), false, false);
    }
  }

  /**
   * rt_ifa_add (or, `labelled` false, a bare rtrequest): inserts the route, announcing it if
   * `announce`. rt_ifa_add labels it with the interface's rtlabel.
   */
  private addKernelRoute(
    t: RoutingTable, ifa: IfAddr, dst: Uint8Array, plen: number, flags: number, priority: number, gateway: Uint8Array,
    announce: boolean, labelled = true,
  ): Rtentry | undefined {
    const rt = new Rtentry(t.id, ifa.af, dst, plen, { priority, flags: flags | 1, gateway, ifa });
    if (labelled && ifa.ifp.rtlabel) {
      rt.labelId = this.k.labels.ref(ifa.ifp.rtlabel);
      rt.label = ifa.ifp.rtlabel;
    }
    try {
      this.k.core.insert(t, rt, true);
    } catch {
      this.k.labels.unref(rt.labelId);
      return undefined;
    }
    if (announce) this.k.routeSent(RTM_ADD, rt);
    return rt;
  }

  /**
   * The end of in6_ifdetach, once the interface's IPv6 addresses are purged: ff01:<idx>::1 then
   * ff02:<idx>::1 looked up (rtalloc: the route found counts one Use) and deleted (rtdeletemsg)
   * if it is on this interface.
   */
  purgeMulticast(ifp: Interface): void {
    const t = this.k.table(ifp.rdomain)!;
    for (const scope of [0x01, 0x02]) {
      const rt = this.k.core.match(t, 'inet6', allNodes(ifp, scope));
      if (!rt || rt.ifp !== ifp) continue;
      const before = rt.flags;
      this.k.core.remove(t, rt);
      this.k.routeDeleted(rt, before);
    }
  }

  /**
   * in_purgeaddr: connected+broadcast, local (+DELADDR), then every user of the address.
   * in6_purgeaddr: the local route (+DELADDR) first, then in6_unlink_ifa's connected route,
   * then every user of the address of its family. rt_ifa_purge announces each (rtdeletemsg), the
   * IPv6 multicast routes an address brought included.
   */
  purge(ifa: IfAddr): void {
    const main = this.k.table(ifa.ifp.rdomain)!;
    if (ifa.af === 'inet6') {
      // in6_purgeaddr stops DAD first (nd6_dad_stop): no verdict, no message.
      this.k.dad.stop(ifa);
      this.delDestination(main, ifa);
      this.delLocal(main, ifa);
      this.unlinkInet6(main, ifa);
    } else {
      this.scrub(main, ifa);
      this.delLocal(main, ifa);
      this.unlink(ifa);
    }
  }

  /** in6_unlink_ifa: the connected route (scrub), then the address off the list and rt_ifa_purge. */
  private unlinkInet6(t: RoutingTable, ifa: IfAddr): void {
    this.scrub(t, ifa);
    this.unlink(ifa);
  }

  /** ifa_del and rt_ifa_purge: the address leaves the interface's list, and every route on it its tables. */
  private unlink(ifa: IfAddr): void {
    const k = this.k;
    const ifp = ifa.ifp;
    ifp.addrs.splice(ifp.addrs.indexOf(ifa), 1);
    // rt_ifa_purge walks only the address's family: a route of the other family given this
    // address (RTA_IFA) stays, on the interface, with an address the interface no longer has.
    for (const t of k.tablesIn(ifp.rdomain)) {
      for (const e of [...t.routes.entries(ifa.af)]) {
        const rt = e.route;
        if (rt.ifa !== ifa || !rt.inTable) continue;
        const before = rt.flags;
        k.core.remove(t, rt);
        k.routeDeleted(rt, before);
      }
    }
  }

  /**
   * in_ifscrub: the address's connected and broadcast routes (in_remove_prefix), or on a
   * point-to-point interface its destination's host route (in_scrubhost); in6_unlink_ifa: an
   * IPv6 address's connected route (none on loopback or for a /128; on a point-to-point
   * interface too). RTM_DELETE each.
   */
  scrub(t: RoutingTable, ifa: IfAddr): void {
    const { af, addr, plen, ifp } = ifa;
    if (ifp.isLoopback || (af === 'inet6' && plen === 128)) return;
    // Each route is found as rt_ifa_del finds it, by what in_ifinit added: a route whose
    // gateway RTM_CHANGE replaced is not found, and goes later with the address's other
    // routes (rt_ifa_purge).
    const gw = inetSockaddr(af, addr);
    if (ifp.isPointToPoint && af === 'inet') {
      if (ifa.dstaddr) this.delAddressRoute(t, ifa, ifa.dstaddr, undefined, gw, this.priority(ifp, RTP_STATIC));
      return;
    }
    this.delAddressRoute(t, ifa, applyMask(addr.slice(), plen), plen, gw, this.priority(ifp, RTP_CONNECTED));
    if (af === 'inet' && ifa.dstaddr) this.delAddressRoute(t, ifa, ifa.dstaddr, undefined, gw, RTP_LOCAL);
  }

  /**
   * route.c rt_ifa_del calls rtable_clearsource(rdomain, ifa_addr) before it looks for the route:
   * the rdomain's main table forgets a preferred source (RTM_SOURCE) equal to the address,
   * whether or not the route is found.
   */
  private clearSource(ifa: IfAddr): void {
    const main = this.k.table(ifa.ifp.rdomain);
    const source = main?.source[ifa.af];
    if (source && bytesEqual(source, ifa.addr)) delete main.source[ifa.af];
  }

  /**
   * rt_ifa_del of a prefix or host route: rtable_lookup (the prefix, or without one the
   * longest match), by priority and the address as gateway; rtrequest_delete then removes it
   * only if it is on the address's interface and (rtable_delete) exactly at that prefix, a
   * host route when none is given. True when it was found and removed.
   */
  /**
   * An address route's priority class: rt_ifa_add / rt_ifa_del add if_priority (current
   * route.c); 4.9's rtinit gave them a fixed priority (route.c 1.116: rtrequest1 with
   * RTP_CONNECTED), so there the interface's priority changes only RTM_ADD's default.
   */
  private priority(ifp: Interface, base: number): number {
    return base + (this.k.policy.addressRoutesUseIfPriority ? ifp.priority : 0);
  }

  private delAddressRoute(t: RoutingTable, ifa: IfAddr, dst: Uint8Array, plen: number | undefined, gw: Uint8Array, priority: number): boolean {
    this.clearSource(ifa);
    const rt = t.routes.lookup(ifa.af, dst, plen, priority, (r) => gatewayMatches(r.gateway, gw));
    if (!rt || rt.ifp !== ifa.ifp || rt.plen !== (plen ?? ADDR_BYTES[ifa.af] * 8)) return false;
    this.k.core.remove(t, rt);
    this.k.routeSent(RTM_DELETE, rt);
    return true;
  }

  /**
   * rt_ifa_dellocal: only when the best match of the address — an rtalloc, so that route counts
   * one Use — is a local route with this interface kind's flags (HOST|LOCAL, LLINFO on
   * Ethernet-like interfaces); nothing for the unspecified address. rt_ifa_del then
   * looks the host route up at priority RTP_LOCAL — by the address as gateway unless LLINFO —
   * and removes it if it is on the address's interface: RTM_DELETE, then DELADDR. A local route
   * not found so (another interface's comes first) goes later with rt_ifa_purge, unannounced
   * as an address.
   */
  delLocal(t: RoutingTable, ifa: IfAddr): void {
    const k = this.k;
    const ifp = ifa.ifp;
    const flags = localFlags(ifp);
    if (isUnspecified(ifa)) return;
    const best = k.core.match(t, ifa.af, ifa.addr);
    if (!best || (best.flags & flags) !== flags) return;
    this.clearSource(ifa);
    const gw = ifp.hasNeighbours ? undefined : inetSockaddr(ifa.af, ifa.addr);
    const local = t.routes.lookup(ifa.af, ifa.addr, undefined, RTP_LOCAL, gw && ((r) => gatewayMatches(r.gateway, gw)));
    if (!local || local.ifp !== ifp || local.plen !== ADDR_BYTES[ifa.af] * 8) return;
    k.core.remove(t, local);
    k.routeSent(RTM_DELETE, local);
    if (k.hasSockets()) k.broadcast(k.messages.addr(RTM_DELADDR, ifa, false), ifa.af === 'inet' ? AF_INET : AF_INET6);
  }
}

/** ff0<scope>:<ifp's index>::1, the interface's all-nodes group of that scope (KAME-embedded). */
function allNodes(ifp: Interface, scope: number): Uint8Array {
  const a = new Uint8Array(16);
  a[0] = 0xff;
  a[1] = scope;
  a[2] = ifp.index >> 8;
  a[3] = ifp.index & 0xff;
  a[15] = 1;
  return a;
}

/** INADDR_ANY / in6addr_any: rt_ifa_addlocal and rt_ifa_dellocal leave it alone. */
function isUnspecified(ifa: IfAddr): boolean {
  return ifa.addr.every((b) => b === 0);
}

/** A local route's flags on `ifp` (§E.3 step 2): HOST|LOCAL, and LLINFO where neighbours are resolved. */
function localFlags(ifp: Interface): number {
  return RTF_HOST | RTF_LOCAL | (ifp.hasNeighbours ? RTF_LLINFO : 0);
}
