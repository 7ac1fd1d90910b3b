/** Network interfaces (struct ifnet) and their addresses (struct ifaddr), as data. */
import {
  IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, IFF_POINTOPOINT, IFF_RUNNING, IFF_SIMPLEX, IFF_UP, IFQ_DEFPRIO, IFT_ETHER, IFT_LOOP,
  IFT_TUNNEL, LINK_STATE_DOWN, LINK_STATE_FULL_DUPLEX, LINK_STATE_UNKNOWN, LINK_STATE_UP, ETHERMIN, ETHERMTU, ETHER_MAX_HARDMTU_LEN,
  ETHERTYPE_QINQ, ETHERTYPE_VLAN,
} from './constants.js';

import { IFG_ALL } from './groups.js';
import { IF_HDRPRIO_OUTER, IF_HDRPRIO_PACKET, IF_HDRPRIO_PAYLOAD, type HdrPrioDriver } from './hdrprio.js';
import type { AddrLifetime } from './in6-lifetime.js';
import { bytesEqual, prefixContains, type Family } from './sockaddr-bytes.js';
import { GifTunnel } from './tunnel.js';

const IFT_GIF = 0xf0;
/** struct ifreq's ifr_mtu is an int. */
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

export interface IfAddr {
  readonly af: Family;
  readonly addr: Uint8Array;
  /** Prefix length (SIOCAIFADDR of an existing address may give it a new mask). */
  plen: number;
  /** Point-to-point destination or broadcast address, if any. */
  dstaddr: Uint8Array | undefined;
  readonly ifp: Interface;
  /**
   * IFA_ROUTE of an IPv6 address on a point-to-point interface: in6_ifinit added the host route
   * to its destination, so in6_purgeaddr and a new destination (in6_update_ifa) delete it.
   */
  destRoute?: boolean;
  /**
   * ia6_flags of an IPv6 address (IN6_IFF_*: tentative while DAD runs, duplicated when it failed,
   * deprecated past its preferred lifetime, and what SIOCAIFADDR_IN6 asked for); unset = 0.
   */
  flags6?: number;
  /** An IPv6 address's ia6_lifetime and ia6_updatetime; unset = infinite (addresses saved before lifetimes were kept). */
  lifetime?: AddrLifetime;
  /** An IPv6 address's place in in6_ifaddr (creation order), which 4.9's nd6_timer walks. */
  serial?: number;
  /**
   * ifa_metric: the interface's if_metric when in_ifinit / in6_ifinit last ran (ifam_metric of
   * the address's messages); unset = 0.
   */
  metric?: number;
}

/**
 * How the driver's SIOCSIFADDR brings a down interface up: `if_up` (lo(4): RTM_IFINFO, then
 * the address's routes), `link-task` (Ethernet-like: IFF_UP now, RTM_IFINFO and route tracking
 * from the link-state task after the ioctl) or `flags` (gif(4): IFF_UP|IFF_RUNNING set directly;
 * ifioctl sends no RTM_IFINFO when IFF_UP changed, and no route tracking runs).
 */
export type AddressUp = 'if_up' | 'link-task' | 'flags';

/** What a clonable interface family looks like when created. */
export interface InterfaceKind {
  readonly prefix: string;
  readonly type: number;
  readonly flags: number;
  readonly mtu: number;
  /**
   * SIOCSIFMTU bounds; for an Ethernet kind mtuMax is also its if_hardmtu (ether_ioctl's bound,
   * and what a vlan on it may use).
   */
  readonly mtuMin: number;
  readonly mtuMax: number;
  /** IFCAP_VLAN_MTU: a vlan on this interface may use all of its MTU (else EVL_ENCAPLEN less). */
  readonly vlanMtu?: boolean;
  /** 4.9's vlan_ioctl: SIOCSIFMTU needs a parent and is bounded by the parent's MTU, not a hard MTU. */
  readonly mtuFromParent?: boolean;
  /** vlan(4) and svlan(4): the Ethernet type of the tag (ETHERTYPE_VLAN, ETHERTYPE_QINQ). */
  readonly encap?: number;
  readonly linkState: number;
  readonly hasLladdr: boolean;
  /** SIOCGIFMEDIA answers (ifconfig prints `media:` and `status:`). */
  readonly hasMedia: boolean;
  readonly addressUp: AddressUp;
  /** The driver answers the tunnel ioctls (SIOCSLIFPHYADDR ...): gif(4). */
  readonly hasTunnel?: boolean;
  /**
   * if_up / if_down (with the driver's SIOCSIFFLAGS) leave IFF_RUNNING alone: 4.9's tun_ioctl
   * answers SIOCSIFFLAGS with tun_switch only, and 4.9's if_up / if_down change IFF_UP alone.
   */
  readonly upKeepsRunning?: boolean;
  /** A character device (/dev/tunN, /dev/tapN) drives the interface: tun(4), tap(4). */
  readonly device?: DeviceKind;
  /**
   * The driver's SIOCSIFFLAGS starts and stops it (current if_vlan.c vlan_up / vlan_down; see
   * src/kernel/vlan.ts): IFF_RUNNING, IFF_SIMPLEX and the link state are the driver's.
   */
  readonly vlanDriver?: boolean;
  /** ether_ifattach with no ether_fakeaddr before it: the link-layer address starts all zeros. */
  readonly zeroLladdr?: boolean;
  /**
   * The driver answers SIOCSTXHPRIO / SIOCSRXHPRIO and their getters (src/kernel/hdrprio.ts):
   * current's vlan, svlan and gif. Other drivers, and every driver of 4.9, have no such case.
   */
  readonly hdrPrio?: HdrPrioDriver;
}

