/**
 * The kernel: routing tables by id (each in a routing domain), interfaces, labels and the open
 * routing sockets. Requests enter through RoutingSocket.write -> routeOutput; kernel events
 * (interface and address changes, lookups) leave through broadcast().
 */
import { DEFAULT_ARCH, DEFAULT_DIALECT, normalizeDialectName, type ArchName, type DialectName } from '../abi/dialect.js';
import {
  IFF_NOARP, AF_INET, AF_INET6, IFA_ROUTE, RTF_CLONING, RTF_GATEWAY, RTF_HOST, RTF_LLINFO, RTF_UP, RTM_ADD, RTM_CHGADDRATTR, RTM_DELETE,
  RTM_GET, RTP_CONNECTED,
} from './constants.js';
import { DadQueue, type DadContext } from './dad.js';
import type { KernelContext, RouteEvents } from './context.js';
import { accepts, metaOf, type MessageMeta } from './delivery.js';
import { dialectPolicy, type DialectPolicy } from './dialect-policy.js';
import { ERRNO, fail } from './errno.js';
import { InterfaceGroups } from './groups.js';
import { AddressLifetimes } from './in6-lifetime.js';
import { Ifconfig } from './ifconfig.js';
import type { IfAddr, Interface } from './interface.js';
import { LabelTable } from './labels.js';
import { MessageBuilder } from './messages.js';
import { ARPT_PRUNE, NeighbourCache, type ArpInputResult, type ArpResolution, type NeighbourContext } from './neighbours.js';
import type { NdInfo, NdInputResult, NdResolution } from './nd6.js';
import { routeOutput } from './output.js';
import { RouteCore } from './route.js';
import { FAST_PATH_AT, RoutingTable } from './routing-table.js';
import { Rtentry } from './rtentry.js';
import { keep } from './alloc.js';
import { RoutingSocket, type SocketHost, type SocketOptions } from './socket.js';
import { isScoped6, parseAddressInto, type Family } from './sockaddr-bytes.js';
import { parseMac, parseV6 } from '../addr/parse.js';
import { parseIPv4 } from '../codec/bytes.js';
import { describeRoute, type RouteInfo } from './route-info.js';

export interface KernelOptions {
  dialect?: DialectName | 'openbsd-current' | 'current';
  arch?: ArchName;
  /** Configure lo0 with 127.0.0.1/8 and IPv6 (::1, fe80::1%lo0) at boot (default true). */
  configureLoopback?: boolean;
  /**
   * Routes a table holds before its lookups switch to the compiled fast path (default
   * FAST_PATH_AT; 0 = from the start). Answers do not depend on it, only speed and memory.
   */
  fastPathAt?: number;
  /**
   * The kernel's clock in wall-clock seconds (default: the host's). ARP entries expire by it
   * and timers run on it; tests and replays pass their own.
   */
  clock?: () => number;
  /**
   * net.inet6.ip6.forwarding (default false, as OpenBSD boots): a router makes STALE neighbour
   * entries from unsolicited advertisements. Also settable later as `kernel.ip6Forwarding`.
   */
  ip6Forwarding?: boolean;
}

/** An ARP packet as {@link Kernel.arpInput} takes it: addresses as text. */
export interface ArpPacketInput {
  op: 'request' | 'reply';
  /** Sender MAC address (xx:xx:xx:xx:xx:xx). */
  sha: string;
  /** Sender and target IPv4 addresses. */
  spa: string;
  tpa: string;
}

/**
 * An IPv6 Neighbor Solicitation or Advertisement as {@link Kernel.ndInput} takes it: addresses as
 * text (a `%scope` suffix is ignored: link-local addresses take the receiving interface's scope,
 * as ip6_input gives them), link-layer addresses as xx:xx:xx:xx:xx:xx.
 */
