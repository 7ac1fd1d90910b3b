/**
 * IPv6 on point-to-point interfaces (gif(4)): in6_update_ifa's destination (ifra_dstaddr) and
 * its checks, in6_ifinit's host route to the destination, in6_purgeaddr, the link-local
 * address in6_ifattach gives an interface without a link-layer address (in6_get_ifid), the
 * connected routes (RTF_CLONING by dialect), and lookups and interface selection through the
 * destination (ifa_ifwithdstaddr, ifaof_ifpforaddr).
 */
import {
  AF_ROUTE, RTABLE_ANY, ROUTE_TABLEFILTER, RTF_CLONED, RTF_CLONING, RTF_CONNECTED, RTF_HOST, RTF_LLINFO, RTF_LOCAL,
  RTF_UP, RTM_ADD, RTM_CHGADDRATTR, RTM_DELADDR, RTM_DELETE, RTM_GET, RTM_IFANNOUNCE, RTM_IFINFO, RTM_NEWADDR,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RouteMessage } from '../../src/codec/message.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { DIALECTS, drain, errnoOf, rdomainLoopback, routeMsg, UGS, type DialectArg } from './helpers.js';

/**
 * lo0, vether0 (fe:e1:ba:d0:00:02), gif0 (index 3) and a listener on every table. 4.9 attaches
 * IPv6 on if_up (in6_if_up), not on SIOCAIFADDR_IN6 as current's in6_ioctl_change_ifaddr does:
 * its gifs are brought up first, so each has its link-local address before a test adds any.
 */
function gifKernel(d: DialectArg, ...names: string[]): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d });
  for (const n of names.length ? names : ['vether0', 'gif0']) k.ifconfig.create(n);
  if (d === 'openbsd-4.9') for (const n of names.length ? names : ['vether0', 'gif0']) if (n.startsWith('gif')) k.ifconfig.up(n);
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s };
}

type Sa = { addr?: string; len?: number } | undefined;
const sa = (m: { sockaddrs?: unknown }, slot: string): Sa => ((m.sockaddrs ?? {}) as Record<string, Sa>)[slot];

/** `type dst-or-ifa` for each message. */
const summary = (d: DialectArg, s: RoutingSocket) => drain(d, s).map((m) => `${m.type} ${sa(m, 'dst')?.addr ?? sa(m, 'ifa')?.addr ?? ''}`.trim());

const gifRoutes = (k: Kernel, prefix = '2001:db8:') => k.routes(0, 'inet6').filter((r) => r.ifname === 'gif0' && r.dst.startsWith(prefix))
  .map((r) => `${r.dst}/${r.plen} ${r.gateway} ${r.flags.toString(16)} ${r.priority}`);

const hex = (n: number) => n.toString(16);
/** in6_ifattach's link-local address with current's first address (4.9's gifKernel gave it already). */
const linkLocalAdded = (d: DialectArg) => (d === 'openbsd' ? [`${RTM_NEWADDR} ${LL}`, `${RTM_ADD} ${LL}`, `${RTM_ADD} fe80::`] : []);
/** IPv6 attached to an interface again: current's `inet6`; 4.9's `-inet6` then `inet6` (it is up). */
const reattach = (k: Kernel, name: string) => {
  if (k.policy.ifXflags.noInet6 !== 0) k.ifconfig.disableInet6(name);
  k.ifconfig.enableInet6(name);
};
/** gif0's link-local address as messages show it (the KAME scope is not text there). */
const LL = 'fe80::fce1:baff:fed0:2';
const A = '2001:db8::1';
const B = '2001:db8::2';

