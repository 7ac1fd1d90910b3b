/**
 * IPv6 Duplicate Address Detection (nd6_nbr.c 1.165; in6.c 1.273 / in6_ifattach.c 1.124 for
 * current, in6.c 1.91 for 4.9): which addresses are tentative, the one-second schedule, the
 * verdicts and their RTM_CHGADDRATTR (current only, byte for byte), duplicates from NS/NA input,
 * re-configuration, cancellation, and saved state — in both dialects.
 */
import {
  AF_ROUTE, IFA_ROUTE, IN6_IFF_DUPLICATED, IN6_IFF_TENTATIVE, RTABLE_ANY, ROUTE_TABLEFILTER, RTM_CHGADDRATTR,
} from '../../src/kernel/constants.js';
import { DAD_MAXTRY, DAD_RETRANS } from '../../src/kernel/dad.js';
import type { IfAddr } from '../../src/kernel/interface.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { decode, DIALECTS, drain, ipv4Only, routeMsg, type DialectArg } from './helpers.js';

const T0 = 1_800_000_000;
const A = '2001:db8::1';
const LL = 'fe80::fce1:baff:fed0:2';
const MAC = '00:11:22:33:44:55';

interface Setup { k: Kernel; s: RoutingSocket; clock: { now: number } }

/** A kernel at T0 with vether0 up (by an IPv4 address, no DAD) and a listener on every table. */
function upVether(d: DialectArg): Setup {
  const clock = { now: T0 };
  const k = createKernel({ dialect: d, clock: () => clock.now });
  k.ifconfig.create('vether0');
  k.ifconfig.addAddress('vether0', '10.0.0.1/24');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s, clock };
}

function addr(k: Kernel, text: string, ifname = 'vether0'): IfAddr {
  const ifp = k.ifconfig.interfaceNamed(ifname)!;
  const want = text === LL ? `fe80${ifp.index.toString(16).padStart(4, '0')}00000000fce1bafffed00002` : hexOf(text);
  return ifp.addrs.find((a) => Buffer.from(a.addr).toString('hex') === want)!;
}

function hexOf(v6: string): string {
  const [head, tail = ''] = v6.split('::') as [string, string?];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t].map((g) => g.padStart(4, '0')).join('');
}

const flagsOf = (k: Kernel, text: string, ifname?: string) => addr(k, text, ifname).flags6 ?? 0;

/** Advances the clock by `dt` and runs the timers. */
function after(c: Setup, dt: number): void {
  c.clock.now += dt;
  c.k.runTimers();
}

/** The RTM_CHGADDRATTRs drained from the socket, as the addresses they name. */
function changes(d: DialectArg, s: RoutingSocket): string[] {
  return drain(d, s).filter((m) => m.type === RTM_CHGADDRATTR).map((m) => (m.sockaddrs['ifa'] as { addr: string }).addr);
}

const ns = (src: string, target = A) => ({ type: 'ns' as const, src, target, ...(src === '::' ? {} : { sllao: MAC }) });
const na = (target = A) => ({ type: 'na' as const, target, tllao: MAC, override: true });

/**
 * A duplicated A re-added while vether0 is down: in current DAD runs again (tentative) but its
 * solicitation cannot go out; in 4.9 the flags are cleared.
 */
function readdedWhileDown(d: DialectArg): Setup {
  const c = upVether(d);
  c.k.ifconfig.addAddress('vether0', `${A}/64`);
  c.k.ndInput('vether0', na());
  c.k.ifconfig.down('vether0');
  c.k.ifconfig.addAddress('vether0', `${A}/64`);
  drain(d, c.s);
  return c;
}

