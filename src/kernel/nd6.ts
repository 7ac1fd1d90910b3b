/**
 * IPv6 neighbour discovery on Ethernet-like interfaces, as routes and routing messages see it:
 * current OpenBSD's sys/netinet6/nd6.c (nd6_rtrequest, nd6_lookup, nd6_cache_lladdr,
 * nd6_resolve, nd6_timer, nd6_llinfo_timer, nd6_free, nd6_invalidate, nd6_ioctl's
 * SIOCGNBRINFO_IN6) and nd6_nbr.c (nd6_ns_input, nd6_na_input, nd6_isneighbor).
 *
 * An IPv6 L2 entry is a host route with RTF_LLINFO and a sockaddr_dl gateway, like an ARP
 * entry; its llinfo_nd6 (reachability state, solicitations asked, IsRouter) lives here, in
 * nd6_list order (most recently used first), and the entry's timer is the route's expire, as
 * nd6_llinfo_settimer keeps it (expire 0 = permanent). Deletions go through the context.
 *
 * A tentative address (dad.ts) takes no part in resolution: an NS for it feeds DAD when it is
 * a DAD probe and is ignored otherwise, an NA for it makes it duplicated, and a duplicated
 * address ignores NSes.
 *
 * Not modelled, because no route or routing message shows them: the packets themselves (held
 * packets, NS/NA output and their source selection, ICMPv6 errors and statistics),
 * router/redirect/prefix handling (rt6_flush of redirected routes, RS/RA), carp(4). The 4.9 dialect uses current's ND, as ARP does:
 * 4.9's nd6.c is not in the available sources.
 */
import {
  AF_LINK, IN6_IFF_ANYCAST, RTF_ANNOUNCE, RTF_CACHED, RTF_CLONED, RTF_CLONING, RTF_GATEWAY, RTF_LLINFO, RTF_LOCAL, RTF_MPLS,
  RTF_MULTICAST, RTF_REJECT, RTF_STATIC, RTM_RESOLVE,
} from './constants.js';
import { ERRNO } from './errno.js';
import { isDuplicated, isTentative } from './dad.js';
import type { IfAddr, Interface } from './interface.js';
import { type L2List, isValid, l2Rtrequest, lladdrDiffers, lladdrOf, withAlen, withLladdr } from './link-entry.js';
import type { NeighbourContext, RtRequest } from './neighbours.js';
import type { Rtentry } from './rtentry.js';
import { bytesEqual, isLinkLocal6 } from './sockaddr-bytes.js';

/** ND6_LLINFO_* (nd6.h). */
export const ND6_LLINFO_PURGE = -3;
export const ND6_LLINFO_NOSTATE = -2;
export const ND6_LLINFO_INCOMPLETE = 0;
export const ND6_LLINFO_REACHABLE = 1;
export const ND6_LLINFO_STALE = 2;
export const ND6_LLINFO_DELAY = 3;
export const ND6_LLINFO_PROBE = 4;

export type NdState = 'purge' | 'nostate' | 'incomplete' | 'reachable' | 'stale' | 'delay' | 'probe';
const STATE_NAMES: Readonly<Record<number, NdState>> = {
  [ND6_LLINFO_PURGE]: 'purge', [ND6_LLINFO_NOSTATE]: 'nostate', [ND6_LLINFO_INCOMPLETE]: 'incomplete',
  [ND6_LLINFO_REACHABLE]: 'reachable', [ND6_LLINFO_STALE]: 'stale', [ND6_LLINFO_DELAY]: 'delay', [ND6_LLINFO_PROBE]: 'probe',
};

/** nd6.c / nd6.h timer values and limits, in whole seconds. */
export const ND6_DELAY = 5;
export const ND6_UMAXTRIES = 3;
export const ND6_MMAXTRIES = 3;
export const ND6_GCTIMER = 24 * 60 * 60;
/** RETRANS_TIMER (1000 ms): the timer runs in whole seconds here, as nd6_llinfo_settimer does. */
export const ND6_RETRANS = 1;
/**
 * ifp->if_nd->reachable. The kernel draws it with ND_COMPUTE_RTIME(REACHABLE_TIME) from
 * 14..44 s (REACHABLE_TIME 30 s times a random factor 0.5..1.5, truncated) at attach and every
 * two hours; the model uses REACHABLE_TIME itself, so runs are repeatable.
 */
