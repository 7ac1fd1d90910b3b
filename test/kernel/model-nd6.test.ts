/**
 * Model-based test of IPv6 neighbour discovery: random sequences of packets sent (nd6_resolve),
 * Neighbor Solicitations and Advertisements received on either of two Ethernet-like interfaces
 * (flags, link-layer options, hop limits, destinations, DAD probes, proxied and foreign targets),
 * time passing, nd6_timer runs and RTM_DELETEs, on a host or a router (ip6 forwarding), checked
 * after every step against a small reference written from current OpenBSD's nd6.c (nd6_lookup,
 * nd6_cache_lladdr, nd6_resolve, nd6_timer, nd6_llinfo_timer, nd6_free) and nd6_nbr.c
 * (nd6_ns_input, nd6_na_input, nd6_isneighbor): each call's result, the messages a listener
 * reads (type, destination, flags), and every neighbour's L2 entry (gateway, flags, expire) with
 * its ND state, asked count and IsRouter (SIOCGNBRINFO_IN6). 1,000 runs per dialect unless
 * FUZZ_RUNS says otherwise.
 *
 * vether0 holds 2001:db8::1/64, vether1 2001:db8:1::1/64 (each with its link-local address);
 * 2001:db8:99::/48 and the default route go via 2001:db8::5, whose entry is therefore a cached
 * next hop (RTM_DELETE and the timer only invalidate it); 2001:db8::77 is proxied (RTF_ANNOUNCE).
 */
import fc from 'fast-check';
import {
  AF_ROUTE, RTABLE_ANY, ROUTE_TABLEFILTER, RTF_ANNOUNCE, RTF_CACHED, RTF_CLONED, RTF_HOST, RTF_LLINFO, RTF_REJECT,
  RTF_STATIC, RTF_UP, RTM_ADD, RTM_DELETE, RTM_RESOLVE,
} from '../../src/kernel/constants.js';
import { DAD_RETRANS } from '../../src/kernel/dad.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel, type NdPacketInput } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { describeRoute } from '../../src/kernel/route-info.js';
import { parseV6 } from '../../src/addr/parse.js';
import { DIALECTS, drain, errnoOf, routeMsg, type DialectArg } from './helpers.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1000);
const T0 = 1_800_000_000;
/** nd6.c / nd6.h, in seconds (REACHABLE: the model's fixed ND_COMPUTE_RTIME). */
const RETRANS = 1, DELAY = 5, REACHABLE = 30, GCTIMER = 86400, MMAXTRIES = 3, UMAXTRIES = 3;
const IFS = { vether0: 2, vether1: 3 } as const;
type IfName = keyof typeof IFS;
const OWN_MAC: Record<IfName, string> = { vether0: 'fe:e1:ba:d0:00:02', vether1: 'fe:e1:ba:d0:00:03' };
const LL0 = 'fe80::fce1:baff:fed0:2';
const NEXT_HOP = '2001:db8::5';
const OFF_LINK = '2001:db8:7::7';
const PROXIED = '2001:db8::77';
const MACS = ['00:00:00:00:00:0a', '00:00:00:00:00:0b'];
/** Entry keys as kernel.routes() writes them (scope as the interface index). */
const KEYS = ['2001:db8::2', '2001:db8::3', NEXT_HOP, 'fe80::2%2', 'fe80::2%3', '2001:db8:1::2', OFF_LINK];
const SHOWN = RTF_UP | RTF_HOST | RTF_LLINFO | RTF_REJECT | RTF_CLONED | RTF_CACHED | RTF_STATIC;
const UHLc = RTF_UP | RTF_HOST | RTF_LLINFO | RTF_CLONED;

const NOSTATE = 'nostate', INCOMPLETE = 'incomplete', STALE = 'stale', DELAYST = 'delay', PROBE = 'probe';
type State = 'nostate' | 'incomplete' | 'reachable' | 'stale' | 'delay' | 'probe';
/** ND6_LLINFO_* order: NOSTATE < INCOMPLETE < the resolved states. */
const resolvedState = (s: State) => s !== NOSTATE && s !== INCOMPLETE;

