/**
 * The machinery of the kernel model tests (model-ifaddr, model-change, model-inet6,
 * model-rdomain, model-destroy, model-attrs, model-dual, model-tun): the universe (V4: two
 * Ethernet-like interfaces; V6: those and lo0; their candidate addresses, destinations, gateways, hosts and
 * RTA_IFA addresses; D4/D6: both on one set of interfaces; P4/P6: V4/V6 with a point-to-point gif0;
 * T4/T6: the same with a tun0 instead, whose character device is opened and closed; A4/A6: V4/V6
 * with a tap0),
 * the random operations (interface destroy and re-creation, labels, interface labels through
 * SIOCSIFRTLABEL, RTA_IFP/RTA_IFA, RTM_SOURCE, link-layer gateways among them), one step run
 * on both the kernel and the reference model (model-reference.ts), and the properties comparing
 * them after every step (agreesWithModel; agreesWithDual with an IPv4 and an IPv6 model).
 *
 * Checked after each step: the errno, the messages a listener received (type, destination,
 * gateway, flags, priority, a current reply's Use, whether a current kernel message has IFP,
 * current's RTA_IFA, the label; RTM_NEWADDR/DELADDR by interface and address; RTM_IFANNOUNCE;
 * RTM_SOURCE's echo), the table (walk
 * order, flags, priority, Refs, Use, MTU and its lock, label, interface and address), the labels
 * the kernel counts, and lookups. RTM_IFINFO's number is open (§F.3), so only the IFF_UP of the
 * last one is checked — with IFF_RUNNING and the link state on a tun, whose device operations
 * are checked for every RTM_IFINFO they send; a tun's flags, link state and device are compared
 * after every step too.
 */
