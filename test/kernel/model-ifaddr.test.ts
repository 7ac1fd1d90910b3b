/**
 * Model-based test of interfaces, IPv4 addresses and routes together (issue #3): random
 * sequences of ifconfig up/down, address add/delete, RTM_ADD/DELETE/GET and lookups on two
 * Ethernet-like interfaces, checked after every step against a reference model written from
 * semantics.md (§A.5-A.11 route operations, §A.13 cloning, §A.14 kernel messages, §E.3 address
 * configuration, §E.5 down/up) and, where that is silent, OpenBSD's in.c / route.c / rtable.c.
 *
 * The model is deliberately naive: one flat array of routes. A node's list is the routes of one
 * prefix sorted by (full priority, sequence number), where every insert or re-prioritisation
 * takes a fresh sequence number (§A.11: after all routes of priority <= its own). Longest match
 * is a scan. Walk order is (address, prefix length, node order): every prefix used here has an
 * ART fringe length (8, 24, 32), for which §A.12's walk is address order, shorter first.
 *
 * Checked after each step: the errno, the messages a listener received (type, destination,
 * gateway, flags, priority; RTM_NEWADDR/DELADDR by interface and address), the table (walk
 * order, flags, priority, Refs), and lookups. RTM_IFINFO's number is open (§F.3), so only the
 * IFF_UP of the last one is checked. FUZZ_RUNS scales the run count (npm run fuzz).
 */
import fc from 'fast-check';
import {
  AF_ROUTE, IFF_UP, ROUTE_TABLEFILTER, RTABLE_ANY, RTF_BROADCAST, RTF_CACHED, RTF_CLONED, RTF_CLONING, RTF_CONNECTED,
  RTF_DONE, RTF_DYNAMIC, RTF_GATEWAY, RTF_HOST, RTF_LLINFO, RTF_LOCAL, RTF_MPATH, RTF_MULTICAST, RTF_STATIC, RTF_UP,
  RTM_ADD, RTM_DELADDR, RTM_DELETE, RTM_GET, RTM_IFINFO, RTM_MISS, RTM_NEWADDR, RTP_ANY, RTP_CONNECTED, RTP_DOWN,
  RTP_LOCAL, RTP_MASK, RTP_STATIC,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RouteInfo } from '../../src/kernel/route-info.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { DIALECTS, decode, errnoOf, routeMsg, type DialectArg } from './helpers.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 40);
/** Steps per sequence: long enough to configure both interfaces and still route through them. */
const MAX_STEPS = 25;

// ------------------------------------------------------------------ the universe

const IFNAMES = ['vether0', 'vether1'] as const;
/** Two addresses share 10.0.1/24 (multipath connected routes); 10.0.1.9/32 sits inside it. */
const ADDRESSES = ['10.0.1.1/24', '10.0.1.2/24', '10.0.2.1/24', '10.0.1.9/32'] as const;
/** Static destinations: covering, equal to a connected prefix, equal to a clone or local route, outside. */
const DESTINATIONS = ['10.0.0.0/8', '10.0.1.0/24', '10.0.1.5/32', '10.0.1.9/32', '192.0.2.0/24'] as const;
/** Gateways: a host to clone, an address that may be local, a host on the other subnet. */
const GATEWAYS = ['10.0.1.5', '10.0.1.9', '10.0.2.5'] as const;
const HOSTS = ['10.0.1.5', '10.0.1.7', '10.0.1.9', '10.0.2.5', '10.0.3.1'] as const;

const ip = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const num = (s: string) => s.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
const mask = (plen: number) => (plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0);
const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
const cidr = (s: string): [number, number] => {
  const [a, l] = s.split('/') as [string, string];
  return [num(a), Number(l)];
};

/** Flags 4.9 never reported (the dialect's messages drop them; the table keeps them). */
const CURRENT_ONLY_FLAGS = RTF_CACHED | RTF_LOCAL | RTF_BROADCAST | RTF_CONNECTED | RTF_MULTICAST;
const UGS = RTF_UP | RTF_GATEWAY | RTF_STATIC;
/** A local route on an Ethernet-like interface (§E.3 step 2). */
const LOCAL_FLAGS = RTF_HOST | RTF_LOCAL | RTF_LLINFO;

// ------------------------------------------------------------------ the reference model

interface Ifnet {
  name: string;
  index: number;
  /** Gateway text of the interface's own sockaddr_dl (its MAC; `route show` prints it). */
  mac: string;
  up: boolean;
  addrs: Ifa[];
}

