import { decodeMessages } from '../../src/codec/dump.js';
import type { RouteMessage } from '../../src/codec/message.js';
import {
  RTM_ADD, RTM_CHGADDRATTR, RTM_DELADDR, RTM_DELETE, RTM_GET, RTM_IFANNOUNCE, RTM_IFINFO, RTM_MISS, RTM_NEWADDR, ROUTE_TABLEFILTER, AF_ROUTE, RTABLE_ANY,
} from '../../src/kernel/constants.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { DIALECTS, drain, errnoOf, ipv4Only, rdomainLoopback, routeMsg, type DialectArg } from './helpers.js';

/**
 * Two Ethernet-like interfaces and a listener; messages read as `type dst` (IFINFO left out).
 * `inet6` false: IPv6 turned off where the dialect attaches it on if_up (4.9), for IPv4 alone.
 */
function twoVethers(d: DialectArg, inet6 = true): { k: Kernel; s: RoutingSocket; msgs: () => string[] } {
  const k = createKernel({ dialect: d });
  k.ifconfig.create('vether0');
  k.ifconfig.create('vether1');
  if (!inet6) ipv4Only(k, 'vether0', 'vether1');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  const msgs = () => drain(d, s).filter((m) => m.type !== RTM_IFINFO).map((m) => {
    const sa = m.sockaddrs as Record<string, { addr?: string } | undefined>;
    return `${m.type} ${sa?.['dst']?.addr ?? sa?.['ifa']?.addr}`;
  });
  return { k, s, msgs };
}

/** IPv6 on an interface: current's `inet6` (SIOCIFAFATTACH); 4.9's if_up (in6_if_up). */
const attach6 = (k: Kernel, name: string) => (k.policy.ifXflags.noInet6 === 0 ? k.ifconfig.enableInet6(name) : k.ifconfig.up(name));

const inet = (k: Kernel) => k.routes(0, 'inet').map((r) => `${r.dst}/${r.plen} ${r.gateway} ${r.ifname}`);

