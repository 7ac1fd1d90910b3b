/**
 * SIOCSIFMETRIC (if.c ifioctl): if_metric, announced by nothing, carried by RTM_IFINFO's
 * ifi_metric; an address takes it when in_ifinit / in6_ifinit runs (ifa_metric, the ifam_metric
 * of its messages). in_ifinit takes it after rt_ifa_addlocal announced the address, in6_ifinit
 * before.
 */
import { AF_ROUTE, RTABLE_ANY, ROUTE_TABLEFILTER, RTM_DELADDR, RTM_IFINFO, RTM_NEWADDR } from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { DIALECTS, drain, errnoOf, type DialectArg } from './helpers.js';

function boot(d: DialectArg): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d });
  k.ifconfig.create('vether0');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  drain(d, s);
  return { k, s };
}

/** `TYPE address metric` of the address messages read but the link-local one (ifam_metric as the codec decodes it). */
function addressMetrics(d: DialectArg, s: RoutingSocket): string[] {
  return drain(d, s).filter((m) => m.type === RTM_NEWADDR || m.type === RTM_DELADDR)
    .filter((m) => !String((m.sockaddrs['ifa'] as { addr?: string }).addr).startsWith('fe80:'))
    .map((m) => `${m.type === RTM_NEWADDR ? 'NEWADDR' : 'DELADDR'} ${String((m.sockaddrs['ifa'] as { addr?: string }).addr)} ${String(m['metric'])}`);
}

describe.each(DIALECTS)('interface metric (%s)', (d) => {
  it('SIOCSIFMETRIC announces nothing; RTM_IFINFO carries it from then on; bad values are EINVAL', () => {
    const { k, s } = boot(d);
    k.ifconfig.setMetric('vether0', 7);
    expect(drain(d, s)).toEqual([]);
    expect(k.ifconfig.get('vether0')!.metric).toBe(7);
    k.ifconfig.up('vether0');
    const info = drain(d, s).find((m) => m.type === RTM_IFINFO)!;
    expect((info['data'] as Record<string, unknown>)['metric']).toBe(7);
    expect(errnoOf(() => k.ifconfig.setMetric('vether0', -1))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setMetric('vether0', 1.5))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setMetric('vether9', 1))).toBe(ERRNO.ENOENT);
  });

  it('an IPv4 address takes it after its RTM_NEWADDR, an IPv6 one before; both keep it for DELADDR', () => {
    const { k, s } = boot(d);
    k.ifconfig.setMetric('vether0', 5);
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    k.ifconfig.addAddress('vether0', '2001:db8::1/64');
    expect(addressMetrics(d, s)).toEqual(['NEWADDR 192.0.2.1 0', 'NEWADDR 2001:db8::1 5']);
    // A new metric reaches an address only when it is initialised again (a new mask here).
    k.ifconfig.setMetric('vether0', 9);
    k.ifconfig.addAddress('vether0', '192.0.2.1/25');
    expect(addressMetrics(d, s)).toEqual(['DELADDR 192.0.2.1 5', 'NEWADDR 192.0.2.1 5']);
    k.ifconfig.deleteAddress('vether0', '192.0.2.1');
    k.ifconfig.deleteAddress('vether0', '2001:db8::1');
    expect(addressMetrics(d, s)).toEqual(['DELADDR 192.0.2.1 9', 'DELADDR 2001:db8::1 5']);
  });

  it('the interface\'s and the addresses\' metrics are kept in a kernel snapshot', () => {
    const { k } = boot(d);
    k.ifconfig.setMetric('vether0', 3);
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    expect(k2.ifconfig.get('vether0')!.metric).toBe(3);
    expect(k2.ifconfig.interfaceNamed('vether0')!.addrs.find((a) => a.af === 'inet')!.metric).toBe(3);
  });
});