export const ND6_REACHABLE = 30;
/** ip6_neighborgcthresh: with this many entries, adding one pushes the oldest towards expiry. */
export const ND6_GC_THRESHOLD = 2048;

/** llinfo_nd6: the ND state of one IPv6 L2 entry. */
interface LlinfoNd6 {
  state: number;
  /** Solicitations sent since the entry was last confirmed (ln_asked). */
  asked: number;
  /** The neighbour said it is a router (ln_router). */
  router: boolean;
}

/** A Neighbor Solicitation or Advertisement received on an interface, as nd6_ns_input / nd6_na_input read it. */
export interface NdPacket {
  type: 'ns' | 'na';
  /** ip6_src and the target, 16 bytes each, KAME scope of the receiving interface embedded. */
  src: Uint8Array;
  target: Uint8Array;
  /** ip6_dst is multicast; and is a solicited-node address (ff02::1:ffXX:XXXX, scope ignored). */
  dstMulticast: boolean;
  dstSolicitedNode: boolean;
  hlim: number;
  /** The link-layer address option the kernel reads: NS its source's, NA its target's. */
  lladdr: Uint8Array | undefined;
  router: boolean;
  solicited: boolean;
  override: boolean;
}

/** What nd6_ns_input / nd6_na_input did with a packet. */
export interface NdInputResult {
  /** A neighbour cache entry took the packet into account (nd6_cache_lladdr or nd6_na_input's update ran on it). */
  cached: boolean;
  /** An RTM_RESOLVE was sent (a solicited NA completed an INCOMPLETE entry). */
  resolved: boolean;
  /** A Neighbor Advertisement would be sent back (an NS for our address, or one we proxy). */
  replied: boolean;
  /** Why the packet was dropped or ignored, when it was: "bad NS/NA: ..." for what icmp6 counts as bad. */
  note?: string;
}

/** nd6_resolve's answer for a packet sent through an L2 entry. */
export type NdResolution =
  | { status: 'resolved'; lladdr: Uint8Array }
  | { status: 'pending'; request: boolean }
  | { status: 'error'; errno: number };

/** SIOCGNBRINFO_IN6: what ndp(8) shows of an entry. */
export interface NdInfo {
  state: NdState;
  asked: number;
  isRouter: boolean;
  /** The entry's timer (the route's expire); 0 = permanent. */
  expire: number;
}

export class Nd6Cache {
  /** nd6_list; the Map's last entry is the list's head (most recently made or used). */
  private readonly list = new Map<Rtentry, LlinfoNd6>();
  /** When nd6_timer is due (nd6_timer_next while its timeout is pending), or undefined. */
  timerAt: number | undefined = undefined;

  constructor(private readonly k: NeighbourContext) {}

  /** nd6_list as l2Rtrequest sees it. */
  private readonly l2: L2List = {
    has: (rt) => this.list.has(rt),
    delete: (rt) => this.list.delete(rt),
    invalidate: (rt) => this.invalidate(rt),
    notL2: RTF_GATEWAY | RTF_MULTICAST | RTF_MPLS,
    clearsExpireOnDelete: true,
  };

  // ------------------------------------------------------------------ route hook

  /** nd6_rtrequest (the caller has checked that `ifp` resolves neighbours, nd6_need_cache). */
  rtrequest(ifp: Interface, req: RtRequest, rt: Rtentry): void {
    if (!l2Rtrequest(this.l2, ifp, req, rt, this.k.sdlSize, this.k.littleEndian)) return;
    const ln: LlinfoNd6 = { state: req === 'add' ? ND6_LLINFO_REACHABLE : ND6_LLINFO_NOSTATE, asked: 0, router: false };
    this.list.set(rt, ln);
    rt.flags |= RTF_LLINFO;
    // A clone's timer starts now: nd6_timer leaves a NOSTATE entry alone, nd6_resolve takes it on.
    if (req !== 'add') this.settimer(rt, 0, this.k.now());
    if (this.list.size >= ND6_GC_THRESHOLD) this.forceGc(rt);
    if (ownAddress(ifp, rt.dst) || rt.flags & RTF_ANNOUNCE) {
      ln.state = ND6_LLINFO_REACHABLE;
      rt.expire = 0;
    }
  }