export interface NdPacketInput {
  type: 'ns' | 'na';
  /** ip6_src: a neighbour's address, or :: for a DAD solicitation. Not read for an NA (default ::). */
  src?: string;
  /**
   * ip6_dst. Default: an NS goes to the target's solicited-node multicast address; a solicited
   * NA to us (unicast), an unsolicited one to all-nodes (ff02::1). Only whether it is multicast
   * (and for an NS from :: whether it is solicited-node) matters to the kernel.
   */
  dst?: string;
  /** The target address. */
  target: string;
  /** ip6_hlim (default 255; anything else is dropped). */
  hlim?: number;
  /** NS: the Source Link-Layer Address option (an NA's is ignored, as the kernel ignores it). */
  sllao?: string;
  /** NA: the Target Link-Layer Address option (an NS's is ignored). */
  tllao?: string;
  /** NA flags R, S and O. */
  router?: boolean;
  solicited?: boolean;
  override?: boolean;
}

/** kernel.lookup's parsed address (rt_match copies what it keeps). */
const LOOKUP_KEY4 = new Uint8Array(4);
const LOOKUP_KEY6 = new Uint8Array(16);

export class Kernel implements SocketHost, KernelContext, RouteEvents, NeighbourContext, DadContext {
  readonly policy: DialectPolicy;
  readonly messages: MessageBuilder;
  readonly core: RouteCore;
  readonly labels = new LabelTable();
  readonly groups = new InterfaceGroups();
  readonly neighbours: NeighbourCache;
  /** IPv6 addresses under Duplicate Address Detection. */
  readonly dad: DadQueue;
  /** IPv6 address lifetimes and the timer that deprecates and expires addresses. */
  readonly lifetimes: AddressLifetimes;
  private readonly clock: () => number;
  /**
   * When arptimer last ran (it runs every ARPT_PRUNE seconds of the clock). Saved with the
   * state, so a restored kernel catches up on the runs that fell due while it was stored.
   */
  arpTimerAt: number;
  /** net.inet6.ip6.forwarding. */
  ip6Forwarding: boolean;
  readonly ifconfig: Ifconfig;
  private readonly fastPathAt: number;
  private readonly tables = new Map<number, RoutingTable>();
  readonly interfaces = new Map<number, Interface>();
  private readonly sockets: RoutingSocket[] = [];
  private desyncBytes: Uint8Array | undefined;

  constructor(opts: KernelOptions = {}) {
    const name = normalizeDialectName(opts.dialect ?? DEFAULT_DIALECT);
    this.policy = dialectPolicy(name, opts.arch ?? DEFAULT_ARCH);
    this.fastPathAt = opts.fastPathAt ?? FAST_PATH_AT;
    this.clock = opts.clock ?? (() => Math.floor(Date.now() / 1000));
    this.arpTimerAt = this.clock();
    this.ip6Forwarding = opts.ip6Forwarding ?? false;
    this.dad = new DadQueue(this);
    this.lifetimes = new AddressLifetimes({
      policy: this.policy.inet6Addr, now: () => this.clock(), interfaces: () => this.interfaces.values(),
      purge: (ifa) => this.ifconfig.purgeAddress(ifa),
    });
    this.neighbours = new NeighbourCache(this);
    this.messages = new MessageBuilder(this.policy, (id) => this.tables.get(id));
    this.core = new RouteCore(this);
    this.ifconfig = new Ifconfig(this);
    this.addTable(0, 0);
    const lo0 = this.ifconfig.create('lo0');
    if (opts.configureLoopback !== false) {
      this.ifconfig.addAddress('lo0', '127.0.0.1/8');
      this.ifconfig.up('lo0');
    }
    void lo0;
  }

  get dialect(): DialectName { return this.policy.name; }
  get events(): RouteEvents { return this; }
  get littleEndian(): boolean { return this.policy.rt.le; }
  get sdlSize(): number { return this.policy.sdlSize; }
  get lowWater(): number { return this.policy.lowWater; }
  get routeOptions(): ReadonlySet<number> { return this.policy.routeOptions; }
  get socketBufferMax(): number { return this.policy.socketBufferMax; }

  // ---------------------------------------------------------------- tables

  table(id: number): RoutingTable | undefined {
    return this.tables.get(id);
  }

  tableExists(id: number): boolean {
    return this.tables.has(id);
  }

  addTable(id: number, rdomain: number): RoutingTable {
    let t = this.tables.get(id);
    if (!t) this.tables.set(id, (t = new RoutingTable(id, rdomain, this.fastPathAt, this.policy.walkOrder)));
    return t;
  }