/** What opening and closing an interface's character device does to it (tun(4), tap(4)). */
export interface DeviceKind {
  /** tun_link_state's state while the device is open. */
  readonly openLinkState: number;
  /**
   * How the open brings the interface up: `if_up` (4.9: IFF_RUNNING, tun_link_state, then
   * if_up, RTM_IFINFO each) or `flags` (current: IFF_UP|IFF_RUNNING set directly, then
   * tun_link_state).
   */
  readonly openUp: 'if_up' | 'flags';
  /** The flags the close clears directly: IFF_RUNNING (4.9) or IFF_UP|IFF_RUNNING (current). */
  readonly closeClears: number;
  /**
   * The close takes the link down before (4.9) or instead of (current) destroying an interface
   * the open created.
   */
  readonly closeLinkDownFirst: boolean;
  /** SIOCGIFMEDIA runs tun_link_state first (4.9's tun_media_status), so a status query settles the link. */
  readonly mediaSettlesLink: boolean;
  /**
   * Destroying the interface while its device is open revokes the device (current
   * tun_clone_destroy: TUN_DEAD, VOP_REVOKE, whose vclean runs tun_dev_close on the dead tun and
   * leaves the process's descriptor on a dead vnode), or leaves the descriptor on the device
   * with no softc behind it (4.9's tun_clone_destroy closes nothing).
   */
  readonly destroyRevokes: boolean;
  /**
   * An open that clones a missing interface puts it in the opening process's rdomain (current
   * tun_dev_open: if_clone_create(name, rtable_l2(ps_rtableid)), which then calls if_setrdomain
   * and ignores its error); 4.9's tunopen calls if_clone_create(name): rdomain 0.
   */
  readonly clonesInOpenerRdomain: boolean;
}

/**
 * ether_ifattach's MTU (ETHERMTU), and ether_ioctl's SIOCSIFMTU bounds: ETHERMIN up to the
 * driver's if_hardmtu (the kind's mtuMax; ETHERMTU when the driver sets none).
 */
const ETHER_LIKE = { mtu: ETHERMTU, mtuMin: ETHERMIN, mtuMax: ETHERMTU, hasLladdr: true, hasMedia: true, addressUp: 'link-task' } as const;

/** loioctl sets any MTU it is given (no bounds, 4.9's if_loop.c and current's 1.103 alike). */
const LOOPBACK: InterfaceKind = {
  prefix: 'lo', type: IFT_LOOP, flags: IFF_LOOPBACK | IFF_MULTICAST, mtu: 32768, mtuMin: INT32_MIN, mtuMax: INT32_MAX,
  linkState: LINK_STATE_UNKNOWN, hasLladdr: false, hasMedia: false, addressUp: 'if_up',
};

/**
 * vether(4) of 4.9 (if_vether.c 1.13, the stored revision of that spring's 1.15): IFCAP_VLAN_MTU
 * and no if_hardmtu, so ether_ifattach's ETHERMTU bounds SIOCSIFMTU.
 */
const VETHER_49: InterfaceKind = {
  prefix: 'vether', type: IFT_ETHER, flags: IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST, linkState: LINK_STATE_UP, ...ETHER_LIKE,
  vlanMtu: true,
};

