/**
 * Routes with a link-layer gateway (found by model-attrs's linkOps): rtm_output adds RTF_LLINFO
 * to a request whose gateway is AF_LINK (not RTF_CLONING), and route_arp_conflict refuses or
 * multipaths an IPv4 one whose best match is an L2 entry already.
 */
import { AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY, RTF_HOST, RTF_MPATH, RTF_STATIC, RTF_ANNOUNCE } from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel } from '../../src/kernel/kernel.js';
import { DIALECTS, errnoOf, routeMsg, type DialectArg, type RouteArgs } from './helpers.js';

const HOST = RTF_HOST | RTF_STATIC;

function kernel(d: DialectArg) {
  const k = createKernel({ dialect: d });
  k.ifconfig.create('vether0');
  k.ifconfig.addAddress('vether0', '10.0.1.1/24');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  const index = k.ifconfig.indexOf('vether0');
  const link = (lladdr = '') => ({ gateway: { kind: 'link', index, type: 6, name: '', lladdr } });
  const write = (a: RouteArgs) => errnoOf(() => s.write(routeMsg(d, a)));
  return { k, link, write };
}

describe.each(DIALECTS)('link-layer gateways (%s)', (d) => {
  it('an ARP entry over an existing L2 entry of the same kind is EEXIST (rtsock.c route_arp_conflict)', () => {
    const { k, link, write } = kernel(d);
    k.lookup('10.0.1.5', 0); // clones the L2 entry 10.0.1.5 (RTF_LLINFO, not cached)
    expect(write({ type: 'RTM_ADD', dst: '10.0.1.5', flags: HOST, sockaddrs: link('00:00:00:00:00:0a') })).toBe(ERRNO.EEXIST);
    expect(k.routes(0, 'inet').filter((r) => r.dst === '10.0.1.5')).toHaveLength(1);
  });

  it('a published entry beside a private one is forced multipath (route_arp_conflict)', () => {
    const { k, link, write } = kernel(d);
    expect(write({ type: 'RTM_ADD', dst: '10.0.1.5', flags: HOST, sockaddrs: link('00:00:00:00:00:0a') })).toBe(0);
    expect(write({ type: 'RTM_ADD', dst: '10.0.1.5', flags: HOST | RTF_ANNOUNCE, sockaddrs: link('00:00:00:00:00:0b') })).toBe(0);
    const both = k.routes(0, 'inet').filter((r) => r.dst === '10.0.1.5');
    expect(both.map((r) => r.flags & RTF_MPATH)).toEqual([RTF_MPATH, RTF_MPATH]);
    // A third entry conflicts with the multipath pair whatever its kind.
    expect(write({ type: 'RTM_ADD', dst: '10.0.1.5', flags: HOST | RTF_ANNOUNCE, sockaddrs: link('00:00:00:00:00:0c') })).toBe(ERRNO.EEXIST);
  });
});
