/**
 * Model-based test of ARP (issue #3): random sequences of packets sent (arpresolve), ARP
 * requests and replies received on either of two Ethernet-like interfaces, time passing,
 * arptimer runs, RTM_DELETEs and the interfaces' IFF_NOARP / IFF_STATICARP, checked after every step against a small reference written
 * from if_ether.c (in_arpinput, arpcache, arpresolve, arptimer, arptfree): each call's result,
 * the messages a listener reads (type, destination, flags), and every neighbour's L2 entry
 * (present, MAC, RTF_REJECT/RTF_LLINFO/RTF_UP, expire). FUZZ_RUNS scales the run count.
 *
 * vether0 holds 192.0.2.1/24, vether1 198.18.0.1/24; 198.51.100.0/24 is routed via 192.0.2.5,
 * whose entry is therefore a cached next hop (RTM_DELETE and the timer only invalidate it).
 */
import fc from 'fast-check';
import {
  AF_ROUTE, IFF_NOARP, IFF_STATICARP, RTABLE_ANY, ROUTE_TABLEFILTER, RTF_CLONED, RTF_HOST, RTF_LLINFO, RTF_REJECT, RTF_UP, RTM_ADD, RTM_DELETE,
  RTM_RESOLVE,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type ArpPacketInput, type Kernel } from '../../src/kernel/kernel.js';
import { ARP_MAXTRIES, ARPT_DOWN, ARPT_KEEP, ARPT_PRUNE } from '../../src/kernel/neighbours.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { DIALECTS, drain, errnoOf, routeMsg, type DialectArg } from './helpers.js';
import { RUNS } from './model-harness.js';

const T0 = 1_800_000_000;
const NEIGHBOURS = ['192.0.2.2', '192.0.2.3', '192.0.2.5'] as const;
const NEXT_HOP = '192.0.2.5';
const OURS: Record<string, string> = { vether0: '192.0.2.1', vether1: '198.18.0.1' };
const OWN_MAC: Record<string, string> = { vether0: 'fe:e1:ba:d0:00:02', vether1: 'fe:e1:ba:d0:00:03' };
const MACS = ['00:00:00:00:00:0a', '00:00:00:00:00:0b', OWN_MAC['vether0']!, 'ff:ff:ff:ff:ff:ff'];
const SHOWN = RTF_UP | RTF_HOST | RTF_LLINFO | RTF_REJECT | RTF_CLONED;

type Op =
  | { kind: 'resolve'; addr: string }
  | { kind: 'burst'; addr: string; n: number }
  | { kind: 'input'; ifname: 'vether0' | 'vether1'; pkt: ArpPacketInput }
  | { kind: 'tick'; dt: number }
  | { kind: 'timers' }
  | { kind: 'delete'; addr: string }
  | { kind: 'flag'; ifname: 'vether0' | 'vether1'; flag: 'noarp' | 'staticarp'; on: boolean };

const target = fc.constantFrom(...NEIGHBOURS, '198.51.100.7');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('resolve' as const), addr: target }) },
  // A packet a second for n seconds, as a sender retrying would (reaches arp_maxtries).
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('burst' as const), addr: target, n: fc.integer({ min: 2, max: 8 }) }) },
  { weight: 3, arbitrary: fc.record({
    kind: fc.constant('input' as const),
    ifname: fc.constantFrom('vether0' as const, 'vether1' as const),
    pkt: fc.record({
      op: fc.constantFrom('request' as const, 'reply' as const),
      sha: fc.constantFrom(...MACS),
      spa: fc.constantFrom(...NEIGHBOURS, '192.0.2.1'),
      tpa: fc.constantFrom('192.0.2.1', '192.0.2.9', '198.18.0.1'),
    }),
  }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), dt: fc.constantFrom(0, 1, 2, 19, 21, 150, 299, 300, 301, 1199, 1201) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('timers' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), addr: fc.constantFrom(...NEIGHBOURS, '192.0.2.1') }) },
  // `ifconfig X -arp` / `arp`, `staticarp` / `-staticarp` (SIOCSIFFLAGS; staticarp is current's).
  { weight: 1, arbitrary: fc.record({
    kind: fc.constant('flag' as const), ifname: fc.constantFrom('vether0' as const, 'vether1' as const),
    flag: fc.constantFrom('noarp' as const, 'staticarp' as const), on: fc.boolean(),
  }) },
);
const FLAG_BITS = { noarp: IFF_NOARP, staticarp: IFF_STATICARP } as const;

/** One neighbour's L2 entry (a clone of vether0's connected route) and its llinfo_arp. */
interface Entry {
  addr: string;
  mac: string | undefined;
  expire: number;
  reject: boolean;
  asked: number;
  refreshed: number;
}

/** The reference: the neighbours' entries in creation order, the clock, and what a listener reads. */
class ArpModel {
  now = T0;
  private timerAt = T0;
  readonly entries: Entry[] = [];
  readonly msgs: string[] = [];
  /** Each interface's IFF_NOARP / IFF_STATICARP. */
  private readonly ifFlags: Record<string, { noarp: boolean; staticarp: boolean }> = {
    vether0: { noarp: false, staticarp: false }, vether1: { noarp: false, staticarp: false },
  };