/** vether(4) of current (if_vether.c 1.39): if_hardmtu ETHER_MAX_HARDMTU_LEN, IFCAP_VLAN_MTU. */
const VETHER_CURRENT: InterfaceKind = { ...VETHER_49, mtuMax: ETHER_MAX_HARDMTU_LEN };

/**
 * vlan(4) of 4.9, from the revisions either side of it in the sources (if_vlan.c 1.63, 2006, and
 * 1.113, 2015, alike here): Ethernet (ether_ifattach sets IFT_ETHER and nothing overrides it);
 * its link follows its parent (down until it has one). SIOCSIFMTU needs a parent and takes
 * ETHERMIN up to the parent's MTU, less EVL_ENCAPLEN for a parent without IFCAP_VLAN_MTU.
 */
const VLAN_49: InterfaceKind = {
  prefix: 'vlan', type: IFT_ETHER, flags: IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST, linkState: LINK_STATE_DOWN, ...ETHER_LIKE,
  encap: ETHERTYPE_VLAN, mtuFromParent: true,
};

/**
 * vlan(4) of current (if_vlan.c 1.222 vlan_clone_create): IFF_BROADCAST|IFF_MULTICAST, an
 * all-zero address (ether_ifattach, no ether_fakeaddr), LINK_STATE_DOWN and if_hardmtu 0xffff
 * (SIOCSIFMTU's bound until vlan_up takes its parent's). IFF_SIMPLEX, IFF_RUNNING and the link
 * come with vlan_up; if_up and if_down change IFF_UP alone. No IFCAP_VLAN_MTU: a vlan on a
 * vlan has EVL_ENCAPLEN less than its parent's if_hardmtu.
 */
export const VLAN_CURRENT: InterfaceKind = {
  ...VLAN_49, flags: IFF_BROADCAST | IFF_MULTICAST, mtuMax: 0xffff, mtuFromParent: false,
  upKeepsRunning: true, vlanDriver: true, zeroLladdr: true,
  // vlan_clone_create: sc_txprio IF_HDRPRIO_PACKET, sc_rxprio IF_HDRPRIO_OUTER; vlan_ioctl's l2 checks.
  hdrPrio: { layer: 'l2', tx: IF_HDRPRIO_PACKET, rx: IF_HDRPRIO_OUTER },
};

/**
 * svlan(4) of current: the same driver and cloner function (vlan_clone_create) under the name
 * "svlan", tagging with ETHERTYPE_QINQ (IEEE 802.1ad), its tags in a table of their own: a vlan
 * and an svlan may carry one tag on one parent (vlan_inuse compares the type too).
 */
export const SVLAN_CURRENT: InterfaceKind = { ...VLAN_CURRENT, prefix: 'svlan', encap: ETHERTYPE_QINQ };

// gif(4) (gif_clone_create, gif_ioctl): GIF_MTU 1280 (1280..8192), no media, link state never set.
const GIF: InterfaceKind = {
  prefix: 'gif', type: IFT_GIF, flags: IFF_POINTOPOINT | IFF_MULTICAST, mtu: 1280, mtuMin: 1280, mtuMax: 8192,
  linkState: LINK_STATE_UNKNOWN, hasLladdr: false, hasMedia: false, addressUp: 'flags', hasTunnel: true,
};

/**
 * gif(4) of current (if_gif.c 1.141): gif_clone_create starts both header priorities at
 * IF_HDRPRIO_PAYLOAD (the inner IP header's TOS), and gif_ioctl takes what the l3 checks do.
 */
const GIF_CURRENT: InterfaceKind = { ...GIF, hdrPrio: { layer: 'l3', tx: IF_HDRPRIO_PAYLOAD, rx: IF_HDRPRIO_PAYLOAD } };

/**
 * if_xflags as the kernel keeps it: the model's word plus, where the dialect has 4.9's IPv6
 * switch (`noInet6Flag`, 0 in current), IFXF_NOINET6 from `Interface.noInet6`.
 */
export function xflagsWord(ifp: Interface, noInet6Flag: number): number {
  return ifp.xflags | (ifp.noInet6 ? noInet6Flag : 0);
}

/** The kind of `<prefix><unit>` among `kinds`, if any. */
export function kindNamed(kinds: readonly InterfaceKind[], name: string): InterfaceKind | undefined {
  return kinds.find((k) => name.startsWith(k.prefix) && /^\d+$/.test(name.slice(k.prefix.length)));
}