  /** Table ids in ascending order. */
  tableIds(): number[] {
    return [...this.tables.keys()].sort((a, b) => a - b);
  }

  /**
   * Tables whose routing domain is `rdomain`, by table id: rt_ifa_purge and rt_if_track visit
   * table 0 .. rtmap_limit in that order, whatever order the tables were made in.
   */
  tablesIn(rdomain: number): RoutingTable[] {
    return [...this.tables.values()].filter((t) => t.rdomain === rdomain).sort((a, b) => a.id - b.id);
  }

  rdomainOf = (table: number): number | undefined => this.tables.get(table)?.rdomain;

  interfaceByIndex(index: number): Interface | undefined {
    return this.interfaces.get(index);
  }

  *interfacesIn(rdomain: number): Iterable<Interface> {
    for (const ifp of this.interfaces.values()) if (ifp.rdomain === rdomain) yield ifp;
  }

  // ---------------------------------------------------------------- sockets

  /** socket(PF_ROUTE, SOCK_RAW, family). */
  socket(opts: SocketOptions = {}): RoutingSocket {
    const rtable = opts.rtable ?? 0;
    if (!this.tables.has(rtable)) fail('EINVAL', `no routing table ${rtable}`);
    const s = new RoutingSocket(this, opts);
    this.sockets.push(s);
    return s;
  }

  output(sock: RoutingSocket, bytes: Uint8Array): number {
    return routeOutput(this, sock, bytes);
  }

  detach(sock: RoutingSocket): void {
    const i = this.sockets.indexOf(sock);
    if (i >= 0) this.sockets.splice(i, 1);
  }

  desyncMessage(): Uint8Array {
    return (this.desyncBytes ??= this.messages.desync());
  }

  hasSockets(): boolean {
    return this.sockets.length > 0;
  }

  /** Index of the first socket whose filters would take a message with these header words, or -1. */
  firstReceiver(meta: MessageMeta, sender?: RoutingSocket): number {
    const socks = this.sockets;
    for (let i = 0; i < socks.length; i++) if (accepts(socks[i]!, meta, sender, this.rdomainOf)) return i;
    return -1;
  }

  /** route_input: hands `bytes` to every socket whose filters accept it, in attach order. */
  broadcast(bytes: Uint8Array, family: number, sender?: RoutingSocket): void {
    if (this.sockets.length === 0) return;
    this.broadcastMeta(bytes, metaOf(bytes, family, this.policy.rt.le), sender);
  }

  /** broadcast() when the caller already knows the filter words of `bytes` (metaOf would read the same). */
  broadcastMeta(bytes: Uint8Array, meta: MessageMeta, sender?: RoutingSocket): void {
    const socks = this.sockets;
    if (socks.length === 0) return;
    if (socks.length === 1) {
      // One socket: nothing to snapshot against a listener that opens or closes sockets.
      const s = socks[0]!;
      if (accepts(s, meta, sender, this.rdomainOf)) s.enqueue(bytes);
      return;
    }
    for (const s of socks.slice()) if (accepts(s, meta, sender, this.rdomainOf)) s.enqueue(bytes);
  }

  /**
   * broadcastMeta() when `first` = firstReceiver(meta, sender) and no socket has changed since:
   * that socket is not asked again (a reply's filters were already run to decide whether to build it).
   */
  broadcastMetaFrom(bytes: Uint8Array, meta: MessageMeta, sender: RoutingSocket | undefined, first: number): void {
    const socks = this.sockets;
    if (first === socks.length - 1) {
      socks[first]!.enqueue(bytes);
      return;
    }
    // Snapshot before any delivery, as broadcastMeta does: a listener may open or close sockets.
    const rest = socks.slice(first + 1);
    socks[first]!.enqueue(bytes);
    for (const s of rest) if (accepts(s, meta, sender, this.rdomainOf)) s.enqueue(bytes);
  }

  // ---------------------------------------------------------------- kernel route events

  routeSent(type: number, rt: Rtentry): void {
    if (!this.hasSockets()) return;
    // rtm_send adds IFP and IFA only when if_get finds the route's interface: not while
    // if_detach purges a destroyed interface's addresses (it has left the index map).
    const attached = this.interfaces.get(rt.ifp.index) === rt.ifp;
    const bytes = attached ? this.messages.routeSend(type, rt, rt.flags) : this.messages.routeSend(type, rt, rt.flags, false);
    this.broadcast(bytes, rt.af === 'inet' ? AF_INET : AF_INET6);
  }