type Op =
  | { kind: 'resolve'; addr: string }
  | { kind: 'burst'; addr: string; n: number }
  | { kind: 'input'; ifname: IfName; pkt: NdPacketInput }
  | { kind: 'tick'; dt: number }
  | { kind: 'timers' }
  | { kind: 'delete'; addr: string };

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const destination = fc.constantFrom(...KEYS.filter((k) => !k.includes('%')), 'fe80::2%vether0', '2001:db8:99::7');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('resolve' as const), addr: destination }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('burst' as const), addr: destination, n: fc.integer({ min: 2, max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({
    kind: fc.constant('input' as const),
    ifname: fc.constantFrom('vether0' as const, 'vether1' as const),
    pkt: fc.record({
      type: fc.constant('ns' as const),
      src: fc.constantFrom('2001:db8::2', '2001:db8::3', NEXT_HOP, 'fe80::2', '2001:db8:1::2', '::', OFF_LINK, '2001:db8::1'),
      target: fc.constantFrom('2001:db8::1', '2001:db8:1::1', LL0, PROXIED, '2001:db8::9', 'ff02::1'),
      sllao: maybe(fc.constantFrom(...MACS)),
      dst: maybe(fc.constantFrom('ff02::1', '2001:db8::1')),
      hlim: fc.constantFrom(255, 255, 255, 64),
    }, { requiredKeys: ['type', 'src', 'target', 'hlim'] }),
  }) },
  { weight: 4, arbitrary: fc.record({
    kind: fc.constant('input' as const),
    ifname: fc.constantFrom('vether0' as const, 'vether1' as const),
    pkt: fc.record({
      type: fc.constant('na' as const),
      target: fc.constantFrom('2001:db8::2', '2001:db8::3', NEXT_HOP, 'fe80::2', '2001:db8:1::2', OFF_LINK, '2001:db8::1', 'ff02::1'),
      tllao: maybe(fc.constantFrom(...MACS)),
      dst: maybe(fc.constantFrom('ff02::1', '2001:db8::1')),
      hlim: fc.constantFrom(255, 255, 255, 254),
      router: fc.boolean(),
      solicited: fc.boolean(),
      override: fc.boolean(),
    }, { requiredKeys: ['type', 'target', 'hlim', 'router', 'solicited', 'override'] }),
  }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), dt: fc.constantFrom(0, 1, 1, 2, 3, 4, 5, 6, 29, 30, 31, 100, 86399, 86400, 86401) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('timers' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), addr: fc.constantFrom('2001:db8::2', '2001:db8::3', NEXT_HOP, '2001:db8:1::2', OFF_LINK, '2001:db8::1') }) },
);

/** One neighbour's L2 entry and its llinfo_nd6. */
interface Entry {
  key: string;
  ifname: IfName;
  /** A host route nd6_lookup added (not a clone): gateway the interface's if_sadl, RTP_CONNECTED. */
  host: boolean;
  mac: string | undefined;
  state: State;
  asked: number;
  router: boolean;
  expire: number;
}

/** The reference: entries in nd6_list order (head first), nd6_timer's schedule, what a listener reads. */
class NdModel {
  now = T0;
  /** When nd6_timer's timeout fires, while pending. */
  timerAt: number | undefined;
  list: Entry[] = [];
  readonly msgs: string[] = [];

  constructor(readonly router: boolean, private readonly shown: number) {
    // The routes via 2001:db8::5 clone its entry (rt_setgwroute's RT_RESOLVE lookup).
    this.clone(NEXT_HOP, 'vether0');
    this.msgs.length = 0;
  }

  entry(key: string): Entry | undefined {
    return this.list.find((e) => e.key === key);
  }

  flags(e: Entry): number {
    return RTF_UP | RTF_HOST | RTF_LLINFO | (e.host ? 0 : RTF_CLONED) | (e.key === NEXT_HOP ? RTF_CACHED : 0);
  }

