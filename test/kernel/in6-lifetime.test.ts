/**
 * IPv6 address lifetimes and request flags (SIOCAIFADDR_IN6's ifra_lifetime and ifra_flags):
 * in6.c 1.273 / nd6.c 1.303 (nd6_expire) for current, in6.c 1.91 / nd6.c 1.138 (nd6_timer's
 * address loop) standing in for 4.9. The checks and their errnos, what the flags do (anycast
 * skips DAD, a requested tentative, autoconf's announcing router), deprecation (silent) and
 * expiry (what SIOCDIFADDR_IN6 sends, byte for byte) as the clock passes, the order of two
 * addresses expiring together, re-configuration, and saved state.
 */
import {
  AF_ROUTE, IN6_IFF_ANYCAST, IN6_IFF_AUTOCONF, IN6_IFF_DEPRECATED, IN6_IFF_DETACHED, IN6_IFF_DUPLICATED, IN6_IFF_NODAD,
  IN6_IFF_TEMPORARY, IN6_IFF_TENTATIVE, RTABLE_ANY, ROUTE_TABLEFILTER, RTF_LOCAL, RTM_ADD, RTM_CHGADDRATTR, RTM_DELADDR,
  RTM_DELETE, RTM_NEWADDR,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { ND6_INFINITE_LIFETIME } from '../../src/kernel/in6-lifetime.js';
import type { IfAddr } from '../../src/kernel/interface.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { restoreKernel, snapshotKernel, type KernelSnapshot } from '../../src/kernel/state.js';
import { DIALECTS, drain, errnoOf, type DialectArg } from './helpers.js';

const T0 = 1_800_000_000;
const A = '2001:db8::1';
const B = '2001:db8:1::1';
const INF = ND6_INFINITE_LIFETIME;

interface Setup { k: Kernel; s: RoutingSocket; clock: { now: number } }

/** vether0 up and running by an IPv4 address (and vether1 when asked), a listener, the clock at T0. */
function setup(d: DialectArg, ifaces = ['vether0']): Setup {
  const clock = { now: T0 };
  const k = createKernel({ dialect: d, clock: () => clock.now });
  ifaces.forEach((n, i) => {
    k.ifconfig.create(n);
    k.ifconfig.addAddress(n, `10.0.${i}.1/24`);
  });
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s, clock };
}

function hexOf(v6: string): string {
  const [head, tail = ''] = v6.split('::') as [string, string?];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t].map((g) => g.padStart(4, '0')).join('');
}

function addr(k: Kernel, text: string, ifname = 'vether0'): IfAddr | undefined {
  return k.ifconfig.interfaceNamed(ifname)!.addrs.find((a) => Buffer.from(a.addr).toString('hex') === hexOf(text));
}

const flagsOf = (k: Kernel, text: string, ifname?: string) => addr(k, text, ifname)?.flags6 ?? 0;

function at(c: Setup, t: number): void {
  c.clock.now = t;
  c.k.runTimers();
}

/** Messages as `TYPE address`: the interface address of address messages, the destination of route messages. */
function summary(d: DialectArg, s: RoutingSocket): string[] {
  const names: Record<number, string> = {
    [RTM_ADD]: 'ADD', [RTM_DELETE]: 'DELETE', [RTM_NEWADDR]: 'NEWADDR', [RTM_DELADDR]: 'DELADDR', [RTM_CHGADDRATTR]: 'CHGADDRATTR',
  };
  return drain(d, s).map((m) => {
    const sa = (m.type === RTM_ADD || m.type === RTM_DELETE ? m.sockaddrs['dst'] : m.sockaddrs['ifa']) as { addr: string } | undefined;
    return `${names[m.type] ?? m.type} ${sa?.addr ?? ''}`;
  });
}

function raw(s: RoutingSocket): string[] {
  const out: string[] = [];
  for (let m = s.read(); m; m = s.read()) out.push(Buffer.from(m).toString('hex'));
  return out;
}

