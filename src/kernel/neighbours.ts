/**
 * The link-layer half of Ethernet-like interfaces' route hook (ether_rtrequest): ARP for IPv4
 * (if_ether.c arp_rtrequest, in_arpinput, arpcache, arpresolve, arptimer, arptfree); IPv6
 * neighbour discovery (nd6.c nd6_rtrequest and the rest) is nd6.ts, reached through `nd6`.
 *
 * An L2 entry is a host route with RTF_LLINFO whose gateway is a sockaddr_dl; its link-layer
 * address is that sockaddr's LLADDR (sdl_alen 0 = unresolved). This module keeps the per-entry
 * ARP state (llinfo_arp: requests asked, last refresh) in its own list, in the kernel's order
 * (newest first), and never touches the table itself: deletions go through RouteCore.
 */
import {
  IFF_NOARP, IFF_STATICARP,
  AF_LINK, RTF_ANNOUNCE, RTF_BROADCAST, RTF_CACHED, RTF_GATEWAY, RTF_LLINFO, RTF_LOCAL, RTF_MPLS,
  RTF_MULTICAST, RTF_PERMANENT_ARP, RTF_REJECT, RTF_STATIC, RTM_RESOLVE,
} from './constants.js';
import { ERRNO } from './errno.js';
import type { Interface } from './interface.js';
import { type L2List, isLinkGateway, isValid, l2Rtrequest, lladdrOf, withAlen, withLladdr } from './link-entry.js';
import { Nd6Cache } from './nd6.js';
import type { DadQueue } from './dad.js';
import type { Rtentry } from './rtentry.js';
import { bytesEqual } from './sockaddr-bytes.js';

/** if_ether.c timer values, in seconds. */
export const ARPT_PRUNE = 5 * 60;
export const ARPT_KEEP = 20 * 60;
export const ARPT_DOWN = 20;
/** ARP requests sent before an entry is marked RTF_REJECT for ARPT_DOWN seconds. */
export const ARP_MAXTRIES = 5;
const ETHER_ADDR_LEN = 6;

/** A route-hook request (the `req` of if_rtrequest). */
export type RtRequest = 'add' | 'resolve' | 'delete' | 'invalidate';

/** llinfo_arp: the ARP state of one IPv4 L2 entry. */
interface LlinfoArp {
  /** Requests sent since the entry was last resolved (la_asked). */
  asked: number;
  /** When the last refresh request was sent (la_refreshed). */
  refreshed: number;
}

/** What ARP and ND need from the kernel. */
export interface NeighbourContext {
  /** Wall-clock seconds (the kernel's clock; OpenBSD counts uptime and converts, same thing here). */
  now(): number;
  /** rtm_send(rt, type, 0, rdomain). */
  routeSent(type: number, rt: Rtentry): void;
  /** rtdeletemsg: removes `rt` from its table and announces RTM_DELETE. */
  deleteRoute(rt: Rtentry): void;
  /** Whether sdl_index and other host-order fields are little-endian. */
  readonly littleEndian: boolean;
  /** sizeof(struct sockaddr_dl) in this dialect. */
  readonly sdlSize: number;
  /** ND: rtalloc(addr, resolve ? RT_RESOLVE : 0) in `ifp`'s routing domain (Use counted; may clone). */
  rtalloc6(ifp: Interface, addr: Uint8Array, resolve: boolean): Rtentry | undefined;
  /**
   * ND: nd6_lookup's last resort, rtrequest(RTM_ADD) of an RTF_HOST|RTF_LLINFO route to `addr`
   * on `ifp` (gateway its if_sadl, RTP_CONNECTED, no routing message); undefined on failure.
   */
  addNeighbourRoute(ifp: Interface, addr: Uint8Array): Rtentry | undefined;
  /** net.inet6.ip6.forwarding (nd6's i_am_router). */
  readonly ip6Forwarding: boolean;
  /** Duplicate Address Detection, which ND input feeds for tentative addresses. */
  readonly dad: Pick<DadQueue, 'nsInput' | 'naInput'>;
}

