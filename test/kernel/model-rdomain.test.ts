/**
 * Model-based test of routing domains and multiple tables: vether0/vether1 move between
 * rdomain 0 and rdomain 5 (the first move creates table 5 and lo5, §E.2; a table of rdomain 0
 * that holds routes cannot become one, EINVAL), go up and down, get and lose addresses, and
 * RTM_ADD/DELETE/GET/CHANGE and lookups run in table 0, 5 or 7 (a table that may not exist: ADD
 * makes it in rdomain 0, anything else is EINVAL, §A.3 row 9) — IPv4, and IPv6: the universe
 * of model-inet6 (lo0 among the interfaces, `inet6`, link-locals) with lo5 brought up and down
 * (if_up of an rdomain's loopback runs in6_ifattach: ::1 and fe80::1%lo5 in table 5), the
 * moves running in6_ifdetach. The reference is one model-reference.ts Model per table (an
 * rdomain's addresses in its own table), every message tagged with its table; a table's model
 * sees its rdomain's other tables (address selection and next hops in the main table,
 * §A.6a/b; Refs, rt_if_track and rt_ifa_purge across them, by table id). Checked after every
 * step: the errno, what each listener receives — one per table (ROUTE_TABLEFILTER 0; a process
 * in rtable 5) (§B step 4: route messages by table, address and interface messages by the
 * filter table's rdomain) and one with RTABLE_ANY — and each table (walk order, flags,
 * priority, Refs, Use, MTU). A third run holds both families at once (model-dual's D4/D6, an
 * IPv4 and an IPv6 model per table linked as model-dual's): addresses of both on interfaces
 * moving between rdomains (in_ifdetach, then in6_ifdetach), routes of both in tables 0, 5 and
 * 7, gateways of the other family too (next hops resolved in the rdomain's main table of the
 * gateway's family), IPv4 on lo0 and lo5. Every run also draws `ifconfig lo5 create` (before
 * or after rdomain 5 exists: if_createrdomain's EEXIST, if_setrdomain's EINVAL) and `lo5
 * destroy` (loop_clone_destroy: EBUSY unless alone, then table 5 back to rdomain 0). A fourth
 * run holds both families with a point-to-point gif0 beside the interfaces (model-dual's DP4 and
 * DP6): each family's p2pOps (addresses with a destination or not, routes via the destination,
 * host routes to it, in tables 0, 5 and 7), `ifconfig gif0 rdomain R` followed by such an address
 * (the destination's host route and the local route in the new rdomain's table;
 * ifa_ifwithdstaddr within the rdomain), and `ifconfig X destroy` / `create` of gif0, the vethers
 * (purged in their rdomain's tables; back in rdomain 0 with a new index) and lo0 (EPERM). A
 * fifth run has a tun0 in gif0's place (model-dual's DT6), moved and configured alike, its
 * character device opened and closed (devOps) wherever it is: the link, and with it the routes
 * on tun0, moves in its rdomain's tables; a destroyed tun0's open clones it in rdomain 0 (the
 * opening process's, tun_dev_open), its close destroys it again. A sixth run, both families
 * again, uses rdomain 9 and lo9 instead (RD), a table id above 7's. That is current; in 4.9
 * (if.c 1.237) the first move makes table 5 an rdomain of its own without lo5, a move is
 * rt_if_remove (the routes on the interface, in every table, deleted by key in its old
 * rdomain's table: ESRCH for another table's), in6_ifdetach, IFXF_NOINET6 and the IPv4
 * addresses dropped silently, without if_down or if_up, and only lo0 cannot be destroyed.
 * FUZZ_RUNS scales the run count.
 */