import fc from 'fast-check';
import {
  AF_ROUTE, IFF_RUNNING, IFF_UP, ROUTE_TABLEFILTER, RTABLE_ANY, RTF_ANNOUNCE, RTF_CACHED, RTF_GATEWAY, RTF_HOST, RTF_LLINFO, RTF_MPATH, RTF_STATIC, RTF_UP,
  RTM_ADD, RTM_CHANGE, RTM_CHGADDRATTR, RTM_DELADDR, RTM_DELETE, RTM_GET, RTM_IFANNOUNCE, RTM_IFINFO, RTM_MISS, RTM_NEWADDR, RTM_SOURCE, RTP_ANY,
  RTP_LOCAL, RTP_MASK, RTP_STATIC, RTV_MTU,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import { encodeMessage } from '../../src/codec/message.js';
import type { RouteInfo } from '../../src/kernel/route-info.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { decode, errnoOf, inet, inet6, routeMsg, type DialectArg } from './helpers.js';
import {
  INET, INET6, UGS, bootDual, bootModel, bootModel6, gwFam, hex, ifinfoText, isAddressGw, labelText, type Addr, type Fam, type Ifnet, type Model,
  type Named, type Route,
} from './model-reference.js';

/** Steps per sequence: long enough to configure both interfaces and still route through them. */
const MAX_STEPS = 25;

// ------------------------------------------------------------------ the universe

/** What a model test plays with: one address family, its interfaces, addresses, routes and hosts. */
export interface Universe {
  fam: Fam;
  /** Interfaces (lo* is the kernel's lo0, the others are created). */
  ifnames: readonly string[];
  /** Candidate interface addresses (CIDR). */
  addresses: readonly string[];
  /** RTM_ADD/DELETE/GET/CHANGE destinations (CIDR). */
  destinations: readonly string[];
  /** Gateways as route(8) sends them (scope embedded). */
  gateways: readonly string[];
  /** RTM_CHANGE's gateways: also one no route covers (ENETUNREACH from address selection). */
  changeGateways: readonly string[];
  /** Lookups (scope embedded). */
  hosts: readonly string[];
  /**
   * RTA_IFA candidates (scope embedded): the addresses and hosts above — local or not, of this
   * interface or another — and, for model-dual, those of the other family.
   */
  ifas: readonly string[];
  boot(d: DialectArg, ifs: Ifnet[]): Model;
}

/**
 * IPv4: two addresses share 10.0.1/24 (multipath connected routes); 10.0.1.9/32 sits inside it.
 * Static destinations: covering, sharing the covering one's address (10.0.0.0/24: 4.9's radix
 * walk lists it before 10.0.0.0/8, ART after), equal to a connected prefix, equal to a clone or
 * local route, outside. Gateways: a host to clone, an address that may be local, a host on the other subnet.
 */
export const V4: Universe = {
  fam: INET,
  ifnames: ['vether0', 'vether1'],
  addresses: ['10.0.1.1/24', '10.0.1.2/24', '10.0.2.1/24', '10.0.1.9/32'],
  destinations: ['10.0.0.0/8', '10.0.0.0/24', '10.0.1.0/24', '10.0.1.5/32', '10.0.1.9/32', '192.0.2.0/24'],
  gateways: ['10.0.1.5', '10.0.1.9', '10.0.2.5'],
  changeGateways: ['10.0.1.5', '10.0.1.9', '10.0.2.5', '172.16.0.1'],
  hosts: ['10.0.1.5', '10.0.1.7', '10.0.1.9', '10.0.2.5', '10.0.3.1'],
  ifas: ['10.0.1.1', '10.0.1.2', '10.0.2.1', '10.0.1.9', '10.0.1.5', '10.0.1.7', '10.0.2.5', '10.0.3.1'],
  boot: bootModel,
};

/**
 * IPv4 with a point-to-point interface beside the vethers: gif0 (index 4), whose addresses
 * (P2P_ADDRESSES, or the vethers' by configure) may have a destination (P2P_DESTS: one outside
 * everything, one a vether host, one a vether gateway). Destinations, gateways, hosts and RTA_IFA
 * candidates add gif0's: 10.0.5.0/24 (a host request names 10.0.5.1, the destination), the
 * destination as gateway (ifa_ifwithdstaddr with RTF_GATEWAY), gif0's address.
 */
export const P2P_ADDRESSES = ['10.0.5.2/32', '10.0.5.2/24', '10.0.1.9/32'] as const;
export const P2P_DESTS = ['10.0.5.1', '10.0.1.5', '10.0.2.5'] as const;
export const P4: Universe = {
  ...V4,
  ifnames: ['vether0', 'vether1', 'gif0'],
  addresses: [...V4.addresses, '10.0.5.2/32'],
  destinations: [...V4.destinations, '10.0.5.0/24'],
  gateways: [...V4.gateways, '10.0.5.1'],
  changeGateways: [...V4.changeGateways, '10.0.5.1'],
  hosts: [...V4.hosts, '10.0.5.1', '10.0.5.2'],
  ifas: [...V4.ifas, '10.0.5.2', '10.0.5.1'],
};

/** What p2pOps draws for a point-to-point interface of a universe's family. */
export interface P2pSet {
  /** Its addresses: a /32 or /128 (a destination fits), a wider one, a vether's. */
  addresses: readonly string[];
  /** Destinations for them (none a quarter of the time): outside everything, a vether host, a vether gateway, maybe a link-local one. */
  dests: readonly string[];
  /** Gateways of static routes via a destination (ifa_ifwithdstaddr with RTF_GATEWAY). */
  gateways: readonly string[];
  /** Interface routes to a destination (RTF_HOST: ifa_ifwithdstaddr of the destination) and their address gateways. */
  ifRoutes: readonly string[];
  ifGateways: readonly string[];
  /** Lookups: the destinations and the interface's address. */
  hosts: readonly string[];
}

export const P2P4: P2pSet = {
  addresses: P2P_ADDRESSES,
  dests: P2P_DESTS,
  gateways: P2P_DESTS,
  ifRoutes: ['10.0.5.0/24', '10.0.1.5/32', '10.0.2.5/32'],
  ifGateways: ['10.0.5.2', '10.0.1.1', '10.0.5.1', '10.0.3.1'],
  hosts: [...P2P_DESTS, '10.0.5.2'],
};

/**
 * IPv6 on vether0 (index 2), vether1 (3) and lo0 (1): two addresses share 2001:db8:1::/64, a
 * /128 inside it, a /56 beside it; destinations: the default, covering /32 and /48, equal to
 * the connected /64, a clone or a local /128, outside; gateways: on-link hosts (cloned), an
 * address that may be local, link-local hosts of either vether, one nothing covers; hosts: in
 * the connected /64s (cloned), local, link-local (fe80::/64 per interface clones too), outside.
 * Every prefix length is a multiple of 4: ART's IPv6 strides are 4, so walk order is address
 * order, a covering prefix first (§A.12).
 */
export const V6: Universe = {
  fam: INET6,
  ifnames: ['vether0', 'vether1', 'lo0'],
  addresses: ['2001:db8:1::1/64', '2001:db8:1::2/64', '2001:db8:1::9/128', '2001:db8:2::1/56'],
  destinations: ['::/0', '2001:db8::/32', '2001:db8:1::/64', '2001:db8:1::5/128', '2001:db8:1::9/128', '2001:db8:2::/48', '2001:db8:ff::/48'],
  gateways: ['2001:db8:1::5', '2001:db8:1::9', '2001:db8:2::5', 'fe80:2::5', 'fe80:3::5'],
  changeGateways: ['2001:db8:1::5', 'fe80:2::5', '2001:db8:2::5', '2001:db8:9::1'],
  hosts: ['2001:db8:1::5', '2001:db8:1::7', '2001:db8:1::9', '2001:db8:2:1::5', 'fe80:2::5', 'fe80:3::7', '2001:db8:3::1'],
  ifas: [
    '2001:db8:1::1', '2001:db8:1::2', '2001:db8:1::9', '2001:db8:2::1', '2001:db8:1::5', '2001:db8:1::7', '2001:db8:2:1::5',
    'fe80:2::5', 'fe80:3::7', '2001:db8:3::1', '::1', 'fe80:1::1', 'fe80:2::fce1:baff:fed0:2', 'fe80:3::fce1:baff:fed0:3',
  ],
  boot: bootModel6,
};

/**
 * IPv6 with a point-to-point gif0 (index 4) beside V6's interfaces: its addresses (a /128, the
 * same address as a /64 — with a destination EINVAL, without one a connected route that clones
 * in current, not in 4.9 — or a vether's /128) may have a destination (P2P6: outside everything,
 * a vether host, a vether gateway, or fe80::1, which takes gif0's scope). gif0 has no
 * link-layer address: its link-local address borrows the first vether's identifier (in
 * attach order; a random one when none is left). Destinations, gateways, hosts and RTA_IFA
 * candidates add gif0's, as P4 does.
 */
export const P2P6: P2pSet = {
  addresses: ['2001:db8:5::2/128', '2001:db8:5::2/64', '2001:db8:1::9/128'],
  dests: ['2001:db8:5::1', '2001:db8:1::5', '2001:db8:2::5', 'fe80::1'],
  gateways: ['2001:db8:5::1', '2001:db8:1::5', '2001:db8:2::5'],
  ifRoutes: ['2001:db8:5::/48', '2001:db8:1::5/128', '2001:db8:2::5/128'],
  ifGateways: ['2001:db8:5::2', '2001:db8:1::1', '2001:db8:5::1', '2001:db8:3::1'],
  hosts: ['2001:db8:5::1', '2001:db8:1::5', '2001:db8:2::5', '2001:db8:5::2', '2001:db8:5::7'],
};
export const P6: Universe = {
  ...V6,
  ifnames: ['vether0', 'vether1', 'lo0', 'gif0'],
  addresses: [...V6.addresses, '2001:db8:5::2/128'],
  destinations: [...V6.destinations, '2001:db8:5::/48'],
  gateways: [...V6.gateways, '2001:db8:5::1'],
  changeGateways: [...V6.changeGateways, '2001:db8:5::1'],
  hosts: [...V6.hosts, '2001:db8:5::1', '2001:db8:5::2', '2001:db8:5::7'],
  ifas: [...V6.ifas, '2001:db8:5::2', '2001:db8:5::1'],
};

/**
 * P4 and P6 with tun0 (tun(4), point-to-point like gif0, same index and values: P2P4, P2P6) in
 * gif0's place. Its routes follow its link as well as IFF_UP (§E.5), and the link follows its
 * character device (devOps): 4.9's tun starts with the link UNKNOWN (up), current's DOWN, so
 * there its routes are down until the device is opened.
 */
export const T4: Universe = { ...P4, ifnames: ['vether0', 'vether1', 'tun0'] };
export const T6: Universe = { ...P6, ifnames: ['vether0', 'vether1', 'lo0', 'tun0'] };

/**
 * V4 and V6 with tap0 (tap(4), current only) after their interfaces: Ethernet-like as the
 * vethers (their addresses, ARP and ND; an lladdr, so an EUI-64 link-local fe80:4::…:4), but
 * its link follows its character device (devOps): DOWN until opened, so its routes are down
 * until then; and its SIOCSIFADDR (tun_ioctl) sets IFF_UP|IFF_RUNNING itself, no link-state task.
 */
export const A4: Universe = { ...V4, ifnames: ['vether0', 'vether1', 'tap0'] };
export const A6: Universe = {
  ...V6,
  ifnames: ['vether0', 'vether1', 'lo0', 'tap0'],
  gateways: [...V6.gateways, 'fe80:4::5'],
  hosts: [...V6.hosts, 'fe80:4::7'],
  ifas: [...V6.ifas, 'fe80:4::fce1:baff:fed0:4'],
};

const RTF_REJECT = 0x8, RTF_BLACKHOLE = 0x1000, RTF_PROTO2 = 0x4000, RTF_PROTO1 = 0x8000;
/**
 * The flags RTM_CHANGE may toggle (RTF_FMASK, §A.1 and abi.md): rtm_fmask is cut to it before
 * anything else (§A.3 row 11). 4.9's lacks RTF_LLINFO.
 */
const FMASK: Record<DialectArg, number> = { 'openbsd-4.9': 0x8f808, openbsd: 0x110fc08 };
/**
 * RTM_CHANGE flag requests as (rtm_flags bits, rtm_fmask): set or clear what RTF_FMASK allows,
 * and bits outside it (UP, GATEWAY, HOST), which must change nothing.
 */
const TOGGLES: readonly { flags: number; fmask: number }[] = [
  { flags: 0, fmask: 0 },
  { flags: RTF_BLACKHOLE, fmask: RTF_BLACKHOLE },
  { flags: 0, fmask: RTF_BLACKHOLE | RTF_REJECT },
  { flags: RTF_REJECT, fmask: RTF_REJECT },
  { flags: RTF_PROTO1 | RTF_PROTO2, fmask: RTF_PROTO1 | RTF_PROTO2 },
  { flags: RTF_PROTO2, fmask: RTF_PROTO1 | RTF_PROTO2 },
  { flags: 0, fmask: RTF_STATIC },
  { flags: 0, fmask: RTF_LLINFO },
  { flags: 0, fmask: RTF_UP | RTF_GATEWAY | RTF_HOST },
];

// ------------------------------------------------------------------ reading the kernel

const TYPE_NAMES: Record<number, string> = {
  [RTM_ADD]: 'ADD', [RTM_DELETE]: 'DELETE', [RTM_CHANGE]: 'CHANGE', [RTM_GET]: 'GET', [RTM_MISS]: 'MISS',
};

function plenOf(f: Fam, sa: { addr?: string } | undefined): number {
  if (!sa?.addr) return f.bits;
  const m = f.parse(sa.addr);
  let n = 0;
  while (n < f.bits && ((m >> BigInt(f.bits - 1 - n)) & 1n) !== 0n) n++;
  return n;
}

/** An inet/inet6 sockaddr as the model writes addresses: the scope after `%`. */
const saText = (sa: Record<string, unknown> | undefined) => `${String(sa?.['addr'])}${sa?.['scope_id'] ? `%${String(sa['scope_id'])}` : ''}`;

function gwText(sa: Record<string, unknown> | undefined): string {
  if (!sa) return '-';
  if (sa['kind'] === 'inet' || sa['kind'] === 'inet6') return saText(sa);
  if (sa['kind'] === 'link') return sa['lladdr'] ? String(sa['lladdr']) : `link#${String(sa['index'])}`;
  return JSON.stringify(sa);
}

export interface Decoded {
  type: number; tableid: number; flags: number; priority: number; errno: number; index: number; seq: number;
  rmx?: { pksent: bigint };
  /** RTM_IFANNOUNCE's. */
  name?: string; what?: number;
  sockaddrs: Record<string, Record<string, unknown>>;
}

/**
 * A received message (not RTM_IFINFO, checked apart) as the model writes it. `nameOf` names an
 * interface index, also one destroyed since.
 */
export function fmtMessage(d: DialectArg, fam: Fam, nameOf: (index: number) => string | undefined, m: Decoded): string {
  const sa = m.sockaddrs;
  // The route's family (model-dual mixes both): its destination's.
  const kind = sa?.['dst']?.['kind'];
  const f = kind === 'inet6' ? INET6 : kind === 'inet' ? INET : fam;
  const ifname = () => nameOf(m.index) ?? `#${m.index}`;
  switch (m.type) {
    case RTM_NEWADDR: return `NEWADDR ${ifname()} ${saText(sa['ifa'])}`;
    case RTM_DELADDR: return `DELADDR ${ifname()} ${saText(sa['ifa'])}`;
    case RTM_CHGADDRATTR: return `CHGADDRATTR ${ifname()} ${saText(sa['ifa'])}`;
    case RTM_IFANNOUNCE: return `IFANNOUNCE ${String(m.name)} what=${String(m.what)}`;
    case RTM_SOURCE: return `SOURCE ${saText(sa['ifa'])} flags=${hex(m.flags)}`;
    default: {
      const type = TYPE_NAMES[m.type] ?? `type${m.type}`;
      const dst = saText(sa['dst']);
      if (m.type === RTM_MISS || m.errno !== 0) return `${type} ${dst} errno=${m.errno}`;
      const p = d === 'openbsd' ? ` prio=${m.priority}` : '';
      // A current reply (rtm_report, seq set) carries the route's Use as rmx_pksent.
      const use = d === 'openbsd' && m.seq !== 0 ? ` use=${String(m.rmx?.pksent)}` : '';
      // A current kernel message (seq 0) with IFP: rtm_send leaves it out for a detached interface.
      const ifp = d === 'openbsd' && m.seq === 0 && sa['ifp'] ? ' ifp' : '';
      // And the route's address (RTA_IFA: rt_ifa's, of either family; no preferred source is set
      // here), in current's kernel messages and rtm_report replies alike.
      const ifa = d === 'openbsd' && sa['ifa'] ? ` ifa=${saText(sa['ifa'])}` : '';
      const label = sa['label'] ? ` label=${String(sa['label']['label'])}` : '';
      return `${type} ${dst}/${plenOf(f, sa['netmask'] as { addr?: string })} gw=${gwText(sa['gateway'])} flags=${hex(m.flags)}${p}${use}${ifp}${ifa}${label}`;
    }
  }
}

const mtuText = (mtu: number, locks: number) => `mtu=${mtu}${locks & RTV_MTU ? 'L' : ''}`;

/**
 * A route in the table check, with its interface and address: routes on two addresses of one
 * interface part when one address is purged (rt_ifa_purge), so a divergence shows where it starts.
 */
export const modelText = (m: Model, r: Route) =>
  `${m.f.fmt(r.key)}/${r.plen} gw=${r.gw} flags=${hex(r.flags)} prio=${r.prio & RTP_MASK} refs=${m.refs(r)} use=${r.use} ${mtuText(r.mtu, r.locks)} ${r.ifa.ifp.name} ${r.ifa.f.fmt(r.ifa.addr)}${labelText(r.label)}`;

export const infoText = (r: RouteInfo) =>
  `${r.dst}/${r.plen} gw=${r.gateway} flags=${hex(r.flags)} prio=${r.priority} refs=${r.refs} use=${r.use} ${mtuText(r.mtu, r.locks)} ${r.ifname} ${r.ifa}${labelText(r.label)}`;

/** expect() only on a mismatch: matchers are costly and a fuzz run makes thousands of checks. */
export function agree<T>(where: string, what: string, got: T, want: T): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) expect({ where, what, got }).toEqual({ where, what, got: want });
}

