/**
 * `rtsock ifconfig gifN tunnel ...`: ifconfig(8)'s tunnel keywords and status line, current
 * (ifconfig.c 1.476) and 4.9 (ifconfig.c 1.246's keywords; settunnel and phys_status as 1.232).
 */
import { machine } from './route-env.js';

const HEAD = 'gif0: flags=8010<POINTOPOINT,MULTICAST> mtu 1280\n\tindex 2 priority 0 llprio 3\n'
  + '\tencap: txprio payload rxprio payload\n\tgroups: gif\n';
const HEAD_UP = HEAD.replace('8010<POINTOPOINT,MULTICAST>', '8051<UP,POINTOPOINT,RUNNING,MULTICAST>');

describe('rtsock ifconfig: gif tunnels (openbsd)', () => {
  const m = machine('openbsd');

  it('`tunnel SRC DST` sets the endpoints without bringing gif0 up; `tunnel:` line with ttl, df, ecn', () => {
    expect(m.sh('ifconfig gif0 create').status).toBe(0);
    expect(m.sh('ifconfig gif0').stdout).toBe(`${HEAD}\ttunnel: (unset) ttl 64 nodf ecn\n`);
    const r = m.sh('ifconfig gif0 tunnel 192.0.2.1 198.51.100.1');
    expect([r.status, r.stderr, r.stdout]).toEqual([0, '', '']);
    expect(m.sh('ifconfig gif0').stdout).toBe(`${HEAD}\ttunnel: inet 192.0.2.1 --> 198.51.100.1 ttl 64 nodf ecn\n`);
    // `ifconfig` without an interface lists it the same way.
    expect(m.sh('ifconfig').stdout).toContain('\ttunnel: inet 192.0.2.1 --> 198.51.100.1 ttl 64 nodf ecn\n');
  });

  it('a port is split off and dropped by gif; IPv6 endpoints without `inet6`; link-local scopes print as %ifname', () => {
    expect(m.sh('ifconfig gif0 tunnel 192.0.2.1:4789 198.51.100.1:4789').stderr).toBe('');
    expect(m.sh('ifconfig gif0').stdout).toMatch(/\ttunnel: inet 192\.0\.2\.1 --> 198\.51\.100\.1 ttl/);
    expect(m.sh('ifconfig gif0 tunnel fe80::1%gif0 2001:db8::2').stderr).toBe('');
    expect(m.sh('ifconfig gif0').stdout).toMatch(/\n\ttunnel: inet6 fe80::1%gif0 --> 2001:db8::2 ttl 64 nodf ecn\n$/);
  });

  it('tunnelttl, tunneldf, tunnelecn and their negations; tunneldomain prints rdomain', () => {
    expect(m.sh('ifconfig vether0 rdomain 5').status).toBe(0);
    expect(m.sh('ifconfig gif0 tunnelttl copy tunneldf -tunnelecn tunneldomain 5').stderr).toBe('');
    expect(m.sh('ifconfig gif0').stdout).toMatch(/\n\ttunnel: inet6 \S+ --> \S+ ttl copy df noecn rdomain 5\n$/);
    expect(m.sh('ifconfig gif0 tunnelttl 32 -tunneldf tunnelecn -tunneldomain').stderr).toBe('');
    expect(m.sh('ifconfig gif0').stdout).toMatch(/ ttl 32 nodf ecn\n$/);
  });

  it('gif0 in another rdomain prints its tunnel rdomain, 0 included', () => {
    expect(m.sh('ifconfig gif0 rdomain 5').status).toBe(0);
    expect(m.sh('ifconfig gif0').stdout).toMatch(/ rdomain 5 mtu 1280\n[^]*\ttunnel: inet6 .* ttl 32 nodf ecn rdomain 0\n$/);
    expect(m.sh('ifconfig gif0 -rdomain').status).toBe(0);
  });

  it('ioctl failures are warnings (status 0, later parameters still apply); bad arguments errx(1)', () => {
    const mc = m.sh('ifconfig gif0 tunnel 224.0.0.1 198.51.100.1 mtu 1400');
    expect([mc.status, mc.stderr]).toEqual([0, 'ifconfig: SIOCSLIFPHYADDR: Invalid argument\n']);
    expect(m.sh('ifconfig gif0').stdout).toMatch(/ mtu 1400\n/);
    const ttl0 = m.sh('ifconfig gif0 tunnelttl 0');
    expect([ttl0.status, ttl0.stderr]).toEqual([0, 'ifconfig: SIOCSLIFPHYTTL: Invalid argument\n']);
    const noTable = m.sh('ifconfig gif0 tunneldomain 9');
    expect([noTable.status, noTable.stderr]).toEqual([0, 'ifconfig: SIOCSLIFPHYRTABLE: Invalid argument\n']);
    const scope = m.sh('ifconfig gif0 tunnel fe80::1%99 fe80::2');
    expect([scope.status, scope.stderr]).toEqual([0, 'ifconfig: SIOCSLIFPHYADDR: Device not configured\n']);
    const addr = m.sh('ifconfig gif0 tunneladdr 192.0.2.7');
    expect([addr.status, addr.stderr]).toEqual([0, 'ifconfig: tunneladdr 192.0.2.7: Invalid argument\n']);
    const vether = m.sh('ifconfig vether0 tunnel 192.0.2.1 198.51.100.1');
    expect([vether.status, vether.stderr]).toEqual([0, 'ifconfig: SIOCSLIFPHYADDR: Inappropriate ioctl for device\n']);
    expect(m.sh('ifconfig vether0').stdout).not.toMatch(/tunnel/);

    const fam = m.sh('ifconfig gif0 tunnel 192.0.2.1 2001:db8::2');
    expect([fam.status, fam.stderr]).toEqual([1, 'ifconfig: source and destination address families do not match\n']);
    const name = m.sh('ifconfig gif0 tunnel gw.example 198.51.100.1');
    expect([name.status, name.stderr]).toEqual([1, 'ifconfig: error in parsing address string: name or service is not known\n']);
    const one = m.sh('ifconfig gif0 tunnel 192.0.2.1');
    expect([one.status, one.stderr]).toEqual([1, 'ifconfig: \'tunnel\' requires 2 arguments\n']);
    const big = m.sh('ifconfig gif0 tunneldomain 300');
    expect([big.status, big.stderr]).toEqual([1, 'ifconfig: rdomain 300: too large\n']);
    const ttl = m.sh('ifconfig gif0 tunnelttl many');
    expect([ttl.status, ttl.stderr]).toEqual([1, 'ifconfig: tunnelttl many: invalid\n']);
  });

  it('non-root: EPERM warnings', () => {
    const r = machine('openbsd', { RTSOCK_STATE: m.state, RTSOCK_UID: '1000' }).sh('ifconfig gif0 tunnel 192.0.2.5 198.51.100.5');
    expect([r.status, r.stderr]).toEqual([0, 'ifconfig: SIOCSLIFPHYADDR: Operation not permitted\n']);
    expect(m.sh('ifconfig gif0').stdout).not.toMatch(/192\.0\.2\.5/);
  });

  it('-tunnel clears the endpoints and the state file keeps it; deletetunnel is no current keyword', () => {
    expect(m.sh('ifconfig gif0 tunnel 192.0.2.1 198.51.100.1').stderr).toBe('');
    expect(m.sh('ifconfig gif0 -tunnel').stderr).toBe('');
    expect(m.sh('ifconfig gif0').stdout).toMatch(/\n\ttunnel: \(unset\) ttl 32 nodf ecn\n$/);
    // Taken for an address: in_getaddr's errx.
    expect(m.sh('ifconfig gif0 deletetunnel')).toMatchObject({ status: 1, stderr: 'ifconfig: deletetunnel: bad value\n' });
  });
});