  routeDeleted(rt: Rtentry, flagsBefore: number): void {
    this.routeDeleteTried(rt, flagsBefore, rt.tableid, 0);
  }

  routeDeleteTried(rt: Rtentry, flagsBefore: number, tableid: number, errno: number): void {
    if (!this.hasSockets()) return;
    this.broadcast(this.messages.routeSend(RTM_DELETE, rt, flagsBefore, undefined, tableid, errno), rt.af === 'inet' ? AF_INET : AF_INET6);
  }

  routeCloned(rt: Rtentry): void {
    if (!this.hasSockets()) return;
    // rt_clone's rtm_send: IFP and IFA when if_get finds the interface (a cloning route can
    // outlive its interface when RTA_IFA gave it an address of the other family).
    const attached = this.interfaces.get(rt.ifp.index) === rt.ifp;
    this.broadcast(this.messages.routeSend(RTM_ADD, rt, rt.flags, attached), rt.af === 'inet' ? AF_INET : AF_INET6);
  }

  cloneFailed(tableid: number, dst: Uint8Array, errno: number): void {
    if (!this.hasSockets()) return;
    this.broadcast(this.messages.miss(dst, tableid, errno), dst[1]!);
  }

  emptyLinkOf(ifp: Interface): Uint8Array {
    return this.messages.emptyLinkOf(ifp);
  }

  lookupMissed(tableid: number, dst: Uint8Array): void {
    this.sendMiss(dst, tableid);
  }

  sendMiss(dst: Uint8Array, tableid: number): void {
    if (!this.policy.missOnLookupFailure || !this.hasSockets()) return;
    this.broadcast(this.messages.miss(dst, tableid, 0), dst[1]!);
  }

  // ---------------------------------------------------------------- time and neighbours

  /** The kernel clock, wall-clock seconds. */
  now(): number {
    return this.clock();
  }

  /** rtdeletemsg for a route the kernel itself drops (an expired ARP entry). */
  deleteRoute(rt: Rtentry): void {
    const t = this.tables.get(rt.tableid);
    if (!t || !rt.inTable) return;
    const before = rt.flags;
    this.core.remove(t, rt);
    this.routeDeleted(rt, before);
  }

  /**
   * Runs the kernel's timers due by the clock, each at the time it was due, in order: arptimer
   * every ARPT_PRUNE (5 minutes), which frees expired ARP entries (RTM_DELETE for those neither
   * STATIC nor a next hop in use), nd6_timer whenever it scheduled itself (the earliest ND
   * entry timer), which retransmits, ages, probes and frees IPv6 neighbour entries, and the
   * DAD timeouts (nd6_dad_timer: a verdict, RTM_CHGADDRATTR in current), and the address
   * lifetime timer (in6-lifetime.ts: deprecation, and expiry purging the address with its
   * routes and RTM_DELADDR). On the same second arptimer goes first, then nd6_timer, then DAD,
   * then the lifetimes (the kernel does not order timeouts due on one tick; a fixed order keeps
   * runs repeatable). Every timer run in between is simulated, so skipping a long time costs in
   * proportion to what the kernel would have done meanwhile (for instance a cached next hop that
   * never answers, solicited again every few seconds). Returns the number of neighbour entries
   * (ARP and ND) deleted; an expired address's routes are not counted.
   */
  runTimers(): number {
    let deleted = 0;
    const now = this.clock();
    const nd6 = this.neighbours.nd6;
    for (;;) {
      const arpAt = this.arpTimerAt + ARPT_PRUNE;
      const ndAt = nd6.timerAt;
      const dadAt = this.dad.timerAt;
      const lifeAt = this.lifetimes.timerAt;
      const ndDue = ndAt !== undefined && ndAt <= now;
      const dadDue = dadAt !== undefined && dadAt <= now;
      const lifeDue = lifeAt !== undefined && lifeAt <= now;
      if (arpAt <= now && (!ndDue || arpAt <= ndAt) && (!dadDue || arpAt <= dadAt) && (!lifeDue || arpAt <= lifeAt)) {
        this.arpTimerAt = arpAt;
        deleted += this.neighbours.timer();
      } else if (ndDue && (!dadDue || ndAt <= dadAt) && (!lifeDue || ndAt <= lifeAt)) deleted += nd6.timer(ndAt, now);
      else if (dadDue && (!lifeDue || dadAt <= lifeAt)) this.dad.timer(dadAt);
      else if (lifeDue) this.lifetimes.timer(lifeAt);
      else {
        this.lifetimes.settle(now);
        return deleted;
      }
    }
  }

