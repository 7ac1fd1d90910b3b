import {
  AF_ROUTE, ROUTE_FILTER, ROUTE_FLAGFILTER, ROUTE_MSGFILTER, ROUTE_PRIOFILTER, ROUTE_TABLEFILTER, RTABLE_ANY, SHUT_RD,
  SOL_SOCKET, SO_RCVBUF, SO_USELOOPBACK, RTM_ADD, RTM_DESYNC, RTM_IFINFO, RTM_NEWADDR,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { DIALECTS, drain, errnoOf, loopbackKernel, routeMsg } from './helpers.js';

describe.each(DIALECTS)('delivery filters (%s)', (d) => {
  const add = (n: number) => routeMsg(d, { dst: `10.${n}.0.0`, plen: 16, gw: '192.0.2.1', seq: n });

  it('family filter: an inet6 socket does not see inet routes', () => {
    const { k, s } = loopbackKernel(d);
    const v6 = k.socket({ family: 24 });
    s.write(add(1));
    expect(drain(d, v6)).toHaveLength(0);
    expect(drain(d, s).map((m) => m.type)).toContain(RTM_ADD);
  });

  it('SO_USELOOPBACK off hides the reply from its sender only', () => {
    const { k, s } = loopbackKernel(d);
    const other = k.socket();
    drain(d, s);
    s.setsockopt(SOL_SOCKET, SO_USELOOPBACK, 0);
    s.write(add(1));
    expect(s.read()).toBeNull();
    expect(drain(d, other)).toHaveLength(1);
  });

  it('shutdown(SHUT_RD) sockets get nothing', () => {
    const { s } = loopbackKernel(d);
    s.shutdown(SHUT_RD);
    s.write(add(1));
    expect(s.read()).toBeNull();
  });

  it('ROUTE_MSGFILTER passes only the chosen types', () => {
    const { k, s } = loopbackKernel(d);
    s.setsockopt(AF_ROUTE, ROUTE_MSGFILTER, ROUTE_FILTER(RTM_IFINFO));
    s.write(add(1));
    k.ifconfig.create('lo9');
    k.ifconfig.up('lo9');
    // 4.9's if_up attaches IPv6 (in6_if_up): the link-local address's lo(4) SIOCSIFADDR calls
    // if_up again, a second RTM_IFINFO; its NEWADDR and RTM_ADDs are filtered out.
    expect(drain(d, s).map((m) => m.type)).toEqual(d === 'openbsd-4.9' ? [RTM_IFINFO, RTM_IFINFO] : [RTM_IFINFO]);
  });

  it('ROUTE_TABLEFILTER defaults to the socket table and rejects unknown tables', () => {
    const { k } = loopbackKernel(d);
    const s0 = k.socket();
    const w = k.socket();
    errnoOf(() => w.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.1', tableid: 3 })));
    expect(drain(d, s0)).toHaveLength(0);
    expect(errnoOf(() => s0.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, 99))).toBe(ERRNO.ENOENT);
    s0.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    expect(errnoOf(() => w.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.1', tableid: 3 })))).not.toBe(0);
    expect(drain(d, s0).length).toBe(1);
  });

  it('option errors: wrong level EINVAL, bad size EINVAL, unknown ENOPROTOOPT', () => {
    const { s } = loopbackKernel(d);
    expect(errnoOf(() => s.setsockopt(5, ROUTE_MSGFILTER, 0))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => s.setsockopt(AF_ROUTE, ROUTE_MSGFILTER, new Uint8Array(2)))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => s.setsockopt(AF_ROUTE, 77, 0))).toBe(ERRNO.ENOPROTOOPT);
    expect(errnoOf(() => s.setsockopt(AF_ROUTE, ROUTE_PRIOFILTER, 8))).toBe(d === 'openbsd' ? 0 : ERRNO.ENOPROTOOPT);
  });

  it('overflow drops, counts and queues RTM_DESYNC; FLUSH lasts until drained', () => {
    const { k, s } = loopbackKernel(d);
    const w = k.socket();
    w.shutdown(SHUT_RD);
    drain(d, s);
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, 2048);
    for (let n = 1; n <= 40; n++) w.write(add(n));
    expect(s.stats.droppedNoBuffer).toBeGreaterThan(0);
    expect(s.stats.desyncs).toBeLessThanOrEqual(1);
    expect(s.bufferedBytes).toBeLessThanOrEqual(2048);
    const got = drain(d, s);
    expect(s.stats.desyncs).toBe(1);
    expect(got[got.length - 1]!.type).toBe(RTM_DESYNC);
    w.write(add(41));
    expect(drain(d, s)).toHaveLength(1);
  });
});

describe('current-only filters', () => {
  const d = 'openbsd' as const;
  it('ROUTE_PRIOFILTER drops routes with a larger priority; > 63 is EINVAL', () => {
    const { s } = loopbackKernel(d);
    expect(errnoOf(() => s.setsockopt(AF_ROUTE, ROUTE_PRIOFILTER, 64))).toBe(ERRNO.EINVAL);
    s.setsockopt(AF_ROUTE, ROUTE_PRIOFILTER, 8);
    s.write(routeMsg(d, { dst: '10.1.0.0', plen: 16, gw: '192.0.2.1', priority: 32 }));
    s.write(routeMsg(d, { dst: '10.2.0.0', plen: 16, gw: '192.0.2.1' }));
    expect(drain(d, s).map((m) => m.priority)).toEqual([8]);
  });
  it('ROUTE_FLAGFILTER drops messages sharing a flag bit', () => {
    const { s } = loopbackKernel(d);
    s.setsockopt(AF_ROUTE, ROUTE_FLAGFILTER, 0x800);
    s.write(routeMsg(d, { dst: '10.1.0.0', plen: 16, gw: '192.0.2.1' }));
    s.write(routeMsg(d, { dst: '10.2.0.0', plen: 16, gw: '192.0.2.1', flags: 0x3, priority: 9 }));
    expect(drain(d, s).map((m) => m.sockaddrs['dst']!['addr' as never])).toEqual(['10.2.0.0']);
  });
  it('address messages are table-filtered by rdomain', () => {
    const { k, s } = loopbackKernel(d);
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, 0);
    k.ifconfig.create('lo7');
    k.ifconfig.addAddress('lo7', '198.51.100.7/32');
    expect(drain(d, s).map((m) => m.type)).toContain(RTM_NEWADDR);
  });
});
