/**
 * Point-to-point interfaces (gif(4)): the destination's host route (in_addhost), local routes
 * without LLINFO, BRD = destination in NEWADDR/DELADDR and route replies, ifa_ifwithdstaddr.
 */
import fc from 'fast-check';
import {
  AF_ROUTE, IFF_MULTICAST, IFF_POINTOPOINT, IFF_RUNNING, IFF_UP, RTABLE_ANY, ROUTE_TABLEFILTER, RTF_HOST, RTF_LLINFO,
  RTF_LOCAL, RTF_UP, RTM_ADD, RTM_DELADDR, RTM_DELETE, RTM_GET, RTM_IFANNOUNCE, RTM_IFINFO, RTM_NEWADDR,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { DIALECTS, drain, errnoOf, ipv4Only, routeMsg, UGS, type DialectArg } from './helpers.js';

function gifKernel(d: DialectArg): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d });
  k.ifconfig.create('gif0');
  ipv4Only(k, 'gif0');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s };
}

/** `type dst-or-ifa` for each message. */
const summary = (d: DialectArg, s: RoutingSocket) => drain(d, s).map((m) => {
  const sa = (m.sockaddrs ?? {}) as Record<string, { addr?: string } | undefined>;
  return `${m.type} ${sa['dst']?.addr ?? sa['ifa']?.addr ?? ''}`.trim();
});

const HOST_STATIC = RTF_UP | RTF_HOST | 0x800;

const gifRoutes = (k: Kernel) => k.routes(0, 'inet').filter((r) => r.ifname === 'gif0')
  .map((r) => `${r.dst}/${r.plen} ${r.gateway} ${r.flags.toString(16)} ${r.priority}`);

