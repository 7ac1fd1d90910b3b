/**
 * Route messages (rt_msghdr + DST, GATEWAY, NETMASK, IFP, IFA) written with as few copies as
 * possible: they are most of what the kernel writes (every RTM_ADD reply, every dump record).
 *
 * Why: everything after DST comes from sockaddrs the kernel shares between routes (interned
 * gateways, per-length masks, per-interface link and address sockaddrs), so a table's routes
 * need only a handful of distinct "tails". Copying a cached tail in one go, and writing DST
 * straight from the route, replaces five small copies that cost ~50 ns each on Node 20. The cache
 * is keyed by the identities of those sockaddrs, which are never written after they are built.
 */
import { AF_INET, AF_INET6, RTAX_IFA, RTAX_IFP, RTAX_NETMASK, RTAX_GATEWAY } from './constants.js';
import { keep, zeroed } from './alloc.js';
import type { Rtentry } from './rtentry.js';
import { addrsOf, roundupLen, sockaddrsLength, writeHeader, writeSockaddrs, type RtHeaderLayout, type RtHeaderValues } from './wire.js';

/** One cached tail: the sockaddrs it was built from, and its bytes. */
interface Tail {
  gateway: Uint8Array;
  mask: Uint8Array | undefined;
  link: Uint8Array | undefined;
  ifa: Uint8Array | undefined;
  /** The sockaddrs each in its ROUNDUP slot, padding zero. */
  bytes: Uint8Array;
  /** Their rtm_addrs bits. */
  addrs: number;
}

/** Slots: one per (family, prefix length), each with a few ways for routes of other next hops. */
const SLOTS = 33 + 129;
const WAYS = 4;

export class RouteMessageWriter {
  private readonly tails: (Tail | undefined)[] = new Array<Tail | undefined>(SLOTS * WAYS).fill(undefined);
  /** Next way to replace in each slot (round robin). */
  private readonly victim = new Uint8Array(SLOTS);

  constructor(private readonly l: RtHeaderLayout) {}

  /**
   * The message of header `v` with DST (`rt`'s destination), GATEWAY, and NETMASK, IFP, IFA
   * when given; msglen rounded up to `align`. Same bytes as buildRtMessage over those sockaddrs.
   */
  write(
    v: RtHeaderValues, rt: Rtentry, gateway: Uint8Array, mask: Uint8Array | undefined,
    link: Uint8Array | undefined, ifa: Uint8Array | undefined, align: number,
  ): Uint8Array {
    const l = this.l;
    const inet6 = rt.af === 'inet6';
    const tail = this.tail((inet6 ? 33 + rt.plen : rt.plen) % SLOTS, gateway, mask, link, ifa);
    const dstLen = inet6 ? 28 : 16;
    const tailAt = l.size + roundupLen(dstLen, l.unit);
    let len = tailAt + tail.bytes.length;
    if (align > 1) len = (len + align - 1) & ~(align - 1);
    const out = zeroed(len);
    writeHeader(l, v, out, len, 1 | tail.addrs);
    // sockaddr_in / sockaddr_in6 with only len, family and the address set (port, flowinfo and
    // scope id are zero in a route's destination).
    out[l.size] = dstLen;
    out[l.size + 1] = inet6 ? AF_INET6 : AF_INET;
    rt.writeDst(out, l.size + (inet6 ? 8 : 4));
    out.set(tail.bytes, tailAt);
    return out;
  }

  private tail(slot: number, gateway: Uint8Array, mask: Uint8Array | undefined, link: Uint8Array | undefined, ifa: Uint8Array | undefined): Tail {
    const tails = this.tails;
    const first = slot * WAYS;
    for (let i = first; i < first + WAYS; i++) {
      const t = tails[i];
      if (t !== undefined && t.gateway === gateway && t.mask === mask && t.link === link && t.ifa === ifa) return t;
    }
    const t = this.build(gateway, mask, link, ifa);
    const way = this.victim[slot]!;
    this.victim[slot] = (way + 1) % WAYS;
    tails[first + way] = t;
    return t;
  }

  private build(gateway: Uint8Array, mask: Uint8Array | undefined, link: Uint8Array | undefined, ifa: Uint8Array | undefined): Tail {
    const sas: (Uint8Array | undefined)[] = [];
    sas[RTAX_GATEWAY] = gateway;
    sas[RTAX_NETMASK] = mask;
    sas[RTAX_IFP] = link;
    sas[RTAX_IFA] = ifa;
    const bytes = zeroed(sockaddrsLength(sas, this.l.unit));
    writeSockaddrs(bytes, 0, sas, this.l.unit);
    // Long-lived: out of the message slabs (see alloc.ts keep()).
    return { gateway, mask, link, ifa, bytes: keep(bytes), addrs: addrsOf(sas) };
  }
}
