/**
 * RTM_CHANGE (§A.8) details found by the model test (model-change.test.ts): what a failing
 * gateway change keeps, the MTU on next-hop re-resolution, and a route moving to another
 * address or interface.
 */
import {
  AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY, RTF_CACHED, RTF_LLINFO, RTF_UP, RTM_ADD, RTM_DELETE, RTV_MTU,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { DIALECTS, UGS, drain, errnoOf, routeMsg, type DialectArg, type RouteArgs } from './helpers.js';

function kernelWith(d: DialectArg, addresses: [string, string][]): { k: Kernel; s: RoutingSocket; write: (a: RouteArgs) => number } {
  const k = createKernel({ dialect: d });
  for (const name of new Set(addresses.map(([n]) => n))) k.ifconfig.create(name);
  for (const [name, cidr] of addresses) k.ifconfig.addAddress(name, cidr);
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s, write: (a) => errnoOf(() => s.write(routeMsg(d, { flags: UGS, ...a }))) };
}

const route = (k: Kernel, dst: string, plen: number) => k.routes(0, 'inet').find((r) => r.dst === dst && r.plen === plen);
const mtu = (value: number, lock = false) => ({ inits: RTV_MTU, rmx: { mtu: value, locks: lock ? RTV_MTU : 0 } });