// ------------------------------------------------------------------ operations

const prio = fc.constantFrom(0, RTP_STATIC, 32);
/**
 * An index into what the model holds when the step runs (its routes, its configured addresses),
 * so that deletes, GETs and CHANGEs find something; small values are the likeliest.
 */
export const pick = fc.oneof(fc.nat(3), fc.nat(31));
const toggle = fc.nat(TOGGLES.length - 1);
/** RTV_MTU in rtm_inits, with or without its lock, or no metrics at all. */
const mtu = fc.option(fc.record({ value: fc.constantFrom(0, 1400, 1500), lock: fc.boolean() }), { nil: undefined, freq: 3 });
const ifIndex = (u: Universe) => fc.integer({ min: 0, max: u.ifnames.length - 1 });
const configure = (u: Universe) => fc.record({ kind: fc.constant('addaddr' as const), i: ifIndex(u), a: fc.constantFrom(...u.addresses) });

export type Weighted<T> = { weight: number; arbitrary: fc.Arbitrary<T> };
export const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>): Weighted<T> => ({ weight, arbitrary });

/** Interfaces, addresses, RTM_ADD/DELETE/GET and lookups: the operations of model-ifaddr. */
export const ifaddrOps = (u: Universe) => [
  w(2, fc.record({ kind: fc.constantFrom('up' as const, 'down' as const), i: ifIndex(u) })),
  w(2, configure(u)),
  w(1, fc.record({ kind: fc.constant('deladdr' as const), pick })),
  // `ifconfig X -inet` (SIOCIFAFDETACH for AF_INET) or, in IPv6 universes, `-inet6`.
  w(1, fc.record({ kind: fc.constant('afdetach' as const), i: ifIndex(u) })),
  // `ifconfig X A alias` of a configured IPv4 address, no mask: nothing happens (needinit 0).
  w(1, fc.record({ kind: fc.constant('restate' as const), pick })),
  w(4, fc.record({ kind: fc.constant('add' as const), dst: fc.constantFrom(...u.destinations), gw: fc.constantFrom(...u.gateways), prio, mp: fc.boolean() })),
  w(1, fc.record({
    kind: fc.constant('delete' as const), dst: fc.constantFrom(...u.destinations), masked: fc.boolean(),
    gw: fc.option(fc.constantFrom(...u.gateways), { nil: undefined }), prio,
  })),
  w(2, fc.record({ kind: fc.constant('delpick' as const), pick, masked: fc.boolean(), gw: fc.boolean(), prio: fc.boolean() })),
  w(1, fc.record({ kind: fc.constant('get' as const), dst: fc.constantFrom(...u.destinations), masked: fc.boolean(), prio })),
  w(1, fc.record({ kind: fc.constant('getpick' as const), pick, masked: fc.boolean(), prio: fc.boolean() })),
  w(3, fc.record({ kind: fc.constant('lookup' as const), host: fc.constantFrom(...u.hosts) })),
] as const;

/**
 * RTM_CHANGE by destination (which may name nothing, or a multipath set), and of a route the
 * model holds (half the time one of its gateway routes, the usual target), named by its prefix
 * or not, by its gateway or not, by its priority or not; each with a new gateway or none, a flag
 * request and maybe an MTU.
 */
export const changeOps = (u: Universe) => [
  w(3, fc.record({
    kind: fc.constant('change' as const), dst: fc.constantFrom(...u.destinations), masked: fc.boolean(),
    gw: fc.option(fc.constantFrom(...u.changeGateways), { nil: undefined }), prio, toggle, mtu,
  })),
  w(4, fc.record({
    kind: fc.constant('changepick' as const), pick, gatewayRoute: fc.boolean(), masked: fc.boolean(), prio: fc.boolean(),
    gw: fc.constantFrom('none' as const, 'same' as const, ...u.changeGateways), toggle, mtu,
  })),
] as const;

/**
 * `ifconfig X destroy` (if_clone_destroy: down, addresses purged, departure) and `ifconfig X
 * create` (EEXIST while it exists; a destroyed one comes back with a new index).
 */
export const ifaceOps = (u: Universe, weight = 1) => [
  w(weight, fc.record({ kind: fc.constant('destroy' as const), i: ifIndex(u) })),
  w(weight, fc.record({ kind: fc.constant('create' as const), i: ifIndex(u) })),
] as const;

/** Label texts: two names and the empty one (no label on RTM_ADD, removal on RTM_CHANGE). */
const LABELS = ['red', 'blue', ''] as const;
/** A link-layer gateway's MAC (arp -s). */
const LINK_MAC = '00:00:5e:00:53:01';
/** Interface indexes no interface has: one never handed out, and 0 (route(8)'s `-ifp` of an unknown name). */
const NO_INDEX = [99, 0] as const;

/**
 * RTA_IFA: a candidate address (`Universe.ifas`), or a number: the address at that position
 * (modulo) among those configured on the interfaces, of the other family when there is one
 * (model-dual) and any, else of the route's (viaOf): a local address, often another interface's.
 */
const ifaArb = (u: Universe) => fc.option(fc.oneof(fc.constantFrom(...u.ifas), fc.nat(15)), { nil: undefined });

/**
 * RTA_IFP and RTA_IFA, each present or not: an interface of the universe (or an index none has:
 * `ifp` past the names) and an address (ifaArb).
 */
const via = (u: Universe) => fc.record({
  ifp: fc.option(fc.nat(u.ifnames.length + NO_INDEX.length - 1), { nil: undefined }),
  ifa: ifaArb(u),
});

/**
 * Route attributes: RTM_ADD with RTA_LABEL (or without) and RTA_IFP / RTA_IFA (rtm_getifa),
 * and RTM_CHANGE of a route the model holds (as changeOps' changepick) with RTA_IFP, RTA_IFA
 * and RTA_LABEL, each present or not.
 */
export const attrOps = (u: Universe) => [
  w(3, fc.record({
    kind: fc.constant('add' as const), dst: fc.constantFrom(...u.destinations), gw: fc.constantFrom(...u.gateways), prio, mp: fc.boolean(),
    label: fc.option(fc.constantFrom(...LABELS), { nil: undefined }),
    via: fc.option(via(u), { nil: undefined, freq: 2 }),
  })),
  w(5, fc.record({
    kind: fc.constant('changepick' as const), pick, gatewayRoute: fc.boolean(), masked: fc.boolean(), prio: fc.boolean(),
    gw: fc.constantFrom('none' as const, 'same' as const, ...u.changeGateways), toggle, mtu,
    via: fc.record({
      ifp: fc.option(fc.nat(u.ifnames.length + NO_INDEX.length - 1), { nil: undefined }),
      ifa: ifaArb(u),
      label: fc.option(fc.constantFrom(...LABELS), { nil: undefined }),
    }),
  })),
] as const;

/**
 * model-dual: RTM_ADD, and RTM_CHANGE of a gateway route the model holds, given as RTA_IFA an
 * address configured on some interface — of the other family when there is one — with or
 * without RTA_IFP: routes of one family on an address of the other (see `viaOf`).
 */
export const crossOps = (u: Universe) => [
  w(3, fc.record({
    kind: fc.constant('add' as const), dst: fc.constantFrom(...u.destinations), gw: fc.constantFrom(...u.gateways), prio, mp: fc.boolean(),
    label: fc.constant(undefined),
    via: fc.record({ ifp: fc.option(fc.nat(u.ifnames.length + NO_INDEX.length - 1), { nil: undefined, freq: 3 }), ifa: fc.nat(15) }),
  })),
  w(2, fc.record({
    kind: fc.constant('changepick' as const), pick, gatewayRoute: fc.constant(true), masked: fc.boolean(), prio: fc.boolean(),
    gw: fc.constantFrom('none' as const, 'same' as const, ...u.changeGateways), toggle: fc.constant(0), mtu: fc.constant(undefined),
    via: fc.record({
      ifp: fc.option(fc.nat(u.ifnames.length + NO_INDEX.length - 1), { nil: undefined, freq: 3 }), ifa: fc.nat(15), label: fc.constant(undefined),
    }),
  })),
  // Delete the address of a route whose address is of the other family (`none` when no route has one).
  w(2, fc.record({ kind: fc.constant('delcross' as const), pick })),
] as const;