interface Ifa {
  addr: number;
  plen: number;
  ifp: Ifnet;
  /** Broadcast address, 0 for /31 and /32 (no broadcast route). */
  brd: number;
}

interface Route {
  key: number;
  plen: number;
  /** Gateway as `route show` prints it: an address, a MAC, or link#<index> for an unresolved clone. */
  gw: string;
  flags: number;
  /** Full priority, RTP_DOWN included. */
  prio: number;
  ifa: Ifa;
  /** Position among equal priorities in the node: larger = later. */
  seq: number;
  /** A clone's cloning route (rt_parent). */
  parent?: Route | undefined;
  /** A gateway route's cached next hop (rt_gwroute). */
  nexthop?: Route | undefined;
  /** Gateway routes caching this one (rt_cachecnt). */
  cachedBy: number;
  inTable: boolean;
}

class Model {
  routes: Route[] = [];
  /** Messages a listener gets, in order, formatted like {@link fmtMessage}. */
  msgs: string[] = [];
  private seq = 0;

  constructor(private readonly d: DialectArg, readonly ifs: Ifnet[]) {}

  // -------------------------------------------------------------- table primitives (rtable.c)

  private byNodeOrder = (a: Route, b: Route) => a.prio - b.prio || a.seq - b.seq;

  walk(): Route[] {
    return [...this.routes].sort((a, b) => a.key - b.key || a.plen - b.plen || this.byNodeOrder(a, b));
  }

  node(key: number, plen: number): Route[] {
    return this.routes.filter((r) => r.key === key && r.plen === plen).sort(this.byNodeOrder);
  }

  /** The node of the longest prefix holding `addr` (art_match). */
  lpmNode(addr: number): Route[] {
    let best = -1;
    for (const r of this.routes) if (r.plen > best && ((addr & mask(r.plen)) >>> 0) === r.key) best = r.plen;
    return best < 0 ? [] : this.node((addr & mask(best)) >>> 0, best);
  }

  /** rtable_match: the first route of the longest match (no multipath hashing without a source). */
  match(addr: number): Route | undefined {
    return this.lpmNode(addr)[0];
  }

  /** rtable_lookup: exact prefix (or longest match without a mask), first by priority class and gateway. */
  lookup(addr: number, plen: number | undefined, gw: string | undefined, prio: number): Route | undefined {
    const list = plen === undefined ? this.lpmNode(addr) : this.node((addr & mask(plen)) >>> 0, plen);
    return list.find((r) => (prio === RTP_ANY || (r.prio & RTP_MASK) === (prio & RTP_MASK)) && (gw === undefined || r.gw === gw));
  }

