/**
 * 4.9's RTM_LOCK ("fix specified metrics", route(4) 1.27), as route_output of its time runs it
 * (rtsock.c 1.101, the newest pre-4.9 revision available): the route is found as for
 * RTM_CHANGE (the exact prefix, the priority's bucket, a multipath route only with its
 * gateway), rmx_locks takes the bits rtm_inits names from the request, and the request is
 * echoed with RTF_DONE and the route's priority. Current OpenBSD has no RTM_LOCK (EOPNOTSUPP,
 * output-errno.test.ts).
 */
import { RTF_DONE, RTF_MPATH, RTM_LOCK, RTP_STATIC, RTV_EXPIRE, RTV_MTU } from '../../src/kernel/constants.js';

/** RTV_HOPCOUNT: a metric 4.9 keeps nothing of, whose lock bit RTM_LOCK still sets. */
const RTV_HOPCOUNT = 0x2;
import { ERRNO } from '../../src/kernel/errno.js';
import { decode, drain, errnoOf, loopbackKernel, routeMsg, UGS, type RouteArgs } from './helpers.js';

const d = 'openbsd-4.9' as const;

describe('RTM_LOCK (openbsd-4.9)', () => {
  /** lo1 192.0.2.1 and lo2 192.0.2.2, with 10/8 via 192.0.2.1 (static, priority 8 + lo1's 0). */
  function setup() {
    const { k, s } = loopbackKernel(d);
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.1' }));
    drain(d, s);
    return { k, s };
  }
  const lock = (a: Partial<RouteArgs>, inits: number, locks: number) =>
    routeMsg(d, { type: 'RTM_LOCK', dst: '10.0.0.0', plen: 8, flags: 0, ...a, extra: { inits, rmx: { locks } } });
  const locksOf = (k: ReturnType<typeof setup>['k']) => k.routes(0, 'inet').find((r) => r.dst === '10.0.0.0')!.locks;

  it('sets the named lock bits from the request, keeps the others, and echoes the request with RTF_DONE', () => {
    const { k, s } = setup();
    s.write(lock({}, RTV_MTU | RTV_HOPCOUNT, RTV_MTU | RTV_HOPCOUNT | RTV_EXPIRE));
    // RTV_EXPIRE is not in rtm_inits: not set.
    expect(locksOf(k)).toBe(RTV_MTU | RTV_HOPCOUNT);
    const [m] = drain(d, s);
    expect(m).toMatchObject({ type: RTM_LOCK, errno: 0, flags: RTF_DONE, priority: RTP_STATIC });
    s.write(lock({}, RTV_MTU, 0));
    expect(locksOf(k)).toBe(RTV_HOPCOUNT);
  });

  it('a prefix that is not there is ESRCH, echoed with rtm_errno', () => {
    const { s } = setup();
    expect(errnoOf(() => s.write(lock({ dst: '172.16.0.0', plen: 12 }, RTV_MTU, RTV_MTU)))).toBe(ERRNO.ESRCH);
    const [m] = drain(d, s);
    expect(m).toMatchObject({ type: RTM_LOCK, errno: ERRNO.ESRCH });
    expect(m!.flags & RTF_DONE).toBe(0);
  });

  it('needs the exact prefix: no netmask finds only a host route', () => {
    const { k, s } = setup();
    // Without a netmask the lookup is a longest match; 10/8 has a mask, the request none.
    expect(errnoOf(() => s.write(lock({ plen: undefined }, RTV_MTU, RTV_MTU)))).toBe(ERRNO.ESRCH);
    expect(errnoOf(() => s.write(lock({ plen: 16 }, RTV_MTU, RTV_MTU)))).toBe(ERRNO.ESRCH);
    expect(locksOf(k)).toBe(0);
  });

  it('a priority names its bucket: no route of that priority is ESRCH', () => {
    const { k, s } = setup();
    expect(errnoOf(() => s.write(lock({ priority: 20 }, RTV_MTU, RTV_MTU)))).toBe(ERRNO.ESRCH);
    s.write(lock({ priority: RTP_STATIC }, RTV_MTU, RTV_MTU));
    expect(locksOf(k)).toBe(RTV_MTU);
  });

  it('a multipath route is locked only through its gateway', () => {
    const { k, s } = setup();
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.2', flags: UGS | RTF_MPATH }));
    drain(d, s);
    expect(errnoOf(() => s.write(lock({}, RTV_MTU, RTV_MTU)))).toBe(ERRNO.ESRCH);
    expect(drain(d, s).map((m) => m.errno)).toEqual([ERRNO.ESRCH]);
    s.write(lock({ gw: '192.0.2.2' }, RTV_MTU, RTV_MTU));
    const routes = k.routes(0, 'inet').filter((r) => r.dst === '10.0.0.0');
    expect(routes.map((r) => [r.gateway, r.locks])).toEqual([['192.0.2.1', 0], ['192.0.2.2', RTV_MTU]]);
    expect(decode(d, s.read()!)).toMatchObject({ type: RTM_LOCK, errno: 0 });
  });
});