/**
 * Interface routes (route(8) `-iface`, `-link`, arp(8) `-s`): RTM_ADD without RTF_GATEWAY, host
 * (RTF_HOST: no netmask) or not, published (RTF_ANNOUNCE) or not, via a link-layer gateway — an
 * interface's sdl_index (or one none has), with a MAC or without — or an address, with RTA_IFP
 * and RTA_IFA or not: rtm_output's RTF_LLINFO and route_arp_conflict, ifa_ifwithroute's AF_LINK
 * branch (if_get(sdl_index)'s address for the destination) and ifa_ifwithaddr branch, RTA_IFP's
 * ifaof_ifpforaddr of a link-layer address (none), the interface's route hook (ARP/ND state, the
 * gateway's sdl_index rewritten).
 */
export const linkOps = (u: Universe) => [
  w(3, fc.record({
    kind: fc.constant('addif' as const), dst: fc.constantFrom(...u.destinations), host: fc.boolean(), announce: fc.boolean(), prio, mp: fc.boolean(),
    gw: fc.oneof(
      { weight: 3, arbitrary: fc.record({ link: fc.nat(u.ifnames.length + NO_INDEX.length - 1), mac: fc.boolean() }) },
      { weight: 1, arbitrary: fc.constantFrom(...u.ifas) },
    ),
    via: fc.option(via(u), { nil: undefined, freq: 2 }),
  })),
] as const;

/**
 * RTM_CHANGE to a link-layer gateway (route(8) `change ... -link`, arp-style): of a route the
 * model holds (half the time a gateway route), to an interface's sdl_index (or one none has),
 * with a MAC or without, with RTA_IFP/RTA_IFA or not: rtm_output's RTF_LLINFO in the request
 * flags (toggled in only through rtm_fmask), newgate compared whole (the index too),
 * rtm_getifa's AF_LINK branch, rt_setgate installing it, rt_setgwroute's ENOENT for a gateway
 * route (the gateway stays), the route hook's ARP/ND state for the others.
 */
export const changeLinkOps = (u: Universe) => [
  w(3, fc.record({
    kind: fc.constant('changelink' as const), pick, gatewayRoute: fc.boolean(), masked: fc.boolean(), prio: fc.boolean(),
    link: fc.record({ link: fc.nat(u.ifnames.length + NO_INDEX.length - 1), mac: fc.boolean() }), toggle, mtu,
    via: fc.option(via(u), { nil: undefined, freq: 3 }),
  })),
] as const;

/**
 * model-dual: gateways of the other family (`gws`): RTM_ADD of an IPv4 route via an IPv6 next hop
 * and the reverse (rtm_getifa's ifa_ifwithroute resolves the gateway in its own family's table and
 * swaps the address for one of the destination's family on that interface, ifaof_ifpforaddr;
 * rt_setgwroute resolves and caches it there), RTM_CHANGE to such a gateway (by destination, or
 * of a gateway route the model holds), RTM_DELETE naming one.
 */
export const foreignGwOps = (u: Universe, gws: readonly string[]) => [
  // With rtm_inits' MTU (set after rtrequest; on a cached route, RTM_CHANGE's metrics and locks).
  w(3, fc.record({ kind: fc.constant('add' as const), dst: fc.constantFrom(...u.destinations), gw: fc.constantFrom(...gws), prio, mp: fc.boolean(), mtu })),
  w(1, fc.record({
    kind: fc.constant('change' as const), dst: fc.constantFrom(...u.destinations), masked: fc.boolean(),
    gw: fc.option(fc.constantFrom(...gws), { nil: undefined }), prio, toggle, mtu,
  })),
  w(2, fc.record({
    // 'none': an MTU for a gateway route, kept or reset when its next hop is invalidated.
    kind: fc.constant('changepick' as const), pick, gatewayRoute: fc.constant(true), masked: fc.boolean(), prio: fc.boolean(),
    gw: fc.oneof(fc.constant('none' as const), fc.constantFrom(...gws)), toggle: fc.constant(0), mtu,
  })),
  w(1, fc.record({
    kind: fc.constant('delete' as const), dst: fc.constantFrom(...u.destinations), masked: fc.boolean(),
    gw: fc.option(fc.constantFrom(...gws), { nil: undefined }), prio,
  })),
  // RTM_DELETE of a cached next hop (invalidated, not deleted): the MTU of the gateway routes
  // using it is reset in its own family only (route_cleargateway's walk).
  w(4, fc.record({ kind: fc.constant('delcached' as const), pick })),
] as const;

/**
 * `ifconfig X rtlabel L` / `-rtlabel` (SIOCSIFRTLABEL): the label rt_ifa_add gives the routes it
 * makes for the interface's addresses from then on (routes already there keep theirs).
 */
export const rtlabelOps = (u: Universe, weight = 1) => [
  w(weight, fc.record({ kind: fc.constant('rtlabel' as const), i: ifIndex(u), label: fc.constantFrom('green', 'red', '') })),
] as const;

/**
 * `ifconfig X priority N` (SIOCSIFPRIORITY): the if_priority routes made for the interface from
 * then on take (RTM_ADD's default, current's address routes); 0..15, else EINVAL.
 */
export const ifprioOps = (u: Universe, weight = 1) => [
  w(weight, fc.record({ kind: fc.constant('ifprio' as const), i: ifIndex(u), prio: fc.constantFrom(0, 0, 3, 15, 16) })),
] as const;

/**
 * IPv4 addresses on a loopback (`ifconfig lo0 inet A/n alias`; `i`: its position among the
 * model's interfaces): in_ifinit gives it the local route only (no prefix, no broadcast route),
 * none when a local route of another interface already holds the address (rt_ifa_addlocal's
 * check): one inside a vether's prefix, equal to a vether's address, to a host that may be
 * cloned, and outside everything.
 */
export const LOOPBACK4 = ['10.0.1.9/32', '10.0.1.1/24', '10.0.1.5/32', '10.0.3.1/24', '192.0.2.1/32'] as const;
export const loopbackOps = (u: Universe, i: number, weight = 2) => [
  w(weight, fc.record({ kind: fc.constant('addaddr' as const), i: fc.constant(i), a: fc.constantFrom(...LOOPBACK4) })),
  // Routes via a loopback address (the next hop its local route, on lo: gateway the address,
  // MTU 32768) and lookups of loopback addresses and of their (routeless) prefixes.
  w(1, fc.record({
    kind: fc.constant('add' as const), dst: fc.constantFrom(...u.destinations), gw: fc.constantFrom('127.0.0.1', '10.0.3.1', '192.0.2.1'), prio,
    mp: fc.boolean(),
  })),
  w(1, fc.record({ kind: fc.constant('lookup' as const), host: fc.constantFrom('127.0.0.1', '10.0.3.1', '10.0.3.7', '192.0.2.1') })),
] as const;

/**
 * RTM_SOURCE (current only; `route sourceaddr`): the table's preferred source set to an address of
 * the universe's family — configured or not (EINVAL, silent) — or cleared with the unspecified
 * address. Current's route messages then carry it as RTA_IFA; rt_ifa_del forgets it with the address.
 */
export const sourceOps = (u: Universe, weight = 2) => [
  w(weight, fc.record({
    kind: fc.constant('source' as const),
    a: fc.constantFrom(...u.ifas.filter((x) => gwFam(x) === u.fam && !x.includes('%')), u.fam === INET ? '0.0.0.0' : '::'),
  })),
] as const;

/**
 * Point-to-point (gif(4) at position `i` of the universe's interfaces, `p` its values):
 * `ifconfig gifN A/n D` — an address with a destination (in_ifinit / in6_ifinit: the local
 * route without LLINFO, the destination's host route; a new destination for an address it has
 * moves it; IPv6: a /128 only) or without; routes via the destination (ifa_ifwithroute with
 * RTF_GATEWAY: ifa_ifwithdstaddr of the gateway) and host routes to it without RTF_GATEWAY
 * (RTF_HOST: ifa_ifwithdstaddr of the destination), via an address or a link-layer gateway,
 * with RTA_IFP/RTA_IFA or not.
 */
export const p2pOps = (u: Universe, i: number, p: P2pSet = P2P4) => [
  w(3, fc.record({
    kind: fc.constant('addaddr' as const), i: fc.constant(i), a: fc.constantFrom(...p.addresses),
    dest: fc.option(fc.constantFrom(...p.dests), { nil: undefined, freq: 4 }),
  })),
  w(2, fc.record({ kind: fc.constant('add' as const), dst: fc.constantFrom(...u.destinations), gw: fc.constantFrom(...p.gateways), prio, mp: fc.boolean() })),
  w(2, fc.record({
    kind: fc.constant('addif' as const), dst: fc.constantFrom(...p.ifRoutes), host: fc.constant(true),
    announce: fc.constant(false), prio, mp: fc.boolean(),
    gw: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...p.ifGateways) },
      { weight: 1, arbitrary: fc.record({ link: fc.nat(u.ifnames.length + NO_INDEX.length - 1), mac: fc.boolean() }) },
    ),
    via: fc.option(via(u), { nil: undefined, freq: 3 }),
  })),
  w(1, fc.record({ kind: fc.constant('lookup' as const), host: fc.constantFrom(...p.hosts) })),
] as const;

/**
 * tun(4)'s or tap(4)'s character device (at position `i`): open(2) and close(2) of /dev/tunN — EBUSY
 * while open, ENXIO unless open; the open of a destroyed tun clones it and the close then
 * destroys it, so the tun itself is destroyed often enough to get there — and SIOCGIFMEDIA
 * (`ifconfig tunN`), whose 4.9 answer settles the link. Now and then the device of another
 * interface, which no driver has (ENXIO).
 */
