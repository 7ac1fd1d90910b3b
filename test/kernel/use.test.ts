/**
 * Use counters (semantics §A.13): rt_use counts every rt_match / rtalloc that returns the
 * route, kernel-internal ones included, and RTM_GET reports it as rmx_pksent.
 */
import { AF_ROUTE, RTABLE_ANY, ROUTE_TABLEFILTER } from '../../src/kernel/constants.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import { DIALECTS, drain, routeMsg } from './helpers.js';

const route = (k: Kernel, dst: string, plen = 32, ifname?: string) =>
  k.routes(0).find((r) => r.dst === dst && r.plen === plen && (ifname === undefined || r.ifname === ifname));

describe.each(DIALECTS)('Use counters (%s)', (d) => {
  it('a clone starts with its parent\'s Use: rtrequest(RTM_RESOLVE) copies rt_rmx, rmx_pksent included', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    // rt_ifa_addlocal's rtalloc of the alias finds the connected route: its Use becomes 1.
    k.ifconfig.addAddress('vether0', '192.0.2.9/32');
    expect(route(k, '192.0.2.0', 24)).toMatchObject({ use: 1 });
    // rt_match clones it (the clone copies Use 1) and counts the clone: 2. The parent keeps 1.
    expect(k.lookup('192.0.2.7')).toMatchObject({ dst: '192.0.2.7', use: 2 });
    expect(route(k, '192.0.2.0', 24)).toMatchObject({ use: 1 });
    // RTM_GET reports Use as rmx_pksent.
    const s = k.socket();
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    s.write(routeMsg(d, { type: 'RTM_GET', dst: '192.0.2.7', flags: 0 }));
    expect(drain(d, s)[0]!.rmx.pksent).toBe(2n);
  });

  it('removing an address counts Use on the route its local-route check finds (rt_ifa_dellocal\'s rtalloc)', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.create('vether1');
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    // The same address on vether1: rt_ifa_addlocal's rtalloc finds vether0's local route (Use
    // 1), which has the flags wanted, so vether1 gets no local route of its own.
    k.ifconfig.addAddress('vether1', '192.0.2.1/32');
    expect(route(k, '192.0.2.1', 32, 'vether0')).toMatchObject({ use: 1 });
    // rt_ifa_dellocal's rtalloc finds vether0's local route again (Use 2); rt_ifa_del leaves it
    // alone, it is another interface's.
    k.ifconfig.deleteAddress('vether1', '192.0.2.1');
    expect(route(k, '192.0.2.1', 32, 'vether0')).toMatchObject({ use: 2 });
  });

  it('the unspecified address is not looked up: rt_ifa_addlocal / rt_ifa_dellocal return before their rtalloc', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.create('vether1');
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    const s = k.socket();
    s.write(routeMsg(d, { dst: '0.0.0.0', plen: 0, gw: '192.0.2.5' }));
    expect(route(k, '0.0.0.0', 0)).toMatchObject({ use: 0 });
    // 0.0.0.0's best match is the default route: neither adding nor removing the address counts on it.
    k.ifconfig.addAddress('vether1', '0.0.0.0/8');
    k.ifconfig.deleteAddress('vether1', '0.0.0.0');
    expect(route(k, '0.0.0.0', 0)).toMatchObject({ use: 0 });
  });
});
