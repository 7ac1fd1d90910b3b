/**
 * The interface route hook (ifp->if_rtrequest): lo(4)'s lortrequest and Ethernet's
 * ether_rtrequest (arp_rtrequest / nd6_rtrequest), run by rtrequest_delete for RTM_DELETE and by
 * RTM_CHANGE — for the interface the route had before the change (rtsock.c 1.388 rtm_output).
 */
import {
  AF_ROUTE, LOMTU, ROUTE_TABLEFILTER, RTABLE_ANY, RTF_LLINFO, RTF_UP, RTM_DELADDR, RTM_DELETE,
} from '../../src/kernel/constants.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { DIALECTS, UGS, drain, errnoOf, routeMsg, type DialectArg, type RouteArgs } from './helpers.js';

function kernel(d: DialectArg): { k: Kernel; s: RoutingSocket; write: (a: RouteArgs) => number } {
  const k = createKernel({ dialect: d });
  k.ifconfig.create('vether0');
  k.ifconfig.create('vether1');
  k.ifconfig.addAddress('vether0', '192.0.2.1/24');
  k.ifconfig.addAddress('vether1', '198.51.100.1/24');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s, write: (a) => errnoOf(() => s.write(routeMsg(d, { flags: UGS, ...a }))) };
}

const route = (k: Kernel, dst: string) => k.routes(0, 'inet').find((r) => r.dst === dst && r.plen === 32)!;
/** RTA_IFP naming an interface by index. */
const ifp = (k: Kernel, name: string) => ({ ifp: { kind: 'link', index: k.ifconfig.indexOf(name), type: 6, name: '', lladdr: '' } });

describe.each(DIALECTS)('interface route hooks (%s)', (d) => {
  it('a deleted L2 entry has lost RTF_LLINFO when its RTM_DELETE is built (arp_rtrequest RTM_DELETE)', () => {
    const { k, s, write } = kernel(d);
    k.lookup('192.0.2.7');
    drain(d, s);
    // The reply to a user RTM_DELETE of a clone.
    expect(write({ type: 'RTM_DELETE', dst: '192.0.2.7', plen: 32 })).toBe(0);
    const [reply] = drain(d, s);
    expect(reply!.flags & (RTF_LLINFO | RTF_UP)).toBe(0);
    // rt_ifa_del's RTM_DELETE of an Ethernet address's local route (rtm_send after the removal).
    k.ifconfig.deleteAddress('vether1', '198.51.100.1');
    const local = drain(d, s).filter((m) => m.type === RTM_DELETE || m.type === RTM_DELADDR)
      .find((m) => m.type === RTM_DELETE && (m.sockaddrs['dst'] as { addr: string }).addr === '198.51.100.1')!;
    expect(local.flags & RTF_LLINFO).toBe(0);
  });

  it('RTM_CHANGE moving an L2 entry runs its old interface\'s RTM_ADD hook: RTF_LLINFO back, gateway on the old index', () => {
    const { k, write } = kernel(d);
    k.lookup('192.0.2.7');
    const v0 = k.ifconfig.indexOf('vether0'), v1 = k.ifconfig.indexOf('vether1');
    // To vether1 by RTA_IFP: vether0's RTM_DELETE hook drops the ARP state, its RTM_ADD hook makes it again.
    expect(write({ type: 'RTM_CHANGE', dst: '192.0.2.7', plen: 32, flags: 0, sockaddrs: ifp(k, 'vether1') })).toBe(0);
    expect(route(k, '192.0.2.7')).toMatchObject({ ifname: 'vether1', gateway: `link#${v0}` });
    expect(route(k, '192.0.2.7').flags & RTF_LLINFO).toBe(RTF_LLINFO);
    // Back to vether0: vether1's hook points the gateway at vether1.
    expect(write({ type: 'RTM_CHANGE', dst: '192.0.2.7', plen: 32, flags: 0, sockaddrs: ifp(k, 'vether0') })).toBe(0);
    expect(route(k, '192.0.2.7')).toMatchObject({ ifname: 'vether0', gateway: `link#${v1}` });
  });

  it('RTM_CHANGE\'s hooks for loopback: onto lo0 the MTU stays 0, off it lortrequest gives LOMTU', () => {
    const { k, write } = kernel(d);
    expect(write({ type: 'RTM_ADD', dst: '10.0.0.0', plen: 8, gw: '192.0.2.5' })).toBe(0);
    const net = () => k.routes(0, 'inet').find((r) => r.dst === '10.0.0.0')!;
    expect(write({ type: 'RTM_CHANGE', dst: '10.0.0.0', plen: 8, sockaddrs: ifp(k, 'lo0') })).toBe(0);
    expect(net()).toMatchObject({ ifname: 'lo0', mtu: 0 });
    expect(write({ type: 'RTM_CHANGE', dst: '10.0.0.0', plen: 8, sockaddrs: ifp(k, 'vether0') })).toBe(0);
    expect(net()).toMatchObject({ ifname: 'vether0', mtu: LOMTU });
  });
});