export const devOps = (u: Universe, i: number, weight = 2) => [
  w(weight, fc.record({ kind: fc.constantFrom('devopen' as const, 'devclose' as const), i: fc.constant(i) })),
  w(1, fc.record({ kind: fc.constantFrom('devopen' as const, 'devclose' as const), i: ifIndex(u) })),
  w(1, fc.record({ kind: fc.constant('media' as const), i: fc.constant(i) })),
  w(1, fc.record({ kind: fc.constant('destroy' as const), i: fc.constant(i) })),
] as const;

/** `ifconfig X inet6` (in6_ifattach: a link-local address if the interface has none). */
export const inet6Ops = (u: Universe) => [w(1, fc.record({ kind: fc.constant('inet6' as const), i: ifIndex(u) }))] as const;

export const IFADDR_OPS = ifaddrOps(V4);
export const CHANGE_OPS = changeOps(V4);

type ArbValue<A> = A extends Weighted<infer T> ? T : never;
export type Op = ArbValue<ReturnType<typeof ifaddrOps>[number]> | ArbValue<ReturnType<typeof changeOps>[number]>
  | ArbValue<ReturnType<typeof inet6Ops>[number]> | ArbValue<ReturnType<typeof ifaceOps>[number]>
  | ArbValue<ReturnType<typeof attrOps>[number]> | ArbValue<ReturnType<typeof rtlabelOps>[number]>
  | ArbValue<ReturnType<typeof ifprioOps>[number]>
  | ArbValue<ReturnType<typeof crossOps>[number]> | ArbValue<ReturnType<typeof foreignGwOps>[number]>
  | ArbValue<ReturnType<typeof linkOps>[number]> | ArbValue<ReturnType<typeof sourceOps>[number]>
  | ArbValue<ReturnType<typeof p2pOps>[number]> | ArbValue<ReturnType<typeof changeLinkOps>[number]>
  | ArbValue<ReturnType<typeof devOps>[number]>;

/** Sequences of the given operations, a few addresses first, so that most route through something. */
export function sequences(u: Universe, ops: readonly Weighted<Op>[]): fc.Arbitrary<Op[]> {
  return fc.tuple(fc.array(configure(u), { minLength: 1, maxLength: 3 }), fc.array(fc.oneof(...ops), { maxLength: MAX_STEPS }))
    .map(([first, rest]): Op[] => [...first, ...rest]);
}

// ------------------------------------------------------------------ the property

function setup(d: DialectArg, u: Universe): { k: Kernel; s: RoutingSocket; model: Model } {
  const k = createKernel({ dialect: d });
  const ifs = modelInterfaces(k, u.ifnames);
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  const model = u.boot(d, ifs);
  // Indexes are handed out in creation order and never reused (if_idxmap_alloc).
  model.nextIndex = Math.max(...ifs.map((x) => x.index)) + 1;
  return { k, s, model };
}

/**
 * The model's view of the universe's interfaces: lo* is the kernel's (up since boot), the others
 * are created; gif* and tun* are point-to-point (the model makes tun* tuns). (model-rdomain's
 * interfaces too.)
 */
export function modelInterfaces(k: Kernel, names: readonly string[]): Ifnet[] {
  return names.map((name) => {
    const loopback = name.startsWith('lo');
    const ifp = loopback ? k.interfaceByIndex(k.ifconfig.indexOf(name))! : k.ifconfig.create(name);
    return { name, index: ifp.index, mac: macOf(ifp.lladdr), up: loopback, addrs: [], loopback, p2p: /^(gif|tun)\d/.test(name) };
  });
}

const macOf = (lladdr: Uint8Array) => Array.from(lladdr, (b) => b.toString(16).padStart(2, '0')).join(':');

interface RouteRequest extends Named {
  type: 'RTM_DELETE' | 'RTM_GET' | 'RTM_CHANGE';
  prio: number;
  toggle?: number;
  mtu?: { value: number; lock: boolean } | undefined;
  /** RTA_IFP's sdl_index and the interface it names (null: none). */
  ifp?: { index: number; ifnet: Ifnet | null } | undefined;
  /** RTA_IFA (of either family). */
  ifa?: Addr | undefined;
  /** A link-layer RTA_GATEWAY (`gw` is then its text: a MAC or link#N): its sockaddr and sdl_index. */
  link?: { sa: Record<string, unknown>; index: number } | undefined;
}

/** An address text (`%N` scope) of either family. */
const addrOf = (text: string): Addr => {
  const f = text.includes(':') ? INET6 : INET;
  return { f, addr: f.parse(text) };
};
/** A request's RTA_IFP and RTA_IFA as the model and the wire see them (see `via`). */
function viaOf(model: Model, v: { ifp?: number | undefined; ifa?: string | number | undefined }): { ifp?: { index: number; ifnet: Ifnet | null }; ifa?: Addr } {
  const out: { ifp?: { index: number; ifnet: Ifnet | null }; ifa?: Addr } = {};
  if (v.ifp !== undefined) {
    const ifnet = model.ifs[v.ifp];
    out.ifp = ifnet ? { index: ifnet.index, ifnet: ifnet.gone ? null : ifnet } : { index: NO_INDEX[v.ifp - model.ifs.length] ?? NO_INDEX[0], ifnet: null };
  }
  if (typeof v.ifa === 'string') out.ifa = addrOf(v.ifa);
  else if (v.ifa !== undefined) {
    const configured = (f: Fam) => model.ifs.flatMap((ifp) => ifp.addrs.filter((a) => a.f === f));
    const other = model.families().filter((m) => m !== model).flatMap((m) => configured(m.f));
    const pool = other.length > 0 ? other : configured(model.f);
    const a = pool[v.ifa % Math.max(pool.length, 1)];
    if (a) out.ifa = { f: a.f, addr: a.addr };
  }
  return out;
}
/** RTA_IFP / RTA_IFA sockaddrs for routeMsg. */
function viaSockaddrs(v: { ifp?: { index: number } | undefined; ifa?: Addr | undefined }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v.ifp) out['ifp'] = { kind: 'link', index: v.ifp.index, type: 6, name: '', lladdr: '' };
  if (v.ifa !== undefined) out['ifa'] = v.ifa.f === INET6 ? inet6(v.ifa.f.wire(v.ifa.addr)) : inet(v.ifa.f.wire(v.ifa.addr));
  return out;
}
const viaText = (v: { ifp?: { index: number } | undefined; ifa?: Addr | undefined }) =>
  `${v.ifp ? ` ifp=#${v.ifp.index}` : ''}${v.ifa === undefined ? '' : ` ifa=${v.ifa.f.fmt(v.ifa.addr)}`}`;

/**
 * Runs one step on both sides: the kernel's and the model's outcome (errno, or a lookup's
 * answer), and the step as run (picks resolved).
 */