import fc from 'fast-check';
import {
  AF_ROUTE, IFF_RUNNING, IFF_UP, RTM_DELADDR, RTM_IFANNOUNCE, RTM_IFINFO, RTM_NEWADDR, ROUTE_TABLEFILTER, RTABLE_ANY,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { DIALECTS, decode, errnoOf, routeMsg, type DialectArg } from './helpers.js';
import {
  D4, D6, DP4, DP6, DT6, P2P4, P2P6, RUNS, V4, V6, agree, changeOps, devOps, fmtMessage, foreignGwOps, ifaceOps, ifaddrOps, inet6Ops, infoText, isInet6Message, loopbackOps,
  modelInterfaces, modelText, p2pOps, pick, step, w,
  type Decoded, type Op,
  type Universe, type Weighted,
} from './model-harness.js';
import { INET, INET6, Model, bootDual, type Fam, type Ifnet } from './model-reference.js';

/**
 * The second rdomain (and its table and loopback lo<RD>): 5, or 9 in a run of its own (a table id
 * after 7's: rt_if_track and rt_ifa_purge walk an rdomain's tables by id once lo9's destruction
 * gives table 9 to rdomain 0). Read when a run starts. Request tables: 0, RD, and 7, which no
 * rdomain has.
 */
let RD = 5;

/** rdomain's i: an interface of the universe's other than lo0 (vether0, vether1, gif0 or tun0), or lo5 once it exists; `lo5`: lo5 up or down (IPv6). */
type RdOp = { kind: 'rdomain'; i: number | 'lo5'; rd: number } | { kind: 'in'; table: number; op: Op; fam?: 4 | 6 } | { kind: 'lo5'; up: boolean }
  | { kind: 'lo5create' } | { kind: 'lo5destroy' };

const ROUTE_KINDS = new Set(['add', 'addif', 'delete', 'delpick', 'get', 'getpick', 'lookup', 'change', 'changepick', 'delcached']);
/** Table RD the likeliest: its routes need an address moved there first. */
const table = () => fc.constantFrom(0, RD, RD, 7);
const addaddr = (i: number, a: string, fam?: 4 | 6): RdOp => ({ kind: 'in', table: 0, op: { kind: 'addaddr', i, a }, ...(fam ? { fam } : {}) });

/**
 * Universes of the runs: one family (V4, V6), or both on one set of interfaces (D4 and D6; DP4
 * and DP6 with a point-to-point gif0 beside them; DP4 and DT6 with a tun0), IPv4's first.
 */
type Universes = readonly [Universe] | readonly [Universe, Universe];
const DUAL: Universes = [D4, D6];
const DUAL_P2P: Universes = [DP4, DP6];
const DUAL_TUN: Universes = [DP4, DT6];
const famTag = (us: Universes, u: Universe): { fam?: 4 | 6 } => (us.length === 2 ? { fam: u === us[0] ? 4 : 6 } : {});
/** The interfaces are the last universe's (the dual runs': IPv6's, lo0 among them; gif0 or tun0 too in DUAL_P2P, DUAL_TUN). */
const ifnamesOf = (us: Universes) => us[us.length - 1]!.ifnames;
/** The point-to-point interface's position (gif0 or tun0), -1 if none. */
const p2pIndex = (ifnames: readonly string[]) => ifnames.findIndex((x) => /^(gif|tun)\d+$/.test(x));

/** Operations on universe `u` as steps: route requests in a drawn table, the others in the interface's rdomain (table 0 here). */
const inTable = (us: Universes, u: Universe, ops: readonly Weighted<Op>[]): Weighted<RdOp[]>[] =>
  ops.map((x) => w(x.weight, fc.tuple(table(), x.arbitrary).map(([t, op]): RdOp[] => [{ kind: 'in', table: ROUTE_KINDS.has(op.kind) ? t : 0, op, ...famTag(us, u) }])));

/**
 * The operations on one family's universe `u` (V4, or V6 with `inet6`), tagged with the family
 * for the dual runs, which also draw gateways of the other family, and gif0's p2pOps when the
 * universe has it.
 */
function familyOps(us: Universes, u: Universe): Weighted<RdOp[]>[] {
  const v6 = u.fam === INET6;
  const other = us.length === 2 ? (u === us[0] ? us[1] : us[0]) : undefined;
  const foreign = other ? foreignGwOps(u, other.changeGateways) : [];
  const ifnames = ifnamesOf(us);
  // The dual runs: IPv4 on loopbacks, lo5 (after the interfaces, once rdomain 5 made it) and
  // lo0. (Not in IPv4-only runs: lo(4)'s if_up runs in6_ifattach, which only a model with IPv6 follows.)
  const loopback = us.length === 2 && !v6 ? [...loopbackOps(u, ifnames.length), ...loopbackOps(u, ifnames.indexOf('lo0'), 1)] : [];
  const gif = p2pIndex(ifnames);
  const p2p = gif < 0 ? [] : p2pOps(u, gif, v6 ? P2P6 : P2P4);
  return [
    ...inTable(us, u, [...ifaddrOps(u), ...changeOps(u), ...(v6 ? inet6Ops(u) : []), ...foreign, ...loopback, ...p2p] as unknown as Weighted<Op>[]),
    // deladdr by rdomain: the harness's pick spans every interface's addresses.
    w(1, fc.record({ kind: fc.constant('deladdr' as const), pick }).map((op): RdOp[] => [{ kind: 'in', table: 0, op, ...famTag(us, u) }])),
  ];
}

/** `ifconfig gif0 A [D]` of universe `u`'s family (p2pOps' addresses and destinations) as a step; `gif`: gif0's position. */
const p2pAddress = (us: Universes, u: Universe, gif: number): fc.Arbitrary<RdOp> =>
  p2pOps(u, gif, u.fam === INET6 ? P2P6 : P2P4)[0].arbitrary.map((op): RdOp => ({ kind: 'in', table: 0, op, ...famTag(us, u) }));

/** The operations on universes `us` (V4; V6 with `inet6` and lo5 up and down; both). */
function rdSequences(us: Universes): fc.Arbitrary<RdOp[]> {
  const v6 = us.some((x) => x.fam === INET6);
  const ifnames = ifnamesOf(us);
  const gif = p2pIndex(ifnames);
  const tun = ifnames.indexOf('tun0');
  /** An address of some universe's, tagged (dual runs). */
  const address = fc.oneof(...us.map((u) => fc.constantFrom(...u.addresses).map((a) => ({ a, ...famTag(us, u) }))));
  /** What `ifconfig X rdomain R` moves: the universe's interfaces but lo0, and lo5. */
  const movable = [...ifnames.flatMap((name, i) => (name === 'lo0' ? [] : [i])), 'lo5' as const];
  /** An operation, or two: `ifconfig X rdomain R [address]` moves, then configures (most moves leave an address). */
  const ops: fc.Arbitrary<RdOp[]> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ i: fc.constantFrom(...movable), rd: fc.constantFrom(0, RD), a: fc.option(address, { nil: undefined, freq: 4 }) })
        .map(({ i, rd, a }): RdOp[] => [{ kind: 'rdomain', i, rd }, ...(a === undefined || i === 'lo5' ? [] : [addaddr(i, a.a, a.fam)])]),
    },
    ...us.flatMap((u) => familyOps(us, u)),
    // With gif0 (DUAL_P2P): `ifconfig gif0 rdomain R` then an address of either family with a
    // destination or not (p2pOps' addaddr), and `ifconfig X destroy` and `create` of the
    // universe's interfaces (gif0, the vethers; lo0's EPERM), through IPv4's model, which purges
    // both families. Weighted up: among two families' operations, gif0 would seldom leave rdomain 0.
    ...(gif < 0 ? [] : [
      w(8, fc.record({ rd: fc.constantFrom(0, RD), a: fc.oneof(...us.map((u) => p2pAddress(us, u, gif))) })
        .map(({ rd, a }): RdOp[] => [{ kind: 'rdomain', i: gif, rd }, a])),
      ...inTable(us, us[0], ifaceOps(us[us.length - 1]!, 3)),
    ]),
    // With tun0 (DUAL_TUN): its device opened and closed, in whichever rdomain tun0 is (a
    // destroyed tun0 is cloned in rdomain 0, the opening process's), through IPv4's model.
    ...(tun < 0 ? [] : inTable(us, us[0], devOps(us[us.length - 1]!, tun, 6))),
    ...(v6 ? [w(3, fc.boolean().map((up): RdOp[] => [{ kind: 'lo5', up }]))] : []),
    // `ifconfig lo5 create` (in rdomain 0, before or after rdomain 5 exists) and `destroy`.
    w(1, fc.constantFrom<RdOp[]>([{ kind: 'lo5create' }], [{ kind: 'lo5destroy' }])),
  );
  return fc.tuple(
    fc.array(fc.record({ i: fc.nat(1), a: address }), { minLength: 1, maxLength: us.length * 2 }),
    tunStart(us, tun),
    fc.array(ops, { maxLength: us.length * 12 }),
  ).map(([first, start, rest]): RdOp[] => [...first.map((x) => addaddr(x.i, x.a.a, x.a.fam)), ...start, ...rest.flat()]);
}