  /**
   * Too many entries: up to ten of the least recently used go to the head of the list, due at
   * once as STALE (they had an address) or PURGE, so the next nd6_timer frees them.
   */
  private forceGc(fresh: Rtentry): void {
    const now = this.k.now();
    for (let i = 0; i < 10; i++) {
      const [end, ln] = this.list.entries().next().value!;
      if (end === fresh) break;
      this.list.delete(end);
      this.list.set(end, ln);
      if (end.expire === 0) continue;
      ln.state = ln.state > ND6_LLINFO_INCOMPLETE ? ND6_LLINFO_STALE : ND6_LLINFO_PURGE;
      this.settimer(end, 0, now);
    }
  }

  /** nd6_invalidate: the entry forgets its address and goes back to INCOMPLETE (its timer is kept). */
  private invalidate(rt: Rtentry): void {
    const ln = this.list.get(rt);
    if (!ln) return;
    if (rt.gateway[1] === AF_LINK && rt.gateway[6] !== 0) rt.gateway = withAlen(rt.gateway, 0);
    ln.state = ND6_LLINFO_INCOMPLETE;
    ln.asked = 0;
  }

  /**
   * nd6_llinfo_settimer: the entry is due `secs` from `now`, and nd6_timer's timeout moves
   * forward to it when it is not pending or pending later.
   */
  private settimer(rt: Rtentry, secs: number, now: number): void {
    rt.expire = now + secs;
    if (this.timerAt === undefined || rt.expire < this.timerAt) this.timerAt = rt.expire;
  }

  /**
   * A route restored from saved state gets the llinfo_nd6 the hook gives a route like it: our
   * own address, a proxy or permanent entry is REACHABLE; an entry that knows an address is
   * STALE (the address is known but unconfirmed, so the next packet has it verified); the rest
   * is NOSTATE, as a fresh clone. Its timer keeps the saved expire. restoreState() then puts
   * back what a snapshot recorded, when it recorded it.
   */
  adopt(rt: Rtentry): void {
    if (rt.flags & this.l2.notL2) return;
    let state = ND6_LLINFO_NOSTATE;
    if (rt.expire === 0 || rt.flags & RTF_ANNOUNCE || ownAddress(rt.ifp, rt.dst)) state = ND6_LLINFO_REACHABLE;
    else if (rt.gateway[6] !== 0) state = ND6_LLINFO_STALE;
    this.list.set(rt, { state, asked: 0, router: false });
    if (rt.expire !== 0 && (this.timerAt === undefined || rt.expire < this.timerAt)) this.timerAt = rt.expire;
  }

  /** The list as a snapshot records it: head first, each entry's state, asked and IsRouter. */
  saved(): [Rtentry, number, number, boolean][] {
    return [...this.list].reverse().map(([rt, ln]) => [rt, ln.state, ln.asked, ln.router]);
  }

  /**
   * Puts back what saved() recorded, in the recorded order. The saved list was the live one, so
   * it replaces what adopt() derived, also where adopt would make no entry (see
   * Neighbours.restoreArp); an entry of a state this model does not know keeps adopt()'s.
   */
  restoreState(entries: readonly (readonly [Rtentry, number, number, boolean])[], timerAt: number | undefined): void {
    const fresh = new Map(this.list);
    this.list.clear();
    for (let i = entries.length - 1; i >= 0; i--) {
      const [rt, state, asked, router] = entries[i]!;
      const ln = STATE_NAMES[state] !== undefined ? { state, asked, router } : fresh.get(rt);
      if (ln) this.list.set(rt, ln);
    }
    if (timerAt !== undefined) this.timerAt = timerAt;
  }

