/**
 * Alternate routing tables of an rdomain (semantics §A.3 row 9, §A.6a/b, §E.2): address
 * selection and next hops come from the rdomain's main table, kernel walks visit tables by id,
 * and an rdomain cannot take over a table that already holds routes.
 */
import { IFF_RUNNING, IFF_UP, RTF_CACHED, RTF_CLONING, RTM_DELADDR, RTM_DELETE, RTM_IFINFO } from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import type { RouteMessage } from '../../src/codec/message.js';
import { DIALECTS, drain, errnoOf, ipv4Only, routeMsg, UGS, vetherKernel, type DialectArg } from './helpers.js';

function kernel(d: DialectArg): { k: Kernel; s: RoutingSocket } {
  return vetherKernel(d, ['10.0.1.1/24']);
}

describe.each(DIALECTS)('alternate tables (%s)', (d) => {
  it('a request to table 7 selects its address through the rdomain\'s table 0 (ifa_ifwithroute: rtable_l2)', () => {
    const { k, s } = kernel(d);
    // Table 7 is new and empty: the gateway is only reachable through table 0's connected route.
    expect(errnoOf(() => s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '10.0.1.5', tableid: 7 })))).toBe(0);
    expect(k.routes(7)).toMatchObject([{ dst: '10.0.0.0', plen: 8, gateway: '10.0.1.5', ifname: 'vether0', tableid: 7 }]);
    // The lookup cloned the next hop in table 0, where rt_setgwroute found and cached it.
    expect(k.routes(0).find((r) => r.dst === '10.0.1.5')).toMatchObject({ refs: 1, tableid: 0 });
    expect(k.routes(0).find((r) => r.dst === '10.0.1.5')!.flags & RTF_CACHED).toBe(RTF_CACHED);
    // RTM_CHANGE to a new gateway selects the same way.
    expect(errnoOf(() => s.write(routeMsg(d, { type: 'RTM_CHANGE', dst: '10.0.0.0', plen: 8, gw: '10.0.1.6', tableid: 7 })))).toBe(0);
    expect(k.routes(7)).toMatchObject([{ gateway: '10.0.1.6' }]);
  });

  it('an address\'s routes in the rdomain\'s tables are purged by table id, not by age (rt_ifa_purge)', () => {
    const { k, s } = kernel(d);
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '10.0.1.5', tableid: 7 }));
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '10.0.1.5', tableid: 5 }));
    drain(d, s);
    k.ifconfig.deleteAddress('vether0', '10.0.1.1');
    const purged = drain(d, s).filter((m) => m.type === RTM_DELETE && m.tableid !== 0).map((m) => m.tableid);
    expect(purged).toEqual([5, 7]);
  });

  it('an rdomain cannot take a table of rdomain 0 that holds routes: EINVAL (if_setrdomain), nothing created', () => {
    const { k, s } = kernel(d);
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '10.0.1.5', tableid: 5 }));
    k.ifconfig.create('vether1');
    expect(errnoOf(() => k.ifconfig.setRdomain('vether1', 5))).toBe(ERRNO.EINVAL);
    expect(k.table(5)!.rdomain).toBe(0);
    expect(k.ifconfig.get('lo5')).toBeUndefined();
  });
});

