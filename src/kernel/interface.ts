/** Network interfaces (struct ifnet) and their addresses (struct ifaddr), as data. */
import {
  IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, IFF_POINTOPOINT, IFF_RUNNING, IFF_SIMPLEX, IFF_UP, IFT_ETHER, IFT_LOOP,
  LINK_STATE_DOWN, LINK_STATE_UNKNOWN, LINK_STATE_UP,
} from './constants.js';

const IFT_L2VLAN = 0x87;
import { prefixContains, type Family } from './sockaddr-bytes.js';

export interface IfAddr {
  readonly af: Family;
  readonly addr: Uint8Array;
  /** Prefix length (SIOCAIFADDR of an existing address may give it a new mask). */
  plen: number;
  /** Point-to-point destination or broadcast address, if any. */
  dstaddr: Uint8Array | undefined;
  readonly ifp: Interface;
}

/** What a clonable interface family looks like when created. */
export interface InterfaceKind {
  readonly prefix: string;
  readonly type: number;
  readonly flags: number;
  readonly mtu: number;
  readonly linkState: number;
  readonly hasLladdr: boolean;
}

export const INTERFACE_KINDS: readonly InterfaceKind[] = [
  { prefix: 'lo', type: IFT_LOOP, flags: IFF_LOOPBACK | IFF_MULTICAST, mtu: 32768, linkState: LINK_STATE_UNKNOWN, hasLladdr: false },
  { prefix: 'vether', type: IFT_ETHER, flags: IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST, mtu: 1500, linkState: LINK_STATE_UP, hasLladdr: true },
  // vlan(4): Ethernet-like; its link follows its parent (down until it has one).
  { prefix: 'vlan', type: IFT_L2VLAN, flags: IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST, mtu: 1500, linkState: LINK_STATE_DOWN, hasLladdr: true },
];

export class Interface {
  flags: number;
  xflags = 0;
  mtu: number;
  linkState: number;
  rdomain = 0;
  /** if_priority: added to RTP_STATIC / RTP_CONNECTED for this interface's routes. */
  priority = 0;
  rtlabel = '';
  readonly addrs: IfAddr[] = [];
  inet6Attached = false;
  /** `-inet6` given: no automatic IPv6 attachment. */
  noInet6 = false;
  /** vlan(4): virtual network id (-1 = none) and parent interface name ('' = none). */
  vnetid = -1;
  parent = '';

  constructor(readonly index: number, readonly name: string, readonly kind: InterfaceKind, public lladdr: Uint8Array) {
    this.flags = kind.flags;
    this.mtu = kind.mtu;
    this.linkState = kind.linkState;
  }

  get type(): number { return this.kind.type; }
  get isLoopback(): boolean { return (this.flags & IFF_LOOPBACK) !== 0; }
  get isPointToPoint(): boolean { return (this.flags & IFF_POINTOPOINT) !== 0; }
  get isUp(): boolean { return (this.flags & IFF_UP) !== 0; }
  /** LINK_STATE_IS_UP (current): UP or better, or UNKNOWN. */
  get linkIsUp(): boolean { return this.linkState >= LINK_STATE_UP || this.linkState === LINK_STATE_UNKNOWN; }
  /** Routes on this interface are usable. */
  get running(): boolean { return this.isUp && this.linkIsUp; }

  markUp(): void { this.flags |= IFF_UP | IFF_RUNNING; }
  markDown(): void { this.flags &= ~(IFF_UP | IFF_RUNNING); }

  /** The address of `af` whose subnet holds `addr`, else the first of that family (ifaof_ifpforaddr). */
  addressFor(af: Family, addr: Uint8Array | undefined): IfAddr | undefined {
    let first: IfAddr | undefined;
    for (const a of this.addrs) {
      if (a.af !== af) continue;
      first ??= a;
      if (addr && prefixContains(a.addr, a.plen, addr)) return a;
    }
    return first;
  }
}