describe.each(DIALECTS)('DAD (%s)', (d) => {
  const announces = d === 'openbsd';

  describe('which addresses are tentative (in6if_do_dad, read when the ioctl starts)', () => {
    it('a new address on an interface that is up and running, and the link-local in6_ifattach adds with it', () => {
      const { k } = upVether(d);
      k.ifconfig.addAddress('vether0', `${A}/64`);
      expect(flagsOf(k, A)).toBe(IN6_IFF_TENTATIVE);
      expect(flagsOf(k, LL)).toBe(IN6_IFF_TENTATIVE);
      expect(k.dad.running(addr(k, A))).toBe(true);
    });

    it(`none on an interface its first address brings up (the driver runs after the check)${d === 'openbsd' ? '' : '; 4.9\'s link-local address, added by in6_if_up after it, yes'}`, () => {
      const k = createKernel({ dialect: d, clock: () => T0 });
      k.ifconfig.create('vether0');
      k.ifconfig.addAddress('vether0', `${A}/64`);
      expect(k.ifconfig.interfaceNamed('vether0')!.isUp).toBe(true);
      if (d === 'openbsd') {
        expect([flagsOf(k, A), flagsOf(k, LL)]).toEqual([0, 0]);
        expect(k.dad.timerAt).toBeUndefined();
        return;
      }
      expect([flagsOf(k, A), flagsOf(k, LL)]).toEqual([0, IN6_IFF_TENTATIVE]);
      expect(k.dad.running(addr(k, LL))).toBe(true);
    });

    it('none on a down interface, nor on loopback', () => {
      const k = createKernel({ dialect: d, clock: () => T0 });
      k.ifconfig.create('vether0');
      // (No link-local address from 4.9's in6_if_up, whose DAD would still be running.)
      ipv4Only(k, 'vether0');
      k.ifconfig.addAddress('vether0', '10.0.0.1/24');
      k.ifconfig.down('vether0');
      k.ifconfig.addAddress('vether0', `${A}/64`);
      expect(flagsOf(k, A)).toBe(0);
      k.ifconfig.create('lo1');
      k.ifconfig.up('lo1');
      k.ifconfig.addAddress('lo1', '2001:db8:9::1/64');
      expect(flagsOf(k, '2001:db8:9::1', 'lo1')).toBe(0);
      expect(k.dad.timerAt).toBeUndefined();
    });

    it('point-to-point: the address yes, its link-local address never (in6_ifattach_linklocal)', () => {
      const k = createKernel({ dialect: d, clock: () => T0 });
      k.ifconfig.create('gif0');
      k.ifconfig.up('gif0');
      k.ifconfig.addAddress('gif0', `${A}/128`, { dest: '2001:db8::2' });
      const [ll, a] = k.ifconfig.interfaceNamed('gif0')!.addrs;
      expect([ll!.addr[0], ll!.flags6 ?? 0]).toEqual([0xfe, 0]);
      expect(a!.flags6).toBe(IN6_IFF_TENTATIVE);
    });
  });

  describe('the schedule and the verdict', () => {
    it('tentative from t to t + RETRANS_TIMER (1 s), then settled; current announces it (RTM_CHGADDRATTR), 4.9 does not', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      drain(d, c.s);
      expect(c.k.dad.timerAt).toBe(T0 + DAD_RETRANS);
      after(c, 0);
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_TENTATIVE);
      expect(changes(d, c.s)).toEqual([]);
      after(c, DAD_RETRANS);
      expect([flagsOf(c.k, LL), flagsOf(c.k, A)]).toEqual([0, 0]);
      // dadq order: the link-local address (in6_ifattach, first) then the address.
      expect(changes(d, c.s)).toEqual(announces ? [LL, A] : []);
      expect(c.k.dad.timerAt).toBeUndefined();
    });

    it('a clock far ahead gives each verdict once', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      drain(d, c.s);
      after(c, 3600);
      expect(changes(d, c.s)).toEqual(announces ? [LL, A] : []);
      after(c, 3600);
      expect(changes(d, c.s)).toEqual([]);
    });

    it('on one second arptimer goes first, then DAD (a fixed order: the kernel does not order its timeouts)', () => {
      const c = upVether(d);
      // A clone starts expired (expire = now): arptimer, due at T0 + 300, frees it.
      c.k.lookup('10.0.0.7');
      c.clock.now = T0 + 299;
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      drain(d, c.s);
      after(c, 1);
      const order = drain(d, c.s).map((m) => m.type);
      expect(order).toEqual(announces ? [2, RTM_CHGADDRATTR, RTM_CHGADDRATTR] : [2]);
    });

    if (announces) {
      it('RTM_CHGADDRATTR is rtm_addr\'s ifa_msghdr in an rt_msghdr-sized header (rtm_msg1), NETMASK/IFP/IFA, table = rdomain', () => {
        const c = upVether(d);
        c.k.ifconfig.setRdomain('vether0', 3);
        c.k.ifconfig.addAddress('vether0', '10.0.0.1/24');
        c.k.ifconfig.addAddress('vether0', `${A}/64`);
        drain(d, c.s);
        c.clock.now += 1;
        c.k.runTimers();
        const bytes: Uint8Array[] = [];
        for (let b = c.s.read(); b; b = c.s.read()) bytes.push(b);
        const b = bytes[bytes.length - 1]!;
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        const rtSize = c.k.policy.dialect.headers.rt_msghdr!.size;
        expect(rtSize).toBe(96);
        expect({
          msglen: dv.getUint16(0, true), version: b[2], type: b[3], hdrlen: dv.getUint16(4, true), index: dv.getUint16(6, true),
          tableid: dv.getUint16(8, true), addrs: dv.getInt32(12, true), flags: dv.getInt32(16, true), metric: dv.getInt32(20, true),
        }).toEqual({ msglen: b.length, version: 5, type: 0x14, hdrlen: rtSize, index: 2, tableid: 3, addrs: 0x34, flags: 0, metric: 0 });
        // rtm_msg1 zeroed the rest of the rt_msghdr area; sockaddrs start at hdrlen.
        expect(b.subarray(24, rtSize).every((x) => x === 0)).toBe(true);
        expect(b.length).toBe(rtSize + 32 + 32 + 32);
        const m = decode(d, b);
        expect(m).toMatchObject({ type: RTM_CHGADDRATTR, hdrlen: 96, index: 2, tableid: 3 });
        expect((m.sockaddrs['ifa'] as { addr: string }).addr).toBe(A);
        expect((m.sockaddrs['netmask'] as { addr: string }).addr).toBe('ffff:ffff:ffff:ffff::');
        expect(m.sockaddrs['ifp']).toMatchObject({ kind: 'link', index: 2, name: 'vether0' });
        expect(m.sockaddrs['brd']).toBeUndefined();
      });

      it('ifam_flags is ifa_flags: IFA_ROUTE while a point-to-point destination\'s host route is the address\'s; BRD is the destination', () => {
        const k = createKernel({ dialect: d, clock: () => T0 });
        k.ifconfig.create('gif0');
        k.ifconfig.addAddress('gif0', `${A}/128`, { dest: '2001:db8::2' });
        const s = k.socket();
        k.ifconfig.addAddress('gif0', `${A}/128`, { dest: '2001:db8::3' });
        const m = drain(d, s).find((x) => x.type === RTM_CHGADDRATTR)!;
        expect(m).toMatchObject({ flags: IFA_ROUTE, hdrlen: 96 });
        expect((m.sockaddrs['brd'] as { addr: string }).addr).toBe('2001:db8::3');
      });
    }
  });

  describe('duplicates (nd6_ns_input, nd6_na_input)', () => {
    it('an NA for a tentative address: duplicated at once (announced in current), its timer gone', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      drain(d, c.s);
      expect(c.k.ndInput('vether0', na())).toMatchObject({ cached: false, replied: false, note: 'advertisement for a tentative address' });
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_DUPLICATED);
      expect(changes(d, c.s)).toEqual(announces ? [A] : []);
      after(c, 5);
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_DUPLICATED);
      expect(changes(d, c.s)).toEqual(announces ? [LL] : []);
    });

    it('a DAD NS (from ::) after ours went out is counted: duplicated at the verdict', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      drain(d, c.s);
      expect(c.k.ndInput('vether0', ns('::'))).toMatchObject({ replied: false, note: 'DAD probe for a tentative address' });
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_TENTATIVE);
      expect(changes(d, c.s)).toEqual([]);
      after(c, 1);
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_DUPLICATED);
      expect(changes(d, c.s)).toEqual(announces ? [LL, A] : []);
    });

    it('a neighbour\'s NS for a tentative address is ignored (no entry, no answer); for a duplicated one too', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      drain(d, c.s);
      expect(c.k.ndInput('vether0', ns('2001:db8::5'))).toMatchObject({ cached: false, replied: false, note: 'target address is tentative' });
      expect(drain(d, c.s)).toEqual([]);
      c.k.ndInput('vether0', na());
      drain(d, c.s);
      expect(c.k.ndInput('vether0', ns('2001:db8::5'))).toMatchObject({ cached: false, replied: false, note: 'target address is duplicated' });
      expect(c.k.ndInput('vether0', ns('::'))).toMatchObject({ replied: false, note: 'target address is duplicated' });
      // ... and an NA for it is the ordinary "duplicate IP6 address" log, nothing more.
      expect(c.k.ndInput('vether0', na())).toMatchObject({ note: 'duplicate IP6 address' });
      expect(drain(d, c.s)).toEqual([]);
    });

    it('a settled address answers NS again; a proxied target is answered only from a settled link-local address', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      c.k.ifconfig.addAddress('vether0', '2001:db8::77/128');
      // Make 2001:db8::77 a proxied (announced) neighbour: delete the address, add an RTF_ANNOUNCE entry.
      c.k.ifconfig.deleteAddress('vether0', '2001:db8::77');
      c.s.write(routeMsg(d, {
        dst: '2001:db8::77', flags: 0x1 | 0x4 | 0x800 | 0x4000,
        sockaddrs: { gateway: { kind: 'link', index: 2, type: 6, name: '', lladdr: MAC } },
      }));
      expect(c.k.ndInput('vether0', ns('2001:db8::5', '2001:db8::77'))).toMatchObject({ replied: false, note: 'not for us' });
      after(c, 1);
      expect(c.k.ndInput('vether0', ns('2001:db8::5', '2001:db8::77'))).toMatchObject({ replied: true });
      expect(c.k.ndInput('vether0', ns('2001:db8::6'))).toMatchObject({ cached: true, replied: true });
    });

    it('a DAD NS before our own solicitation could go out: duplicated at once (nd6_dad_ns_input)', () => {
      const c = readdedWhileDown(d);
      if (!announces) {
        expect(flagsOf(c.k, A)).toBe(0);
        return;
      }
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_TENTATIVE);
      c.k.ndInput('vether0', ns('::'));
      expect(flagsOf(c.k, A)).toBe(IN6_IFF_DUPLICATED);
      expect(changes(d, c.s)).toEqual([A]);
    });
  });

  describe('re-configuring an address (SIOCAIFADDR_IN6 of one the interface has)', () => {
    it('settled: current announces it (RTM_CHGADDRATTR), 4.9 says nothing', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      after(c, 1);
      drain(d, c.s);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      expect(flagsOf(c.k, A)).toBe(0);
      expect(changes(d, c.s)).toEqual(announces ? [A] : []);
    });

    it('tentative: current keeps it tentative and DAD runs on (same verdict time); 4.9 clears it and its DAD ends silently', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      drain(d, c.s);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      expect(flagsOf(c.k, A)).toBe(announces ? IN6_IFF_TENTATIVE : 0);
      expect(changes(d, c.s)).toEqual([]);
      after(c, 1);
      expect(flagsOf(c.k, A)).toBe(0);
      expect(changes(d, c.s)).toEqual(announces ? [LL, A] : []);
    });

    it('duplicated: current makes it tentative and runs DAD again (verdict a second later); 4.9 clears it', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      c.k.ndInput('vether0', na());
      after(c, 5);
      drain(d, c.s);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      expect(flagsOf(c.k, A)).toBe(announces ? IN6_IFF_TENTATIVE : 0);
      expect(changes(d, c.s)).toEqual([]);
      expect(c.k.dad.timerAt).toBe(announces ? c.clock.now + 1 : undefined);
      after(c, 1);
      expect(flagsOf(c.k, A)).toBe(0);
      expect(changes(d, c.s)).toEqual(announces ? [A] : []);
    });
  });

  describe('cancellation', () => {
    it('deleting the address stops DAD (in6_purgeaddr -> nd6_dad_stop): no verdict, no message', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      c.k.ifconfig.deleteAddress('vether0', A);
      c.k.ifconfig.deleteAddress('vether0', `${LL}%vether0`);
      drain(d, c.s);
      expect(c.k.dad.timerAt).toBeUndefined();
      after(c, 1);
      expect(changes(d, c.s)).toEqual([]);
    });

    it('-inet6, a new rdomain and destroying the interface purge its addresses and their DAD', () => {
      for (const act of [
        (k: Kernel) => k.ifconfig.disableInet6('vether0'),
        (k: Kernel) => k.ifconfig.setRdomain('vether0', 4),
        (k: Kernel) => k.ifconfig.destroy('vether0'),
      ]) {
        const c = upVether(d);
        c.k.ifconfig.addAddress('vether0', `${A}/64`);
        act(c.k);
        drain(d, c.s);
        expect(c.k.dad.timerAt).toBeUndefined();
        after(c, 1);
        expect(changes(d, c.s)).toEqual([]);
      }
    });

    it('taking the interface down does not stop DAD: the solicitation went out, the verdict comes', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      c.k.ifconfig.down('vether0');
      drain(d, c.s);
      after(c, 1);
      expect(flagsOf(c.k, A)).toBe(0);
      expect(changes(d, c.s)).toEqual(announces ? [LL, A] : []);
    });

    if (announces) {
      it('a solicitation that cannot go out is only a try: after dad_maxtry DAD gives up and the address stays tentative', () => {
        const c = readdedWhileDown(d);
        after(c, DAD_MAXTRY);
        expect(changes(d, c.s)).toEqual([LL]);
        expect(c.k.dad.timerAt).toBe(c.clock.now + 1);
        after(c, 1);
        expect(c.k.dad.timerAt).toBeUndefined();
        expect(flagsOf(c.k, A)).toBe(IN6_IFF_TENTATIVE);
        expect(changes(d, c.s)).toEqual([]);
        // Re-adding starts a new DAD (none runs); up again, the next try goes out and the verdict follows.
        c.k.ifconfig.addAddress('vether0', `${A}/64`);
        c.k.ifconfig.up('vether0');
        after(c, 1);
        expect(flagsOf(c.k, A)).toBe(IN6_IFF_TENTATIVE);
        after(c, 1);
        expect(flagsOf(c.k, A)).toBe(0);
        expect(changes(d, c.s)).toEqual([A]);
      });
    }
  });

  describe('saved state', () => {
    it('keeps the flags and the running DAD (counters and timer): the verdict comes after a restore', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      c.k.ifconfig.addAddress('vether0', '2001:db8::2/64');
      c.k.ndInput('vether0', ns('::'));
      c.k.ndInput('vether0', na('2001:db8::2'));
      const snap = JSON.parse(JSON.stringify(snapshotKernel(c.k)));
      expect(snap.dad).toHaveLength(2);
      const k2 = restoreKernel(snap, { clock: () => T0 + 1 });
      const s2 = k2.socket();
      expect([flagsOf(k2, A), flagsOf(k2, '2001:db8::2')]).toEqual([IN6_IFF_TENTATIVE, IN6_IFF_DUPLICATED]);
      expect(k2.dad.timerAt).toBe(T0 + 1);
      k2.runTimers();
      // The DAD NS counted before the save makes A duplicated.
      expect([flagsOf(k2, LL), flagsOf(k2, A)]).toEqual([0, IN6_IFF_DUPLICATED]);
      expect(changes(d, s2)).toEqual(announces ? [LL, A] : []);
      expect(snapshotKernel(k2).dad).toBeUndefined();
    });

    it('older files (no flags, no DAD) restore settled addresses; bad DAD records are refused', () => {
      const c = upVether(d);
      c.k.ifconfig.addAddress('vether0', `${A}/64`);
      const snap = JSON.parse(JSON.stringify(snapshotKernel(c.k)));
      const old = JSON.parse(JSON.stringify(snap));
      delete old.dad;
      for (const i of old.interfaces) for (const a of i.addrs) a.splice(4);
      expect(flagsOf(restoreKernel(old), A)).toBe(0);
      snap.dad[0][1] = 99;
      expect(() => restoreKernel(snap)).toThrow(/DAD for unknown address 99/);
    });
  });
});
