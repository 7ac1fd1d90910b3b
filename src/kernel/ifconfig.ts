/**
 * ifconfig(8)-level operations on the model: clone/destroy, up/down, link state, addresses
 * (with their local/connected/broadcast routes and messages, semantics §E) and rdomains.
 */
import {
  IFAN_ARRIVAL, IFAN_DEPARTURE, RTF_BROADCAST, RTF_CLONING, RTF_CONNECTED, RTF_HOST, RTF_LLINFO, RTF_LOCAL,
  RTF_MULTICAST, RTM_ADD, RTM_DELADDR, RTM_DELETE, RTM_NEWADDR, RTP_CONNECTED, RTP_LOCAL, RT_TABLEID_MAX,
  AF_INET, AF_INET6, LINK_STATE_DOWN,
} from './constants.js';
import { fail } from './errno.js';
import { INTERFACE_KINDS, Interface, type IfAddr } from './interface.js';
import type { Kernel } from './kernel.js';
import type { RoutingTable } from './routing-table.js';
import { Rtentry } from './rtentry.js';
import { ADDR_BYTES, applyMask, bytesEqual, gatewayMatches, inetSockaddr, maskBytes, parseAddress, type Family } from './sockaddr-bytes.js';

export interface InterfaceInfo {
  index: number;
  name: string;
  flags: number;
  mtu: number;
  linkState: number;
  rdomain: number;
  addresses: string[];
}

export class Ifconfig {
  /** Next interface index to hand out (public so a kernel snapshot can restore it). */
  nextIndex = 1;
  constructor(private readonly k: Kernel) {}

  private byName(name: string): Interface | undefined {
    for (const ifp of this.k.interfaces.values()) if (ifp.name === name) return ifp;
    return undefined;
  }

  private need(name: string): Interface {
    return this.byName(name) ?? fail('ENOENT', `no interface ${name}`);
  }

  private announce(ifp: Interface, what: number): void {
    if (this.k.hasSockets()) this.k.broadcast(this.k.messages.announce(ifp, what), 0);
  }

  private ifinfo(ifp: Interface): void {
    if (this.k.hasSockets()) this.k.broadcast(this.k.messages.ifinfo(ifp), 0);
  }

  get(name: string): InterfaceInfo | undefined {
    const ifp = this.byName(name);
    if (!ifp) return undefined;
    return {
      index: ifp.index, name: ifp.name, flags: ifp.flags, mtu: ifp.mtu, linkState: ifp.linkState, rdomain: ifp.rdomain,
      addresses: ifp.addrs.map((a) => `${formatIfAddr(a)}/${a.plen}`),
    };
  }

  list(): InterfaceInfo[] {
    return [...this.k.interfaces.values()].map((i) => this.get(i.name)!);
  }

  /** Index of an interface by name (if_nametoindex), 0 if none. */
  indexOf(name: string): number {
    return this.byName(name)?.index ?? 0;
  }

  /** SIOCIFCREATE: clones lo<N> or vether<N>; announces IFAN_ARRIVAL. */
  create(name: string): Interface {
    if (this.byName(name)) fail('EEXIST', name);
    const kind = INTERFACE_KINDS.find((k) => name.startsWith(k.prefix) && /^\d+$/.test(name.slice(k.prefix.length)));
    if (!kind) fail('EINVAL', `${name} is not a clonable interface`);
    const index = this.nextIndex++;
    const lladdr = kind.hasLladdr ? Uint8Array.of(0xfe, 0xe1, 0xba, 0xd0, (index >> 8) & 0xff, index & 0xff) : new Uint8Array(0);
    const ifp = new Interface(index, name, kind, lladdr);
    this.k.interfaces.set(index, ifp);
    this.announce(ifp, IFAN_ARRIVAL);
    return ifp;
  }

  /** SIOCIFDESTROY: down, purge addresses and multicast routes, IFAN_DEPARTURE. */
  destroy(name: string): void {
    const ifp = this.need(name);
    if (ifp.name === 'lo0') fail('EPERM', 'lo0 cannot be destroyed');
    if (isRdomainLoopback(ifp) && [...this.k.interfacesIn(ifp.rdomain)].length > 1) fail('EBUSY', 'rdomain still in use');
    if (ifp.isUp) this.down(name);
    for (const a of ifp.addrs.slice()) this.purgeAddress(a);
    for (const t of this.k.tablesIn(ifp.rdomain)) {
      for (const e of [...t.routes.entries()]) if (e.route.ifp === ifp) this.k.core.remove(t, e.route);
    }
    this.k.interfaces.delete(ifp.index);
    this.announce(ifp, IFAN_DEPARTURE);
  }