  gateway(e: Entry): string {
    return e.mac ?? (e.host ? e.ifname : `link#${IFS[e.ifname]}`);
  }

  private msg(type: number, e: Entry, flags = this.flags(e)): void {
    this.msgs.push(`${type} ${e.key} ${flags & this.shown}`);
  }

  /** nd6_llinfo_settimer at `at`: the entry's expire, and the timeout brought forward if needed. */
  private settimer(e: Entry, secs: number, at = this.now): void {
    e.expire = at + secs;
    if (this.timerAt === undefined || e.expire < this.timerAt) this.timerAt = e.expire;
  }

  /** rt_clone and nd6_rtrequest(RTM_RESOLVE): NOSTATE, due now, at the head of the list; RTM_ADD. */
  private clone(key: string, ifname: IfName): Entry {
    const e: Entry = { key, ifname, host: false, mac: undefined, state: NOSTATE, asked: 0, router: false, expire: 0 };
    this.list.unshift(e);
    this.settimer(e, 0);
    this.msg(RTM_ADD, e);
    return e;
  }

  /** Where a neighbour key lives: its connected /64's interface, or a link-local's scope. */
  private onLink(key: string): IfName | undefined {
    if (key.startsWith('fe80::')) return key.endsWith('%2') ? 'vether0' : 'vether1';
    if (key.startsWith('2001:db8:1::')) return 'vether1';
    if (/^2001:db8::[0-9a-f]+$/.test(key)) return 'vether0';
    return undefined;
  }

  private ours(key: string, ifname: IfName): boolean {
    return ifname === 'vether0' ? key === '2001:db8::1' || key === `${LL0}%2` : key === '2001:db8:1::1' || key === 'fe80::fce1:baff:fed0:3%3';
  }

  /**
   * nd6_lookup(key, create, ifname): an entry of that interface; with create, a clone from the
   * connected route, or (nothing on-link, an existing entry elsewhere aside) a host route.
   */
  private lookup(key: string, create: boolean, ifname: IfName): Entry | undefined {
    // Our addresses' local routes are L2 entries too, of their own interface (never another's).
    if (this.ours(key, 'vether0') || this.ours(key, 'vether1')) return undefined;
    const e = this.entry(key);
    if (e) return e.ifname === ifname ? e : undefined;
    if (!create) return undefined;
    const where = this.onLink(key);
    if (where) {
      const c = this.clone(key, where);
      return where === ifname ? c : undefined;
    }
    // Only the default route covers it: rtrequest(RTM_ADD) of a host route on `ifname`,
    // silently; nd6_rtrequest gives it no timer (permanent), nd6_lookup NOSTATE.
    const h: Entry = { key, ifname, host: true, mac: OWN_MAC[ifname], state: NOSTATE, asked: 0, router: false, expire: 0 };
    this.list.unshift(h);
    return h;
  }

  resolve(addr: string): unknown {
    let e: Entry;
    if (addr === '2001:db8:99::7' || (addr === OFF_LINK && !this.entry(OFF_LINK))) e = this.entry(NEXT_HOP)!;
    else {
      const key = addr === 'fe80::2%vether0' ? 'fe80::2%2' : addr;
      e = this.entry(key) ?? this.clone(key, this.onLink(key)!);
    }
    this.list.splice(this.list.indexOf(e), 1);
    this.list.unshift(e);
    if (e.state === STALE) {
      e.asked = 0;
      e.state = DELAYST;
      this.settimer(e, DELAY);
    }
    if (resolvedState(e.state)) {
      if (e.mac === undefined) return { status: 'error', errno: ERRNO.EINVAL };
      return { status: 'resolved', lladdr: Uint8Array.from(e.mac.split(':').map((x) => parseInt(x, 16))) };
    }
    e.state = INCOMPLETE;
    if (e.expire === 0 || e.asked !== 0) return { status: 'pending', request: false };
    e.asked = 1;
    this.settimer(e, RETRANS);
    return { status: 'pending', request: true };
  }