/** An ARP packet received on an interface (in_arpinput's view of it). */
export interface ArpPacket {
  op: 'request' | 'reply';
  /** Sender hardware (MAC) address, 6 bytes. */
  sha: Uint8Array;
  /** Sender and target protocol (IPv4) addresses, 4 bytes each. */
  spa: Uint8Array;
  tpa: Uint8Array;
}

/** What in_arpinput did with a packet. */
export interface ArpInputResult {
  /** The sender's entry was updated (arpcache succeeded). */
  cached: boolean;
  /** An RTM_RESOLVE was sent (the entry had been asked for, or its address changed). */
  resolved: boolean;
  /** An ARP reply would be sent back (we are the target, or proxy for it). */
  replied: boolean;
  /** Why nothing was cached, when nothing was: the kernel's log message, in short. */
  note?: string;
}

/** arpresolve's answer for a packet to be sent through an L2 entry. */
export type ArpResolution =
  | { status: 'resolved'; lladdr: Uint8Array; refresh: boolean }
  | { status: 'pending'; request: boolean }
  | { status: 'error'; errno: number };

export class NeighbourCache {
  /** arp_list: IPv4 L2 entries with their state, newest first in iteration (see entries()). */
  private readonly arp = new Map<Rtentry, LlinfoArp>();
  /** IPv6 neighbour discovery: nd6_list and its timer. */
  readonly nd6: Nd6Cache;

  constructor(private readonly k: NeighbourContext) {
    this.nd6 = new Nd6Cache(k);
  }

  /**
   * ether_rtrequest for a route of Ethernet-like interface `ifp` (the caller checks the kind):
   * arp_rtrequest for IPv4, nd6_rtrequest for IPv6.
   */
  rtrequest(ifp: Interface, req: RtRequest, rt: Rtentry): void {
    if (rt.af === 'inet') this.arpRtrequest(ifp, req, rt);
    else this.nd6.rtrequest(ifp, req, rt);
  }

  private arpRtrequest(ifp: Interface, req: RtRequest, rt: Rtentry): void {
    if (!l2Rtrequest(this.arpList, ifp, req, rt, this.k.sdlSize, this.k.littleEndian)) return;
    this.arp.set(rt, { asked: 0, refreshed: 0 });
    rt.flags |= RTF_LLINFO;
    if ((rt.flags & RTF_LOCAL) === 0) rt.expire = this.k.now();
  }

  /** arp_list as l2Rtrequest sees it. */
  private readonly arpList: L2List = {
    has: (rt) => this.arp.has(rt),
    delete: (rt) => this.arp.delete(rt),
    invalidate: (rt) => this.invalidate(rt),
    notL2: RTF_GATEWAY | RTF_BROADCAST | RTF_MULTICAST | RTF_MPLS,
    clearsExpireOnDelete: false,
  };

  /** arpinvalidate: the entry forgets its link-layer address and how often it was asked for. */
  private invalidate(rt: Rtentry): void {
    const la = this.arp.get(rt);
    if (!la) return;
    if (rt.gateway[1] === AF_LINK && rt.gateway[6] !== 0) rt.gateway = withAlen(rt.gateway, 0);
    la.asked = 0;
  }

  /**
   * Gives a route restored from saved state the ARP state the hook gave it when it was made
   * (fresh: nothing asked; {@link restoreArp} then puts back what the save recorded), or its
   * llinfo_nd6 (see Nd6Cache.adopt: the save may also record that).
   */
  adopt(rt: Rtentry): void {
    if ((rt.flags & RTF_LLINFO) === 0 || !rt.ifp.hasNeighbours || !isLinkGateway(rt.gateway, this.k.sdlSize)) return;
    // Each family's own exclusions, as its hook has them: nd6_rtrequest has no RTF_BROADCAST,
    // and a 4.9 IPv6 route may carry that bit (4.9 keeps flags it does not know).
    if (rt.af === 'inet6') this.nd6.adopt(rt);
    else if ((rt.flags & this.arpList.notL2) === 0) this.arp.set(rt, { asked: 0, refreshed: 0 });
  }