  /**
   * rtm_addr(RTM_CHGADDRATTR, ifa) (current only): ifam_flags is ifa_flags, IFA_ROUTE while
   * in6_ifinit's destination route is the address's.
   */
  addressAttributesChanged(ifa: IfAddr): void {
    if (!this.policy.addressAttributeMessages || !this.hasSockets()) return;
    this.broadcast(this.messages.addr(RTM_CHGADDRATTR, ifa, false, ifa.destRoute ? IFA_ROUTE : 0), AF_INET6);
  }

  rtalloc6(ifp: Interface, addr: Uint8Array, resolve: boolean): Rtentry | undefined {
    const t = this.tables.get(ifp.rdomain);
    return t && this.core.match(t, 'inet6', addr, false, resolve);
  }

  addNeighbourRoute(ifp: Interface, addr: Uint8Array): Rtentry | undefined {
    const t = this.tables.get(ifp.rdomain);
    const ifa = ifp.addressFor('inet6', addr);
    if (!t || !ifa) return undefined;
    const rt = new Rtentry(t.id, 'inet6', keep(addr), 128, {
      priority: RTP_CONNECTED, flags: RTF_HOST | RTF_LLINFO | RTF_UP, gateway: this.messages.linkOf(ifp).slice(), ifa,
    });
    try {
      this.core.insert(t, rt, false);
    } catch {
      return undefined;
    }
    return rt;
  }

  /**
   * in_arpinput: an ARP request or reply received on interface `ifname`. The sender's L2 entry
   * learns its MAC (created when we are the target; RTM_RESOLVE when it had been asked for or
   * its MAC changed); a request for one of our addresses is answered.
   */
  arpInput(ifname: string, pkt: ArpPacketInput): ArpInputResult {
    const ifp = this.ifconfig.interfaceNamed(ifname) ?? fail('ENOENT', `no interface ${ifname}`);
    if (!ifp.hasNeighbours) fail('EINVAL', `${ifname} does not resolve neighbours`);
    const spa = parseIPv4(pkt.spa) ?? fail('EINVAL', `bad sender address ${pkt.spa}`);
    const tpa = parseIPv4(pkt.tpa) ?? fail('EINVAL', `bad target address ${pkt.tpa}`);
    const sha = parseMac(pkt.sha) ?? fail('EINVAL', `bad MAC address ${pkt.sha}`);
    if (pkt.op !== 'request' && pkt.op !== 'reply') fail('EINVAL', `bad ARP op ${String(pkt.op)}`);
    // ether_input drops ARP on an interface with IFF_NOARP before in_arpinput sees it.
    if (ifp.flags & IFF_NOARP) return { cached: false, resolved: false, replied: false, note: 'ARP disabled on the interface (IFF_NOARP)' };
    const t = this.tables.get(ifp.rdomain)!;
    return this.neighbours.input(ifp, { op: pkt.op, sha, spa, tpa }, (addr, create) => this.core.match(t, 'inet', addr, false, create));
  }

  /**
   * arpresolve for a packet to IPv4 `address` sent through table `rtable`: the route lookup
   * (RT_RESOLVE: Use++, cloning), then its L2 entry's state: resolved (MAC), pending (an ARP
   * request is due or outstanding; RTF_REJECT after 5 unanswered), or an errno.
   */
  arpResolve(address: string, rtable = 0): ArpResolution {
    const t = this.tables.get(rtable) ?? fail('EINVAL', `no routing table ${rtable}`);
    const dst = parseIPv4(address) ?? fail('EINVAL', `bad IPv4 address ${address}`);
    const rt = this.core.match(t, 'inet', dst, false, true);
    if (!rt || rt.flags & RTF_CLONING) return { status: 'error', errno: ERRNO.EHOSTUNREACH };
    const ifp = rt.ifp;
    if (!ifp.hasNeighbours) return { status: 'error', errno: ERRNO.EINVAL };
    // rt_getll: the route itself, or the next hop a gateway route caches.
    const ll = rt.flags & RTF_GATEWAY ? rt.gwroute : rt;
    return this.neighbours.resolve(rt, ll);
  }