describe.each(DIALECTS)('IPv6 address lifetimes and flags (%s)', (d) => {
  const current = d === 'openbsd';

  describe('what SIOCAIFADDR_IN6 checks', () => {
    it('lifetimes default to infinite (ND6_INFINITE_LIFETIME) and count from the request', () => {
      const c = setup(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      expect(addr(c.k, A)!.lifetime).toEqual({ pltime: INF, vltime: INF, updated: T0 });
      expect(c.k.lifetimes.timerAt).toBeUndefined();
      at(c, T0 + 10 * 365 * 86400);
      expect(addr(c.k, A)).toBeDefined();
    });

    it('a preferred lifetime longer than the valid one is EINVAL (an infinite one too); finite lifetimes on a link-local address are taken', () => {
      const c = setup(d);
      expect(errnoOf(() => c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 11, vltime: 10 }))).toBe(ERRNO.EINVAL);
      expect(errnoOf(() => c.k.ifconfig.addAddress('vether0', `${A}/64`, { vltime: 10 }))).toBe(ERRNO.EINVAL);
      expect(addr(c.k, A)).toBeUndefined();
      c.k.ifconfig.addAddress('vether0', 'fe80::99/64', { pltime: 5, vltime: 10 });
      const ifp = c.k.ifconfig.interfaceNamed('vether0')!;
      expect(ifp.addrs.find((a) => a.addr[15] === 0x99)!.lifetime).toEqual({ pltime: 5, vltime: 10, updated: T0 });
    });

    it('a valid lifetime of 0 adds nothing and succeeds (after in6_ifattach); on an existing address it ends it at the next run', () => {
      const c = setup(d);
      c.k.ifconfig.enableInet6('vether0');
      drain(d, c.s);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 0, vltime: 0 });
      expect(addr(c.k, A)).toBeUndefined();
      expect(summary(d, c.s)).toEqual([]);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      at(c, T0 + 5);
      drain(d, c.s);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 0, vltime: 0 });
      // This second's run is over; the next one finds it past its (zero) valid lifetime.
      at(c, T0 + 5);
      expect(addr(c.k, A)).toBeDefined();
      at(c, T0 + 6);
      expect(addr(c.k, A)).toBeUndefined();
      // (Current announces the re-configured, settled address.)
      expect(summary(d, c.s)).toEqual([...(current ? [`CHGADDRATTR ${A}`] : []), `DELETE ${A}`, `DELADDR ${A}`, 'DELETE 2001:db8::']);
    });

    it('read-only flags are EINVAL before anything happens', () => {
      const c = setup(d);
      // (4.9's link-local address came with the interface's if_up, before this.)
      const before = c.k.ifconfig.interfaceNamed('vether0')!.addrs.map((a) => a.af);
      const refused = [IN6_IFF_DUPLICATED, IN6_IFF_DETACHED, IN6_IFF_NODAD, current ? IN6_IFF_DEPRECATED : IN6_IFF_AUTOCONF];
      for (const flags of refused) {
        expect(errnoOf(() => c.k.ifconfig.addAddress('vether0', `${A}/64`, { flags }))).toBe(ERRNO.EINVAL);
      }
      expect(errnoOf(() => c.k.ifconfig.addAddress('vether0', `${A}/64`, { flags: 0x100 }))).toBe(ERRNO.EINVAL);
      // Not even in6_ifattach ran: no link-local address, no message.
      expect(c.k.ifconfig.interfaceNamed('vether0')!.addrs.map((a) => a.af)).toEqual(before);
      expect(before).toEqual(current ? ['inet'] : ['inet', 'inet6']);
      expect(summary(d, c.s)).toEqual([]);
    });

    it('out-of-range lifetimes, and flags or lifetimes for an IPv4 address, are EINVAL', () => {
      const c = setup(d);
      for (const o of [{ vltime: -1 }, { pltime: INF + 1 }, { vltime: 1.5 }]) {
        expect(errnoOf(() => c.k.ifconfig.addAddress('vether0', `${A}/64`, o))).toBe(ERRNO.EINVAL);
      }
      expect(errnoOf(() => c.k.ifconfig.addAddress('vether0', '10.0.0.9/24', { vltime: 10 }))).toBe(ERRNO.EINVAL);
    });
  });

  describe('the flags a request keeps', () => {
    it('anycast skips DAD: never tentative; current announces the change from tentative before the connected route', () => {
      const c = setup(d);
      c.k.ifconfig.enableInet6('vether0');
      drain(d, c.s);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { flags: IN6_IFF_ANYCAST });
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_ANYCAST);
      expect(c.k.dad.running(addr(c.k, A)!)).toBe(false);
      expect(summary(d, c.s)).toEqual([
        `NEWADDR ${A}`, `ADD ${A}`, ...(current ? [`CHGADDRATTR ${A}`] : []), 'ADD 2001:db8::',
      ]);
      // Its local route is a local route like any other (rt_ifa_addlocal).
      const local = c.k.routes(0, 'inet6').find((r) => r.dst === A && r.plen === 128);
      expect(local!.flags & RTF_LOCAL).toBe(RTF_LOCAL);
    });

    it('anycast where DAD would not run (a down interface): nothing to announce', () => {
      const c = setup(d);
      c.k.ifconfig.down('vether0');
      drain(d, c.s);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { flags: IN6_IFF_ANYCAST });
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_ANYCAST);
      expect(summary(d, c.s).filter((m) => m.startsWith('CHGADDRATTR'))).toEqual([]);
    });

    it('a requested tentative on a down interface: current runs DAD for it, 4.9 leaves it tentative', () => {
      const c = setup(d);
      c.k.ifconfig.down('vether0');
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { flags: IN6_IFF_TENTATIVE });
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_TENTATIVE);
      expect(c.k.dad.running(addr(c.k, A)!)).toBe(current);
    });

    it('re-adding a settled address with tentative: current runs DAD again (announced at its verdict), 4.9 keeps the flag', () => {
      const c = setup(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      at(c, T0 + 1);
      drain(d, c.s);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { flags: IN6_IFF_TENTATIVE });
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_TENTATIVE);
      expect(summary(d, c.s)).toEqual([]);
      at(c, T0 + 2);
      expect(flagsOf(c.k, A)).toBe(current ? 0 : IN6_IFF_TENTATIVE);
      expect(summary(d, c.s)).toEqual(current ? [`CHGADDRATTR ${A}`] : []);
    });

    it('temporary is kept; autoconf is kept in current, where a destination is the announcing router (no route)', () => {
      const c = setup(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { flags: IN6_IFF_TEMPORARY });
      expect(flagsOf(c.k, A) & ~IN6_IFF_TENTATIVE).toBe(IN6_IFF_TEMPORARY);
      const asked = () => c.k.ifconfig.addAddress('vether0', `${B}/64`, { flags: IN6_IFF_AUTOCONF, dest: 'fe80::1' });
      if (!current) {
        expect(errnoOf(asked)).toBe(ERRNO.EINVAL);
        return;
      }
      drain(d, c.s);
      asked();
      expect(flagsOf(c.k, B) & ~IN6_IFF_TENTATIVE).toBe(IN6_IFF_AUTOCONF);
      expect(addr(c.k, B)!.dstaddr).toBeUndefined();
      expect(summary(d, c.s)).toEqual([`NEWADDR ${B}`, `ADD ${B}`, 'ADD 2001:db8:1::']);
      // The router's family is checked as a point-to-point destination's would be.
      expect(errnoOf(() => c.k.ifconfig.addAddress('vether0', '2001:db8:2::1/64', { flags: IN6_IFF_AUTOCONF, dest: '10.0.0.2' })))
        .toBe(ERRNO.EAFNOSUPPORT);
    });

    it('a request for deprecated: 4.9 makes the address deprecated from now (pltime 0), current refuses it', () => {
      const c = setup(d);
      const ask = () => c.k.ifconfig.addAddress('vether0', `${A}/64`, { flags: IN6_IFF_DEPRECATED, pltime: 100, vltime: 100 });
      if (current) {
        expect(errnoOf(ask)).toBe(ERRNO.EINVAL);
        return;
      }
      ask();
      expect(flagsOf(c.k, A) & IN6_IFF_DEPRECATED).toBe(IN6_IFF_DEPRECATED);
      expect(addr(c.k, A)!.lifetime!.pltime).toBe(0);
      at(c, T0 + 50);
      expect(flagsOf(c.k, A) & IN6_IFF_DEPRECATED).toBe(IN6_IFF_DEPRECATED);
    });
  });

  describe('as time passes', () => {
    it('past the preferred lifetime deprecated, silently; past the valid one purged as SIOCDIFADDR_IN6 purges it', () => {
      const c = setup(d);
      const twin = setup(d);
      for (const x of [c, twin]) {
        x.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 10, vltime: 20 });
        at(x, T0 + 1);
        drain(d, x.s);
      }
      at(c, T0 + 10);
      expect(flagsOf(c.k, A)).toBe(0);
      at(c, T0 + 11);
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_DEPRECATED);
      expect(raw(c.s)).toEqual([]);
      at(c, T0 + 20);
      expect(addr(c.k, A)).toBeDefined();
      at(c, T0 + 21);
      expect(addr(c.k, A)).toBeUndefined();
      twin.clock.now = T0 + 21;
      twin.k.ifconfig.deleteAddress('vether0', A);
      const expired = raw(c.s);
      expect(expired).toEqual(raw(twin.s));
      // The local route, RTM_DELADDR, then the connected route.
      expect(expired.length).toBe(3);
    });

    it('the timer: current sets nd6_expire one second past the earliest end; 4.9 runs nd6_timer each second (due when something changes)', () => {
      const c = setup(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 10, vltime: 20 });
      expect(c.k.lifetimes.timerAt).toBe(T0 + 11);
      at(c, T0 + 11);
      expect(c.k.lifetimes.timerAt).toBe(T0 + 21);
      at(c, T0 + 21);
      expect(c.k.lifetimes.timerAt).toBeUndefined();
    });

    it('an address is deprecated and invalid only once more than its lifetime has passed (IFA6_IS_*), even on a run at its end', () => {
      const c = setup(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 10, vltime: 20 });
      // B's ends bring runs at A's ends: T0 + 10 and T0 + 20.
      c.k.ifconfig.addAddress('vether0', `${B}/64`, { pltime: 9, vltime: 19 });
      at(c, T0 + 10);
      expect([flagsOf(c.k, A), flagsOf(c.k, B)]).toEqual([0, IN6_IFF_DEPRECATED]);
      at(c, T0 + 11);
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_DEPRECATED);
      at(c, T0 + 20);
      expect([addr(c.k, A) !== undefined, addr(c.k, B) !== undefined]).toEqual([true, false]);
      at(c, T0 + 21);
      expect(addr(c.k, A)).toBeUndefined();
    });

    it('a clock far ahead deprecates and purges in one run, in the kernel\'s order', () => {
      const c = setup(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 10, vltime: 20 });
      c.k.ifconfig.addAddress('vether0', `${B}/64`, { pltime: 100, vltime: 200 });
      at(c, T0 + 1);
      drain(d, c.s);
      at(c, T0 + 150);
      expect(addr(c.k, A)).toBeUndefined();
      expect(flagsOf(c.k, B)).toBe(IN6_IFF_DEPRECATED);
      expect(summary(d, c.s)).toEqual([`DELETE ${A}`, `DELADDR ${A}`, 'DELETE 2001:db8::']);
    });

    it('two addresses ending on the same second: current walks interfaces (ifnetlist), 4.9 in6_ifaddr (creation order)', () => {
      const c = setup(d, ['vether0', 'vether1']);
      c.k.ifconfig.addAddress('vether1', `${B}/64`, { pltime: 30, vltime: 30 });
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 30, vltime: 30 });
      at(c, T0 + 1);
      drain(d, c.s);
      at(c, T0 + 31);
      const deladdrs = summary(d, c.s).filter((m) => m.startsWith('DELADDR'));
      expect(deladdrs).toEqual(current ? [`DELADDR ${A}`, `DELADDR ${B}`] : [`DELADDR ${B}`, `DELADDR ${A}`]);
    });

    it('re-adding renews: current counts from the new request (and clears deprecated, announced); 4.9 from the creation', () => {
      const c = setup(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 10, vltime: 100 });
      at(c, T0 + 50);
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_DEPRECATED);
      drain(d, c.s);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 80, vltime: 120 });
      expect(flagsOf(c.k, A)).toBe(0);
      expect(summary(d, c.s)).toEqual(current ? [`CHGADDRATTR ${A}`] : []);
      // Current: preferred until T0 + 130, valid until T0 + 170. 4.9: until T0 + 80 and T0 + 120.
      at(c, T0 + 81);
      expect(flagsOf(c.k, A)).toBe(current ? 0 : IN6_IFF_DEPRECATED);
      at(c, T0 + 121);
      expect(addr(c.k, A) === undefined).toBe(!current);
      at(c, T0 + 171);
      expect(addr(c.k, A)).toBeUndefined();
    });

    it('4.9: finite lifetimes on an address made long ago end at the next run (they count from its creation)', () => {
      const c = setup(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      at(c, T0 + 1000);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 50, vltime: 50 });
      at(c, T0 + 1001);
      expect(addr(c.k, A) === undefined).toBe(!current);
      at(c, T0 + 1051);
      expect(addr(c.k, A)).toBeUndefined();
    });
  });

  describe('4.9\'s nd6_timer pass runs every second', () => {
    it('its pass in the second of the request undoes a deprecation the lifetime does not give yet; the next second redoes it', () => {
      if (current) return;
      const c = setup(d);
      c.clock.now = T0 + 5;
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { flags: IN6_IFF_DEPRECATED, pltime: 100, vltime: 100 });
      // The passes of T0 + 1 .. T0 + 5 are still to run: the last of them finds 0 seconds gone.
      c.k.runTimers();
      expect(flagsOf(c.k, A) & IN6_IFF_DEPRECATED).toBe(0);
      at(c, T0 + 6);
      expect(flagsOf(c.k, A) & IN6_IFF_DEPRECATED).toBe(IN6_IFF_DEPRECATED);
    });
  });

  describe('saved state', () => {
    it('lifetimes, flags and the timer survive a snapshot; the restored kernel expires the address as the original does', () => {
      const c = setup(d, ['vether0', 'vether1']);
      c.k.ifconfig.addAddress('vether1', `${B}/64`, { pltime: 10, vltime: 30, flags: IN6_IFF_ANYCAST });
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 30, vltime: 30 });
      at(c, T0 + 15);
      const saved = JSON.parse(JSON.stringify(snapshotKernel(c.k))) as KernelSnapshot;
      const clock = { now: T0 + 15 };
      const k2 = restoreKernel(saved, { clock: () => clock.now });
      expect(snapshotKernel(k2)).toEqual(saved);
      expect(addr(k2, B, 'vether1')!.lifetime).toEqual({ pltime: 10, vltime: 30, updated: T0 });
      expect(flagsOf(k2, B, 'vether1')).toBe(IN6_IFF_ANYCAST | IN6_IFF_DEPRECATED);
      const s2 = k2.socket();
      s2.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
      drain(d, c.s);
      at(c, T0 + 31);
      clock.now = T0 + 31;
      k2.runTimers();
      expect(summary(d, s2)).toEqual(summary(d, c.s));
    });

    it('an older file (no lifetimes, no timer) loads with infinite lifetimes', () => {
      const c = setup(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 30, vltime: 30 });
      const saved = JSON.parse(JSON.stringify(snapshotKernel(c.k))) as KernelSnapshot;
      delete saved.lifetimeTimer;
      for (const i of saved.interfaces) i.addrs = i.addrs.map((t) => t.slice(0, 7) as typeof t);
      const k2 = restoreKernel(saved, { clock: () => T0 + 100 });
      expect(addr(k2, A)!.lifetime).toBeUndefined();
      k2.runTimers();
      expect(addr(k2, A)).toBeDefined();
    });

    it('a bad lifetime tail is refused', () => {
      const c = setup(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`, { pltime: 30, vltime: 30 });
      const saved = JSON.parse(JSON.stringify(snapshotKernel(c.k))) as KernelSnapshot;
      const tuple = saved.interfaces.find((i) => i.name === 'vether0')!.addrs.find((t) => t[1] === hexOf(A))! as unknown[];
      tuple[8] = INF + 1;
      expect(() => restoreKernel(saved)).toThrow(/address lifetimes/);
    });
  });
});
