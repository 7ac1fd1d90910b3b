/** Network interfaces (struct ifnet) and their addresses (struct ifaddr), as data. */
import {
  IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, IFF_POINTOPOINT, IFF_RUNNING, IFF_SIMPLEX, IFF_UP, IFQ_DEFPRIO, IFT_ETHER, IFT_LOOP,
  LINK_STATE_DOWN, LINK_STATE_UNKNOWN, LINK_STATE_UP,
} from './constants.js';

import { bytesEqual, prefixContains, type Family } from './sockaddr-bytes.js';
import { GifTunnel } from './tunnel.js';

const IFT_L2VLAN = 0x87;
const IFT_GIF = 0xf0;

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
  /** ia6_flags of an IPv6 address (IN6_IFF_*: tentative while DAD runs, duplicated when it failed); unset = 0. */
  flags6?: number;
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
  /** SIOCSIFMTU bounds. */
  readonly mtuMin: number;
  readonly mtuMax: number;
  readonly linkState: number;
  readonly hasLladdr: boolean;
  /** SIOCGIFMEDIA answers (ifconfig prints `media:` and `status:`). */
  readonly hasMedia: boolean;
  readonly addressUp: AddressUp;
  /** The driver answers the tunnel ioctls (SIOCSLIFPHYADDR ...): gif(4). */
  readonly hasTunnel?: boolean;
}

const ETHER_LIKE = { mtu: 1500, mtuMin: 68, mtuMax: 9216, hasLladdr: true, hasMedia: true, addressUp: 'link-task' } as const;

export const INTERFACE_KINDS: readonly InterfaceKind[] = [
  {
    prefix: 'lo', type: IFT_LOOP, flags: IFF_LOOPBACK | IFF_MULTICAST, mtu: 32768, mtuMin: 68, mtuMax: 65535,
    linkState: LINK_STATE_UNKNOWN, hasLladdr: false, hasMedia: false, addressUp: 'if_up',
  },
  { prefix: 'vether', type: IFT_ETHER, flags: IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST, linkState: LINK_STATE_UP, ...ETHER_LIKE },
  // vlan(4): Ethernet-like; its link follows its parent (down until it has one).
  { prefix: 'vlan', type: IFT_L2VLAN, flags: IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST, linkState: LINK_STATE_DOWN, ...ETHER_LIKE },
  // gif(4) (gif_clone_create, gif_ioctl): GIF_MTU 1280 (1280..8192), no media, link state never set.
  {
    prefix: 'gif', type: IFT_GIF, flags: IFF_POINTOPOINT | IFF_MULTICAST, mtu: 1280, mtuMin: 1280, mtuMax: 8192,
    linkState: LINK_STATE_UNKNOWN, hasLladdr: false, hasMedia: false, addressUp: 'flags', hasTunnel: true,
  },
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
  readonly addrs: IfAddr[] = [];
  inet6Attached = false;
  /** `-inet6` given: no automatic IPv6 attachment. */
  noInet6 = false;
  /** vlan(4): virtual network id (-1 = none) and parent interface name ('' = none). */
  vnetid = -1;
  parent = '';
  /** gif(4): tunnel endpoints and parameters (src/kernel/tunnel.ts); freed with the softc on destroy. */
  readonly tunnel: GifTunnel | undefined;

  constructor(readonly index: number, readonly name: string, readonly kind: InterfaceKind, public lladdr: Uint8Array) {
    this.tunnel = kind.hasTunnel ? new GifTunnel() : undefined;
    this.flags = kind.flags;
    this.mtu = kind.mtu;
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
  markDown(): void { this.flags &= ~(IFF_UP | IFF_RUNNING); }

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