describe('rtsock ifconfig: gif tunnels (openbsd-4.9)', () => {
  const m = machine('openbsd-4.9');
  // ifconfig.c 1.232's status: `priority:` where current prints the index line.
  const HEAD49 = 'gif0: flags=8010<POINTOPOINT,MULTICAST> mtu 1280\n\tpriority: 0\n\tgroups: gif\n';
  const HEAD49_UP = HEAD49.replace('8010<POINTOPOINT,MULTICAST>', '8051<UP,POINTOPOINT,RUNNING,MULTICAST>');

  it('`tunnel SRC DST` brings gif0 up, and if_up IPv6 (a link-local address); `physical address` only while one is set', () => {
    expect(m.sh('ifconfig gif0 create').status).toBe(0);
    expect(m.sh('ifconfig gif0').stdout).toBe(HEAD49);
    expect(m.sh('ifconfig gif0 tunnel 192.0.2.1 198.51.100.1').stderr).toBe('');
    // in6_if_up: no interface lends an identifier, so the random one's stand-in; no destination.
    const ll = /\tinet6 fe80::[0-9a-f:]+%gif0 ->  prefixlen 64 scopeid 0x2\n$/;
    const up = m.sh('ifconfig gif0').stdout;
    expect(up).toMatch(ll);
    expect(up.replace(ll, '')).toBe(`${HEAD49_UP}\tphysical address inet 192.0.2.1 --> 198.51.100.1\n`);
    expect(m.sh('ifconfig gif0 deletetunnel').stderr).toBe('');
    expect(m.sh('ifconfig gif0').stdout.replace(ll, '')).toBe(HEAD49_UP);
  });

  it('giftunnel is tunnel; IPv6 endpoints need `inet6` (getaddrinfo of the command\'s family); a link-local scope is not printed', () => {
    const v6 = m.sh('ifconfig gif0 tunnel 2001:db8::1 2001:db8::2');
    expect([v6.status, v6.stderr]).toEqual([1, 'ifconfig: error in parsing address string: name or service is not known\n']);
    expect(m.sh('ifconfig gif0 inet6 giftunnel fe80::1%gif0 2001:db8::2').stderr).toBe('');
    // phys_status ends status(): before the address lines printif prints after it.
    expect(m.sh('ifconfig gif0').stdout).toMatch(/\n\tphysical address inet6 fe80::1 --> 2001:db8::2\n\tinet6 fe80:/);
    // No ports in 4.9's settunnel: an address with one colon is no IPv4 address.
    expect(m.sh('ifconfig gif0 tunnel 192.0.2.1:1 198.51.100.1').status).toBe(1);
  });

  it('a pair gif1 has is EADDRNOTAVAIL (a warning); tunneldomain prints rdomain', () => {
    expect(m.sh('ifconfig gif1 tunnel 192.0.2.1 198.51.100.1').stderr).toBe('');
    const dup = m.sh('ifconfig gif0 tunnel 192.0.2.1 198.51.100.1');
    expect([dup.status, dup.stderr]).toEqual([0, 'ifconfig: SIOCSLIFPHYADDR: Can\'t assign requested address\n']);
    expect(m.sh('ifconfig vether0 rdomain 3').status).toBe(0);
    expect(m.sh('ifconfig gif1 tunneldomain 3').stderr).toBe('');
    expect(m.sh('ifconfig gif1').stdout).toMatch(/\n\tphysical address inet 192\.0\.2\.1 --> 198\.51\.100\.1 rdomain 3\n\tinet6 fe80:[^\n]*\n$/);
  });

  it('current\'s keywords are none of 4.9\'s', () => {
    expect(m.sh('ifconfig gif1 -tunnel').status).toBe(1);
    expect(m.sh('ifconfig gif1').stdout).toMatch(/physical address/);
  });
});
