/**
 * IPv6 address lifetimes and the request flags SIOCAIFADDR_IN6 takes (ifra_lifetime,
 * ifra_flags), and the timer that deprecates and expires addresses.
 *
 * in6_update_ifa (in6.c 1.273 current; 1.91, 2011-07, stands in for 4.9's): the valid lifetime
 * must not be shorter than the preferred one (EINVAL); a valid lifetime of 0 adds nothing (the
 * ioctl succeeds). ia6_updatetime is when the lifetimes count from: set on every request in
 * current, only when the address is created in 4.9 (so a later request's lifetimes count from
 * the creation). IFA6_IS_DEPRECATED / IFA6_IS_INVALID: more than pltime / vltime seconds since
 * then. Neither lifetime is refused on a link-local address.
 *
 * The timer (Inet6AddrPolicy.expiry): current's nd6_expire (nd6.c 1.303), a timeout that
 * nd6_expire_timer_update moves to one second after the earliest preferred or valid end (a
 * deprecated address's preferred end left out), walks every interface in attach order and its
 * addresses in list order; 4.9's nd6_timer (nd6.c 1.138, 2015, the nearest stored; its address
 * loop is KAME's as 4.9 had it) runs every second (nd6_prune 1) over in6_ifaddr, every IPv6
 * address in creation order, and also clears IN6_IFF_DEPRECATED from an address not (or no
 * longer) past its preferred lifetime. An address past its valid lifetime is purged
 * (in6_purgeaddr: its routes and RTM_DELADDR, as SIOCDIFADDR_IN6); one past its preferred
 * lifetime gets IN6_IFF_DEPRECATED silently in both (rtm_addr carries no ia6_flags and no
 * lifetime, and neither timer sends RTM_CHGADDRATTR).
 *
 * The model's clock stands for getuptime() (current) and time_second (4.9) alike; a clock set
 * back makes addresses younger rather than wrapping the kernel's u_int32_t difference.
 */
import {
  IN6_IFF_ANYCAST, IN6_IFF_AUTOCONF, IN6_IFF_DEPRECATED, IN6_IFF_DETACHED, IN6_IFF_DUPLICATED, IN6_IFF_NODAD,
  IN6_IFF_TEMPORARY, IN6_IFF_TENTATIVE,
} from './constants.js';
import { fail } from './errno.js';
import type { IfAddr, Interface } from './interface.js';

/** ND6_INFINITE_LIFETIME (nd6.h): a lifetime that never ends. */
export const ND6_INFINITE_LIFETIME = 0xffffffff;

/** ia6_lifetime's pltime and vltime (seconds) and ia6_updatetime. */
export interface AddrLifetime {
  pltime: number;
  vltime: number;
  /** ia6_updatetime: the kernel clock when the lifetimes start counting. */
  updated: number;
}

/** What SIOCAIFADDR_IN6 asks for besides the address: ifra_flags and ifra_lifetime. */
export interface Inet6Request {
  flags: number;
  pltime: number;
  vltime: number;
}

export const INFINITE_REQUEST: Inet6Request = { flags: 0, pltime: ND6_INFINITE_LIFETIME, vltime: ND6_INFINITE_LIFETIME };

/** How the dialect's kernel treats ifra_flags, lifetimes and their timer. */
export interface Inet6AddrPolicy {
  /**
   * The request flags SIOCAIFADDR_IN6 refuses (EINVAL) before anything else: current
   * in6_ioctl_change_ifaddr DUPLICATED, DETACHED, DEPRECATED; 4.9's in6_control DUPLICATED,
   * DETACHED, NODAD, AUTOCONF (DEPRECATED is taken: the address starts deprecated, pltime 0).
   */
  readonly readOnlyFlags: number;
  /** The ia6_flags bits the dialect defines (in6_var.h); the model refuses others (EINVAL). */
  readonly definedFlags: number;
  /** ia6_updatetime set by every request (current) or only at creation (4.9). */
  readonly lifetimesFrom: 'update' | 'creation';
  /**
   * A TENTATIVE the request carries starts DAD (current: nd6_dad_start for any tentative
   * address after in6_update_ifa); 4.9 starts DAD only for a new address in6if_do_dad accepts.
   */
  readonly dadOnRequestedTentative: boolean;
  /** The timer that deprecates and expires addresses: current's nd6_expire or 4.9's nd6_timer. */
  readonly expiry: 'nd6_expire' | 'nd6_timer';
}

export const INET6_ADDR_CURRENT: Inet6AddrPolicy = {
  readOnlyFlags: IN6_IFF_DUPLICATED | IN6_IFF_DETACHED | IN6_IFF_DEPRECATED,
  definedFlags: IN6_IFF_ANYCAST | IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED | IN6_IFF_DETACHED | IN6_IFF_DEPRECATED | IN6_IFF_AUTOCONF
    | IN6_IFF_TEMPORARY,
  lifetimesFrom: 'update',
  dadOnRequestedTentative: true,
  expiry: 'nd6_expire',
};