  input(ifname: IfName, p: NdPacketInput): unknown {
    const none = { cached: false, resolved: false, replied: false };
    const drop = (note: string) => ({ ...none, note });
    const idx = IFS[ifname];
    const scoped = (a: string) => (a.startsWith('fe80::') ? `${a}%${idx}` : a);
    if (p.type === 'ns') {
      if (p.hlim !== 255) return drop(`bad NS: hop limit ${p.hlim}`);
      const src = scoped(p.src!);
      const dad = src === '::';
      if (dad && p.dst !== undefined) return drop('bad NS: from the unspecified address, not to a solicited-node address');
      // nd6_isneighbor: a clone or cloning route of this interface covers it.
      if (!dad && (this.onLink(src) !== ifname || this.ours(src, ifname))) return drop('bad NS: source is not a neighbour on this link');
      if (p.target.startsWith('ff')) return drop('bad NS: multicast target');
      if (dad && p.sllao) return drop('bad NS: source link-layer address option from the unspecified address');
      const target = scoped(p.target);
      if (!this.ours(target, ifname) && target !== PROXIED) return drop('not for us');
      if (dad) return { ...none, replied: true };
      // nd6_cache_lladdr.
      let e = this.lookup(src, false, ifname);
      const isNew = e === undefined;
      e ??= this.lookup(src, true, ifname)!;
      const olladdr = e.mac !== undefined;
      const llchange = olladdr && p.sllao !== undefined && p.sllao !== e.mac;
      if (p.sllao) e.mac = p.sllao;
      if (isNew || (!olladdr && p.sllao) || llchange) {
        e.state = isNew && !p.sllao ? NOSTATE : STALE;
        if (e.state === STALE) this.settimer(e, GCTIMER);
      }
      if (isNew) e.router = false;
      return { ...none, cached: true, replied: true };
    }
    if (p.hlim !== 255) return drop(`bad NA: hop limit ${p.hlim}`);
    if (p.target.startsWith('ff')) return drop('bad NA: multicast target');
    const dstMulticast = p.dst === undefined ? !p.solicited : p.dst.startsWith('ff');
    if (p.solicited && dstMulticast) return drop('bad NA: solicited, to a multicast address');
    if (dstMulticast && !p.tllao) return drop('bad NA: to a multicast address without a target link-layer address');
    const target = scoped(p.target);
    if (this.ours(target, ifname)) return drop('duplicate IP6 address');
    let e = this.lookup(target, false, ifname);
    if (!e && this.router) {
      e = this.lookup(target, true, ifname);
      if (!e) return drop('no neighbour cache entry could be made');
      if (!p.tllao) return drop('no target link-layer address');
      e.mac = p.tllao;
      e.state = STALE;
      this.settimer(e, GCTIMER);
      return { ...none, cached: true };
    }
    if (!e) return drop('no neighbour cache entry');
    let resolved = false;
    if (e.state === INCOMPLETE) {
      if (!p.tllao) return drop('no target link-layer address for an incomplete entry');
      e.mac = p.tllao;
      if (p.solicited) {
        e.state = 'reachable';
        this.msg(RTM_RESOLVE, e);
        resolved = true;
        if (e.expire !== 0) this.settimer(e, REACHABLE);
      } else {
        e.state = STALE;
        this.settimer(e, GCTIMER);
      }
      e.router = p.router === true;
    } else {
      const llchange = p.tllao !== undefined && p.tllao !== e.mac;
      if (!p.override && llchange) {
        if (e.state === 'reachable') {
          e.state = STALE;
          this.settimer(e, GCTIMER);
        }
        return { ...none, cached: true };
      }
      if (p.tllao) e.mac = p.tllao;
      if (p.solicited) {
        e.state = 'reachable';
        if (e.expire !== 0) this.settimer(e, REACHABLE);
      } else if (llchange) {
        e.state = STALE;
        this.settimer(e, GCTIMER);
      }
      e.router = p.router === true;
    }
    e.asked = 0;
    return { ...none, cached: true, resolved };
  }

  tick(dt: number): void {
    this.now += dt;
  }