  /**
   * nd6_ns_input / nd6_na_input: an IPv6 Neighbor Solicitation or Advertisement received on
   * interface `ifname`. An NS for one of our addresses (or one we proxy) from a neighbour makes
   * or updates its entry (a new or changed link-layer address: STALE) and is answered; an NA
   * updates the target's entry by its R/S/O flags (a solicited one completing an INCOMPLETE
   * entry: REACHABLE and RTM_RESOLVE). What the kernel drops comes back with a `note`.
   */
  ndInput(ifname: string, pkt: NdPacketInput): NdInputResult {
    const ifp = this.ifconfig.interfaceNamed(ifname) ?? fail('ENOENT', `no interface ${ifname}`);
    if (!ifp.hasNeighbours) fail('EINVAL', `${ifname} does not resolve neighbours`);
    if (pkt.type !== 'ns' && pkt.type !== 'na') fail('EINVAL', `bad ND type ${String(pkt.type)}`);
    const src = packetAddress(pkt.src ?? (pkt.type === 'na' ? '::' : fail('EINVAL', 'an NS needs a source address')), ifp);
    const target = packetAddress(pkt.target, ifp);
    const ll = pkt.type === 'ns' ? pkt.sllao : pkt.tllao;
    const lladdr = ll === undefined ? undefined : parseMac(ll) ?? fail('EINVAL', `bad link-layer address ${ll}`);
    let dstMulticast: boolean;
    let dstSolicitedNode: boolean;
    if (pkt.dst !== undefined) {
      const dst = packetAddress(pkt.dst, ifp);
      dstMulticast = dst[0] === 0xff;
      dstSolicitedNode = dst[0] === 0xff && dst[1] === 0x02 && dst.subarray(4, 11).every((b) => b === 0) && dst[11] === 1 && dst[12] === 0xff;
    } else {
      dstMulticast = pkt.type === 'ns' || !pkt.solicited;
      dstSolicitedNode = pkt.type === 'ns';
    }
    const hlim = pkt.hlim ?? 255;
    return this.neighbours.nd6.input(ifp, {
      type: pkt.type, src, target, dstMulticast, dstSolicitedNode, hlim, lladdr,
      router: pkt.router === true, solicited: pkt.solicited === true, override: pkt.override === true,
    });
  }

  /**
   * nd6_resolve for a packet to IPv6 `address` (`fe80::1%vether0` for a link-local one) sent
   * through table `rtable`: the route lookup (RT_RESOLVE: Use++, cloning), then its L2 entry:
   * resolved (MAC; a STALE entry goes to DELAY), pending (a solicitation is due now or one is
   * outstanding: the timer retransmits and frees the entry after 3), or an errno.
   */
  ndResolve(address: string, rtable = 0): NdResolution {
    const t = this.tables.get(rtable) ?? fail('EINVAL', `no routing table ${rtable}`);
    const dst = this.scopedInet6(address);
    const rt = this.core.match(t, 'inet6', dst, false, true);
    if (!rt || rt.flags & RTF_CLONING) return { status: 'error', errno: ERRNO.EHOSTUNREACH };
    // Loopback and point-to-point interfaces never call nd6_resolve: EINVAL, as arpResolve says.
    if (!rt.ifp.hasNeighbours) return { status: 'error', errno: ERRNO.EINVAL };
    // Multicast: ETHER_MAP_IPV6_MULTICAST, no neighbour entry.
    if (dst[0] === 0xff) return { status: 'resolved', lladdr: Uint8Array.of(0x33, 0x33, dst[12]!, dst[13]!, dst[14]!, dst[15]!) };
    return this.neighbours.nd6.resolve(rt, rt.flags & RTF_GATEWAY ? rt.gwroute : rt);
  }

