/**
 * The reference model of the kernel model tests (model-ifaddr, model-change, model-inet6,
 * model-rdomain, model-destroy, model-attrs, model-dual, model-tun): interfaces, IPv4 or IPv6
 * addresses and routes as semantics.md describes them (§A.5-A.11 route operations, §A.13
 * cloning, Use and labels, §A.14 kernel messages, §E.3/§E.4 address configuration, §E.5
 * down/up, link state and destroy) and, where that is silent, OpenBSD's if.c / in.c / in6.c /
 * in6_ifattach.c / route.c / rtable.c / rtsock.c / if_ether.c / if_loop.c / nd6.c / if_tun.c.
 * One model holds one family (Fam: bigint keys) of one table; an interface's addresses (Ifa, with their family) may be of both, and a route may hold
 * an address of the other family (RTA_IFA). model-dual links an IPv4 and an IPv6 model
 * (`families`), model-rdomain one model per table (`domain`, `main`).
 *
 * The model is deliberately naive: one flat array of routes. A node's list is the routes of one
 * prefix sorted by (full priority, sequence number), where every insert or re-prioritisation
 * takes a fresh sequence number (§A.11: after all routes of priority <= its own). Longest match
 * is a scan. Walk order is (address, prefix length, node order): every prefix used here has an
 * ART fringe length (IPv4 8, 24, 32; IPv6 multiples of 4: 0, 32, 48, 56, 64, 128), for which
 * §A.12's walk is address order, shorter first; 4.9's radix tree puts the longer first.
 */