export function step(d: DialectArg, u: Universe, k: Kernel, s: RoutingSocket, model: Model, o: Op, seq: number, table = 0): { got: string; want: string; desc: string } {
  const f = u.fam;
  const cidr = (c: string): [bigint, number] => {
    const [a, l] = c.split('/') as [string, string];
    return [f.parse(a), Number(l)];
  };
  /** A gateway (of either family: model-dual draws the other's too) as the model and the kernel's listings write it. */
  const gwOf = (gw: string) => gwFam(gw).fmt(gwFam(gw).parse(gw));
  const write = (m: Uint8Array) => String(errnoOf(() => s.write(m)));
  const request = (r: RouteRequest) => {
    const t = TOGGLES[r.toggle ?? 0]!;
    // route(8)'s flags for a gateway route, less what the flag request clears, plus what it sets.
    const flags = r.type === 'RTM_GET' ? 0 : (UGS & ~t.fmask) | t.flags;
    const sockaddrs: Record<string, unknown> = viaSockaddrs(r);
    if (r.label !== undefined) sockaddrs['label'] = { kind: 'label', label: r.label };
    if (r.link) sockaddrs['gateway'] = r.link.sa;
    const inetGw = r.gw && !r.link ? { gw: gwFam(r.gw).wire(gwFam(r.gw).parse(r.gw)) } : {};
    const got = write(routeMsg(d, {
      type: r.type, dst: f.wire(r.key), ...(r.plen === undefined ? {} : { plen: r.plen }), ...inetGw,
      flags, priority: r.prio, seq, tableid: table, sockaddrs,
      extra: { fmask: t.fmask, inits: r.mtu ? RTV_MTU : 0, rmx: { mtu: r.mtu?.value ?? 0, locks: r.mtu?.lock ? RTV_MTU : 0 } },
    }));
    let want: number;
    // Priority 1 is the kernel's own: current refuses it before anything is sent (§A.3 row 12).
    if (d === 'openbsd' && r.prio === RTP_LOCAL) want = ERRNO.EINVAL;
    else {
      const p = r.prio === 0 ? RTP_ANY : r.prio;
      if (r.type === 'RTM_DELETE') want = model.rtmDelete(r.key, r.plen, r.gw, p);
      else if (r.type === 'RTM_GET') want = model.rtmGet(r.key, r.plen, p);
      else {
        // rtm_output: an AF_LINK gateway (RTF_CLONING not requested) adds RTF_LLINFO to rtm_flags.
        const reqFlags = r.link ? flags | RTF_LLINFO : flags;
        want = model.rtmChange({ ...r, prio: p, flags: reqFlags, fmask: t.fmask & FMASK[d], mtu: r.mtu, ifp: r.ifp?.ifnet, linkIndex: r.link?.index });
      }
    }
    const via = `${viaText(r)}${r.label === undefined ? '' : ` label=${r.label}`}`;
    const extra = r.type === 'RTM_CHANGE' ? ` flags=${hex(flags)} fmask=${hex(t.fmask)}${r.mtu ? ` mtu=${r.mtu.value}${r.mtu.lock ? 'L' : ''}` : ''}${via}` : '';
    return {
      got, want: String(want),
      desc: `${r.type} ${f.fmt(r.key)}${r.plen === undefined ? '' : `/${r.plen}`} gw=${r.gw ?? '-'} prio=${r.prio}${extra}`,
    };
  };
  /** A route the model holds, as a request naming it (or part of it). */
  const picked = (type: RouteRequest['type'], n: number, masked: boolean, gw: boolean, prio: boolean, gatewayRoutes = false): RouteRequest => {
    const all = model.walk();
    const gateways = gatewayRoutes ? all.filter((x) => x.flags & RTF_GATEWAY) : [];
    const from = gateways.length > 0 ? gateways : all;
    const r = from[n % from.length]!;
    const inetGw = isAddressGw(r.gw) ? r.gw : undefined;
    return { type, key: r.key, plen: masked ? r.plen : undefined, gw: gw ? inetGw : undefined, prio: prio ? r.prio & RTP_MASK : 0 };
  };
  // An interface operation on a destroyed interface: the kernel API's ENOENT stands for
  // ifioctl's ENXIO; the model does not follow it there.
  if ((o.kind === 'up' || o.kind === 'down' || o.kind === 'addaddr' || o.kind === 'inet6' || o.kind === 'rtlabel' || o.kind === 'ifprio' || o.kind === 'afdetach'
    || o.kind === 'media') && model.ifs[o.i]!.gone) {
    return { got: 'gone', want: 'gone', desc: `${o.kind} ${model.ifs[o.i]!.name} (destroyed)` };
  }
  switch (o.kind) {
    case 'destroy': {
      const ifp = model.ifs[o.i]!;
      if (ifp.gone) return { got: 'gone', want: 'gone', desc: `${ifp.name} destroy (destroyed)` };
      return { got: String(errnoOf(() => k.ifconfig.destroy(ifp.name))), want: String(model.destroy(ifp)), desc: `${ifp.name} destroy` };
    }
    case 'create': {
      const ifp = model.ifs[o.i]!;
      if (!ifp.gone) return { got: String(errnoOf(() => k.ifconfig.create(ifp.name))), want: String(ERRNO.EEXIST), desc: `${ifp.name} create` };
      const kifp = k.ifconfig.create(ifp.name);
      const index = model.nextIndex++;
      model.create(ifp, index, macOf(kifp.lladdr));
      return { got: `index ${kifp.index}`, want: `index ${index}`, desc: `${ifp.name} create` };
    }
    case 'devopen': {
      // A destroyed tun comes back with the next index (the model's); another stays destroyed (#0).
      const ifp = model.ifs[o.i]!;
      const got = `${errnoOf(() => k.ifconfig.openDevice(ifp.name))} #${k.ifconfig.indexOf(ifp.name)}`;
      // A cloned tap's lladdr, as `create` takes it.
      const kifp = k.ifconfig.interfaceNamed(ifp.name);
      const errno = model.devOpen(ifp, kifp ? macOf(kifp.lladdr) : '');
      return { got, want: `${errno} #${ifp.gone ? 0 : ifp.index}`, desc: `open /dev/${ifp.name}` };
    }
    case 'devclose': {
      const ifp = model.ifs[o.i]!;
      return { got: String(errnoOf(() => k.ifconfig.closeDevice(ifp.name))), want: String(model.devClose(ifp)), desc: `close /dev/${ifp.name}` };
    }
    case 'media': {
      const ifp = model.ifs[o.i]!;
      return { got: String(k.ifconfig.queryMedia(ifp.name)), want: String(model.devMedia(ifp)), desc: `${ifp.name} media` };
    }
    case 'up': case 'down': {
      const ifp = model.ifs[o.i]!;
      return { got: String(errnoOf(() => k.ifconfig[o.kind](ifp.name))), want: String(model.setUp(ifp, o.kind === 'up')), desc: `${o.kind} ${ifp.name}` };
    }
    case 'addaddr': {
      const ifp = model.ifs[o.i]!;
      const [addr, plen] = cidr(o.a);
      const dest = 'dest' in o ? o.dest : undefined;
      // A link-local destination takes the interface's scope (in6_check_embed_scope).
      const destKey = dest === undefined ? undefined : f.parse(dest.startsWith('fe80::') ? `${dest}%${ifp.index}` : dest);
      const want = f === INET6 ? model.addAddress6(ifp, addr, plen, destKey) : model.addAddress(ifp, addr, plen, destKey);
      const got = String(errnoOf(() => k.ifconfig.addAddress(ifp.name, o.a, dest === undefined ? {} : { dest })));
      return { got, want: String(want), desc: `${ifp.name} ${o.a}${dest === undefined ? '' : ` ${dest}`} alias` };
    }
    case 'rtlabel': {
      // SIOCSIFRTLABEL (if.c ifioctl): the interface's reference moves to the new label.
      const ifp = model.ifs[o.i]!;
      ifp.rtlabel = o.label;
      return { got: String(errnoOf(() => k.ifconfig.setRtlabel(ifp.name, o.label))), want: '0', desc: `${ifp.name} rtlabel '${o.label}'` };
    }
    case 'ifprio': {
      // SIOCSIFPRIORITY (if.c ifioctl): 0..15, nothing announced, routes already made keep theirs.
      const ifp = model.ifs[o.i]!;
      const ok = o.prio <= 15;
      if (ok) ifp.prio = o.prio;
      return { got: String(errnoOf(() => k.ifconfig.setPriority(ifp.name, o.prio))), want: String(ok ? 0 : ERRNO.EINVAL), desc: `${ifp.name} priority ${o.prio}` };
    }
    case 'delcross': {
      // SIOCDIFADDR / SIOCDIFADDR_IN6 of an address that a route of the other family has.
      const crossed = model.families().flatMap((m) => m.walk().filter((r) => r.ifa.f !== m.f && r.ifa.ifp.addrs.includes(r.ifa)));
      const r = crossed[o.pick % Math.max(crossed.length, 1)];
      if (!r) return { got: 'none', want: 'none', desc: 'delete a crossed address (none)' };
      const { ifp, f: af, addr } = r.ifa;
      const owner = model.families().find((m) => m.f === af)!;
      const text = af.fmt(addr).replace(/%.*/, '');
      return { got: String(errnoOf(() => k.ifconfig.deleteAddress(ifp.name, text))), want: String(owner.deleteAddress(ifp, addr)), desc: `${ifp.name} ${af.fmt(addr)} delete (crossed)` };
    }
    case 'source': {
      // 4.9 has no RTM_SOURCE (the codec refuses to encode it).
      if (d !== 'openbsd') return { got: 'n/a', want: 'n/a', desc: 'RTM_SOURCE (4.9: none)' };
      const a = f.parse(o.a);
      const ifa = f === INET6 ? inet6(f.wire(a)) : inet(f.wire(a));
      const got = write(encodeMessage({ type: 'RTM_SOURCE', seq, tableid: table, sockaddrs: { ifa } } as never, { dialect: d }));
      return { got, want: String(model.rtmSource(a)), desc: `RTM_SOURCE ${o.a}` };
    }
    case 'inet6': {
      const ifp = model.ifs[o.i]!;
      return { got: String(errnoOf(() => k.ifconfig.enableInet6(ifp.name))), want: String(model.attachInet6(ifp)), desc: `${ifp.name} inet6` };
    }
    case 'restate': {
      if (f !== INET) return { got: 'n/a', want: 'n/a', desc: 'restate (IPv6 universe)' };
      const pairs = model.ifs.filter((ifp) => !ifp.gone).flatMap((ifp) => model.own(ifp).map((a) => ({ ifp, addr: a.addr })));
      const x = pairs[o.pick % Math.max(pairs.length, 1)];
      if (!x) return { got: 'none', want: 'none', desc: 'restate (no address)' };
      const text = f.fmt(x.addr);
      return { got: String(errnoOf(() => k.ifconfig.addAddress(x.ifp.name, text))), want: '0', desc: `${x.ifp.name} ${text} alias (no mask)` };
    }
    case 'afdetach': {
      // in_ifdetach: each IPv4 address purged in list order, as SIOCDIFADDR would. The IPv6
      // twin, `-inet6`: in6_ifdetach (current's SIOCIFAFDETACH; 4.9's SIOCSIFXFLAGS setting
      // IFXF_NOINET6, which detaches only when it was not set), then no automatic attachment.
      const ifp = model.ifs[o.i]!;
      if (f === INET6) {
        if (d === 'openbsd' || !ifp.noInet6) model.detach(ifp);
        ifp.noInet6 = true;
        return { got: String(errnoOf(() => k.ifconfig.disableInet6(ifp.name))), want: '0', desc: `${ifp.name} -inet6` };
      }
      for (const a of model.own(ifp).slice()) model.deleteAddress(ifp, a.addr);
      return { got: String(errnoOf(() => k.ifconfig.disableInet(ifp.name))), want: '0', desc: `${ifp.name} -inet` };
    }
    case 'deladdr': {
      // Configured (interface, address) pairs first, then the others (EADDRNOTAVAIL). IPv6:
      // the link-local addresses too, and a loopback's ::1 (if_up's in6_ifattach brings both back).
      // IPv4: a loopback's addresses (127.0.0.1 and those loopbackOps give).
      const linkLocal = (x: bigint) => f === INET6 && (x >> 118n === 0xfe80n >> 6n || x === 1n);
      const pairs = model.ifs.filter((ifp) => !ifp.gone).flatMap((ifp) => [
        ...u.addresses.map((a) => ({ ifp, addr: cidr(a)[0] })),
        ...model.own(ifp).filter((a) => linkLocal(a.addr) || (f === INET && ifp.loopback)).map((a) => ({ ifp, addr: a.addr })),
      ]);
      if (pairs.length === 0) return { got: 'gone', want: 'gone', desc: 'delete (every interface destroyed)' };
      const has = (x: { ifp: Ifnet; addr: bigint }) => model.own(x.ifp).some((a) => a.addr === x.addr);
      const { ifp, addr } = [...pairs.filter(has), ...pairs.filter((x) => !has(x))][o.pick % pairs.length]!;
      const text = f.fmt(addr).replace(/%.*/, '');
      return { got: String(errnoOf(() => k.ifconfig.deleteAddress(ifp.name, text))), want: String(model.deleteAddress(ifp, addr)), desc: `${ifp.name} ${f.fmt(addr)} delete` };
    }
    case 'add': {
      const [key, plen] = cidr(o.dst);
      const flags = UGS | (o.mp ? RTF_MPATH : 0);
      const label = 'label' in o ? o.label : undefined;
      const v = 'via' in o && o.via ? viaOf(model, o.via) : {};
      const sockaddrs = { ...viaSockaddrs(v), ...(label === undefined ? {} : { label: { kind: 'label', label } }) };
      const m = 'mtu' in o ? o.mtu : undefined;
      const extra = m ? { extra: { inits: RTV_MTU, rmx: { mtu: m.value, locks: m.lock ? RTV_MTU : 0 } } } : {};
      const got = write(routeMsg(d, { type: 'RTM_ADD', dst: f.wire(key), plen, gw: o.gw, flags, priority: o.prio, seq, tableid: table, sockaddrs, ...extra }));
      const v2 = { ...(v.ifp ? { ifp: v.ifp.ifnet } : {}), ...(v.ifa ? { ifa: v.ifa } : {}) };
      const want = model.rtmAdd(key, plen, gwOf(o.gw), o.prio, o.mp, label, v2, m);
      return {
        got, want: String(want),
        desc: `RTM_ADD ${o.dst} gw=${o.gw} prio=${o.prio}${o.mp ? ' mpath' : ''}${m ? ` mtu=${m.value}${m.lock ? 'L' : ''}` : ''}${viaText(v)}${label === undefined ? '' : ` label=${label}`}`,
      };
    }
    case 'addif': {
      // route(8)'s RTF_UP|RTF_STATIC, no RTF_GATEWAY; a host request sends no netmask.
      const [dst, plen] = cidr(o.dst);
      const key = o.host ? dst | 1n : dst;
      const flags = RTF_UP | RTF_STATIC | (o.host ? RTF_HOST : 0) | (o.announce ? RTF_ANNOUNCE : 0) | (o.mp ? RTF_MPATH : 0);
      let gwSa: Record<string, unknown>, gw: string, linkIndex: number | undefined;
      if (typeof o.gw === 'string') {
        gw = gwOf(o.gw);
        gwSa = gwFam(o.gw) === INET6 ? inet6(gwFam(o.gw).wire(gwFam(o.gw).parse(o.gw))) : inet(o.gw);
      } else {
        const ifnet = model.ifs[o.gw.link];
        linkIndex = ifnet ? ifnet.index : NO_INDEX[o.gw.link - model.ifs.length] ?? NO_INDEX[0];
        gw = o.gw.mac ? LINK_MAC : `link#${linkIndex}`;
        gwSa = { kind: 'link', index: linkIndex, type: 6, name: '', lladdr: o.gw.mac ? LINK_MAC : '' };
      }
      const v = o.via ? viaOf(model, o.via) : {};
      const sockaddrs = { ...viaSockaddrs(v), gateway: gwSa };
      const got = write(routeMsg(d, { type: 'RTM_ADD', dst: f.wire(key), ...(o.host ? {} : { plen }), flags, priority: o.prio, seq, tableid: table, sockaddrs }));
      const via2 = { ...(v.ifp ? { ifp: v.ifp.ifnet } : {}), ...(v.ifa ? { ifa: v.ifa } : {}), linkIndex };
      const want = model.rtmAdd(key, o.host ? f.bits : plen, gw, o.prio, o.mp, undefined, via2, undefined, flags & ~RTF_MPATH);
      return {
        got, want: String(want),
        desc: `RTM_ADD ${f.fmt(key)}${o.host ? ' host' : `/${plen}`} gw=${gw} -iface prio=${o.prio}${o.mp ? ' mpath' : ''}${o.announce ? ' pub' : ''}${viaText(v)}`,
      };
    }
    case 'delete': case 'get': {
      const [key, plen] = cidr(o.dst);
      const gw = o.kind === 'delete' && o.gw !== undefined ? gwOf(o.gw) : undefined;
      return request({ type: o.kind === 'delete' ? 'RTM_DELETE' : 'RTM_GET', key, plen: o.masked ? plen : undefined, gw, prio: o.prio });
    }
    case 'delpick': case 'getpick': case 'changepick': case 'delcached': case 'changelink':
      // An empty table (an IPv6 one whose loopback lost ::1 and fe80::1) has nothing to pick.
      if (model.routes.length === 0) return { got: 'none', want: 'none', desc: `${o.kind} (empty table)` };
  }
  switch (o.kind) {
    case 'delpick': return request(picked('RTM_DELETE', o.pick, o.masked, o.gw, o.prio));
    case 'delcached': {
      const cached = model.walk().filter((x) => x.flags & RTF_CACHED);
      const r = cached[o.pick % Math.max(cached.length, 1)];
      if (!r) return { got: 'none', want: 'none', desc: 'delete a cached route (none)' };
      return request({ type: 'RTM_DELETE', key: r.key, plen: r.plen, gw: undefined, prio: 0 });
    }
    case 'getpick': return request(picked('RTM_GET', o.pick, o.masked, false, o.prio));
    case 'change': {
      const [key, plen] = cidr(o.dst);
      return request({ type: 'RTM_CHANGE', key, plen: o.masked ? plen : undefined, gw: o.gw === undefined ? undefined : gwOf(o.gw), prio: o.prio, toggle: o.toggle, mtu: o.mtu });
    }
    case 'changepick': {
      // Named by its current gateway ('same': a multipath member, or re-resolution), by none, or by a new one.
      const r = picked('RTM_CHANGE', o.pick, o.masked, o.gw === 'same', o.prio, o.gatewayRoute);
      const gw = o.gw === 'same' ? r.gw : o.gw === 'none' ? undefined : gwOf(o.gw);
      if (!('via' in o)) return request({ ...r, gw, toggle: o.toggle, mtu: o.mtu });
      // RTA_IFP naming an interface (or an index none has), RTA_IFA, RTA_LABEL.
      return request({ ...r, gw, toggle: o.toggle, mtu: o.mtu, ...viaOf(model, o.via), label: o.via.label });
    }
    case 'changelink': {
      // Named by prefix and priority only (its gateway, if an address, is being replaced).
      const r = picked('RTM_CHANGE', o.pick, o.masked, false, o.prio, o.gatewayRoute);
      const ifnet = model.ifs[o.link.link];
      const index = ifnet ? ifnet.index : NO_INDEX[o.link.link - model.ifs.length] ?? NO_INDEX[0];
      const gw = o.link.mac ? LINK_MAC : `link#${index}`;
      const sa = { kind: 'link', index, type: 6, name: '', lladdr: o.link.mac ? LINK_MAC : '' };
      return request({ ...r, gw, link: { sa, index }, toggle: o.toggle, mtu: o.mtu, ...(o.via ? viaOf(model, o.via) : {}) });
    }
    case 'lookup': {
      const r = k.lookup(o.host, table);
      const m = model.lookupHost(f.parse(o.host));
      const text = (x: { dst: string; plen: number; gw: string; flags: number } | undefined) => (x ? `${x.dst}/${x.plen} gw=${x.gw} flags=${hex(x.flags)}` : 'none');
      return {
        got: text(r && { dst: r.dst, plen: r.plen, gw: r.gateway, flags: r.flags }),
        want: text(m && { dst: f.fmt(m.key), plen: m.plen, gw: m.gw, flags: m.flags }),
        desc: `lookup ${o.host}`,
      };
    }
  }
}