/**
 * With tun0 (at `tun`), a start that the rest seldom draws in one sequence: tun0 moved to rdomain
 * RD with an address there, its device opened or not (the device's link then moves routes in
 * RD's tables) — or destroyed and cloned by the device's open (whose close destroys it).
 */
function tunStart(us: Universes, tun: number): fc.Arbitrary<RdOp[]> {
  if (tun < 0) return fc.constant([]);
  const dev = (kind: 'devopen' | 'destroy'): RdOp => ({ kind: 'in', table: 0, op: { kind, i: tun }, ...famTag(us, us[0]) });
  return fc.oneof(
    fc.record({ a: fc.oneof(...us.map((u) => p2pAddress(us, u, tun))), open: fc.boolean() })
      .map(({ a, open }): RdOp[] => [{ kind: 'rdomain', i: tun, rd: RD }, a, ...(open ? [dev('devopen')] : [])]),
    fc.constant<RdOp[]>([dev('destroy'), dev('devopen')]),
  );
}

/**
 * The reference: tables (each a Model per family — one, or an IPv4 and an IPv6 one linked as
 * model-dual's — with the rdomain it belongs to), interfaces and their rdomains.
 */
class RdModel {
  readonly tables = new Map<number, { rdomain: number; ms: Model[] }>();
  readonly rdomainOf = new Map<Ifnet, number>();
  msgs: string[] = [];
  lo5: Ifnet | undefined;
  /** The index the next interface created gets (if_idxmap: never reused). */
  nextIndex: number;