import {
  RTF_ANNOUNCE, RTF_BROADCAST, RTF_CACHED, RTF_CLONED, RTF_CLONING, RTF_CONNECTED, RTF_DONE, RTF_DYNAMIC, RTF_GATEWAY, RTF_HOST,
  RTF_LLINFO, RTF_LOCAL, RTF_MPATH, RTF_MULTICAST, RTF_STATIC, RTF_UP, RTP_ANY, RTP_CONNECTED, RTP_DOWN, RTP_LOCAL,
  RTP_MASK, RTP_STATIC, RTV_MTU, LINK_STATE_DOWN, LINK_STATE_FULL_DUPLEX, LINK_STATE_UNKNOWN, LINK_STATE_UP,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { randomIdentifier } from '../../src/kernel/in6-ifid.js';
import { formatAddress, parseAddress } from '../../src/kernel/sockaddr-bytes.js';
import type { DialectArg } from './helpers.js';

export const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
/** A route message's label as the tests write it. */
export const labelText = (label: string | undefined) => (label ? ` label=${label}` : '');

/**
 * An address family as the model sees it: addresses are bigints of `bits` bits (IPv6 link-local
 * and link/interface-local multicast addresses with their KAME scope embedded in bits 16-31,
 * abi.md §6), written as the kernel's listings write them (`fe80::1%2`).
 */
export interface Fam {
  readonly af: 'inet' | 'inet6';
  readonly bits: number;
  /** An address as text; `addr%N` embeds scope N. */
  parse(text: string): bigint;
  /** As the kernel's listings write it (scope de-embedded). */
  fmt(key: bigint): string;
  /** As a sender puts it on the wire (scope embedded, route(8)). */
  wire(key: bigint): string;
}

const bytesOf = (k: bigint, n: number) => Uint8Array.from({ length: n }, (_, i) => Number((k >> BigInt(8 * (n - 1 - i))) & 0xffn));

function famOf(af: 'inet' | 'inet6', fmt: (b: Uint8Array) => string): Fam {
  const bits = af === 'inet' ? 32 : 128;
  return {
    af,
    bits,
    parse: (text) => {
      const [addr, scope] = text.split('%') as [string, string | undefined];
      const a = parseAddress(addr);
      if (!a || a.af !== af) throw new Error(`not an ${af} address: ${text}`);
      const k = a.addr.reduce((x, b) => (x << 8n) | BigInt(b), 0n);
      return scope === undefined ? k : k | (BigInt(scope) << BigInt(bits - 32));
    },
    fmt: (k) => fmt(bytesOf(k, bits / 8)),
    wire: (k) => formatAddress(af, bytesOf(k, bits / 8)),
  };
}

export const INET = famOf('inet', (b) => b.join('.'));
/** fe80::/10, ff01::/16 and ff02::/16 carry their scope in bytes 2-3 (abi.md §6). */
const scoped6 = (b: Uint8Array) => (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) || (b[0] === 0xff && (b[1] === 0x01 || b[1] === 0x02));
export const INET6 = famOf('inet6', (b) => {
  const scope = (b[2]! << 8) | b[3]!;
  if (!scoped6(b) || scope === 0) return formatAddress('inet6', b);
  b[2] = 0;
  b[3] = 0;
  return `${formatAddress('inet6', b)}%${scope}`;
});

export const maskOf = (f: Fam, plen: number) => ((1n << BigInt(plen)) - 1n) << BigInt(f.bits - plen);
export const netOf = (f: Fam, addr: bigint, plen: number) => addr & maskOf(f, plen);
/** An address gateway (as opposed to a MAC or link#N). */
export const isAddressGw = (gw: string) => !gw.startsWith('link#') && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(gw);
/**
 * An address gateway's family (model-dual draws gateways of the other family than the route's:
 * rt_setgate stores any sockaddr, rt_setgwroute resolves it in its own family's table).
 */
export const gwFam = (gw: string): Fam => (gw.includes(':') ? INET6 : INET);
/** An address gateway as an Addr. */
export const gwAddr = (gw: string): Addr => {
  const f = gwFam(gw);
  return { f, addr: f.parse(gw) };
};
/** A gateway's sockaddr family as rtm_output compares them: link, inet or inet6. */
const gwKind = (gw: string) => (isAddressGw(gw) ? gwFam(gw).af : 'link');
const cmpKey = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Flags 4.9 never reported (the dialect's messages drop them; the table keeps them). */
const CURRENT_ONLY_FLAGS = RTF_CACHED | RTF_LOCAL | RTF_BROADCAST | RTF_CONNECTED | RTF_MULTICAST;
export const UGS = RTF_UP | RTF_GATEWAY | RTF_STATIC;
/** A local route (§E.3 step 2): LLINFO too on an Ethernet-like interface. */
/**
 * LINK_STATE_IS_UP (if.h): UP or better, or UNKNOWN. Only a tun's link moves here; the other
 * interfaces keep theirs up (vether UP, lo and gif UNKNOWN).
 */
const linkUp = (ifp: Ifnet) => !ifp.dev || ifp.dev.link >= LINK_STATE_UP || ifp.dev.link === LINK_STATE_UNKNOWN;
/**
 * rtrequest's and rt_if_linkstate_change's test (§E.5): routes on the interface are up while it
 * is IFF_UP and its link is up.
 */
const usable = (ifp: Ifnet) => ifp.up && linkUp(ifp);
/** IFF_RUNNING: it goes with IFF_UP, except on a tun, whose device sets and clears it (`Device`). */
const isRunning = (ifp: Ifnet) => (ifp.dev ? ifp.dev.running : ifp.up);
/** in6if_do_dad (in6.c 1.273): the interface is IFF_UP and IFF_RUNNING and not a loopback. */
const doDad = (ifp: Ifnet) => ifp.up && isRunning(ifp) && !ifp.loopback;
/**
 * The driver's SIOCSIFADDR queues a link-state task (an Ethernet-like one's, vether(4)): not
 * lo(4)'s (if_up), nor gif(4)'s or tun_ioctl's (tun(4), tap(4)), which set the flags themselves.
 */
const linkTask = (ifp: Ifnet) => !ifp.loopback && !ifp.p2p && !ifp.dev;
const localFlags = (ifp: Ifnet) => RTF_HOST | RTF_LOCAL | (ifp.loopback || ifp.p2p ? 0 : RTF_LLINFO);
/** The MTU loopback's route hook gives a route whose MTU is 0 (§A.13). */
export const LOMTU = 32768;

export interface Ifnet {
  name: string;
  index: number;
  /** Gateway text of the interface's own sockaddr_dl (its MAC; `route show` prints it). */
  mac: string;
  up: boolean;
  addrs: Ifa[];
  /** lo(4): local routes have the address as gateway, no prefix routes, MTU from its route hook. */
  loopback?: boolean;
  /**
   * gif(4), tun(4) (IFF_POINTOPOINT): local routes have the address as gateway, an address's
   * destination gets a host route instead of prefix routes, no route hook with effects
   * (p2p_rtrequest), and SIOCSIFADDR sets IFF_UP without a link-state task.
   */
  p2p?: boolean;
  /** Destroyed (if_detach's if_remove): if_get finds it no more. */
  gone?: boolean;
  /**
   * `-inet6` given (4.9: IFXF_NOINET6, which an rdomain move sets too): if_up attaches no IPv6
   * (current: on the rdomain's loopback, the only interface its if_up attaches).
   */
  noInet6?: boolean;
  /**
   * tun(4) (p2p too) and tap(4) (Ethernet-like): its character device and what follows it
   * (`Model.devOpen`). Absent on the other interfaces, whose link stays up and whose
   * IFF_RUNNING goes with IFF_UP.
   */
  dev?: Device;
  /**
   * `ifconfig X rtlabel L` (SIOCSIFRTLABEL: if_rtlabelid): the label rt_ifa_add gives the routes
   * it makes for the interface's addresses ('' or absent: none).
   */
  rtlabel?: string;
  /**
   * `ifconfig X priority N` (SIOCSIFPRIORITY: if_priority, absent: 0): RTM_ADD's default is
   * if_priority + RTP_STATIC; current's rt_ifa_add/rt_ifa_del add it to the address routes too.
   */
  prio?: number;
  /** Labels of destroyed incarnations: if_detach does not release the interface's label reference. */
  leakedLabels?: string[];
  /**
   * A tun's descriptors a destroy left open (its device was open): current revoked them, 4.9
   * left them on the device (`Model.devClose`). Absent: none.
   */
  stranded?: number;
}

/**
 * A tun's character device (if_tun.c: 4.9 from 1.104, current 1.252): open or not (4.9
 * TUN_OPEN, current sc_dev), the link state (tun_link_state: 4.9 never sets it before the first
 * open, UNKNOWN; current's tun_create starts it DOWN), IFF_RUNNING (4.9's if_up / if_down and
 * tun_ioctl's SIOCSIFFLAGS leave it; current's tun_ioctl makes it follow IFF_UP), and whether
 * the interface outlives the close (TUN_STAYUP: not when the open cloned it).
 */
export interface Device {
  open: boolean;
  link: number;
  running: boolean;
  stayUp: boolean;
}

/** A tun as tun_create leaves it: closed, IFF_RUNNING clear, the link as the dialect starts it. */
export const newDevice = (d: DialectArg): Device =>
  ({ open: false, link: d === 'openbsd-4.9' ? LINK_STATE_UNKNOWN : LINK_STATE_DOWN, running: false, stayUp: true });

/** An RTM_IFINFO as the model tests write it: IFF_UP, IFF_RUNNING, the link state. */
export const ifinfoText = (name: string, up: boolean, running: boolean, link: number) =>
  `IFINFO ${name}${up ? ' UP' : ''}${running ? ' RUNNING' : ''} link=${link}`;

export interface Ifa {
  /** The address's family: an interface may hold both, and a route may be given an address of the other (RTA_IFA). */
  f: Fam;
  addr: bigint;
  plen: number;
  ifp: Ifnet;
  /** Broadcast address, 0 for /31 and /32 (no broadcast route), IPv6 and point-to-point interfaces. */
  brd: bigint;
  /** A point-to-point interface's destination (ifa_dstaddr, SIOCAIFADDR's ifra_dstaddr), if one was given. */
  dst?: bigint | undefined;
  /** IPv6 on a point-to-point interface: in6_ifinit added the destination's host route (IFA_ROUTE). */
  destRoute?: boolean;
  /** IPv6: IN6_IFF_TENTATIVE (added while its interface was up and running; DAD has not ruled). */
  tentative?: boolean;
}

export interface Route {
  key: bigint;
  plen: number;
  /** Gateway as `route show` prints it: an address, a MAC, or link#<index> for an unresolved clone. */
  gw: string;
  flags: number;
  /** Full priority, RTP_DOWN included. */
  prio: number;
  ifa: Ifa;
  /** Position among equal priorities in the node: larger = later. */
  seq: number;
  mtu: number;
  /** Metric lock bits (only RTV_MTU matters). */
  locks: number;
  /** rt_use: every rt_match / rtalloc that returns the route (§A.13). */
  use: number;
  /** Route label text ('' = none). */
  label: string;
  /** ARP/ND state (rt_llinfo) given by arp_rtrequest / nd6_rtrequest; RTF_LLINFO may say otherwise after an fmask. */
  la: boolean;
  /**
   * A link-layer gateway's sdl_index (the interface hook rewrites it to the route's interface):
   * rtable_insert compares whole gateway sockaddrs, which the text (a MAC) does not show.
   */
  gwIndex?: number | undefined;
  /**
   * The gateway is still rtrequest(RTM_RESOLVE)'s zeroed sa_dl (sdl_type 0): a clone no
   * interface hook has typed (lo(4), gif(4)). Requests' link-layer gateways carry a type
   * (IFT_ETHER from the harness), so no request's gateway equals it, index 0 or not.
   */
  gwUntyped?: boolean;
  /** A clone's cloning route (rt_parent). */
  parent?: Route | undefined;
  /** A gateway route's cached next hop (rt_gwroute). */
  nexthop?: Route | undefined;
  /** Gateway routes caching this one (rt_cachecnt). */
  cachedBy: number;
  inTable: boolean;
}

/** What a request names, as sent: for lookups, and for 4.9's replies, which echo the request. */
export interface Named {
  key: bigint;
  /** From RTA_NETMASK; undefined when none was sent. */
  plen: number | undefined;
  gw: string | undefined;
  /** RTA_LABEL's text; undefined when none was sent ('' removes on RTM_CHANGE). */
  label?: string | undefined;
}

/** An address of either family (RTA_IFA may name one of the other family than the route's). */
export interface Addr {
  f: Fam;
  addr: bigint;
}

/** What rtm_getifa reads of a request: RTA_IFP, RTA_IFA, the destination, RTA_GATEWAY, rtm_flags. */
export interface Via {
  /** A link-layer RTA_GATEWAY's sdl_index (its text is a MAC or link#N). */
  linkIndex?: number | undefined;
  /** RTA_IFP: the interface its sdl_index names, null for an index no interface has (if_get fails). */
  ifp?: Ifnet | null | undefined;
  /** RTA_IFA's address. */
  ifa?: Addr | undefined;
}

/** RTM_CHANGE's request beyond what it names. */
export interface ChangeArgs extends Named, Via {
  /** Effective priority: RTP_ANY for 0. */
  prio: number;
  flags: number;
  fmask: number;
  /** RTV_MTU in rtm_inits: the MTU to set, and whether to lock it. */
  mtu?: { value: number; lock: boolean } | undefined;
}

export class Model {
  routes: Route[] = [];
  /** Messages a listener gets, in order, formatted like the test's reading of the kernel's. */
  msgs: string[] = [];
  /**
   * The RTM_IFINFO a tun's device operations send (ifinfoText), apart: their number is known
   * there (tun_link_state announces a change only; 4.9's open adds if_up's), not elsewhere (§F.3).
   */
  ifinfos: string[] = [];
  private seq = 0;
  /**
   * The table this model is (model-rdomain: one Model per table, NEWADDR/DELADDR in the rdomain's
   * own); when set, every message is written with ` T<id>`, its rtm_tableid.
   */
  table: number | undefined;

  /**
   * The table's preferred source of this family (RTM_SOURCE, rtable_setsource): current's route
   * messages carry it as RTA_IFA instead of the route's address (rtm_send, rtm_report).
   */
  source: bigint | undefined = undefined;

  /** The index the next interface created gets (the harness sets it). */
  nextIndex = 0;
  /** Whether an interface is in this table's routing domain (model-rdomain narrows it). */
  inDomain: (ifp: Ifnet) => boolean = () => true;
  /** The tables of this table's rdomain, by table id (model-rdomain: alternate tables too). */
  domain: () => Model[] = () => [this];
  /** The rdomain's main table (rtable_l2): address selection and next hops look there. */
  main: () => Model = () => this;
  /** Whether `ifp` is this table's rdomain's own loopback (rtable_loindex): lo0 unless model-rdomain says otherwise. */
  isRdomainLoopback: (ifp: Ifnet) => boolean = (ifp) => ifp.loopback === true;
  /**
   * The models of this table, one per address family in AF order (AF_INET before AF_INET6), this
   * one among them (model-dual: an IPv4 and an IPv6 model sharing the interfaces).
   */
  families: () => Model[] = () => [this];
  /**
   * Every (table, family) of the rdomain in rt_if_track's order: tables by id, then address
   * families in AF order within each (route.c rt_if_track).
   */
  linked: () => Model[] = () => this.domain().flatMap((m) => m.families());
  /**
   * Every (table, family) there is, in rt_if_remove's order: tables by id, then families in AF
   * order (4.9's rt_if_remove walks every table): the rdomain's unless model-rdomain says otherwise.
   */
  everyTable: () => Model[] = () => this.linked();

  constructor(private readonly d: DialectArg, readonly ifs: Ifnet[], readonly f: Fam = INET) {
    // tun<N> and tap<N> have a character device (model-dual's two models share the interfaces:
    // the first one sets it).
    for (const ifp of ifs) if (/^(tun|tap)\d+$/.test(ifp.name)) ifp.dev ??= newDevice(d);
  }

  private emit(text: string): void {
    this.msgs.push(this.table === undefined ? text : `${text} T${this.table}`);
  }

  // -------------------------------------------------------------- table primitives (rtable.c)

  private byNodeOrder = (a: Route, b: Route) => a.prio - b.prio || a.seq - b.seq;

  /** 4.9's radix tree walks a key's more specific prefixes first (rn_dupedkey chains), ART shorter first. */
  walk(): Route[] {
    const longerFirst = this.d === 'openbsd-4.9';
    return [...this.routes].sort((a, b) => cmpKey(a.key, b.key) || (longerFirst ? b.plen - a.plen : a.plen - b.plen) || this.byNodeOrder(a, b));
  }

  node(key: bigint, plen: number): Route[] {
    return this.routes.filter((r) => r.key === key && r.plen === plen).sort(this.byNodeOrder);
  }

  /** The node of the longest prefix holding `addr` (art_match). */
  lpmNode(addr: bigint): Route[] {
    let best = -1;
    for (const r of this.routes) if (r.plen > best && netOf(this.f, addr, r.plen) === r.key) best = r.plen;
    return best < 0 ? [] : this.node(netOf(this.f, addr, best), best);
  }

  /** rtable_match: the first route of the longest match (no multipath hashing without a source). */
  match(addr: bigint): Route | undefined {
    return this.lpmNode(addr)[0];
  }

  /**
   * rtable_lookup: exact prefix (or longest match without a mask), first by priority class and
   * gateway (compared whole: a link-layer gateway's index too, `gwIndex`, when given).
   */
  lookup(addr: bigint, plen: number | undefined, gw: string | undefined, prio: number, gwIndex?: number): Route | undefined {
    const list = plen === undefined ? this.lpmNode(addr) : this.node(netOf(this.f, addr, plen), plen);
    return list.find((r) => (prio === RTP_ANY || (r.prio & RTP_MASK) === (prio & RTP_MASK))
      && (gw === undefined || (r.gw === gw && (gwIndex === undefined || (r.gwIndex === gwIndex && !r.gwUntyped)))));
  }

  /** rtable_insert: multipath rules of §A.11; false = EEXIST. */
  private insert(r: Route, mpathOk: boolean): boolean {
    const same = this.node(r.key, r.plen).filter((x) => (x.prio & RTP_MASK) === (r.prio & RTP_MASK));
    r.flags &= ~RTF_MPATH;
    if (same.some((x) => !mpathOk || (x.gw === r.gw && x.gwIndex === r.gwIndex && !x.gwUntyped === !r.gwUntyped))) return false;
    if (same.length > 0) for (const x of [r, ...same]) x.flags |= RTF_MPATH;
    r.seq = ++this.seq;
    r.inTable = true;
    this.routes.push(r);
    return true;
  }

  /** rtable_delete: the last route of its priority class loses RTF_MPATH. */
  private unlink(r: Route): void {
    this.routes.splice(this.routes.indexOf(r), 1);
    r.inTable = false;
    const same = this.node(r.key, r.plen).filter((x) => (x.prio & RTP_MASK) === (r.prio & RTP_MASK));
    if (same.length === 1) same[0]!.flags &= ~RTF_MPATH;
  }

  private reprio(r: Route, prio: number): void {
    r.prio = prio;
    r.seq = ++this.seq;
  }

  /**
   * Refs: clones (same table) and gateway routes caching it, in any table of the rdomain and
   * of either family (a gateway of the other family caches a next hop of that family).
   */
  refs(r: Route): number {
    return this.linked().reduce((n, m) => n + m.routes.filter((x) => x.nexthop === r || x.parent === r).length, 0);
  }

  // -------------------------------------------------------------- messages (§A.10, §A.14)

  private flagsOut(flags: number): string {
    return hex((flags | RTF_DONE) & (this.d === 'openbsd' ? ~0 : ~CURRENT_ONLY_FLAGS));
  }

  /** A route message: rtm_send/rtm_miss carry the raw priority, a reply the masked one (§A.10). */
  private routeText(type: string, r: Route, flags: number, prio: number): string {
    const p = this.d === 'openbsd' ? ` prio=${prio}` : '';
    return `${type} ${this.f.fmt(r.key)}/${r.plen} gw=${r.gw} flags=${this.flagsOut(flags)}${p}`;
  }

  /**
   * A kernel route message. Current's carry IFP and IFA: rtdeletemsg from the interface it is
   * given, rtm_send only when if_get still finds the route's interface (not during if_detach).
   */
  private kernelMsg(type: 'ADD' | 'DELETE', r: Route, flags: number, how: 'rtm_send' | 'rtdeletemsg' = 'rtm_send'): void {
    const ifp = this.d === 'openbsd' && (how === 'rtdeletemsg' || !r.ifa.ifp.gone) ? ` ifp${this.ifaText(r)}` : '';
    this.emit(`${this.routeText(type, r, flags, r.prio)}${ifp}${labelText(r.label)}`);
  }

  /**
   * RTA_IFA of current's messages about `r`: the table's preferred source of the route's family
   * (rtable_getsource), else rt_ifa's address, of whichever family.
   */
  private ifaText(r: Route): string {
    return this.source === undefined ? ` ifa=${r.ifa.f.fmt(r.ifa.addr)}` : ` ifa=${this.f.fmt(this.source)}`;
  }

  /**
   * A successful request's reply: current rebuilds it from the route (rtm_report); 4.9 answers
   * ADD and CHANGE with the request itself, only the header rewritten (flags, index, priority),
   * so destination, netmask and gateway are those sent (§A.15, route(4) 1.27).
   */
  reply(type: 'ADD' | 'CHANGE' | 'DELETE' | 'GET', r: Route, sent: Named): void {
    if (this.d === 'openbsd') {
      // rtm_report's metrics: rmx_pksent is rt_use; IFP and IFA when if_get finds the route's
      // interface; LABEL when the route has one.
      const ifa = r.ifa.ifp.gone ? '' : this.ifaText(r);
      this.emit(`${this.routeText(type, r, r.flags, r.prio & RTP_MASK)} use=${r.use}${ifa}${labelText(r.label)}`);
    } else if (type === 'DELETE' || type === 'GET') {
      this.emit(`${this.routeText(type, r, r.flags, r.prio & RTP_MASK)}${labelText(r.label)}`);
    } else {
      // The request's own RTA_LABEL, even an empty one.
      const label = sent.label === undefined ? '' : ` label=${sent.label}`;
      this.emit(`${type} ${this.f.fmt(sent.key)}/${sent.plen ?? this.f.bits} gw=${sent.gw ?? '-'} flags=${this.flagsOut(r.flags)}${label}`);
    }
  }

  /** A failed request is echoed with rtm_errno (§A.3 row 18). */
  echo(type: string, dst: bigint, errno: number): void {
    this.emit(`${type} ${this.f.fmt(dst)} errno=${errno}`);
  }

  // -------------------------------------------------------------- route.c

  /**
   * rt_match (rtalloc): longest match; RT_RESOLVE clones a cloning route (§A.5, §A.13); the
   * route returned — the clone, or the parent when cloning failed — counts one Use.
   */
  rtMatch(addr: bigint, resolve: boolean): Route | undefined {
    let r = this.match(addr);
    if (r && resolve && r.flags & RTF_CLONING) {
      const c = this.clone(r, addr);
      if (typeof c !== 'number') r = c;
    }
    if (r) r.use++;
    return r;
  }

  /**
   * rt_clone: a host route (L2 entry) from the cloning route, announced with RTM_ADD; an errno on
   * failure (RTM_MISS). RTF_LLINFO comes from the interface's RTM_RESOLVE hook (ARP/ND only).
   */
  private clone(parent: Route, addr: bigint): Route | number {
    const flags = ((parent.flags | RTF_CLONED | RTF_HOST) & ~(RTF_CLONING | RTF_CONNECTED | RTF_STATIC)) | RTF_UP;
    // rtrequest(RTM_RESOLVE)'s gateway: a zeroed sockaddr_dl (index 0), inserted as it is (so it
    // conflicts with no stored clone, whose index the hook set), then given its interface's index
    // by an Ethernet-like interface's hook; lo(4)'s leaves it: link#0.
    const c = this.newRoute(addr, this.f.bits, 'link#0', flags, (parent.prio & RTP_MASK) - 1, parent.ifa);
    c.gwIndex = 0;
    c.gwUntyped = true;
    // rtrequest(RTM_RESOLVE) copies the parent's rt_rmx: MTU, locks and rt_use (rmx_pksent);
    // the clone gets the parent's label.
    c.mtu = parent.mtu;
    c.locks = parent.locks;
    c.use = parent.use;
    c.label = parent.label;
    const errno = this.rtrequestAdd(c, (flags & RTF_MPATH) !== 0);
    if (errno !== 0) {
      this.emit(`MISS ${this.f.fmt(addr)} errno=${errno}`);
      return errno;
    }
    c.parent = parent;
    this.kernelMsg('ADD', c, c.flags);
    return c;
  }

  private newRoute(key: bigint, plen: number, gw: string, flags: number, prio: number, ifa: Ifa): Route {
    return { key, plen, gw, flags, prio, ifa, seq: 0, mtu: 0, locks: 0, use: 0, label: '', la: false, cachedBy: 0, inTable: false };
  }

  /** rtrequest(RTM_ADD): down on a down interface, next hop, insert (replacing a clone in the way). */
  rtrequestAdd(r: Route, mpathOk: boolean): number {
    r.flags |= RTF_UP;
    if (!usable(r.ifa.ifp) && (r.flags & RTF_LOCAL) === 0) {
      r.flags &= ~RTF_UP;
      r.prio |= RTP_DOWN;
    }
    if (r.flags & RTF_GATEWAY) {
      const errno = this.setGwroute(r);
      if (errno !== 0) return errno;
    }
    if (this.insert(r, mpathOk)) return this.routeHook(r, r.ifa.ifp, 'add');
    // "overwrite cloned route": the longest match of the new key, if a non-cached clone, goes.
    const crt = this.match(r.key);
    if (crt && crt.flags & RTF_CLONED && (crt.flags & RTF_CACHED) === 0) {
      this.rtdeletemsg(crt);
      if (this.insert(r, mpathOk)) return this.routeHook(r, r.ifa.ifp, 'add');
    }
    this.putGwroute(r, undefined);
    return ERRNO.EEXIST;
  }

  /**
   * The route hook (if_rtrequest) of `ifp` for RTM_ADD / RTM_RESOLVE ('add') or RTM_DELETE. Returns 0.
   * lo(4) (lortrequest): a route whose MTU is 0 gets LOMTU (§A.13), whatever the request.
   * Ethernet-like (ether_rtrequest: arp_rtrequest, nd6_rtrequest): nothing for gateway and
   * multicast routes (IPv4 broadcast ones too); 'add' of a non-cloning route with a link-layer
   * gateway points the gateway at `ifp` and gives the route ARP/ND state (RTF_LLINFO) unless it
   * has some; 'delete' drops that state and RTF_LLINFO.
   */
  private routeHook(r: Route, ifp: Ifnet, req: 'add' | 'delete'): number {
    // gif(4)'s p2p_rtrequest only clears RTF_LLINFO of a local route, which has none here.
    if (ifp.p2p) return 0;
    if (ifp.loopback) {
      if (r.mtu === 0) r.mtu = LOMTU;
      return 0;
    }
    if (r.flags & (RTF_GATEWAY | RTF_MULTICAST | (this.f === INET ? RTF_BROADCAST : 0))) return 0;
    if (req === 'delete') {
      if (r.la) r.flags &= ~RTF_LLINFO;
      r.la = false;
      return 0;
    }
    if (r.flags & RTF_CLONING || isAddressGw(r.gw)) return 0;
    if (r.gw.startsWith('link#')) r.gw = `link#${ifp.index}`;
    r.gwIndex = ifp.index;
    r.gwUntyped = false;
    if (!r.la) r.flags |= RTF_LLINFO;
    r.la = true;
    return 0;
  }

  /**
   * rt_setgwroute (§A.6b). A next hop on another interface is only acceptable as an L2 entry,
   * re-cloned from this interface's cloning route of the same prefix. Nothing is committed
   * before every check passed: on failure the route keeps the next hop it had.
   */
  private setGwroute(r: Route): number {
    // Next hops are looked up (and cloned) in the rdomain's main table of the gateway's family
    // (rt_match(gate, ..., rdomain) picks the table by gate's sa_family).
    const gw = gwAddr(r.gw);
    const main = this.peer(gw.f).main();
    let nh = main.rtMatch(gw.addr, true);
    if (!nh) return ERRNO.ENOENT;
    if (nh.ifa.ifp !== r.ifa.ifp) {
      if ((nh.flags & (RTF_LLINFO | RTF_CLONED)) !== (RTF_LLINFO | RTF_CLONED)) return ERRNO.EHOSTUNREACH;
      // rtable_lookup(parent's prefix, RTP_ANY) then rtable_iterate: the whole node in list order.
      const p = nh.parent;
      const prt = p ? main.node(p.key, p.plen).find((x) => x.ifa.ifp === r.ifa.ifp) : undefined;
      if (!prt || (prt.flags & RTF_CLONING) === 0) return ERRNO.EHOSTUNREACH;
      const c = main.clone(prt, gw.addr);
      if (typeof c === 'number') return c;
      nh = c;
    }
    if (nh.flags & (RTF_CLONING | RTF_GATEWAY)) return ERRNO.ENETUNREACH;
    // An unlocked MTU above the next hop's is lowered to it, to 0 too (PMTU discovery restarts).
    if ((r.locks & RTV_MTU) === 0 && r.mtu > nh.mtu) r.mtu = nh.mtu;
    this.putGwroute(r, nh);
    return 0;
  }

  /** rt_putgwroute: cache `nh` (if any), then release the next hop cached before. */
  private putGwroute(r: Route, nh: Route | undefined): void {
    if (nh) {
      nh.cachedBy++;
      nh.flags |= RTF_CACHED;
    }
    const old = r.nexthop;
    r.nexthop = nh;
    if (old && --old.cachedBy === 0) old.flags &= ~RTF_CACHED;
  }

  /** rtrequest_delete once the route is found: unlink, release, flush clones, clear UP (§A.7 step 6). */
  private rtrequestDelete(r: Route): void {
    this.unlink(r);
    this.putGwroute(r, undefined);
    if (r.flags & RTF_CLONING) this.flushClones(r);
    r.parent = undefined;
    r.flags &= ~RTF_UP;
    this.routeHook(r, r.ifa.ifp, 'delete');
  }

  /**
   * rtflushclone: in walk order, every clone whose parent has the same prefix as `p` — except a
   * cached clone of another parent, which must outlive its own (§A.7 step 6), and a clone on an
   * interface being detached (if_get fails), left to rt_ifa_purge.
   */
  private flushClones(p: Route): void {
    for (;;) {
      const c = this.walk().find((x) => x.flags & RTF_CLONED && x.parent !== undefined && !x.ifa.ifp.gone
        && !(x.flags & RTF_CACHED && x.parent !== p) && x.parent.key === p.key && x.parent.plen === p.plen);
      if (!c) return;
      this.rtdeletemsg(c);
    }
  }

  /**
   * 4.9's rt_if_remove over this table's routes of this family: those on `ifp` in walk order,
   * each handed to rtdeletemsg(rt, rdomain of ifp) — looked up by key, netmask, gateway and
   * priority in `target` (that rdomain's table of this family, perhaps this one), deleted there
   * if found, and announced with this route's destination, gateway and flags in target's table,
   * with ESRCH when target has no such route. A cloning route deleted starts the walk over.
   */
  removeInterfaceRoutes(ifp: Ifnet, target: Model): void {
    for (let again = true; again;) {
      again = false;
      for (const r of this.walk()) {
        if (!this.routes.includes(r) || r.ifa.ifp !== ifp) continue;
        const before = r.flags;
        const found = target.node(r.key, r.plen).find((x) => (x.prio & RTP_MASK) === (r.prio & RTP_MASK) && x.gw === r.gw);
        if (found) target.rtrequestDelete(found);
        if (found) target.kernelMsg('DELETE', r, before, 'rtdeletemsg');
        else target.emit(`DELETE ${this.f.fmt(r.key)} errno=${ERRNO.ESRCH}`);
        if (found && before & RTF_CLONING) {
          again = true;
          break;
        }
      }
    }
  }

  /**
   * 4.9's rt_if_remove, then in6_ifdetach (SIOCSIFRDOMAIN and if_detach, if.c 1.237): the routes
   * on `ifp` in every table, each deleted by key in this table (ifp's rdomain's main table) of
   * its family, then the IPv6 addresses purged — their routes gone already.
   */
  removeInterface49(ifp: Ifnet): void {
    for (const m of this.everyTable()) m.removeInterfaceRoutes(ifp, this.families().find((x) => x.f === m.f)!);
    this.families().find((m) => m.f === INET6)?.detach(ifp);
  }

  /** rtdeletemsg: RTM_DELETE with the flags from before the removal (UP kept). */
  private rtdeletemsg(r: Route): void {
    const before = r.flags;
    this.rtrequestDelete(r);
    this.kernelMsg('DELETE', r, before, 'rtdeletemsg');
  }

  /**
   * rt_if_linkstate_change for one route on `ifp`. True asks for the route's deletion (a
   * non-cached clone or dynamic route on a down interface): only rt_if_track's walk acts on it.
   */
  private linkState(r: Route, ifp: Ifnet): boolean {
    // Local routes are always usable.
    const up = usable(ifp);
    if (r.flags & RTF_LOCAL) r.flags |= RTF_UP;
    else if (!up && r.flags & (RTF_CLONED | RTF_DYNAMIC) && (r.flags & RTF_CACHED) === 0) return true;
    else if (((r.flags & RTF_UP) !== 0) !== up) {
      // UP follows the interface and its link; the route moves in its node with the DOWN bit set or cleared.
      r.flags ^= RTF_UP;
      this.reprio(r, up ? r.prio & RTP_MASK : r.prio | RTP_DOWN);
    }
    return false;
  }

  // -------------------------------------------------------------- interface routes (rt_ifa_*, in.c)

  /** rt_ifa_add: NEWADDR (local routes only) then RTM_ADD, on success. */
  private ifaAdd(ia: Ifa, flags: number, key: bigint, plen: number, gw: string, prio: number, gwIndex?: number): number {
    const r = this.newRoute(key, plen, gw, flags, prio, ia);
    r.gwIndex = gwIndex;
    // rt_ifa_add passes the interface's label (rtlabel_id2sa(ifp->if_rtlabelid)) as RTAX_LABEL:
    // local, connected, broadcast routes get it; in6_update_ifa's multicast routes, added by
    // rtrequest without a label, do not.
    r.label = ia.ifp.rtlabel ?? '';
    const errno = this.rtrequestAdd(r, (flags & RTF_MPATH) !== 0);
    if (errno !== 0) return errno;
    if (flags & RTF_LOCAL) this.emit(`NEWADDR ${ia.ifp.name} ${this.f.fmt(ia.addr)}`);
    this.kernelMsg('ADD', r, r.flags);
    return 0;
  }

  /**
   * rt_ifa_del: the route is looked up like a request (prefix or longest match, gateway,
   * priority class) and must be on the address's interface; RTM_DELETE (flags after removal),
   * then DELADDR for a local route.
   */
  private ifaDel(ia: Ifa, flags: number, key: bigint, plen: number | undefined, gw: string | undefined, prio: number): boolean {
    // rtable_clearsource(rdomain, ifa_addr) first, whether a route is found or not: the rdomain's
    // main table forgets a preferred source equal to the address.
    const main = this.main();
    if (main.source === ia.addr) main.source = undefined;
    const r = this.lookup(key, plen, gw, prio);
    if (!r || r.ifa.ifp !== ia.ifp || r.plen !== (plen ?? this.f.bits)) return false;
    this.rtrequestDelete(r);
    this.kernelMsg('DELETE', r, r.flags);
    if (flags & RTF_LOCAL) this.emit(`DELADDR ${ia.ifp.name} ${this.f.fmt(ia.addr)}`);
    return true;
  }

  /**
   * rt_ifa_addlocal: unless the best match of the address already is a local route of this
   * interface kind (§E.3 step 2); the gateway is the address on loopback, else the MAC. The
   * check is an rtalloc (Use).
   */
  private addLocal(ia: Ifa): number {
    const flags = localFlags(ia.ifp);
    const r = this.rtMatch(ia.addr, false);
    if (r && (r.flags & flags) === flags) return 0;
    const gw = ia.ifp.loopback || ia.ifp.p2p ? this.f.fmt(ia.addr) : ia.ifp.mac;
    // The interface's own sockaddr_dl (if_sadl) as gateway: its index is the interface's.
    return this.ifaAdd(ia, flags | RTF_MPATH, ia.addr, this.f.bits, gw, RTP_LOCAL, gw === ia.ifp.mac ? ia.ifp.index : undefined);
  }

  /**
   * rt_ifa_dellocal: only when the best match of the address is a local route (an rtalloc:
   * Use); rt_ifa_del names the address as gateway unless RTF_LLINFO.
   */
  private delLocal(ia: Ifa): void {
    const flags = localFlags(ia.ifp);
    const r = this.rtMatch(ia.addr, false);
    const gw = ia.ifp.loopback || ia.ifp.p2p ? this.f.fmt(ia.addr) : undefined;
    if (r && (r.flags & flags) === flags) this.ifaDel(ia, flags, ia.addr, undefined, gw, RTP_LOCAL);
  }

  /** in_insert_prefix: the connected route, then the broadcast route (§E.3 step 5). */
  private insertPrefix(ia: Ifa): number {
    const errno = this.addConnected(ia);
    if (errno !== 0 || ia.brd === 0n) return errno;
    return this.ifaAdd(ia, RTF_HOST | RTF_BROADCAST | RTF_MPATH, ia.brd, 32, this.f.fmt(ia.addr), RTP_LOCAL);
  }

  /**
   * An address route's priority: `base` plus if_priority in current OpenBSD (rt_ifa_add and
   * rt_ifa_del read it when they run); 4.9's rtinit used the class alone.
   */
  private ifaPrio(ia: Ifa, base: number): number {
    return base + (this.d === 'openbsd' ? (ia.ifp.prio ?? 0) : 0);
  }

  /** The connected route of an address's prefix (cloning unless `cloning` says otherwise), the address as gateway. */
  private addConnected(ia: Ifa, cloning = true): number {
    const net = netOf(this.f, ia.addr, ia.plen);
    return this.ifaAdd(ia, (cloning ? RTF_CLONING : 0) | RTF_CONNECTED | RTF_MPATH, net, ia.plen, this.f.fmt(ia.addr), this.ifaPrio(ia, RTP_CONNECTED));
  }

  /** rt_ifa_del of the connected route, found by what was added. */
  private delConnected(ia: Ifa): void {
    this.ifaDel(ia, RTF_CLONING | RTF_CONNECTED, netOf(this.f, ia.addr, ia.plen), ia.plen, this.f.fmt(ia.addr), this.ifaPrio(ia, RTP_CONNECTED));
  }

  /**
   * in_ifscrub: in_remove_prefix, except on loopback, which has no prefix routes, and on a
   * point-to-point interface, in_scrubhost: the destination's host route (rt_ifa_del, RTF_HOST,
   * priority if_priority + RTP_STATIC, the address as gateway).
   */
  private removePrefix(ia: Ifa): void {
    if (ia.ifp.loopback) return;
    if (ia.ifp.p2p) {
      if (ia.dst !== undefined) this.ifaDel(ia, RTF_HOST, ia.dst, undefined, this.f.fmt(ia.addr), this.ifaPrio(ia, RTP_STATIC));
      return;
    }
    this.delConnected(ia);
    if (ia.brd !== 0n) this.ifaDel(ia, RTF_HOST | RTF_BROADCAST, ia.brd, undefined, this.f.fmt(ia.addr), RTP_LOCAL);
  }

  /** in_purgeaddr: prefix, local route, then every remaining route on the address (§E.3). */
  private purge(ia: Ifa): void {
    this.removePrefix(ia);
    this.delLocal(ia);
    this.purgeRoutes(ia);
  }

  /** rt_ifa_purge: every route left on the address, in walk order, RTM_DELETE each (rtdeletemsg); the address goes. */
  private purgeRoutes(ia: Ifa): void {
    // In every table of the rdomain, by table id.
    for (const m of this.domain()) {
      for (let r = m.walk().find((x) => x.ifa === ia); r; r = m.walk().find((x) => x.ifa === ia)) m.rtdeletemsg(r);
    }
    ia.ifp.addrs.splice(ia.ifp.addrs.indexOf(ia), 1);
  }

  /** rt_if_track (§E.5): local routes stay up; down deletes clones and marks the rest down. */
  private track(ifp: Ifnet): void {
    // In every table of the rdomain, by table id, each family in AF order (AF_INET first).
    for (const m of this.linked()) {
      for (const r of m.walk()) {
        if (r.inTable && r.ifa.ifp === ifp && m.linkState(r, ifp)) m.rtdeletemsg(r);
      }
    }
  }

  // -------------------------------------------------------------- the operations

  /** The interface's addresses of this model's family, in list order. */
  own(ifp: Ifnet): Ifa[] {
    return ifp.addrs.filter((a) => a.f === this.f);
  }

  /**
   * if_down called directly (if_clone_destroy, if_setrdomain): IFF_UP alone (no SIOCSIFFLAGS, so
   * a tun keeps IFF_RUNNING), RTM_IFINFO, then rt_if_track.
   */
  ifDown(ifp: Ifnet): void {
    ifp.up = false;
    this.ifinfo(ifp);
    this.track(ifp);
  }

  /** SIOCSIFFLAGS: if_up / if_down only when IFF_UP changes. Returns the errno, as all operations. */
  setUp(ifp: Ifnet, up: boolean): number {
    if (ifp.up === up) return 0;
    if (up) this.ifUp(ifp);
    else {
      this.upFlags(ifp, false);
      this.ifinfo(ifp);
      this.track(ifp);
    }
    return 0;
  }

  /**
   * IFF_UP as if_up / if_down and the driver's SIOCSIFFLAGS leave it: IFF_RUNNING goes with it,
   * except on 4.9's tun (if_up / if_down change IFF_UP alone, and if_tun.c 1.104's tun_ioctl
   * leaves IFF_RUNNING to the device); current's tun_ioctl sets or clears it with IFF_UP.
   */
  private upFlags(ifp: Ifnet, up: boolean): void {
    ifp.up = up;
    if (ifp.dev && this.d !== 'openbsd-4.9') ifp.dev.running = up;
  }

  /**
   * The driver's SIOCSIFADDR on an interface that is not lo(4): IFF_UP (with IFF_RUNNING; a tun's
   * too, 4.9's tuninit and current's tun_ioctl alike), no if_up.
   */
  private driverUp(ifp: Ifnet): void {
    ifp.up = true;
    if (ifp.dev) ifp.dev.running = true;
  }

  /** A tun's RTM_IFINFO (ifinfoText), kept in `ifinfos`; the others' are not counted. */
  private ifinfo(ifp: Ifnet): void {
    if (ifp.dev) this.ifinfos.push(ifinfoText(ifp.name, ifp.up, ifp.dev.running, ifp.dev.link));
  }

  /** tun_link_state: a change only, announced by if_link_state_change (RTM_IFINFO), then rt_if_track. */
  private setLink(ifp: Ifnet, dev: Device, link: number): void {
    if (dev.link === link) return;
    dev.link = link;
    this.ifinfo(ifp);
    this.track(ifp);
  }

  /**
   * open(2) of /dev/tunN or /dev/tapN (4.9 tunopen, if_tun.c 1.104; current tun_dev_open,
   * 1.252); ENXIO for an interface that has no device. A destroyed tun is cloned first
   * (IFAN_ARRIVAL, the next index; a tap's lladdr `mac`) and does not outlive the close
   * (TUN_STAYUP cleared); an open one is EBUSY. 4.9: IFF_RUNNING, the link UP (tun_link_state),
   * then if_up — RTM_IFINFO and rt_if_track even when IFF_UP was set. Current: IFF_UP|IFF_RUNNING
   * set directly (no message, no route tracking of their own), then the link FULL_DUPLEX.
   */
  devOpen(ifp: Ifnet, mac = ''): number {
    if (!ifp.dev) return ERRNO.ENXIO;
    if (ifp.gone) {
      this.create(ifp, this.nextIndex++, mac);
      ifp.dev!.stayUp = false;
    }
    const dev = ifp.dev!;
    if (dev.open) return ERRNO.EBUSY;
    dev.open = true;
    dev.running = true;
    if (this.d === 'openbsd-4.9') {
      this.setLink(ifp, dev, LINK_STATE_UP);
      this.ifUp(ifp);
    } else {
      ifp.up = true;
      this.setLink(ifp, dev, LINK_STATE_FULL_DUPLEX);
    }
    return 0;
  }

  /**
   * close(2) of /dev/tunN: a stranded descriptor first (closeStranded), else ENXIO unless open
   * (a destroyed tun's device is closed with it). The flags are cleared directly — 4.9
   * IFF_RUNNING, current IFF_UP|IFF_RUNNING — then the link goes DOWN: in 4.9 always, in
   * current only when the interface stays; a tun the open cloned is then destroyed.
   */
  devClose(ifp: Ifnet): number {
    const dev = ifp.dev;
    if (ifp.stranded) return this.closeStranded(ifp);
    if (ifp.gone || !dev?.open) return ERRNO.ENXIO;
    return this.shut(ifp, dev);
  }

  /**
   * close(2) of a descriptor a destroy stranded, before the device's current open. Current: a
   * revoked vnode's close (deadfs: nothing, 0). 4.9: spec_close calls tunclose on the vnode's
   * last close only, and tunclose takes whichever tun has the unit (ENXIO: none).
   */
  private closeStranded(ifp: Ifnet): number {
    ifp.stranded = ifp.stranded! - 1;
    if (this.d !== 'openbsd-4.9' || ifp.stranded > 0 || (!ifp.gone && ifp.dev!.open)) return 0;
    return ifp.gone ? ERRNO.ENXIO : this.shut(ifp, ifp.dev!);
  }

  /** tunclose / tun_dev_close. */
  private shut(ifp: Ifnet, dev: Device): number {
    dev.open = false;
    dev.running = false;
    if (this.d !== 'openbsd-4.9') ifp.up = false;
    if (this.d === 'openbsd-4.9' || dev.stayUp) this.setLink(ifp, dev, LINK_STATE_DOWN);
    if (!dev.stayUp) this.destroy(ifp);
    return 0;
  }

  /**
   * SIOCGIFMEDIA of a tun: whether it answers. 4.9's tun_media_status runs tun_link_state first
   * (UP while open, else DOWN: a never-opened tun's UNKNOWN link goes DOWN, announced); current's
   * tun_ioctl has no media (ENOTTY).
   */
  devMedia(ifp: Ifnet): boolean {
    if (this.d !== 'openbsd-4.9') return false;
    this.setLink(ifp, ifp.dev!, ifp.dev!.open ? LINK_STATE_UP : LINK_STATE_DOWN);
    return true;
  }

  /**
   * if_up (if.c): IFF_UP; on the rdomain's own loopback in6_ifattach — every time, so a deleted
   * ::1 or fe80::1 comes back; then if_linkstate's rt_if_track. 4.9 (if.c 1.237): in6_if_up on
   * every interface unless IFXF_NOINET6 (`in6IfUp`).
   */
  ifUp(ifp: Ifnet): void {
    this.upFlags(ifp, true);
    this.ifinfo(ifp);
    const m6 = this.families().find((m) => m.f === INET6);
    if (this.d === 'openbsd-4.9') m6?.in6IfUp(ifp);
    else if (m6 && m6.isRdomainLoopback(ifp) && !ifp.noInet6) m6.attach6(ifp);
    this.track(ifp);
  }

  /**
   * 4.9's in6_if_up (if_up's, and ifioctl's once an ioctl brought IFF_UP on): in6_ifattach
   * unless IFXF_NOINET6 is set. A single-family IPv4 model has no IPv6 to attach (the harness
   * leaves the kernel's IPv6 messages out there).
   */
  in6IfUp(ifp: Ifnet): void {
    // 4.9's tun(4) is not IFF_MULTICAST: in6_ifattach refuses it.
    if (this.d !== 'openbsd-4.9' || ifp.noInet6 || ifp.dev) return;
    const m6 = this.families().find((m) => m.f === INET6);
    m6?.attach6(ifp);
  }

  /**
   * SIOCAIFADDR (in_ioctl_change_ifaddr, in_ifinit). An address the interface already has is
   * re-initialised: its prefix and local routes are removed and added again. The driver's
   * SIOCSIFADDR sets IFF_UP at once (new routes are inserted up); the routes already on a
   * down interface follow from the link-state task, after the ioctl.
   */
  addAddress(ifp: Ifnet, addr: bigint, plen: number, dest?: bigint): number {
    const wasUp = ifp.up;
    let ia = this.own(ifp).find((a) => a.addr === addr);
    const isNew = ia === undefined;
    // in_ioctl_change_ifaddr: a destination is taken on point-to-point interfaces only.
    const dst = ifp.p2p ? dest : undefined;
    if (ia) {
      this.removePrefix(ia);
      // The new destination is in place before in_ifinit's rt_ifa_dellocal (DELADDR shows it).
      if (dst !== undefined) ia.dst = dst;
      this.delLocal(ia);
      ifp.addrs.splice(ifp.addrs.indexOf(ia), 1);
      ia.plen = plen;
    } else {
      ia = { f: INET, addr, plen, ifp, brd: 0n, dst };
    }
    ifp.addrs.push(ia);
    // in_ifinit's driver call: lo(4) calls if_up (in6_ifattach on the rdomain's loopback);
    // an Ethernet-like driver sets IFF_UP, its link-state task follows the ioctl.
    if (ifp.loopback) this.ifUp(ifp);
    else this.driverUp(ifp);
    let errno = this.addLocal(ia);
    // in_ifinit: rt_ifa_addlocal's error ends it; an address being re-initialised is taken off
    // the interface's list (ifa_del), its routes staying (a new one is purged below).
    if (errno !== 0 && !isNew) ifp.addrs.splice(ifp.addrs.indexOf(ia), 1);
    if (errno === 0) {
      // in_ifinit: a broadcast address on IFF_BROADCAST interfaces only, and the prefix
      // routes (in_insert_prefix) except on IFF_LOOPBACK ones: lo(4) has its local route only.
      ia.brd = !ifp.loopback && !ifp.p2p && plen < 31 ? addr | ((1n << BigInt(32 - plen)) - 1n) : 0n;
      // A point-to-point interface: in_addhost, the destination's host route (rt_ifa_add,
      // RTF_HOST|RTF_MPATH, priority if_priority + RTP_STATIC, the address as gateway).
      if (ifp.p2p) errno = ia.dst === undefined ? 0 : this.ifaAdd(ia, RTF_HOST | RTF_MPATH, ia.dst, 32, this.f.fmt(addr), this.ifaPrio(ia, RTP_STATIC));
      else if (!ifp.loopback) errno = this.insertPrefix(ia);
    }
    if (errno !== 0 && isNew) this.purge(ia);
    // 4.9's ifioctl: the driver brought IFF_UP on, in6_if_up (before the link-state task).
    if (!wasUp && ifp.up) this.in6IfUp(ifp);
    // gif(4)'s and tun(4)'s (tap(4)'s too) SIOCSIFADDR set IFF_UP|IFF_RUNNING themselves: no
    // if_up, no link-state task.
    if (!wasUp && linkTask(ifp)) this.track(ifp);
    return errno;
  }

  // ------------------------------------------------------------ IPv6 addresses (in6.c, in6_ifattach.c)

  /**
   * in6_ifinit's driver call: SIOCSIFADDR for the interface's only IPv6 address, and for every
   * address on loopback. lo(4) calls if_up (if_loop.c loioctl), even when up; an Ethernet-like
   * driver sets IFF_UP and its link-state task brings the interface's older routes up after the
   * ioctl (`deferredUp`).
   */
  private driverUp6(ifp: Ifnet): void {
    // in6_ifinit counts the interface's AF_INET6 addresses only; loopback and point-to-point
    // interfaces are called for every address.
    if (this.own(ifp).length > 1 && !ifp.loopback && !ifp.p2p) return;
    if (ifp.loopback) this.ifUp(ifp);
    else this.driverUp(ifp);
  }

  /** The link-state task queued by driverUp6 on an Ethernet-like interface that was down (gif(4), tun(4), tap(4) have none). */
  private deferredUp(ifp: Ifnet, wasUp: boolean): void {
    if (!wasUp && ifp.up && linkTask(ifp)) this.track(ifp);
  }

  /**
   * in6_ifinit's route to the destination of a /128 on a point-to-point interface (rt_ifa_add,
   * RTF_HOST, priority if_priority + RTP_STATIC, the address as gateway): IFA_ROUTE when added.
   */
  private addDest6(ia: Ifa): number {
    if (!ia.ifp.p2p || ia.plen !== 128 || ia.dst === undefined) return 0;
    const errno = this.ifaAdd(ia, RTF_HOST | RTF_MPATH, ia.dst, 128, this.f.fmt(ia.addr), this.ifaPrio(ia, RTP_STATIC));
    if (errno === 0) ia.destRoute = true;
    return errno;
  }

  /** in6_purgeaddr / in6_update_ifa: with IFA_ROUTE, rt_ifa_del of the destination's host route; IFA_ROUTE goes when it was found. */
  private delDest6(ia: Ifa): void {
    if (ia.destRoute && ia.dst !== undefined && this.ifaDel(ia, RTF_HOST, ia.dst, undefined, this.f.fmt(ia.addr), this.ifaPrio(ia, RTP_STATIC))) ia.destRoute = false;
  }

  /**
   * in6_update_ifa of a new address, then (in6_ioctl_change_ifaddr, in6_ifattach_linklocal) its
   * connected route: the local route (in6_ifinit: NEWADDR, RTM_ADD); ff02:<idx>::/32 and
   * ff01:<idx>::/32 unless the best match of ff02:<idx>::1 / ff01:<idx>::1 already has those 32
   * bits (flags MULTICAST, priority 4, gateway and ifa the address; rtrequest sends nothing);
   * the connected route, except on loopback and for a /128. A failed local route unlinks the
   * address, a failed connected route purges it (in6_purgeaddr); the errno is returned.
   */
  private newAddress6(ifp: Ifnet, addr: bigint, plen: number, dst?: bigint, linkLocal = false, tentative = false): number {
    const ia: Ifa = { f: INET6, addr, plen, ifp, brd: 0n, dst, ...(tentative ? { tentative } : {}) };
    ifp.addrs.push(ia);
    this.driverUp6(ifp);
    // in6_ifinit on a point-to-point interface: the destination's host route before the local one.
    let errno = this.addDest6(ia);
    if (errno === 0) errno = this.addLocal(ia);
    if (errno !== 0) {
      this.unlink6(ia);
      return errno;
    }
    for (const scope of [0xff02n, 0xff01n]) {
      const group = (scope << 112n) | (BigInt(ifp.index) << 96n);
      // in6_update_ifa's existence check is an rtalloc (Use).
      const r = this.rtMatch(group | 1n, false);
      if (r && r.key >> 96n === group >> 96n) continue;
      const m = this.newRoute(group, 32, this.f.fmt(addr), RTF_MULTICAST, RTP_CONNECTED, ia);
      errno = this.rtrequestAdd(m, false);
      if (errno !== 0) break;
    }
    // A point-to-point interface's link-local prefix never clones (in6_ifattach_linklocal);
    // another prefix there clones in current (in6_ioctl_change_ifaddr), not in 4.9
    // (nd6_prefix_onlink: no RTF_CLONING where nd6_need_cache is false).
    const cloning = !ifp.p2p || (!linkLocal && this.d === 'openbsd');
    if (errno === 0 && !ifp.loopback && plen !== 128) errno = this.addConnected(ia, cloning);
    if (errno !== 0) this.purge6(ia);
    return errno;
  }

  /**
   * in6_get_ifid: the interface's EUI-64 from its MAC (not all zeros or ones, not a group
   * address), else the first interface's in attach order (index order) that has one, else
   * in6_get_rand_ifid's (arc4random; the kernel model's stand-in for it, which runs repeat).
   */
  private interfaceId(ifp: Ifnet): bigint {
    const eui = (x: Ifnet) => {
      if (x.gone || x.loopback || x.mac === '') return undefined;
      const mac = x.mac.split(':').map((b) => BigInt(parseInt(b, 16)));
      if (mac.length !== 6 || mac.every((b) => b === 0n) || mac.every((b) => b === 0xffn) || mac[0]! & 1n) return undefined;
      return [mac[0]! ^ 2n, mac[1]!, mac[2]!, 0xffn, 0xfen, mac[3]!, mac[4]!, mac[5]!].reduce((k, b) => (k << 8n) | b, 0n);
    };
    const id = eui(ifp) ?? [...this.ifs].sort((x, y) => x.index - y.index).map(eui).find((x) => x !== undefined);
    return id ?? randomIdentifier(ifp).reduce((k, b) => (k << 8n) | BigInt(b), 0n);
  }

  /**
   * in6_ifattach (in6_ifattach.c): ::1 on the rdomain's own loopback (rtable_loindex), then a
   * link-local address unless the interface has one (fe80::1 on loopback, else EUI-64 from the
   * MAC). ::1 is listed before its driver call (in6_update_ifa's ifa_add, then in6_ifinit), and
   * lo(4)'s SIOCSIFADDR calls if_up, which runs in6_ifattach again: the link-local address is
   * added inside it — its routes, the multicast routes on it, before ::1's own.
   */
  attach6(ifp: Ifnet): void {
    // in6_ifattach_loopback: ::1 on the rdomain's loopback, its destination ::1 (no route: not point-to-point).
    const lo = INET6.parse('::1');
    if (this.isRdomainLoopback(ifp) && !this.own(ifp).some((a) => a.addr === lo)) this.newAddress6(ifp, lo, 128, lo);
    const scope = (0xfe80n << 112n) | (BigInt(ifp.index) << 96n);
    if (this.own(ifp).some((a) => a.addr >> 96n === scope >> 96n)) return;
    const iid = ifp.loopback ? 1n : this.interfaceId(ifp);
    // Its failure is ignored (in6_ifattach goes on). Tentative where in6if_do_dad says so, never
    // on a point-to-point interface (in6_ifattach_linklocal).
    this.newAddress6(ifp, scope | iid, 64, undefined, true, doDad(ifp) && !ifp.p2p);
  }

  /**
   * SIOCIFAFATTACH (`ifconfig X inet6`). 4.9 has none: its `inet6` is SIOCSIFXFLAGS clearing
   * IFXF_NOINET6 (RTM_IFINFO), which runs in6_if_up if the flag was set and the interface is up.
   */
  attachInet6(ifp: Ifnet): number {
    const wasUp = ifp.up;
    if (this.d === 'openbsd-4.9') {
      const was = ifp.noInet6 === true;
      ifp.noInet6 = false;
      if (was && ifp.up) this.in6IfUp(ifp);
      this.ifinfo(ifp);
      return 0;
    }
    ifp.noInet6 = false;
    this.attach6(ifp);
    this.deferredUp(ifp, wasUp);
    return 0;
  }

  /**
   * SIOCAIFADDR_IN6 (in6_ioctl_change_ifaddr): in6_ifattach first, then in6_update_ifa. A
   * destination (`dest`, already scoped) is for point-to-point and loopback interfaces only,
   * with a /128 (EINVAL). An address the interface has keeps its routes; its prefix length
   * cannot change (EINVAL); a new destination (one that is not the address's, all zeros while
   * unset) replaces the old, whose host route goes if in6_ifinit had added it; in6_ifinit then
   * adds the destination's host route again (EEXIST while it is there).
   */
  addAddress6(ifp: Ifnet, addr: bigint, plen: number, dest?: bigint): number {
    const wasUp = ifp.up;
    const ia = this.own(ifp).find((a) => a.addr === addr);
    // in6if_do_dad, read before in6_ifattach (whose driver call may bring the interface up).
    const tentative = doDad(ifp);
    // Current's in6_ioctl_change_ifaddr attaches IPv6 first; 4.9's ifioctl runs in6_if_up after
    // the address, if the driver brought IFF_UP on.
    if (this.d !== 'openbsd-4.9') {
      ifp.noInet6 = false;
      this.attach6(ifp);
    }
    let errno = 0;
    const newDest = (x: Ifa | undefined) => dest !== undefined && dest !== (x?.dst ?? 0n);
    if (dest !== undefined && ((!ifp.p2p && !ifp.loopback) || plen !== 128)) errno = ERRNO.EINVAL;
    else if (!ia) errno = this.newAddress6(ifp, addr, plen, newDest(ia) ? dest : undefined, false, tentative);
    else if (ia.plen !== plen) errno = ERRNO.EINVAL;
    else {
      if (newDest(ia)) {
        this.delDest6(ia);
        ia.dst = dest;
      }
      this.driverUp6(ifp);
      errno = this.addDest6(ia);
      if (errno === 0) this.reconfigured6(ia);
    }
    if (!wasUp && ifp.up) this.in6IfUp(ifp);
    this.deferredUp(ifp, wasUp);
    return errno;
  }

  /**
   * in6_update_ifa's flags for an address it re-configured. Current (in6.c 1.273): a tentative
   * one stays tentative (its DAD runs on; no verdict comes in these tests, which never run the
   * kernel's timers), a settled one is announced (rtm_addr RTM_CHGADDRATTR, its rdomain's table).
   * 4.9 (in6.c 1.91): the flags are cleared, silently.
   */
  private reconfigured6(ia: Ifa): void {
    if (this.d === 'openbsd-4.9') ia.tentative = false;
    else if (!ia.tentative) this.emit(`CHGADDRATTR ${ia.ifp.name} ${this.f.fmt(ia.addr)}`);
  }

  /**
   * in6_purgeaddr: the local route (RTM_DELETE, DELADDR), then in6_unlink_ifa: the connected
   * route (not on loopback, not for a /128), then every route left on the address
   * (rt_ifa_purge: its multicast routes too, each announced).
   */
  private purge6(ia: Ifa): void {
    if (ia.ifp.p2p) this.delDest6(ia);
    this.delLocal(ia);
    this.unlink6(ia);
  }

  private unlink6(ia: Ifa): void {
    if (!ia.ifp.loopback && ia.plen !== 128) this.delConnected(ia);
    this.purgeRoutes(ia);
  }

  /**
   * SIOCIFDESTROY (if_clone_destroy, if_detach): if_down when up; if_remove, after which if_get
   * fails (rtm_send leaves IFP out, rtflushclone leaves the interface's clones to rt_ifa_purge);
   * in_ifdetach and in6_ifdetach purge every address, and in6_ifdetach then looks up
   * ff01:<idx>::1 and ff02:<idx>::1 (rtalloc: Use) and deletes what it finds on the interface;
   * RTM_IFANNOUNCE departure. lo0 cannot go (EPERM). 4.9's if_detach (if.c 1.237) runs
   * rt_if_remove and in6_ifdetach before the interface leaves the list, then drops its addresses.
   */
  destroy(ifp: Ifnet): number {
    // lo0 cannot go (if_loop.c; an rdomain's own loopback is model-rdomain's to check).
    if (ifp.loopback && ifp.name === 'lo0') return ERRNO.EPERM;
    // if_clone_destroy's own if_down.
    if (ifp.up) this.ifDown(ifp);
    // tun_clone_destroy of an open tun: current (1.252) revokes the device, whose close on the
    // dead tun clears IFF_UP|IFF_RUNNING and leaves the link; 4.9 (1.104) closes nothing.
    // Either way the process keeps a descriptor and the device is no longer open.
    if (ifp.dev?.open) {
      ifp.dev.open = false;
      if (this.d !== 'openbsd-4.9') ifp.dev.running = false;
      ifp.stranded = (ifp.stranded ?? 0) + 1;
    }
    if (this.d === 'openbsd-4.9') {
      // 4.9's if_detach: rt_if_remove and in6_ifdetach while the interface is listed, then its
      // addresses dropped without a message.
      this.removeInterface49(ifp);
      ifp.gone = true;
      ifp.addrs.splice(0);
    } else {
      ifp.gone = true;
      // in_ifdetach, then in6_ifdetach (if_detach).
      for (const m of this.families()) m.detach(ifp);
    }
    // rt_ifa_purge walks only its address's family: a route given an address of the other family
    // (RTA_IFA) outlives the purges, on an interface index if_get no longer finds, which a
    // re-created interface (a new index) does not inherit. So does a 4.9 route in another table
    // than the rdomain's main one (rt_if_remove deletes by key in the main table): every table.
    const ghost: Ifnet = { ...ifp, addrs: [] };
    for (const m of this.everyTable()) {
      for (const r of m.routes) if (r.ifa.ifp === ifp) r.ifa = { ...r.ifa, ifp: ghost };
    }
    this.emit(`IFANNOUNCE ${ifp.name} what=1`);
    return 0;
  }

  /**
   * in_ifdetach / in6_ifdetach for this model's family: every address purged (in list order);
   * in6_ifdetach then looks up ff01:<idx>::1 and ff02:<idx>::1 (rtalloc: Use) and deletes what it
   * finds on the interface.
   */
  detach(ifp: Ifnet): void {
    for (const ia of this.own(ifp)) {
      if (this.f === INET6) this.purge6(ia);
      else this.purge(ia);
    }
    if (this.f === INET6) {
      for (const scope of [0xff01n, 0xff02n]) {
        const r = this.rtMatch((scope << 112n) | (BigInt(ifp.index) << 96n) | 1n, false);
        if (r && r.ifa.ifp === ifp) this.rtdeletemsg(r);
      }
    }
  }

  /** SIOCIFCREATE of a destroyed interface: a new index (never reused), down, no address; IFAN_ARRIVAL. */
  create(ifp: Ifnet, index: number, mac: string): void {
    if (ifp.rtlabel) (ifp.leakedLabels ??= []).push(ifp.rtlabel);
    Object.assign(ifp, { gone: false, index, mac, up: false, rtlabel: '', prio: 0, noInet6: false });
    if (ifp.dev) ifp.dev = newDevice(this.d);
    this.emit(`IFANNOUNCE ${ifp.name} what=0`);
  }

  /** SIOCDIFADDR. */
  deleteAddress(ifp: Ifnet, addr: bigint): number {
    const ia = this.own(ifp).find((a) => a.addr === addr);
    if (!ia) return ERRNO.EADDRNOTAVAIL;
    if (this.f === INET6) this.purge6(ia);
    else this.purge(ia);
    return 0;
  }

  /** RTM_ADD (§A.6) of `key/plen` via `gw`, flags UGS (+MPATH), priority 0 = static, RTA_LABEL `label` if given. */
  rtmAdd(
    key: bigint, plen: number, gw: string, prio: number, mpath: boolean, label?: string, via: Via = {}, mtu?: ChangeArgs['mtu'], flags = UGS,
  ): number {
    const errno = this.add(key, plen, gw, prio, mpath, label, via, mtu, flags);
    if (errno !== 0) this.echo('ADD', key, errno);
    return errno;
  }

  private add(
    key: bigint, plen: number, gw: string, prio: number, mpath: boolean, label: string | undefined, via: Via, mtu: ChangeArgs['mtu'], reqFlags: number,
  ): number {
    const sent = { key, plen, gw, label };
    // rtm_output: an AF_LINK gateway (not RTF_CLONING) makes the request an L2 entry.
    let flags = reqFlags | (mpath ? RTF_MPATH : 0) | (!isAddressGw(gw) && (reqFlags & RTF_CLONING) === 0 ? RTF_LLINFO : 0);
    // §A.6 step 3: an ADD whose best match is a cached route is a CHANGE of it, without address
    // selection or flag changes (route(8) add sends no fmask), for a gateway of the same family.
    const lpm = this.match(key);
    // route_arp_conflict: an IPv4 L2 entry over a non-cached one of the same kind (published or
    // not, RTF_ANNOUNCE), or over a multipath pair, is EEXIST; beside one of the other kind, multipath.
    if (flags & RTF_LLINFO && this.f === INET && lpm && lpm.flags & RTF_LLINFO && (lpm.flags & RTF_CACHED) === 0) {
      if ((lpm.flags & RTF_ANNOUNCE) === (flags & RTF_ANNOUNCE) || lpm.flags & RTF_MPATH) return ERRNO.EEXIST;
      flags |= RTF_MPATH;
      mpath = true;
    }
    if (lpm && lpm.flags & RTF_CACHED) {
      // rtm_output: if_get(rt_ifidx) must find the route's interface; RTA_IFP/RTA_IFA are not read.
      if (lpm.ifa.ifp.gone) return ERRNO.ESRCH;
      // "gateway not new": the sockaddr families must be equal (link, inet or inet6).
      if (gwKind(lpm.gw) !== gwKind(gw)) return ERRNO.EINVAL;
      const errno = this.setGateway(lpm, gw);
      if (errno !== 0) return errno;
      lpm.gwIndex = via.linkIndex;
      // The rest of RTM_CHANGE: rtm_inits' MTU, the route's RTM_ADD hook, RTA_LABEL, the locks.
      if (mtu) lpm.mtu = mtu.value;
      this.routeHook(lpm, lpm.ifa.ifp, 'add');
      if (label !== undefined) lpm.label = label;
      if (mtu) lpm.locks = (lpm.locks & ~RTV_MTU) | (mtu.lock ? RTV_MTU : 0);
      this.reply('ADD', lpm, sent);
      return 0;
    }
    // rtm_getifa (rtsock.c): RTA_IFA if local, else RTA_IFP's address for RTA_IFA or the gateway,
    // else ifa_ifwithroute: the address of the route to the gateway (may clone), or for a
    // link-layer gateway the address for the destination on the interface it names.
    const ifa = this.getifa({ key, gw, flags, ...via });
    if (!ifa) return ERRNO.ENETUNREACH;
    // rtrequest: RTF_HOST drops the netmask.
    const r = this.newRoute(key, flags & RTF_HOST ? this.f.bits : plen, gw, flags, prio === 0 ? (ifa.ifp.prio ?? 0) + RTP_STATIC : prio, ifa);
    r.gwIndex = via.linkIndex;
    // rtrequest: rtlabel_name2id of RTA_LABEL ('' is no label).
    r.label = label ?? '';
    const errno = this.rtrequestAdd(r, mpath);
    // rtm_setmetrics after rtrequest: the MTU, not the locks (only RTM_CHANGE sets those).
    if (errno === 0 && mtu) r.mtu = mtu.value;
    if (errno === 0) this.reply('ADD', r, sent);
    return errno;
  }

  /** RTM_DELETE (§A.7). */
  rtmDelete(key: bigint, plen: number | undefined, gw: string | undefined, prio: number): number {
    const r = this.lookup(key, plen, gw, prio);
    let errno = 0;
    if (!r || (r.flags & RTF_MPATH && gw === undefined)) errno = ERRNO.ESRCH;
    // rtm_output: if_get(rt_ifidx) fails for a route left on a destroyed interface.
    else if (r.ifa.ifp.gone) errno = ERRNO.ESRCH;
    else if (r.flags & RTF_CACHED) {
      // Only the L2 cache is invalidated: reported as deleted, still there. The interface's hook
      // runs for RTM_INVALIDATE — lo(4)'s lortrequest gives an MTU of 0 LOMTU whatever the
      // request (if_loop.c), ARP/ND forget the address (not modelled) —, then the gateway routes
      // using it forget an unlocked MTU (route_cleargateway).
      if (r.ifa.ifp.loopback && r.mtu === 0) r.mtu = LOMTU;
      // arpinvalidate / nd6_invalidate (an entry with ARP/ND state, not local): sdl_alen = 0,
      // the MAC is forgotten. Only an Ethernet-like interface's hook does it: RTM_INVALIDATE
      // goes to if_get(rt_ifidx), the route's interface now — a route RTM_CHANGE moved onto
      // gif(4) keeps its ARP state from the old interface's hook but p2p_rtrequest ignores this.
      const ether = !r.ifa.ifp.loopback && !r.ifa.ifp.p2p;
      if (ether && r.la && (r.flags & RTF_LOCAL) === 0 && !isAddressGw(r.gw) && !r.gw.startsWith('link#')) {
        r.gw = `link#${r.gwIndex ?? r.ifa.ifp.index}`;
      }
      for (const x of this.routes) if (x.flags & RTF_GATEWAY && x.nexthop === r && (x.locks & RTV_MTU) === 0) x.mtu = 0;
      this.reply('DELETE', r, { key, plen, gw });
      return 0;
    } else if (r.flags & (RTF_LOCAL | RTF_BROADCAST)) errno = ERRNO.EINVAL;
    else if (r.plen !== (plen ?? this.f.bits)) errno = ERRNO.ESRCH;
    else {
      this.rtrequestDelete(r);
      this.reply('DELETE', r, { key, plen, gw });
      return 0;
    }
    this.echo('DELETE', key, errno);
    return errno;
  }

  /**
   * RTM_SOURCE (rtsock.c rt_setsource): the unspecified address clears the table's preferred
   * source; another must be an address of the rdomain (ifa_ifwithaddr), else EINVAL, silent.
   * The request is echoed with RTF_DONE.
   */
  rtmSource(a: bigint): number {
    if (a !== 0n && !this.ifaWithAddr({ f: this.f, addr: a })) return ERRNO.EINVAL;
    this.source = a === 0n ? undefined : a;
    this.emit(`SOURCE ${this.f.fmt(a)} flags=${hex(RTF_DONE)}`);
    return 0;
  }

  /** RTM_GET (§A.9): no cloning, no Use. */
  rtmGet(key: bigint, plen: number | undefined, prio: number): number {
    const r = this.lookup(key, plen, undefined, prio);
    if (!r) {
      this.echo('GET', key, ERRNO.ESRCH);
      return ERRNO.ESRCH;
    }
    this.reply('GET', r, { key, plen, gw: undefined });
    return 0;
  }

  /** RTM_CHANGE (§A.8; rtsock.c rtm_output). */
  rtmChange(c: ChangeArgs): number {
    const errno = this.change(c);
    if (errno !== 0) this.echo('CHANGE', c.key, errno);
    return errno;
  }

  private change(c: ChangeArgs): number {
    // A multipath route must be named by its gateway; failing that, a gateway being changed
    // finds the single route of the prefix (steps 1-2).
    let r = this.lookup(c.key, c.plen, c.gw, c.prio, c.linkIndex);
    if (r && r.flags & RTF_MPATH && c.gw === undefined) r = undefined;
    if (!r && c.gw !== undefined) {
      r = this.lookup(c.key, c.plen, undefined, c.prio);
      if (r && r.flags & RTF_MPATH) r = undefined;
    }
    if (!r) return ERRNO.ESRCH;
    if (r.flags & (RTF_LOCAL | RTF_BROADCAST)) return ERRNO.EINVAL;
    // if_get(rt_ifidx): a route left on a destroyed interface.
    if (r.ifa.ifp.gone) return ERRNO.ESRCH;
    if (r.plen !== (c.plen ?? this.f.bits)) return ERRNO.ESRCH;
    // rtsock.c 1.388 takes the route's interface before any move and runs its RTM_ADD hook at
    // the end: a moved route gets its old interface's hook.
    const ifp = r.ifa.ifp;
    // newgate: the gateway differs bytewise (a link-layer one by its index too).
    const newgate = c.gw !== undefined && (c.gw !== r.gw || (c.linkIndex !== undefined && (c.linkIndex !== r.gwIndex || r.gwUntyped === true)));
    if (newgate || c.ifp !== undefined || c.ifa !== undefined) {
      const ifa = this.getifa(c);
      if (!ifa) return ERRNO.ENETUNREACH;
      if (ifa !== r.ifa) this.moveTo(r, ifa);
    }
    if (c.gw !== undefined) {
      const errno = this.setGateway(r, c.gw, c.linkIndex);
      if (errno !== 0) return errno;
    }
    r.flags = (r.flags & ~c.fmask) | (c.flags & c.fmask);
    if (c.mtu) r.mtu = c.mtu.value;
    this.routeHook(r, ifp, 'add');
    // RTA_LABEL replaces the label ('' removes it), then the locks (rtm_output's order).
    if (c.label !== undefined) r.label = c.label;
    if (c.mtu) r.locks = (r.locks & ~RTV_MTU) | (c.mtu.lock ? RTV_MTU : 0);
    this.reply('CHANGE', r, c);
    return 0;
  }

  /**
   * rtm_getifa (rtsock.c): RTA_IFA if it is a local address of the rdomain (ifa_ifwithaddr, any
   * family); else, with `sa` = RTA_IFA, RTA_GATEWAY or the destination, RTA_IFP's interface's
   * address of sa's family for `sa` (ifaof_ifpforaddr; an index if_get does not find counts as
   * no RTA_IFP), or without one ifa_ifwithroute(flags, dst, gateway) — of `sa` twice when there
   * is no gateway.
   */
  private getifa(c: Via & { key: bigint; gw: string | undefined; flags: number }): Ifa | undefined {
    if (c.ifa !== undefined) {
      const local = this.ifaWithAddr(c.ifa);
      if (local) return local;
    }
    const dst: Addr = { f: this.f, addr: c.key };
    if (c.gw !== undefined && !isAddressGw(c.gw)) {
      // An AF_LINK gateway: RTA_IFP's interface has no address of that family (ifaof_ifpforaddr
      // finds none); ifa_ifwithroute's AF_LINK branch takes if_get(sdl_index)'s address for dst.
      if (c.ifp) return c.ifa ? this.ifaOfIfp(c.ifp, c.ifa) : undefined;
      return this.ifaWithRoute(c.flags, dst, { link: c.linkIndex });
    }
    const gw: Addr | undefined = c.gw === undefined ? undefined : gwAddr(c.gw);
    const sa = c.ifa ?? gw ?? dst;
    if (c.ifp) return this.ifaOfIfp(c.ifp, sa);
    return gw ? this.ifaWithRoute(c.flags, dst, gw) : this.ifaWithRoute(c.flags, sa, sa);
  }

  /**
   * ifaof_ifpforaddr (if.c): the first address of sa's family on the interface whose subnet holds
   * `sa` (list order, not the longest match), else the first address of that family; none of
   * that family: nothing.
   */
  ifaOfIfp(ifp: Ifnet, sa: Addr): Ifa | undefined {
    const same = ifp.addrs.filter((a) => a.f === sa.f);
    // On a point-to-point interface an address matches only by itself or its destination.
    if (ifp.p2p) return same.find((a) => a.addr === sa.addr || a.dst === sa.addr) ?? same[0];
    return same.find((a) => netOf(sa.f, a.addr, a.plen) === netOf(sa.f, sa.addr, a.plen)) ?? same[0];
  }

  /**
   * ifa_ifwithdstaddr (if.c): the first address, on the point-to-point interfaces of the domain in
   * attach order, whose destination is `a`.
   */
  ifaWithDstaddr(a: Addr): Ifa | undefined {
    for (const ifp of [...this.ifs].sort((x, y) => x.index - y.index)) {
      if (!this.inDomain(ifp) || ifp.gone || !ifp.p2p) continue;
      const ia = ifp.addrs.find((x) => x.f === a.f && x.dst === a.addr);
      if (ia) return ia;
    }
    return undefined;
  }

  /**
   * ifa_ifwithroute(flags, dst, gw) (rtsock.c), flags as the request sent them. Without
   * RTF_GATEWAY: for RTF_HOST the point-to-point address whose destination is dst
   * (ifa_ifwithdstaddr), else a local address equal to the gateway (ifa_ifwithaddr, no lookup);
   * with RTF_GATEWAY: the point-to-point address whose destination is the gateway. Failing that,
   * a link-layer gateway's interface (if_get(sdl_index)) and its address for dst
   * (ifaof_ifpforaddr), or the address of the route to the gateway (rtalloc with RT_RESOLVE in
   * the rdomain's main table of the gateway's family, rtable_l2: Use, may clone). An address of
   * another family than dst's is swapped for the interface's address for dst if it has one.
   */
  ifaWithRoute(flags: number, dst: Addr, gw: Addr | { link: number | undefined }): Ifa | undefined {
    let ifa: Ifa | undefined;
    const inetGw = 'addr' in gw ? gw : undefined;
    if ((flags & RTF_GATEWAY) === 0) {
      if (flags & RTF_HOST) ifa = this.ifaWithDstaddr(dst);
      if (inetGw) ifa ??= this.ifaWithAddr(inetGw);
    } else if (inetGw) ifa = this.ifaWithDstaddr(inetGw);
    if (!ifa && inetGw) ifa = this.peer(inetGw.f).main().rtMatch(inetGw.addr, true)?.ifa;
    else if (!ifa && 'link' in gw) {
      const ifp = this.ifs.find((x) => !x.gone && x.index === gw.link);
      ifa = ifp ? this.ifaOfIfp(ifp, dst) : undefined;
    }
    if (ifa && ifa.f !== dst.f) ifa = this.ifaOfIfp(ifa.ifp, dst) ?? ifa;
    return ifa;
  }

  /** This table's model of family `f`. */
  peer(f: Fam): Model {
    const m = this.families().find((x) => x.f === f);
    if (!m) throw new Error(`no ${f.af} model beside this one`);
    return m;
  }

  /**
   * ifa_ifwithaddr (if.c): the first interface (in attach order, i.e. by index) of the domain
   * holding `a` (same family, equal address).
   */
  ifaWithAddr(a: Addr): Ifa | undefined {
    for (const ifp of [...this.ifs].sort((x, y) => x.index - y.index)) {
      if (!this.inDomain(ifp) || ifp.gone) continue;
      const ia = ifp.addrs.find((x) => x.f === a.f && x.addr === a.addr);
      if (ia) return ia;
    }
    return undefined;
  }

  /**
   * rt_setgate: the new gateway is installed before it is resolved, so a failure leaves it in
   * place (§A.6b); a gateway route re-resolves its next hop even when the gateway is unchanged.
   */
  private setGateway(r: Route, gw: string, linkIndex?: number): number {
    // rt_setgate copies the request's sockaddr whole: a link-layer gateway's index with it (an
    // address has none).
    r.gw = gw;
    r.gwIndex = linkIndex;
    r.gwUntyped = false;
    if ((r.flags & RTF_GATEWAY) === 0) return 0;
    // rt_setgwroute's rt_match of a link-layer gateway: no table of that family, no next hop
    // (the gateway stays installed, the old next hop cached).
    return isAddressGw(gw) ? this.setGwroute(r) : ERRNO.ENOENT;
  }

  /**
   * A route moving to another address (rtm_output's RTM_CHANGE): the old interface's route hook
   * runs for RTM_DELETE — on Ethernet-like interfaces arp_rtrequest drops an L2 entry's ARP
   * state, RTF_LLINFO included; lo(4) gives an MTU of 0 LOMTU — and rt_if_linkstate_change re-evaluates the new interface,
   * whose request for deletion is ignored here (only rt_if_track's walk deletes).
   */
  private moveTo(r: Route, ifa: Ifa): void {
    this.routeHook(r, r.ifa.ifp, 'delete');
    r.ifa = ifa;
    this.linkState(r, ifa.ifp);
  }

  /** kernel.lookup = rt_match(RT_RESOLVE); 4.9 announced a miss (§A.15). */
  lookupHost(addr: bigint): Route | undefined {
    const r = this.rtMatch(addr, true);
    if (!r && this.d !== 'openbsd') this.emit(`MISS ${this.f.fmt(addr)} errno=0`);
    return r;
  }
}

/**
 * The IPv6 model at boot: lo0 (index 1) with ::1 then fe80::1%lo0 (in6_ifattach on lo0's
 * if_up), and the other interfaces as given.
 */
export function bootModel6(d: DialectArg, ifs: Ifnet[]): Model {
  const model = new Model(d, ifs, INET6);
  model.attach6(ifs.find((x) => x.loopback)!);
  model.msgs = [];
  return model;
}

/** lo0's 127.0.0.1/8 on `lo0`: a loopback address has only its local route (§E.3 step 3), with the loopback hook's MTU. */
function loopback4(model: Model, lo0: Ifnet): void {
  const lo0a: Ifa = { f: INET, addr: INET.parse('127.0.0.1'), plen: 8, ifp: lo0, brd: 0n };
  lo0.addrs.push(lo0a);
  model.routes.push({
    key: lo0a.addr, plen: 32, gw: '127.0.0.1', flags: RTF_UP | RTF_HOST | RTF_LOCAL, prio: RTP_LOCAL, ifa: lo0a, seq: 0,
    mtu: LOMTU, locks: 0, use: 0, label: '', la: false, cachedBy: 0, inTable: true,
  });
}

/** The model at boot: two Ethernet-like interfaces as the kernel made them, and lo0's 127.0.0.1/8. */
export function bootModel(d: DialectArg, ifs: Ifnet[]): Model {
  const model = new Model(d, ifs);
  loopback4(model, { name: 'lo0', index: 1, mac: '', up: true, addrs: [] });
  return model;
}

/**
 * model-dual at boot: an IPv4 and an IPv6 model of table 0 sharing the interfaces (vether0,
 * vether1 and lo0, which holds 127.0.0.1/8, then ::1 and fe80::1%lo0 as the kernel boots it:
 * SIOCAIFADDR, then lo(4)'s if_up runs in6_ifattach), their messages in one list.
 */
export function bootDual(d: DialectArg, ifs: Ifnet[]): [Model, Model] {
  const v4 = new Model(d, ifs, INET);
  const v6 = new Model(d, ifs, INET6);
  const families = () => [v4, v6];
  v4.families = families;
  v6.families = families;
  const lo0 = ifs.find((x) => x.loopback)!;
  loopback4(v4, lo0);
  v6.attach6(lo0);
  v4.msgs = v6.msgs = [];
  return [v4, v6];
}
