/**
 * Route metrics a request sets (rt_setmetrics: RTV_MTU, RTV_EXPIRE) come back in the kernel's
 * reports (rt_getmetrics): 4.9's rmx_expire is a 32-bit field, current's 64-bit (as a bigint
 * once decoded).
 */
import { RTM_ADD, RTM_GET, RTV_EXPIRE, RTV_MTU } from '../../src/kernel/constants.js';
import { DIALECTS, drain, loopbackKernel, routeMsg } from './helpers.js';

describe.each(DIALECTS)('route metrics (%s)', (d) => {
  const at = 1_800_000_600;
  const expire = d === 'openbsd' ? BigInt(at) : at;

  it('RTV_EXPIRE and RTV_MTU given to RTM_ADD are what RTM_GET and the route list report', () => {
    const { k, s } = loopbackKernel(d);
    drain(d, s);
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.1', extra: { inits: RTV_EXPIRE | RTV_MTU, rmx: { expire: at, mtu: 1400 } } }));
    expect(drain(d, s).find((m) => m.type === RTM_ADD)!.rmx).toMatchObject({ expire, mtu: 1400 });
    s.write(routeMsg(d, { type: 'RTM_GET', dst: '10.0.0.0', plen: 8, flags: 0 }));
    const [got] = drain(d, s);
    expect(got).toMatchObject({ type: RTM_GET, errno: 0 });
    expect(got!.rmx).toMatchObject({ expire, mtu: 1400, locks: 0 });
    expect(k.routes(0, 'inet').find((r) => r.dst === '10.0.0.0')).toMatchObject({ expire: at, mtu: 1400 });
  });

  it('metrics not named in rtm_inits are not taken', () => {
    const { k, s } = loopbackKernel(d);
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.1', extra: { inits: RTV_MTU, rmx: { expire: at, mtu: 1400 } } }));
    expect(k.routes(0, 'inet').find((r) => r.dst === '10.0.0.0')).toMatchObject({ expire: 0, mtu: 1400 });
  });
});
