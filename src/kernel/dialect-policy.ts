/**
 * Everything route_output and delivery do differently between OpenBSD 4.9 and current, as
 * data. Code asks the policy (`p.strictSockaddrs`, `p.replyShape(type)`) instead of testing the
 * dialect name.
 */
import { getDialect, type ArchName, type Dialect, type DialectName } from '../abi/dialect.js';
import {
  IFF_DEBUG, IFXF_AUTOCONF4, IFXF_AUTOCONF6, IFXF_AUTOCONF6TEMP, IFXF_INET6_NOSOII, IFXF_INET6_PRIVACY_49, IFXF_LRO, IFXF_MONITOR, IFXF_MPLS, IFXF_NOINET6_49, IFXF_WOL, IFF_LINK0, IFF_LINK1, IFF_LINK2, IFF_NOARP, IFF_STATICARP, MSIZE, ROUTE_FLAGFILTER, ROUTE_MSGFILTER, ROUTE_PRIOFILTER, ROUTE_TABLEFILTER, RTF_BROADCAST, RTF_CACHED, RTF_CLONED,
  RTF_CONNECTED, RTF_DONE, RTF_FMASK_49, RTF_FMASK_CURRENT, RTF_LOCAL, RTF_MULTICAST, RTM_ADD, RTM_CHANGE, RTM_DELETE,
  RTM_GET, RTM_LOCK, RTM_PROPOSAL, RTM_SOURCE,
} from './constants.js';
import { INET6_ADDR_49, INET6_ADDR_CURRENT, type Inet6AddrPolicy } from './in6-lifetime.js';
import { INTERFACE_KINDS_49, INTERFACE_KINDS_CURRENT, type InterfaceKind } from './interface.js';
import { rtHeaderLayout, type RtHeaderLayout } from './wire.js';
import type { WalkOrder } from '../table/index.js';

/** How a successful request is answered. */
export type ReplyShape =
  /** current rtm_report: rebuilt from the route, always NETMASK/IFP/IFA. */
  | 'report'
  /** 4.9 ADD/CHANGE/LOCK: the request's own bytes, header rewritten. */
  | 'echo'
  /** 4.9 GET/DELETE: rt_msg2 from the route, IFP/IFA only if asked. */
  | 'msg2';

