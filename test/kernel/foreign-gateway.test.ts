/**
 * Gateways of the other family (found by model-dual's foreignGwOps): an IPv4 route via an IPv6
 * next hop and the reverse. rt_setgate stores any sockaddr; rt_setgwroute resolves and caches the
 * next hop in the gateway's own family's table; rtm_output's RTM_DELETE of a cached next hop
 * walks only that next hop's family (route_cleargateway).
 */
import { RTF_CACHED, RTV_MTU } from '../../src/kernel/constants.js';
import { DIALECTS, UGS, errnoOf, routeMsg, vetherKernel, type DialectArg, type RouteArgs } from './helpers.js';

function dualKernel(d: DialectArg) {
  const { k, s } = vetherKernel(d, ['10.0.1.1/24', '2001:db8:1::1/64']);
  const write = (a: RouteArgs) => errnoOf(() => s.write(routeMsg(d, { flags: UGS, ...a })));
  return { k, s, write };
}

const mtu = (value: number) => ({ inits: RTV_MTU, rmx: { mtu: value, locks: 0 } });

describe.each(DIALECTS)('gateways of the other family (%s)', (d) => {
  it('RTM_DELETE of a cached IPv6 next hop leaves the MTU of an IPv4 route using it (route_cleargateway walks one family)', () => {
    const { k, write } = dualKernel(d);
    expect(write({ type: 'RTM_ADD', dst: '192.0.2.0', plen: 24, gw: '2001:db8:1::5', extra: mtu(1400) })).toBe(0);
    expect(write({ type: 'RTM_ADD', dst: '2001:db8:ff::', plen: 48, gw: '2001:db8:1::5', extra: mtu(1400) })).toBe(0);
    const nh = k.routes(0, 'inet6').find((r) => r.dst === '2001:db8:1::5')!;
    expect(nh.flags & RTF_CACHED).toBe(RTF_CACHED);
    expect(nh.refs).toBe(2);
    expect(write({ type: 'RTM_DELETE', dst: '2001:db8:1::5', plen: 128, flags: 0 })).toBe(0);
    // rtable_walk(tableid, AF_INET6, route_cleargateway): the IPv6 route forgets its MTU, the IPv4 one keeps it.
    expect(k.routes(0, 'inet6').find((r) => r.dst === '2001:db8:ff::')!.mtu).toBe(0);
    expect(k.routes(0, 'inet').find((r) => r.dst === '192.0.2.0')!.mtu).toBe(1400);
  });
});
