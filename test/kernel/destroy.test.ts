/**
 * Interface destroy (if_clone_destroy, if_detach; semantics §E.5 last item): the interface
 * leaves the index map before its addresses are purged, IPv4 addresses go before IPv6 ones, and
 * in6_ifdetach looks up the interface's ff01/ff02 groups afterwards. 4.9's if_detach (if.c
 * 1.237) deletes the routes on the interface first (rt_if_remove), while it is still listed.
 */
import {
  AF_ROUTE, IFF_RUNNING, IFF_UP, RTABLE_ANY, ROUTE_TABLEFILTER, RTM_ADD, RTM_DELADDR, RTM_DELETE, RTM_IFANNOUNCE, RTM_IFINFO,
} from '../../src/kernel/constants.js';
import type { RouteMessage } from '../../src/codec/message.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { DIALECTS, drain, ipv4Only, routeMsg, type DialectArg } from './helpers.js';

function kernel(d: DialectArg): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d });
  k.ifconfig.create('vether0');
  k.ifconfig.create('vether1');
  ipv4Only(k, 'vether0', 'vether1');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s };
}

const NAMES: Record<number, string> = {
  [RTM_ADD]: 'ADD', [RTM_DELETE]: 'DELETE', [RTM_DELADDR]: 'DELADDR', [RTM_IFINFO]: 'IFINFO', [RTM_IFANNOUNCE]: 'IFANNOUNCE',
};

/** A message as `TYPE address` (the destination, or the address of an address message). */
function addressOf(m: RouteMessage): string {
  const sa = m.sockaddrs?.['dst'] ?? m.sockaddrs?.['ifa'];
  return `${NAMES[m.type] ?? m.type}${sa && 'addr' in sa ? ` ${String(sa.addr)}` : ''}`;
}

const summary = (d: DialectArg, s: RoutingSocket) => drain(d, s).map(addressOf);