  /** llinfo_arp of every IPv4 entry, oldest first (arp_list's order reversed): [entry, asked, refreshed]. */
  savedArp(): [Rtentry, number, number][] {
    return [...this.arp].map(([rt, la]) => [rt, la.asked, la.refreshed]);
  }

  /**
   * Puts saved llinfo_arp back in the saved order: the order arptimer visits them and the counts
   * arpresolve goes on from. The saved list was the live one, so it replaces what {@link adopt}
   * derived, also where adopt would make no entry: an L2 entry that RTM_CHANGE gave an IP
   * gateway on the same address keeps its llinfo (only a new address runs the RTM_DELETE hook,
   * and the RTM_ADD hook after a change leaves an entry alone when the gateway is not AF_LINK).
   */
  restoreArp(entries: readonly (readonly [Rtentry, number, number])[]): void {
    this.arp.clear();
    for (const [rt, asked, refreshed] of entries) this.arp.set(rt, { asked, refreshed });
  }

  // ------------------------------------------------------------------ ARP input

  /**
   * in_arpinput for `pkt` received on `ifp`. `lookup(addr, create)` is rtalloc in the
   * interface's rdomain (RT_RESOLVE when `create`: Use++, may clone), as arplookup calls it.
   */
  input(ifp: Interface, pkt: ArpPacket, lookup: (addr: Uint8Array, create: boolean) => Rtentry | undefined): ArpInputResult {
    const out: ArpInputResult = { cached: false, resolved: false, replied: false };
    if (pkt.sha.every((b) => b === 0xff)) return { ...out, note: 'ether address is broadcast' };
    if (bytesEqual(pkt.sha, ifp.lladdr)) return { ...out, note: 'from me' };
    // Are we the target? (rtalloc without RT_RESOLVE on the target address.)
    const trt = lookup(pkt.tpa, false);
    const target = trt !== undefined && isValid(trt) && (trt.flags & RTF_LOCAL) !== 0 && trt.ifp === ifp;
    // arplookup: an L2 entry for the sender, created (cloned) only when we are the target.
    const rt = this.arplookup(pkt.spa, target, lookup);
    if (rt && isValid(rt) && rt.flags & RTF_LOCAL && rt.ifp === ifp && !pkt.spa.every((b) => b === 0)) {
      out.note = 'duplicate IP address';
    } else if (rt) {
      const r = this.arpcache(ifp, pkt.sha, rt);
      if (typeof r !== 'string') return { ...out, note: r.refused };
      out.cached = r !== 'no-entry';
      out.resolved = r === 'resolved';
    } else out.note = target ? 'no L2 entry could be made for the sender' : 'not for us and sender unknown';
    if (pkt.op === 'request') {
      if (target) out.replied = true;
      else {
        // Proxy ARP: an RTF_ANNOUNCE entry for the target on this interface answers for it.
        const prt = this.arplookup(pkt.tpa, false, lookup);
        out.replied = prt !== undefined && prt.ifp === ifp && (prt.flags & RTF_ANNOUNCE) !== 0;
      }
    }
    return out;
  }

  private arplookup(addr: Uint8Array, create: boolean, lookup: (addr: Uint8Array, create: boolean) => Rtentry | undefined): Rtentry | undefined {
    const rt = lookup(addr, create);
    if (!rt || !isValid(rt) || rt.flags & RTF_GATEWAY || (rt.flags & RTF_LLINFO) === 0 || rt.gateway[1] !== AF_LINK) return undefined;
    return rt;
  }

