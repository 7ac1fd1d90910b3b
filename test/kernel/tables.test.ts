/**
 * Alternate routing tables of an rdomain (semantics §A.3 row 9, §A.6a/b, §E.2): address
 * selection and next hops come from the rdomain's main table, kernel walks visit tables by id,
 * and an rdomain cannot take over a table that already holds routes.
 */
import { IFF_RUNNING, IFF_UP, RTF_CACHED, RTM_DELETE, RTM_IFINFO } from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { DIALECTS, drain, errnoOf, routeMsg, vetherKernel, type DialectArg } from './helpers.js';

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

  it('an rdomain cannot take a table of rdomain 0 that holds routes: EINVAL (if_setrdomain), nothing created', () => {
    const { k, s } = kernel(d);
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '10.0.1.5', tableid: 5 }));
    k.ifconfig.create('vether1');
    expect(errnoOf(() => k.ifconfig.setRdomain('vether1', 5))).toBe(ERRNO.EINVAL);
    expect(k.table(5)!.rdomain).toBe(0);
    expect(k.ifconfig.get('lo5')).toBeUndefined();
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

describe.each(DIALECTS)('an rdomain move (%s)', (d) => {
  it('if_setrdomain\'s own if_down clears IFF_UP alone: its RTM_IFINFO keeps IFF_RUNNING; if_up brings IFF_UP back', () => {
    const { k, s } = vetherKernel(d, ['10.0.1.1/24']);
    drain(d, s);
    k.ifconfig.setRdomain('vether0', 3);
    const flags = drain(d, s).filter((m) => m.type === RTM_IFINFO).map((m) => m['flags'] as number);
    expect(flags.map((f) => f & (IFF_UP | IFF_RUNNING))).toEqual([IFF_RUNNING, IFF_UP | IFF_RUNNING]);
  });
});