  /** rtable_insert: multipath rules of §A.11; false = EEXIST. */
  private insert(r: Route, mpathOk: boolean): boolean {
    const same = this.node(r.key, r.plen).filter((x) => (x.prio & RTP_MASK) === (r.prio & RTP_MASK));
    r.flags &= ~RTF_MPATH;
    if (same.some((x) => !mpathOk || x.gw === r.gw)) return false;
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

  refs(r: Route): number {
    return this.routes.filter((x) => x.nexthop === r || x.parent === r).length;
  }

  // -------------------------------------------------------------- messages (§A.10, §A.14)

  private flagsOut(flags: number): string {
    return hex((flags | RTF_DONE) & (this.d === 'openbsd' ? ~0 : ~CURRENT_ONLY_FLAGS));
  }

  /** A route message: rtm_send/rtm_miss carry the raw priority, a reply the masked one (§A.10). */
  private routeText(type: string, r: Route, flags: number, prio: number): string {
    const p = this.d === 'openbsd' ? ` prio=${prio}` : '';
    return `${type} ${ip(r.key)}/${r.plen} gw=${r.gw} flags=${this.flagsOut(flags)}${p}`;
  }

  private kernelMsg(type: 'ADD' | 'DELETE', r: Route, flags: number): void {
    this.msgs.push(this.routeText(type, r, flags, r.prio));
  }

  reply(type: 'ADD' | 'DELETE' | 'GET', r: Route): void {
    this.msgs.push(this.routeText(type, r, r.flags, r.prio & RTP_MASK));
  }

  /** A failed request is echoed with rtm_errno (§A.3 row 18). */
  echo(type: string, dst: number, errno: number): void {
    this.msgs.push(`${type} ${ip(dst)} errno=${errno}`);
  }

  // -------------------------------------------------------------- route.c

  /** rt_match: longest match; RT_RESOLVE clones a cloning route (§A.5, §A.13). */
  rtMatch(addr: number, resolve: boolean): Route | undefined {
    const r = this.match(addr);
    if (r && resolve && r.flags & RTF_CLONING) return this.clone(r, addr) ?? r;
    return r;
  }

  /** rt_clone: a host route (L2 entry) from the cloning route, announced with RTM_ADD. */
  private clone(parent: Route, addr: number): Route | undefined {
    const flags = ((parent.flags | RTF_CLONED | RTF_HOST | RTF_LLINFO) & ~(RTF_CLONING | RTF_CONNECTED | RTF_STATIC)) | RTF_UP;
    const c = this.newRoute(addr, 32, `link#${parent.ifa.ifp.index}`, flags, (parent.prio & RTP_MASK) - 1, parent.ifa);
    const errno = this.rtrequestAdd(c, (flags & RTF_MPATH) !== 0);
    if (errno !== 0) {
      this.msgs.push(`MISS ${ip(addr)} errno=${errno}`);
      return undefined;
    }
    c.parent = parent;
    this.kernelMsg('ADD', c, c.flags);
    return c;
  }

  private newRoute(key: number, plen: number, gw: string, flags: number, prio: number, ifa: Ifa): Route {
    return { key, plen, gw, flags, prio, ifa, seq: 0, cachedBy: 0, inTable: false };
  }

  /** rtrequest(RTM_ADD): down on a down interface, next hop, insert (replacing a clone in the way). */
  rtrequestAdd(r: Route, mpathOk: boolean): number {
    r.flags |= RTF_UP;
    if (!r.ifa.ifp.up && (r.flags & RTF_LOCAL) === 0) {
      r.flags &= ~RTF_UP;
      r.prio |= RTP_DOWN;
    }
    if (r.flags & RTF_GATEWAY) {
      const errno = this.setGwroute(r);
      if (errno !== 0) return errno;
    }
    if (this.insert(r, mpathOk)) return 0;
    // "overwrite cloned route": the longest match of the new key, if a non-cached clone, goes.
    const crt = this.match(r.key);
    if (crt && crt.flags & RTF_CLONED && (crt.flags & RTF_CACHED) === 0) {
      this.rtdeletemsg(crt);
      if (this.insert(r, mpathOk)) return 0;
    }
    this.putGwroute(r);
    return ERRNO.EEXIST;
  }

  /** rt_setgwroute (§A.6b). */
  private setGwroute(r: Route): number {
    const nh = this.rtMatch(num(r.gw), true);
    if (!nh) return ERRNO.ENOENT;
    // Address selection took the ifa of this very match, so the next hop is on the route's
    // interface; the cross-interface case of §A.6b needs RTA_IFP/RTA_IFA, never sent here.
    if (nh.ifa.ifp !== r.ifa.ifp) throw new Error('model: next hop on another interface is not modelled');
    if (nh.flags & (RTF_CLONING | RTF_GATEWAY)) return ERRNO.ENETUNREACH;
    r.nexthop = nh;
    nh.cachedBy++;
    nh.flags |= RTF_CACHED;
    return 0;
  }

  /** rt_putgwroute(rt, NULL). */
  private putGwroute(r: Route): void {
    const nh = r.nexthop;
    if (!nh) return;
    r.nexthop = undefined;
    if (--nh.cachedBy === 0) nh.flags &= ~RTF_CACHED;
  }

  /** rtrequest_delete once the route is found: unlink, release, flush clones, clear UP (§A.7 step 6). */
  private rtrequestDelete(r: Route): void {
    this.unlink(r);
    this.putGwroute(r);
    if (r.flags & RTF_CLONING) this.flushClones(r);
    r.parent = undefined;
    r.flags &= ~RTF_UP;
  }

  /**
   * rtflushclone: in walk order, every clone whose parent has the same prefix as `p` — except a
   * cached clone of another parent, which must outlive its own (§A.7 step 6).
   */
  private flushClones(p: Route): void {
    for (;;) {
      const c = this.walk().find((x) => x.flags & RTF_CLONED && x.parent !== undefined
        && !(x.flags & RTF_CACHED && x.parent !== p) && x.parent.key === p.key && x.parent.plen === p.plen);
      if (!c) return;
      this.rtdeletemsg(c);
    }
  }

  /** rtdeletemsg: RTM_DELETE with the flags from before the removal (UP kept). */
  private rtdeletemsg(r: Route): void {
    const before = r.flags;
    this.rtrequestDelete(r);
    this.kernelMsg('DELETE', r, before);
  }

  // -------------------------------------------------------------- interface routes (rt_ifa_*, in.c)

  /** rt_ifa_add: NEWADDR (local routes only) then RTM_ADD, on success. */
  private ifaAdd(ia: Ifa, flags: number, key: number, plen: number, gw: string, prio: number): number {
    const r = this.newRoute(key, plen, gw, flags, prio, ia);
    const errno = this.rtrequestAdd(r, (flags & RTF_MPATH) !== 0);
    if (errno !== 0) return errno;
    if (flags & RTF_LOCAL) this.msgs.push(`NEWADDR ${ia.ifp.name} ${ip(ia.addr)}`);
    this.kernelMsg('ADD', r, r.flags);
    return 0;
  }

  /**
   * rt_ifa_del: the route is looked up like a request (prefix or longest match, gateway,
   * priority class) and must be on the address's interface; RTM_DELETE (flags after removal),
   * then DELADDR for a local route.
   */
  private ifaDel(ia: Ifa, flags: number, key: number, plen: number | undefined, gw: string | undefined, prio: number): void {
    const r = this.lookup(key, plen, gw, prio);
    if (!r || r.ifa.ifp !== ia.ifp || r.plen !== (plen ?? 32)) return;
    this.rtrequestDelete(r);
    this.kernelMsg('DELETE', r, r.flags);
    if (flags & RTF_LOCAL) this.msgs.push(`DELADDR ${ia.ifp.name} ${ip(ia.addr)}`);
  }

  /** rt_ifa_addlocal: unless the best match of the address already is a local route (§E.3 step 2). */
  private addLocal(ia: Ifa): number {
    const r = this.match(ia.addr);
    if (r && (r.flags & LOCAL_FLAGS) === LOCAL_FLAGS) return 0;
    return this.ifaAdd(ia, LOCAL_FLAGS | RTF_MPATH, ia.addr, 32, ia.ifp.mac, RTP_LOCAL);
  }

  /** rt_ifa_dellocal: only when the best match of the address is a local route. */
  private delLocal(ia: Ifa): void {
    const r = this.match(ia.addr);
    if (r && (r.flags & LOCAL_FLAGS) === LOCAL_FLAGS) this.ifaDel(ia, LOCAL_FLAGS, ia.addr, undefined, undefined, RTP_LOCAL);
  }

  /** in_insert_prefix: the connected route, then the broadcast route (§E.3 step 5). */
  private insertPrefix(ia: Ifa): number {
    const net = (ia.addr & mask(ia.plen)) >>> 0;
    const errno = this.ifaAdd(ia, RTF_CLONING | RTF_CONNECTED | RTF_MPATH, net, ia.plen, ip(ia.addr), RTP_CONNECTED);
    if (errno !== 0 || ia.brd === 0) return errno;
    return this.ifaAdd(ia, RTF_HOST | RTF_BROADCAST | RTF_MPATH, ia.brd, 32, ip(ia.addr), RTP_LOCAL);
  }

  /** in_remove_prefix. */
  private removePrefix(ia: Ifa): void {
    this.ifaDel(ia, RTF_CLONING | RTF_CONNECTED, (ia.addr & mask(ia.plen)) >>> 0, ia.plen, ip(ia.addr), RTP_CONNECTED);
    if (ia.brd !== 0) this.ifaDel(ia, RTF_HOST | RTF_BROADCAST, ia.brd, undefined, ip(ia.addr), RTP_LOCAL);
  }

  /** in_purgeaddr: prefix, local route, then every remaining route on the address (§E.3). */
  private purge(ia: Ifa): void {
    this.removePrefix(ia);
    this.delLocal(ia);
    for (let r = this.walk().find((x) => x.ifa === ia); r; r = this.walk().find((x) => x.ifa === ia)) this.rtdeletemsg(r);
    ia.ifp.addrs.splice(ia.ifp.addrs.indexOf(ia), 1);
  }

  /** rt_if_track (§E.5): local routes stay up; down deletes clones and marks the rest down. */
  private track(ifp: Ifnet): void {
    for (const r of this.walk()) {
      if (!r.inTable || r.ifa.ifp !== ifp) continue;
      if (r.flags & RTF_LOCAL) r.flags |= RTF_UP;
      else if (ifp.up) {
        if ((r.flags & RTF_UP) === 0) {
          r.flags |= RTF_UP;
          this.reprio(r, r.prio & RTP_MASK);
        }
      } else if (r.flags & (RTF_CLONED | RTF_DYNAMIC) && (r.flags & RTF_CACHED) === 0) {
        this.rtdeletemsg(r);
      } else if (r.flags & RTF_UP) {
        r.flags &= ~RTF_UP;
        this.reprio(r, r.prio | RTP_DOWN);
      }
    }
  }

  // -------------------------------------------------------------- the operations

  /** SIOCSIFFLAGS: if_up / if_down only when IFF_UP changes. Returns the errno, as all operations. */
  setUp(ifp: Ifnet, up: boolean): number {
    if (ifp.up !== up) {
      ifp.up = up;
      this.track(ifp);
    }
    return 0;
  }

  /**
   * SIOCAIFADDR (in_ioctl_change_ifaddr, in_ifinit). An address the interface already has is
   * re-initialised: its prefix and local routes are removed and added again. The driver's
   * SIOCSIFADDR sets IFF_UP at once (new routes are inserted up); the routes already on a
   * down interface follow from the link-state task, after the ioctl.
   */
  addAddress(ifp: Ifnet, addr: number, plen: number): number {
    const wasUp = ifp.up;
    let ia = ifp.addrs.find((a) => a.addr === addr);
    const isNew = ia === undefined;
    if (ia) {
      this.removePrefix(ia);
      this.delLocal(ia);
      ifp.addrs.splice(ifp.addrs.indexOf(ia), 1);
      ia.plen = plen;
    } else {
      ia = { addr, plen, ifp, brd: 0 };
    }
    ifp.up = true;
    ifp.addrs.push(ia);
    let errno = this.addLocal(ia);
    if (errno === 0) {
      ia.brd = plen < 31 ? (addr | ~mask(plen)) >>> 0 : 0;
      errno = this.insertPrefix(ia);
    }
    if (errno !== 0 && isNew) this.purge(ia);
    if (!wasUp) this.track(ifp);
    return errno;
  }

  /** SIOCDIFADDR. */
  deleteAddress(ifp: Ifnet, addr: number): number {
    const ia = ifp.addrs.find((a) => a.addr === addr);
    if (!ia) return ERRNO.EADDRNOTAVAIL;
    this.purge(ia);
    return 0;
  }

  /** RTM_ADD (§A.6) of `key/plen` via `gw`, flags UGS (+MPATH), priority 0 = static. */
  rtmAdd(key: number, plen: number, gw: string, prio: number, mpath: boolean): number {
    const errno = this.add(key, plen, gw, prio, mpath);
    if (errno !== 0) this.echo('ADD', key, errno);
    return errno;
  }

  private add(key: number, plen: number, gw: string, prio: number, mpath: boolean): number {
    // §A.6 step 3: an ADD whose best match is a cached route is a CHANGE of it. Every cached
    // route here has a link-layer gateway, and an inet gateway for it is refused.
    const lpm = this.match(key);
    if (lpm && lpm.flags & RTF_CACHED) {
      if (/^[\d.]+$/.test(lpm.gw)) throw new Error('model: ADD over a cached route with an inet gateway is not modelled');
      return ERRNO.EINVAL;
    }
    // rtm_getifa -> ifa_ifwithroute: the address of the route to the gateway (may clone).
    const via = this.rtMatch(num(gw), true);
    if (!via) return ERRNO.ENETUNREACH;
    const r = this.newRoute(key, plen, gw, UGS | (mpath ? RTF_MPATH : 0), prio === 0 ? RTP_STATIC : prio, via.ifa);
    const errno = this.rtrequestAdd(r, mpath);
    if (errno === 0) this.reply('ADD', r);
    return errno;
  }

  /** RTM_DELETE (§A.7). */
  rtmDelete(key: number, plen: number | undefined, gw: string | undefined, prio: number): number {
    const r = this.lookup(key, plen, gw, prio);
    let errno = 0;
    if (!r || (r.flags & RTF_MPATH && gw === undefined)) errno = ERRNO.ESRCH;
    else if (r.flags & RTF_CACHED) {
      // Only the L2 cache is invalidated: reported as deleted, still there.
      this.reply('DELETE', r);
      return 0;
    } else if (r.flags & (RTF_LOCAL | RTF_BROADCAST)) errno = ERRNO.EINVAL;
    else if (r.plen !== (plen ?? 32)) errno = ERRNO.ESRCH;
    else {
      this.rtrequestDelete(r);
      this.reply('DELETE', r);
      return 0;
    }
    this.echo('DELETE', key, errno);
    return errno;
  }

  /** RTM_GET (§A.9): no cloning, no Use. */
  rtmGet(key: number, plen: number | undefined, prio: number): number {
    const r = this.lookup(key, plen, undefined, prio);
    if (!r) {
      this.echo('GET', key, ERRNO.ESRCH);
      return ERRNO.ESRCH;
    }
    this.reply('GET', r);
    return 0;
  }

  /** kernel.lookup = rt_match(RT_RESOLVE); 4.9 announced a miss (§A.15). */
  lookupHost(addr: number): Route | undefined {
    const r = this.rtMatch(addr, true);
    if (!r && this.d !== 'openbsd') this.msgs.push(`MISS ${ip(addr)} errno=0`);
    return r;
  }
}

// ------------------------------------------------------------------ reading the kernel

const TYPE_NAMES: Record<number, string> = { [RTM_ADD]: 'ADD', [RTM_DELETE]: 'DELETE', [RTM_GET]: 'GET', [RTM_MISS]: 'MISS' };

function plenOf(sa: { addr?: string } | undefined): number {
  if (!sa?.addr) return 32;
  const m = num(sa.addr);
  let n = 0;
  while (n < 32 && (m & (0x80000000 >>> n)) !== 0) n++;
  return n;
}

function gwText(sa: Record<string, unknown> | undefined): string {
  if (!sa) return '-';
  if (sa['kind'] === 'inet') return String(sa['addr']);
  if (sa['kind'] === 'link') return sa['lladdr'] ? String(sa['lladdr']) : `link#${String(sa['index'])}`;
  return JSON.stringify(sa);
}

interface Decoded { type: number; flags: number; priority: number; errno: number; index: number; sockaddrs: Record<string, Record<string, unknown>> }

/** A received message (not RTM_IFINFO, checked apart) as the model writes it. */
function fmtMessage(d: DialectArg, k: Kernel, m: Decoded): string {
  const sa = m.sockaddrs;
  const ifname = () => k.interfaceByIndex(m.index)?.name ?? `#${m.index}`;
  switch (m.type) {
    case RTM_NEWADDR: return `NEWADDR ${ifname()} ${String(sa['ifa']?.['addr'])}`;
    case RTM_DELADDR: return `DELADDR ${ifname()} ${String(sa['ifa']?.['addr'])}`;
    default: {
      const type = TYPE_NAMES[m.type] ?? `type${m.type}`;
      const dst = String(sa['dst']?.['addr']);
      if (m.type === RTM_MISS || m.errno !== 0) return `${type} ${dst} errno=${m.errno}`;
      const p = d === 'openbsd' ? ` prio=${m.priority}` : '';
      return `${type} ${dst}/${plenOf(sa['netmask'] as { addr?: string })} gw=${gwText(sa['gateway'])} flags=${hex(m.flags)}${p}`;
    }
  }
}

const modelText = (m: Model, r: Route) =>
  `${ip(r.key)}/${r.plen} gw=${r.gw} flags=${hex(r.flags)} prio=${r.prio & RTP_MASK} refs=${m.refs(r)} ${r.ifa.ifp.name}`;

/** expect() only on a mismatch: matchers are costly and a fuzz run makes thousands of checks. */
function agree<T>(where: string, what: string, got: T, want: T): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) expect({ where, what, got }).toEqual({ where, what, got: want });
}