  /** arpcache: records `sha` in the L2 entry `rt` (see if_ether.c for each refusal). */
  private arpcache(ifp: Interface, sha: Uint8Array, rt: Rtentry): 'no-entry' | 'cached' | 'resolved' | { refused: string } {
    const la = this.arp.get(rt);
    if (!la) return 'no-entry';
    const now = this.k.now();
    let changed = false;
    const gw = rt.gateway;
    const alen = gw[6]!;
    if (alen > 0) {
      if (!bytesEqual(lladdrOf(gw), sha)) {
        if (rt.flags & (RTF_PERMANENT_ARP | RTF_LOCAL)) return { refused: 'attempt to overwrite permanent entry' };
        if (rt.ifp !== ifp) return { refused: `attempt to overwrite entry on ${rt.ifp.name}` };
        // "arp info overwritten": no longer static.
        rt.expire = 1;
        changed = true;
      }
    } else if (rt.ifp !== ifp) return { refused: `attempt to add entry on ${rt.ifp.name}` };
    rt.gateway = withLladdr(gw, sha);
    if (rt.expire !== 0) rt.expire = now + ARPT_KEEP;
    rt.flags &= ~RTF_REJECT;
    const notify = la.asked > 0 || changed;
    if (notify) this.k.routeSent(RTM_RESOLVE, rt);
    la.asked = 0;
    la.refreshed = 0;
    return notify ? 'resolved' : 'cached';
  }

  // ------------------------------------------------------------------ output side

  /**
   * arpresolve for a unicast packet whose route is `rt0` (`ll`: its L2 entry, rt_getll: rt0
   * itself or its cached next hop). Updates the entry's ARP state as sending would.
   */
  resolve(rt0: Rtentry, ll: Rtentry | undefined): ArpResolution {
    const now = this.k.now();
    if (!ll || (ll.flags & RTF_REJECT && (ll.expire === 0 || ll.expire > now))) {
      return { status: 'error', errno: ll === rt0 || !ll ? ERRNO.EHOSTDOWN : ERRNO.EHOSTUNREACH };
    }
    if ((ll.flags & RTF_LLINFO) === 0) return { status: 'error', errno: ERRNO.EINVAL };
    const gw = ll.gateway;
    const alen = gw[1] === AF_LINK ? gw[6]! : 0;
    if (alen > 0 && alen !== ETHER_ADDR_LEN) return { status: 'error', errno: ERRNO.EINVAL };
    const la = this.arp.get(ll);
    if ((ll.expire === 0 || ll.expire > now) && gw[1] === AF_LINK && alen !== 0) {
      // Resolved; refresh when the entry is within an eighth of its lifetime of expiring.
      let refresh = false;
      if (ll.expire !== 0 && ll.expire - ARPT_KEEP / 8 < now && la && la.refreshed + 30 < now) {
        la.refreshed = now;
        refresh = true;
      }
      return { status: 'resolved', lladdr: lladdrOf(gw).slice(), refresh };
    }
    // An interface that does no ARP (IFF_NOARP, or current's IFF_STATICARP: only entries
    // made by hand resolve) sends no request for an unresolved entry.
    if (rt0.ifp.flags & (IFF_NOARP | IFF_STATICARP) || !la) return { status: 'error', errno: ERRNO.EINVAL };
    let request = false;
    let reject = false;
    if (ll.expire !== 0 && (la.asked === 0 || ll.expire !== now)) {
      ll.expire = now;
      if (la.asked++ < ARP_MAXTRIES) request = true;
      else {
        reject = true;
        ll.expire += ARPT_DOWN;
        la.asked = 0;
        la.refreshed = 0;
      }
    }
    if (ll.expire !== 0) {
      if (reject) ll.flags |= RTF_REJECT;
      else ll.flags &= ~RTF_REJECT;
    }
    return { status: 'pending', request };
  }

  // ------------------------------------------------------------------ timer

  /**
   * arptimer: every entry whose expire has passed is freed (arptfree): it forgets its address,
   * and unless it is STATIC or CACHED (a gateway route's next hop) it is deleted (RTM_DELETE).
   * Returns the number of entries deleted.
   */
  timer(): number {
    const now = this.k.now();
    let deleted = 0;
    for (const rt of [...this.arp.keys()].reverse()) {
      if (!this.arp.has(rt) || rt.expire === 0 || rt.expire >= now) continue;
      if ((rt.flags & RTF_LLINFO) === 0) continue;
      this.invalidate(rt);
      if ((rt.flags & (RTF_STATIC | RTF_CACHED)) === 0) {
        this.k.deleteRoute(rt);
        deleted++;
      }
    }
    return deleted;
  }
}