  /** `ifs`: the universe's interfaces (lo0 among them for IPv6); lo5 joins them when rdomain 5 is made. */
  constructor(private readonly d: DialectArg, readonly ifs: Ifnet[], private readonly us: Universes) {
    for (const ifp of ifs) this.rdomainOf.set(ifp, 0);
    this.nextIndex = Math.max(1, ...ifs.map((x) => x.index)) + 1;
    const ms = us.length === 2 ? bootDual(d, ifs) : [us[0].boot(d, ifs)];
    for (const m of ms) {
      m.table = 0;
      this.link(m, 0);
    }
    this.tables.set(0, { rdomain: 0, ms });
  }

  /** Table `t`'s model of family `f` (the first family by default). */
  model(t: number, f?: Fam): Model {
    const { ms } = this.tables.get(t)!;
    return ms.find((m) => m.f === f) ?? ms[0]!;
  }

  /** A new table's models (empty), one per family, linked as model-dual's; rtable_add's tables are rdomain 0's. */
  addTable(id: number, rdomain: number): void {
    const ms = this.us.map((u) => new Model(this.d, this.ifs, u.fam));
    for (const m of ms) {
      m.table = id;
      m.families = () => ms;
      this.link(m, id);
    }
    this.tables.set(id, { rdomain, ms });
  }

  /**
   * A table model's view of its rdomain (looked up at each use: rtable_l2set moves table 5
   * between rdomains): interfaces, sibling tables (by id, same family), main table.
   */
  private link(m: Model, id: number): void {
    const rdomain = () => this.tables.get(id)!.rdomain;
    m.inDomain = (ifp) => this.rdomainOf.get(ifp) === rdomain();
    m.domain = () => [...this.tables].filter(([, t]) => t.rdomain === rdomain()).sort(([a], [b]) => a - b).map(([x]) => this.model(x, m.f));
    m.main = () => this.model(rdomain(), m.f);
    // 4.9's rt_if_remove: every table of every rdomain, by id, each family in AF order.
    m.everyTable = () => [...this.tables].sort(([a], [b]) => a - b).flatMap(([, t]) => [...t.ms].sort((x, y) => x.f.bits - y.f.bits));
    // rtable_loindex: lo0 for rdomain 0, lo5 for 5.
    m.isRdomainLoopback = (ifp) => ifp.loopback === true && !ifp.gone && ifp.name === `lo${rdomain()}`;
  }

  /** Every step's messages land in one list, in order. */
  reset(): void {
    this.msgs = [];
    for (const { ms } of this.tables.values()) for (const m of ms) m.msgs = this.msgs;
  }

  /** lo5, when it exists. */
  liveLo5(): Ifnet | undefined {
    return this.lo5 && !this.lo5.gone ? this.lo5 : undefined;
  }

  /** Whether `ifp` is its rdomain's own loopback (rtable_loindex): lo5 in rdomain 5. */
  private isLoindex(ifp: Ifnet): boolean {
    return ifp === this.liveLo5() && this.rdomainOf.get(ifp) === RD && this.tables.get(RD)?.rdomain === RD;
  }

  /** SIOCIFCREATE lo5 (in rdomain 0, down, a new index; IFAN_ARRIVAL); EEXIST while it exists. */
  createLo5(): number {
    if (this.liveLo5()) return ERRNO.EEXIST;
    if (!this.lo5) {
      this.lo5 = { name: `lo${RD}`, index: 0, mac: '', up: false, addrs: [], loopback: true };
      this.ifs.push(this.lo5);
    }
    this.rdomainOf.set(this.lo5, 0);
    this.model(0).create(this.lo5, this.nextIndex++, '');
    return 0;
  }