// Current's if_createrdomain and if_setrdomain; 4.9's SIOCSIFRDOMAIN is below.
describe.each(['openbsd'] as const)('an rdomain\'s own loopback (%s)', (d) => {
  it('a new rdomain\'s loopback is put there directly (if_createrdomain), not moved: no in6_ifdetach lookups in rdomain 0', () => {
    const { k, s } = kernel(d);
    k.ifconfig.addAddress('vether0', '2001:db8:1::1/64');
    expect(errnoOf(() => s.write(routeMsg(d, { dst: '::', plen: 0, gw: '2001:db8:1::5' })))).toBe(0);
    const use = () => k.routes(0, 'inet6').find((r) => r.plen === 0)!.use;
    const before = use();
    k.ifconfig.create('vether1');
    k.ifconfig.setRdomain('vether1', 5);
    // vether1's own in6_ifdetach (if_setrdomain) looks up ff01:<3>::1 and ff02:<3>::1: the default
    // route counts them; lo5's creation adds nothing.
    expect(use()).toBe(before + 2);
    expect(k.ifconfig.get('lo5')).toMatchObject({ rdomain: 5 });
  });

  it('an lo<N> made before its rdomain makes `rdomain N` EINVAL for another interface, table N left to rdomain 0 (if_createrdomain EEXIST, if_setrdomain)', () => {
    const { k } = kernel(d);
    k.ifconfig.create('lo5');
    k.ifconfig.addAddress('lo5', '192.0.2.5/32');
    expect(errnoOf(() => k.ifconfig.setRdomain('vether0', 5))).toBe(ERRNO.EINVAL);
    expect(k.ifconfig.get('vether0')).toMatchObject({ rdomain: 0 });
    expect(k.ifconfig.get('lo5')).toMatchObject({ rdomain: 0 });
    // rtable_add made table 5, in rdomain 0; lo5 keeps its address and route.
    expect(k.table(5)!.rdomain).toBe(0);
    expect(k.routes(0, 'inet').map((r) => r.dst)).toContain('192.0.2.5');
  });

  it('`lo<N> rdomain N` on an existing lo<N> sets its rdomain directly: nothing detached, its routes stay where they were (if_createrdomain)', () => {
    const { k, s } = kernel(d);
    k.ifconfig.create('lo5');
    k.ifconfig.addAddress('lo5', '192.0.2.5/32');
    drain(d, s);
    expect(errnoOf(() => k.ifconfig.setRdomain('lo5', 5))).toBe(0);
    expect(k.ifconfig.get('lo5')).toMatchObject({ rdomain: 5 });
    expect(k.table(5)!.rdomain).toBe(5);
    // No down/up, no purge: no message at all, the local route still in table 0.
    expect(drain(d, s)).toEqual([]);
    expect(k.routes(0, 'inet').find((r) => r.dst === '192.0.2.5')).toMatchObject({ ifname: 'lo5' });
    // The rdomain works: vether0 can join it now.
    expect(errnoOf(() => k.ifconfig.setRdomain('vether0', 5))).toBe(0);
  });

  it('destroying an rdomain\'s own loopback gives its table back to rdomain 0 (if_loop.c loop_clone_destroy: rtable_l2set)', () => {
    const { k } = kernel(d);
    k.ifconfig.setRdomain('vether0', 5);
    expect(errnoOf(() => k.ifconfig.destroy('lo5'))).toBe(ERRNO.EBUSY);
    k.ifconfig.setRdomain('vether0', 0);
    expect(errnoOf(() => k.ifconfig.destroy('lo5'))).toBe(0);
    expect(k.table(5)!.rdomain).toBe(0);
    // Table 5 is empty and rdomain 0's again: a move there makes rdomain 5 anew, with a new lo5.
    expect(errnoOf(() => k.ifconfig.setRdomain('vether0', 5))).toBe(0);
    expect(k.ifconfig.get('lo5')).toMatchObject({ rdomain: 5 });
  });
});

describe.each(['openbsd'] as const)('an rdomain move (%s)', (d) => {
  it('if_setrdomain\'s own if_down clears IFF_UP alone: its RTM_IFINFO keeps IFF_RUNNING; if_up brings IFF_UP back', () => {
    const { k, s } = vetherKernel(d, ['10.0.1.1/24']);
    drain(d, s);
    k.ifconfig.setRdomain('vether0', 3);
    const flags = drain(d, s).filter((m) => m.type === RTM_IFINFO).map((m) => m['flags'] as number);
    expect(flags.map((f) => f & (IFF_UP | IFF_RUNNING))).toEqual([IFF_RUNNING, IFF_UP | IFF_RUNNING]);
  });
});

/** A message as `TYPE dst Ttable [errno]`. */
const brief = (m: RouteMessage) =>
  `${m.type === RTM_DELETE ? 'DELETE' : m.type} ${String((m.sockaddrs['dst'] as { addr?: string } | undefined)?.addr)} T${m.tableid}${m.errno ? ` errno=${m.errno}` : ''}`;