export interface DialectPolicy {
  readonly name: DialectName;
  readonly dialect: Dialect;
  readonly rt: RtHeaderLayout;
  /** write(2) shorter than this is EINVAL before anything is read. */
  readonly minWrite: number;
  readonly requestTypes: ReadonlySet<number>;
  /** hdrlen below the header size is rejected (current) or only hdrlen > length (4.9). */
  readonly strictHdrlen: boolean;
  /** RTF_LOCAL / RTF_BROADCAST in a request are EINVAL. */
  readonly rejectLocalBroadcast: boolean;
  /** Request flags the kernel clears (DONE/CLONED/CACHED in current). */
  readonly clearedFlags: number;
  readonly fmask: number;
  /** RTP_LOCAL (1) is reserved for the kernel. */
  readonly priorityOneInvalid: boolean;
  /** rtm_xaddrs size/family checks (current) vs 4.9's unchecked rt_xaddrs. */
  readonly strictSockaddrs: boolean;
  readonly rtaxMax: number;
  readonly afMax: number;
  readonly genmaskInvalid: boolean;
  /** 4.9 echoes table and DST/GATEWAY-family failures; current sends nothing for them. */
  readonly echoValidationErrors: boolean;
  /** Overflow when free receive space drops below this (current: 2*MSIZE). */
  readonly lowWater: number;
  /**
   * sb_max: the largest SO_RCVBUF sbreserve accepts (larger is ENOBUFS). Current's SB_MAX is
   * 2 MiB; 4.9's is read from socketvar.h 1.45 (2009), the newest pre-4.9 revision available.
   */
  readonly socketBufferMax: number;
  readonly routeOptions: ReadonlySet<number>;
  /** 4.9 announced every failed lookup as RTM_MISS. */
  readonly missOnLookupFailure: boolean;
  /** Route flag bits the dialect has (others are internal to the model). */
  readonly flagBits: number;
  readonly sdlSize: number;
  /** Netmask form in rebuilt messages: full sockaddr (current) or radix-trimmed (4.9). */
  readonly trimmedMasks: boolean;
  /** rtm_send / rt_missmsg carry IFP+IFA (current) or not (4.9). */
  readonly kernelRouteMsgHasIfp: boolean;
  /** RTM_IFINFO carries the interface's sockaddr_dl (current) or nothing (4.9). */
  readonly ifinfoHasIfp: boolean;
  /** The order table walks (dumps, route show/flush, purges) see: 4.9's radix tree or current's ART. */
  readonly walkOrder: WalkOrder;
  /**
   * in6_update_ifa refuses an IPv6 address's destination of another family: EAFNOSUPPORT on
   * point-to-point and loopback interfaces, EINVAL on others (current, in6.c 1.273); 4.9's
   * looks only at an AF_INET6 one and ignores the rest (in6.c 1.91).
   */
  readonly inet6DstaddrFamilyChecked: boolean;
  /**
   * An IPv6 address's connected route on a point-to-point interface clones (current
   * in6_ioctl_change_ifaddr adds RTF_CLONING on every interface); 4.9's nd6_prefix_onlink
   * clears RTF_CLONING where nd6_need_cache is false (nd6_rtr.c 1.33 to 1.95). The link-local
   * prefix in6_ifattach_linklocal adds never clones there, in either.
   */
  readonly p2pConnectedCloning: boolean;
  /**
   * Address routes (connected, point-to-point destination) take the interface's priority on
   * top of their class (current rt_ifa_add/rt_ifa_del); 4.9's rtinit used a fixed one.
   */
  readonly addressRoutesUseIfPriority: boolean;
  /** SIOCSIFLLPRIO exists (OpenBSD 6.1 on); 4.9's drivers answer it with ENOTTY. */
  readonly hasLlprio: boolean;
  /** gif(4) tunnel ioctls (src/kernel/tunnel.ts). */
  readonly tunnel: TunnelPolicy;
  /**
   * rtm_addr(RTM_CHGADDRATTR) when an IPv6 address's flags change: DAD's verdict (nd6_nbr.c
   * 1.165 nd6_dad_timer, nd6_dad_duplicated) and in6_update_ifa re-configuring a settled address
   * (in6.c 1.273). 4.9 has no such message type: its DAD (nd6_nbr.c of that era, 1.78 the
   * nearest stored) only changes the flags.
   */
  readonly addressAttributeMessages: boolean;
  /**
   * What SIOCAIFADDR_IN6 of an address the interface already has does to its ia6_flags:
   * `redo-dad` (in6.c 1.273 in6_update_ifa: the flags become the request's, and a tentative or
   * duplicated address becomes tentative again; nd6_dad_start runs for a tentative one, unless
   * DAD is running, and a settled one is announced) or `clear` (in6.c 1.91: the flags become the
   * request's, duplicated cleared; tentative is set for new addresses only, so a running DAD's
   * next timer finds the address settled and stops, unless the request asked for tentative).
   */
  readonly readdFlags: 'redo-dad' | 'clear';
  /**
   * in6_ifattach's multicast check (EINVAL): 4.9's refuses every interface without IFF_MULTICAST
   * (so 4.9's tun(4), IFF_POINTOPOINT alone, never gets IPv6 attached; in6_ifattach.c 1.87 still
   * has the check), current's only one that needs a neighbour cache (nd6_need_cache, 1.124).
   */
  readonly inet6NeedsMulticast: 'every' | 'neighbour-cache';
  /**
   * SIOCSIFRDOMAIN and the rdomains' loopbacks. 'if_setrdomain' (current; if.c if_createrdomain,
   * if_setrdomain; if_loop.c): a new rdomain gets lo<N> as its loopback, which can neither leave
   * it nor be destroyed while another interface is in it, and a move is if_down, in_ifdetach and
   * in6_ifdetach, then if_up. 'rt_if_remove' (4.9; if.c 1.237 ifioctl, if_loop.c
   * loop_clone_destroy): a new table becomes an rdomain of its own with no loopback made, a move
   * is rt_if_remove, in6_ifdetach with IFXF_NOINET6 set, and the IPv4 addresses taken off the
   * interface without a message or in_ifscrub, the interface staying up (no RTM_IFINFO); only
   * lo0 is refused destruction.
   */
  readonly rdomains: 'if_setrdomain' | 'rt_if_remove';
  /**
   * if_detach (SIOCIFDESTROY after its if_down). 'in_ifdetach' (current, if.c 1.741): if_remove
   * first, then in_ifdetach and in6_ifdetach purge every address (RTM_DELETE, RTM_DELADDR).
   * 'rt_if_remove' (4.9, if.c 1.237): rt_if_remove as SIOCSIFRDOMAIN's, in6_ifdetach, and only
   * then does the interface leave the list, its IPv4 addresses with it, without a message.
   */
  readonly ifDetach: 'in_ifdetach' | 'rt_if_remove';
  /**
   * The detach hook a vlan puts on its parent, run first in the parent's if_detach. 'down'
   * (current if_vlan.c vlan_ifdetach, a hook vlan_up adds): a running vlan is brought down
   * (vlan_down: IFF_RUNNING off and its link down, whose task announces it after the detach;
   * IFF_UP cleared without if_down) and loses its parent, as every vlan on it does (its
   * SIOCGIFPARENT then fails). 'destroy' (vlan_ifdetach of if_vlan.c's 2014 revision, the
   * nearest to 4.9's, whose if_detach says "Call detach hooks, ie. to remove vlan interfaces";
   * the hook vlan_config adds): the vlan is destroyed, vlan_clone_destroy's if_detach without
   * an if_down first.
   */
  readonly vlanParentDetach: 'down' | 'destroy';
  /** SIOCAIFADDR_IN6's ifra_flags and ifra_lifetime, and the timer that expires addresses (src/kernel/in6-lifetime.ts). */
  readonly inet6Addr: Inet6AddrPolicy;
  /** SIOCSIFFLAGS (if.c ifioctl) beyond IFF_UP. */
  readonly ifFlags: IfFlagsPolicy;
  /** SIOCSIFXFLAGS (if.c ifioctl). */
  readonly ifXflags: IfXflagsPolicy;
  /**
   * The interfaces SIOCIFCREATE can clone: the common kinds, then tun(4) as the dialect has it
   * and, in current, tap(4) (its own cloner in if_tun.c 1.183 and 1.252; 1.104, the nearest to
   * 4.9 stored, has none — `link0` turned a tun into layer-2 mode instead).
   */
  readonly interfaceKinds: readonly InterfaceKind[];
  replyShape(type: number): ReplyShape;
}