const infoText = (r: RouteInfo) => `${r.dst}/${r.plen} gw=${r.gateway} flags=${hex(r.flags)} prio=${r.priority} refs=${r.refs} ${r.ifname}`;

// ------------------------------------------------------------------ operations

const ifIndex = fc.integer({ min: 0, max: IFNAMES.length - 1 });
const prio = fc.constantFrom(0, RTP_STATIC, 32);
/**
 * An index into what the model holds when the step runs (its routes, its configured addresses),
 * so that deletes and GETs find something; small values are the likeliest.
 */
const pick = fc.oneof(fc.nat(3), fc.nat(31));
const configure = fc.record({ kind: fc.constant('addaddr' as const), i: ifIndex, a: fc.constantFrom(...ADDRESSES) });
const op = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('up' as const, 'down' as const), i: ifIndex }) },
  { weight: 2, arbitrary: configure },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deladdr' as const), pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), dst: fc.constantFrom(...DESTINATIONS), gw: fc.constantFrom(...GATEWAYS), prio, mp: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({
    kind: fc.constant('delete' as const), dst: fc.constantFrom(...DESTINATIONS), masked: fc.boolean(),
    gw: fc.option(fc.constantFrom(...GATEWAYS), { nil: undefined }), prio,
  }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delpick' as const), pick, masked: fc.boolean(), gw: fc.boolean(), prio: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), dst: fc.constantFrom(...DESTINATIONS), masked: fc.boolean(), prio }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('getpick' as const), pick, masked: fc.boolean(), prio: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('lookup' as const), host: fc.constantFrom(...HOSTS) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
