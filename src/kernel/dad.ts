/**
 * IPv6 Duplicate Address Detection as routing sockets, ifconfig(8) and ND input see it:
 * nd6_nbr.c 1.165's dadq (nd6_dad_start, nd6_dad_stop, nd6_dad_timer, nd6_dad_duplicated,
 * nd6_dad_ns_output, nd6_dad_ns_input, and nd6_na_input's DAD branch) over the ia6_flags
 * IN6_IFF_TENTATIVE / IN6_IFF_DUPLICATED that in6.c 1.273 and in6_ifattach.c 1.124 set.
 *
 * A new address on an interface that is up and running (in6if_do_dad, read when the ioctl
 * starts) is tentative; nd6_dad_start sends the first solicitation at once and arms a
 * RETRANS_TIMER (1000 ms) timeout. With ip6_dad_count 1 the next run gives the verdict: no NS
 * or NA for the address came, so it is no longer tentative, or one did, so it is duplicated. A
 * solicitation that cannot go out (the interface down or not running) is only counted as a try;
 * after dad_maxtry of them DAD gives up and the address stays tentative. Current OpenBSD
 * announces each verdict with rtm_addr(RTM_CHGADDRATTR); 4.9 changes the flags silently
 * (DialectPolicy.addressAttributeMessages). in6_purgeaddr stops DAD (nd6_dad_stop); taking the
 * interface down does not.
 *
 * Times: current's nd6_dad_start has no random delay (the in6_if_up of older kernels that drew
 * one is gone), so the schedule is exact in whole seconds: tentative from t to t+1. The packets
 * themselves (the NS, the NA to all-routers after success) and their route lookups are not
 * modelled, as for the rest of ND (nd6.ts). An anycast address skips DAD (nd6_dad_start: no
 * longer tentative, announced in current); ip6_dad_count 0, which skips it too, cannot be set.
 */
import { IFF_LOOPBACK, IFF_RUNNING, IFF_UP, IN6_IFF_ANYCAST, IN6_IFF_DUPLICATED, IN6_IFF_TENTATIVE } from './constants.js';
import type { IfAddr, Interface } from './interface.js';

/** ip6_dad_count (net.inet6.ip6.dad_count, default 1): solicitations DAD sends. */
export const IP6_DAD_COUNT = 1;
/** dad_maxtry (nd6_nbr.c): tries to send a solicitation before DAD gives up. */
export const DAD_MAXTRY = 15;
/** RETRANS_TIMER (nd6.h, 1000 ms) between DAD steps: one second of the kernel clock. */
export const DAD_RETRANS = 1;

/** What DAD needs from the kernel. */
export interface DadContext {
  now(): number;
  /** rtm_addr(RTM_CHGADDRATTR, ifa), where the dialect has it. */
  addressAttributesChanged(ifa: IfAddr): void;
}

/** struct dadq: one address under DAD. */
interface Dadq {
  readonly ifa: IfAddr;
  /** dad_count: solicitations to send. */
  readonly count: number;
  /** dad_ns_tcount: tries to send one; dad_ns_ocount: sent. */
  tcount: number;
  ocount: number;
  /** dad_ns_icount / dad_na_icount: DAD solicitations and advertisements received for the address. */
  nsIn: number;
  naIn: number;
  /** When the timeout fires (the kernel clock). */
  due: number;
}

/** A DAD entry as a snapshot records it. */
export type DadRecord = [ifa: IfAddr, count: number, tcount: number, ocount: number, nsIn: number, naIn: number, due: number];

export function isTentative(ifa: IfAddr): boolean {
  return ((ifa.flags6 ?? 0) & IN6_IFF_TENTATIVE) !== 0;
}

export function isDuplicated(ifa: IfAddr): boolean {
  return ((ifa.flags6 ?? 0) & IN6_IFF_DUPLICATED) !== 0;
}

/**
 * in6if_do_dad (in6.c 1.273): DAD runs on an interface that is up and running and not a
 * loopback (carp(4), which it also skips, is not modelled). Point-to-point interfaces do DAD
 * too; only their link-local address skips it (in6_ifattach_linklocal).
 */
export function dadWanted(ifp: Interface): boolean {
  return (ifp.flags & IFF_LOOPBACK) === 0 && (ifp.flags & (IFF_UP | IFF_RUNNING)) === (IFF_UP | IFF_RUNNING);
}

export class DadQueue {
  /** dadq, in insertion order (timeouts due on one second run in this order). */
  private readonly queue: Dadq[] = [];

  constructor(private readonly k: DadContext) {}

  /** Whether DAD is running for `ifa` (nd6_dad_find). */
  running(ifa: IfAddr): boolean {
    return this.find(ifa) !== undefined;
  }

