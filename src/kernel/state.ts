/**
 * Kernel snapshot / restore: the whole simulated machine as plain JSON-able data, and back.
 *
 * Restoring rebuilds the objects directly (no replay of requests), so counters (Refs, Use),
 * flags, priorities (including the DOWN bit), the order of routes within a prefix node,
 * next-hop caches and interface indexes come back exactly as they were. Routes are stored per
 * table in walk order as compact tuples, which keeps a full Internet table loadable.
 */
import { IFF_RUNNING, IFQ_DEFPRIO } from './constants.js';
import { keep } from './alloc.js';
import { IFG_ALL, type GroupTuple } from './groups.js';
import { hdrPrioAccepted } from './hdrprio.js';
import { hardMtuOn } from './vlan.js';
import type { DadRecord } from './dad.js';
import { ND6_INFINITE_LIFETIME, type LifetimeTimerState } from './in6-lifetime.js';
import { Kernel, type KernelOptions } from './kernel.js';
import { Interface, kindNamed, type IfAddr } from './interface.js';
import { Rtentry } from './rtentry.js';
import { RecordReader, RecordWriter, StringPool, type RouteRecord } from './route-records.js';
import type { Family } from './sockaddr-bytes.js';
import { restoreTunnel, snapshotTunnel, type TunnelSnapshot } from './tunnel.js';

/**
 * [family, address hex, prefix length, destination/broadcast hex or null], then 1 when the
 * destination's host route is the address's (IFA_ROUTE; 0 or absent otherwise), then an IPv6
 * address's ia6_flags (tentative, duplicated, ...), then ifa_metric; the tail is as long as its
 * last non-zero entry. An IPv6 address then has its preferred and valid lifetimes
 * (0xffffffff: infinite), ia6_updatetime and creation number (in6_ifaddr order), all four.
 * Older files have none of them (IPv6 lifetimes then load infinite).
 */
export type AddrTuple =
  | [Family, string, number, string | null]
  | [Family, string, number, string | null, 0 | 1]
  | [Family, string, number, string | null, 0 | 1, number]
  | [Family, string, number, string | null, 0 | 1, number, number]
  | [Family, string, number, string | null, 0 | 1, number, number, number, number, number, number];

export interface InterfaceSnapshot {
  index: number;
  name: string;
  kind: string;
  flags: number;
  xflags: number;
  mtu: number;
  linkState: number;
  rdomain: number;
  priority: number;
  /** if_llprio; absent while IFQ_DEFPRIO (and in states saved before it was kept). */
  llprio?: number;
  rtlabel: string;
  /** if_description; absent while empty (and in states saved before it was kept). */
  description?: string;
  /** if_metric; absent while 0 (and in states saved before it was kept). */
  metric?: number;
  /** if_groups; absent while `all` and the cloner's alone (and in states saved before they were kept). */
  groups?: string[];
  lladdr: string;
  inet6Attached: boolean;
  noInet6: boolean;
  addrs: AddrTuple[];
  /** vlan(4) only. */
  vnetid?: number;
  parent?: string;
  /** vlan(4): an address of its own was set (IFVF_LLADDR); absent when not (and in older files). */
  lladdrFixed?: boolean;
  /** if_hardmtu when not the kind's (a running vlan's, from vlan_up); older files: worked out again from the parent. */
  hardMtu?: number;
  /**
   * Header priorities (SIOCSTXHPRIO / SIOCSRXHPRIO) of a driver that has them, each absent while
   * the driver's default (and in older files).
   */
  txprio?: number;
  rxprio?: number;
  /** gif(4) only, when its tunnel is not as created (older files: as created). */
  tunnel?: TunnelSnapshot;
  /**
   * tun(4)/tap(4) only, while the character device is open: 'open', or 'open-once' when the open
   * created the interface (its close destroys it). Absent: closed (and in older files).
   */
  device?: 'open' | 'open-once';
}