/** A few addresses first, so that most sequences route through something. */
const sequence = fc.tuple(fc.array(configure, { minLength: 1, maxLength: 3 }), fc.array(op, { maxLength: MAX_STEPS }))
  .map(([first, rest]): Op[] => [...first, ...rest]);

// ------------------------------------------------------------------ the property

function setup(d: DialectArg): { k: Kernel; s: RoutingSocket; model: Model } {
  const k = createKernel({ dialect: d });
  const ifs: Ifnet[] = IFNAMES.map((name) => {
    const ifp = k.ifconfig.create(name);
    return { name, index: ifp.index, mac: Array.from(ifp.lladdr, (b) => b.toString(16).padStart(2, '0')).join(':'), up: false, addrs: [] };
  });
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  const model = new Model(d, ifs);
  // lo0's 127.0.0.1/8 from boot: a loopback address has only its local route (§E.3 step 3).
  const lo0: Ifnet = { name: 'lo0', index: 1, mac: '', up: true, addrs: [] };
  const lo0a: Ifa = { addr: num('127.0.0.1'), plen: 8, ifp: lo0, brd: 0 };
  model.routes.push({
    key: lo0a.addr, plen: 32, gw: '127.0.0.1', flags: RTF_UP | RTF_HOST | RTF_LOCAL, prio: RTP_LOCAL, ifa: lo0a, seq: 0,
    cachedBy: 0, inTable: true,
  });
  return { k, s, model };
}