describe.each(DIALECTS)('RTM_CHANGE (%s)', (d) => {
  it('a gateway change that fails keeps the new gateway and the old next hop, still cached (rt_setgwroute)', () => {
    const { k, write } = kernelWith(d, [['vether0', '10.0.1.1/24']]);
    expect(write({ type: 'RTM_ADD', dst: '10.0.0.0', plen: 8, gw: '10.0.1.5' })).toBe(0);
    // 10.0.2.5 is reachable only through 10/8 itself: a gateway route as next hop.
    expect(write({ type: 'RTM_CHANGE', dst: '10.0.0.0', plen: 8, gw: '10.0.2.5' })).toBe(ERRNO.ENETUNREACH);
    expect(route(k, '10.0.0.0', 8)).toMatchObject({ gateway: '10.0.2.5' });
    const nexthop = route(k, '10.0.1.5', 32)!;
    expect(nexthop.flags & RTF_CACHED).toBe(RTF_CACHED);
    expect(nexthop.refs).toBe(1);
  });

  it('next-hop re-resolution lowers an unlocked MTU to the next hop\'s, 0 included (rt_setgwroute)', () => {
    const { k, write } = kernelWith(d, [['vether0', '10.0.1.1/24']]);
    expect(write({ type: 'RTM_ADD', dst: '10.0.0.0', plen: 8, gw: '10.0.1.5' })).toBe(0);
    expect(write({ type: 'RTM_CHANGE', dst: '10.0.0.0', plen: 8, extra: mtu(1400) })).toBe(0);
    expect(route(k, '10.0.0.0', 8)!.mtu).toBe(1400);
    // Naming the same gateway re-resolves it; the clone's MTU is 0.
    expect(write({ type: 'RTM_CHANGE', dst: '10.0.0.0', plen: 8, gw: '10.0.1.5' })).toBe(0);
    expect(route(k, '10.0.0.0', 8)!.mtu).toBe(0);
    expect(write({ type: 'RTM_CHANGE', dst: '10.0.0.0', plen: 8, extra: mtu(1400, true) })).toBe(0);
    expect(write({ type: 'RTM_CHANGE', dst: '10.0.0.0', plen: 8, gw: '10.0.1.5' })).toBe(0);
    expect(route(k, '10.0.0.0', 8)!.mtu).toBe(1400);
  });

  it('an L2 entry moved to another address loses RTF_LLINFO (arp_rtrequest RTM_DELETE)', () => {
    const { k, write } = kernelWith(d, [['vether0', '10.0.1.1/24'], ['vether0', '10.0.2.1/24']]);
    expect(k.lookup('10.0.1.5')!.flags & RTF_LLINFO).toBe(RTF_LLINFO);
    // The new gateway's route is 10.0.2.1's: the clone moves there.
    expect(write({ type: 'RTM_CHANGE', dst: '10.0.1.5', plen: 32, gw: '10.0.2.5' })).toBe(0);
    const moved = route(k, '10.0.1.5', 32)!;
    expect(moved).toMatchObject({ gateway: '10.0.2.5', ifname: 'vether0' });
    expect(moved.flags & RTF_LLINFO).toBe(0);
  });

  it('an IPv6 L2 entry moved to another address loses RTF_LLINFO too (nd6_rtrequest RTM_DELETE)', () => {
    const { k, write } = kernelWith(d, [['vether0', '2001:db8:1::1/64'], ['vether0', '2001:db8:2::1/56']]);
    expect(k.lookup('2001:db8:1::5')!.flags & RTF_LLINFO).toBe(RTF_LLINFO);
    expect(write({ type: 'RTM_CHANGE', dst: '2001:db8:1::5', plen: 128, gw: '2001:db8:2::5' })).toBe(0);
    const moved = k.routes(0, 'inet6').find((r) => r.dst === '2001:db8:1::5')!;
    expect(moved).toMatchObject({ gateway: '2001:db8:2::5', ifname: 'vether0' });
    expect(moved.flags & RTF_LLINFO).toBe(0);
  });

  it('a clone moved onto a down interface stays: rtm_output ignores rt_if_linkstate_change\'s deletion', () => {
    const { k, s, write } = kernelWith(d, [['vether0', '10.0.1.1/24'], ['vether1', '10.0.2.1/24']]);
    k.ifconfig.down('vether1');
    expect(k.lookup('10.0.1.5')).toMatchObject({ dst: '10.0.1.5', ifname: 'vether0' });
    drain(d, s);
    expect(write({ type: 'RTM_CHANGE', dst: '10.0.1.5', plen: 32, gw: '10.0.2.5' })).toBe(0);
    const moved = route(k, '10.0.1.5', 32)!;
    expect(moved).toMatchObject({ gateway: '10.0.2.5', ifname: 'vether1' });
    expect(moved.flags & RTF_UP).toBe(RTF_UP);
    // The clone address selection made for 10.0.2.5, nothing deleted.
    const sent = drain(d, s).filter((m) => m.type === RTM_ADD || m.type === RTM_DELETE);
    expect(sent.map((m) => `${m.type} ${(m.sockaddrs['dst'] as { addr: string }).addr}`)).toEqual([`${RTM_ADD} 10.0.2.5`]);
  });

  it('a next hop cloned on another interface is cloned again on the route\'s, beside a clone there already (rt_setgwroute, rt_clone)', () => {
    // 10.0.1/24 on both interfaces (multipath connected routes, vether0's first).
    const { k, s, write } = kernelWith(d, [['vether0', '10.0.1.2/24'], ['vether1', '10.0.1.1/24']]);
    const onVether1 = { ifp: { kind: 'link', index: k.ifconfig.indexOf('vether1'), type: 6, name: '', lladdr: '' } };
    // Next hop 10.0.1.5 is cloned on vether0 (the node's first), then again on vether1.
    expect(write({ type: 'RTM_ADD', dst: '10.0.0.0', plen: 8, gw: '10.0.1.5', sockaddrs: onVether1 })).toBe(0);
    expect(k.routes(0, 'inet').filter((r) => r.dst === '10.0.1.5').map((r) => r.ifname)).toEqual(['vether0', 'vether1']);
    drain(d, s);
    // A second route on vether1: rt_match finds vether0's clone again and rt_clone clones anew on
    // vether1. rtrequest(RTM_RESOLVE) inserts with a zeroed sockaddr_dl as gateway, which
    // rtable_insert compares with the stored clones' gateways — given their interface's index and
    // type by arp_rtrequest — so nothing conflicts (the clones are multipath, as their parents):
    // a second clone on vether1, which the new route caches (route.c rtrequest, rtable.c rtable_insert).
    expect(write({ type: 'RTM_ADD', dst: '172.16.0.0', plen: 16, gw: '10.0.1.5', sockaddrs: onVether1 })).toBe(0);
    const clones = k.routes(0, 'inet').filter((r) => r.dst === '10.0.1.5');
    expect(clones.map((r) => r.ifname)).toEqual(['vether0', 'vether1', 'vether1']);
    expect(clones.map((r) => r.refs)).toEqual([0, 1, 1]);
  });

  it('re-resolving an unchanged gateway clones the next hop again beside its own clone, not EEXIST (rtable_insert compares RTM_RESOLVE\'s zeroed gateway)', () => {
    const { k, write } = kernelWith(d, [['vether0', '10.0.1.1/24'], ['vether1', '10.0.1.2/24']]);
    const onVether1 = { ifa: { kind: 'inet', addr: '10.0.1.2', port: 0 } };
    expect(write({ type: 'RTM_ADD', dst: '10.0.0.0', plen: 8, gw: '10.0.1.5', sockaddrs: onVether1 })).toBe(0);
    // RTM_CHANGE naming the same gateway: rt_setgate re-resolves, rt_match finds vether0's clone first.
    expect(write({ type: 'RTM_CHANGE', dst: '10.0.0.0', plen: 8, gw: '10.0.1.5' })).toBe(0);
    expect(k.routes(0, 'inet').filter((r) => r.dst === '10.0.1.5').map((r) => r.ifname)).toEqual(['vether0', 'vether1', 'vether1']);
  });
});