/** 4.9: in6.c 1.91 and in6_var.h of its time (IN6_IFF_NODAD 0x20; 0x80 was IN6_IFF_PRIVACY). */
export const INET6_ADDR_49: Inet6AddrPolicy = {
  readOnlyFlags: IN6_IFF_DUPLICATED | IN6_IFF_DETACHED | IN6_IFF_NODAD | IN6_IFF_AUTOCONF,
  definedFlags: 0xff,
  lifetimesFrom: 'creation',
  dadOnRequestedTentative: false,
  expiry: 'nd6_timer',
};

/**
 * The checks before the ioctl touches anything: lifetimes are u_int32_t (the model refuses other
 * numbers), flags the dialect does not define or refuses as read-only are EINVAL.
 */
export function checkRequest(policy: Inet6AddrPolicy, req: Inet6Request): void {
  for (const [what, v] of [['pltime', req.pltime], ['vltime', req.vltime]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > ND6_INFINITE_LIFETIME) fail('EINVAL', `${what} ${v}`);
  }
  if (!Number.isInteger(req.flags) || req.flags < 0 || (req.flags & ~policy.definedFlags) !== 0) fail('EINVAL', `address flags ${req.flags}`);
  if (req.flags & policy.readOnlyFlags) fail('EINVAL', `read-only address flags 0x${(req.flags & policy.readOnlyFlags).toString(16)}`);
}

/** in6_update_ifa's lifetime consistency check: false when there is nothing to do (a new address, vltime 0). */
export function checkLifetimes(req: Inet6Request, isNew: boolean): boolean {
  if (req.pltime > req.vltime) fail('EINVAL', 'the preferred lifetime exceeds the valid one');
  return !(req.vltime === 0 && isNew);
}

/** IFA6_IS_DEPRECATED at `u`. */
export function isDeprecatedAt(l: AddrLifetime, u: number): boolean {
  return l.pltime !== ND6_INFINITE_LIFETIME && u - l.updated > l.pltime;
}

/** IFA6_IS_INVALID at `u`. */
export function isInvalidAt(l: AddrLifetime, u: number): boolean {
  return l.vltime !== ND6_INFINITE_LIFETIME && u - l.updated > l.vltime;
}

/** What the timer needs from the kernel. */
export interface LifetimeContext {
  readonly policy: Inet6AddrPolicy;
  now(): number;
  /** ifnetlist: the attached interfaces in attach order. */
  interfaces(): Iterable<Interface>;
  /** in6_purgeaddr. */
  purge(ifa: IfAddr): void;
}

/** The timer's state as a snapshot records it. */
export interface LifetimeTimerState {
  /** nd6_expire_timeout, when pending (current). */
  expireAt?: number;
  /** When nd6_timer's address loop last ran (4.9). */
  tickedAt?: number;
}

export class AddressLifetimes {
  /** nd6_expire_next while nd6_expire_timeout is pending (current). */
  private expireAt: number | undefined;
  /** The last second nd6_timer ran its address loop (4.9; it runs every second). */
  private tickedAt: number;
  /** in6_ifaddr order: the next address's creation number. */
  private nextSerial = 1;

  constructor(private readonly k: LifetimeContext) {
    this.tickedAt = k.now();
  }

  /**
   * in6_update_ifa's "Set lifetimes": the request's lifetimes, counted from now or, where they
   * count from creation (4.9), from when the address was made.
   */
  set(ifa: IfAddr, req: Inet6Request, isNew: boolean): void {
    const now = this.k.now();
    const keep = !isNew && this.k.policy.lifetimesFrom === 'creation' && ifa.lifetime !== undefined;
    if (isNew || ifa.serial === undefined) ifa.serial = this.nextSerial++;
    ifa.lifetime = { pltime: req.pltime, vltime: req.vltime, updated: keep ? ifa.lifetime!.updated : now };
  }

  /**
   * in6_update_ifa once ia6_flags are the request's: 4.9 makes an address the request calls
   * deprecated deprecated from now (pltime 0; current refused the flag); current then runs
   * nd6_expire_timer_update.
   */
  flagsSet(ifa: IfAddr, requestFlags: number): void {
    if (requestFlags & IN6_IFF_DEPRECATED && ifa.lifetime) ifa.lifetime.pltime = 0;
    if (this.k.policy.expiry === 'nd6_expire') this.schedule(ifa);
  }