  /**
   * SIOCGNBRINFO_IN6 (what `ndp` shows): the neighbour entry for `address` on `ifname` — state,
   * solicitations asked, IsRouter, timer (expire, 0 = permanent). EINVAL without one.
   */
  ndInfo(ifname: string, address: string): NdInfo {
    const ifp = this.ifconfig.interfaceNamed(ifname) ?? fail('ENOENT', `no interface ${ifname}`);
    const addr = packetAddress(address, ifp);
    return this.neighbours.nd6.info(ifp, addr) ?? fail('EINVAL', `no neighbour entry for ${address} on ${ifname}`);
  }

  /** An IPv6 address with an optional `%ifname` scope, embedded KAME-style for scoped addresses. */
  private scopedInet6(text: string): Uint8Array {
    const at = text.indexOf('%');
    const addr = new Uint8Array(16);
    if (!parseV6(at < 0 ? text : text.slice(0, at), addr)) fail('EINVAL', `bad IPv6 address ${text}`);
    if (at >= 0 && isScoped6(addr)) {
      const ifp = this.ifconfig.interfaceNamed(text.slice(at + 1)) ?? fail('EINVAL', `no interface ${text.slice(at + 1)}`);
      addr[2] = ifp.index >> 8;
      addr[3] = ifp.index & 0xff;
    }
    return addr;
  }

  // ---------------------------------------------------------------- queries

  /**
   * rt_match(..., RT_RESOLVE): the longest match for `address` in `rtable`, counting Use; a
   * cloning route is cloned into a host route for `address` (RTM_ADD). 4.9: RTM_MISS on a miss.
   */
  lookup(address: string, rtable = 0): RouteInfo | undefined {
    const t = this.tables.get(rtable) ?? fail('EINVAL', `no routing table ${rtable}`);
    // Parsed into reused keys: rt_match copies what it keeps (a clone's destination).
    const af = parseAddressInto(address, LOOKUP_KEY4, LOOKUP_KEY6) ?? fail('EINVAL', `bad address ${address}`);
    const rt = this.core.match(t, af, af === 'inet' ? LOOKUP_KEY4 : LOOKUP_KEY6, true, true);
    return rt ? describeRoute(this, rt) : undefined;
  }

  /** sysctl NET_RT_DUMP: one RTM_GET record per route, in walk order, concatenated. */
  dump(rtable = 0, af?: Family): Uint8Array {
    const t = this.tables.get(rtable) ?? fail('ENOENT', `no routing table ${rtable}`);
    const parts: Uint8Array[] = [];
    let len = 0;
    for (const e of t.routes.entries(af)) {
      const rt = e.route;
      const m = this.messages.dumpEntry(rt, RTM_GET, this.interfaces.get(rt.ifp.index) === rt.ifp);
      parts.push(m);
      len += m.length;
    }
    const out = new Uint8Array(len);
    let pos = 0;
    for (const m of parts) {
      out.set(m, pos);
      pos += m.length;
    }
    return out;
  }

  /** The routes of a table in walk order, for route(8)-style listings. */
  routes(rtable = 0, af?: Family): RouteInfo[] {
    const t = this.tables.get(rtable) ?? fail('ENOENT', `no routing table ${rtable}`);
    const out: RouteInfo[] = [];
    for (const e of t.routes.entries(af)) out.push(describeRoute(this, e.route));
    return out;
  }
}

/** An IPv6 address of a received packet: scoped addresses get the receiving interface's scope. */
function packetAddress(text: string, ifp: Interface): Uint8Array {
  const at = text.indexOf('%');
  const addr = new Uint8Array(16);
  if (!parseV6(at < 0 ? text : text.slice(0, at), addr)) fail('EINVAL', `bad IPv6 address ${text}`);
  if (isScoped6(addr)) {
    addr[2] = ifp.index >> 8;
    addr[3] = ifp.index & 0xff;
  }
  return addr;
}

/** Boots a kernel: table 0 in rdomain 0 and lo0 (index 1) with 127.0.0.1/8, ::1 and fe80::1%lo0. */
export function createKernel(opts: KernelOptions = {}): Kernel {
  return new Kernel(opts);
}