interface RouteRequest { type: 'RTM_DELETE' | 'RTM_GET'; key: number; plen: number | undefined; gw: string | undefined; prio: number }

/**
 * Runs one step on both sides: the kernel's and the model's outcome (errno, or a lookup's
 * answer), and the step as run (picks resolved).
 */
function step(d: DialectArg, k: Kernel, s: RoutingSocket, model: Model, o: Op, seq: number): { got: string; want: string; desc: string } {
  const write = (m: Uint8Array) => String(errnoOf(() => s.write(m)));
  const request = (r: RouteRequest) => {
    const got = write(routeMsg(d, {
      type: r.type, dst: ip(r.key), ...(r.plen === undefined ? {} : { plen: r.plen }), ...(r.gw ? { gw: r.gw } : {}),
      flags: r.type === 'RTM_GET' ? 0 : UGS, priority: r.prio, seq,
    }));
    let want: number;
    // Priority 1 is the kernel's own: current refuses it before anything is sent (§A.3 row 12).
    if (d === 'openbsd' && r.prio === RTP_LOCAL) want = ERRNO.EINVAL;
    else {
      const p = r.prio === 0 ? RTP_ANY : r.prio;
      want = r.type === 'RTM_DELETE' ? model.rtmDelete(r.key, r.plen, r.gw, p) : model.rtmGet(r.key, r.plen, p);
    }
    return { got, want: String(want), desc: `${r.type} ${ip(r.key)}${r.plen === undefined ? '' : `/${r.plen}`} gw=${r.gw ?? '-'} prio=${r.prio}` };
  };
  /** A route the model holds, as a request naming it (or part of it). */
  const picked = (type: RouteRequest['type'], n: number, masked: boolean, gw: boolean, prio: boolean): RouteRequest => {
    const all = model.walk();
    const r = all[n % all.length]!;
    const inetGw = /^[\d.]+$/.test(r.gw) ? r.gw : undefined;
    return { type, key: r.key, plen: masked ? r.plen : undefined, gw: gw ? inetGw : undefined, prio: prio ? r.prio & RTP_MASK : 0 };
  };
  switch (o.kind) {
    case 'up': case 'down': {
      const ifp = model.ifs[o.i]!;
      return { got: String(errnoOf(() => k.ifconfig[o.kind](ifp.name))), want: String(model.setUp(ifp, o.kind === 'up')), desc: `${o.kind} ${ifp.name}` };
    }
    case 'addaddr': {
      const ifp = model.ifs[o.i]!;
      const [addr, plen] = cidr(o.a);
      return { got: String(errnoOf(() => k.ifconfig.addAddress(ifp.name, o.a))), want: String(model.addAddress(ifp, addr, plen)), desc: `${ifp.name} ${o.a} alias` };
    }
    case 'deladdr': {
      // Configured (interface, address) pairs first, then the others (EADDRNOTAVAIL).
      const pairs = model.ifs.flatMap((ifp) => ADDRESSES.map((a) => ({ ifp, addr: cidr(a)[0] })));
      const has = (x: { ifp: Ifnet; addr: number }) => x.ifp.addrs.some((a) => a.addr === x.addr);
      const { ifp, addr } = [...pairs.filter(has), ...pairs.filter((x) => !has(x))][o.pick % pairs.length]!;
      return { got: String(errnoOf(() => k.ifconfig.deleteAddress(ifp.name, ip(addr)))), want: String(model.deleteAddress(ifp, addr)), desc: `${ifp.name} ${ip(addr)} delete` };
    }
    case 'add': {
      const [key, plen] = cidr(o.dst);
      const flags = UGS | (o.mp ? RTF_MPATH : 0);
      const got = write(routeMsg(d, { type: 'RTM_ADD', dst: ip(key), plen, gw: o.gw, flags, priority: o.prio, seq }));
      return { got, want: String(model.rtmAdd(key, plen, o.gw, o.prio, o.mp)), desc: `RTM_ADD ${o.dst} gw=${o.gw} prio=${o.prio}${o.mp ? ' mpath' : ''}` };
    }
    case 'delete': case 'get': {
      const [key, plen] = cidr(o.dst);
      const gw = o.kind === 'delete' ? o.gw : undefined;
      return request({ type: o.kind === 'delete' ? 'RTM_DELETE' : 'RTM_GET', key, plen: o.masked ? plen : undefined, gw, prio: o.prio });
    }
    case 'delpick': return request(picked('RTM_DELETE', o.pick, o.masked, o.gw, o.prio));
    case 'getpick': return request(picked('RTM_GET', o.pick, o.masked, false, o.prio));
    case 'lookup': {
      const r = k.lookup(o.host, 0);
      const m = model.lookupHost(num(o.host));
      const text = (x: { dst: string; plen: number; gw: string; flags: number } | undefined) => (x ? `${x.dst}/${x.plen} gw=${x.gw} flags=${hex(x.flags)}` : 'none');
      return {
        got: text(r && { dst: r.dst, plen: r.plen, gw: r.gateway, flags: r.flags }),
        want: text(m && { dst: ip(m.key), plen: m.plen, gw: m.gw, flags: m.flags }),
        desc: `lookup ${o.host}`,
      };
    }
  }
}