/**
 * How gif_ioctl handles tunnel endpoints: current if_gif.c 1.141 (gif_set_tunnel) or 4.9's
 * (the SIOCSLIFPHYADDR case if_gif.c kept from 1.40 to 1.70).
 */
export interface TunnelPolicy {
  /**
   * SIOCSLIFPHYADDR sets IFF_RUNNING and calls if_up (RTM_IFINFO) — 4.9; current's
   * gif_set_tunnel changes no flag, so ifioctl's rtm_ifchg has nothing to report.
   */
  readonly setBringsUp: boolean;
  /**
   * The pair another gif has (whole sockaddrs compared), or an unspecified destination when
   * another gif has one too, is EADDRNOTAVAIL (4.9's walk of gif_softc_list; current has none).
   */
  readonly uniquePairs: boolean;
  /** An unspecified or multicast source, or a multicast destination, is EINVAL (current). */
  readonly checksEndpoints: boolean;
  /**
   * A link-local IPv6 endpoint's sin6_scope_id is embedded in the address (in6_embedscope: ENXIO
   * for an index no interface has) and recovered on SIOCGLIFPHYADDR (current); 4.9 keeps the
   * sockaddr as given.
   */
  readonly embedsScope: boolean;
  /** SIOCSLIFPHYTTL, SIOCSLIFPHYDF, SIOCSLIFPHYECN and their getters (current); 4.9's gif has none. */
  readonly options: boolean;
}

/**
 * SIOCSIFFLAGS: current (if.c 1.7xx) sets the new flags, calls the driver, then if_up/if_down
 * when IFF_UP changed, and ends ifioctl with rtm_ifchg when any other flag changed; 4.9 (the
 * case as if.c 1.327, the nearest stored revision, still has it) called if_down/if_up first,
 * set the flags after, and announced nothing else.
 */
export interface IfFlagsPolicy {
  /** Flags the model lets SIOCSIFFLAGS set besides IFF_UP (IFF_STATICARP is current's only). */
  readonly settable: number;
  /** A change of the other flags sends RTM_IFINFO (rtm_ifchg). */
  readonly announced: boolean;
  /** The new flags are in place before if_up/if_down runs (so its RTM_IFINFO carries them). */
  readonly beforeUpDown: boolean;
}
/**
 * SIOCSIFXFLAGS: current (if.c 1.7xx) runs in6_ifattach when IFXF_AUTOCONF6 or AUTOCONF6TEMP
 * comes on while neither was set, brings a down interface up (forceup: SIOCSIFFLAGS's path, its
 * if_up announcing it) when an autoconf flag comes on, and announces any other change of the
 * flags (rtm_ifchg); 4.9 (if.c 1.237, the nearest stored revision) sets the word and sends
 * RTM_IFINFO (rt_ifmsg) whatever changed.
 */