describe.each(DIALECTS)('point-to-point interfaces (%s)', (d) => {
  it('gif0 is created down, IFF_POINTOPOINT|IFF_MULTICAST, mtu 1280', () => {
    const k = createKernel({ dialect: d });
    const s = k.socket();
    k.ifconfig.create('gif0');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_IFANNOUNCE]);
    expect(k.ifconfig.get('gif0')).toMatchObject({ flags: IFF_POINTOPOINT | IFF_MULTICAST, mtu: 1280, linkState: 0 });
  });

  it('an address with a destination: local route (no LLINFO), host route to the destination, nothing else', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    // gif_ioctl sets IFF_UP|IFF_RUNNING itself: no if_up, so no RTM_IFINFO.
    expect(summary(d, s)).toEqual([`${RTM_NEWADDR} 10.0.0.1`, `${RTM_ADD} 10.0.0.1`, `${RTM_ADD} 10.0.0.2`]);
    expect(k.ifconfig.get('gif0')!.flags).toBe(IFF_UP | IFF_RUNNING | IFF_POINTOPOINT | IFF_MULTICAST);
    expect(gifRoutes(k)).toEqual([
      `10.0.0.1/32 10.0.0.1 ${(RTF_UP | RTF_HOST | RTF_LOCAL).toString(16)} 1`,
      `10.0.0.2/32 10.0.0.1 ${(RTF_UP | RTF_HOST).toString(16)} 8`,
    ]);
    expect(k.routes(0).find((r) => r.dst === '10.0.0.1')!.flags & RTF_LLINFO).toBe(0);
  });

  it('without a mask the classful one (in_ifinit); still no connected or broadcast route', () => {
    const { k } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1', { dest: '10.0.0.2' });
    expect(k.ifconfig.get('gif0')!.addresses).toEqual(['10.0.0.1/8']);
    expect(gifRoutes(k).map((r) => r.split(' ')[0])).toEqual(['10.0.0.1/32', '10.0.0.2/32']);
  });

  it('NEWADDR and DELADDR carry BRD = the destination; the kernel RTM_ADD/DELETE carry none', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    const added = drain(d, s);
    expect(added[0]!.sockaddrs['brd']).toMatchObject({ addr: '10.0.0.2' });
    expect(added[0]!.sockaddrs['ifa']).toMatchObject({ addr: '10.0.0.1' });
    for (const m of added.slice(1)) expect(m.sockaddrs['brd']).toBeUndefined();
    k.ifconfig.deleteAddress('gif0', '10.0.0.1');
    const deleted = drain(d, s);
    expect(deleted.map((m) => m.type)).toEqual([RTM_DELETE, RTM_DELETE, RTM_DELADDR]);
    expect(deleted.map((m) => (m.sockaddrs['dst'] as { addr: string } | undefined)?.addr)).toEqual(['10.0.0.2', '10.0.0.1', undefined]);
    expect(deleted[2]!.sockaddrs['brd']).toMatchObject({ addr: '10.0.0.2' });
    expect(deleted[0]!.sockaddrs['brd']).toBeUndefined();
    expect(gifRoutes(k)).toEqual([]);
  });

  it('an address without a destination: only the local route; BRD is an empty sockaddr', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32');
    const added = drain(d, s);
    expect(added.map((m) => m.type)).toEqual([RTM_NEWADDR, RTM_ADD]);
    expect(added[0]!.addrs & (1 << 7)).not.toBe(0);
    expect(added[0]!.sockaddrs['brd']).toMatchObject({ len: 0 });
    expect(gifRoutes(k).map((r) => r.split(' ')[0])).toEqual(['10.0.0.1/32']);
    // rtm_report still sets BRD from ifa_dstaddr on a point-to-point interface: the empty sockaddr
    s.write(routeMsg(d, { type: 'RTM_GET', dst: '10.0.0.1', flags: 0, seq: 9, sockaddrs: { ifp: { kind: 'link', index: 0, type: 0, name: '', lladdr: '' } } }));
    const reply = drain(d, s).find((m) => m.type === RTM_GET)!;
    expect(reply.addrs & (1 << 7)).not.toBe(0);
    expect(reply.sockaddrs['brd']).toMatchObject({ len: 0 });
  });

  it('a new destination for the same address moves the host route', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    drain(d, s);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.3' });
    // in_ifscrub (old host route), then in_ifinit: local route and DELADDR (BRD already the new
    // destination), NEWADDR, local route, host route to the new destination.
    const addrOf = (sa: unknown) => (sa as { addr: string }).addr;
    expect(drain(d, s).map((m) => `${m.type} ${addrOf(m.sockaddrs['dst'] ?? m.sockaddrs['brd'])}`)).toEqual([
      `${RTM_DELETE} 10.0.0.2`, `${RTM_DELETE} 10.0.0.1`, `${RTM_DELADDR} 10.0.0.3`,
      `${RTM_NEWADDR} 10.0.0.3`, `${RTM_ADD} 10.0.0.1`, `${RTM_ADD} 10.0.0.3`,
    ]);
    expect(gifRoutes(k).map((r) => r.split(' ')[0])).toEqual(['10.0.0.1/32', '10.0.0.3/32']);
  });

  it('down marks the host route down (local stays up); up restores it; no route is deleted', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    drain(d, s);
    k.ifconfig.down('gif0');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_IFINFO]);
    expect(gifRoutes(k)).toEqual([
      `10.0.0.1/32 10.0.0.1 ${(RTF_UP | RTF_HOST | RTF_LOCAL).toString(16)} 1`, `10.0.0.2/32 10.0.0.1 ${RTF_HOST.toString(16)} 8`,
    ]);
    k.ifconfig.up('gif0');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_IFINFO]);
    expect(k.routes(0).find((r) => r.dst === '10.0.0.2')!.flags & RTF_UP).toBe(RTF_UP);
  });

  it('destroy purges both routes and announces the departure', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    drain(d, s);
    k.ifconfig.destroy('gif0');
    expect(summary(d, s)).toEqual(d === 'openbsd' ? [
      `${RTM_IFINFO}`, `${RTM_DELETE} 10.0.0.2`, `${RTM_DELETE} 10.0.0.1`, `${RTM_DELADDR} 10.0.0.1`, `${RTM_IFANNOUNCE}`,
    ] : [
      // 4.9's if_detach: rt_if_remove in radix order, no DELADDR.
      `${RTM_IFINFO}`, `${RTM_DELETE} 10.0.0.1`, `${RTM_DELETE} 10.0.0.2`, `${RTM_IFANNOUNCE}`,
    ]);
    expect(k.routes(0).some((r) => r.dst.startsWith('10.0.0.'))).toBe(false);
  });

  it('ifa_ifwithdstaddr: a gateway equal to the destination selects the interface', () => {
    const { k, s } = gifKernel(d);
    expect(errnoOf(() => s.write(routeMsg(d, { dst: '192.168.5.0', plen: 24, gw: '10.0.0.2' })))).toBe(ERRNO.ENETUNREACH);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    // the host route to the destination is the kernel's at priority 8: a static one collides
    expect(errnoOf(() => s.write(routeMsg(d, { dst: '10.0.0.2', gw: '10.0.0.1', flags: UGS | RTF_HOST, seq: 2 })))).toBe(ERRNO.EEXIST);
    s.write(routeMsg(d, { dst: '192.168.5.0', plen: 24, gw: '10.0.0.2' }));
    expect(k.lookup('192.168.5.7')).toMatchObject({ ifname: 'gif0', gateway: '10.0.0.2', priority: 8 });
    // removing the address purges the route selected onto it (rt_ifa_purge)
    k.ifconfig.deleteAddress('gif0', '10.0.0.1');
    expect(k.lookup('192.168.5.7')).toBeUndefined();
  });

  it('without the destination\'s host route the interface is still found, the next hop is not (ENOENT)', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '10.0.0.2', flags: RTF_HOST, seq: 3 }));
    expect(gifRoutes(k).map((r) => r.split(' ')[0])).toEqual(['10.0.0.1/32']);
    // ifa_ifwithdstaddr answers; without it rtalloc would find nothing (ENETUNREACH)
    expect(errnoOf(() => s.write(routeMsg(d, { dst: '192.168.6.0', plen: 24, gw: '10.0.0.2', seq: 4 })))).toBe(ERRNO.ENOENT);
    // deleting the address then finds no host route to scrub
    drain(d, s);
    k.ifconfig.deleteAddress('gif0', '10.0.0.1');
    expect(summary(d, s)).toEqual([`${RTM_DELETE} 10.0.0.1`, `${RTM_DELADDR} 10.0.0.1`]);
  });

  it('in_scrubhost deletes only a route at if_priority + 8: another one to the destination goes with rt_ifa_purge', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '10.0.0.2', flags: RTF_HOST, seq: 3 }));
    s.write(routeMsg(d, { dst: '10.0.0.2', gw: '10.0.0.1', flags: HOST_STATIC, priority: 20, seq: 5 }));
    drain(d, s);
    k.ifconfig.deleteAddress('gif0', '10.0.0.1');
    expect(summary(d, s)).toEqual([`${RTM_DELETE} 10.0.0.1`, `${RTM_DELADDR} 10.0.0.1`, `${RTM_DELETE} 10.0.0.2`]);
  });

  it('in_scrubhost deletes only a route on this interface (rtrequest_delete)', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.create('vether0');
    ipv4Only(k, 'vether0');
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    k.ifconfig.addAddress('vether0', '10.0.0.1/24');
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '10.0.0.2', flags: RTF_HOST, seq: 3 }));
    const vether = { kind: 'link', index: k.ifconfig.indexOf('vether0'), type: 6, name: '', lladdr: '' };
    // the same destination, gateway and priority, on vether0
    s.write(routeMsg(d, { dst: '10.0.0.2', gw: '10.0.0.1', flags: HOST_STATIC, seq: 4, sockaddrs: { ifp: vether } }));
    drain(d, s);
    k.ifconfig.deleteAddress('gif0', '10.0.0.1');
    expect(summary(d, s)).toEqual([`${RTM_DELETE} 10.0.0.1`, `${RTM_DELADDR} 10.0.0.1`]);
    expect(k.routes(0, 'inet').filter((r) => r.dst === '10.0.0.2').map((r) => `${r.ifname} ${r.priority}`)).toEqual(['vether0 8']);
  });

  it('the address chosen is the one whose destination (or address) is the gateway, also with RTA_IFP', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/8', { dest: '10.0.0.2' });
    k.ifconfig.addAddress('gif0', '10.0.1.1/8', { dest: '10.0.1.2' });
    const index = k.ifconfig.indexOf('gif0');
    const ifp = { kind: 'link', index, type: 0xf0, name: '', lladdr: '' };
    s.write(routeMsg(d, { dst: '192.168.7.0', plen: 24, gw: '10.0.1.2', seq: 3, sockaddrs: { ifp } }));
    s.write(routeMsg(d, { dst: '192.168.8.0', plen: 24, gw: '10.0.1.2', seq: 4 }));
    drain(d, s);
    for (const [dst, seq] of [['192.168.7.0', 5], ['192.168.8.0', 6]] as const) {
      s.write(routeMsg(d, { type: 'RTM_GET', dst, plen: 24, flags: 0, seq, sockaddrs: { ifp: { ...ifp, index: 0 } } }));
      const reply = drain(d, s).find((m) => m.type === RTM_GET)!;
      expect([dst, reply.sockaddrs['ifa']]).toMatchObject([dst, { addr: '10.0.1.1' }]);
      expect(reply.sockaddrs['brd']).toMatchObject({ addr: '10.0.1.2' });
    }
  });

  it(`route replies on p2p routes carry BRD = the destination${d === 'openbsd' ? '' : ' (when IFP is asked)'}`, () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    drain(d, s);
    const ifp = { kind: 'link', index: 0, type: 0, name: '', lladdr: '' };
    s.write(routeMsg(d, { type: 'RTM_GET', dst: '10.0.0.2', flags: 0, seq: 7, sockaddrs: { ifp } }));
    const reply = drain(d, s).find((m) => m.type === RTM_GET)!;
    expect(reply.sockaddrs['brd']).toMatchObject({ addr: '10.0.0.2' });
    expect(reply.sockaddrs['ifp']).toMatchObject({ name: 'gif0' });
    s.write(routeMsg(d, { type: 'RTM_GET', dst: '10.0.0.2', flags: 0, seq: 8 }));
    const plain = drain(d, s).find((m) => m.type === RTM_GET)!;
    if (d === 'openbsd') expect(plain.sockaddrs['brd']).toMatchObject({ addr: '10.0.0.2' });
    else expect(plain.sockaddrs['brd']).toBeUndefined();
  });

  it('errno paths: same address and destination twice, bad destination, MTU bounds', () => {
    const { k } = gifKernel(d);
    k.ifconfig.create('gif1');
    ipv4Only(k, 'gif1');
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    expect(errnoOf(() => k.ifconfig.addAddress('gif1', '10.0.0.1/32', { dest: '10.0.0.2' }))).toBe(ERRNO.EEXIST);
    expect(k.ifconfig.get('gif1')!.addresses).toEqual([]);
    expect(errnoOf(() => k.ifconfig.addAddress('gif1', '10.0.1.1/32', { dest: '2001:db8::2' }))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setMtu('gif0', 1279))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setMtu('gif0', 8193))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setMtu('gif0', 8192))).toBe(0);
  });

  it('a destination on a broadcast interface is ignored', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    ipv4Only(k, 'vether0');
    k.ifconfig.addAddress('vether0', '10.1.0.1/24', { dest: '10.1.0.9' });
    expect(k.routes(0, 'inet').filter((r) => r.ifname === 'vether0').map((r) => `${r.dst}/${r.plen}`))
      .toEqual(['10.1.0.0/24', '10.1.0.1/32', '10.1.0.255/32']);
  });

  it('property: any add/delete/down/up sequence on gif0 leaves no route behind once its addresses are gone', () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('add' as const), a: fc.integer({ min: 1, max: 3 }), dst: fc.option(fc.integer({ min: 1, max: 3 })), plen: fc.constantFrom(8, 24, 32) }),
      fc.record({ op: fc.constant('del' as const), a: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ op: fc.constantFrom('down' as const, 'up' as const) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
      const { k } = gifKernel(d);
      for (const o of ops) {
        if (o.op === 'add') {
          const opts = o.dst === null ? {} : { dest: `10.9.0.${o.dst}` };
          k.ifconfig.addAddress('gif0', `10.0.0.${o.a}/${o.plen}`, opts);
        } else if (o.op === 'del') {
          errnoOf(() => k.ifconfig.deleteAddress('gif0', `10.0.0.${o.a}`));
        } else k.ifconfig[o.op]('gif0');
        // every host route to a destination belongs to an address that has that destination
        for (const r of k.routes(0, 'inet').filter((x) => x.ifname === 'gif0' && x.dst.startsWith('10.9.'))) {
          expect(k.interfaceByIndex(r.ifindex)!.addrs.some((a) => a.dstaddr && a.dstaddr.join('.') === r.dst)).toBe(true);
        }
      }
      for (const a of [1, 2, 3]) errnoOf(() => k.ifconfig.deleteAddress('gif0', `10.0.0.${a}`));
      expect(gifRoutes(k)).toEqual([]);
    }), { numRuns: 150 });
  });
});