  timers(): number {
    let deleted = 0;
    while (this.timerAt !== undefined && this.timerAt <= this.now) deleted += this.timerRun(this.timerAt);
    return deleted;
  }

  /** nd6_timer firing at `u`. */
  private timerRun(u: number): number {
    this.timerAt = undefined;
    let deleted = 0;
    let earliest = u + GCTIMER;
    let busy = false;
    for (const e of [...this.list]) {
      if (!this.list.includes(e) || e.expire === 0) continue;
      if (e.expire > u) {
        earliest = Math.min(earliest, e.expire);
        continue;
      }
      if (e.state === NOSTATE) {
        earliest = Math.min(earliest, e.expire);
        continue;
      }
      busy = true;
      let free = false;
      if (e.state === INCOMPLETE) {
        if (e.asked < MMAXTRIES) {
          e.asked++;
          this.settimer(e, RETRANS, u);
        } else free = true;
      } else if (e.state === 'reachable') {
        e.state = STALE;
        this.settimer(e, GCTIMER, u);
      } else if (e.state === STALE) free = true;
      else if (e.state === DELAYST) {
        e.asked = 1;
        e.state = PROBE;
        this.settimer(e, RETRANS, u);
      } else if (e.asked < UMAXTRIES) {
        e.asked++;
        this.settimer(e, RETRANS, u);
      } else free = true;
      if (!free) {
        earliest = Math.min(earliest, e.expire);
        continue;
      }
      // nd6_free: invalidated; deleted (rtdeletemsg) unless the cached next hop.
      e.mac = undefined;
      e.state = INCOMPLETE;
      e.asked = 0;
      if (e.key !== NEXT_HOP) {
        this.msg(RTM_DELETE, e);
        this.list.splice(this.list.indexOf(e), 1);
        deleted++;
      }
    }
    // The local entries keep the list non-empty: the timeout is always set again.
    this.timerAt = u + Math.max(1, earliest - u);
    if (!busy && this.timerAt === u + 1) {
      // Idle NOSTATE entries due: it fires each second with nothing to do until a live timer.
      const live = this.list.filter((e) => e.expire !== 0 && e.state !== NOSTATE).map((e) => e.expire);
      this.timerAt = Math.max(u + 1, Math.min(this.now + 1, ...live));
    }
    return deleted;
  }

  /** RTM_DELETE of a host: EINVAL for our local route, ESRCH without an entry, invalidation only for the cached next hop. */
  delete(addr: string): number {
    const e = this.entry(addr);
    const errno = addr === '2001:db8::1' ? ERRNO.EINVAL : e ? 0 : ERRNO.ESRCH;
    if (!e || errno !== 0) {
      this.msgs.push(`${RTM_DELETE} ${addr} 0`);
      return errno;
    }
    if (addr === NEXT_HOP) {
      e.mac = undefined;
      e.state = INCOMPLETE;
      e.asked = 0;
      this.msg(RTM_DELETE, e);
      return 0;
    }
    this.list.splice(this.list.indexOf(e), 1);
    this.msg(RTM_DELETE, e, this.flags(e) & ~(RTF_UP | RTF_LLINFO));
    return 0;
  }
}

/**
 * The addresses are configured DAD_RETRANS before the clock's start and their DAD verdicts run
 * then: the reference's addresses are settled ones (DAD itself is dad.test.ts's).
 */
function boot(d: DialectArg, clock: { now: number }, router: boolean): { k: Kernel; s: RoutingSocket } {
  const start = clock.now;
  clock.now = start - DAD_RETRANS;
  const k = createKernel({ dialect: d, clock: () => clock.now, ip6Forwarding: router });
  for (const [name, addr] of [['vether0', '2001:db8::1/64'], ['vether1', '2001:db8:1::1/64']] as const) {
    k.ifconfig.create(name);
    k.ifconfig.up(name);
    k.ifconfig.addAddress(name, addr);
  }
  clock.now = start;
  k.runTimers();
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  s.write(routeMsg(d, { dst: '2001:db8:99::', plen: 48, gw: NEXT_HOP }));
  s.write(routeMsg(d, { dst: '::', plen: 0, gw: NEXT_HOP }));
  s.write(routeMsg(d, {
    dst: PROXIED, flags: RTF_UP | RTF_HOST | RTF_STATIC | RTF_ANNOUNCE,
    sockaddrs: { gateway: { kind: 'link', index: 2, type: 6, name: '', lladdr: '00:00:00:00:00:77' } },
  }));
  drain(d, s);
  return { k, s };
}