const TUN_MTU = { mtu: 1500, mtuMin: 46, mtuMax: 16384 } as const;

/**
 * tun(4) of 4.9, from if_tun.c 1.104 (2010-01; 4.9's own revision is not stored, and the
 * driver's create/open/close/ioctl paths are the same from 1.99 to it): IFF_POINTOPOINT alone,
 * MTU ETHERMTU (SIOCSIFMTU ETHERMIN..TUNMRU), link state never set until the device is opened
 * (LINK_STATE_UNKNOWN), SIOCGIFMEDIA answered (Ethernet autoselect), tuninit sets
 * IFF_UP|IFF_RUNNING on SIOCSIFADDR. No tap(4): `link0` re-created the tun in layer-2 mode.
 */
export const TUN_49: InterfaceKind = {
  prefix: 'tun', type: IFT_TUNNEL, flags: IFF_POINTOPOINT, ...TUN_MTU, linkState: LINK_STATE_UNKNOWN,
  hasLladdr: false, hasMedia: true, addressUp: 'flags', upKeepsRunning: true,
  device: {
    openLinkState: LINK_STATE_UP, openUp: 'if_up', closeClears: IFF_RUNNING, closeLinkDownFirst: true, mediaSettlesLink: true,
    destroyRevokes: false, clonesInOpenerRdomain: false,
  },
};

/** tun_create's device behaviour in current if_tun.c 1.252 (tun_dev_open, tun_dev_close, tun_clone_destroy). */
const DEVICE_CURRENT: DeviceKind = {
  openLinkState: LINK_STATE_FULL_DUPLEX, openUp: 'flags', closeClears: IFF_UP | IFF_RUNNING, closeLinkDownFirst: false,
  mediaSettlesLink: false, destroyRevokes: true, clonesInOpenerRdomain: true,
};

/**
 * tun(4) of current (if_tun.c 1.252 tun_create): IFF_POINTOPOINT|IFF_MULTICAST, LINK_STATE_DOWN
 * until opened, no SIOCGIFMEDIA (tun_ioctl: ENOTTY); SIOCSIFADDR sets IFF_UP, and IFF_RUNNING
 * follows IFF_UP.
 */
export const TUN_CURRENT: InterfaceKind = {
  prefix: 'tun', type: IFT_TUNNEL, flags: IFF_POINTOPOINT | IFF_MULTICAST, ...TUN_MTU, linkState: LINK_STATE_DOWN,
  hasLladdr: false, hasMedia: false, addressUp: 'flags', device: DEVICE_CURRENT,
};

/**
 * tap(4) of current (tun_create with TUN_LAYER2): Ethernet (ether_ifattach, ether_fakeaddr),
 * IFF_BROADCAST|IFF_SIMPLEX|IFF_MULTICAST, LINK_STATE_DOWN until opened; tun_ioctl takes
 * SIOCSIFADDR and SIOCSIFMTU before ether_ioctl, which answers no SIOCGIFMEDIA.
 */
export const TAP_CURRENT: InterfaceKind = {
  prefix: 'tap', type: IFT_ETHER, flags: IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST, ...TUN_MTU, linkState: LINK_STATE_DOWN,
  hasLladdr: true, hasMedia: false, addressUp: 'flags', device: DEVICE_CURRENT,
};

/** The cloners of each dialect, in attach order (SIOCIFGCLONERS lists them last first). */
export const INTERFACE_KINDS_49: readonly InterfaceKind[] = [LOOPBACK, VETHER_49, VLAN_49, GIF, TUN_49];
export const INTERFACE_KINDS_CURRENT: readonly InterfaceKind[] = [
  LOOPBACK, VETHER_CURRENT, VLAN_CURRENT, SVLAN_CURRENT, GIF_CURRENT, TUN_CURRENT, TAP_CURRENT,
];

