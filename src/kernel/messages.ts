/**
 * Builds every message the kernel writes, in the kernel's dialect: replies (rtm_report,
 * 4.9's echo and rt_msg2), kernel route announcements (rtm_send / rt_missmsg), RTM_MISS,
 * interface and address messages, and sysctl dump records.
 */
import { encodeMessage } from '../codec/message.js';
import {
  RTAX_BRD, RTAX_DST, RTAX_GATEWAY, RTAX_IFA, RTAX_IFP, RTAX_LABEL, RTAX_NETMASK, RTF_DONE, RTF_HOST,
  RTM_DESYNC, RTM_IFANNOUNCE, RTM_IFINFO, RTM_MISS, RTP_MASK,
} from './constants.js';
import type { DialectPolicy } from './dialect-policy.js';
import { xflagsWord, type IfAddr, type Interface } from './interface.js';
import type { RoutingTable } from './routing-table.js';
import type { Rtentry } from './rtentry.js';
import {
  ADDR_BYTES, ADDR_OFFSET, fullMaskSockaddr, inetSockaddr, interfaceMaskSockaddr, labelSockaddr, linkSockaddr, trimmedMaskSockaddr, type Family,
} from './sockaddr-bytes.js';
import { bareRtMessage, buildRtMessage, wr16, wr32, type RtHeaderValues } from './wire.js';
import { RouteMessageWriter } from './route-message.js';
import { viewOf, zeroed } from './alloc.js';

/** Who asked, for a reply header. */
export interface Requester {
  pid: number;
  seq: number;
  tableid: number;
}

export class MessageBuilder {
  private readonly links = new WeakMap<Interface, Uint8Array>();
  private readonly writer: RouteMessageWriter;
  constructor(private readonly p: DialectPolicy, private readonly tableOf: (id: number) => RoutingTable | undefined) {
    this.writer = new RouteMessageWriter(p.rt);
  }

  /** Drops the cached sockaddr_dl of `ifp` (its link-layer address changed). */
  forgetLink(ifp: Interface): void {
    this.links.delete(ifp);
  }

  /**
   * The unresolved sockaddr_dl a clone starts with: index and type only (route show: link#N).
   * Its sa_len is sizeof(struct sockaddr_dl) as rtrequest's static `sa_dl` has it, not rounded
   * up as an interface's if_sadl is: 20 in 4.9 on amd64, where ROUNDUP makes 24 (rt_setgate
   * rounds only the allocation, and messages pad it). A request naming the clone by that
   * gateway (RTM_CHANGE/DELETE of `link#N`) compares sa_len too.
   */
  emptyLinkOf(ifp: Interface): Uint8Array {
    let sa = this.emptyLinks.get(ifp);
    if (!sa) {
      sa = linkSockaddr(ifp.index, ifp.type, '', new Uint8Array(0), this.p.sdlSize, 1, this.p.rt.le);
      this.emptyLinks.set(ifp, sa);
    }
    return sa;
  }
  private readonly emptyLinks = new WeakMap<Interface, Uint8Array>();

  linkOf(ifp: Interface): Uint8Array {
    let sa = this.links.get(ifp);
    if (!sa) {
      sa = linkSockaddr(ifp.index, ifp.type, ifp.name, ifp.lladdr, this.p.sdlSize, this.p.rt.unit, this.p.rt.le);
      this.links.set(ifp, sa);
    }
    return sa;
  }

  private flagsOut(flags: number): number {
    return flags & this.p.flagBits;
  }

  private mask(rt: Rtentry, always: boolean): Uint8Array | undefined {
    if (this.p.trimmedMasks) return rt.flags & RTF_HOST ? undefined : trimmedMaskSockaddr(rt.af, rt.plen);
    if (!always && rt.flags & RTF_HOST) return undefined;
    return fullMaskSockaddr(rt.af, rt.plen);
  }

  /** IFA of a report: the table's preferred source for the family if set, else the route's address. */
  private ifaOf(rt: Rtentry): Uint8Array {
    // The table's preferred source of the route's family, else the route's interface address
    // in its own family (an RTA_IFA of the other family can be chosen for a route).
    const source = this.tableOf(rt.tableid)?.source[rt.af];
    const addr = source ?? rt.ifa.addr;
    // Interface addresses are few and immutable: build each one's sockaddr once.
    let sa = this.ifaSockaddrs.get(addr);
    if (!sa) this.ifaSockaddrs.set(addr, (sa = inetSockaddr(source ? rt.af : rt.ifa.af, addr)));
    return sa;
  }
  private readonly ifaSockaddrs = new WeakMap<Uint8Array, Uint8Array>();

  // Scratch for routeMessage's general case: buildRtMessage copies every sockaddr into the message at once,
  // so one array and one destination sockaddr per family serve every message.
  // Fixed length (no length writes, which are slow): unused slots stay undefined and are skipped.
  private readonly sas: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(RTAX_LABEL + 1).fill(undefined);
  private readonly dstSa: Record<Family, Uint8Array> = { inet: inetSockaddr('inet', new Uint8Array(4)), inet6: inetSockaddr('inet6', new Uint8Array(16)) };