describe.each(DIALECTS)('kernel-originated messages (%s)', (d) => {
  it('clone, up, address add and delete, destroy', () => {
    const k = createKernel({ dialect: d });
    const s = k.socket();
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    k.ifconfig.create('lo1');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_IFANNOUNCE]);
    k.ifconfig.up('lo1');
    // 4.9's if_up runs in6_if_up: fe80::1%lo1, whose lo(4) SIOCSIFADDR calls if_up again (a
    // second RTM_IFINFO); a loopback address has its local route only (§E.4).
    const is49 = d === 'openbsd-4.9';
    expect(drain(d, s).map((m) => m.type)).toEqual(is49 ? [RTM_IFINFO, RTM_IFINFO, RTM_NEWADDR, RTM_ADD] : [RTM_IFINFO]);
    k.ifconfig.addAddress('lo1', '192.0.2.1/32');
    const added = drain(d, s);
    expect(added.map((m) => m.type)).toEqual([RTM_IFINFO, RTM_NEWADDR, RTM_ADD]);
    expect(added[2]!.sockaddrs['dst']).toMatchObject({ addr: '192.0.2.1' });
    k.ifconfig.deleteAddress('lo1', '192.0.2.1');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_DELETE, RTM_DELADDR]);
    k.ifconfig.destroy('lo1');
    // 4.9: if_detach's rt_if_remove deletes the link-local address's routes (the local route,
    // then the multicast ones); in6_ifdetach then finds none to announce the address with.
    expect(drain(d, s).map((m) => m.type)).toEqual(is49
      ? [RTM_IFINFO, RTM_DELETE, RTM_DELETE, RTM_DELETE, RTM_IFANNOUNCE] : [RTM_IFINFO, RTM_IFANNOUNCE]);
  });

  it('interface down marks routes down (no U, DOWN priority) and up restores them', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.addAddress('vether0', '192.0.2.10/24');
    const connected = () => k.routes(0).find((r) => r.dst === '192.0.2.0')!;
    expect(connected().flags & 1).toBe(1);
    k.ifconfig.down('vether0');
    expect(connected().flags & 1).toBe(0);
    expect(k.routes(0).find((r) => r.dst === '192.0.2.10')!.flags & 1).toBe(1);
    k.ifconfig.up('vether0');
    expect(connected().flags & 1).toBe(1);
    expect(k.routes(0).map((r) => `${r.dst}/${r.plen}`)).toEqual(expect.arrayContaining(['192.0.2.0/24', '192.0.2.10/32', '192.0.2.255/32']));
  });

  it(`a failed lookup ${d === 'openbsd' ? 'is silent' : 'sends RTM_MISS'}`, () => {
    const k = createKernel({ dialect: d, configureLoopback: false });
    const s = k.socket();
    expect(k.lookup('10.1.2.3')).toBeUndefined();
    expect(drain(d, s).map((m) => m.type)).toEqual(d === 'openbsd' ? [] : [RTM_MISS]);
  });

  it('an rdomain move takes the addresses and their routes; current makes the rdomain\'s loopback, 4.9 none', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('lo3');
    k.ifconfig.addAddress('lo3', '192.0.2.3/32');
    k.ifconfig.setRdomain('lo3', 4);
    expect(k.ifconfig.get('lo3')!.addresses).toEqual([]);
    expect(k.routes(0).some((r) => r.ifname === 'lo3')).toBe(false);
    expect(k.table(4)!.rdomain).toBe(4);
    if (d === 'openbsd') {
      expect(k.ifconfig.get('lo4')!.rdomain).toBe(4);
      expect(() => k.ifconfig.setRdomain('lo4', 0)).toThrow();
    } else expect(k.ifconfig.get('lo4')).toBeUndefined();
  });

  it('boots lo0 with 127.0.0.1, ::1, fe80::1%lo0 and the multicast routes', () => {
    const k = createKernel({ dialect: d });
    expect(k.routes(0).map((r) => `${r.dst}/${r.plen} ${r.use}`)).toEqual([
      '127.0.0.1/32 0', '::1/128 0', 'fe80::1%1/128 0', 'ff01::%1/32 1', 'ff02::%1/32 1',
    ]);
    expect(k.lookup('127.0.0.1')!.use).toBe(1);
  });

  it('adding an address the interface already has re-initialises it (in_ioctl_change_ifaddr); routes via it stay', () => {
    const { k, s, msgs } = twoVethers(d, false);
    k.ifconfig.addAddress('vether0', '10.0.1.1/24');
    s.write(routeMsg(d, { dst: '10.9.0.0', plen: 16, gw: '10.0.1.5' }));
    msgs();
    k.ifconfig.addAddress('vether0', '10.0.1.1/24');
    expect(msgs()).toEqual([
      // The connected route takes its clones with it, the cached next hop included.
      `${RTM_DELETE} 10.0.1.5`, `${RTM_DELETE} 10.0.1.0`, `${RTM_DELETE} 10.0.1.255`, `${RTM_DELETE} 10.0.1.1`, `${RTM_DELADDR} 10.0.1.1`,
      `${RTM_NEWADDR} 10.0.1.1`, `${RTM_ADD} 10.0.1.1`, `${RTM_ADD} 10.0.1.0`, `${RTM_ADD} 10.0.1.255`,
    ]);
    expect(k.ifconfig.get('vether0')!.addresses).toEqual(['10.0.1.1/24']);
    expect(inet(k)).toContain('10.9.0.0/16 10.0.1.5 vether0');
  });

  it('an address whose prefix routes another interface holds fails with EEXIST and is not kept (in_ifinit)', () => {
    const { k, msgs } = twoVethers(d, false);
    k.ifconfig.addAddress('vether0', '10.0.1.1/24');
    msgs();
    const before = inet(k);
    // The local route exists (vether0's): no NEWADDR; the connected route's gateway is taken.
    expect(errnoOf(() => k.ifconfig.addAddress('vether1', '10.0.1.1/24'))).toBe(ERRNO.EEXIST);
    expect(msgs()).toEqual([]);
    expect(k.ifconfig.get('vether1')!.addresses).toEqual([]);
    expect(inet(k)).toEqual(before);
  });

  it('NEWADDR and DELADDR go with the local route: none when another interface holds it (rt_ifa_add, rt_ifa_del)', () => {
    const { k, s, msgs } = twoVethers(d, false);
    k.ifconfig.addAddress('vether0', '10.0.1.9/32');
    // Without vether0's connected route, vether1 can take the address, but not its local route.
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '10.0.1.9', plen: 32, gw: '10.0.1.9', flags: 0 }));
    msgs();
    k.ifconfig.addAddress('vether1', '10.0.1.9/32');
    expect(msgs()).toEqual([`${RTM_ADD} 10.0.1.9`]);
    k.ifconfig.deleteAddress('vether1', '10.0.1.9');
    expect(msgs()).toEqual([`${RTM_DELETE} 10.0.1.9`]);
    expect(inet(k)).toContain(`10.0.1.9/32 fe:e1:ba:d0:00:0${k.ifconfig.indexOf('vether0')} vether0`);
  });

  it('a connected route whose gateway RTM_CHANGE replaced goes last, with the address\'s other routes (rt_ifa_del, rt_ifa_purge)', () => {
    const { k, s, msgs } = twoVethers(d, false);
    k.ifconfig.addAddress('vether0', '10.0.1.1/24');
    s.write(routeMsg(d, { type: 'RTM_CHANGE', dst: '10.0.1.0', plen: 24, gw: '10.0.1.9' }));
    msgs();
    k.ifconfig.deleteAddress('vether0', '10.0.1.1');
    // in_remove_prefix looks the connected route up by the address as gateway: not found. The
    // purge deletes it after the local route (rtdeletemsg), its clone (10.0.1.9) first.
    const sent = drain(d, s).filter((m) => m.type !== RTM_IFINFO);
    expect(sent.map((m) => `${m.type} ${(m.sockaddrs as Record<string, { addr?: string }>)[m.type === RTM_DELADDR ? 'ifa' : 'dst']?.addr}`)).toEqual([
      `${RTM_DELETE} 10.0.1.255`, `${RTM_DELETE} 10.0.1.1`, `${RTM_DELADDR} 10.0.1.1`, `${RTM_DELETE} 10.0.1.9`, `${RTM_DELETE} 10.0.1.0`,
    ]);
    // rtdeletemsg reports the flags from before the removal: still UP.
    expect(sent[4]!.flags & 1).toBe(1);
    expect(inet(k)).toEqual(['127.0.0.1/32 127.0.0.1 lo0']);
  });

  it('an address on a down Ethernet interface: its routes come first, the others follow the link-state task', () => {
    const { k } = twoVethers(d, false);
    k.ifconfig.addAddress('vether0', '10.0.1.2/24');
    k.ifconfig.down('vether0');
    k.ifconfig.addAddress('vether0', '10.0.1.1/24');
    const node = k.routes(0, 'inet').filter((r) => r.dst === '10.0.1.0');
    expect(node.map((r) => [r.gateway, r.flags & 1])).toEqual([['10.0.1.1', 1], ['10.0.1.2', 1]]);
    expect(k.ifconfig.get('vether0')!.flags & 1).toBe(1);
  });

  describe('IPv6 addresses (in6_ifattach, in6_update_ifa, in6_purgeaddr)', () => {
    const inet6 = (k: Kernel) => k.routes(0, 'inet6').filter((r) => r.ifname !== 'lo0').map((r) => `${r.dst}/${r.plen} ${r.flags & 1 ? 'U' : '-'}`);

    describe('an rdomain\'s loopback: lo(4)\'s SIOCSIFADDR calls if_up, and if_up runs in6_ifattach', () => {
      /** Table `t`'s IPv6 routes as `dst/plen gateway ifa use`. */
      const routes6 = (k: Kernel, t: number) => k.routes(t, 'inet6').map((r) => `${r.dst}/${r.plen} ${r.gateway} ${r.ifa} ${r.use}`);

      it('at boot, ::1\'s driver call adds fe80::1%lo0 first: the multicast routes are fe80::1\'s', () => {
        const k = createKernel({ dialect: d });
        expect(routes6(k, 0)).toEqual([
          '::1/128 ::1 ::1 0', 'fe80::1%1/128 fe80::1%1 fe80::1%1 0', 'ff01::%1/32 fe80::1%1 fe80::1%1 1', 'ff02::%1/32 fe80::1%1 fe80::1%1 1',
        ]);
        // ::1 is listed first all the same (in6_update_ifa links it before in6_ifinit).
        expect(k.ifconfig.get('lo0')!.addresses).toEqual([
          '127.0.0.1/8', '00000000000000000000000000000001/128', 'fe800001000000000000000000000001/64',
        ]);
      });

      it('`up` of lo5: fe80::1%lo5\'s NEWADDR, local and multicast routes, then ::1\'s', () => {
        const { k, msgs } = twoVethers(d);
        rdomainLoopback(k, 5);
        k.ifconfig.setRdomain('vether0', 5);
        msgs();
        k.ifconfig.up('lo5');
        expect(msgs()).toEqual([`${RTM_NEWADDR} fe80::1`, `${RTM_ADD} fe80::1`, `${RTM_NEWADDR} ::1`, `${RTM_ADD} ::1`]);
        expect(routes6(k, 5)).toEqual([
          '::1/128 ::1 ::1 0', 'fe80::1%4/128 fe80::1%4 fe80::1%4 0', 'ff01::%4/32 fe80::1%4 fe80::1%4 1', 'ff02::%4/32 fe80::1%4 fe80::1%4 1',
        ]);
      });

      it('every if_up of it re-adds ::1 and fe80::1 when they were deleted, also from an IPv4 address\'s SIOCSIFADDR', () => {
        const k = createKernel({ dialect: d });
        k.ifconfig.deleteAddress('lo0', '::1');
        k.ifconfig.deleteAddress('lo0', 'fe80::1');
        expect(routes6(k, 0)).toEqual([]);
        // SIOCSIFFLAGS calls if_up only when IFF_UP changes.
        k.ifconfig.up('lo0');
        expect(routes6(k, 0)).toEqual([]);
        k.ifconfig.down('lo0');
        k.ifconfig.up('lo0');
        expect(routes6(k, 0)).toHaveLength(4);
        k.ifconfig.deleteAddress('lo0', 'fe80::1');
        k.ifconfig.addAddress('lo0', '127.0.0.2/32');
        expect(routes6(k, 0).map((x) => x.split(' ')[0])).toEqual(['::1/128', 'fe80::1%1/128', 'ff01::%1/32', 'ff02::%1/32']);
      });
    });

    it('the first IPv6 address brings an Ethernet interface up (in6_ifinit\'s SIOCSIFADDR): its routes are up', () => {
      const { k, msgs } = twoVethers(d);
      if (d === 'openbsd') {
        k.ifconfig.enableInet6('vether0');
        expect(k.ifconfig.get('vether0')!.flags & 1).toBe(1);
        expect(inet6(k)).toEqual(['fe80::%2/64 U', 'fe80::fce1:baff:fed0:2%2/128 U', 'ff01::%2/32 U', 'ff02::%2/32 U']);
        return;
      }
      // 4.9: SIOCAIFADDR_IN6 attaches nothing itself; ifioctl's in6_if_up, once the driver brought
      // IFF_UP on, adds the link-local address after the one asked for.
      k.ifconfig.addAddress('vether0', '2001:db8::1/64');
      expect(k.ifconfig.get('vether0')!.flags & 1).toBe(1);
      expect(msgs()).toEqual([
        `${RTM_NEWADDR} 2001:db8::1`, `${RTM_ADD} 2001:db8::1`, `${RTM_ADD} 2001:db8::`,
        `${RTM_NEWADDR} fe80::fce1:baff:fed0:2`, `${RTM_ADD} fe80::fce1:baff:fed0:2`, `${RTM_ADD} fe80::`,
      ]);
      expect(inet6(k)).toEqual([
        '2001:db8::/64 U', '2001:db8::1/128 U', 'fe80::%2/64 U', 'fe80::fce1:baff:fed0:2%2/128 U', 'ff01::%2/32 U', 'ff02::%2/32 U',
      ]);
    });

    it('an address the interface has: kept (0; current announces its settled flags, RTM_CHGADDRATTR), EINVAL for another prefix length (in6_update_ifa)', () => {
      const { k, msgs } = twoVethers(d);
      k.ifconfig.addAddress('vether0', '2001:db8:1::1/64');
      msgs();
      expect(errnoOf(() => k.ifconfig.addAddress('vether0', '2001:db8:1::1/64'))).toBe(0);
      expect(errnoOf(() => k.ifconfig.addAddress('vether0', '2001:db8:1::1/56'))).toBe(ERRNO.EINVAL);
      expect(msgs()).toEqual(d === 'openbsd' ? [`${RTM_CHGADDRATTR} 2001:db8:1::1`] : []);
      expect(k.ifconfig.get('vether0')!.addresses).toContain('20010db8000100000000000000000001/64');
    });

    it(`a deleted link-local address comes back with ${d === 'openbsd' ? 'the next address or `inet6` (in6_ifattach looks for one)' : 'the next if_up or `-inet6` then `inet6` (in6_if_up), not with an address'}`, () => {
      const { k } = twoVethers(d);
      attach6(k, 'vether0');
      k.ifconfig.deleteAddress('vether0', 'fe80::fce1:baff:fed0:2');
      expect(inet6(k)).toEqual([]);
      if (d === 'openbsd') {
        k.ifconfig.enableInet6('vether0');
        expect(inet6(k)).toContain('fe80::fce1:baff:fed0:2%2/128 U');
        return;
      }
      // The interface is up: no ioctl brings IFF_UP on, and clearing an IFXF_NOINET6 that was
      // not set runs nothing.
      k.ifconfig.addAddress('vether0', '10.0.1.1/24');
      k.ifconfig.enableInet6('vether0');
      expect(inet6(k)).toEqual([]);
      k.ifconfig.down('vether0');
      k.ifconfig.up('vether0');
      expect(inet6(k)).toContain('fe80::fce1:baff:fed0:2%2/128 U');
      k.ifconfig.deleteAddress('vether0', 'fe80::fce1:baff:fed0:2');
      k.ifconfig.disableInet6('vether0');
      k.ifconfig.enableInet6('vether0');
      expect(inet6(k)).toContain('fe80::fce1:baff:fed0:2%2/128 U');
    });

    it('delete: local route and DELADDR, connected route, then the multicast routes it brought, each announced (in6_purgeaddr, rt_ifa_purge)', () => {
      const { k, msgs } = twoVethers(d);
      attach6(k, 'vether0');
      msgs();
      k.ifconfig.deleteAddress('vether0', 'fe80::fce1:baff:fed0:2');
      expect(msgs()).toEqual([
        `${RTM_DELETE} fe80::fce1:baff:fed0:2`, `${RTM_DELADDR} fe80::fce1:baff:fed0:2`, `${RTM_DELETE} fe80::`,
        `${RTM_DELETE} ff01::`, `${RTM_DELETE} ff02::`,
      ]);
    });

    it('an address whose connected route another interface holds fails with EEXIST and is purged', () => {
      const { k } = twoVethers(d);
      k.ifconfig.addAddress('vether0', '2001:db8:1::1/64');
      expect(errnoOf(() => k.ifconfig.addAddress('vether1', '2001:db8:1::1/64'))).toBe(ERRNO.EEXIST);
      expect(k.ifconfig.get('vether1')!.addresses.filter((a) => a.startsWith('2001'))).toEqual([]);
    });

    it('the local route goes with rt_ifa_purge, without DELADDR, when another interface\'s local route matches first (rt_ifa_dellocal)', () => {
      const { k, msgs } = twoVethers(d);
      k.ifconfig.addAddress('lo0', '2001:db8:1::9/128');
      k.ifconfig.addAddress('vether0', '2001:db8:1::9/128');
      msgs();
      k.ifconfig.deleteAddress('vether0', '2001:db8:1::9');
      expect(msgs().filter((m) => m.includes('2001'))).toEqual([`${RTM_DELETE} 2001:db8:1::9`]);
      expect(k.routes(0, 'inet6').filter((r) => r.dst === '2001:db8:1::9').map((r) => r.ifname)).toEqual(['lo0']);
    });

    // Current's SIOCAIFADDR_IN6 and SIOCIFAFATTACH run in6_ifattach; 4.9's ioctls run none on an
    // interface that is up (if-inet6-switch.test.ts has 4.9's in6_if_up).
    if (d === 'openbsd') describe('a link-local address in6_ifattach cannot add does not stop the ioctl (in6_ifattach ignores in6_ifattach_linklocal\'s error)', () => {
      /**
       * vether0's connected fe80::%2/64 moved to vether1 by RTM_CHANGE with RTA_IFP, then
       * vether0's link-local deleted: the next link-local fails with EEXIST (its connected route
       * exists on vether1, same gateway) and is purged (model-attrs, IPv6, openbsd, run 4342).
       */
      function linkLocalBlocked() {
        const { k, s, msgs } = twoVethers(d);
        k.ifconfig.addAddress('vether0', '2001:db8:1::9/128');
        k.ifconfig.addAddress('vether1', '2001:db8:1::1/64');
        const ifp = { kind: 'link', index: 3, type: 6, name: '', lladdr: '' };
        s.write(routeMsg(d, { type: 'RTM_CHANGE', dst: 'fe80:2::', plen: 64, sockaddrs: { ifp } }));
        // ifaof_ifpforaddr: no address of vether1 holds fe80::%2, so its first IPv6 one.
        expect(k.routes(0, 'inet6').find((r) => r.dst === 'fe80::%2')).toMatchObject({ ifname: 'vether1', ifa: 'fe80::fce1:baff:fed0:3%3' });
        k.ifconfig.deleteAddress('vether0', 'fe80::fce1:baff:fed0:2');
        msgs();
        return { k, msgs };
      }
      const linkLocalTried = [
        `${RTM_NEWADDR} fe80::fce1:baff:fed0:2`, `${RTM_ADD} fe80::fce1:baff:fed0:2`, `${RTM_DELETE} fe80::fce1:baff:fed0:2`,
        `${RTM_DELADDR} fe80::fce1:baff:fed0:2`, `${RTM_DELETE} ff01::`, `${RTM_DELETE} ff02::`,
      ];

      it('SIOCAIFADDR_IN6 goes on to the address asked for', () => {
        const { k, msgs } = linkLocalBlocked();
        expect(errnoOf(() => k.ifconfig.addAddress('vether0', '2001:db8:5::1/64'))).toBe(0);
        expect(msgs()).toEqual([...linkLocalTried, `${RTM_NEWADDR} 2001:db8:5::1`, `${RTM_ADD} 2001:db8:5::1`, `${RTM_ADD} 2001:db8:5::`]);
        expect(inet6(k).filter((r) => r.includes('%2/32'))).toEqual(['ff01::%2/32 U', 'ff02::%2/32 U']);
      });

      it('whose own failure purges the multicast routes it brought, each announced (in6_purgeaddr, rt_ifa_purge)', () => {
        const { k, msgs } = linkLocalBlocked();
        // vether1 holds 2001:db8:1::1's local and connected routes: no local route, no NEWADDR;
        // ff01/ff02::%2/32 go to the new address; its connected route fails (EEXIST).
        expect(errnoOf(() => k.ifconfig.addAddress('vether0', '2001:db8:1::1/64'))).toBe(ERRNO.EEXIST);
        expect(msgs()).toEqual([...linkLocalTried, `${RTM_DELETE} ff01::`, `${RTM_DELETE} ff02::`]);
        expect(inet6(k).filter((r) => r.includes('%2/32'))).toEqual([]);
      });

      it('`inet6` (SIOCIFAFATTACH) succeeds', () => {
        const { k, msgs } = linkLocalBlocked();
        expect(errnoOf(() => k.ifconfig.enableInet6('vether0'))).toBe(0);
        expect(msgs()).toEqual(linkLocalTried);
      });
    });
  });

  // Only 4.9 lets a user route sit at RTP_LOCAL (current refuses priority 1 with EINVAL); the
  // model configures IPv6 addresses as current's in6.c does in both dialects.
  if (d === 'openbsd-4.9') {
    describe('a new IPv6 address whose local route cannot be added (in6_ifinit: rt_ifa_addlocal fails)', () => {
      // RTF_UP|RTF_HOST|RTF_STATIC, and RTF_MPATH to sit beside another local route.
      const userLocal = (k: Kernel, s: RoutingSocket, dst: string, gateway: object, ifp?: object) => {
        expect(errnoOf(() => s.write(routeMsg(d, {
          dst, flags: 0x40805, priority: 1, seq: 7, sockaddrs: { gateway, ...(ifp ? { ifp } : {}) },
        })))).toBe(0);
        expect(k.routes(0, 'inet6').filter((r) => r.dst === dst).map((r) => `${r.priority} ${r.ifname}`)).toContain(`1 ${ifp ? 'gif0' : 'vether0'}`);
      };

      it('Ethernet: EEXIST, the address unlinked before any other route or message', () => {
        const { k, s, msgs } = twoVethers(d);
        attach6(k, 'vether0');
        // vether0's own link gateway, as its local route would have it, at priority 1 (RTP_LOCAL).
        userLocal(k, s, '2001:db8::1', { kind: 'link', index: 2, type: 6, name: 'vether0', lladdr: 'fe:e1:ba:d0:00:02', len: 24 });
        msgs();
        expect(errnoOf(() => k.ifconfig.addAddress('vether0', '2001:db8::1/64'))).toBe(ERRNO.EEXIST);
        expect(msgs()).toEqual([]);
        expect(k.ifconfig.get('vether0')!.addresses).toEqual(['fe80000200000000fce1bafffed00002/64']);
        expect(k.routes(0, 'inet6').filter((r) => r.dst.startsWith('2001:')).map((r) => `${r.dst}/${r.plen} ${r.priority}`))
          .toEqual(['2001:db8::1/128 1']);
        expect(errnoOf(() => k.ifconfig.deleteAddress('vether0', '2001:db8::1'))).toBe(ERRNO.EADDRNOTAVAIL);
      });

      it('point-to-point: the destination\'s host route added first goes again with the address (rt_ifa_purge)', () => {
        const { k, s, msgs } = twoVethers(d);
        k.ifconfig.create('gif0');
        attach6(k, 'gif0');
        // A route to 2001:db8::1 with that gateway, kept on gif0 (RTA_IFP) after vether1 loses the address.
        k.ifconfig.addAddress('vether1', '2001:db8::1/64');
        userLocal(k, s, '2001:db8::1', { kind: 'inet6', addr: '2001:db8::1', port: 0, flowinfo: 0, scope_id: 0 },
          { kind: 'link', index: 4, type: 0xf0, name: '', lladdr: '' });
        k.ifconfig.deleteAddress('vether1', '2001:db8::1');
        msgs();
        expect(errnoOf(() => k.ifconfig.addAddress('gif0', '2001:db8::1/128', { dest: '2001:db8::2' }))).toBe(ERRNO.EEXIST);
        expect(msgs()).toEqual([`${RTM_ADD} 2001:db8::2`, `${RTM_DELETE} 2001:db8::2`]);
        expect(k.ifconfig.get('gif0')!.addresses.filter((a) => a.startsWith('2001'))).toEqual([]);
        expect(k.routes(0, 'inet6').filter((r) => r.ifname === 'gif0' && r.dst.startsWith('2001:')).map((r) => `${r.dst} ${r.priority}`))
          .toEqual(['2001:db8::1 1']);
      });
    });
  }

  describe('a route given an address of the other family (RTA_IFA)', () => {
    /** vether0 with 10.0.1.1/24 and 2001:db8:1::1/64; 10/8 via 10.0.1.5 added with RTA_IFA 2001:db8:1::1. */
    function crossFamily(): { k: Kernel; msgs: () => string[]; s: RoutingSocket } {
      const { k, s, msgs } = twoVethers(d);
      k.ifconfig.addAddress('vether0', '10.0.1.1/24');
      k.ifconfig.addAddress('vether0', '2001:db8:1::1/64');
      const ifa = { kind: 'inet6', addr: '2001:db8:1::1', port: 0, flowinfo: 0, scope_id: 0 };
      expect(errnoOf(() => s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '10.0.1.5', sockaddrs: { ifa } })))).toBe(0);
      expect(k.routes(0, 'inet').find((r) => r.dst === '10.0.0.0')).toMatchObject({ ifname: 'vether0', ifa: '2001:db8:1::1' });
      msgs();
      return { k, msgs, s };
    }

    it('outlives its address: rt_ifa_purge walks only the address\'s family', () => {
      const { k, msgs } = crossFamily();
      k.ifconfig.deleteAddress('vether0', '2001:db8:1::1');
      expect(msgs()).not.toContain(`${RTM_DELETE} 10.0.0.0`);
      expect(k.routes(0, 'inet').find((r) => r.dst === '10.0.0.0')).toMatchObject({ ifname: 'vether0', ifa: '2001:db8:1::1' });
    });

    it('outlives its interface (in_ifdetach and in6_ifdetach leave it; 4.9\'s rt_if_remove does not); RTM_DELETE and RTM_CHANGE of it are ESRCH (if_get fails)', () => {
      const { k, msgs, s } = crossFamily();
      k.ifconfig.destroy('vether0');
      if (d === 'openbsd-4.9') {
        // 4.9's if_detach removes every route on the interface (rt_if_remove), whatever its address.
        expect(msgs()).toContain(`${RTM_DELETE} 10.0.0.0`);
        expect(k.routes(0, 'inet').find((r) => r.dst === '10.0.0.0')).toBeUndefined();
        return;
      }
      expect(msgs()).not.toContain(`${RTM_DELETE} 10.0.0.0`);
      expect(k.routes(0, 'inet').find((r) => r.dst === '10.0.0.0')).toMatchObject({ ifname: 'vether0', ifindex: 2 });
      expect(errnoOf(() => s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '10.0.0.0', plen: 8, gw: '10.0.1.5' })))).toBe(ERRNO.ESRCH);
      expect(errnoOf(() => s.write(routeMsg(d, { type: 'RTM_CHANGE', dst: '10.0.0.0', plen: 8, gw: '10.0.1.5' })))).toBe(ERRNO.ESRCH);
      expect(k.routes(0, 'inet').find((r) => r.dst === '10.0.0.0')).toBeDefined();
      msgs();
      // rtm_report and sysctl_dumpentry add IFP and IFA only when if_get finds the interface.
      const ifp = { kind: 'link', index: 0, type: 0, name: '', lladdr: '' };
      s.write(routeMsg(d, { type: 'RTM_GET', dst: '10.0.0.0', plen: 8, flags: 0, sockaddrs: { ifp } }));
      const [reply] = drain(d, s);
      expect(reply).toMatchObject({ type: RTM_GET, errno: 0 });
      expect(Object.keys(reply!.sockaddrs).filter((x) => x === 'ifp' || x === 'ifa')).toEqual([]);
      const dumped = decodeMessages(k.dump(0, 'inet'), { dialect: d }).messages as RouteMessage[];
      const entry = dumped.find((m) => (m.sockaddrs['dst'] as { addr: string }).addr === '10.0.0.0')!;
      expect(Object.keys(entry.sockaddrs).filter((x) => x === 'ifp' || x === 'ifa')).toEqual([]);
    });

    it('a clone of such a cloning route is announced without IFP and IFA (rt_clone\'s rtm_send: if_get fails)', () => {
      const { k, s } = twoVethers(d);
      k.ifconfig.addAddress('vether0', '10.0.1.1/24');
      k.ifconfig.addAddress('vether0', '2001:db8:1::1/64');
      // The connected route gets another gateway (in_ifscrub's rt_ifa_del no longer finds it) and
      // vether0's IPv6 address (rt_ifa_purge of 10.0.1.1 does not); vether0 goes; it stays.
      const ifa = { kind: 'inet6', addr: '2001:db8:1::1', port: 0, flowinfo: 0, scope_id: 0 };
      expect(errnoOf(() => s.write(routeMsg(d, { type: 'RTM_CHANGE', dst: '10.0.1.0', plen: 24, gw: '10.0.1.5', flags: 0, sockaddrs: { ifa } })))).toBe(0);
      k.ifconfig.destroy('vether0');
      drain(d, s);
      if (d === 'openbsd-4.9') {
        // 4.9's rt_if_remove took the connected route with the interface: nothing to clone from.
        expect(k.lookup('10.0.1.7')).toBeUndefined();
        return;
      }
      expect(k.lookup('10.0.1.7')).toMatchObject({ dst: '10.0.1.7', ifname: 'vether0' });
      const [clone] = drain(d, s);
      expect(clone).toMatchObject({ type: RTM_ADD });
      expect(Object.keys(clone!.sockaddrs).filter((x) => x === 'ifp' || x === 'ifa')).toEqual([]);
    });
  });
});