  // ------------------------------------------------------------------ lookups

  /**
   * nd6_lookup: the L2 entry for `addr` on `ifp`. With `create`, a cloning route is cloned
   * (RTM_ADD) and, when no route fits, a host route is added for it silently.
   */
  private lookup(ifp: Interface, addr: Uint8Array, create: boolean): Rtentry | undefined {
    let rt = this.k.rtalloc6(ifp, addr, create);
    if (rt && (rt.flags & RTF_LLINFO) === 0 && create) rt = undefined;
    if (!rt) {
      if (!create) return undefined;
      rt = this.k.addNeighbourRoute(ifp, addr);
      if (!rt) return undefined;
      const ln = this.list.get(rt);
      if (ln) ln.state = ND6_LLINFO_NOSTATE;
    }
    if (rt.flags & RTF_GATEWAY || (rt.flags & RTF_LLINFO) === 0 || rt.gateway[1] !== AF_LINK || !this.list.has(rt) || rt.ifp !== ifp) {
      return undefined;
    }
    return rt;
  }

  /** nd6_isneighbor: `addr` is covered by a valid cloning route, or a clone, of `ifp`. */
  private isNeighbor(ifp: Interface, addr: Uint8Array): boolean {
    const rt = this.k.rtalloc6(ifp, addr, false);
    return rt !== undefined && isValid(rt) && (rt.flags & (RTF_CLONING | RTF_CLONED)) !== 0 && rt.ifp === ifp;
  }

  /** SIOCGNBRINFO_IN6 for `addr` on `ifp`: undefined (EINVAL) without an entry. */
  info(ifp: Interface, addr: Uint8Array): NdInfo | undefined {
    const rt = this.lookup(ifp, addr, false);
    const ln = rt && this.list.get(rt);
    if (!rt || !ln) return undefined;
    return { state: STATE_NAMES[ln.state]!, asked: ln.asked, isRouter: ln.router, expire: rt.expire };
  }

  // ------------------------------------------------------------------ input

  /** nd6_ns_input / nd6_na_input for `p` received on `ifp`. */
  input(ifp: Interface, p: NdPacket): NdInputResult {
    const kind = p.type === 'ns' ? 'NS' : 'NA';
    if (p.hlim !== 255) return dropped(`bad ${kind}: hop limit ${p.hlim}`);
    return p.type === 'ns' ? this.nsInput(ifp, p) : this.naInput(ifp, p);
  }

  private nsInput(ifp: Interface, p: NdPacket): NdInputResult {
    const dad = isUnspecified(p.src);
    if (dad && !p.dstSolicitedNode) return dropped('bad NS: from the unspecified address, not to a solicited-node address');
    if (!dad && !this.isNeighbor(ifp, p.src)) return dropped('bad NS: source is not a neighbour on this link');
    if (isMulticast(p.target)) return dropped('bad NS: multicast target');
    if (dad && p.lladdr) return dropped('bad NS: source link-layer address option from the unspecified address');
    // The target must be ours on this interface, or proxied (an RTF_ANNOUNCE entry), answered
    // from a link-local address of the interface.
    let mine = ownAddress(ifp, p.target);
    if (!mine) {
      // Proxied: answered from a link-local address neither tentative, duplicated nor anycast
      // (in6ifa_ifpforlinklocal with those flags ignored).
      const rt = this.k.rtalloc6(ifp, p.target, false);
      if (rt && rt.flags & RTF_ANNOUNCE && rt.gateway[1] === AF_LINK) {
        mine = ifp.addrs.find((a) => a.af === 'inet6' && isLinkLocal6(a.addr) && !isTentative(a) && !isDuplicated(a)
          && ((a.flags6 ?? 0) & IN6_IFF_ANYCAST) === 0);
      }
    }
    if (!mine) return dropped('not for us');
    if (isDuplicated(mine)) return dropped('target address is duplicated');
    if (bytesEqual(mine.addr, p.src)) return dropped('duplicate IP6 address');
    if (isTentative(mine)) {
      // nd6_dad_ns_input for a DAD probe; address resolution of a tentative address is ignored.
      if (!dad) return dropped('target address is tentative');
      this.k.dad.nsInput(mine);
      return dropped('DAD probe for a tentative address');
    }
    // Someone doing DAD for our address: answered to all-nodes, nothing learned.
    if (dad) return { cached: false, resolved: false, replied: true };
    const why = this.cacheLladdr(ifp, p.src, p.lladdr);
    return why === undefined ? { cached: true, resolved: false, replied: true } : { cached: false, resolved: false, replied: true, note: why };
  }