export class Interface {
  flags: number;
  xflags = 0;
  mtu: number;
  linkState: number;
  rdomain = 0;
  /** if_priority: added to RTP_STATIC / RTP_CONNECTED for this interface's routes. */
  priority = 0;
  /** if_llprio: priority of the interface's own link-layer packets (IFQ_DEFPRIO until SIOCSIFLLPRIO). */
  llprio = IFQ_DEFPRIO;
  /** ifconfig rtlabel: the label the interface's address routes take ('' = none) and the id the interface holds a reference on (if_rtlabelid). */
  rtlabel = '';
  rtlabelId = 0;
  /** if_description (SIOCSIFDESCR; '' = none). */
  description = '';
  /** if_metric (SIOCSIFMETRIC): ifi_metric of RTM_IFINFO; the addresses configured from now on take it. */
  metric = 0;
  /** if_groups in list order: `all`, the cloner's, then those added (src/kernel/groups.ts). */
  readonly groups: string[];
  readonly addrs: IfAddr[] = [];
  inet6Attached = false;
  /** `-inet6` given: no automatic IPv6 attachment. */
  noInet6 = false;
  /** vlan(4): virtual network id (-1 = none) and parent interface name ('' = none). */
  vnetid = -1;
  parent = '';
  /** gif(4): tunnel endpoints and parameters (src/kernel/tunnel.ts); freed with the softc on destroy. */
  readonly tunnel: GifTunnel | undefined;
  /**
   * The softc's header priorities (sc_txprio / sc_rxprio of a vlan, sc_txhprio / sc_rxhprio of
   * a gif), where the driver has them (InterfaceKind.hdrPrio).
   */
  readonly hdrPrio: { tx: number; rx: number } | undefined;
  /**
   * tun(4)/tap(4): the character device is open (TUN_OPEN; current: sc_dev set), and whether
   * the interface outlives its close (TUN_STAYUP: false when the open created it).
   */
  deviceOpen = false;
  stayUp = true;
  /** vlan(4)'s IFVF_LLADDR: an address was set (SIOCSIFLLADDR), so the parent's is not taken. */
  lladdrFixed = false;
  /** if_hardmtu: the kind's, but a running vlan's is what vlan_up took from its parent. */
  hardMtu: number;

  constructor(readonly index: number, readonly name: string, readonly kind: InterfaceKind, public lladdr: Uint8Array) {
    this.tunnel = kind.hasTunnel ? new GifTunnel() : undefined;
    this.hdrPrio = kind.hdrPrio ? { tx: kind.hdrPrio.tx, rx: kind.hdrPrio.rx } : undefined;
    // if_attachsetup's IFG_ALL, then if_clone_create's cloner name.
    this.groups = [IFG_ALL, kind.prefix];
    this.flags = kind.flags;
    this.mtu = kind.mtu;
    this.hardMtu = kind.mtuMax;
    this.linkState = kind.linkState;
  }

  get type(): number { return this.kind.type; }
  get isLoopback(): boolean { return (this.flags & IFF_LOOPBACK) !== 0; }
  get isPointToPoint(): boolean { return (this.flags & IFF_POINTOPOINT) !== 0; }
  /**
   * Ethernet-like: neighbours are resolved (ARP / ND), so its routes carry RTF_LLINFO L2 state;
   * loopback and point-to-point interfaces route straight to an address instead.
   */
  get hasNeighbours(): boolean { return !this.isLoopback && !this.isPointToPoint; }
  get isUp(): boolean { return (this.flags & IFF_UP) !== 0; }
  /** LINK_STATE_IS_UP (current): UP or better, or UNKNOWN. */
  get linkIsUp(): boolean { return this.linkState >= LINK_STATE_UP || this.linkState === LINK_STATE_UNKNOWN; }
  /** Routes on this interface are usable. */
  get running(): boolean { return this.isUp && this.linkIsUp; }

  markUp(): void { this.flags |= IFF_UP | IFF_RUNNING; }
  /** The flags if_up / if_down change (InterfaceKind.upKeepsRunning). */
  get upFlags(): number { return this.kind.upKeepsRunning ? IFF_UP : IFF_UP | IFF_RUNNING; }

  /**
   * The address of `af` whose subnet holds `addr` (on a point-to-point interface: that is the
   * address or its destination), else the first of that family (ifaof_ifpforaddr).
   */
  addressFor(af: Family, addr: Uint8Array | undefined): IfAddr | undefined {
    let first: IfAddr | undefined;
    const p2p = this.isPointToPoint;
    for (const a of this.addrs) {
      if (a.af !== af) continue;
      first ??= a;
      if (!addr) continue;
      if (p2p ? bytesEqual(a.addr, addr) || (a.dstaddr !== undefined && bytesEqual(a.dstaddr, addr)) : prefixContains(a.addr, a.plen, addr)) return a;
    }
    return first;
  }
}
