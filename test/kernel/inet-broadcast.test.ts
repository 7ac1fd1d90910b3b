/**
 * SIOCAIFADDR of an IPv4 address the interface has, as in.c's in_ioctl_change_ifaddr does it:
 * without a mask or destination nothing is re-initialised (needinit stays 0), and a broadcast
 * address (ifra_broadaddr) is only copied in (ifa_update_broadaddr); in_ifinit computes the
 * broadcast address again whenever it runs, after announcing the address with what it held.
 */
import { AF_ROUTE, RTABLE_ANY, ROUTE_TABLEFILTER, RTM_ADD, RTM_DELADDR, RTM_DELETE, RTM_NEWADDR } from '../../src/kernel/constants.js';
import type { RouteMessage } from '../../src/codec/message.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { DIALECTS, drain, errnoOf, ipv4Only, type DialectArg } from './helpers.js';

const NAMES: Record<number, string> = { [RTM_ADD]: 'ADD', [RTM_DELETE]: 'DELETE', [RTM_NEWADDR]: 'NEWADDR', [RTM_DELADDR]: 'DELADDR' };

function boot(d: DialectArg): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d });
  k.ifconfig.create('vether0');
  ipv4Only(k, 'vether0');
  k.ifconfig.addAddress('vether0', '10.0.0.1/24');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s };
}

/** `TYPE dst` for route messages, `TYPE ifa brd` for address messages. */
function summary(m: RouteMessage): string {
  const sa = m.sockaddrs as Record<string, { addr?: string } | undefined>;
  if (m.type === RTM_NEWADDR || m.type === RTM_DELADDR) return `${NAMES[m.type]} ${sa['ifa']?.addr} brd ${sa['brd']?.addr ?? '-'}`;
  return `${NAMES[m.type] ?? m.type} ${sa['dst']?.addr}`;
}

const shown = (k: Kernel) => k.ifconfig.get('vether0')!.addresses;
const routes = (k: Kernel) => k.routes(0, 'inet').filter((r) => r.ifname === 'vether0').map((r) => `${r.dst}/${r.plen}`);

describe.each(DIALECTS)('IPv4 address re-stated, broadcast address (%s)', (d) => {
  it('the same address without a mask changes nothing: no re-initialisation, no message, the mask stays', () => {
    const { k, s } = boot(d);
    const before = routes(k);
    k.ifconfig.addAddress('vether0', '10.0.0.1');
    expect(drain(d, s)).toEqual([]);
    expect(shown(k)).toEqual(['10.0.0.1/24']);
    expect(routes(k)).toEqual(before);
    // With a mask it is re-initialised, even to the same one.
    k.ifconfig.addAddress('vether0', '10.0.0.1/24');
    expect(drain(d, s).map(summary)).toContain('NEWADDR 10.0.0.1 brd 10.0.0.255');
  });

  it('a new address without a mask takes the classful one; a broadcast address given with it is recomputed', () => {
    const { k } = boot(d);
    k.ifconfig.addAddress('vether0', '172.16.5.1', { broadcast: '172.16.5.255' });
    expect(shown(k)).toContain('172.16.5.1/16');
    expect(k.ifconfig.interfaceNamed('vether0')!.addrs.find((a) => a.addr[0] === 172)!.dstaddr).toEqual(Uint8Array.of(172, 16, 255, 255));
  });

  it('broadcast alone is copied in silently; the next re-initialisation announces and scrubs with it', () => {
    const { k, s } = boot(d);
    const ifa = () => k.ifconfig.interfaceNamed('vether0')!.addrs.find((a) => a.af === 'inet')!;
    k.ifconfig.addAddress('vether0', '10.0.0.1', { broadcast: '10.0.0.127' });
    expect(drain(d, s)).toEqual([]);
    expect(ifa().dstaddr).toEqual(Uint8Array.of(10, 0, 0, 127));
    expect(routes(k)).toContain('10.0.0.255/32');
    // A new mask and another broadcast: in_ifscrub looks the broadcast route up by 10.0.0.127
    // and finds none (10.0.0.255's stays), DELADDR and NEWADDR carry 10.0.0.99, then in_ifinit
    // computes 10.0.0.127 for the /25 and adds its route.
    k.ifconfig.addAddress('vether0', '10.0.0.1/25', { broadcast: '10.0.0.99' });
    const msgs = drain(d, s).map(summary);
    expect(msgs).not.toContain('DELETE 10.0.0.255');
    expect(msgs).toContain('DELADDR 10.0.0.1 brd 10.0.0.99');
    expect(msgs).toContain('NEWADDR 10.0.0.1 brd 10.0.0.99');
    expect(msgs).toContain('ADD 10.0.0.127');
    expect(ifa().dstaddr).toEqual(Uint8Array.of(10, 0, 0, 127));
    expect(routes(k)).toEqual(expect.arrayContaining(['10.0.0.0/25', '10.0.0.127/32', '10.0.0.255/32']));
    // The copied-in broadcast address is kept in the state file.
    k.ifconfig.addAddress('vether0', '10.0.0.1', { broadcast: '10.0.0.100' });
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    expect(k2.ifconfig.interfaceNamed('vether0')!.addrs.find((a) => a.af === 'inet')!.dstaddr).toEqual(Uint8Array.of(10, 0, 0, 100));
  });

  it('interfaces without IFF_BROADCAST ignore it; a bad one is EINVAL', () => {
    const { k, s } = boot(d);
    k.ifconfig.create('gif0');
    k.ifconfig.addAddress('gif0', '10.9.0.1/32', { dest: '10.9.0.2', broadcast: '10.9.0.2' });
    k.ifconfig.addAddress('gif0', '10.9.0.1', { broadcast: '10.9.0.3' });
    expect(k.ifconfig.interfaceNamed('gif0')!.addrs.find((a) => a.af === 'inet')!.dstaddr).toEqual(Uint8Array.of(10, 9, 0, 2));
    drain(d, s);
    expect(errnoOf(() => k.ifconfig.addAddress('vether0', '10.0.0.1', { broadcast: 'nonsense' }))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.addAddress('vether0', '2001:db8::1/64', { broadcast: '10.0.0.255' }))).toBe(ERRNO.EINVAL);
    expect(drain(d, s)).toEqual([]);
  });
});