  constructor(private readonly current: boolean) {
    // RTM_ADD via 192.0.2.5 clones its entry (rt_setgwroute's rt_match with RT_RESOLVE).
    this.clone(NEXT_HOP);
    this.msgs.length = 0;
  }

  entry(addr: string): Entry | undefined {
    return this.entries.find((e) => e.addr === addr);
  }

  private flags(e: Entry): number {
    return RTF_UP | RTF_HOST | RTF_LLINFO | RTF_CLONED | (e.reject ? RTF_REJECT : 0);
  }

  private msg(type: number, e: Entry, flags = this.flags(e)): void {
    this.msgs.push(`${type} ${e.addr} ${flags}`);
  }

  /** rt_clone from vether0's connected route: an unresolved entry, expired at once, RTM_ADD. */
  private clone(addr: string): Entry {
    const e: Entry = { addr, mac: undefined, expire: this.now, reject: false, asked: 0, refreshed: 0 };
    this.entries.push(e);
    this.msg(RTM_ADD, e);
    return e;
  }

  resolve(addr: string): unknown {
    const viaGateway = !addr.startsWith('192.0.2.');
    const e = viaGateway ? this.entry(NEXT_HOP)! : this.entry(addr) ?? this.clone(addr);
    const now = this.now;
    if (e.reject && (e.expire === 0 || e.expire > now)) return { status: 'error', errno: viaGateway ? ERRNO.EHOSTUNREACH : ERRNO.EHOSTDOWN };
    if ((e.expire === 0 || e.expire > now) && e.mac !== undefined) {
      let refresh = false;
      if (e.expire !== 0 && e.expire - ARPT_KEEP / 8 < now && e.refreshed + 30 < now) {
        e.refreshed = now;
        refresh = true;
      }
      return { status: 'resolved', lladdr: Uint8Array.from(e.mac.split(':').map((x) => parseInt(x, 16))), refresh };
    }
    // Every neighbour is reached through vether0: with IFF_NOARP or IFF_STATICARP, no request.
    if (this.ifFlags['vether0']!.noarp || this.ifFlags['vether0']!.staticarp) return { status: 'error', errno: ERRNO.EINVAL };
    let request = false;
    let reject = false;
    if (e.expire !== 0 && (e.asked === 0 || e.expire !== now)) {
      e.expire = now;
      if (e.asked++ < ARP_MAXTRIES) request = true;
      else {
        reject = true;
        e.expire += ARPT_DOWN;
        e.asked = 0;
        e.refreshed = 0;
      }
    }
    if (e.expire !== 0) e.reject = reject;
    return { status: 'pending', request };
  }

  input(ifname: string, p: ArpPacketInput): unknown {
    const out = { cached: false, resolved: false, replied: false };
    if (this.ifFlags[ifname]!.noarp) return { ...out, note: 'ARP disabled on the interface (IFF_NOARP)' };
    if (p.sha === 'ff:ff:ff:ff:ff:ff') return { ...out, note: 'ether address is broadcast' };
    if (p.sha === OWN_MAC[ifname]) return { ...out, note: 'from me' };
    const target = p.tpa === OURS[ifname];
    const res: { cached: boolean; resolved: boolean; replied: boolean; note?: string } = { ...out };
    if (p.spa === '192.0.2.1') {
      // vether0's local route: an L2 entry that never expires and holds vether0's MAC.
      if (ifname === 'vether0') res.note = 'duplicate IP address';
      else if (p.sha !== OWN_MAC['vether0']) return { ...out, note: 'attempt to overwrite permanent entry' };
      else res.cached = true;
    } else {
      const e = this.entry(p.spa) ?? (target ? this.clone(p.spa) : undefined);
      if (!e) res.note = target ? 'no L2 entry could be made for the sender' : 'not for us and sender unknown';
      else {
        let changed = false;
        if (e.mac !== undefined) {
          if (e.mac !== p.sha) {
            if (ifname !== 'vether0') return { ...out, note: 'attempt to overwrite entry on vether0' };
            e.expire = 1;
            changed = true;
          }
        } else if (ifname !== 'vether0') return { ...out, note: 'attempt to add entry on vether0' };
        e.mac = p.sha;
        if (e.expire !== 0) e.expire = this.now + ARPT_KEEP;
        e.reject = false;
        const notify = e.asked > 0 || changed;
        if (notify) this.msg(RTM_RESOLVE, e);
        e.asked = 0;
        e.refreshed = 0;
        res.cached = true;
        res.resolved = notify;
      }
    }
    if (p.op === 'request') res.replied = target;
    return res;
  }

  /** SIOCSIFFLAGS: 4.9 has no IFF_STATICARP (EINVAL: its 0x20 is not modelled). */
  setFlag(ifname: string, flag: 'noarp' | 'staticarp', on: boolean): number {
    if (flag === 'staticarp' && !this.current) return ERRNO.EINVAL;
    this.ifFlags[ifname]![flag] = on;
    return 0;
  }