  up(name: string): void {
    const ifp = this.need(name);
    this.ifUp(ifp);
  }

  private ifUp(ifp: Interface): void {
    ifp.markUp();
    this.stateChanged(ifp);
    if (isRdomainLoopback(ifp) && !ifp.inet6Attached && !ifp.noInet6) this.attachInet6(ifp);
  }

  down(name: string): void {
    const ifp = this.need(name);
    // SIOCSIFFLAGS calls if_down only when IFF_UP changes: a down interface's routes (clones
    // made while it was down, §A.13) stay as they are.
    if (!ifp.isUp) return;
    ifp.markDown();
    this.stateChanged(ifp);
  }

  /** Link state change (LINK_STATE_*): RTM_IFINFO, then routes follow. */
  setLinkState(name: string, state: number): void {
    const ifp = this.need(name);
    ifp.linkState = state;
    this.stateChanged(ifp);
  }

  /** if_up / if_down / if_linkstate: RTM_IFINFO, then the interface's routes follow its state. */
  private stateChanged(ifp: Interface): void {
    this.ifinfo(ifp);
    this.trackRoutes(ifp);
  }

  private trackRoutes(ifp: Interface): void {
    for (const t of this.k.tablesIn(ifp.rdomain)) {
      for (const e of [...t.routes.entries()]) if (e.route.ifp === ifp) this.k.core.trackState(t, e.route, ifp);
    }
  }