export interface IfXflagsPolicy {
  /** The xflags the model lets the ioctl set and clear (others: EINVAL, not modelled). */
  readonly settable: number;
  /** Flags whose coming on, none of them set before, runs in6_ifattach first. */
  readonly attachInet6: number;
  /** Flags whose coming on brings a down interface up. */
  readonly forceUp: number;
  /** 'changed': RTM_IFINFO when the flags changed and if_up/if_down did not announce; 'always'. */
  readonly announce: 'changed' | 'always';
  /**
   * 4.9's IPv6 switch, IFXF_NOINET6 (0: none, as in current). Where the dialect has it (if.c
   * 1.237): if_up, and ifioctl once an ioctl brought IFF_UP on, run in6_if_up (in6_ifattach:
   * ::1 on a loopback, a link-local address) unless it is set; SIOCSIFXFLAGS setting it runs
   * in6_ifdetach, clearing it runs in6_if_up on an interface that is up; SIOCSIFRDOMAIN sets
   * it; SIOCAIFADDR_IN6 attaches nothing itself (current's in6_ioctl_change_ifaddr runs
   * in6_ifattach first). RTM_IFINFO carries it in ifm_xflags.
   */
  readonly noInet6: number;
  /**
   * Flags whose coming on needs an interface capability no modelled interface has (IFCAP_WOL,
   * IFCAP_LRO: ifsetlro): ENOTSUP, and the word is not assigned.
   */
  readonly needCapability: number;
  /** Flags ifioctl sets before those checks, which their error does not undo (current's NOSOII). */
  readonly setEarly: number;
}
/**
 * 4.9's SIOCSIFXFLAGS (if.c 1.237): the word assigned whole but IFXF_TXREADY; the model sets the
 * flags 4.9's if.h names (abi.md: no IFXF_WOL in 4.9). IFXF_MPLS, in a kernel built with
 * `option MPLS` (as the model takes it), switches the interface's output to mpls_output, which
 * the model has no use for: a plain flag. ifconfig.c 1.232 has no keyword for it.
 */
const IF_XFLAGS_49: IfXflagsPolicy = {
  settable: IFXF_INET6_PRIVACY_49 | IFXF_NOINET6_49 | IFXF_MPLS, attachInet6: 0, forceUp: 0, announce: 'always', noInet6: IFXF_NOINET6_49,
  needCapability: 0, setEarly: 0,
};
const IF_XFLAGS_CURRENT: IfXflagsPolicy = {
  settable: IFXF_AUTOCONF6TEMP | IFXF_AUTOCONF6 | IFXF_INET6_NOSOII | IFXF_AUTOCONF4 | IFXF_MONITOR | IFXF_MPLS | IFXF_WOL | IFXF_LRO,
  attachInet6: IFXF_AUTOCONF6 | IFXF_AUTOCONF6TEMP,
  forceUp: IFXF_AUTOCONF4 | IFXF_AUTOCONF6 | IFXF_AUTOCONF6TEMP,
  announce: 'changed',
  noInet6: 0,
  needCapability: IFXF_WOL | IFXF_LRO,
  setEarly: IFXF_INET6_NOSOII,
};

const IF_FLAGS_COMMON = IFF_DEBUG | IFF_NOARP | IFF_LINK0 | IFF_LINK1 | IFF_LINK2;
const IF_FLAGS_49: IfFlagsPolicy = { settable: IF_FLAGS_COMMON, announced: false, beforeUpDown: false };
const IF_FLAGS_CURRENT: IfFlagsPolicy = { settable: IF_FLAGS_COMMON | IFF_STATICARP, announced: true, beforeUpDown: true };

const TUNNEL_49: TunnelPolicy = { setBringsUp: true, uniquePairs: true, checksEndpoints: false, embedsScope: false, options: false };
const TUNNEL_CURRENT: TunnelPolicy = { setBringsUp: false, uniquePairs: false, checksEndpoints: true, embedsScope: true, options: true };