  /**
   * A route message: header `v`, then DST, GATEWAY, NETMASK (as {@link mask} decides), IFP and
   * IFA when `withIfp`, a point-to-point route's BRD when `withBrd` too (rtm_report, rt_msg2 and
   * sysctl_dumpentry set it; rtm_send does not), and LABEL when the route has one.
   */
  private routeMessage(
    v: RtHeaderValues, rt: Rtentry, withIfp: boolean, alwaysMask: boolean, align: number, withBrd = withIfp,
  ): Uint8Array {
    const mask = this.mask(rt, alwaysMask);
    const link = withIfp ? this.linkOf(rt.ifp) : undefined;
    const ifa = withIfp ? this.ifaOf(rt) : undefined;
    const brd = withIfp && withBrd && rt.ifp.isPointToPoint;
    // The common shape (no BRD, no LABEL) goes through the writer's cached tails.
    if (!brd && !rt.label) return this.writer.write(v, rt, rt.gateway, mask, link, ifa, align);
    const sas = this.sas;
    for (let i = 0; i < sas.length; i++) sas[i] = undefined;
    const dst = this.dstSa[rt.af];
    rt.writeDst(dst, ADDR_OFFSET[rt.af]);
    sas[RTAX_DST] = dst;
    sas[RTAX_GATEWAY] = rt.gateway;
    sas[RTAX_NETMASK] = mask;
    sas[RTAX_IFP] = link;
    sas[RTAX_IFA] = ifa;
    // ifa_dstaddr: the destination, or its still-zero sockaddr (sa_len 0) when none was set.
    if (brd) sas[RTAX_BRD] = destinationSockaddr(rt.ifa);
    if (rt.label) sas[RTAX_LABEL] = labelSockaddr(rt.label);
    return buildRtMessage(this.p.rt, v, sas, align);
  }

  /**
   * current rtm_report: the resulting route, with RTF_DONE, NETMASK always, IFP+IFA when
   * `attached` (if_get finds the route's interface; a route can outlive it, see AddressRoutes.purge).
   */
  report(type: number, rt: Rtentry, who: Requester, attached = true): Uint8Array {
    return this.routeMessage({
      type, index: rt.ifp.index, tableid: who.tableid, priority: rt.priority & RTP_MASK,
      flags: this.flagsOut(rt.flags | RTF_DONE), pid: who.pid, seq: who.seq, errno: 0,
      use: rt.use, mtu: rt.mtu, locks: rt.locks, expire: rt.expire,
    }, rt, attached, true, this.p.rt.align);
  }

  /**
   * 4.9 rt_msg2 reply to GET/DELETE: the request header kept, sockaddrs rebuilt from the route;
   * IFP/IFA only when the request carried RTA_IFP or RTA_IFA (and the route's interface is there).
   */
  msg2(type: number, rt: Rtentry, who: Requester, askedIfp: boolean): Uint8Array {
    return this.routeMessage({
      type, index: rt.ifp.index, tableid: who.tableid, priority: rt.priority & RTP_MASK,
      flags: this.flagsOut(rt.flags | RTF_DONE), pid: who.pid, seq: who.seq, errno: 0,
      use: rt.use, mtu: rt.mtu, locks: rt.locks, expire: rt.expire,
    }, rt, askedIfp, false, this.p.rt.align);
  }

  /**
   * The request itself with header fields rewritten (echoes: 4.9 replies, failures). `request`
   * is the kernel's own copy (request.ts kernelCopy) and is written in place.
   */
  echo(request: Uint8Array, set: { flags?: number; index?: number; priority?: number; errno: number }): Uint8Array {
    const out = request;
    const l = this.p.rt;
    if (set.flags !== undefined) wr32(out, l.flags, this.flagsOut(set.flags), l.le);
    if (set.index !== undefined) wr16(out, l.index, set.index, l.le);
    if (set.priority !== undefined) out[l.priority] = set.priority;
    wr32(out, l.errno, set.errno, l.le);
    return out;
  }

  /** rtm_send / rt_missmsg for a route the kernel added or removed. */
  routeSend(type: number, rt: Rtentry, flags: number, withIfp = this.p.kernelRouteMsgHasIfp, tableid = rt.tableid, errno = 0): Uint8Array {
    return this.routeMessage({
      type, index: rt.ifp.index, tableid, priority: this.p.trimmedMasks ? 0 : rt.priority,
      flags: this.flagsOut(flags | RTF_DONE), pid: 0, seq: 0, errno,
    }, rt, withIfp, false, 1, false);
  }

  /** RTM_MISS: DST only. */
  miss(dst: Uint8Array, tableid: number, errno: number): Uint8Array {
    return buildRtMessage(this.p.rt, {
      type: RTM_MISS, index: 0, tableid, priority: 0, flags: RTF_DONE, pid: 0, seq: 0, errno,
    }, [dst], 1);
  }

  desync(): Uint8Array {
    return bareRtMessage(this.p.rt, RTM_DESYNC);
  }