describe.each(DIALECTS)('a local address shared with an Ethernet interface (%s)', (d) => {
  const locals = (k: Kernel) => k.routes(0, 'inet').filter((r) => r.dst === '10.0.0.1').map((r) => `${r.ifname} ${(r.flags & RTF_LLINFO) !== 0}`);

  it('an Ethernet address adds its own LLINFO local route beside the p2p one (rt_ifa_addlocal)', () => {
    const { k } = gifKernel(d);
    k.ifconfig.create('vether0');
    ipv4Only(k, 'vether0');
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    k.ifconfig.addAddress('vether0', '10.0.0.1/24');
    expect(locals(k)).toEqual(['gif0 false', 'vether0 true']);
  });

  it('re-initialising the Ethernet address behind the p2p local route fails with EEXIST and unlists it (in_ifinit)', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.create('vether0');
    ipv4Only(k, 'vether0');
    k.ifconfig.addAddress('gif0', '10.0.0.1/32');
    k.ifconfig.addAddress('vether0', '10.0.0.1/24');
    drain(d, s);
    // rt_ifa_dellocal's rtalloc finds gif0's local route (no LLINFO) and leaves vether0's; the
    // rt_ifa_addlocal after it collides with that one: EEXIST, the address taken off the list.
    expect(errnoOf(() => k.ifconfig.addAddress('vether0', '10.0.0.1/24'))).toBe(ERRNO.EEXIST);
    expect(summary(d, s)).toEqual([`${RTM_DELETE} 10.0.0.0`, `${RTM_DELETE} 10.0.0.255`]);
    expect(k.ifconfig.get('vether0')!.addresses).toEqual([]);
    expect(locals(k)).toEqual(['gif0 false', 'vether0 true']);
    expect(errnoOf(() => k.ifconfig.deleteAddress('vether0', '10.0.0.1'))).toBe(ERRNO.EADDRNOTAVAIL);
  });

  it('a p2p address finds the Ethernet local route sufficient (no NEWADDR, no second route)', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.create('vether0');
    ipv4Only(k, 'vether0');
    k.ifconfig.addAddress('vether0', '10.0.0.1/24');
    drain(d, s);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    expect(summary(d, s)).toEqual([`${RTM_ADD} 10.0.0.2`]);
    expect(locals(k)).toEqual(['vether0 true']);
  });
});