describe.each(DIALECTS)('IPv6 on point-to-point interfaces (%s)', (d) => {
  it('a /128 with a destination: the destination\'s host route first, then NEWADDR and the local route; no connected route', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    // in6_ifattach's link-local address first (local route, connected fe80::/64), then
    // in6_ifinit: rt_ifa_add of the destination, rt_ifa_addlocal (NEWADDR, RTM_ADD).
    expect(summary(d, s)).toEqual([...linkLocalAdded(d), `${RTM_ADD} ${B}`, `${RTM_NEWADDR} ${A}`, `${RTM_ADD} ${A}`]);
    expect(gifRoutes(k)).toEqual([`${A}/128 ${A} ${hex(RTF_UP | RTF_HOST | RTF_LOCAL)} 1`, `${B}/128 ${A} ${hex(RTF_UP | RTF_HOST)} 8`]);
    expect(k.ifconfig.get('gif0')!.addresses).toEqual(['fe80000300000000fce1bafffed00002/64', '20010db8000000000000000000000001/128']);
  });

  it('NEWADDR and DELADDR carry BRD = the destination; deletion: host route, local route, DELADDR', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    const added = drain(d, s);
    const newaddr = added.filter((m) => m.type === RTM_NEWADDR).pop()!;
    expect(sa(newaddr, 'brd')).toMatchObject({ addr: B });
    expect(sa(newaddr, 'netmask')).toMatchObject({ addr: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' });
    // ifam_flags is ifa_flags: in6_ifinit set IFA_ROUTE with the host route, before
    // rt_ifa_addlocal's NEWADDR; in6_purgeaddr clears it before rt_ifa_dellocal's DELADDR.
    expect(newaddr.flags).toBe(1);
    const hostAdd = added.find((m) => m.type === RTM_ADD && sa(m, 'dst')?.addr === B)!;
    expect(sa(hostAdd, 'gateway')).toMatchObject({ addr: A });
    expect(sa(hostAdd, 'brd')).toBeUndefined();
    expect(hostAdd.flags & (RTF_HOST | RTF_LLINFO)).toBe(RTF_HOST);
    k.ifconfig.deleteAddress('gif0', A);
    const deleted = drain(d, s);
    expect(deleted.map((m) => `${m.type} ${sa(m, 'dst')?.addr ?? ''}`)).toEqual([`${RTM_DELETE} ${B}`, `${RTM_DELETE} ${A}`, `${RTM_DELADDR} `]);
    expect(sa(deleted[2]!, 'brd')).toMatchObject({ addr: B });
    expect(deleted[2]!.flags).toBe(0);
    expect(gifRoutes(k)).toEqual([]);
  });

  it('the link-local address borrows the first Ethernet-like interface\'s identifier (in6_get_ifid), and its prefix does not clone', () => {
    const { k } = gifKernel(d, 'gif0', 'vether1', 'vether0');
    k.ifconfig.enableInet6('gif0');
    // vether1 (index 3, attached before vether0) lends fe:e1:ba:d0:00:03.
    const ll = k.routes(0, 'inet6').filter((r) => r.ifname === 'gif0' && r.dst.startsWith('fe80'));
    expect(ll.map((r) => `${r.dst}/${r.plen} ${hex(r.flags)} ${r.priority}`)).toEqual([
      `fe80::%2/64 ${hex(RTF_UP | RTF_CONNECTED)} 4`, `fe80::fce1:baff:fed0:3%2/128 ${hex(RTF_UP | RTF_HOST | RTF_LOCAL)} 1`,
    ]);
  });

  it('an Ethernet address that is all zeros or a group address lends nothing; without any, the identifier is the model\'s stand-in for a random one', () => {
    const { k } = gifKernel(d, 'vether0', 'vether1', 'gif0', 'gif1');
    k.ifconfig.setLladdr('vether0', Uint8Array.of(0, 0, 0, 0, 0, 0));
    k.ifconfig.setLladdr('vether1', Uint8Array.of(1, 2, 3, 4, 5, 6));
    reattach(k, 'gif0');
    const lladdrOf = (name: string) => k.routes(0, 'inet6').filter((r) => r.ifname === name && r.plen === 128 && r.dst.startsWith('fe80'))
      .map((r) => r.dst);
    const [random] = lladdrOf('gif0');
    expect(random).toMatch(/^fe80::[0-9a-f:]+%4$/);
    expect(random).not.toMatch(/ff:fe/);
    // the same interface gets the same one again; another interface another
    k.ifconfig.disableInet6('gif0');
    k.ifconfig.enableInet6('gif0');
    expect(lladdrOf('gif0')).toEqual([random]);
    reattach(k, 'gif1');
    expect(lladdrOf('gif1')[0]!.replace('%5', '%4')).not.toBe(random);
    // an Ethernet interface with a usable address then lends its own
    k.ifconfig.setLladdr('vether1', Uint8Array.of(2, 2, 3, 4, 5, 6));
    k.ifconfig.disableInet6('gif0');
    k.ifconfig.enableInet6('gif0');
    expect(lladdrOf('gif0')).toEqual(['fe80::2:3ff:fe04:506%4']);
  });

  it(`a prefix without a destination gets a connected route${d === 'openbsd' ? ' that clones' : ' without RTF_CLONING (nd6_prefix_onlink)'}; BRD is an empty sockaddr`, () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '2001:db8::1/64');
    const newaddr = drain(d, s).filter((m) => m.type === RTM_NEWADDR).pop()!;
    expect(sa(newaddr, 'brd')).toMatchObject({ len: 0 });
    const cloning = d === 'openbsd' ? RTF_CLONING : 0;
    expect(gifRoutes(k)).toEqual([
      `2001:db8::/64 ${A} ${hex(RTF_UP | RTF_CONNECTED | cloning)} 4`, `${A}/128 ${A} ${hex(RTF_UP | RTF_HOST | RTF_LOCAL)} 1`,
    ]);
    const found = k.lookup('2001:db8::7');
    if (d === 'openbsd') {
      expect(found).toMatchObject({ dst: '2001:db8::7', plen: 128 });
      expect(found!.flags & RTF_CLONED).toBe(RTF_CLONED);
    } else expect(found).toMatchObject({ dst: '2001:db8::', plen: 64 });
    drain(d, s);
    k.ifconfig.deleteAddress('gif0', A);
    expect(gifRoutes(k)).toEqual([]);
    // in6_unlink_ifa's rt_ifa_del announces the connected route after its removal (rtm_send:
    // no RTF_UP), before rt_ifa_purge would (rtdeletemsg: the flags it had)
    const gone = drain(d, s).find((m) => m.type === RTM_DELETE && sa(m, 'dst')?.addr === '2001:db8::')!;
    expect(gone.flags & RTF_UP).toBe(0);
  });

  it('a destination needs a /128 (EINVAL), after in6_ifattach has given the interface its link-local address', () => {
    const { k, s } = gifKernel(d);
    expect(errnoOf(() => k.ifconfig.addAddress('gif0', `${A}/64`, { dest: B }))).toBe(ERRNO.EINVAL);
    expect(summary(d, s)).toEqual(linkLocalAdded(d));
    expect(k.ifconfig.get('gif0')!.addresses).toHaveLength(1);
  });

  it('a destination on an Ethernet interface is EINVAL', () => {
    const { k } = gifKernel(d);
    expect(errnoOf(() => k.ifconfig.addAddress('vether0', `${A}/128`, { dest: B }))).toBe(ERRNO.EINVAL);
    expect(k.routes(0, 'inet6').some((r) => r.dst === A)).toBe(false);
  });

  it(`an IPv4 destination is ${d === 'openbsd' ? 'refused: EAFNOSUPPORT on gif, EINVAL on Ethernet' : 'ignored (4.9 looks only at an AF_INET6 one)'}`, () => {
    const { k } = gifKernel(d);
    const onGif = errnoOf(() => k.ifconfig.addAddress('gif0', `${A}/128`, { dest: '10.0.0.2' }));
    const onEther = errnoOf(() => k.ifconfig.addAddress('vether0', '2001:db8:1::1/64', { dest: '10.0.0.2' }));
    if (d === 'openbsd') {
      expect([onGif, onEther]).toEqual([ERRNO.EAFNOSUPPORT, ERRNO.EINVAL]);
      expect(gifRoutes(k)).toEqual([]);
    } else {
      expect([onGif, onEther]).toEqual([0, 0]);
      expect(gifRoutes(k)).toEqual([`${A}/128 ${A} ${hex(RTF_UP | RTF_HOST | RTF_LOCAL)} 1`]);
      expect(k.interfaceByIndex(3)!.addrs.find((a) => a.plen === 128)!.dstaddr).toBeUndefined();
    }
  });

  it('a link-local destination takes the interface\'s scope; another interface\'s is EINVAL (in6_check_embed_scope)', () => {
    const { k } = gifKernel(d);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: 'fe80::2' });
    expect(k.routes(0, 'inet6').filter((r) => r.ifname === 'gif0' && r.priority === 8).map((r) => r.dst)).toEqual(['fe80::2%3']);
    expect(errnoOf(() => k.ifconfig.addAddress('gif0', '2001:db8::5/128', { dest: 'fe80:2::2' }))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.addAddress('gif0', '2001:db8::5/128', { dest: 'fe80:3::3' }))).toBe(0);
  });

  it('a loopback takes a destination (BRD), with no route to it; the unspecified one is no destination', () => {
    const { k, s } = gifKernel(d, 'lo1');
    k.ifconfig.addAddress('lo1', `${A}/128`, { dest: B });
    const newaddr = drain(d, s).filter((m) => m.type === RTM_NEWADDR).pop()!;
    expect(sa(newaddr, 'brd')).toMatchObject({ addr: B });
    expect(k.routes(0, 'inet6').filter((r) => r.ifname === 'lo1' && !r.dst.startsWith('f')).map((r) => r.dst)).toEqual([A]);
    expect(errnoOf(() => k.ifconfig.addAddress('lo1', '2001:db8::3/64', { dest: B }))).toBe(ERRNO.EINVAL);
    const { k: k2, s: s2 } = gifKernel(d);
    k2.ifconfig.addAddress('gif0', `${A}/128`, { dest: '::' });
    expect(sa(drain(d, s2).filter((m) => m.type === RTM_NEWADDR).pop()!, 'brd')).toMatchObject({ len: 0 });
    expect(gifRoutes(k2)).toEqual([`${A}/128 ${A} ${hex(RTF_UP | RTF_HOST | RTF_LOCAL)} 1`]);
  });

  it('::1 on an rdomain loopback has the destination ::1 (in6_ifattach_loopback): BRD ::1 in NEWADDR and DELADDR, no route to it', () => {
    const { k, s } = gifKernel(d, 'vether0');
    const brd = (m: RouteMessage) => { const b = sa(m, 'brd'); return b === undefined ? 'none' : b.len === 0 ? 'empty' : b.addr; };
    const addrMsgs = () => drain(d, s).filter((m) => m.type === RTM_NEWADDR || m.type === RTM_DELADDR)
      .map((m) => `${m.type} ${sa(m, 'ifa')?.addr} ${brd(m)}`);
    // lo5's if_up: fe80::1 (no destination: the empty sockaddr), then ::1 with its own.
    rdomainLoopback(k, 5);
    k.ifconfig.setRdomain('vether0', 5);
    drain(d, s);
    k.ifconfig.up('lo5');
    expect(addrMsgs()).toEqual([`${RTM_NEWADDR} fe80::1 empty`, `${RTM_NEWADDR} ::1 ::1`]);
    // in6_ifinit adds a destination's host route only on a point-to-point interface: ::1's local route is all.
    expect(k.routes(5, 'inet6').filter((r) => r.dst === '::1').map((r) => `${r.gateway} ${r.flags.toString(16)}`))
      .toEqual([`::1 ${hex(RTF_UP | RTF_HOST | RTF_LOCAL)}`]);
    k.ifconfig.deleteAddress('lo5', '::1');
    expect(addrMsgs()).toEqual([`${RTM_DELADDR} ::1 ::1`]);
    // lo0 from boot: the same, also when `inet6` brings ::1 back, and across a saved state.
    k.ifconfig.deleteAddress('lo0', '::1');
    expect(addrMsgs()).toEqual([`${RTM_DELADDR} ::1 ::1`]);
    // (4.9 has no SIOCIFAFATTACH: if_up's in6_if_up brings it back.)
    if (d === 'openbsd') k.ifconfig.enableInet6('lo0');
    else {
      k.ifconfig.down('lo0');
      k.ifconfig.up('lo0');
    }
    expect(addrMsgs()).toEqual([`${RTM_NEWADDR} ::1 ::1`]);
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    const s2 = k2.socket();
    k2.ifconfig.deleteAddress('lo0', '::1');
    expect(drain(d, s2).filter((m) => m.type === RTM_DELADDR).map(brd)).toEqual(['::1']);
    // A route reply carries BRD only for a point-to-point interface (rt_msg2): none for ::1.
    s.write(routeMsg(d, { type: 'RTM_GET', dst: '::1', flags: 0, seq: 9 }));
    const reply = drain(d, s).find((m) => m.type === RTM_GET)!;
    expect(sa(reply, 'dst')).toMatchObject({ addr: '::1' });
    expect(sa(reply, 'brd')).toBeUndefined();
  });

  it('a new destination for the address moves the host route (in6_update_ifa), nothing else; the same one again is EEXIST', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    drain(d, s);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: '2001:db8::3' });
    // Current announces the re-configured (settled) address last (in6_update_ifa's rtm_addr).
    const chg = d === 'openbsd' ? [`${RTM_CHGADDRATTR} ${A}`] : [];
    expect(summary(d, s)).toEqual([`${RTM_DELETE} ${B}`, `${RTM_ADD} 2001:db8::3`, ...chg]);
    expect(gifRoutes(k).map((r) => r.split(' ')[0])).toEqual([`${A}/128`, '2001:db8::3/128']);
    // in6_ifinit adds the host route again: it is there (EEXIST), and the address stays.
    expect(errnoOf(() => k.ifconfig.addAddress('gif0', `${A}/128`, { dest: '2001:db8::3' }))).toBe(ERRNO.EEXIST);
    expect(summary(d, s)).toEqual([]);
    expect(gifRoutes(k).map((r) => r.split(' ')[0])).toEqual([`${A}/128`, '2001:db8::3/128']);
    // ... and added afresh when it was deleted
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '2001:db8::3', flags: RTF_HOST, seq: 3 }));
    drain(d, s);
    expect(errnoOf(() => k.ifconfig.addAddress('gif0', `${A}/128`, { dest: '2001:db8::3' }))).toBe(0);
    expect(summary(d, s)).toEqual([`${RTM_ADD} 2001:db8::3`, ...chg]);
  });

  it('the prefix length of the address cannot change (EINVAL), with or without a destination', () => {
    const { k } = gifKernel(d);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    expect(errnoOf(() => k.ifconfig.addAddress('gif0', `${A}/64`))).toBe(ERRNO.EINVAL);
    expect(k.ifconfig.get('gif0')!.addresses).toContain('20010db8000000000000000000000001/128');
  });

  it('a destination whose host route could not be added is not deleted with the address (IFA_ROUTE); rt_ifa_purge takes the route in the way', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    // a static host route to C through A: the same gateway and priority as in6_ifinit's
    s.write(routeMsg(d, { dst: '2001:db8::c', gw: A, flags: UGS | RTF_HOST, seq: 2 }));
    expect(k.lookup('2001:db8::c')).toMatchObject({ ifname: 'gif0', ifa: A, priority: 8 });
    drain(d, s);
    // the old host route goes (IFA_ROUTE cleared), the new one cannot be added: EEXIST
    expect(errnoOf(() => k.ifconfig.addAddress('gif0', `${A}/128`, { dest: '2001:db8::c' }))).toBe(ERRNO.EEXIST);
    expect(summary(d, s)).toEqual([`${RTM_DELETE} ${B}`]);
    // in6_purgeaddr: no rt_ifa_del of the destination without IFA_ROUTE; the route to C goes last
    k.ifconfig.deleteAddress('gif0', A);
    expect(summary(d, s)).toEqual([`${RTM_DELETE} ${A}`, `${RTM_DELADDR} ${A}`, `${RTM_DELETE} 2001:db8::c`]);
  });

  it('a destination\'s host route that could not be added fails a new address (EEXIST) and unlinks it, without messages', () => {
    const { k, s } = gifKernel(d, 'vether0', 'gif0', 'gif1');
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    k.ifconfig.enableInet6('gif1');
    drain(d, s);
    const uses = () => k.routes(0, 'inet6').filter((r) => r.dst === A).map((r) => r.use);
    const before = uses();
    expect(errnoOf(() => k.ifconfig.addAddress('gif1', `${A}/128`, { dest: B }))).toBe(ERRNO.EEXIST);
    expect(summary(d, s)).toEqual([]);
    expect(k.ifconfig.get('gif1')!.addresses).toHaveLength(1);
    // in6_unlink_ifa, not in6_purgeaddr: no rt_ifa_dellocal lookup counted on gif0's local route
    expect(uses()).toEqual(before);
  });

  it('the state file keeps IFA_ROUTE', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    s.write(routeMsg(d, { dst: '2001:db8::c', gw: A, flags: UGS | RTF_HOST, seq: 2 }));
    errnoOf(() => k.ifconfig.addAddress('gif0', `${A}/128`, { dest: '2001:db8::c' }));
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    const s2 = k2.socket();
    k2.ifconfig.deleteAddress('gif0', A);
    expect(summary(d, s2)).toEqual([`${RTM_DELETE} ${A}`, `${RTM_DELADDR} ${A}`, `${RTM_DELETE} 2001:db8::c`]);
    const { k: k3 } = gifKernel(d, 'gif0');
    k3.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    const k4 = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k3))));
    const s4 = k4.socket();
    k4.ifconfig.deleteAddress('gif0', A);
    expect(summary(d, s4)).toEqual([`${RTM_DELETE} ${B}`, `${RTM_DELETE} ${A}`, `${RTM_DELADDR} ${A}`]);
  });

  it('down marks the host route down (the local route stays up); up restores it; destroy purges every IPv6 route', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    drain(d, s);
    k.ifconfig.down('gif0');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_IFINFO]);
    expect(gifRoutes(k)).toEqual([`${A}/128 ${A} ${hex(RTF_UP | RTF_HOST | RTF_LOCAL)} 1`, `${B}/128 ${A} ${hex(RTF_HOST)} 8`]);
    k.ifconfig.up('gif0');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_IFINFO]);
    expect(k.routes(0, 'inet6').find((r) => r.dst === B)!.flags & RTF_UP).toBe(RTF_UP);
    k.ifconfig.destroy('gif0');
    expect(summary(d, s)).toEqual(d === 'openbsd' ? [
      // the link-local address first: its multicast routes go with it (rt_ifa_purge)
      `${RTM_IFINFO}`, `${RTM_DELETE} ${LL}`, `${RTM_DELADDR} ${LL}`, `${RTM_DELETE} fe80::`, `${RTM_DELETE} ff01::`,
      `${RTM_DELETE} ff02::`, `${RTM_DELETE} ${B}`, `${RTM_DELETE} ${A}`, `${RTM_DELADDR} ${A}`, `${RTM_IFANNOUNCE}`,
    ] : [
      // 4.9's if_detach: rt_if_remove in radix order, no DELADDR.
      `${RTM_IFINFO}`, `${RTM_DELETE} ${A}`, `${RTM_DELETE} ${B}`, `${RTM_DELETE} fe80::`, `${RTM_DELETE} ${LL}`,
      `${RTM_DELETE} ff01::`, `${RTM_DELETE} ff02::`, `${RTM_IFANNOUNCE}`,
    ]);
    expect(k.routes(0, 'inet6').some((r) => r.ifname === 'gif0')).toBe(false);
  });

  it('ifa_ifwithdstaddr: a gateway equal to the destination selects the interface; a host route to it without RTF_GATEWAY too', () => {
    const { k, s } = gifKernel(d);
    expect(errnoOf(() => s.write(routeMsg(d, { dst: '2001:db8:99::', plen: 48, gw: B })))).toBe(ERRNO.ENETUNREACH);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    // RTF_HOST without RTF_GATEWAY: the destination names the interface; the kernel's route collides
    expect(errnoOf(() => s.write(routeMsg(d, { dst: B, gw: A, flags: 0x800 | RTF_UP | RTF_HOST, seq: 3 })))).toBe(ERRNO.EEXIST);
    s.write(routeMsg(d, { dst: '2001:db8:99::', plen: 48, gw: B, seq: 2 }));
    expect(k.lookup('2001:db8:99::7')).toMatchObject({ ifname: 'gif0', gateway: B, ifa: A, priority: 8 });
    k.ifconfig.deleteAddress('gif0', A);
    expect(k.lookup('2001:db8:99::7')).toBeUndefined();
  });

  it('ifaof_ifpforaddr: with RTA_IFP the address whose destination (or address) is the gateway is chosen; replies carry BRD', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', `${A}/128`, { dest: B });
    k.ifconfig.addAddress('gif0', '2001:db8:1::1/128', { dest: '2001:db8:1::2' });
    const ifp = { kind: 'link', index: 3, type: 0xf0, name: '', lladdr: '' };
    s.write(routeMsg(d, { dst: '2001:db8:77::', plen: 48, gw: '2001:db8:1::2', seq: 3, sockaddrs: { ifp } }));
    drain(d, s);
    s.write(routeMsg(d, { type: 'RTM_GET', dst: '2001:db8:77::', plen: 48, flags: 0, seq: 4, sockaddrs: { ifp: { ...ifp, index: 0 } } }));
    const reply = drain(d, s).find((m) => m.type === RTM_GET)!;
    expect(sa(reply, 'ifa')).toMatchObject({ addr: '2001:db8:1::1' });
    expect(sa(reply, 'brd')).toMatchObject({ addr: '2001:db8:1::2' });
    expect(sa(reply, 'ifp')).toMatchObject({ name: 'gif0' });
  });
});
