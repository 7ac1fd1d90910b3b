/**
 * An address's initialisation on its interface (in_ifinit, in6_update_ifa / in6_ifinit): the
 * address listed, the driver's SIOCSIFADDR with what it does to the interface, then the
 * address's routes and messages (src/kernel/address-routes.ts). Ifconfig's address ioctls and
 * in6_ifattach come here once their checks are done.
 */
import { IFF_UP, IN6_IFF_TENTATIVE } from './constants.js';
import type { AddressRoutes } from './address-routes.js';
import { isDuplicated, isTentative } from './dad.js';
import { fail } from './errno.js';
import { INFINITE_REQUEST, type Inet6Request } from './in6-lifetime.js';
import type { IfAddr, Interface } from './interface.js';
import type { Kernel } from './kernel.js';
import type { RoutingTable } from './routing-table.js';
import { bytesEqual, type Family } from './sockaddr-bytes.js';
import type { VlanDriver } from './vlan.js';

export interface AddressInitHost {
  readonly routes: AddressRoutes;
  readonly vlans: VlanDriver;
  /** if_up (lo(4)'s SIOCSIFADDR calls it). */
  ifUp(ifp: Interface): void;
}

const UNSPECIFIED6 = new Uint8Array(16);

export class AddressInit {
  constructor(private readonly k: Kernel, private readonly host: AddressInitHost) {}

  /**
   * Address configuration: the address listed (ifa_add, before in_ifinit / in6_ifinit), the
   * driver's SIOCSIFADDR and its side effects, then the address's routes.
   */
  configure(
    ifp: Interface, af: Family, addr: Uint8Array, plen: number, dest?: Uint8Array, linkLocal = false, tentative = false,
    inet: { maskGiven: boolean; broadcast?: Uint8Array | undefined } = { maskGiven: true }, req: Inet6Request = INFINITE_REQUEST,
  ): void {
    const existing = ifp.addrs.find((a) => a.af === af && bytesEqual(a.addr, addr));
    const t = this.k.table(ifp.rdomain)!;
    if (af === 'inet6') {
      this.configureInet6(ifp, t, existing, addr, plen, dest, linkLocal, tentative, req);
      return;
    }
    if (existing && !inet.maskGiven && !dest) {
      // in_ioctl_change_ifaddr: the same address, no mask, no destination: needinit stays 0,
      // in_ifinit does not run; only a broadcast address is copied in (ifa_update_broadaddr).
      if (inet.broadcast) existing.dstaddr = inet.broadcast;
      return;
    }
    if (existing) {
      // SIOCAIFADDR of an address the interface has re-initialises it (in_ifscrub, in_ifinit):
      // its prefix and local routes go and are added again; routes selected onto it stay.
      this.host.routes.scrub(t, existing);
      if (!inet.maskGiven) plen = existing.plen;
      // A new destination, or broadcast address, is in place before in_ifinit takes the local
      // route away (DELADDR shows it); in_ifinit then computes the broadcast address again.
      if (dest) existing.dstaddr = dest;
      else if (inet.broadcast) existing.dstaddr = inet.broadcast;
      this.host.routes.delLocal(t, existing);
      ifp.addrs.splice(ifp.addrs.indexOf(existing), 1);
      existing.plen = plen;
    }
    const ifa = existing ?? { af, addr, plen, dstaddr: dest, ifp };
    ifp.addrs.push(ifa);
    this.driverInitOrUnlink(ifp, ifa, !existing);
    this.host.routes.add(t, ifa, !existing);
  }

