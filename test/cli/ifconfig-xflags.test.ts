/**
 * ifconfig's setifxflags keywords: current's autoconf (by address family), temporary, soii,
 * monitor, mpls, wol and tcplro (ifconfig.c 1.476), 4.9's autoconfprivacy and -inet6, and its family word inet6
 * clearing IFXF_NOINET6 (1.232); both ioctls only warned about; the flags line shows the xflags
 * in current only.
 */
import { machine } from './route-env.js';

describe('rtsock ifconfig xflags (openbsd)', () => {
  const m = machine('openbsd');

  it('inet6 autoconf attaches IPv6 and sets AUTOCONF6 and AUTOCONF6TEMP; autoconf alone is IPv4\'s', () => {
    expect(m.sh('ifconfig vether0 inet6 autoconf')).toMatchObject({ status: 0, stderr: '' });
    const shown = m.sh('ifconfig vether0').stdout;
    expect(shown).toMatch(/^vether0: flags=248843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,AUTOCONF6TEMP,AUTOCONF6> mtu 1500\n/);
    expect(shown).toMatch(/\tinet6 fe80::fce1:baff:fed0:2%vether0 prefixlen 64 /);
    expect(m.sh('ifconfig vether0 autoconf -soii').status).toBe(0);
    expect(m.sh('ifconfig vether0').stdout).toMatch(/^vether0: flags=e48843<[^>]*AUTOCONF6TEMP,AUTOCONF6,INET6_NOSOII,AUTOCONF4>/);
    // -autoconf in inet6 clears AUTOCONF6 alone; -temporary the other.
    expect(m.sh('ifconfig vether0 inet6 -autoconf').status).toBe(0);
    expect(m.sh('ifconfig vether0 inet6 -temporary soii -autoconf').status).toBe(0);
    expect(m.sh('ifconfig vether0').stdout).toMatch(/^vether0: flags=808843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,AUTOCONF4> /);
  });

  it('autoconf brings a down interface up; monitor is a flag; the errx and warn texts', () => {
    expect(m.sh('ifconfig vether1 create').status).toBe(0);
    expect(m.sh('ifconfig vether1 autoconf monitor').status).toBe(0);
    expect(m.sh('ifconfig vether1').stdout).toMatch(/^vether1: flags=1808843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,AUTOCONF4,MONITOR> /);
    expect(m.sh('ifconfig vether1 temporary')).toMatchObject({ status: 1, stderr: 'ifconfig: temporary not allowed for this address family\n' });
    expect(m.sh('ifconfig foo0 soii')).toMatchObject({
      status: 0, stderr: 'ifconfig: foo0: SIOCGIFXFLAGS: Device not configured\nifconfig: foo0: SIOCSIFXFLAGS: Device not configured\n',
    });
    expect(m.sh('ifconfig vether1 -monitor').status).toBe(0);
    expect(m.sh('ifconfig vether1').stdout).not.toMatch(/MONITOR/);
  });

  it('mpls is a flag; wol and tcplro are refused (no interface here has the capability), warned, status 0', () => {
    expect(m.sh('ifconfig vether1 mpls')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('ifconfig vether1').stdout).toMatch(/^vether1: flags=[0-9a-f]+<[^>]*,MPLS,[^>]*> /);
    expect(m.sh('ifconfig vether1 wol')).toMatchObject({ status: 0, stderr: 'ifconfig: vether1: SIOCSIFXFLAGS: Not supported\n' });
    expect(m.sh('ifconfig vether1 tcplro -mpls')).toMatchObject({ status: 0, stderr: 'ifconfig: vether1: SIOCSIFXFLAGS: Not supported\n' });
    const shown = m.sh('ifconfig vether1').stdout.split('\n')[0]!;
    expect(shown).not.toMatch(/MPLS|WOL|LRO/);
    expect(m.sh('ifconfig vether1 -wol -tcplro')).toMatchObject({ status: 0, stderr: '' });
  });
});

describe('rtsock ifconfig xflags (openbsd-4.9)', () => {
  const m = machine('openbsd-4.9');

  it('autoconfprivacy needs inet6; the flags line shows no xflags; current\'s keywords are addresses', () => {
    expect(m.sh('ifconfig vether0 up')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('ifconfig vether0 autoconfprivacy')).toMatchObject({ status: 1, stderr: 'ifconfig: autoconfprivacy needs AF inet6, current AF is `inet\'\n' });
    expect(m.sh('ifconfig vether0 inet6 autoconfprivacy')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('ifconfig vether0').stdout).toMatch(/^vether0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> mtu 1500\n/);
    expect(m.sh('ifconfig vether0 autoconf')).toMatchObject({ status: 1, stderr: 'ifconfig: autoconf: bad value\n' });
    expect(m.sh('ifconfig foo0 inet6 -autoconfprivacy').stderr).toMatch(/\nifconfig: SIOCGIFXFLAGS: Device not configured\nifconfig: SIOCSIFXFLAGS: Device not configured\n$/);
  });

  it('up attaches IPv6 (in6_if_up); -inet6 is setifxflags(IFXF_NOINET6), and `inet6` with parameters clears it first', () => {
    const ll = /\n\tinet6 fe80::fce1:baff:fed0:3%vether1 prefixlen 64 [^\n]*scopeid 0x3\n/;
    expect(m.sh('ifconfig vether1 up').status).toBe(0);
    expect(m.sh('ifconfig vether1').stdout).toMatch(ll);
    expect(m.sh('ifconfig vether1 -inet6')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('ifconfig vether1').stdout).not.toMatch(/inet6/);
    expect(m.sh('ifconfig vether1 down up').status).toBe(0);
    expect(m.sh('ifconfig vether1').stdout).not.toMatch(/inet6/);
    expect(m.sh('ifconfig vether1 inet6 2001:db8::1/64')).toMatchObject({ status: 0, stderr: '' });
    const both = m.sh('ifconfig vether1').stdout;
    expect(both).toMatch(ll);
    expect(both).toMatch(/\n\tinet6 2001:db8::1 prefixlen 64/);
    const user = machine('openbsd-4.9', { RTSOCK_UID: '1000', RTSOCK_STATE: m.state });
    expect(user.sh('ifconfig vether1 -inet6')).toMatchObject({ status: 0, stderr: 'ifconfig: SIOCSIFXFLAGS: Operation not permitted\n' });
  });
});