  /**
   * nd6_cache_lladdr for an NS: the sender's entry (created by cloning when missing) records its
   * address; a new entry or a new or changed address makes it STALE. No routing message but the
   * clone's RTM_ADD. Returns why nothing was recorded, if so.
   */
  private cacheLladdr(ifp: Interface, from: Uint8Array, lladdr: Uint8Array | undefined): string | undefined {
    let rt = this.lookup(ifp, from, false);
    let isNew = false;
    if (!rt) {
      rt = this.lookup(ifp, from, true);
      isNew = true;
    } else if (rt.flags & (RTF_STATIC | RTF_LOCAL)) return 'static or local entry not overwritten';
    if (!rt) return 'no neighbour cache entry could be made';
    const ln = this.list.get(rt)!;
    const olladdr = rt.gateway[6] !== 0;
    const llchange = olladdr && lladdr !== undefined && lladdrDiffers(rt.gateway, lladdr);
    if (lladdr) rt.gateway = withLladdr(rt.gateway, lladdr);
    const update = isNew || (!olladdr && lladdr !== undefined) || llchange;
    if (update) {
      ln.state = isNew && !lladdr ? ND6_LLINFO_NOSTATE : ND6_LLINFO_STALE;
      if (ln.state === ND6_LLINFO_STALE) this.settimer(rt, ND6_GCTIMER, this.k.now());
    }
    // An NS says nothing about routers: a new entry is not one.
    if (isNew) ln.router = false;
    return undefined;
  }

  private naInput(ifp: Interface, p: NdPacket): NdInputResult {
    if (isMulticast(p.target)) return dropped('bad NA: multicast target');
    if (p.solicited && p.dstMulticast) return dropped('bad NA: solicited, to a multicast address');
    if (p.dstMulticast && !p.lladdr) return dropped('bad NA: to a multicast address without a target link-layer address');
    const mine = ownAddress(ifp, p.target);
    if (mine && isTentative(mine)) {
      // Someone has the address DAD is checking: it is duplicated (nd6_dad_duplicated).
      this.k.dad.naInput(mine);
      return dropped('advertisement for a tentative address');
    }
    if (mine) return dropped('duplicate IP6 address');
    const now = this.k.now();
    let rt = this.lookup(ifp, p.target, false);
    if (!rt && this.k.ip6Forwarding) {
      // A router makes a STALE entry from an unsolicited advertisement (RFC 9131) — after the
      // lookup has made the entry, so one without an address stays, as made.
      rt = this.lookup(ifp, p.target, true);
      if (!rt || !p.lladdr) return dropped(rt ? 'no target link-layer address' : 'no neighbour cache entry could be made');
      rt.gateway = withLladdr(rt.gateway, p.lladdr);
      this.list.get(rt)!.state = ND6_LLINFO_STALE;
      this.settimer(rt, ND6_GCTIMER, now);
      return { cached: true, resolved: false, replied: false };
    }
    if (!rt) return dropped('no neighbour cache entry');
    const ln = this.list.get(rt)!;
    let resolved = false;
    if (ln.state === ND6_LLINFO_INCOMPLETE) {
      if (!p.lladdr) return dropped('no target link-layer address for an incomplete entry');
      rt.gateway = withLladdr(rt.gateway, p.lladdr);
      if (p.solicited) {
        ln.state = ND6_LLINFO_REACHABLE;
        // Sent before the timer and RTF_REJECT are updated: the message shows the old ones.
        this.k.routeSent(RTM_RESOLVE, rt);
        resolved = true;
        if (rt.expire !== 0) this.settimer(rt, ND6_REACHABLE, now);
      } else {
        ln.state = ND6_LLINFO_STALE;
        this.settimer(rt, ND6_GCTIMER, now);
      }
      ln.router = p.router;
    } else {
      const llchange = p.lladdr !== undefined && (rt.gateway[6] === 0 || lladdrDiffers(rt.gateway, p.lladdr));
      if (!p.override && p.lladdr && llchange) {
        // A different address without the override flag: only a REACHABLE entry is shaken (to
        // STALE); nothing else changes, not even asked or RTF_REJECT.
        if (ln.state === ND6_LLINFO_REACHABLE) {
          ln.state = ND6_LLINFO_STALE;
          this.settimer(rt, ND6_GCTIMER, now);
        }
        return { cached: true, resolved: false, replied: false };
      }
      if (p.lladdr) rt.gateway = withLladdr(rt.gateway, p.lladdr);
      if (p.solicited) {
        ln.state = ND6_LLINFO_REACHABLE;
        if (rt.expire !== 0) this.settimer(rt, ND6_REACHABLE, now);
      } else if (p.lladdr && llchange) {
        ln.state = ND6_LLINFO_STALE;
        this.settimer(rt, ND6_GCTIMER, now);
      }
      ln.router = p.router;
    }
    rt.flags &= ~RTF_REJECT;
    ln.asked = 0;
    return { cached: true, resolved, replied: false };
  }