/** A route message about an IPv6 destination, or an address message about an IPv6 address. */
export function isInet6Message(m: Decoded): boolean {
  const sa = m.sockaddrs;
  const addressMessage = m.type === RTM_NEWADDR || m.type === RTM_DELADDR || m.type === RTM_CHGADDRATTR;
  return (addressMessage ? sa?.['ifa']?.['kind'] : sa?.['dst']?.['kind']) === 'inet6';
}

/**
 * The checks after a step: what the listener received (everything but RTM_IFINFO in order; the
 * last RTM_IFINFO carries IFF_UP as it now is), each model's table, and the labels the kernel
 * counts. `msgs` is what the models emitted (one list for all of them).
 */
function checkStep(
  d: DialectArg, k: Kernel, s: RoutingSocket, where: string, o: Op, wasUp: boolean[], models: readonly { u: Universe; model: Model }[], msgs: string[],
): void {
  const { model } = models[0]!;
  // Messages about a destroyed interface still name it.
  const nameOf = (index: number) => k.interfaceByIndex(index)?.name ?? model.ifs.find((x) => x.index === index)?.name;
  const received: string[] = [];
  /** Every RTM_IFINFO, written as the model writes a tun's (ifinfoText). */
  const ifinfos: string[] = [];
  let lastIfinfo: { index: number; flags: number } | undefined;
  // 4.9's if_up attaches IPv6 to every interface (in6_if_up): an IPv4 model alone has no IPv6 to
  // model, so the kernel's IPv6 messages are left to the universes that have both (model-dual).
  const ipv4Only = d === 'openbsd-4.9' && models.every(({ u }) => u.fam === INET) && models[0]!.model.families().length === 1;
  for (let b = s.read(); b; b = s.read()) {
    const m = decode(d, b) as unknown as Decoded & { data: { link_state: number } };
    if (ipv4Only && isInet6Message(m)) continue;
    if (m.type === RTM_IFINFO) {
      lastIfinfo = { index: m.index, flags: m.flags };
      ifinfos.push(ifinfoText(nameOf(m.index) ?? `#${m.index}`, (m.flags & IFF_UP) !== 0, (m.flags & IFF_RUNNING) !== 0, m.data.link_state));
    } else received.push(fmtMessage(d, models[0]!.u.fam, nameOf, m));
  }
  agree(where, 'messages', received, msgs);
  const ifp = lastIfinfo && model.ifs.find((x) => x.index === lastIfinfo!.index)!;
  const upChanged = (o.kind === 'up' || o.kind === 'down') && wasUp[o.i] !== model.ifs[o.i]!.up;
  // An up or down that changes IFF_UP is announced at least once.
  if (upChanged) agree(where, 'RTM_IFINFO sent', lastIfinfo !== undefined, true);
  if (lastIfinfo) agree(where, `IFF_UP of ${ifp!.name}`, (lastIfinfo.flags & IFF_UP) !== 0, ifp!.up);
  // A tun's device operations and destruction: every RTM_IFINFO (the model counts them there;
  // a destroyed tun's if_down announces IFF_RUNNING as it was). Elsewhere the last one, if about
  // a tun, carries its IFF_RUNNING and link state as they now are.
  const counted = o.kind === 'devopen' || o.kind === 'devclose' || o.kind === 'media' || (o.kind === 'destroy' && model.ifs[o.i]!.dev !== undefined);
  if (counted) agree(where, 'RTM_IFINFO', ifinfos, model.ifinfos);
  else if (ifp?.dev) agree(where, `RTM_IFINFO of ${ifp.name}`, ifinfos.at(-1), ifinfoText(ifp.name, ifp.up, ifp.dev.running, ifp.dev.link));
  // And a tun's state, announced or not (the device's flags are set and cleared silently).
  for (const x of model.ifs) {
    if (!x.dev || x.gone) continue;
    const kifp = k.ifconfig.interfaceNamed(x.name);
    const state = (up: boolean, running: boolean, link: number, open: boolean) => `${ifinfoText(x.name, up, running, link)}${open ? ' open' : ''}`;
    agree(where, `${x.name} state`, kifp && state(kifp.isUp, (kifp.flags & IFF_RUNNING) !== 0, kifp.linkState, kifp.deviceOpen),
      state(x.up, x.dev.running, x.dev.link, x.dev.open));
  }
  for (const { u, model: m } of models) {
    agree(where, models.length > 1 ? `${u.fam.af} table` : 'table', k.routes(0, u.fam.af).map(infoText), m.walk().map((r) => modelText(m, r)));
  }
  // Label ids are counted (rtlabel_name2id / rtlabel_unref): a label is known while a route or an
  // interface (SIOCSIFRTLABEL) has it; a destroyed interface keeps its reference (if_detach).
  const ifLabels = model.ifs.flatMap((x) => [x.rtlabel ?? '', ...(x.leakedLabels ?? [])]);
  // In an IPv4-only 4.9 run the IPv6 routes in6_if_up made (left to model-dual, as their
  // messages are) hold the labels their interface had then: counted as the kernel has them.
  const unmodelled = ipv4Only ? k.routes(0, 'inet6').map((r) => r.label) : [];
  const labels = [...models.flatMap(({ model: m }) => m.routes.map((r) => r.label)), ...ifLabels, ...unmodelled].filter((x) => x !== '');
  agree(where, 'labels', k.labels.names(), [...new Set(labels)].sort());
}

