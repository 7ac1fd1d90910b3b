/**
 * SIOCSIFRDOMAIN: an interface's move to another routing domain, as each dialect does it
 * (`DialectPolicy.rdomains`), and 4.9's rt_if_remove + in6_ifdetach, which its if_detach shares.
 * Current from if.c 1.741 (if_createrdomain, if_setrdomain), 4.9 from if.c 1.237 (ifioctl).
 */
import { fail } from './errno.js';
import type { Interface } from './interface.js';
import type { Kernel } from './kernel.js';

/** What a move needs of ifconfig. */
export interface RdomainHooks {
  readonly byName: (name: string) => Interface | undefined;
  /** if_clone_create: IFAN_ARRIVAL. */
  readonly create: (name: string) => Interface;
  /** if_down and if_up called directly. */
  readonly ifDown: (ifp: Interface) => void;
  readonly ifUp: (ifp: Interface) => void;
  /** in_ifdetach then in6_ifdetach; in6_ifdetach alone. */
  readonly detachAddresses: (ifp: Interface) => void;
  readonly detachInet6: (ifp: Interface) => void;
}

/** rtable_loindex: whether `ifp` is its rdomain's own loopback (lo<N> in rdomain N). */
export function isRdomainLoopback(ifp: Interface): boolean {
  return ifp.isLoopback && ifp.name === `lo${ifp.rdomain}`;
}

export class Rdomains {
  constructor(private readonly k: Kernel, private readonly h: RdomainHooks) {}

  /** SIOCSIFRDOMAIN of `ifp` to `rdomain` (in range), as the dialect does it. */
  set(ifp: Interface, rdomain: number): void {
    if (this.k.policy.rdomains === 'rt_if_remove') this.set49(ifp, rdomain);
    else this.setCurrent(ifp, rdomain);
  }

  /**
   * Current (§E.2): if_createrdomain, then if_setrdomain unless it failed with other than EEXIST
   * (if.c ifioctl). if_createrdomain: rtable_add (a new table belongs to rdomain 0); a table
   * with routes is left alone (EEXIST); otherwise lo<N> is cloned — if it exists already and is
   * not the interface being moved, that is EEXIST too and the table stays rdomain 0's — and the
   * table becomes rdomain N's with lo<N> as its loopback, lo<N>'s if_rdomain set directly
   * (nothing detached). if_setrdomain: an rdomain's loopback cannot leave (EPERM), the table
   * must be an rdomain of its own (EINVAL), then the move: if_down when up (IFF_UP alone), the
   * addresses purged (in_ifdetach, in6_ifdetach), the rdomain switched, if_up.
   */
  private setCurrent(ifp: Interface, rdomain: number): void {
    const t = this.k.table(rdomain) ?? this.k.addTable(rdomain, 0);
    if (t.routes.count === 0) {
      const loName = `lo${rdomain}`;
      let lo = this.h.byName(loName);
      if (!lo) lo = this.h.create(loName);
      else if (lo !== ifp) lo = undefined;
      if (lo) {
        // rtable_l2set(rdomain, rdomain, lo's index); loifp->if_rdomain = rdomain.
        t.rdomain = rdomain;
        lo.rdomain = rdomain;
      }
    }
    if (ifp.rdomain !== rdomain && isRdomainLoopback(ifp)) fail('EPERM', 'an rdomain loopback cannot leave its rdomain');
    if (t.rdomain !== rdomain) fail('EINVAL', `table ${rdomain} belongs to rdomain ${t.rdomain}`);
    if (ifp.rdomain === rdomain) return;
    const wasUp = ifp.isUp;
    if (wasUp) this.h.ifDown(ifp);
    this.h.detachAddresses(ifp);
    ifp.rdomain = rdomain;
    if (wasUp) this.h.ifUp(ifp);
  }

  /**
   * 4.9 (if.c 1.237 ifioctl): a table that does not exist is added as an rdomain of its own
   * (rtable_add, rtable_l2set(N, N); no loopback is made), one that is not an rdomain is EINVAL.
   * Moving: rt_if_remove and in6_ifdetach ({@link removeRoutesAndInet6}) with IFXF_NOINET6 set,
   * and every IPv4 address taken off the interface (ifa_del: no in_ifscrub, no RTM_DELADDR —
   * rt_if_remove took their routes). No if_down or if_up: the interface stays as it was, and
   * nothing announces the move.
   */
  private set49(ifp: Interface, rdomain: number): void {
    const t = this.k.table(rdomain) ?? this.k.addTable(rdomain, rdomain);
    if (t.rdomain !== rdomain) fail('EINVAL', `table ${rdomain} belongs to rdomain ${t.rdomain}`);
    if (ifp.rdomain === rdomain) return;
    this.removeRoutesAndInet6(ifp);
    ifp.noInet6 = true;
    for (const a of ifp.addrs.slice()) if (a.af === 'inet') ifp.addrs.splice(ifp.addrs.indexOf(a), 1);
    ifp.rdomain = rdomain;
  }

  /**
   * What 4.9's SIOCSIFRDOMAIN and if_detach do first: rt_if_remove (RouteCore.removeInterfaceRoutes,
   * with the interface's rdomain as rtdeletemsg's table), then in6_ifdetach, which finds the
   * addresses' routes gone already.
   */
  removeRoutesAndInet6(ifp: Interface): void {
    this.k.core.removeInterfaceRoutes(ifp, ifp.rdomain);
    this.h.detachInet6(ifp);
  }
}