  tick(dt: number): void {
    this.now += dt;
  }

  timers(): number {
    let deleted = 0;
    while (this.now - this.timerAt >= ARPT_PRUNE) {
      this.timerAt += ARPT_PRUNE;
      for (const e of [...this.entries].reverse()) {
        if (!this.entries.includes(e) || e.expire === 0 || e.expire >= this.now) continue;
        e.mac = undefined;
        e.asked = 0;
        if (e.addr === NEXT_HOP) continue;
        this.msg(RTM_DELETE, e);
        this.entries.splice(this.entries.indexOf(e), 1);
        deleted++;
      }
    }
    return deleted;
  }

  /** RTM_DELETE of a host: EINVAL for our local route, ESRCH without an entry, invalidation only for the cached next hop. */
  delete(addr: string): number {
    const e = this.entry(addr);
    const errno = addr === '192.0.2.1' ? ERRNO.EINVAL : e ? 0 : ERRNO.ESRCH;
    if (!e || errno !== 0) {
      // The failure is echoed: the request (flags 0) with rtm_errno.
      this.msgs.push(`${RTM_DELETE} ${addr} 0`);
      return errno;
    }
    if (addr === NEXT_HOP) {
      e.mac = undefined;
      e.asked = 0;
      this.msg(RTM_DELETE, e);
      return 0;
    }
    this.entries.splice(this.entries.indexOf(e), 1);
    // The reply: UP cleared by rtrequest_delete, LLINFO by arp_rtrequest.
    this.msg(RTM_DELETE, e, this.flags(e) & ~(RTF_UP | RTF_LLINFO));
    return 0;
  }
}

function boot(d: DialectArg, clock: { now: number }): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d, clock: () => clock.now });
  for (const [name, addr] of [['vether0', '192.0.2.1/24'], ['vether1', '198.18.0.1/24']] as const) {
    k.ifconfig.create(name);
    k.ifconfig.up(name);
    k.ifconfig.addAddress(name, addr);
  }
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  s.write(routeMsg(d, { dst: '198.51.100.0', plen: 24, gw: NEXT_HOP }));
  drain(d, s);
  return { k, s };
}

const messagesOf = (d: DialectArg, s: RoutingSocket): string[] =>
  drain(d, s).filter((m) => m.type === RTM_ADD || m.type === RTM_DELETE || m.type === RTM_RESOLVE)
    .filter((m) => m.sockaddrs['dst']?.kind === 'inet' && m.sockaddrs['dst'].addr.startsWith('192.0.2.'))
    .map((m) => `${m.type} ${(m.sockaddrs['dst'] as { addr: string }).addr} ${m.flags & SHOWN}`);

function entriesOf(k: Kernel): string[] {
  return NEIGHBOURS.flatMap((a) => {
    const r = k.routes(0).find((x) => x.dst === a && x.plen === 32);
    return r ? [`${a} ${r.gateway} ${r.flags & SHOWN} ${r.expire}`] : [];
  });
}

function modelEntries(m: ArpModel): string[] {
  return NEIGHBOURS.flatMap((a) => {
    const e = m.entry(a);
    if (!e) return [];
    const flags = RTF_UP | RTF_HOST | RTF_LLINFO | RTF_CLONED | (e.reject ? RTF_REJECT : 0);
    return [`${a} ${e.mac ?? 'link#2'} ${flags} ${e.expire}`];
  });
}

describe.each(DIALECTS)('ARP vs reference model (%s)', (d) => {
  it('agree on results, messages and L2 entries', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
      const clock = { now: T0 };
      const { k, s } = boot(d, clock);
      const m = new ArpModel(d === 'openbsd');
      expect(entriesOf(k)).toEqual(modelEntries(m));
      for (const op of ops) {
        switch (op.kind) {
          case 'resolve': expect(k.arpResolve(op.addr)).toEqual(m.resolve(op.addr)); break;
          case 'burst':
            for (let i = 0; i < op.n; i++) {
              expect(k.arpResolve(op.addr)).toEqual(m.resolve(op.addr));
              clock.now++;
              m.tick(1);
            }
            break;
          case 'input': expect(k.arpInput(op.ifname, op.pkt)).toEqual(m.input(op.ifname, op.pkt)); break;
          case 'tick': clock.now += op.dt; m.tick(op.dt); break;
          case 'timers': expect(k.runTimers()).toBe(m.timers()); break;
          case 'delete':
            expect(errnoOf(() => s.write(routeMsg(d, { type: 'RTM_DELETE', dst: op.addr, flags: 0 })))).toBe(m.delete(op.addr));
            break;
          case 'flag': {
            const change = op.on ? { set: FLAG_BITS[op.flag] } : { clear: FLAG_BITS[op.flag] };
            expect(errnoOf(() => k.ifconfig.setFlags(op.ifname, change))).toBe(m.setFlag(op.ifname, op.flag, op.on));
            break;
          }
        }
        expect(messagesOf(d, s)).toEqual(m.msgs.splice(0));
        expect(entriesOf(k)).toEqual(modelEntries(m));
      }
    }), { numRuns: RUNS });
  });
});