  /** SIOCSIFMTU: RTM_IFINFO with the new MTU (routes keep theirs). */
  setMtu(name: string, mtu: number): void {
    const ifp = this.need(name);
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > (ifp.isLoopback ? 65535 : 9216)) fail('EINVAL', 'mtu');
    ifp.mtu = mtu;
    this.ifinfo(ifp);
  }

  /** SIOCSIFLLADDR: a new link-layer address (Ethernet-like interfaces only). */
  setLladdr(name: string, lladdr: Uint8Array): void {
    const ifp = this.need(name);
    if (!ifp.kind.hasLladdr || lladdr.length !== 6) fail('EINVAL', 'lladdr');
    ifp.lladdr = lladdr.slice();
    this.k.messages.forgetLink(ifp);
    this.ifinfo(ifp);
  }

  /** vlan(4) SIOCSVNETID (-1 clears). */
  setVnetid(name: string, vnetid: number): void {
    const ifp = this.need(name);
    if (ifp.kind.prefix !== 'vlan') fail('EINVAL', 'not a vlan');
    if (vnetid !== -1 && (!Number.isInteger(vnetid) || vnetid < 0 || vnetid > 4095)) fail('EINVAL', 'vnetid');
    ifp.vnetid = vnetid;
  }

  /** vlan(4) SIOCSIFPARENT ('' clears): lladdr and link state come from the parent. */
  setParent(name: string, parent: string): void {
    const ifp = this.need(name);
    if (ifp.kind.prefix !== 'vlan') fail('EINVAL', 'not a vlan');
    const p = parent === '' ? undefined : this.need(parent);
    if (p && (!p.kind.hasLladdr || p === ifp)) fail('EINVAL', 'parent');
    ifp.parent = p ? p.name : '';
    if (p) {
      ifp.lladdr = p.lladdr.slice();
      this.k.messages.forgetLink(ifp);
    }
    this.setLinkState(name, p ? p.linkState : LINK_STATE_DOWN);
  }

  /** SIOCSIFRDOMAIN (§E.2). */
  setRdomain(name: string, rdomain: number): void {
    const ifp = this.need(name);
    if (!Number.isInteger(rdomain) || rdomain < 0 || rdomain > RT_TABLEID_MAX) fail('EINVAL', 'rdomain');
    let t = this.k.table(rdomain);
    if (!t || (t.rdomain !== rdomain && t.routes.count === 0)) {
      t = this.k.addTable(rdomain, rdomain);
      t.rdomain = rdomain;
      const loName = `lo${rdomain}`;
      const lo = this.byName(loName) ?? this.create(loName);
      if (lo !== ifp) this.move(lo, rdomain);
    } else if (t.rdomain !== rdomain) {
      fail('EBUSY', `table ${rdomain} belongs to rdomain ${t.rdomain}`);
    }
    if (ifp.rdomain === rdomain) return;
    if (isRdomainLoopback(ifp)) fail('EPERM', 'an rdomain loopback cannot leave its rdomain');
    this.move(ifp, rdomain);
  }

  private move(ifp: Interface, rdomain: number): void {
    if (ifp.rdomain === rdomain) return;
    const wasUp = ifp.isUp;
    if (wasUp) this.down(ifp.name);
    for (const a of ifp.addrs.slice()) this.purgeAddress(a);
    ifp.rdomain = rdomain;
    if (wasUp) this.ifUp(ifp);
  }

  /** `inet6` on an interface (in6_ifattach): ::1 on the rdomain loopback, then fe80::1 / link-local. */
  enableInet6(name: string): void {
    const ifp = this.need(name);
    ifp.noInet6 = false;
    if (!ifp.inet6Attached) this.attachInet6(ifp);
  }

  /** `-inet6`: removes every IPv6 address and stops automatic attachment. */
  disableInet6(name: string): void {
    const ifp = this.need(name);
    ifp.noInet6 = true;
    ifp.inet6Attached = false;
    for (const a of ifp.addrs.slice()) if (a.af === 'inet6') this.purgeAddress(a);
  }

  private attachInet6(ifp: Interface): void {
    ifp.inet6Attached = true;
    if (isRdomainLoopback(ifp)) this.configure(ifp, 'inet6', parseAddress('::1')!.addr, 128);
    const ll = new Uint8Array(16);
    ll[0] = 0xfe;
    ll[1] = 0x80;
    ll[2] = ifp.index >> 8;
    ll[3] = ifp.index & 0xff;
    if (ifp.isLoopback) ll[15] = 1;
    else {
      ll.set(ifp.lladdr.subarray(0, 3), 8);
      ll[8]! ^= 0x02;
      ll[11] = 0xff;
      ll[12] = 0xfe;
      ll.set(ifp.lladdr.subarray(3, 6), 13);
    }
    this.configure(ifp, 'inet6', ll, 64);
  }

  /**
   * Adds `cidr` (`192.0.2.1/32`, `2001:db8::1/64`, `fe80::1%lo1/64`) to an interface; IPv4
   * without a length gets the classful mask, IPv6 /64.
   */
  addAddress(name: string, cidr: string): void {
    const ifp = this.need(name);
    const { af, addr, plen } = parseCidr(cidr, ifp.index);
    if (af === 'inet6' && !ifp.inet6Attached) {
      ifp.noInet6 = false;
      this.attachInet6(ifp);
    }
    this.configure(ifp, af, addr, plen);
  }

  deleteAddress(name: string, address: string): void {
    const ifp = this.need(name);
    const { af, addr } = parseCidr(address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`, ifp.index);
    const a = ifp.addrs.find((x) => x.af === af && bytesEqual(x.addr, addr)) ?? fail('EADDRNOTAVAIL', address);
    this.purgeAddress(a);
  }

  /** Address configuration: SIOCSIFADDR side effects, then the address's routes. */
  private configure(ifp: Interface, af: Family, addr: Uint8Array, plen: number): void {
    const existing = ifp.addrs.find((a) => a.af === af && bytesEqual(a.addr, addr));
    if (existing && af !== 'inet') fail('EEXIST', 'address exists');
    const t = this.k.table(ifp.rdomain)!;
    if (existing) {
      // SIOCAIFADDR of an address the interface has re-initialises it (in_ifscrub, in_ifinit):
      // its prefix and local routes go and are added again; routes selected onto it stay.
      this.removePrefix(t, existing);
      this.delLocal(t, existing);
      ifp.addrs.splice(ifp.addrs.indexOf(existing), 1);
      existing.plen = plen;
    }
    // The driver's SIOCSIFADDR brings the interface up. lo(4) calls if_up. An Ethernet-like
    // driver only sets IFF_UP and queues its link-state task, which announces the change and
    // brings the interface's other routes up after this ioctl: behind the address's new routes.
    const deferred = af === 'inet' && !ifp.isLoopback && !ifp.isUp;
    if (deferred) ifp.markUp();
    else if (af === 'inet') this.ifUp(ifp);
    try {
      this.addAddressRoutes(t, existing ?? { af, addr, plen, dstaddr: undefined, ifp }, !existing);
    } finally {
      if (deferred) {
        this.stateChanged(ifp);
      }
    }
  }

  /** in_ifinit after the driver: the local route, then the prefix routes (§E.3). */
  private addAddressRoutes(t: RoutingTable, ifa: IfAddr, isNew: boolean): void {
    const { af, addr, plen, ifp } = ifa;
    ifp.addrs.push(ifa);
    this.addLocal(t, ifa, isNew);
    if (af === 'inet' && !ifp.isLoopback && !ifp.isPointToPoint) {
      const mask = maskBytes(af, plen);
      ifa.dstaddr = plen < 31 ? addr.map((b, i) => b | (~mask[i]! & 0xff)) : undefined;
      // in_insert_prefix: a connected or broadcast route that cannot be added (another
      // interface's, same gateway) fails the ioctl with EEXIST, and a new address is purged.
      const gw = inetSockaddr(af, addr);
      const net = applyMask(addr.slice(), plen);
      const ok = this.addKernelRoute(t, ifa, net, plen, RTF_CLONING | RTF_CONNECTED, ifp.priority + RTP_CONNECTED, gw, true)
        && (!ifa.dstaddr || this.addKernelRoute(t, ifa, ifa.dstaddr, 32, RTF_BROADCAST | RTF_HOST, RTP_LOCAL, gw, true));
      if (!ok) {
        if (isNew) this.purgeAddress(ifa);
        fail('EEXIST', 'the address\'s prefix routes exist on another interface');
      }
    }
    if (af === 'inet6') {
      if (!ifp.isLoopback && plen < 128) {
        this.addKernelRoute(t, ifa, applyMask(addr.slice(), plen), plen, RTF_CLONING | RTF_CONNECTED,
          ifp.priority + RTP_CONNECTED, inetSockaddr(af, addr), true);
      }
      this.addMulticastRoutes(t, ifa);
    }
  }

  /**
   * rt_ifa_addlocal: the local host route (unless one exists), announced by NEWADDR then
   * RTM_ADD (rt_ifa_add) — no route added, no NEWADDR. `isNew`: a brand-new address (its
   * NEWADDR shows the untrimmed mask and no broadcast address yet).
   */
  private addLocal(t: RoutingTable, ifa: IfAddr, isNew: boolean): void {
    const k = this.k;
    const covering = k.core.match(t, ifa.af, ifa.addr);
    if (ifa.af === 'inet' && ifa.addr.every((b) => b === 0)) return;
    const full = ADDR_BYTES[ifa.af] * 8;
    if (covering && covering.plen === full && covering.flags & RTF_LOCAL) return;
    const ifp = ifa.ifp;
    const direct = ifp.isLoopback || ifp.isPointToPoint;
    const gateway = direct ? inetSockaddr(ifa.af, ifa.addr) : k.messages.linkOf(ifp);
    const flags = RTF_HOST | RTF_LOCAL | (direct ? 0 : RTF_LLINFO);
    const rt = this.addKernelRoute(t, ifa, ifa.addr.slice(), full, flags, RTP_LOCAL, gateway, false);
    if (!rt) return;
    if (k.hasSockets()) k.broadcast(k.messages.addr(RTM_NEWADDR, ifa, isNew), ifa.af === 'inet' ? AF_INET : AF_INET6);
    k.routeSent(RTM_ADD, rt);
  }

  /** ff01:<idx>::/32 and ff02:<idx>::/32 on multicast-capable interfaces, without messages. */
  private addMulticastRoutes(t: RoutingTable, ifa: IfAddr): void {
    const ifp = ifa.ifp;
    for (const scope of [0x02, 0x01]) {
      const probe = new Uint8Array(16);
      probe[0] = 0xff;
      probe[1] = scope;
      probe[2] = ifp.index >> 8;
      probe[3] = ifp.index & 0xff;
      probe[15] = 1;
      const found = this.k.core.match(t, 'inet6', probe);
      if (found && found.plen >= 32 && bytesEqual(found.dst.subarray(0, 4), probe.subarray(0, 4))) continue;
      const dst = applyMask(probe.slice(), 32);
      this.addKernelRoute(t, ifa, dst, 32, RTF_MULTICAST, RTP_CONNECTED, inetSockaddr('inet6', ifa.addr), false);
    }
  }

  private addKernelRoute(
    t: RoutingTable, ifa: IfAddr, dst: Uint8Array, plen: number, flags: number, priority: number, gateway: Uint8Array,
    announce: boolean,
  ): Rtentry | undefined {
    const rt = new Rtentry(t.id, ifa.af, dst, plen, { priority, flags: flags | 1, gateway, ifa });
    if (ifa.ifp.rtlabel) {
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

  /** in_purgeaddr / in6_purgeaddr: connected+broadcast, local (+DELADDR), then every user of the address. */
  private purgeAddress(ifa: IfAddr): void {
    const k = this.k;
    const ifp = ifa.ifp;
    const main = k.table(ifp.rdomain)!;
    this.removePrefix(main, ifa);
    this.delLocal(main, ifa);
    ifp.addrs.splice(ifp.addrs.indexOf(ifa), 1);
    for (const t of k.tablesIn(ifp.rdomain)) {
      for (const e of [...t.routes.entries()]) {
        const rt = e.route;
        if (rt.ifa !== ifa || !rt.inTable) continue;
        const before = rt.flags;
        k.core.remove(t, rt);
        if ((rt.flags & RTF_MULTICAST) === 0) k.routeDeleted(rt, before);
      }
    }
  }

  /** in_remove_prefix / in_ifscrub: the address's connected and broadcast routes (RTM_DELETE each). */
  private removePrefix(t: RoutingTable, ifa: IfAddr): void {
    const { af, addr, plen, ifp } = ifa;
    if (af === 'inet' && !ifp.isLoopback && !ifp.isPointToPoint) {
      // in_remove_prefix: rt_ifa_del finds each route as rtrequest_delete does, by what
      // in_insert_prefix added: the prefix (the broadcast route, a host route, by longest
      // match), the address as gateway and the kernel's priority; it must be on the address's
      // interface at exactly that prefix. A route whose gateway RTM_CHANGE replaced is not
      // found, and goes later with the address's other routes (rt_ifa_purge).
      const gw = inetSockaddr(af, addr);
      this.delPrefixRoute(t, ifp, applyMask(addr.slice(), plen), plen, gw, ifp.priority + RTP_CONNECTED);
      if (ifa.dstaddr) this.delPrefixRoute(t, ifp, ifa.dstaddr, undefined, gw, RTP_LOCAL);
      return;
    }
    const kernelRoutes = [...t.routes.entries(af)].map((e) => e.route)
      .filter((r) => r.ifa === ifa && r.flags & (RTF_CONNECTED | RTF_BROADCAST) && r.inTable);
    for (const rt of kernelRoutes) {
      this.k.core.remove(t, rt);
      this.k.routeSent(RTM_DELETE, rt);
    }
  }

  /** rt_ifa_del of an IPv4 prefix route: rtable_lookup, interface and exact-prefix checks, RTM_DELETE. */
  private delPrefixRoute(t: RoutingTable, ifp: Interface, dst: Uint8Array, plen: number | undefined, gw: Uint8Array, priority: number): void {
    const rt = t.routes.lookup('inet', dst, plen, priority, (r) => gatewayMatches(r.gateway, gw));
    if (!rt || rt.ifp !== ifp || rt.plen !== (plen ?? 32)) return;
    this.k.core.remove(t, rt);
    this.k.routeSent(RTM_DELETE, rt);
  }

  /** rt_ifa_dellocal: the address's local route (RTM_DELETE), then DELADDR; neither without one. */
  private delLocal(t: RoutingTable, ifa: IfAddr): void {
    const k = this.k;
    const full = ADDR_BYTES[ifa.af] * 8;
    const local = t.routes.routesAt(ifa.af, ifa.addr, full).find((r) => r.ifa === ifa && r.flags & RTF_LOCAL);
    if (!local) return;
    k.core.remove(t, local);
    k.routeSent(RTM_DELETE, local);
    if (k.hasSockets()) k.broadcast(k.messages.addr(RTM_DELADDR, ifa, false), ifa.af === 'inet' ? AF_INET : AF_INET6);
  }
}

function isRdomainLoopback(ifp: Interface): boolean {
  return ifp.isLoopback && ifp.name === `lo${ifp.rdomain}`;
}

function formatIfAddr(a: IfAddr): string {
  return a.af === 'inet' ? `${a.addr[0]}.${a.addr[1]}.${a.addr[2]}.${a.addr[3]}` : Buffer.from(a.addr).toString('hex');
}

/** Parses `addr[/len]` (`%ifname` scopes are embedded as the interface index). */
function parseCidr(text: string, ifindex: number): { af: Family; addr: Uint8Array; plen: number } {
  const [addrPart, lenPart] = text.split('/') as [string, string | undefined];
  const bare = addrPart.replace(/%.*$/, '');
  const a = parseAddress(bare) ?? fail('EINVAL', `bad address ${text}`);
  let plen: number;
  if (lenPart !== undefined) {
    plen = Number(lenPart);
    if (!/^\d+$/.test(lenPart) || plen > ADDR_BYTES[a.af] * 8) fail('EINVAL', `bad prefix length ${text}`);
  } else if (a.af === 'inet6') plen = 64;
  else plen = a.addr[0]! < 128 ? 8 : a.addr[0]! < 192 ? 16 : 24;
  if (a.af === 'inet6' && a.addr[0] === 0xfe && (a.addr[1]! & 0xc0) === 0x80) {
    a.addr[2] = ifindex >> 8;
    a.addr[3] = ifindex & 0xff;
  }
  return { af: a.af, addr: a.addr, plen };
}