describe.each(DIALECTS)('interface destroy (%s)', (d) => {
  it('rtm_send finds no interface once if_remove ran: the purge\'s RTM_DELETEs carry no IFP/IFA, rtdeletemsg\'s and DELADDR do', () => {
    const { k, s } = kernel(d);
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.5' }));
    drain(d, s);
    k.ifconfig.destroy('vether0');
    const msgs = drain(d, s).filter((m) => m.type === RTM_DELETE || m.type === RTM_DELADDR);
    const withIfp = msgs.map((m) => `${addressOf(m)} ${'ifp' in m.sockaddrs}`);
    // rt_ifa_del's rtm_send (connected, broadcast, local): no IFP. rtm_addr and rtdeletemsg
    // (rt_ifa_purge: the static route and its next hop) take the interface as given.
    // 4.9's if_detach: rt_if_remove first, in walk order (the connected route flushing its
    // clone), with the interface still listed; 4.9's messages carry no IFP, and there is no DELADDR.
    expect(withIfp).toEqual(d === 'openbsd' ? [
      'DELETE 192.0.2.0 false', 'DELETE 192.0.2.255 false', 'DELETE 192.0.2.1 false', 'DELADDR 192.0.2.1 true',
      'DELETE 10.0.0.0 true', 'DELETE 192.0.2.5 true',
    ] : [
      'DELETE 10.0.0.0 false', 'DELETE 192.0.2.5 false', 'DELETE 192.0.2.0 false', 'DELETE 192.0.2.1 false', 'DELETE 192.0.2.255 false',
    ]);
  });

  it('if_clone_destroy calls if_down itself, not SIOCSIFFLAGS: its RTM_IFINFO clears IFF_UP and keeps IFF_RUNNING', () => {
    const { k, s } = kernel(d);
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    const flags = k.ifconfig.get('vether0')!.flags;
    expect(flags & (IFF_UP | IFF_RUNNING)).toBe(IFF_UP | IFF_RUNNING);
    drain(d, s);
    k.ifconfig.destroy('vether0');
    expect(drain(d, s).filter((m) => m.type === RTM_IFINFO).map((m) => m.flags)).toEqual([flags & ~IFF_UP]);
  });

  it('the destroyed interface\'s clones are left to rt_ifa_purge: deleted after the address\'s own routes', () => {
    const { k, s } = kernel(d);
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    // A cached clone survives if_down; a plain clone made while down does too (§A.13).
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.5' }));
    k.ifconfig.down('vether0');
    k.lookup('192.0.2.7');
    drain(d, s);
    k.ifconfig.destroy('vether0');
    // rtflushclone skips clones whose interface if_get no longer finds; rt_ifa_purge then
    // deletes what is left on the address in walk order. 4.9's rt_if_remove runs while the
    // interface is listed: the connected route (radix order, after 10/8) flushes its clones first.
    expect(summary(d, s)).toEqual(d === 'openbsd' ? [
      'DELETE 192.0.2.0', 'DELETE 192.0.2.255', 'DELETE 192.0.2.1', 'DELADDR 192.0.2.1',
      'DELETE 10.0.0.0', 'DELETE 192.0.2.5', 'DELETE 192.0.2.7', 'IFANNOUNCE',
    ] : [
      'DELETE 10.0.0.0', 'DELETE 192.0.2.5', 'DELETE 192.0.2.7', 'DELETE 192.0.2.0', 'DELETE 192.0.2.1', 'DELETE 192.0.2.255', 'IFANNOUNCE',
    ]);
  });

  it('in_ifdetach runs before in6_ifdetach: IPv4 addresses go first, whatever the list order', () => {
    const { k, s } = kernel(d);
    k.ifconfig.enableInet6('vether0');
    k.ifconfig.addAddress('vether0', '192.0.2.1/32');
    drain(d, s);
    k.ifconfig.destroy('vether0');
    const deladdr = drain(d, s).filter((m) => m.type === RTM_DELADDR).map((m) => m.sockaddrs['ifa']!['kind']);
    // 4.9's if_detach deletes the routes first (rt_if_remove): no purge announces an address.
    expect(deladdr).toEqual(d === 'openbsd' ? ['inet', 'inet6'] : []);
    // The same for a move to another rdomain (if_setrdomain: in_ifdetach, in6_ifdetach); 4.9's
    // SIOCSIFRDOMAIN is like its if_detach.
    k.ifconfig.enableInet6('vether1');
    k.ifconfig.addAddress('vether1', '192.0.2.2/32');
    drain(d, s);
    k.ifconfig.setRdomain('vether1', 5);
    const moved = drain(d, s).filter((m) => m.type === RTM_DELADDR).map((m) => m.sockaddrs['ifa']!['kind']);
    expect(moved).toEqual(d === 'openbsd' ? ['inet', 'inet6'] : []);
  });

  it('in6_ifdetach looks up ff01:<idx>::1 and ff02:<idx>::1 after the purge: the routes found count Use', () => {
    const { k, s } = kernel(d);
    k.ifconfig.addAddress('vether1', '2001:db8::1/64');
    s.write(routeMsg(d, { dst: '::', plen: 0, gw: '2001:db8::5' }));
    k.ifconfig.enableInet6('vether0');
    const before = k.routes(0, 'inet6').find((r) => r.plen === 0)!.use;
    // vether0's ff01/ff02 routes go with its link-local address; the lookups then find ::/0.
    k.ifconfig.destroy('vether0');
    expect(k.routes(0, 'inet6').find((r) => r.plen === 0)!.use).toBe(before + 2);
    // `-inet6` is in6_ifdetach too.
    k.ifconfig.create('vether0');
    k.ifconfig.enableInet6('vether0');
    const attached = k.routes(0, 'inet6').find((r) => r.plen === 0)!.use;
    k.ifconfig.disableInet6('vether0');
    expect(k.routes(0, 'inet6').find((r) => r.plen === 0)!.use).toBe(attached + 2);
  });

  it('`-inet` (SIOCIFAFDETACH, in_ifdetach) purges every IPv4 address in list order and nothing else', () => {
    const { k, s } = kernel(d);
    k.ifconfig.enableInet6('vether0');
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    k.ifconfig.addAddress('vether0', '198.51.100.1/32');
    k.ifconfig.addAddress('vether1', '203.0.113.1/24');
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.5' }));
    drain(d, s);
    const v6Before = k.routes(0, 'inet6').length;
    k.ifconfig.disableInet('vether0');
    // Each address as in_purgeaddr has it: rt_ifa_del's routes (the connected route's flush
    // takes the gateway's clone first), rt_ifa_purge's static route, then DELADDR; the /32's
    // connected and local routes are two routes. No RTM_IFINFO: the interface is untouched.
    const got = summary(d, s);
    expect(got).toEqual([
      'DELETE 192.0.2.5', 'DELETE 192.0.2.0', 'DELETE 192.0.2.255', 'DELETE 192.0.2.1', 'DELADDR 192.0.2.1',
      'DELETE 10.0.0.0', 'DELETE 198.51.100.1', 'DELETE 198.51.100.1', 'DELADDR 198.51.100.1',
    ]);
    // The same messages as deleting each address in turn (SIOCDIFADDR).
    const twin = kernel(d);
    twin.k.ifconfig.enableInet6('vether0');
    twin.k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    twin.k.ifconfig.addAddress('vether0', '198.51.100.1/32');
    twin.k.ifconfig.addAddress('vether1', '203.0.113.1/24');
    twin.s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.5' }));
    drain(d, twin.s);
    twin.k.ifconfig.deleteAddress('vether0', '192.0.2.1');
    twin.k.ifconfig.deleteAddress('vether0', '198.51.100.1');
    expect(summary(d, twin.s)).toEqual(got);
    expect(k.ifconfig.interfaceNamed('vether0')!.addrs.map((a) => a.af)).toEqual(['inet6']);
    expect(k.routes(0, 'inet6').length).toBe(v6Before);
    expect(k.routes(0, 'inet').some((r) => r.ifname === 'vether1')).toBe(true);
    // Attaching IPv4 is a no-op: the next address is configured as usual; `-inet` again is harmless.
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    expect(k.routes(0, 'inet').filter((r) => r.ifname === 'vether0').length).toBeGreaterThan(0);
    k.ifconfig.disableInet('vether0');
    k.ifconfig.disableInet('vether0');
    expect(k.ifconfig.interfaceNamed('vether0')!.addrs.some((a) => a.af === 'inet')).toBe(false);
    expect(() => k.ifconfig.disableInet('vether9')).toThrow(/ENOENT|ENXIO|No such/);
  });
});