/**
 * One route: [family, dst hex, plen, priority (with DOWN bit), flags, gateway sockaddr hex,
 * ifindex, position of its address in the interface's list (-2 - i: orphan address i), label, mtu, expire, locks, use,
 * refs, cachedBy, global index of the cached next hop or -1, and for a clone only: global index of
 * its cloning parent].
 */
export type RouteTuple = [
  Family, string, number, number, number, string, number, number, string, number, number, number, number, number,
  number, number, number?,
];

export interface TableSnapshot {
  id: number;
  rdomain: number;
  source: Partial<Record<Family, string>>;
  /** Packed route records in walk order (base64, see route-records.ts); tuples in version 1 files. */
  routes: string | RouteTuple[];
}

export interface KernelSnapshot {
  dialect: string;
  arch: string;
  nextIndex: number;
  interfaces: InterfaceSnapshot[];
  tables: TableSnapshot[];
  /**
   * Routes no longer in a table but still cached as someone's next hop: records each preceded
   * by its u16 table id (version 1 files: [tableid, tuple] pairs).
   */
  detached: string | [number, RouteTuple][];
  /** Gateway sockaddrs (hex) and labels the route records refer to by index. */
  gateways?: string[];
  labels?: string[];
  /**
   * IPv6 neighbour entries' llinfo_nd6, head of nd6_list first: [global route index, ND6_LLINFO_*
   * state, asked, IsRouter]; and when nd6_timer is due. Files without them restore every entry
   * afresh (Nd6Cache.adopt).
   */
  nd6?: [number, number, number, boolean][];
  nd6TimerAt?: number;
  /**
   * IPv4 L2 entries' llinfo_arp, oldest first: [global route index, asked, refreshed]; and when
   * arptimer last ran. Files without them restore every entry afresh and start the timer anew.
   */
  arp?: [number, number, number][];
  arpTimerAt?: number;
  /** net.inet6.ip6.forwarding, when set. */
  ip6Forwarding?: boolean;
  /**
   * Descriptors a destroy left open on a tun(4)/tap(4) device: [device name, how many]
   * (Ifconfig.strandedDevices). Absent when none (and in older files).
   */
  strandedDevices?: [string, number][];
  /**
   * Addresses under DAD, dadq order: [ifindex, position in the interface's address list,
   * dad_count, tries, solicitations sent, DAD NS received, NA received, when the timer fires].
   * Absent when none (and in older files).
   */
  dad?: [number, number, number, number, number, number, number, number][];
  /**
   * What routes refer to that the interfaces no longer list: addresses gone from their interface
   * ([ifindex, address], a route's ifaPos -2 - i naming the i-th) and destroyed interfaces. A route
   * of one family given an address of the other (RTA_IFA) outlives it, as rt_ifa_purge walks
   * only the address's family. Absent when there are none.
   */
  orphans?: { interfaces: InterfaceSnapshot[]; addrs: [number, AddrTuple][] };
  /** The address lifetime timer (nd6_expire's pending timeout, or nd6_timer's last pass). Older files: none pending / boot time. */
  lifetimeTimer?: LifetimeTimerState;
  /**
   * Interface groups in creation order: [name, member indexes in join order, carp demotion]
   * (ifconfig GROUP lists members in that order). Older files: members in index order.
   */
  groupMembers?: GroupTuple[];
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

const addrTuple = (a: IfAddr): AddrTuple => {
  const t: [Family, string, number, string | null] = [a.af, hex(a.addr), a.plen, a.dstaddr ? hex(a.dstaddr) : null];
  const l = a.lifetime;
  if (l) return [...t, a.destRoute ? 1 : 0, a.flags6 ?? 0, a.metric ?? 0, l.pltime, l.vltime, l.updated, a.serial ?? 0];
  if (a.metric) return [...t, a.destRoute ? 1 : 0, a.flags6 ?? 0, a.metric];
  if (a.flags6) return [...t, a.destRoute ? 1 : 0, a.flags6];
  return a.destRoute ? [...t, 1] : t;
};

function interfaceSnapshot(ifp: Interface): InterfaceSnapshot {
  return {
    index: ifp.index, name: ifp.name, kind: ifp.kind.prefix, flags: ifp.flags, xflags: ifp.xflags, mtu: ifp.mtu,
    linkState: ifp.linkState, rdomain: ifp.rdomain, priority: ifp.priority, rtlabel: ifp.rtlabel,
    lladdr: hex(ifp.lladdr), inet6Attached: ifp.inet6Attached, noInet6: ifp.noInet6,
    addrs: ifp.addrs.map(addrTuple),
    ...(ifp.llprio !== IFQ_DEFPRIO ? { llprio: ifp.llprio } : {}),
    ...(ifp.description !== '' ? { description: ifp.description } : {}),
    ...(ifp.metric !== 0 ? { metric: ifp.metric } : {}),
    ...(ifp.groups.length !== 2 || ifp.groups[0] !== IFG_ALL || ifp.groups[1] !== ifp.kind.prefix ? { groups: [...ifp.groups] } : {}),
    ...(ifp.vnetid !== -1 ? { vnetid: ifp.vnetid } : {}),
    ...(ifp.parent ? { parent: ifp.parent } : {}),
    ...(ifp.lladdrFixed ? { lladdrFixed: true } : {}),
    ...(ifp.hardMtu !== ifp.kind.mtuMax ? { hardMtu: ifp.hardMtu } : {}),
    ...hdrPrioFields(ifp),
    ...tunnelField(ifp),
    ...(ifp.deviceOpen ? { device: ifp.stayUp ? 'open' as const : 'open-once' as const } : {}),
  };
}

function hdrPrioFields(ifp: Interface): { txprio?: number; rxprio?: number } {
  const driver = ifp.kind.hdrPrio;
  const prio = ifp.hdrPrio;
  if (!driver || !prio) return {};
  return { ...(prio.tx !== driver.tx ? { txprio: prio.tx } : {}), ...(prio.rx !== driver.rx ? { rxprio: prio.rx } : {}) };
}

/** Header priorities from a snapshot: only on a driver that has them, each a value its check takes. */
function restoreHdrPrio(ifp: Interface, i: InterfaceSnapshot): void {
  for (const dir of ['tx', 'rx'] as const) {
    const v: unknown = i[`${dir}prio`];
    if (v === undefined) continue;
    const layer = ifp.kind.hdrPrio?.layer;
    if (!ifp.hdrPrio || !layer || !hdrPrioAccepted(dir, layer, v)) bad(`${dir}prio ${String(v)} on ${i.name}`);
    ifp.hdrPrio[dir] = v;
  }
}

function tunnelField(ifp: Interface): { tunnel?: TunnelSnapshot } {
  const tunnel = ifp.tunnel && snapshotTunnel(ifp.tunnel);
  return tunnel ? { tunnel } : {};
}

export function snapshotKernel(k: Kernel): KernelSnapshot {
  const interfaces: InterfaceSnapshot[] = [];
  for (const ifp of k.interfaces.values()) interfaces.push(interfaceSnapshot(ifp));
  // Destroyed interfaces and addresses gone from their interface that routes still refer to.
  const goneInterfaces: InterfaceSnapshot[] = [];
  const orphanAddrs: [number, AddrTuple][] = [];
  const orphanPos = new Map<IfAddr, number>();
  const ifaPos = (rt: Rtentry): number => {
    const ifp = rt.ifp;
    const listed = ifp.addrs.indexOf(rt.ifa);
    if (listed >= 0) return listed;
    let i = orphanPos.get(rt.ifa);
    if (i === undefined) {
      if (k.interfaces.get(ifp.index) !== ifp && !goneInterfaces.some((x) => x.index === ifp.index)) goneInterfaces.push(interfaceSnapshot(ifp));
      orphanPos.set(rt.ifa, (i = orphanAddrs.length));
      orphanAddrs.push([ifp.index, addrTuple(rt.ifa)]);
    }
    return -2 - i;
  };
  // Every route gets a global number so next-hop caches can refer to it.
  const number = new Map<Rtentry, number>();
  const order: Rtentry[] = [];
  const tables: TableSnapshot[] = [];
  for (const id of k.tableIds()) {
    const t = k.table(id)!;
    const routes: Rtentry[] = [];
    for (const e of t.routes.entries()) {
      number.set(e.route, order.length);
      order.push(e.route);
      routes.push(e.route);
    }
    const source: Partial<Record<Family, string>> = {};
    for (const af of ['inet', 'inet6'] as const) if (t.source[af]) source[af] = hex(t.source[af]!);
    tables.push({ id, rdomain: t.rdomain, source, routes: routes as unknown as RouteTuple[] });
  }
  const detached: Rtentry[] = [];
  for (let i = 0; i < order.length; i++) {
    const nh = order[i]!.gwroute;
    if (nh && !number.has(nh)) {
      number.set(nh, order.length);
      order.push(nh);
      detached.push(nh);
    }
  }
  const gateways = new StringPool();
  const labels = new StringPool();
  const record = (rt: Rtentry): RouteRecord => ({
    af: rt.af, dst: rt.dst, plen: rt.plen, priority: rt.priority, flags: rt.flags, gateway: rt.gateway,
    ifindex: rt.ifp.index, ifaPos: ifaPos(rt), label: rt.label, mtu: rt.mtu, expire: rt.expire,
    locks: rt.locks, use: rt.use, refs: rt.refs, cachedBy: rt.cachedBy,
    nextHop: rt.gwroute ? number.get(rt.gwroute)! : -1, parent: rt.parent ? number.get(rt.parent) ?? -1 : -1,
  });
  for (const t of tables) {
    const w = new RecordWriter(gateways, labels);
    for (const rt of t.routes as unknown as Rtentry[]) w.write(record(rt));
    t.routes = w.toBase64();
  }
  const d = new RecordWriter(gateways, labels);
  for (const rt of detached) {
    d.writeU16(rt.tableid);
    d.write(record(rt));
  }
  const nd6 = k.neighbours.nd6;
  const ndTimerAt = nd6.timerAt;
  // DAD runs only for listed addresses (in6_purgeaddr stops it).
  const dad = k.dad.saved().map(([ifa, ...counts]) => [ifa.ifp.index, ifa.ifp.addrs.indexOf(ifa), ...counts] as
    [number, number, number, number, number, number, number, number]);
  return {
    dialect: k.dialect, arch: k.policy.dialect.arch, nextIndex: k.ifconfig.nextIndex, interfaces, tables,
    detached: d.toBase64(), gateways: gateways.list, labels: labels.list,
    nd6: nd6.saved().flatMap(([rt, state, asked, router]) => {
      const i = number.get(rt);
      return i === undefined ? [] : [[i, state, asked, router] as [number, number, number, boolean]];
    }),
    ...(ndTimerAt !== undefined ? { nd6TimerAt: ndTimerAt } : {}),
    arp: k.neighbours.savedArp().flatMap(([rt, asked, refreshed]) => {
      const i = number.get(rt);
      return i === undefined ? [] : [[i, asked, refreshed] as [number, number, number]];
    }),
    arpTimerAt: k.arpTimerAt,
    ...(k.ip6Forwarding ? { ip6Forwarding: true } : {}),
    ...(k.ifconfig.strandedDevices.size > 0 ? { strandedDevices: [...k.ifconfig.strandedDevices] } : {}),
    ...(dad.length > 0 ? { dad } : {}),
    lifetimeTimer: k.lifetimes.saved(),
    groupMembers: k.groups.snapshot(),
    ...(orphanAddrs.length > 0 ? { orphans: { interfaces: goneInterfaces, addrs: orphanAddrs } } : {}),
  };
}

/** A version 1 tuple as a record. */
function fromTuple(r: RouteTuple): RouteRecord {
  const [af, dst, plen, priority, flags, gw, ifindex, ifaPos, label, mtu, expire, locks, use, refs, cachedBy, nh, parent] = r;
  return {
    af, dst: unhex(dst), plen, priority, flags, gateway: unhex(gw), ifindex, ifaPos, label, mtu, expire, locks, use, refs,
    cachedBy, nextHop: nh, parent: parent ?? -1,
  };
}

/**
 * Rebuilds a kernel from a snapshot; throws Error with a short reason on inconsistent data.
 * `clock` is the restored kernel's clock (default: the host's), by which its timers catch up
 * at the next {@link Kernel.runTimers}.
 */
export function restoreKernel(s: KernelSnapshot, opts: Pick<KernelOptions, 'clock'> = {}): Kernel {
  const k = new Kernel({ dialect: s.dialect as KernelOptions['dialect'], arch: s.arch as KernelOptions['arch'], configureLoopback: false, ...opts });
  // The constructor booted lo0; the snapshot says what really exists.
  k.interfaces.clear();
  k.ifconfig.nextIndex = s.nextIndex;
  const interfaceOf = (i: InterfaceSnapshot): Interface => {
    const kind = k.policy.interfaceKinds.find((x) => x.prefix === i.kind) ?? bad(`unknown interface kind ${i.kind}`);
    const ifp = new Interface(i.index, i.name, kind, unhex(i.lladdr));
    ifp.flags = i.flags;
    ifp.xflags = i.xflags;
    ifp.mtu = i.mtu;
    ifp.linkState = i.linkState;
    ifp.rdomain = i.rdomain;
    ifp.priority = i.priority;
    ifp.llprio = i.llprio ?? IFQ_DEFPRIO;
    ifp.description = i.description ?? '';
    ifp.metric = i.metric === undefined ? 0 : count(i.metric, 'interface metric');
    if (i.groups !== undefined) {
      if (!Array.isArray(i.groups) || i.groups.some((g) => typeof g !== 'string')) bad(`groups of ${i.name}`);
      ifp.groups.splice(0, ifp.groups.length, ...i.groups);
    }
    // The interface's own reference on its label (SIOCSIFRTLABEL took it).
    ifp.rtlabelId = k.labels.ref(i.rtlabel ?? '');
    ifp.rtlabel = ifp.rtlabelId === 0 ? '' : i.rtlabel;
    ifp.inet6Attached = i.inet6Attached;
    ifp.noInet6 = i.noInet6;
    ifp.vnetid = i.vnetid ?? -1;
    ifp.parent = i.parent ?? '';
    ifp.lladdrFixed = i.lladdrFixed === true;
    if (i.hardMtu !== undefined) ifp.hardMtu = count(i.hardMtu, `hard MTU of ${i.name}`);
    restoreHdrPrio(ifp, i);
    if (i.tunnel !== undefined) {
      if (!ifp.tunnel) bad(`a tunnel on ${i.name}, which has none`);
      const why = restoreTunnel(ifp.tunnel, i.tunnel);
      if (why) bad(why);
    }
    if (i.device !== undefined) {
      if (!kind.device || (i.device !== 'open' && i.device !== 'open-once')) bad(`device state ${String(i.device)} on ${i.name}`);
      ifp.deviceOpen = true;
      ifp.stayUp = i.device === 'open';
    }
    for (const a of i.addrs) ifp.addrs.push(ifAddr(a, ifp));
    return ifp;
  };
  const ifAddr = ([af, addr, plen, dst, destRoute, flags6, metric, ...tail]: AddrTuple, ifp: Interface): IfAddr => ({
    af, addr: unhex(addr), plen, dstaddr: dst === null ? undefined : unhex(dst), ifp, ...(destRoute === 1 ? { destRoute: true } : {}),
    ...(flags6 !== undefined && flags6 !== 0 ? { flags6: count(flags6, 'address flags') } : {}),
    ...(metric !== undefined && metric !== 0 ? { metric: count(metric, 'address metric') } : {}),
    ...lifetimeOf(tail),
  });
  for (const i of s.interfaces) {
    const ifp = interfaceOf(i);
    k.interfaces.set(ifp.index, ifp);
  }
  // Files from before if_hardmtu was kept: a running vlan's is what vlan_up takes from its parent now.
  const byName = new Map([...k.interfaces.values()].map((ifp) => [ifp.name, ifp]));
  for (const i of s.interfaces) {
    const ifp = k.interfaces.get(i.index)!;
    const parent = ifp.kind.vlanDriver && ifp.flags & IFF_RUNNING && i.hardMtu === undefined ? byName.get(ifp.parent) : undefined;
    if (parent) ifp.hardMtu = hardMtuOn(parent);
  }
  k.groups.restore([...k.interfaces.values()], s.groupMembers);
  // Destroyed interfaces (not attached: if_get does not find them) and addresses no interface lists.
  const gone = new Map<number, Interface>();
  for (const i of s.orphans?.interfaces ?? []) gone.set(i.index, interfaceOf(i));
  const orphans = (s.orphans?.addrs ?? []).map(([index, a]) => {
    const ifp = k.interfaces.get(index) ?? gone.get(index) ?? bad(`orphan address on unknown interface ${index}`);
    return ifAddr(a, ifp);
  });
  const all: Rtentry[] = [];
  const links: [Rtentry, number][] = [];
  const parents: [Rtentry, number][] = [];
  const build = (tableid: number, r: RouteRecord): Rtentry => {
    const ifp = k.interfaces.get(r.ifindex) ?? gone.get(r.ifindex) ?? bad(`route on unknown interface ${r.ifindex}`);
    const ifa = (r.ifaPos >= 0 ? ifp.addrs[r.ifaPos] : orphans[-2 - r.ifaPos]) ?? bad(`route on unknown address ${r.ifaPos} of ${ifp.name}`);
    if (ifa.ifp !== ifp) bad(`route on ${ifp.name} with an address of ${ifa.ifp.name}`);
    // IPv4 destinations are packed into the Rtentry; others are kept apart from message memory.
    const dst = r.af === 'inet' ? r.dst : keep(r.dst);
    const rt = new Rtentry(tableid, r.af, dst, r.plen, { priority: r.priority, flags: r.flags, gateway: r.gateway, ifa });
    if (r.label !== '') {
      rt.labelId = k.labels.ref(r.label);
      rt.label = r.label;
    }
    rt.mtu = r.mtu;
    rt.expire = r.expire;
    rt.locks = r.locks;
    rt.use = r.use;
    rt.refs = r.refs;
    rt.cachedBy = r.cachedBy;
    if (r.nextHop >= 0) links.push([rt, r.nextHop]);
    if (r.parent >= 0) parents.push([rt, r.parent]);
    all.push(rt);
    return rt;
  };
  const gateways = s.gateways ?? [];
  const labels = s.labels ?? [];
  /** Each route of a table (or of the detached list, with its table id) as a record. */
  function* records(routes: string | RouteTuple[], withTable: boolean): Iterable<[number, RouteRecord]> {
    if (typeof routes !== 'string') {
      for (const r of routes) yield withTable ? [(r as unknown as [number, RouteTuple])[0], fromTuple((r as unknown as [number, RouteTuple])[1])] : [0, fromTuple(r)];
      return;
    }
    const reader = new RecordReader(routes, gateways, labels);
    while (!reader.done) {
      const table = withTable ? reader.readU16() : 0;
      yield [table, reader.read()];
    }
  }
  // Inserting in walk order with every conflict check off reproduces each node's list as it was.
  const keepAll = { mpath: true, sameGateway: () => false };
  for (const ts of s.tables) {
    const t = k.addTable(ts.id, ts.rdomain);
    t.rdomain = ts.rdomain;
    for (const af of ['inet', 'inet6'] as const) if (ts.source[af]) t.source[af] = unhex(ts.source[af]!);
    for (const [, r] of records(ts.routes, false)) {
      const rt = build(ts.id, r);
      if (t.routes.insert(rt.af, rt.dst, rt.plen, rt, keepAll) !== 0) bad('duplicate route');
      rt.inTable = true;
      k.neighbours.adopt(rt);
      // Per insert, as the kernel does: a big table switches to the fast path early on.
      t.grown();
    }
  }
  for (const [tableid, r] of records(s.detached as string | RouteTuple[], true)) build(tableid, r);
  for (const [rt, nh] of links) rt.gwroute = all[nh] ?? bad(`next hop ${nh} missing`);
  // Refs were restored as counted: relink clones to their parents without counting again.
  for (const [rt, p] of parents) (all[p] ?? bad(`cloning parent ${p} missing`)).adoptClone(rt, false);
  if (s.nd6) {
    const entries = s.nd6.map(([i, state, asked, router]) => [all[i] ?? bad(`neighbour entry ${i} missing`), state, asked, router] as const);
    k.neighbours.nd6.restoreState(entries, s.nd6TimerAt);
  }
  if (s.arp) {
    k.neighbours.restoreArp(s.arp.map(([i, asked, refreshed]) => [
      all[i] ?? bad(`ARP entry ${i} missing`), count(asked, 'ARP requests'), count(refreshed, 'ARP refresh time'),
    ] as const));
  }
  if (s.arpTimerAt !== undefined) k.arpTimerAt = count(s.arpTimerAt, 'arptimer time');
  k.ip6Forwarding = s.ip6Forwarding === true;
  for (const [name, n] of s.strandedDevices ?? []) {
    const kind = kindNamed(k.policy.interfaceKinds, String(name));
    if (!kind?.device || count(n, 'stranded descriptors') === 0 || k.ifconfig.strandedDevices.has(name)) bad(`stranded descriptors ${String(n)} on ${String(name)}`);
    k.ifconfig.strandedDevices.set(name, n);
  }
  if (s.dad) {
    k.dad.restore(s.dad.map(([index, pos, ...counts]) => {
      const ifa = k.interfaces.get(index)?.addrs[pos];
      if (!ifa || ifa.af !== 'inet6') bad(`DAD for unknown address ${pos} of interface ${index}`);
      return [ifa, ...counts.map((c) => count(c, 'DAD counter'))] as DadRecord;
    }));
  }
  // in6_ifaddr order: addresses from files without it follow, in interface and list order.
  const serials: number[] = [];
  let nextSerial = 1 + Math.max(0, ...[...k.interfaces.values()].flatMap((i) => i.addrs.map((a) => a.serial ?? 0)));
  for (const ifp of k.interfaces.values()) {
    for (const a of ifp.addrs) if (a.af === 'inet6') serials.push(a.serial ??= nextSerial++);
  }
  const { expireAt, tickedAt } = s.lifetimeTimer ?? {};
  k.lifetimes.restore({
    ...(expireAt !== undefined ? { expireAt: count(expireAt, 'address expiry time') } : {}),
    ...(tickedAt !== undefined ? { tickedAt: count(tickedAt, 'address timer time') } : {}),
  }, serials);
  // A file saved before groups were kept lists none: its default routes' interfaces join
  // `egress` as the kernel that saved it had them (a newer file with a default route always
  // lists that interface's groups, egress among them).
  if (!s.interfaces.some((i) => i.groups !== undefined)) {
    k.groups.rebuildEgress(k);
  }
  return k;
}

/** An IPv6 address's lifetimes and creation number from its tuple's tail, if it has them. */
function lifetimeOf(tail: number[]): Pick<IfAddr, 'lifetime' | 'serial'> {
  if (tail.length === 0) return {};
  if (tail.length !== 4) bad(`address lifetimes ${JSON.stringify(tail)}`);
  const [pltime, vltime, updated, serial] = tail.map((v) => count(v, 'address lifetime')) as [number, number, number, number];
  if (pltime > ND6_INFINITE_LIFETIME || vltime > ND6_INFINITE_LIFETIME) bad(`address lifetimes ${pltime}/${vltime}`);
  return { lifetime: { pltime, vltime, updated }, ...(serial !== 0 ? { serial } : {}) };
}

function count(v: unknown, what: string): number {
  return Number.isSafeInteger(v) && (v as number) >= 0 ? v as number : bad(`${what} ${String(v)}`);
}

function bad(why: string): never {
  throw new Error(`inconsistent kernel state: ${why}`);
}