const CURRENT_INTERNAL_FLAGS = RTF_CACHED | RTF_LOCAL | RTF_BROADCAST | RTF_CONNECTED | RTF_MULTICAST;

function make(name: DialectName, arch: ArchName): DialectPolicy {
  const dialect = getDialect(name, arch);
  const rt = rtHeaderLayout(dialect);
  const sdlSize = dialect.structs['sockaddr_dl']!.size;
  if (name === 'openbsd-4.9') {
    return {
      name, dialect, rt, sdlSize,
      minWrite: 4,
      requestTypes: new Set([RTM_ADD, RTM_DELETE, RTM_GET, RTM_CHANGE, RTM_LOCK]),
      strictHdrlen: false,
      rejectLocalBroadcast: false,
      clearedFlags: 0,
      fmask: RTF_FMASK_49,
      priorityOneInvalid: false,
      strictSockaddrs: false,
      rtaxMax: 11,
      afMax: 35,
      genmaskInvalid: false,
      echoValidationErrors: true,
      lowWater: 0,
      socketBufferMax: 256 * 1024,
      routeOptions: new Set([ROUTE_MSGFILTER, ROUTE_TABLEFILTER]),
      missOnLookupFailure: true,
      flagBits: ~CURRENT_INTERNAL_FLAGS,
      trimmedMasks: true,
      kernelRouteMsgHasIfp: false,
      ifinfoHasIfp: false,
      walkOrder: 'radix',
      inet6DstaddrFamilyChecked: false,
      p2pConnectedCloning: false,
      addressRoutesUseIfPriority: false,
      hasLlprio: false,
      tunnel: TUNNEL_49,
      addressAttributeMessages: false,
      readdFlags: 'clear',
      inet6NeedsMulticast: 'every',
      rdomains: 'rt_if_remove',
      ifDetach: 'rt_if_remove',
      vlanParentDetach: 'destroy',
      inet6Addr: INET6_ADDR_49,
      ifFlags: IF_FLAGS_49,
      ifXflags: IF_XFLAGS_49,
      interfaceKinds: INTERFACE_KINDS_49,
      replyShape: (type) => (type === RTM_GET || type === RTM_DELETE ? 'msg2' : 'echo'),
    };
  }
  return {
    name, dialect, rt, sdlSize,
    minWrite: 6,
    requestTypes: new Set([RTM_ADD, RTM_DELETE, RTM_GET, RTM_CHANGE, RTM_PROPOSAL, RTM_SOURCE]),
    strictHdrlen: true,
    rejectLocalBroadcast: true,
    clearedFlags: RTF_DONE | RTF_CLONED | RTF_CACHED,
    fmask: RTF_FMASK_CURRENT,
    priorityOneInvalid: true,
    strictSockaddrs: true,
    rtaxMax: 15,
    afMax: 37,
    genmaskInvalid: true,
    echoValidationErrors: false,
    lowWater: 2 * MSIZE,
    socketBufferMax: 2 * 1024 * 1024,
    routeOptions: new Set([ROUTE_MSGFILTER, ROUTE_TABLEFILTER, ROUTE_PRIOFILTER, ROUTE_FLAGFILTER]),
    missOnLookupFailure: false,
    flagBits: 0xffffffff,
    trimmedMasks: false,
    kernelRouteMsgHasIfp: true,
    ifinfoHasIfp: true,
    walkOrder: 'art',
    inet6DstaddrFamilyChecked: true,
    p2pConnectedCloning: true,
    addressRoutesUseIfPriority: true,
    hasLlprio: true,
    tunnel: TUNNEL_CURRENT,
    addressAttributeMessages: true,
    readdFlags: 'redo-dad',
    inet6NeedsMulticast: 'neighbour-cache',
    rdomains: 'if_setrdomain',
    ifDetach: 'in_ifdetach',
    vlanParentDetach: 'down',
    inet6Addr: INET6_ADDR_CURRENT,
    ifFlags: IF_FLAGS_CURRENT,
    ifXflags: IF_XFLAGS_CURRENT,
    interfaceKinds: INTERFACE_KINDS_CURRENT,
    replyShape: () => 'report',
  };
}

const cache = new Map<string, DialectPolicy>();

export function dialectPolicy(name: DialectName, arch: ArchName): DialectPolicy {
  const key = `${name}/${arch}`;
  let p = cache.get(key);
  if (!p) cache.set(key, (p = make(name, arch)));
  return p;
}