  /** sysctl NET_RT_DUMP record (type RTM_GET, refcnt = Refs); IFP and IFA when `attached`, as report. */
  dumpEntry(rt: Rtentry, type: number, attached = true): Uint8Array {
    return this.routeMessage({
      type, index: rt.ifp.index, tableid: rt.tableid, priority: rt.priority & RTP_MASK,
      flags: this.flagsOut(rt.flags | RTF_DONE), pid: 0, seq: 0, errno: 0, refcnt: rt.refs,
      use: rt.use, mtu: rt.mtu, locks: rt.locks, expire: rt.expire,
    }, rt, attached, !this.p.trimmedMasks, this.p.rt.align);
  }

  ifinfo(ifp: Interface): Uint8Array {
    const data: Record<string, unknown> = {
      type: ifp.type, addrlen: ifp.lladdr.length, hdrlen: 0, link_state: ifp.linkState, mtu: ifp.mtu, metric: ifp.metric,
    };
    if (this.p.name === 'openbsd') data['rdomain'] = ifp.rdomain;
    return encodeMessage({
      type: RTM_IFINFO, index: ifp.index, tableid: ifp.rdomain, flags: ifp.flags, xflags: xflagsWord(ifp, this.p.ifXflags.noInet6), data,
      sockaddrs: this.p.ifinfoHasIfp ? { ifp: this.linkSockaddrInput(ifp) } : {},
    }, { dialect: this.p.name, arch: this.p.dialect.arch });
  }

  private linkSockaddrInput(ifp: Interface) {
    const sa = this.linkOf(ifp);
    return {
      kind: 'unknown' as const, len: sa[0]!, family: sa[1]!,
      data: Buffer.from(sa.subarray(2)).toString('hex'),
    };
  }

  announce(ifp: Interface, what: number): Uint8Array {
    return encodeMessage({ type: RTM_IFANNOUNCE, index: ifp.index, what, name: ifp.name },
      { dialect: this.p.name, arch: this.p.dialect.arch });
  }

  /**
   * RTM_NEWADDR / RTM_DELADDR / RTM_CHGADDRATTR (rtm_addr: ifa_msghdr fields): NETMASK, IFP,
   * IFA, BRD. A brand-new IPv4 address's mask is still the untrimmed 8-byte form. On loopback
   * and point-to-point interfaces BRD is the destination (::1's is ::1), an empty sockaddr while
   * none is set. The header area is what rtm_msg1 sizes for the type (current's CHGADDRATTR: an
   * rt_msghdr's, zeros after the ifa_msghdr fields). `ifaFlags`: ifam_flags (ifa_flags).
   */
  addr(type: number, ifa: IfAddr, isNew: boolean, ifaFlags = 0): Uint8Array {
    const l = this.p.rt;
    let mask = interfaceMaskSockaddr(ifa.af, ifa.plen);
    if (isNew && ifa.af === 'inet') {
      mask = mask.slice();
      mask[0] = 8;
    }
    const sas: (Uint8Array | undefined)[] = [];
    sas[RTAX_NETMASK] = mask;
    sas[RTAX_IFP] = this.linkOf(ifa.ifp);
    sas[RTAX_IFA] = inetSockaddr(ifa.af, ifa.addr);
    if (ifa.ifp.isLoopback || ifa.ifp.isPointToPoint) sas[RTAX_BRD] = destinationSockaddr(ifa);
    else if (ifa.af === 'inet') {
      sas[RTAX_BRD] = inetSockaddr(ifa.af, isNew || !ifa.dstaddr ? new Uint8Array(ADDR_BYTES[ifa.af]) : ifa.dstaddr);
    }
    const hdrlen = this.p.dialect.kernelHdrlen(type);
    let len = hdrlen;
    let addrs = 0;
    for (let i = 0; i < sas.length; i++) {
      if (!sas[i]) continue;
      addrs |= 1 << i;
      len += sas[i]!.length === 0 ? l.unit : 1 + ((sas[i]![0]! - 1) | (l.unit - 1));
    }
    const out = zeroed(len);
    const dv = viewOf(out);
    dv.setUint16(0, len, l.le);
    out[2] = l.version;
    out[3] = type;
    dv.setUint16(4, hdrlen, l.le);
    dv.setUint16(6, ifa.ifp.index, l.le);
    dv.setUint16(8, ifa.ifp.rdomain, l.le);
    dv.setInt32(12, addrs, l.le);
    dv.setInt32(16, ifaFlags, l.le);
    dv.setInt32(20, ifa.metric ?? 0, l.le);
    let pos = hdrlen;
    for (const sa of sas) {
      if (!sa) continue;
      if (sa.length === 0) { pos += l.unit; continue; }
      out.set(sa.subarray(0, sa[0]!), pos);
      pos += 1 + ((sa[0]! - 1) | (l.unit - 1));
    }
    return out;
  }
}

/** An address's ifa_dstaddr as a message carries it: zero-length (one ROUNDUP unit of zeros) until a destination is set. */
function destinationSockaddr(ifa: IfAddr): Uint8Array {
  return ifa.dstaddr ? inetSockaddr(ifa.af, ifa.dstaddr) : new Uint8Array(0);
}