describe('SIOCSIFRDOMAIN (openbsd-4.9: if.c 1.237 ifioctl, route.c rt_if_remove)', () => {
  const d = 'openbsd-4.9';

  it('a new table becomes an rdomain of its own, with no loopback made; a down interface without addresses moves in silence', () => {
    const { k, s } = kernel(d);
    k.ifconfig.create('vether1');
    drain(d, s);
    expect(errnoOf(() => k.ifconfig.setRdomain('vether1', 5))).toBe(0);
    expect(drain(d, s)).toEqual([]);
    expect(k.table(5)!.rdomain).toBe(5);
    expect(k.ifconfig.get('lo5')).toBeUndefined();
    expect(k.ifconfig.get('vether1')).toMatchObject({ rdomain: 5 });
    // A table of rdomain 0 (route -T 7 add) is no rdomain: EINVAL, whether it holds routes or not.
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '10.0.1.5', tableid: 7 }));
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '10.0.0.0', plen: 8, gw: '10.0.1.5', tableid: 7 }));
    expect(k.routes(7)).toEqual([]);
    expect(errnoOf(() => k.ifconfig.setRdomain('vether1', 7))).toBe(ERRNO.EINVAL);
  });

  it('a move deletes the routes on the interface (rtdeletemsg, IPv4 then IPv6), drops its IPv4 addresses without a message and sets IFXF_NOINET6; it stays up, unannounced', () => {
    const { k, s } = kernel(d);
    drain(d, s);
    expect(errnoOf(() => k.ifconfig.setRdomain('vether0', 5))).toBe(0);
    const msgs = drain(d, s);
    expect(msgs.map(brief)).toEqual([
      'DELETE 10.0.1.0 T0', 'DELETE 10.0.1.1 T0', 'DELETE 10.0.1.255 T0',
      'DELETE fe80:: T0', 'DELETE fe80::fce1:baff:fed0:2 T0', 'DELETE ff01:: T0', 'DELETE ff02:: T0',
    ]);
    expect(msgs.some((m) => m.type === RTM_IFINFO || m.type === RTM_DELADDR)).toBe(false);
    expect(k.ifconfig.get('vether0')).toMatchObject({ rdomain: 5, addresses: [] });
    expect(k.ifconfig.get('vether0')!.flags & (IFF_UP | IFF_RUNNING)).toBe(IFF_UP | IFF_RUNNING);
    expect(k.routes(0).filter((r) => r.ifname === 'vether0')).toEqual([]);
    // IFXF_NOINET6: its next if_up attaches no IPv6; `inet6` (clearing it) does.
    k.ifconfig.down('vether0');
    k.ifconfig.up('vether0');
    expect(k.routes(5)).toEqual([]);
    k.ifconfig.enableInet6('vether0');
    expect(k.routes(5, 'inet6').map((r) => r.dst)).toContain('fe80::fce1:baff:fed0:2%2');
  });

  it('rtdeletemsg deletes in the interface\'s rdomain\'s table whatever table the route is in ("XXX wrong"): another table\'s route stays, announced with ESRCH', () => {
    const { k, s } = kernel(d);
    ipv4Only(k, 'vether0');
    // The same route in table 0 and in table 7 (rdomain 0's), and one in table 7 alone.
    for (const tableid of [0, 7]) s.write(routeMsg(d, { dst: '10.9.0.0', plen: 16, gw: '10.0.1.5', tableid }));
    s.write(routeMsg(d, { dst: '10.8.0.0', plen: 16, gw: '10.0.1.5', tableid: 7 }));
    drain(d, s);
    k.ifconfig.setRdomain('vether0', 5);
    expect(drain(d, s).map(brief)).toEqual([
      // Table 0: the connected route takes its clone (the cached next hop 10.0.1.5) first; the walk starts over.
      'DELETE 10.0.1.5 T0', 'DELETE 10.0.1.0 T0', 'DELETE 10.0.1.1 T0', 'DELETE 10.0.1.255 T0', 'DELETE 10.9.0.0 T0',
      // Table 7, each looked up in table 0: found no more.
      `DELETE 10.8.0.0 T0 errno=${ERRNO.ESRCH}`, `DELETE 10.9.0.0 T0 errno=${ERRNO.ESRCH}`,
    ]);
    expect(k.routes(7).map((r) => `${r.dst}/${r.plen} ${r.ifname}`)).toEqual(['10.8.0.0/16 vether0', '10.9.0.0/16 vether0']);
  });

  it('a cloning route deleted through another table starts that table\'s walk over (rt_if_remove_rtdelete\'s EAGAIN): the routes before it are tried again', () => {
    const { k, s } = kernel(d);
    ipv4Only(k, 'vether0');
    // Table 7 (rdomain 0's): two routes on vether0, left behind (ESRCH in table 0) by a move to rdomain 9.
    s.write(routeMsg(d, { dst: '10.8.0.0', plen: 16, gw: '10.0.1.5', tableid: 7 }));
    s.write(routeMsg(d, { dst: '10.9.0.0', plen: 16, gw: '10.0.1.5', tableid: 7, flags: UGS | RTF_CLONING }));
    k.ifconfig.setRdomain('vether0', 9);
    expect(k.routes(7)).toHaveLength(2);
    // In rdomain 9, the cloning route's twin in table 9: the next move finds it through table 7's walk.
    k.ifconfig.addAddress('vether0', '10.0.1.1/24');
    s.write(routeMsg(d, { dst: '10.9.0.0', plen: 16, gw: '10.0.1.5', tableid: 9, flags: UGS | RTF_CLONING }));
    drain(d, s);
    k.ifconfig.setRdomain('vether0', 5);
    const esrch = `errno=${ERRNO.ESRCH}`;
    expect(drain(d, s).map(brief).slice(0, 4)).toEqual([
      `DELETE 10.8.0.0 T9 ${esrch}`, 'DELETE 10.9.0.0 T9', `DELETE 10.8.0.0 T9 ${esrch}`, `DELETE 10.9.0.0 T9 ${esrch}`,
    ]);
  });

  it('only lo0 is refused destruction (if_loop.c loop_clone_destroy): a loopback alone in an rdomain goes, the table stays that rdomain\'s', () => {
    const { k } = kernel(d);
    k.ifconfig.create('lo5');
    k.ifconfig.setRdomain('lo5', 5);
    k.ifconfig.setRdomain('vether0', 5);
    expect(errnoOf(() => k.ifconfig.destroy('lo5'))).toBe(0);
    expect(k.table(5)!.rdomain).toBe(5);
    expect(errnoOf(() => k.ifconfig.destroy('lo0'))).toBe(ERRNO.EPERM);
    // lo0 may leave rdomain 0 (nothing in 4.9's ifioctl stops it).
    expect(errnoOf(() => k.ifconfig.setRdomain('lo0', 5))).toBe(0);
  });
});