/** The property: every step of a sequence (by default `sequences(u, ops)`) agrees on errnos, messages, tables and lookups. */
export function agreesWithModel(
  d: DialectArg, ops: readonly Weighted<Op>[], u: Universe = V4, seqs: fc.Arbitrary<Op[]> = sequences(u, ops),
): fc.IPropertyWithHooks<[Op[]]> {
  return fc.property(seqs, (seqOps) => {
    const { k, s, model } = setup(d, u);
    let seq = 0;
    for (const [n, o] of seqOps.entries()) {
      model.msgs = [];
      model.ifinfos = [];
      const wasUp = model.ifs.map((x) => x.up);
      const { got, want, desc } = step(d, u, k, s, model, o, ++seq);
      const where = `step ${n}: ${desc}`;
      agree(where, 'outcome', got, want);
      checkStep(d, k, s, where, o, wasUp, [{ u, model }], model.msgs);
    }
  });
}

// ------------------------------------------------------------------ both families (model-dual)

/**
 * model-dual's universes: V4 and V6 on the same interfaces (vether0, vether1, lo0; IPv4 addresses
 * on the vethers only), RTA_IFA candidates of both families (lo0's 127.0.0.1, ::1, the vethers'
 * link-locals among them).
 */
export const D4: Universe = {
  ...V4,
  ifas: [...V4.ifas, '2001:db8:1::1', '2001:db8:1::2', '2001:db8:2::1', '2001:db8:1::5', 'fe80:2::fce1:baff:fed0:2', 'fe80:3::fce1:baff:fed0:3', '::1'],
};
export const D6: Universe = { ...V6, ifas: [...V6.ifas, '10.0.1.1', '10.0.1.2', '10.0.2.1', '10.0.1.9', '10.0.1.5', '127.0.0.1'] };

/**
 * model-dual with a point-to-point gif0 (index 4, the fourth interface) beside D4/D6's: P4's and
 * P6's additions (gif0's addresses, destinations, gateways, hosts), RTA_IFA candidates of both
 * families. IPv4's own interface operations stay on the vethers (lo0 and gif0 are reached by
 * loopbackOps and p2pOps).
 */
const withP2p = (d: Universe, p: Universe, other: readonly string[]): Universe => ({
  ...d,
  addresses: p.addresses,
  destinations: p.destinations,
  gateways: p.gateways,
  changeGateways: p.changeGateways,
  hosts: p.hosts,
  ifas: [...d.ifas, ...p.ifas.filter((x) => !d.ifas.includes(x)), ...other],
});
export const DP4: Universe = withP2p(D4, P4, ['2001:db8:5::2']);
export const DP6: Universe = { ...withP2p(D6, P6, ['10.0.5.2']), ifnames: P6.ifnames };
/** DP6 with tun0 in gif0's place (T6's interfaces); IPv4's side is DP4 as it is (its own interface operations are the vethers'). */
export const DT6: Universe = { ...DP6, ifnames: T6.ifnames };

/** An operation on one family's model (interface creation and destruction go through IPv4's, which purges both). */
export type DualOp = { fam: 4 | 6; op: Op };
export const on = (fam: 4 | 6, ops: readonly Weighted<Op>[]): Weighted<DualOp>[] =>
  ops.map((x) => w(x.weight, x.arbitrary.map((op): DualOp => ({ fam, op }))));

/** Sequences of dual operations, first an address of each family on one or both vethers. */
export function dualSequences(ops: readonly Weighted<DualOp>[], steps = MAX_STEPS): fc.Arbitrary<DualOp[]> {
  const both = fc.record({ i: fc.nat(1), a4: fc.constantFrom(...D4.addresses), a6: fc.constantFrom(...D6.addresses) })
    .map(({ i, a4, a6 }): DualOp[] => [{ fam: 4, op: { kind: 'addaddr', i, a: a4 } }, { fam: 6, op: { kind: 'addaddr', i, a: a6 } }]);
  return fc.tuple(fc.array(both, { minLength: 1, maxLength: 2 }), fc.array(fc.oneof(...ops), { maxLength: steps }))
    .map(([a, b]) => [...a.flat(), ...b]);
}

/**
 * The property of model-dual: one kernel, an IPv4 and an IPv6 model sharing its interfaces (their
 * messages in one list), each step run on its family's model; after each, both tables.
 */
export function agreesWithDual(
  d: DialectArg, seqs: fc.Arbitrary<DualOp[]>, [u4, u6]: readonly [Universe, Universe] = [D4, D6],
): fc.IPropertyWithHooks<[DualOp[]]> {
  return fc.property(seqs, (seqOps) => {
    const k = createKernel({ dialect: d });
    const ifs = modelInterfaces(k, u6.ifnames);
    const s = k.socket();
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    const [v4, v6] = bootDual(d, ifs);
    v4.nextIndex = Math.max(...ifs.map((x) => x.index)) + 1;
    const models = [{ u: u4, model: v4 }, { u: u6, model: v6 }];
    let seq = 0;
    for (const [n, { fam, op }] of seqOps.entries()) {
      const msgs: string[] = [];
      v4.msgs = v6.msgs = msgs;
      v4.ifinfos = v6.ifinfos = [];
      const wasUp = ifs.map((x) => x.up);
      const { u, model } = fam === 4 ? models[0]! : models[1]!;
      const { got, want, desc } = step(d, u, k, s, model, op, ++seq);
      const where = `step ${n}: ${fam === 4 ? 'inet' : 'inet6'} ${desc}`;
      agree(where, 'outcome', got, want);
      checkStep(d, k, s, where, op, wasUp, models, msgs);
    }
  });
}

/** Runs per dialect: FUZZ_RUNS (npm run fuzz) or CI's few. */
export const RUNS = Number(process.env['FUZZ_RUNS'] ?? 40);