  /**
   * nd6_dad_start for a tentative address: an anycast one is settled at once (nd6_nbr.c 1.165
   * announces it with RTM_CHGADDRATTR; 1.89, the nearest stored to 4.9, clears the flag
   * silently); nothing if DAD runs already; else one NS now, the timer in a second.
   */
  start(ifa: IfAddr): void {
    if (!isTentative(ifa)) return;
    if ((ifa.flags6 ?? 0) & IN6_IFF_ANYCAST) {
      ifa.flags6 = (ifa.flags6 ?? 0) & ~IN6_IFF_TENTATIVE;
      this.k.addressAttributesChanged(ifa);
      return;
    }
    if (this.find(ifa)) return;
    const dp: Dadq = { ifa, count: IP6_DAD_COUNT, tcount: 0, ocount: 0, nsIn: 0, naIn: 0, due: 0 };
    this.queue.push(dp);
    this.nsOutput(dp);
    dp.due = this.k.now() + DAD_RETRANS;
  }

  /** nd6_dad_stop (in6_purgeaddr): DAD ends without a verdict or message. */
  stop(ifa: IfAddr): void {
    const dp = this.find(ifa);
    if (dp) this.destroy(dp);
  }

  /** When the earliest DAD timeout fires, or undefined. */
  get timerAt(): number | undefined {
    let at: number | undefined;
    for (const dp of this.queue) if (at === undefined || dp.due < at) at = dp.due;
    return at;
  }

  /** Runs every DAD timeout due at `u` (the earliest, timerAt), in dadq order. */
  timer(u: number): void {
    for (const dp of this.queue.slice()) if (dp.due <= u && this.queue.includes(dp)) this.step(dp, u);
  }

  /**
   * nd6_dad_ns_input: a DAD solicitation (from ::) for tentative `ifa`. Before our own
   * solicitation went out someone else was first: duplicated now; otherwise it is counted and
   * the verdict waits for the timer.
   */
  nsInput(ifa: IfAddr): void {
    const dp = this.find(ifa);
    if (!dp) return;
    if (dp.ocount === 0) this.duplicated(dp);
    else dp.nsIn++;
  }

  /** nd6_na_input for tentative `ifa`: someone uses the address; duplicated at once (if DAD runs). */
  naInput(ifa: IfAddr): void {
    const dp = this.find(ifa);
    if (!dp) return;
    dp.naIn++;
    this.duplicated(dp);
  }

  /** The queue as a snapshot records it. */
  saved(): DadRecord[] {
    return this.queue.map((dp) => [dp.ifa, dp.count, dp.tcount, dp.ocount, dp.nsIn, dp.naIn, dp.due]);
  }

  /** Puts back what saved() recorded. */
  restore(records: readonly DadRecord[]): void {
    for (const [ifa, count, tcount, ocount, nsIn, naIn, due] of records) {
      if (!this.find(ifa)) this.queue.push({ ifa, count, tcount, ocount, nsIn, naIn, due });
    }
  }

  private find(ifa: IfAddr): Dadq | undefined {
    return this.queue.find((dp) => dp.ifa === ifa);
  }

  private destroy(dp: Dadq): void {
    const i = this.queue.indexOf(dp);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** nd6_dad_ns_output: a try; the solicitation goes out only while the interface is up and running. */
  private nsOutput(dp: Dadq): void {
    dp.tcount++;
    const f = dp.ifa.ifp.flags;
    if ((f & (IFF_UP | IFF_RUNNING)) === (IFF_UP | IFF_RUNNING)) dp.ocount++;
  }

  /** nd6_dad_timer at `u`. */
  private step(dp: Dadq, u: number): void {
    // A duplicated address never has a running DAD (the verdict ends it). One no longer
    // tentative is 4.9's re-configured address: its timer logs and stops for good (the dadq
    // entry stays on 4.9's list until the address goes, unobservably; it is dropped here).
    if (isDuplicated(dp.ifa) || !isTentative(dp.ifa)) {
      this.destroy(dp);
      return;
    }
    if (dp.tcount > DAD_MAXTRY) {
      // The interface never let a solicitation out: DAD gives up, the address stays tentative.
      this.destroy(dp);
      return;
    }
    if (dp.ocount < dp.count) {
      this.nsOutput(dp);
      dp.due = u + DAD_RETRANS;
      return;
    }
    if (dp.naIn > 0 || dp.nsIn > 0) {
      this.duplicated(dp);
      return;
    }
    dp.ifa.flags6 = (dp.ifa.flags6 ?? 0) & ~IN6_IFF_TENTATIVE;
    this.destroy(dp);
    this.k.addressAttributesChanged(dp.ifa);
  }

  /** nd6_dad_duplicated: tentative becomes duplicated ("manual intervention required"), announced. */
  private duplicated(dp: Dadq): void {
    dp.ifa.flags6 = ((dp.ifa.flags6 ?? 0) & ~IN6_IFF_TENTATIVE) | IN6_IFF_DUPLICATED;
    this.destroy(dp);
    this.k.addressAttributesChanged(dp.ifa);
  }
}