  /**
   * SIOCIFDESTROY lo5 (if_loop.c loop_clone_destroy): rdomain 5's own loopback only when alone
   * in it (EBUSY), then if_detach (the model's destroy) and rtable_l2set(5, 0, 0): table 5 is
   * rdomain 0's again. 4.9's refuses lo0 alone.
   */
  destroyLo5(lo5: Ifnet): number {
    // 4.9's loop_clone_destroy refuses lo0 alone.
    const own = this.d === 'openbsd' && this.isLoindex(lo5);
    if (own && this.ifs.some((x) => x !== lo5 && !x.gone && this.rdomainOf.get(x) === RD)) return ERRNO.EBUSY;
    const errno = this.model(this.rdomainOf.get(lo5)!).destroy(lo5);
    if (own) this.tables.get(RD)!.rdomain = 0;
    return errno;
  }

  /**
   * SIOCSIFRDOMAIN (§E.2; if.c ifioctl, if_createrdomain, if_setrdomain). if_createrdomain:
   * rtable_add (a new table is rdomain 0's); a table with routes is left alone (EEXIST); else
   * lo<N> is cloned (IFAN_ARRIVAL, left down) — an lo<N> that exists already and is not the
   * interface moved is EEXIST, the table staying rdomain 0's — and the table becomes rdomain N's,
   * lo<N>'s rdomain set directly (nothing detached). if_setrdomain: an rdomain's own loopback
   * cannot leave (EPERM), the table must be an rdomain of its own (EINVAL); moving: if_down
   * (IFF_UP alone, routes marked down), addresses purged in the old table, switched, if_up.
   */
  setRdomain(ifp: Ifnet, rd: number): number {
    if (this.d === 'openbsd-4.9') return this.setRdomain49(ifp, rd);
    if (!this.tables.has(rd)) {
      this.addTable(rd, 0);
      this.reset();
    }
    const t = this.tables.get(rd)!;
    // rtable_empty: no route of any family. (lo0 always exists: rdomain 0 is only ever rdomain 0's.)
    if (rd === RD && t.ms.every((m) => m.routes.length === 0)) {
      if (!this.liveLo5()) {
        this.createLo5();
        this.rdomainOf.set(this.lo5!, RD);
        t.rdomain = RD;
      } else if (this.lo5 === ifp) {
        this.rdomainOf.set(ifp, RD);
        t.rdomain = RD;
      }
    }
    // if_setrdomain reads if_rdomain as if_createrdomain left it.
    const from = this.rdomainOf.get(ifp)!;
    if (from !== rd && this.isLoindex(ifp)) return ERRNO.EPERM;
    if (t.rdomain !== rd) return ERRNO.EINVAL;
    if (from === rd) return 0;
    const m = this.model(from);
    const wasUp = ifp.up;
    // if_setrdomain's own if_down: IFF_RUNNING stays.
    if (wasUp) m.ifDown(ifp);
    // in_ifdetach, then in6_ifdetach (if_setrdomain).
    for (const x of this.tables.get(from)!.ms) x.detach(ifp);
    this.rdomainOf.set(ifp, rd);
    if (wasUp) this.model(rd).setUp(ifp, true);
    return 0;
  }

  /**
   * 4.9's SIOCSIFRDOMAIN (if.c 1.237 ifioctl): a table that does not exist becomes an rdomain
   * of its own (rtable_add, rtable_l2set; no loopback made), one that is not an rdomain is EINVAL.
   * The move: rt_if_remove — every table by id, each family in AF order, its routes on `ifp`
   * deleted by key in the table of ifp's rdomain (Model.removeInterfaceRoutes) — then
   * in6_ifdetach, IFXF_NOINET6, and the IPv4 addresses dropped without a message. No if_down or
   * if_up.
   */
  private setRdomain49(ifp: Ifnet, rd: number): number {
    if (!this.tables.has(rd)) {
      this.addTable(rd, rd);
      this.reset();
    }
    if (this.tables.get(rd)!.rdomain !== rd) return ERRNO.EINVAL;
    const from = this.rdomainOf.get(ifp)!;
    if (from === rd) return 0;
    this.model(from).removeInterface49(ifp);
    ifp.noInet6 = true;
    for (const a of ifp.addrs.filter((x) => x.f === INET)) ifp.addrs.splice(ifp.addrs.indexOf(a), 1);
    this.rdomainOf.set(ifp, rd);
    return 0;
  }
}