  /** When the timer next has something to run at, or undefined. */
  get timerAt(): number | undefined {
    return this.k.policy.expiry === 'nd6_expire' ? this.expireAt : this.nextTick();
  }

  /** Runs the timer due at `u` (timerAt). */
  timer(u: number): void {
    if (this.k.policy.expiry === 'nd6_expire') this.expire(u);
    else this.tick(u);
  }

  /** After the timers ran up to `now`: nd6_timer's passes since the last one changed nothing. */
  settle(now: number): void {
    if (this.tickedAt < now) this.tickedAt = now;
  }

  saved(): LifetimeTimerState {
    return this.k.policy.expiry === 'nd6_expire'
      ? (this.expireAt !== undefined ? { expireAt: this.expireAt } : {})
      : { tickedAt: this.tickedAt };
  }

  /** Puts back what saved() recorded; `serials` are the restored addresses' creation numbers. */
  restore(s: LifetimeTimerState, serials: readonly number[]): void {
    if (s.expireAt !== undefined) this.expireAt = s.expireAt;
    if (s.tickedAt !== undefined) this.tickedAt = s.tickedAt;
    this.nextSerial = Math.max(this.nextSerial, ...serials.map((n) => n + 1));
  }

  /** nd6_expire_timer_update for `ifa`. */
  private schedule(ifa: IfAddr): void {
    const l = ifa.lifetime;
    if (!l) return;
    let due = Infinity;
    if (l.vltime !== ND6_INFINITE_LIFETIME) due = l.updated + l.vltime;
    const preferred = l.updated + l.pltime;
    if (((ifa.flags6 ?? 0) & IN6_IFF_DEPRECATED) === 0 && l.pltime !== ND6_INFINITE_LIFETIME && due > preferred) due = preferred;
    if (due === Infinity) return;
    // IFA6_IS_* need more than the lifetime: one second after its end.
    due++;
    if (this.expireAt === undefined || this.expireAt > due) this.expireAt = Math.max(due, this.k.now());
  }

  /** nd6_expire at `u`: the timeout is no longer pending; every interface, every IPv6 address. */
  private expire(u: number): void {
    this.expireAt = undefined;
    for (const ifp of [...this.k.interfaces()]) {
      for (const a of ifp.addrs.slice()) {
        if (a.af !== 'inet6' || !ifp.addrs.includes(a) || !a.lifetime) continue;
        if (isInvalidAt(a.lifetime, u)) {
          this.k.purge(a);
          continue;
        }
        if (isDeprecatedAt(a.lifetime, u)) a.flags6 = (a.flags6 ?? 0) | IN6_IFF_DEPRECATED;
        this.schedule(a);
      }
    }
  }

  /** 4.9's nd6_timer address loop at `u`, over in6_ifaddr (creation order). */
  private tick(u: number): void {
    this.tickedAt = u;
    for (const a of this.inCreationOrder()) {
      if (!a.ifp.addrs.includes(a) || !a.lifetime) continue;
      if (isInvalidAt(a.lifetime, u)) this.k.purge(a);
      else if (isDeprecatedAt(a.lifetime, u)) a.flags6 = (a.flags6 ?? 0) | IN6_IFF_DEPRECATED;
      else a.flags6 = (a.flags6 ?? 0) & ~IN6_IFF_DEPRECATED;
    }
  }

  private inCreationOrder(): IfAddr[] {
    const all: IfAddr[] = [];
    for (const ifp of this.k.interfaces()) for (const a of ifp.addrs) if (a.af === 'inet6') all.push(a);
    return all.sort((x, y) => (x.serial ?? 0) - (y.serial ?? 0));
  }

  /**
   * The first second after the last pass at which nd6_timer changes an address (the passes
   * between change nothing, so they are skipped): it goes invalid, becomes deprecated, or loses
   * a deprecation its lifetime does not (yet) give it.
   */
  private nextTick(): number | undefined {
    const from = this.tickedAt + 1;
    let at: number | undefined;
    for (const ifp of this.k.interfaces()) {
      for (const a of ifp.addrs) {
        const l = a.af === 'inet6' ? a.lifetime : undefined;
        if (!l) continue;
        const invalid = l.vltime === ND6_INFINITE_LIFETIME ? Infinity : l.updated + l.vltime + 1;
        const deprecated = l.pltime === ND6_INFINITE_LIFETIME ? Infinity : l.updated + l.pltime + 1;
        let due: number;
        if ((a.flags6 ?? 0) & IN6_IFF_DEPRECATED) {
          const first = Math.max(from, l.updated);
          due = first < deprecated ? first : Math.max(from, invalid);
        } else due = Math.max(from, Math.min(deprecated, invalid));
        if (due !== Infinity && (at === undefined || due < at)) at = due;
      }
    }
    return at;
  }
}