  // ------------------------------------------------------------------ output side

  /**
   * nd6_resolve for a unicast packet whose route is `rt0` (`ll`: its L2 entry, rt_getll). The
   * entry moves to the head of the list; STALE becomes DELAY; an unresolved entry becomes
   * INCOMPLETE and asks once (the timer asks again).
   */
  resolve(rt0: Rtentry, ll: Rtentry | undefined): NdResolution {
    const now = this.k.now();
    if (!ll || (ll.flags & RTF_REJECT && (ll.expire === 0 || ll.expire > now))) {
      return { status: 'error', errno: ll === rt0 || !ll ? ERRNO.EHOSTDOWN : ERRNO.EHOSTUNREACH };
    }
    if ((ll.flags & RTF_LLINFO) === 0 || ll.gateway[1] !== AF_LINK) return { status: 'error', errno: ERRNO.EINVAL };
    const ln = this.list.get(ll);
    if (!ln) return { status: 'error', errno: ERRNO.EINVAL };
    this.list.delete(ll);
    this.list.set(ll, ln);
    if (ln.state === ND6_LLINFO_STALE) {
      ln.asked = 0;
      ln.state = ND6_LLINFO_DELAY;
      this.settimer(ll, ND6_DELAY, now);
    }
    if (ln.state > ND6_LLINFO_INCOMPLETE) {
      if (ll.gateway[6] !== 6) return { status: 'error', errno: ERRNO.EINVAL };
      return { status: 'resolved', lladdr: lladdrOf(ll.gateway).slice() };
    }
    if (ln.state === ND6_LLINFO_NOSTATE) ln.state = ND6_LLINFO_INCOMPLETE;
    let request = false;
    if (ll.expire !== 0 && ln.asked === 0) {
      ln.asked++;
      this.settimer(ll, ND6_RETRANS, now);
      request = true;
    }
    return { status: 'pending', request };
  }

  // ------------------------------------------------------------------ timer

