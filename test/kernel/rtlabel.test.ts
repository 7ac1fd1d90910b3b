/**
 * Interface route labels (`ifconfig X rtlabel L`, SIOCSIFRTLABEL: if_rtlabelid): the routes made
 * for the interface's addresses take it (route.c rt_ifa_add passes it as RTAX_LABEL). Some tests
 * set the Interface's label directly, as the model tests do; `setRtlabel` is the ioctl.
 */
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import { RtsockErrno } from '../../src/kernel/errno.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { DIALECTS, ipv4Only } from './helpers.js';

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

  it('SIOCSIFRTLABEL: the interface holds a reference on its label; a new label or -rtlabel drops it', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    ipv4Only(k, 'vether0');
    k.ifconfig.setRtlabel('vether0', 'green');
    // No route carries it yet: the interface's own reference keeps the label (if.c ifioctl).
    expect(k.labels.names()).toEqual(['green']);
    k.ifconfig.addAddress('vether0', '10.0.2.1/24');
    expect(labels(k, 'inet')).toContain('10.0.2.0/24 green');
    k.ifconfig.setRtlabel('vether0', 'blue');
    // The routes keep theirs; only address routes made from now on take the new label.
    expect(k.labels.names()).toEqual(['blue', 'green']);
    k.ifconfig.addAddress('vether0', '10.0.3.1/24');
    expect(labels(k, 'inet')).toEqual(expect.arrayContaining(['10.0.2.0/24 green', '10.0.3.0/24 blue']));
    k.ifconfig.deleteAddress('vether0', '10.0.2.1');
    expect(k.labels.names()).toEqual(['blue']);
    k.ifconfig.setRtlabel('vether0', '');
    k.ifconfig.deleteAddress('vether0', '10.0.3.1');
    expect(k.labels.names()).toEqual([]);
    k.ifconfig.addAddress('vether0', '10.0.4.1/24');
    expect(labels(k, 'inet')).toContain('10.0.4.0/24 -');
  });

  it('SIOCSIFRTLABEL: a label with no room for its NUL in RTLABEL_LEN is ENAMETOOLONG and changes nothing', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.setRtlabel('vether0', 'x'.repeat(31));
    let err: unknown;
    try {
      k.ifconfig.setRtlabel('vether0', 'y'.repeat(32));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RtsockErrno);
    expect(err).toMatchObject({ code: 'ENAMETOOLONG' });
    expect(k.labels.names()).toEqual(['x'.repeat(31)]);
    expect(() => k.ifconfig.setRtlabel('nope0', 'a')).toThrow(RtsockErrno);
  });

  it('a restored kernel keeps the interface\'s label and its reference', () => {
    const k = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel((() => {
      const k0 = createKernel({ dialect: d });
      k0.ifconfig.create('vether0');
      ipv4Only(k0, 'vether0');
      k0.ifconfig.setRtlabel('vether0', 'green');
      return k0;
    })()))));
    expect(k.labels.names()).toEqual(['green']);
    k.ifconfig.addAddress('vether0', '10.0.2.1/24');
    expect(labels(k, 'inet')).toContain('10.0.2.0/24 green');
    k.ifconfig.setRtlabel('vether0', '');
    k.ifconfig.deleteAddress('vether0', '10.0.2.1');
    expect(k.labels.names()).toEqual([]);
  });
});