/**
 * What a listener with this table filter should get of the step's tagged messages (§B step 4),
 * `rdomain` the filter table's rdomain when they were sent.
 */
function forFilter(msgs: string[], filter: number, rdomain: number | undefined): string[] {
  return msgs.filter((x) => {
    if (x.startsWith('IFANNOUNCE')) return true;
    const t = Number(/ T(\d+)$/.exec(x)![1]);
    return /^(NEWADDR|DELADDR)/.test(x) ? t === rdomain : t === filter;
  });
}

interface Listener { s: RoutingSocket; filter: number }

function read(
  d: DialectArg, us: Universes, k: Kernel, l: Listener, ifs: Ifnet[],
): { msgs: string[]; ifinfo: Map<number, boolean>; rdomains: number[] } {
  const u = us[0];
  // 4.9's if_up attaches IPv6 everywhere: an IPv4 run leaves the kernel's IPv6 messages out.
  const ipv4Only = d === 'openbsd-4.9' && us.length === 1 && u.fam === INET;
  const msgs: string[] = [];
  const ifinfo = new Map<number, boolean>();
  const rdomains: number[] = [];
  // Messages about a destroyed interface (lo5) still name it.
  const nameOf = (index: number) => k.interfaceByIndex(index)?.name ?? ifs.find((x) => x.index === index)?.name;
  for (let b = l.s.read(); b; b = l.s.read()) {
    const m = decode(d, b) as unknown as Decoded;
    if (ipv4Only && isInet6Message(m)) continue;
    if (m.type === RTM_IFINFO) {
      ifinfo.set(m.index, (m.flags & IFF_UP) !== 0);
      rdomains.push(m.tableid);
    }
    else if (m.type === RTM_IFANNOUNCE) msgs.push(fmtMessage(d, u.fam, nameOf, m));
    else msgs.push(`${fmtMessage(d, u.fam, nameOf, m)} T${m.tableid}`);
  }
  return { msgs, ifinfo, rdomains };
}