  /**
   * nd6_timer as it runs at `u` (<= `now`, the clock): every entry due by then goes through
   * nd6_llinfo_timer, head of the list first; then the timeout is set again for the earliest
   * timer left, at least a second and at most a day on. Returns the routes deleted.
   */
  timer(u: number, now: number): number {
    this.timerAt = undefined;
    let next = u + ND6_GCTIMER;
    let deleted = 0;
    let acted = false;
    for (const rt of [...this.list.keys()].reverse()) {
      const ln = this.list.get(rt);
      if (!ln) continue;
      if (rt.expire !== 0 && rt.expire <= u) {
        if (!isIdle(rt, ln)) acted = true;
        const r = this.llinfoTimer(rt, ln, u);
        if (r === 'deleted') deleted++;
        if (r === 'kept' && rt.expire !== 0 && rt.expire < next) next = rt.expire;
      } else if (rt.expire !== 0 && rt.expire < next) next = rt.expire;
    }
    if (this.list.size === 0) return deleted;
    this.timerAt = u + Math.max(1, next - u);
    if (!acted && this.timerAt === u + 1) {
      // Only entries nd6_llinfo_timer leaves as they are were due (and stay due): the timeout
      // fires every second, doing nothing, until an entry it acts on falls due. Skip to that
      // second, or to the first one after the clock.
      let due = Infinity;
      for (const [rt, ln] of this.list) if (rt.expire !== 0 && !isIdle(rt, ln) && rt.expire < due) due = rt.expire;
      this.timerAt = Math.max(u + 1, Math.min(due, now + 1));
    }
    return deleted;
  }

  /** nd6_llinfo_timer for an entry due at `u`: retransmit, age, probe or free it. */
  private llinfoTimer(rt: Rtentry, ln: LlinfoNd6, u: number): 'kept' | 'freed' | 'deleted' {
    if (isIdle(rt, ln)) return 'kept';
    switch (ln.state) {
      case ND6_LLINFO_INCOMPLETE:
        if (ln.asked < ND6_MMAXTRIES) {
          ln.asked++;
          this.settimer(rt, ND6_RETRANS, u);
          return 'kept';
        }
        return this.free(rt);
      case ND6_LLINFO_REACHABLE:
        ln.state = ND6_LLINFO_STALE;
        this.settimer(rt, ND6_GCTIMER, u);
        return 'kept';
      case ND6_LLINFO_STALE:
      case ND6_LLINFO_PURGE:
        return this.free(rt);
      case ND6_LLINFO_DELAY:
        ln.asked = 1;
        ln.state = ND6_LLINFO_PROBE;
        this.settimer(rt, ND6_RETRANS, u);
        return 'kept';
      case ND6_LLINFO_PROBE:
        if (ln.asked < ND6_UMAXTRIES) {
          ln.asked++;
          this.settimer(rt, ND6_RETRANS, u);
          return 'kept';
        }
        return this.free(rt);
      default:
        return 'kept';
    }
  }

  /**
   * nd6_free: the entry is invalidated (address forgotten, INCOMPLETE, its timer left in the
   * past) and deleted with RTM_DELETE unless STATIC or a cached next hop — which therefore
   * starts soliciting again at the timer's next run.
   */
  private free(rt: Rtentry): 'freed' | 'deleted' {
    this.invalidate(rt);
    if (rt.flags & (RTF_STATIC | RTF_CACHED)) return 'freed';
    this.k.deleteRoute(rt);
    return 'deleted';
  }
}

/**
 * An entry nd6_llinfo_timer does nothing with: NOSTATE (no case for it), or one whose RTF_LLINFO
 * an RTM_CHANGE cleared (the timer checks the flag, not the list).
 */
function isIdle(rt: Rtentry, ln: LlinfoNd6): boolean {
  return ln.state === ND6_LLINFO_NOSTATE || (rt.flags & RTF_LLINFO) === 0;
}

function dropped(note: string): NdInputResult {
  return { cached: false, resolved: false, replied: false, note };
}

/** in6ifa_ifpwithaddr: `ifp`'s IPv6 address `addr` (scope embedded). */
function ownAddress(ifp: Interface, addr: Uint8Array): IfAddr | undefined {
  return ifp.addrs.find((a) => a.af === 'inet6' && bytesEqual(a.addr, addr));
}

function isUnspecified(a: Uint8Array): boolean {
  return a.every((b) => b === 0);
}

function isMulticast(a: Uint8Array): boolean {
  return a[0] === 0xff;
}