const keyOf = (sa: { addr: string; scope_id?: number }) => (sa.scope_id ? `${sa.addr}%${sa.scope_id}` : sa.addr);

/** 4.9 has no RTF_CACHED: its messages never show it. */
const messagesOf = (d: DialectArg, s: RoutingSocket): string[] =>
  drain(d, s).filter((m) => m.type === RTM_ADD || m.type === RTM_DELETE || m.type === RTM_RESOLVE)
    .map((m) => `${m.type} ${keyOf(m.sockaddrs['dst'] as { addr: string; scope_id?: number })} ${m.flags & SHOWN}`);

/** The table's /128 routes at each key (an exact lookup: a whole IPv6 walk per step would cost most of the run). */
const KEY_BYTES = KEYS.map((key) => {
  const b = new Uint8Array(16);
  parseV6(key.replace(/%\d+$/, ''), b);
  if (key.includes('%')) b[3] = Number(key.split('%')[1]);
  return b;
});

function entriesOf(k: Kernel): string[] {
  const t = k.table(0)!;
  return KEYS.flatMap((key, i) => {
    const rt = t.routes.routesAt('inet6', KEY_BYTES[i]!, 128)[0];
    if (!rt) return [];
    const r = describeRoute(k, rt);
    const n = k.ndInfo(r.ifname, key.replace(/%\d+$/, ''));
    return [`${key} ${r.ifname} ${r.gateway} ${r.flags & SHOWN} ${r.expire} ${n.state} ${n.asked} ${n.isRouter} ${n.expire}`];
  });
}

function modelEntries(m: NdModel): string[] {
  return KEYS.flatMap((key) => {
    const e = m.entry(key);
    return e ? [`${key} ${e.ifname} ${m.gateway(e)} ${m.flags(e)} ${e.expire} ${e.state} ${e.asked} ${e.router} ${e.expire}`] : [];
  });
}

describe.each(DIALECTS)('IPv6 neighbour discovery vs reference model (%s)', (d) => {
  it('agree on results, messages, entries and ND states', () => {
    fc.assert(fc.property(fc.boolean(), fc.array(opArb, { maxLength: 40 }), (router, ops) => {
      const clock = { now: T0 };
      const { k, s } = boot(d, clock, router);
      const m = new NdModel(router, d === 'openbsd-4.9' ? SHOWN & ~RTF_CACHED : SHOWN);
      expect(entriesOf(k)).toEqual(modelEntries(m));
      for (const op of ops) {
        switch (op.kind) {
          case 'resolve': expect(k.ndResolve(op.addr)).toEqual(m.resolve(op.addr)); break;
          case 'burst':
            for (let i = 0; i < op.n; i++) {
              expect(k.ndResolve(op.addr)).toEqual(m.resolve(op.addr));
              clock.now++;
              m.tick(1);
            }
            break;
          case 'input': expect(k.ndInput(op.ifname, op.pkt)).toEqual(m.input(op.ifname, op.pkt)); break;
          case 'tick': clock.now += op.dt; m.tick(op.dt); break;
          case 'timers': expect(k.runTimers()).toBe(m.timers()); break;
          case 'delete':
            expect(errnoOf(() => s.write(routeMsg(d, { type: 'RTM_DELETE', dst: op.addr, flags: 0 })))).toBe(m.delete(op.addr));
            break;
        }
        expect(messagesOf(d, s)).toEqual(m.msgs.splice(0));
        expect(entriesOf(k)).toEqual(modelEntries(m));
        expect(k.neighbours.nd6.timerAt).toBe(m.timerAt);
      }
    }), { numRuns: RUNS });
  });
});