describe.each(DIALECTS)('interfaces, addresses and routes vs reference model (%s)', (d) => {
  it('agree on errnos, messages, tables and lookups', () => {
    fc.assert(fc.property(sequence, (ops) => {
      const { k, s, model } = setup(d);
      let seq = 0;
      for (const [n, o] of ops.entries()) {
        model.msgs = [];
        const wasUp = model.ifs.map((x) => x.up);
        const { got, want, desc } = step(d, k, s, model, o, ++seq);
        const where = `step ${n}: ${desc}`;
        agree(where, 'outcome', got, want);
        // Messages: everything but RTM_IFINFO in order; the last RTM_IFINFO carries IFF_UP as it now is.
        const received: string[] = [];
        let lastIfinfo: { index: number; flags: number } | undefined;
        for (let b = s.read(); b; b = s.read()) {
          const m = decode(d, b) as unknown as Decoded;
          if (m.type === RTM_IFINFO) lastIfinfo = { index: m.index, flags: m.flags };
          else received.push(fmtMessage(d, k, m));
        }
        agree(where, 'messages', received, model.msgs);
        const ifp = lastIfinfo && model.ifs.find((x) => x.index === lastIfinfo!.index)!;
        const upChanged = (o.kind === 'up' || o.kind === 'down') && wasUp[o.i] !== model.ifs[o.i]!.up;
        // An up or down that changes IFF_UP is announced at least once.
        if (upChanged) agree(where, 'RTM_IFINFO sent', lastIfinfo !== undefined, true);
        if (lastIfinfo) agree(where, `IFF_UP of ${ifp!.name}`, (lastIfinfo.flags & IFF_UP) !== 0, ifp!.up);
        agree(where, 'table', k.routes(0, 'inet').map(infoText), model.walk().map((r) => modelText(model, r)));
      }
    }), { numRuns: RUNS });
  });
});