function property(d: DialectArg, us: Universes): fc.IPropertyWithHooks<[RdOp[]]> {
  return fc.property(rdSequences(us), (seqOps) => {
    const k = createKernel({ dialect: d });
    const ifs = modelInterfaces(k, ifnamesOf(us));
    const rm = new RdModel(d, ifs, us);
    const any: Listener = { s: k.socket(), filter: RTABLE_ANY };
    any.s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    const listeners: Listener[] = [any];
    // Table 0's listener sets ROUTE_TABLEFILTER; table 5's is a process in rtable 5 (`route -T 5
    // monitor`): a routing socket's filter starts as its process's table (rtsock.c route_attach).
    const listen = (t: number) => {
      const s = t === 0 ? k.socket() : k.socket({ rtable: t });
      if (t === 0) s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, t);
      listeners.push({ s, filter: t });
    };
    listen(0);
    let seq = 0;
    for (const [n, o] of seqOps.entries()) {
      rm.reset();
      // Table rdomains as the step starts: lo5's destruction gives table 5 back to rdomain 0
      // after its messages were delivered.
      const rdomainsBefore = new Map([...rm.tables].map(([id, t]) => [id, t.rdomain]));
      let got: string, want: string, desc: string;
      // The step's family: its universe (the dual runs tag each step).
      const u = o.kind === 'in' && o.fam === 6 ? us[1]! : us[0];
      if (o.kind === 'rdomain') {
        const ifp = o.i === 'lo5' ? rm.liveLo5() : ifs[o.i]!;
        // A destroyed interface has no rdomain to set (ifioctl's ENXIO; the kernel API's ENOENT).
        if (!ifp || ifp.gone) continue;
        got = String(errnoOf(() => k.ifconfig.setRdomain(ifp.name, o.rd)));
        want = String(rm.setRdomain(ifp, o.rd));
        desc = `${ifp.name} rdomain ${o.rd}`;
      } else if (o.kind === 'lo5create') {
        const before = rm.nextIndex;
        want = String(rm.createLo5());
        got = String(errnoOf(() => k.ifconfig.create(`lo${RD}`)));
        if (rm.nextIndex !== before) agree(`step ${n}`, 'lo5 index', k.ifconfig.indexOf(`lo${RD}`), rm.lo5!.index);
        desc = `lo${RD} create`;
      } else if (o.kind === 'lo5destroy') {
        const lo5 = rm.liveLo5();
        if (!lo5) continue;
        got = String(errnoOf(() => k.ifconfig.destroy(lo5.name)));
        want = String(rm.destroyLo5(lo5));
        desc = `${lo5.name} destroy`;
      } else if (o.kind === 'lo5') {
        // if_up of rdomain 5's loopback: in6_ifattach (::1, fe80::1%lo5), then rt_if_track.
        const lo5 = rm.liveLo5();
        if (!lo5) continue;
        got = String(errnoOf(() => k.ifconfig[o.up ? 'up' : 'down'](lo5.name)));
        want = String(rm.model(rm.rdomainOf.get(lo5)!).setUp(lo5, o.up));
        desc = `${lo5.name} ${o.up ? 'up' : 'down'}`;
      } else if (o.op.kind === 'deladdr') {
        // Configured (interface, address) pairs first, then the others (EADDRNOTAVAIL), each in its
        // rdomain's table; IPv6: the link-local addresses and a loopback's ::1 too.
        const own = (ifp: Ifnet) => ifp.addrs.filter((a) => a.f === u.fam);
        const pairs = ifs.filter((ifp) => !ifp.gone).flatMap((ifp) => [
          ...u.addresses.map((a) => ({ ifp, addr: u.fam.parse(a.split('/')[0]!) })),
          ...own(ifp).filter((a) => u.fam.fmt(a.addr).startsWith('fe80:') || a.addr === 1n || (u.fam === INET && ifp.loopback))
            .map((a) => ({ ifp, addr: a.addr })),
        ]);
        const has = (x: { ifp: Ifnet; addr: bigint }) => own(x.ifp).some((a) => a.addr === x.addr);
        const { ifp, addr } = [...pairs.filter(has), ...pairs.filter((x) => !has(x))][o.op.pick % pairs.length]!;
        got = String(errnoOf(() => k.ifconfig.deleteAddress(ifp.name, u.fam.fmt(addr).replace(/%.*/, ''))));
        want = String(rm.model(rm.rdomainOf.get(ifp)!, u.fam).deleteAddress(ifp, addr));
        desc = `${ifp.name} ${u.fam.fmt(addr)} delete`;
      } else if (o.op.kind === 'create' || o.op.kind === 'destroy' || o.op.kind === 'devopen' || o.op.kind === 'devclose') {
        // SIOCIFDESTROY in the interface's rdomain; SIOCIFCREATE of a destroyed one in rdomain 0,
        // with the next index of all (RdModel's counter: lo5 draws from it too). A device's open
        // clones a destroyed tun as SIOCIFCREATE does (tun_dev_open: the process's rdomain, 0),
        // its close may destroy it.
        const ifp = ifs[o.op.i]!;
        const created = (o.op.kind === 'create' || (o.op.kind === 'devopen' && ifp.dev !== undefined)) && ifp.gone;
        const rd = created ? 0 : rm.rdomainOf.get(ifp)!;
        const m = rm.model(rd);
        m.nextIndex = rm.nextIndex;
        ({ got, want, desc } = step(d, u, k, any.s, m, o.op, ++seq, rd));
        rm.nextIndex = m.nextIndex;
        if (created) rm.rdomainOf.set(ifp, 0);
        desc += ` (rdomain ${rd})`;
      } else if (!ROUTE_KINDS.has(o.op.kind)) {
        // up/down/addaddr: in the interface's rdomain (lo5's once it exists).
        const ifp = ifs[(o.op as { i: number }).i];
        if (!ifp) continue;
        const rd = rm.rdomainOf.get(ifp)!;
        ({ got, want, desc } = step(d, u, k, any.s, rm.model(rd, u.fam), o.op, ++seq, rd));
        desc += ` (rdomain ${rd})`;
      } else if (o.op.kind === 'lookup' ? !rm.tables.has(o.table) : /pick$/.test(o.op.kind) && rm.tables.has(o.table) && rm.model(o.table, u.fam).routes.length === 0) {
        // A lookup needs the table; a pick, a route in it.
        continue;
      } else if (!rm.tables.has(o.table) && o.op.kind !== 'add') {
        // §A.3 row 9: a missing table is EINVAL (4.9 echoes validation errors, current is silent).
        const dst = o.op.kind === 'delete' || o.op.kind === 'get' || o.op.kind === 'change' ? o.op.dst.split('/')[0]! : u.hosts[0]!;
        const type = o.op.kind.startsWith('get') ? 'RTM_GET' : o.op.kind.startsWith('change') ? 'RTM_CHANGE' : 'RTM_DELETE';
        got = String(errnoOf(() => any.s.write(routeMsg(d, { type, dst, flags: 0, tableid: o.table, seq: ++seq }))));
        want = String(ERRNO.EINVAL);
        if (d === 'openbsd-4.9') rm.msgs.push(`${type.slice(4)} ${dst} errno=${ERRNO.EINVAL} T${o.table}`);
        desc = `${type} ${dst} (table ${o.table} missing)`;
      } else {
        // §A.3 row 9: RTM_ADD to a missing table makes it, in rdomain 0 (rtable.c rtable_add).
        if (!rm.tables.has(o.table)) {
          rm.addTable(o.table, 0);
          rm.reset();
        }
        ({ got, want, desc } = step(d, u, k, any.s, rm.model(o.table, u.fam), o.op, ++seq, o.table));
        desc += ` (table ${o.table})`;
      }
      const where = `step ${n}: ${desc}`;
      agree(where, 'outcome', got, want);
      // The models tag every message with their table; an interface announcement has none.
      const sent = rm.msgs.map((x) => (x.startsWith('IFANNOUNCE') ? x.replace(/ T\d+$/, '') : x));
      const rdomainOf = (t: number) => (o.kind === 'lo5destroy' ? rdomainsBefore.get(t) : rm.tables.get(t)?.rdomain);
      for (const l of listeners) {
        const { msgs, ifinfo, rdomains } = read(d, us, k, l, ifs);
        const wanted = l.filter === RTABLE_ANY ? sent : forFilter(sent, l.filter, rdomainOf(l.filter));
        agree(where, `messages (filter ${l.filter === RTABLE_ANY ? 'any' : l.filter})`, msgs, wanted);
        // RTM_IFINFO's number is open (§F.3): a filtered listener gets those of its table's
        // rdomain; the last one the unfiltered listener gets carries IFF_UP as it now is.
        if (l.filter !== RTABLE_ANY) {
          const rdomain = rdomainOf(l.filter);
          agree(where, `RTM_IFINFO rdomains (filter ${l.filter})`, rdomains.filter((x) => x !== rdomain), []);
          continue;
        }
        for (const [index, up] of ifinfo) {
          const ifp = [...ifs, ...(rm.lo5 ? [rm.lo5] : [])].find((x) => x.index === index);
          agree(where, `IFF_UP of #${index}`, up, ifp?.up);
        }
      }
      // A tun's state, announced or not (its device sets and clears flags silently), and rdomain.
      for (const x of ifs) {
        if (!x.dev || x.gone) continue;
        const kifp = k.ifconfig.interfaceNamed(x.name);
        agree(where, `${x.name} state`, kifp && [kifp.isUp, (kifp.flags & IFF_RUNNING) !== 0, kifp.linkState, kifp.deviceOpen, kifp.rdomain],
          [x.up, x.dev.running, x.dev.link, x.dev.open, rm.rdomainOf.get(x)]);
      }
      if (rm.tables.has(RD) && !listeners.some((l) => l.filter === RD)) listen(RD);
      for (const [id, t] of rm.tables) {
        for (const m of t.ms) agree(where, `table ${id} ${m.f.af}`, k.routes(id, m.f.af).map(infoText), m.walk().map((r) => modelText(m, r)));
        agree(where, `table ${id} rdomain`, k.table(id)?.rdomain, t.rdomain);
      }
    }
  });
}

describe.each(DIALECTS)('rdomains and tables vs reference model (%s)', (d) => {
  it('IPv4: agree on errnos, messages per table filter, tables and lookups', () => {
    fc.assert(property(d, [V4]), { numRuns: RUNS });
  });

  it('IPv6: agree on errnos, messages per table filter, tables and lookups', () => {
    fc.assert(property(d, [V6]), { numRuns: RUNS });
  });

  it('both families: agree on errnos, messages per table filter, tables and lookups', () => {
    fc.assert(property(d, DUAL), { numRuns: RUNS * 2 });
  });

  it('both families with a point-to-point gif0: agree on errnos, messages per table filter, tables and lookups', () => {
    fc.assert(property(d, DUAL_P2P), { numRuns: RUNS * 2 });
  });

  it('both families with a point-to-point tun0 and its device: agree on errnos, messages per table filter, tables and lookups', () => {
    fc.assert(property(d, DUAL_TUN), { numRuns: RUNS * 2 });
  });

  it('both families, rdomain 9 and lo9: agree on errnos, messages per table filter, tables and lookups', () => {
    RD = 9;
    try {
      fc.assert(property(d, DUAL), { numRuns: RUNS });
    } finally {
      RD = 5;
    }
  });
});
