/**
 * Interface route labels (`ifconfig X rtlabel L`, SIOCSIFRTLABEL: if_rtlabelid). The kernel has no
 * ioctl for it; its Interface keeps the label, which the routes made for the interface's
 * addresses take (route.c rt_ifa_add passes it as RTAX_LABEL).
 */
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import { DIALECTS } from './helpers.js';

const labels = (k: Kernel, af: 'inet' | 'inet6') => k.routes(0, af).map((r) => `${r.dst}/${r.plen} ${r.label || '-'}`);

describe.each(DIALECTS)('interface route labels (%s)', (d) => {
  it('the local, connected and broadcast routes of an IPv4 address take the interface label; routes made before keep theirs', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.addAddress('vether0', '10.0.1.1/24');
    k.ifconfig.interfaceNamed('vether0')!.rtlabel = 'green';
    k.ifconfig.addAddress('vether0', '10.0.2.1/24');
    expect(labels(k, 'inet')).toEqual([
      '10.0.1.0/24 -', '10.0.1.1/32 -', '10.0.1.255/32 -',
      '10.0.2.0/24 green', '10.0.2.1/32 green', '10.0.2.255/32 green',
      '127.0.0.1/32 -',
    ]);
    // A clone takes its parent's label (rtrequest RTM_RESOLVE).
    expect(k.lookup('10.0.2.7')).toMatchObject({ label: 'green' });
    expect(k.labels.names()).toEqual(['green']);
  });

  it('IPv6: the local and connected routes take it, in6_update_ifa\'s multicast routes (rtrequest without RTAX_LABEL) do not', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.interfaceNamed('vether0')!.rtlabel = 'green';
    k.ifconfig.addAddress('vether0', '2001:db8:1::1/64');
    expect(labels(k, 'inet6').filter((x) => !/%1\/|^::1\//.test(x))).toEqual([
      '2001:db8:1::/64 green', '2001:db8:1::1/128 green',
      'fe80::%2/64 green', 'fe80::fce1:baff:fed0:2%2/128 green',
      'ff01::%2/32 -', 'ff02::%2/32 -',
    ]);
  });
});