  /**
   * in6_update_ifa. An address the interface has keeps its local, multicast and connected
   * routes, and its prefix length cannot change (EINVAL). A new destination (one that differs
   * from the address's, which is all zeros while none is set) replaces the old one, whose host
   * route goes first if in6_ifinit had added it (IFA_ROUTE). Then in6_ifinit: the driver, and
   * on a point-to-point interface the destination's host route, again for an existing address
   * (EEXIST while it is there; the address stays). `linkLocal`: in6_ifattach_linklocal's.
   * `tentative`: a new address starts DAD (it was decided before the ioctl did anything);
   * an existing one's flags follow DialectPolicy.readdFlags. `req`: the flags asked for, which a
   * new address takes, and the lifetimes, set before in6_ifinit (src/kernel/in6-lifetime.ts).
   */
  private configureInet6(
    ifp: Interface, t: RoutingTable, existing: IfAddr | undefined, addr: Uint8Array, plen: number, dest: Uint8Array | undefined,
    linkLocal: boolean, tentative: boolean, req: Inet6Request,
  ): void {
    if (existing && existing.plen !== plen) fail('EINVAL', 'the prefix length of an IPv6 address cannot change');
    const ifa: IfAddr = existing ?? { af: 'inet6', addr, plen, dstaddr: undefined, ifp, flags6: req.flags | (tentative ? IN6_IFF_TENTATIVE : 0) };
    if (dest && !bytesEqual(dest, ifa.dstaddr ?? UNSPECIFIED6)) {
      this.host.routes.delDestination(t, ifa);
      ifa.dstaddr = dest;
    }
    if (!existing) ifp.addrs.push(ifa);
    this.k.lifetimes.set(ifa, req, !existing);
    this.driverInitOrUnlink(ifp, ifa, !existing);
    // in6_ifinit: the interface's metric, after the driver and before the routes and RTM_NEWADDR.
    ifa.metric = ifp.metric;
    if (!existing) {
      // The flags are in place (NEWADDR does not carry them); nd6_dad_start runs between
      // in6_update_ifa and the connected route — for an anycast address it only clears
      // tentative, announced in current.
      this.host.routes.addInet6(t, ifa, linkLocal, () => {
        this.k.lifetimes.flagsSet(ifa, req.flags);
        if (tentative || (this.k.policy.inet6Addr.dadOnRequestedTentative && isTentative(ifa))) this.k.dad.start(ifa);
      });
      return;
    }
    if (!this.host.routes.addDestination(t, ifa)) fail('EEXIST', 'the destination\'s host route exists');
    this.reconfigured(ifa, req.flags);
  }

  /**
   * in6_update_ifa's flags for an address it re-configures: the request's (deprecated lost).
   * Current (in6.c 1.273): a tentative or duplicated address becomes tentative again; a
   * tentative one starts DAD unless it is running already, a settled one is announced by
   * RTM_CHGADDRATTR. 4.9 (in6.c 1.91): nothing else, silently, and no DAD.
   */
  private reconfigured(ifa: IfAddr, requested: number): void {
    const unsettled = isTentative(ifa) || isDuplicated(ifa);
    if (this.k.policy.readdFlags === 'clear') {
      ifa.flags6 = requested;
      this.k.lifetimes.flagsSet(ifa, requested);
      return;
    }
    ifa.flags6 = requested | (unsettled ? IN6_IFF_TENTATIVE : 0);
    this.k.lifetimes.flagsSet(ifa, requested);
    if (isTentative(ifa)) this.k.dad.start(ifa);
    else this.k.addressAttributesChanged(ifa);
  }

  /**
   * The driver's SIOCSIFADDR for `ifa`, just listed: if it fails, a new address is taken off the
   * list again before the error goes back (in_ifinit's in_purgeaddr, in6_update_ifa's unlink;
   * it has no routes yet, so nothing is announced); one re-initialised stays, without routes.
   */
  private driverInitOrUnlink(ifp: Interface, ifa: IfAddr, isNew: boolean): void {
    try {
      this.driverInit(ifp, ifa.af);
    } catch (e) {
      if (isNew) ifp.addrs.splice(ifp.addrs.indexOf(ifa), 1);
      throw e;
    }
  }

  /**
   * The driver's SIOCSIFADDR brings the interface up (InterfaceKind.addressUp). lo(4) calls
   * if_up. An Ethernet-like driver only sets IFF_UP and queues its link-state task (see ioctl).
   * gif(4) sets the flags, and nothing announces or tracks them. in_ifinit calls the driver for
   * every address; in6_ifinit only for the interface's only IPv6 address (ifacount <= 1, the
   * address counted, as it is listed by then), and for every one on loopback and point-to-point
   * interfaces.
   */
  private driverInit(ifp: Interface, af: Family): void {
    if (af === 'inet6' && ifp.hasNeighbours && ifp.addrs.filter((a) => a.af === 'inet6').length > 1) return;
    if (ifp.kind.vlanDriver) {
      // vlan_ioctl's SIOCSIFADDR: IFF_UP, then SIOCSIFFLAGS's part (vlan_up, whose ENXIO without
      // a parent fails the address); IFF_UP stays set either way.
      ifp.flags |= IFF_UP;
      this.host.vlans.flagsChanged(ifp);
      return;
    }
    const up = ifp.kind.addressUp;
    if (up === 'link-task' || up === 'flags') ifp.markUp();
    else this.host.ifUp(ifp);
  }
}
