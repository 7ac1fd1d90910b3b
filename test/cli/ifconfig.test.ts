import { readFileSync, writeFileSync } from 'node:fs';
import { rtsock } from './run.js';
import { machine } from './route-env.js';

/** A fixed time for the kernel clock (RTSOCK_CLOCK) where a test needs to say when things happen. */
const T0 = 1_800_000_000;

/** What a command's status and stderr were. */
const res = (r: { status: number | null; stderr: string }) => [r.status, r.stderr];

describe('rtsock ifconfig', () => {
  const m = machine('openbsd');

  it('creates clonable interfaces on first use and prints them', () => {
    expect(m.sh('ifconfig lo10001 up rdomain 5 192.0.2.1/32').status).toBe(0);
    const r = m.sh('ifconfig lo10001');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('lo10001: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> rdomain 5 mtu 32768\n'
      + '\tindex 2 priority 0 llprio 3\n\tgroups: lo\n\tinet 192.0.2.1 netmask 0xffffffff\n');
    expect(m.sh('ifconfig lo5').stdout).toMatch(/^lo5: flags=8008<LOOPBACK,MULTICAST> rdomain 5 mtu 32768\n\tindex 3 /);
  });

  it('an address brings up its routes in the rdomain table; -alias removes them', () => {
    expect(m.sh('route -T 5 -n show -inet').stdout).toMatch(/^192\.0\.2\.1 +192\.0\.2\.1 +UHl +0 +0 32768 +1 lo10001$/m);
    expect(m.sh('ifconfig lo10001 192.0.2.9/32 alias').status).toBe(0);
    expect(m.sh('route -T 5 -n show -inet').stdout).toMatch(/^192\.0\.2\.9 /m);
    expect(m.sh('ifconfig lo10001 192.0.2.9 -alias').status).toBe(0);
    expect(m.sh('route -T 5 -n show -inet').stdout).not.toMatch(/^192\.0\.2\.9 /m);
  });

  it('vether: lladdr, mtu, broadcast address and connected routes', () => {
    expect(m.sh('ifconfig vether99 lladdr fe:e1:ba:d4:c8:1d mtu 1400 10.1.1.1/24').status).toBe(0);
    const r = m.sh('ifconfig vether99').stdout;
    expect(r).toMatch(/^vether99: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> mtu 1400\n\tlladdr fe:e1:ba:d4:c8:1d\n/);
    expect(r).toMatch(/\tinet 10\.1\.1\.1 netmask 0xffffff00 broadcast 10\.1\.1\.255\n/);
    const show = m.sh('route -n show -inet').stdout;
    expect(show).toMatch(/^10\.1\.1\/24 +10\.1\.1\.1 +UCn /m);
    expect(show).toMatch(/^10\.1\.1\.1 +fe:e1:ba:d4:c8:1d +UHLl /m);
    expect(show).toMatch(/^10\.1\.1\.255 +10\.1\.1\.1 +UHb /m);
    // in_status prints the mask with %x: a /0 is 0x0.
    expect(m.sh('ifconfig vether98 10.2.2.2/0').status).toBe(0);
    expect(m.sh('ifconfig vether98').stdout).toMatch(/\tinet 10\.2\.2\.2 netmask 0x0 broadcast 255\.255\.255\.255\n/);
    // (Its connected route is a default route: gone again before the egress group is tested.)
    expect(m.sh('ifconfig vether98 destroy').status).toBe(0);
  });

  it('inet6 eui64 attaches IPv6 (link-local) without another address', () => {
    expect(m.sh('ifconfig lo7 inet6 eui64').status).toBe(0);
    expect(m.sh('ifconfig lo7').stdout).toMatch(/\tinet6 fe80::1%lo7 prefixlen 64 scopeid 0x/);
    // ::1 has the destination ::1, which ifconfig prints (-->) only on a point-to-point interface.
    expect(m.sh('ifconfig lo0').stdout).toMatch(/\tinet6 ::1 prefixlen 128\n/);
    expect(m.sh('ifconfig lo7 -inet6').status).toBe(0);
    expect(m.sh('ifconfig lo7').stdout).not.toMatch(/inet6/);
  });

  it('-inet removes every IPv4 address and its routes, and keeps the rest; a missing interface only warns', () => {
    expect(m.sh('ifconfig vether77 10.77.1.1/24').status).toBe(0);
    expect(m.sh('ifconfig vether77 10.77.2.1/24 alias').status).toBe(0);
    expect(m.sh('ifconfig vether77 inet6 2001:db8:77::1/64').status).toBe(0);
    // removeaf runs as it is parsed; the address (setifaddr) is configured after the loop.
    const r = m.sh('ifconfig vether77 -inet 10.77.3.1/24');
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const shown = m.sh('ifconfig vether77').stdout;
    expect(shown.match(/\tinet .*/g)).toEqual(['\tinet 10.77.3.1 netmask 0xffffff00 broadcast 10.77.3.255']);
    expect(shown).toMatch(/\tinet6 2001:db8:77::1 prefixlen 64/);
    const show = m.sh('route -n show -inet').stdout;
    expect(show).not.toMatch(/^10\.77\.[12]\b/m);
    expect(show).toMatch(/^10\.77\.3\/24 +10\.77\.3\.1 +UCn /m);
    expect(m.sh('ifconfig vether77 -inet').status).toBe(0);
    expect(m.sh('ifconfig vether77').stdout).not.toMatch(/\tinet /);
    // removeaf warn()s: status 0, the interface named (a missing lo interface is created first,
    // so take a name no driver clones).
    expect(m.sh('ifconfig nosuch0 -inet')).toMatchObject({ status: 0, stderr: 'ifconfig: nosuch0: SIOCIFAFDETACH: Device not configured\n' });
  });

  it('debug, -arp, staticarp and link0-2 set their flags (setifflags), `arp` and `-debug` clear them', () => {
    expect(m.sh('ifconfig vether78 up debug -arp staticarp link0 link2').status).toBe(0);
    expect(m.sh('ifconfig vether78').stdout).toMatch(/^vether78: flags=d8e7<UP,BROADCAST,DEBUG,STATICARP,RUNNING,NOARP,SIMPLEX,LINK0,LINK2,MULTICAST> mtu 1500\n/);
    expect(m.sh('ifconfig vether78 -debug arp -staticarp -link0 link1 -link2').status).toBe(0);
    expect(m.sh('ifconfig vether78').stdout).toMatch(/^vether78: flags=a843<UP,BROADCAST,RUNNING,SIMPLEX,LINK1,MULTICAST> mtu 1500\n/);
    // setifflags err()s on a missing interface (a name no driver clones).
    expect(m.sh('ifconfig nosuch0 debug')).toMatchObject({ status: 1, stderr: 'ifconfig: nosuch0: SIOCGIFFLAGS: Device not configured\n' });
    const user = machine('openbsd', { RTSOCK_UID: '1000', RTSOCK_STATE: m.state });
    expect(user.sh('ifconfig vether78 debug')).toMatchObject({ status: 1, stderr: 'ifconfig: vether78: SIOCSIFFLAGS: Operation not permitted\n' });
  });

  it('a word that is no address: in_getaddr\'s "bad value", in6_getaddr\'s gai_strerror; inet_aton\'s short forms are addresses', () => {
    for (const [args, stderr] of [
      ['vether79 staticarpx', 'ifconfig: staticarpx: bad value\n'],
      ['vether79 10.0.0.1/33', 'ifconfig: 10.0.0.1/33: bad value\n'],
      ['vether79 inet6 nosuchhost', 'ifconfig: nosuchhost: name or service is not known\n'],
      // The destination (setifdstaddr) and `broadcast` (setifbroadaddr) go through the same
      // af_getaddr with DSTADDR: in_getaddr's "bad value", in6_getaddr's gai_strerror, whole
      // words (only ADDR splits a /prefixlen off).
      ['vether79 10.0.0.1 10.0.0.2/32', 'ifconfig: 10.0.0.2/32: bad value\n'],
      ['vether79 broadcast nosuchhost', 'ifconfig: nosuchhost: bad value\n'],
      ['vether79 inet6 2001:db8:79::1 nosuchhost', 'ifconfig: nosuchhost: name or service is not known\n'],
      ['vether79 inet6 2001:db8:79::1 2001:db8:79::2/128', 'ifconfig: 2001:db8:79::2/128: name or service is not known\n'],
      ['vether79 inet6 broadcast nosuchhost', 'ifconfig: nosuchhost: name or service is not known\n'],
      // Without `inet6` first the family is inet, whatever the text: in_getaddr refuses IPv6.
      ['vether79 2001:db8:79::1/64', 'ifconfig: 2001:db8:79::1/64: bad value\n'],
      ['vether79 fe80::1', 'ifconfig: fe80::1: bad value\n'],
      ['vether79 10.0.0.1 2001:db8:79::2', 'ifconfig: 2001:db8:79::2: bad value\n'],
    ] as const) {
      expect(m.sh(`ifconfig ${args}`)).toMatchObject({ status: 1, stderr });
    }
    // in_getaddr runs as the word is parsed: what came before it (setifmtu's ioctl) was done.
    expect(m.sh('ifconfig vether79 mtu 1400 bogus').status).toBe(1);
    expect(m.sh('ifconfig vether79').stdout).toMatch(/ mtu 1400\n/);
    expect(m.sh('ifconfig vether79 10.79.1').status).toBe(0);
    expect(m.sh('ifconfig vether79').stdout).toMatch(/\tinet 10\.79\.0\.1 netmask 0xff000000 /);
    // The destination slot and `broadcast` are inet_aton's too (a.b.c, hex). On a broadcast
    // interface the kernel then sets the broadcast address from the mask (in_ifinit).
    expect(res(m.sh('ifconfig vether80 10.80.0.1/16 10.80.65535'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig vether80 10.80.0.1/16 broadcast 0x0a50ffff'))).toEqual([0, '']);
    expect(m.sh('ifconfig vether80').stdout).toMatch(/\tinet 10\.80\.0\.1 netmask 0xffff0000 broadcast 10\.80\.255\.255\n/);
    expect(m.sh('ifconfig vether79 10.79/16').status).toBe(0);
    expect(m.sh('ifconfig vether79').stdout).toMatch(/\tinet 10\.79\.0\.0 netmask 0xffff0000 /);
  });

  it('broadcast and the word after the address share ifra_dstaddr: a destination on gif, a broadcast address on vether', () => {
    expect(m.sh('ifconfig vether80 10.80.0.1/24').status).toBe(0);
    // Re-stated without a mask: nothing is re-initialised (the /24 stays), the broadcast address is copied in.
    expect(m.sh('ifconfig vether80 10.80.0.1 alias broadcast 10.80.0.127').stderr).toBe('');
    expect(m.sh('ifconfig vether80').stdout).toMatch(/\tinet 10\.80\.0\.1 netmask 0xffffff00 broadcast 10\.80\.0\.127\n/);
    expect(m.sh('route -n show -inet').stdout).toMatch(/^10\.80\.0\.255 +10\.80\.0\.1 +UHb /m);
    // A new address: in_ifinit computes the broadcast address, whatever was given (the last of
    // the word after the address and `broadcast` counts).
    expect(m.sh('ifconfig vether80 10.81.0.1/16 alias 10.81.0.7 broadcast 10.81.0.9').stderr).toBe('');
    expect(m.sh('ifconfig vether80 10.81.0.1/16 alias broadcast 10.81.0.9 10.81.0.7').stderr).toBe('');
    expect(m.sh('ifconfig vether80').stdout).toMatch(/\tinet 10\.81\.0\.1 netmask 0xffff0000 broadcast 10\.81\.255\.255\n/);
    expect(m.sh('ifconfig gif80 10.82.0.1 broadcast 10.82.0.2').status).toBe(0);
    expect(m.sh('ifconfig gif80').stdout).toMatch(/\tinet 10\.82\.0\.1 --> 10\.82\.0\.2 netmask 0xff000000\n/);
    expect(m.sh('ifconfig vether80 broadcast nowhere')).toMatchObject({ status: 1, stderr: 'ifconfig: nowhere: bad value\n' });
    expect(m.sh('ifconfig vether80 broadcast')).toMatchObject({ status: 1, stderr: "ifconfig: 'broadcast' requires argument\n" });
  });

  it('metric N (setifmetric): shown after the flags, strtonum\'s errx, kept by the state file', () => {
    expect(m.sh('ifconfig vether81 metric 12 up').status).toBe(0);
    expect(m.sh('ifconfig vether81').stdout).toMatch(/^vether81: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 12 mtu 1500\n/);
    expect(m.sh('ifconfig vether81 metric -1')).toMatchObject({ status: 1, stderr: 'ifconfig: metric -1: too small\n' });
    expect(m.sh('ifconfig vether81 metric 0').status).toBe(0);
    expect(m.sh('ifconfig vether81').stdout).toMatch(/^vether81: flags=8843<[A-Z,]+> mtu 1500\n/);
  });

  it('group / -group (setifgroup, unsetifgroup) and the egress group of default routes in `groups:`', () => {
    expect(m.sh('ifconfig vether82 10.84.0.1/24 group dmz').status).toBe(0);
    expect(m.sh('ifconfig vether82').stdout).toMatch(/\tgroups: vether dmz\n/);
    expect(m.sh('ifconfig vether82 group dmz').status).toBe(0); // EEXIST let pass
    expect(m.sh('ifconfig vether82 group dmz1')).toMatchObject({ status: 1, stderr: 'ifconfig: setifgroup: group names may not end in a digit\n' });
    expect(m.sh('ifconfig vether82 group verylonggroupname')).toMatchObject({ status: 1, stderr: 'ifconfig: setifgroup: group name too long\n' });
    expect(m.sh('ifconfig vether82 -group nothere')).toMatchObject({ status: 1, stderr: 'ifconfig: nothere: SIOCDIFGROUP: No such file or directory\n' });
    expect(m.sh('route -T 0 add default 10.84.0.2').status).toBe(0);
    expect(m.sh('ifconfig vether82').stdout).toMatch(/\tgroups: vether dmz egress\n/);
    expect(m.sh('ifconfig vether82 -group dmz -group vether').status).toBe(0);
    expect(m.sh('ifconfig vether82').stdout).toMatch(/\tgroups: egress\n/);
    expect(m.sh('route -T 0 delete default').status).toBe(0);
    // Only `all` is left: no groups line.
    expect(m.sh('ifconfig vether82').stdout).not.toMatch(/groups:/);
  });

  it('vlan with vnetid and parent; its media are the parent\'s (vlan_media_get), none without one', () => {
    expect(m.sh('ifconfig vlan98 create').status).toBe(0);
    expect(m.sh('ifconfig vlan98').stdout).toMatch(/\tgroups: vlan\n\tstatus: no carrier\n$/);
    expect(m.sh('ifconfig vlan99 vnetid 99 parent vether99 up').status).toBe(0);
    expect(m.sh('ifconfig vlan99').stdout).toMatch(/\tencap: vnetid 99 parent vether99 [^\n]*\n\tgroups: vlan\n\tmedia: Ethernet autoselect\n\tstatus: active\n$/);
    expect(m.sh('ifconfig vlan98 destroy').status).toBe(0);
  });

  it('destroy removes the interface; errors are one line and status 1', () => {
    expect(m.sh('ifconfig vlan99 destroy').status).toBe(0);
    const r = m.sh('ifconfig vlan99');
    // printif's fprintf(stderr, "%s: no such interface\n"): no program name.
    expect(r.stderr).toBe('vlan99: no such interface\n');
    expect(r.status).toBe(1);
    const perm = m.run('ifconfig', 'lo10001', 'down');
    expect(perm.status).toBe(0);
    const bad = m.sh('ifconfig lo0 destroy');
    expect(bad.stderr).toBe('ifconfig: lo0: SIOCIFDESTROY: Operation not permitted\n');
    expect(bad.status).toBe(1);
  });
});

describe.each(['openbsd', 'openbsd-4.9'] as const)('rtsock ifconfig: rtlabel (%s)', (dialect) => {
  const m = machine(dialect);

  it('address routes made after `rtlabel` carry the label (route get shows it); -rtlabel clears it', () => {
    expect(m.sh('ifconfig vether3 rtlabel green 10.3.0.1/24').status).toBe(0);
    expect(m.sh('route -n get 10.3.0.0/24').stdout).toMatch(/^ +label: green$/m);
    expect(m.sh('ifconfig vether3 -rtlabel 10.3.1.1/24 alias').status).toBe(0);
    expect(m.sh('route -n get 10.3.1.0/24').stdout).not.toMatch(/label:/);
    expect(m.sh('route -n get 10.3.0.0/24').stdout).toMatch(/^ +label: green$/m);
  });

  it('failures are warnings, as setifrtlabel warn()s: the other parameters still apply, status 0', () => {
    const long = m.sh(`ifconfig vether3 rtlabel ${'x'.repeat(32)} mtu 1400`);
    expect(long.stderr).toBe('ifconfig: SIOCSIFRTLABEL: File name too long\n');
    expect(long.status).toBe(0);
    expect(m.sh('ifconfig vether3').stdout).toMatch(/ mtu 1400\n/);
    const user = machine(dialect, { RTSOCK_UID: '1000', RTSOCK_STATE: m.state });
    const perm = user.sh('ifconfig vether3 rtlabel blue');
    expect(perm.stderr).toBe('ifconfig: SIOCSIFRTLABEL: Operation not permitted\n');
    expect(perm.status).toBe(0);
    expect(m.sh('ifconfig vether3 rtlabel').stderr).toBe("ifconfig: 'rtlabel' requires argument\n");
  });
});

describe.each(['openbsd', 'openbsd-4.9'] as const)('rtsock ifconfig: point-to-point gif (%s)', (dialect) => {
  const m = machine(dialect);
  const show = () => m.sh('route -n show -inet').stdout.split('\n').filter((l) => / gif0 *$/.test(l));
  const l = dialect === 'openbsd' ? 'l' : '';
  // phys_status: current prints the unset tunnel with its defaults; 4.9 nothing while none is set.
  const tunnel = dialect === 'openbsd' ? '\ttunnel: (unset) ttl 64 nodf ecn\n' : '';
  // 4.9's ifioctl runs in6_if_up once the address brought gif0 up: a link-local address, its
  // identifier the random one's stand-in (no interface lends one), no destination.
  const linkLocal = dialect === 'openbsd' ? '' : '\tinet6 fe80::844c:2341:f6d0:8b45%gif0 ->  prefixlen 64 scopeid 0x2\n';
  // status: current's `index ... llprio` line; 1.232's `priority:` line.
  const index = dialect === 'openbsd' ? '\tindex 2 priority 0 llprio 3\n' : '\tpriority: 0\n';
  // getencap: current's gif answers SIOCGTXHPRIO / SIOCGRXHPRIO (gif_clone_create's IF_HDRPRIO_PAYLOAD).
  const encap = dialect === 'openbsd' ? '\tencap: txprio payload rxprio payload\n' : '';

  it('create prints the down interface: no lladdr, media or status line', () => {
    expect(m.sh('ifconfig gif0 create').status).toBe(0);
    expect(m.sh('ifconfig gif0').stdout).toBe('gif0: flags=8010<POINTOPOINT,MULTICAST> mtu 1280\n'
      + `${index}${encap}\tgroups: gif\n${tunnel}`);
  });

  it('address and dest_address: `-->` line, UP and RUNNING, the local and destination routes', () => {
    const r = m.sh('ifconfig gif0 10.0.0.1 10.0.0.2 netmask 0xffffffff');
    expect(r.stderr).toBe('');
    expect(m.sh('ifconfig gif0').stdout).toBe('gif0: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> mtu 1280\n'
      + `${index}${encap}\tgroups: gif\n${tunnel}\tinet 10.0.0.1 --> 10.0.0.2 netmask 0xffffffff\n${linkLocal}`);
    expect(show()).toEqual([
      `10.0.0.1           10.0.0.1           ${`UH${l}`.padEnd(10)} 0        0     -     1 gif0 `,
      '10.0.0.2           10.0.0.1           UH         0        0     -     8 gif0 ',
    ]);
  });

  it('without netmask the classful mask; a new destination replaces the host route', () => {
    expect(m.sh('ifconfig gif0 10.0.0.1 10.0.0.3').status).toBe(0);
    expect(m.sh('ifconfig gif0').stdout).toMatch(/\tinet 10\.0\.0\.1 --> 10\.0\.0\.3 netmask 0xff000000\n(\ttunnel: .*\n)?$/);
    expect(show().map((x) => x.split(/ +/)[0])).toEqual(['10.0.0.1', '10.0.0.3']);
  });

  it('a gateway equal to the destination routes through gif0', () => {
    expect(m.sh('route -n add 192.168.5.0/24 10.0.0.3').status).toBe(0);
    expect(show()).toContain('192.168.5/24       10.0.0.3           UGS        0        0     -     8 gif0 ');
    const get = m.sh('route -n get 192.168.5.1').stdout;
    expect(get).toMatch(/  interface: gif0\n if address: 10\.0\.0\.1\n/);
  });

  it('grammar errors: a third address and a destination with a length are bad values', () => {
    const third = m.sh('ifconfig gif0 10.0.0.1 10.0.0.2 10.0.0.4');
    expect([third.status, third.stderr]).toEqual([1, 'ifconfig: 10.0.0.4: bad value\n']);
    const len = m.sh('ifconfig gif0 10.0.0.1 10.0.0.2/24');
    expect([len.status, len.stderr]).toEqual([1, 'ifconfig: 10.0.0.2/24: bad value\n']);
    // setifmtu only warns when the ioctl fails: status 0.
    const mtu = m.sh('ifconfig gif0 mtu 1000');
    expect([mtu.status, mtu.stderr]).toEqual([0, 'ifconfig: SIOCSIFMTU: Invalid argument\n']);
  });

  it('delete takes both routes and the route selected onto the address', () => {
    expect(m.sh('ifconfig gif0 10.0.0.1 delete').status).toBe(0);
    expect(show()).toEqual([]);
    expect(m.sh('ifconfig gif0').stdout).not.toMatch(/\tinet /);
  });
});

describe.each(['openbsd', 'openbsd-4.9'] as const)('rtsock ifconfig: IPv6 on point-to-point gif (%s)', (dialect) => {
  // The kernel's clock is the test's (RTSOCK_CLOCK): current's `inet6` attaches the link-local
  // address first, which brings gif0 up, so the address after it is tentative until DAD's
  // verdict a second later; `settle` lets that second pass before the output is read.
  const m = machine(dialect, { RTSOCK_CLOCK: String(T0) });
  const settle = () => { m.env['RTSOCK_CLOCK'] = String(Number(m.env['RTSOCK_CLOCK']) + 1); };
  const show = () => m.sh('route -n show -inet6').stdout.split('\n').filter((l) => / gif0 *$/.test(l) && l.startsWith('2001:'));
  const l = dialect === 'openbsd' ? 'l' : '';
  // in6_alias's arrow: current `-->`, 1.232 `->`; status's index line and current's encap line as above.
  const to = dialect === 'openbsd' ? '-->' : '->';
  const index = dialect === 'openbsd' ? '\tindex 2 priority 0 llprio 3\n\tencap: txprio payload rxprio payload\n' : '\tpriority: 0\n';

  it('inet6 address and dest_address with prefixlen 128: `inet6 A --> B prefixlen 128` (1.232: `->`), the link-local address `-->` nothing', () => {
    const r = m.sh('ifconfig gif0 inet6 2001:db8::1 2001:db8::2 prefixlen 128');
    expect([r.status, r.stderr]).toEqual([0, '']);
    const ll = `\tinet6 fe80::[0-9a-f:]+%gif0 ${to}  prefixlen 64 scopeid 0x2\n`;
    if (dialect === 'openbsd') {
      expect(m.sh('ifconfig gif0').stdout).toMatch(/\tinet6 2001:db8::1 --> 2001:db8::2 prefixlen 128 tentative\n(\ttunnel: .*\n)?$/);
    } else {
      // 4.9: `inet6` clears IFXF_NOINET6 (not set: nothing more); SIOCAIFADDR_IN6 finds gif0 down
      // (not tentative), and ifioctl's in6_if_up adds the link-local address after it.
      expect(m.sh('ifconfig gif0').stdout).toMatch(new RegExp(`\tinet6 2001:db8::1 -> 2001:db8::2 prefixlen 128\n${ll}$`));
    }
    settle();
    const out = m.sh('ifconfig gif0').stdout;
    expect(out.startsWith(`gif0: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> mtu 1280\n${index}\tgroups: gif\n`)).toBe(true);
    // lo0 lends no identifier: the link-local address has the random one's stand-in
    if (dialect === 'openbsd') expect(out).toMatch(new RegExp(`\n${ll}\tinet6 2001:db8::1 --> 2001:db8::2 prefixlen 128\n(\ttunnel: .*\n)?$`));
    expect(show().map((x) => x.replace(/ +/g, ' '))).toEqual([
      `2001:db8::1 2001:db8::1 UH${l} 0 0 - 1 gif0 `, '2001:db8::2 2001:db8::1 UH 0 0 - 8 gif0 ',
    ]);
  });

  it('without prefixlen a destination on a point-to-point interface means /128 (setipdst); an address is not deleted first', () => {
    expect(m.sh('ifconfig gif0 inet6 2001:db8::5 2001:db8::6').stderr).toBe('');
    settle();
    expect(m.sh('ifconfig gif0').stdout).toContain(`\tinet6 2001:db8::5 ${to} 2001:db8::6 prefixlen 128\n`);
    // the same address and destination again: in6_ifinit's host route is there
    const again = m.sh('ifconfig gif0 inet6 2001:db8::5 2001:db8::6');
    expect([again.status, again.stderr]).toEqual([1, 'ifconfig: SIOCAIFADDR: File exists\n']);
    // a new destination moves the host route; the address stays
    expect(m.sh('ifconfig gif0 inet6 2001:db8::5 2001:db8::7').status).toBe(0);
    expect(show().map((x) => x.split(/ +/)[0])).toEqual(['2001:db8::1', '2001:db8::2', '2001:db8::5', '2001:db8::7']);
  });

  it('a link-local destination takes its scope from `%ifname`; another interface\'s is EINVAL', () => {
    expect(m.sh('ifconfig gif0 inet6 2001:db8::8 fe80::8%gif0').stderr).toBe('');
    settle();
    expect(m.sh('ifconfig gif0').stdout).toContain(`\tinet6 2001:db8::8 ${to} fe80::8%gif0 prefixlen 128\n`);
    const other = m.sh('ifconfig gif0 inet6 2001:db8::9 fe80::9%lo0');
    expect([other.status, other.stderr]).toEqual([1, 'ifconfig: SIOCAIFADDR: Invalid argument\n']);
  });

  it('a destination with another prefix length, or on an Ethernet interface, is EINVAL', () => {
    const p64 = m.sh('ifconfig gif0 inet6 2001:db8::a 2001:db8::b prefixlen 64');
    expect([p64.status, p64.stderr]).toEqual([1, 'ifconfig: SIOCAIFADDR: Invalid argument\n']);
    const ether = m.sh('ifconfig vether0 inet6 2001:db8:1::1 2001:db8:1::2');
    expect([ether.status, ether.stderr]).toEqual([1, 'ifconfig: SIOCAIFADDR: Invalid argument\n']);
  });

  it('-alias and delete take the host route and the local route', () => {
    expect(m.sh('ifconfig gif0 inet6 2001:db8::5 -alias').status).toBe(0);
    expect(m.sh('ifconfig gif0 inet6 delete 2001:db8::8').status).toBe(0);
    expect(show().map((x) => x.split(/ +/)[0])).toEqual(['2001:db8::1', '2001:db8::2']);
    const gone = m.sh('ifconfig gif0 inet6 2001:db8::5 delete');
    expect([gone.status, gone.stderr]).toEqual([1, 'ifconfig: SIOCDIFADDR: Can\'t assign requested address\n']);
    expect(m.sh('ifconfig gif0').stdout).not.toMatch(/2001:db8::5/);
  });
});

describe('rtsock ifconfig priority, llprio and numeric arguments', () => {
  const m = machine('openbsd');

  it('priority N: address routes made afterwards take it (UCn at 4 + N), RTM_ADD\'s default 8 + N; ifconfig prints it', () => {
    const r = m.sh('ifconfig vether7 priority 5 llprio 6 10.7.7.1/24');
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(m.sh('ifconfig vether7').stdout).toMatch(/\tindex \d+ priority 5 llprio 6\n/);
    expect(m.sh('route -n add 172.17/16 10.7.7.9').status).toBe(0);
    const show = m.sh('route -n show -inet').stdout;
    expect(show).toMatch(/^10\.7\.7\/24 +10\.7\.7\.1 +UCn +\d+ +\d+ +- +9 vether7 *$/m);
    expect(show).toMatch(/^172\.17\/16 +10\.7\.7\.9 +UGS +\d+ +\d+ +- +13 vether7 *$/m);
  });

  it('strtonum errors are fatal: priority 0..15, llprio 0..255, mtu 0..INT_MAX, rdomain 0..255, prefix lengths by family', () => {
    const cases: [string, string][] = [
      ['ifconfig vether7 priority 16', 'ifconfig: priority 16: too large\n'],
      ['ifconfig vether7 priority x', 'ifconfig: priority x: invalid\n'],
      ['ifconfig vether7 llprio 256', 'ifconfig: llprio 256: too large\n'],
      ['ifconfig vether7 mtu 99999999999', 'ifconfig: mtu 99999999999: too large\n'],
      ['ifconfig vether7 mtu -5', 'ifconfig: mtu -5: too small\n'],
      ['ifconfig vether7 rdomain -1', 'ifconfig: rdomain -1: too small\n'],
      ['ifconfig vether7 rdomain 256', 'ifconfig: rdomain 256: too large\n'],
      ['ifconfig vether7 10.7.8.1 prefixlen 33', 'ifconfig: prefix 33: too large\n'],
      ['ifconfig vether7 inet6 2001:db8::1 prefixlen 129', 'ifconfig: prefix 129: too large\n'],
      ['ifconfig vether7 inet6 2001:db8::1/200', 'ifconfig: prefix 200: too large\n'],
      ['ifconfig vether7 inet6 2001:db8::1/x', 'ifconfig: prefix x: invalid\n'],
    ];
    for (const [line, err] of cases) {
      const r = m.sh(line);
      expect([line, r.status, r.stderr]).toEqual([line, 1, err]);
    }
  });

  it('a failed priority, llprio, mtu or rdomain ioctl is a warning: the other parameters still apply', () => {
    const r = m.sh('ifconfig vether7 llprio 8 mtu 1300 priority 2');
    expect([r.status, r.stderr]).toEqual([0, 'ifconfig: SIOCSIFLLPRIO: Invalid argument\n']);
    expect(m.sh('ifconfig vether7').stdout).toMatch(/ mtu 1300\n[^]*\tindex \d+ priority 2 llprio 6\n/);
    const user = machine('openbsd', { RTSOCK_UID: '1000' });
    const u = user.sh('ifconfig lo0 priority 3 mtu 1500');
    expect([u.status, u.stderr]).toEqual([0, 'ifconfig: SIOCSIFPRIORITY: Operation not permitted\nifconfig: SIOCSIFMTU: Operation not permitted\n']);
    expect(user.sh('ifconfig lo0').stdout).toMatch(/ mtu 32768\n\tindex 1 priority 0 llprio 3\n/);
  });

  it('4.9 has no llprio (no keyword in 1.246, no SIOCSIFLLPRIO); its connected routes keep RTP_CONNECTED whatever the interface priority', () => {
    const old = machine('openbsd-4.9');
    const bad = old.sh('ifconfig vether7 llprio 5');
    expect([bad.status, bad.stderr]).toEqual([1, 'ifconfig: llprio: bad value\n']);
    const r = old.sh('ifconfig vether7 priority 5 10.7.7.1/24');
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(old.sh('ifconfig vether7').stdout).toMatch(/\n\tpriority: 5\n/);
    expect(old.sh('route -n show -inet').stdout).toMatch(/^10\.7\.7\/24 +10\.7\.7\.1 +UC? +\d+ +\d+ +- +4 vether7 *$/m);
  });
});

describe('rtsock ifconfig: words a dialect\'s cmds[] lacks are addresses (4.9: 1.246 and 1.232; current: 1.476)', () => {
  it('4.9 has no -rdomain and no -inet: the first is the address (bad value), the second the destination (bad value too)', () => {
    const old = machine('openbsd-4.9');
    expect(res(old.sh('ifconfig vether7 rdomain 5'))).toEqual([0, '']);
    expect(res(old.sh('ifconfig vether7 -rdomain'))).toEqual([1, 'ifconfig: -rdomain: bad value\n']);
    expect(old.sh('ifconfig vether7').stdout).toMatch(/^vether7: [^\n]* rdomain 5 mtu /);
    // `rdomain 0` is 4.9's way back.
    expect(res(old.sh('ifconfig vether7 rdomain 0'))).toEqual([0, '']);
    expect(old.sh('ifconfig vether7').stdout).not.toMatch(/rdomain/);
    expect(res(old.sh('ifconfig vether7 10.7.7.1/24'))).toEqual([0, '']);
    expect(res(old.sh('ifconfig vether7 -inet'))).toEqual([1, 'ifconfig: -inet: bad value\n']);
    expect(res(old.sh('ifconfig vether7 10.7.8.1/24 -inet'))).toEqual([1, 'ifconfig: -inet: bad value\n']);
    expect(old.sh('ifconfig vether7').stdout.match(/\tinet .*/g)).toEqual(['\tinet 10.7.7.1 netmask 0xffffff00 broadcast 10.7.7.255']);
  });

  it('current has -rdomain (unsetrdomain) and -inet (removeaf)', () => {
    const m = machine('openbsd');
    expect(res(m.sh('ifconfig vether7 rdomain 5 10.7.7.1/24'))).toEqual([0, '']);
    expect(m.sh('ifconfig vether7').stdout).toMatch(/^vether7: [^\n]* rdomain 5 mtu /);
    expect(res(m.sh('ifconfig vether7 -rdomain -inet'))).toEqual([0, '']);
    const shown = m.sh('ifconfig vether7').stdout;
    expect(shown).not.toMatch(/rdomain|\tinet /);
  });

  it.each(['openbsd', 'openbsd-4.9'] as const)('%s: `inet` and `inet6` are a family only as the first parameter (main\'s afs[]); later, addresses', (dialect) => {
    const m = machine(dialect);
    // Later in the line neither is in cmds[]: setifaddr, then setifdstaddr, with in_getaddr's errx.
    expect(res(m.sh('ifconfig vether8 up inet 10.8.0.1/24'))).toEqual([1, 'ifconfig: inet: bad value\n']);
    expect(m.sh('ifconfig vether8').stdout).toMatch(/^vether8: flags=\d+<UP,/); // `up` ran before the errx
    expect(res(m.sh('ifconfig vether8 10.8.0.1/24 inet6'))).toEqual([1, 'ifconfig: inet6: bad value\n']);
    expect(m.sh('ifconfig vether8').stdout).not.toMatch(/\tinet /);
    // First, the family: the address is read as that family's.
    expect(res(m.sh('ifconfig vether8 inet 10.8.0.1/24'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig vether8 inet6 2001:db8:8::1/64'))).toEqual([0, '']);
    const shown = m.sh('ifconfig vether8').stdout;
    expect(shown).toMatch(/\tinet 10\.8\.0\.1 netmask 0xffffff00 /);
    expect(shown).toMatch(/\tinet6 2001:db8:8::1 prefixlen 64/);
    // `create` right after the family is still main's special case (nothing else runs then).
    expect(res(m.sh('ifconfig vlan8 inet6 create'))).toEqual([0, '']);
    expect(m.sh('ifconfig vlan8').stdout).toMatch(/^vlan8: flags=/);
    expect(m.sh('ifconfig vlan8').stdout).not.toMatch(/\tinet6 fe80::/);
  });

  it.each(['openbsd', 'openbsd-4.9'] as const)('%s: `remove` is no keyword (FreeBSD\'s -alias): the destination, a bad one', (dialect) => {
    const m = machine(dialect);
    expect(res(m.sh('ifconfig vether7 10.7.7.1/24'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig vether7 10.7.7.1 remove'))).toEqual([1, 'ifconfig: remove: bad value\n']);
    expect(res(m.sh('ifconfig vether7 remove'))).toEqual([1, 'ifconfig: remove: bad value\n']);
    expect(m.sh('ifconfig vether7').stdout).toMatch(/\tinet 10\.7\.7\.1 netmask 0xffffff00/);
    expect(res(m.sh('ifconfig vether7 10.7.7.1 -alias'))).toEqual([0, '']);
    expect(m.sh('ifconfig vether7').stdout).not.toMatch(/\tinet /);
  });
});

describe('rtsock ifconfig description', () => {
  const m = machine('openbsd');

  it('description TEXT is printed after lladdr; -description clears it; a long one is a warning', () => {
    expect(m.run('ifconfig', 'vether8', 'description', 'uplink to the core', 'up').status).toBe(0);
    expect(m.sh('ifconfig vether8').stdout).toMatch(/^vether8: [^\n]*\n\tlladdr [0-9a-f:]+\n\tdescription: uplink to the core\n\tindex /);
    const long = m.run('ifconfig', 'vether8', 'descr', 'x'.repeat(64), 'mtu', '1400');
    expect([long.status, long.stderr]).toEqual([0, 'ifconfig: SIOCSIFDESCR: File name too long\n']);
    const after = m.sh('ifconfig vether8').stdout;
    expect(after).toMatch(/ mtu 1400\n/);
    expect(after).toMatch(/\tdescription: uplink to the core\n/);
    expect(m.sh('ifconfig vether8 -description').status).toBe(0);
    expect(m.sh('ifconfig vether8').stdout).not.toMatch(/description/);
  });
});

describe('rtsock ifconfig: which failures end it (err) and which are warnings (warn), as ifconfig.c 1.472', () => {
  const m = machine('openbsd');
  const user = machine('openbsd', { RTSOCK_UID: '1000' });

  it('an interface that is not there: SIOCGIFFLAGS for up/down, warnings for the rest, SIOCDIFADDR before an address', () => {
    expect(res(m.sh('ifconfig nosuch0 up'))).toEqual([1, 'ifconfig: nosuch0: SIOCGIFFLAGS: Device not configured\n']);
    expect(res(m.sh('ifconfig nosuch0 mtu 1500 priority 2'))).toEqual(
      [0, 'ifconfig: SIOCSIFMTU: Device not configured\nifconfig: SIOCSIFPRIORITY: Device not configured\n']);
    expect(res(m.sh('ifconfig nosuch0 10.9.9.1/24'))).toEqual([1, 'ifconfig: SIOCDIFADDR: Device not configured\n']);
    expect(res(m.sh('ifconfig nosuch0 10.9.9.1/24 alias'))).toEqual([1, 'ifconfig: SIOCAIFADDR: Device not configured\n']);
    expect(res(m.sh('ifconfig nosuch0 destroy'))).toEqual([1, 'ifconfig: nosuch0: SIOCIFDESTROY: Device not configured\n']);
    expect(m.sh('ifconfig nosuch0').stderr).toBe('nosuch0: no such interface\n');
  });

  it('create and destroy name the interface; an existing one is EEXIST', () => {
    expect(res(m.sh('ifconfig lo0 create'))).toEqual([1, 'ifconfig: lo0: SIOCIFCREATE: File exists\n']);
    expect(res(m.sh('ifconfig vether30 create'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig vether30 destroy'))).toEqual([0, '']);
  });

  it('a non-root user: flags and addresses end ifconfig, IPv6 attachment and the other setters only warn; nothing is created', () => {
    expect(res(user.sh('ifconfig lo0 down'))).toEqual([1, 'ifconfig: lo0: SIOCSIFFLAGS: Operation not permitted\n']);
    expect(res(user.sh('ifconfig lo0 inet6 2001:db8::1'))).toEqual(
      [1, 'ifconfig: lo0: SIOCIFAFATTACH: Operation not permitted\nifconfig: SIOCDIFADDR: Operation not permitted\n']);
    expect(res(user.sh('ifconfig lo0 192.0.2.7 alias'))).toEqual([1, 'ifconfig: SIOCAIFADDR: Operation not permitted\n']);
    expect(res(user.sh('ifconfig lo0 -inet6 rtlabel x'))).toEqual(
      [0, 'ifconfig: lo0: SIOCIFAFDETACH: Operation not permitted\nifconfig: SIOCSIFRTLABEL: Operation not permitted\n']);
    expect(res(user.sh('ifconfig vether5 up'))).toEqual([1, 'ifconfig: vether5: SIOCGIFFLAGS: Device not configured\n']);
    expect(res(user.sh('ifconfig vether5 create'))).toEqual([1, 'ifconfig: vether5: SIOCIFCREATE: Operation not permitted\n']);
  });

  it('vlan: vnetid (`any`, strtonum, 1..4094 in the driver) and parent failures are warnings', () => {
    expect(res(m.sh('ifconfig vether31 up'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig vlan31 vnetid 4095 parent nosuch9'))).toEqual(
      [0, 'ifconfig: SIOCSVNETID: Invalid argument\nifconfig: vlan31: nosuch9: SIOCSIFPARENT: Invalid argument\n']);
    expect(res(m.sh('ifconfig vlan31 vnetid any parent lo0'))).toEqual(
      [0, 'ifconfig: SIOCSVNETID: Invalid argument\nifconfig: vlan31: lo0: SIOCSIFPARENT: Protocol not supported\n']);
    expect(res(m.sh('ifconfig vlan31 vnetid 99999999999999999999'))).toEqual([1, 'ifconfig: vnetid 99999999999999999999: too large\n']);
    expect(res(m.sh('ifconfig vlan31 vnetid 31 parent vether31 up'))).toEqual([0, '']);
    expect(m.sh('ifconfig vlan31').stdout).toMatch(/\tencap: vnetid 31 parent vether31 /);
    // A running vlan keeps its parent (vlan_set_parent / vlan_del_parent: EBUSY).
    expect(res(m.sh('ifconfig vlan31 -parent'))).toEqual([0, 'ifconfig: SIOCDIFPARENT: Device busy\n']);
    expect(res(m.sh('ifconfig vlan31 -vnetid'))).toEqual([0, '']);
    expect(m.sh('ifconfig vlan31').stdout).toMatch(/\tencap: vnetid none parent vether31 /);
  });

  it('vlan_up: `up` or an address without a parent fails (ENXIO), a tag in use on the parent is EADDRINUSE; a new vlan has no SIMPLEX and a zero address', () => {
    expect(res(m.sh('ifconfig vlan32 create'))).toEqual([0, '']);
    expect(m.sh('ifconfig vlan32').stdout).toMatch(/^vlan32: flags=8002<BROADCAST,MULTICAST> mtu 1500\n\tlladdr 00:00:00:00:00:00\n/);
    expect(res(m.sh('ifconfig vlan32 up'))).toEqual([1, 'ifconfig: vlan32: SIOCSIFFLAGS: Device not configured\n']);
    expect(res(m.sh('ifconfig vlan32 inet 10.32.0.1/24'))).toEqual([1, 'ifconfig: SIOCAIFADDR: Device not configured\n']);
    // vlan_ioctl's SIOCSIFADDR set IFF_UP before vlan_up failed, and it stays; the address does not.
    expect(m.sh('ifconfig vlan32').stdout).toMatch(/^vlan32: flags=8003<UP,BROADCAST,MULTICAST> mtu 1500\n(?![^]*inet )/);
    expect(res(m.sh('ifconfig vether32 up'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig vlan32 vnetid 32 parent vether32 10.32.0.1/24'))).toEqual([0, '']);
    expect(m.sh('ifconfig vlan32').stdout).toMatch(/^vlan32: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> mtu 1500\n[^]*\tinet 10\.32\.0\.1 /);
    expect(res(m.sh('ifconfig vlan33 vnetid 32 parent vether32'))).toEqual([0, 'ifconfig: vlan33: vether32: SIOCSIFPARENT: Address already in use\n']);
  });

  it('svlan: a vlan with its own tag table (a vlan may share its tag on a parent); MTUs as the drivers bound them', () => {
    expect(res(m.sh('ifconfig vether34 up mtu 9000'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig svlan34 vnetid 34 parent vether34 up'))).toEqual([0, '']);
    expect(m.sh('ifconfig svlan34').stdout).toMatch(
      /^svlan34: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> mtu 1500\n[^]*\tencap: vnetid 34 parent vether34 [^\n]*\n\tgroups: svlan\n\tmedia: Ethernet autoselect\n\tstatus: active\n$/);
    expect(res(m.sh('ifconfig vlan34 vnetid 34 parent vether34 up'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig svlan35 vnetid 34 parent vether34'))).toEqual([0, 'ifconfig: svlan35: vether34: SIOCSIFPARENT: Address already in use\n']);
    // QinQ: a vlan on the svlan may use 65435 - 4 (vether's if_hardmtu, no IFCAP_VLAN_MTU on an svlan).
    expect(res(m.sh('ifconfig vlan36 vnetid 36 parent svlan34 mtu 65432'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig vlan36 up'))).toEqual([1, 'ifconfig: vlan36: SIOCSIFFLAGS: No buffer space available\n']);
    expect(res(m.sh('ifconfig vlan36 mtu 65431 up'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig vlan36 mtu 65432'))).toEqual([0, 'ifconfig: SIOCSIFMTU: Invalid argument\n']);
    expect(res(m.sh('ifconfig lo0 mtu 0'))).toEqual([0, '']);
    expect(m.sh('ifconfig lo0').stdout).toMatch(/^lo0: flags=\S+ mtu 0\n/);
    expect(res(m.sh('ifconfig lo0 mtu 32768'))).toEqual([0, '']);
  });

  it('txprio / rxprio (settxprio, setrxprio): names, else strtonum 0..7 (errx); the driver\'s check warned about; getencap prints them', () => {
    expect(res(m.sh('ifconfig vether40 up'))).toEqual([0, '']);
    expect(res(m.sh('ifconfig vlan40 vnetid 40 parent vether40'))).toEqual([0, '']);
    const encap = () => m.sh('ifconfig vlan40').stdout.split('\n').filter((l) => l.startsWith('\tencap:'));
    // vlan_clone_create's IF_HDRPRIO_PACKET and IF_HDRPRIO_OUTER.
    expect(encap()).toEqual(['\tencap: vnetid 40 parent vether40 txprio packet rxprio outer']);
    expect(res(m.sh('ifconfig vlan40 txprio 5 rxprio packet'))).toEqual([0, '']);
    expect(encap()).toEqual(['\tencap: vnetid 40 parent vether40 txprio 5 rxprio packet']);
    expect(res(m.sh('ifconfig vlan40 txprio packet rxprio 0 up'))).toEqual([0, '']);
    expect(encap()).toEqual(['\tencap: vnetid 40 parent vether40 txprio packet rxprio 0']);
    // payload is a name ifconfig knows, which a vlan's l2 checks refuse (EINVAL): warned, and
    // the parameters after it still apply.
    expect(res(m.sh('ifconfig vlan40 txprio payload rxprio payload rxprio outer'))).toEqual(
      [0, 'ifconfig: SIOCSTXHPRIO: Invalid argument\nifconfig: SIOCSRXHPRIO: Invalid argument\n']);
    expect(encap()).toEqual(['\tencap: vnetid 40 parent vether40 txprio packet rxprio outer']);
    // errx(1): outer names an rx source only (for txprio it goes to strtonum), names are case-sensitive.
    for (const [args, errx] of [
      ['txprio outer', 'tx prio outer: invalid'], ['txprio 8', 'tx prio 8: too large'], ['rxprio -1', 'rx prio -1: too small'],
      ['rxprio Packet', 'rx prio Packet: invalid'], ['rxprio', "'rxprio' requires argument"],
    ]) expect(res(m.sh(`ifconfig vlan40 ${args}`))).toEqual([1, `ifconfig: ${errx}\n`]);
    // svlan is the same driver; gif's l3 checks take payload too, and its line has no vnetid or parent.
    expect(res(m.sh('ifconfig svlan40 txprio 7 rxprio 3'))).toEqual([0, '']);
    expect(m.sh('ifconfig svlan40').stdout).toMatch(/\n\tencap: vnetid none parent none txprio 7 rxprio 3\n/);
    expect(res(m.sh('ifconfig gif40 create'))).toEqual([0, '']);
    expect(m.sh('ifconfig gif40').stdout).toMatch(/\n\tindex \d+ priority 0 llprio 3\n\tencap: txprio payload rxprio payload\n\tgroups: gif\n/);
    expect(res(m.sh('ifconfig gif40 txprio packet rxprio outer'))).toEqual([0, '']);
    expect(m.sh('ifconfig gif40').stdout).toMatch(/\n\tencap: txprio packet rxprio outer\n/);
    // Other drivers have no such ioctl (ENOTTY) and print no encap line; a missing interface is
    // ENXIO; a non-root user meets suser's EPERM first.
    expect(res(m.sh('ifconfig vether40 txprio 1 rxprio 1'))).toEqual(
      [0, 'ifconfig: SIOCSTXHPRIO: Inappropriate ioctl for device\nifconfig: SIOCSRXHPRIO: Inappropriate ioctl for device\n']);
    expect(m.sh('ifconfig vether40').stdout).not.toMatch(/encap/);
    expect(res(m.sh('ifconfig nosuch0 rxprio 1'))).toEqual([0, 'ifconfig: SIOCSRXHPRIO: Device not configured\n']);
    expect(res(user.sh('ifconfig lo0 txprio 1'))).toEqual([0, 'ifconfig: SIOCSTXHPRIO: Operation not permitted\n']);
    // 4.9's ifconfig (1.246's cmds[]) has no such keyword: `txprio` is an address, and a bad one.
    const old = machine('openbsd-4.9');
    expect(res(old.sh('ifconfig vlan40 txprio 5'))).toEqual([1, 'ifconfig: txprio: bad value\n']);
    expect(old.sh('ifconfig vlan40').stdout).not.toMatch(/txprio|rxprio|encap/);
    // Nor `llprio` (SIOCSIFLLPRIO came with 6.1): an address again.
    expect(res(old.sh('ifconfig vlan40 llprio 5'))).toEqual([1, 'ifconfig: llprio: bad value\n']);
    expect(res(m.sh('ifconfig vlan40 llprio 5'))).toEqual([0, '']);
  });
});

describe.each(['openbsd', 'openbsd-4.9'] as const)('rtsock ifconfig: IPv6 Duplicate Address Detection (%s)', (dialect) => {
  const m = machine(dialect, { RTSOCK_CLOCK: String(T0) });
  const at = (t: number) => { m.env['RTSOCK_CLOCK'] = String(t); };
  const inet6Lines = () => m.sh('ifconfig vether0').stdout.split('\n').filter((l) => l.startsWith('\tinet6'));
  /** Message types the state's journal holds, oldest first. */
  const journalTypes = () => (JSON.parse(readFileSync(m.state, 'utf8')) as { journal: { entries: [number, number, string][] } })
    .journal.entries.map(([, , hex]) => Number.parseInt(hex.slice(6, 8), 16));

  it('addresses added while the interface is up and running are tentative (in6_ifattach_linklocal, SIOCAIFADDR_IN6) until DAD\'s verdict a second later', () => {
    expect(m.sh('ifconfig vether0 lladdr fe:e1:ba:d4:c8:1d 10.1.1.1/24 up').status).toBe(0);
    expect(m.sh('ifconfig vether0 inet6 2001:db8::1/64').status).toBe(0);
    // ifconfig.c prints the flags after prefixlen, before scopeid.
    expect(inet6Lines()).toEqual([
      '\tinet6 fe80::fce1:baff:fed4:c81d%vether0 prefixlen 64 tentative scopeid 0x2',
      '\tinet6 2001:db8::1 prefixlen 64 tentative',
    ]);
    const before = journalTypes().length;
    at(T0 + 1);
    expect(inet6Lines()).toEqual(['\tinet6 fe80::fce1:baff:fed4:c81d%vether0 prefixlen 64 scopeid 0x2', '\tinet6 2001:db8::1 prefixlen 64']);
    // A read-only listing saves nothing; the next command journals what the timers announced.
    expect(m.sh('ifconfig vether0 mtu 1500').status).toBe(0);
    const RTM_IFINFO = 0xe;
    const chg = dialect === 'openbsd' ? [0x14, 0x14] : [];
    expect(journalTypes().slice(before)).toEqual([...chg, RTM_IFINFO]);
  });

  it('an address DAD found in use prints `duplicated`; re-adding it makes it tentative again (current) or clears it (4.9)', async () => {
    const { restoreKernel, snapshotKernel } = await import('../../src/kernel/state.js');
    at(T0 + 10);
    expect(m.sh('ifconfig vether0 inet6 2001:db8::2/64').status).toBe(0);
    // Someone answers for the tentative address (the CLI has no packet input: the library does it).
    const doc = JSON.parse(readFileSync(m.state, 'utf8'));
    const k = restoreKernel(doc.kernel, { clock: () => T0 + 10 });
    k.ndInput('vether0', { type: 'na', target: '2001:db8::2', tllao: '02:00:00:00:00:02', solicited: false, override: true });
    doc.kernel = snapshotKernel(k);
    writeFileSync(m.state, JSON.stringify(doc));
    expect(inet6Lines()[2]).toBe('\tinet6 2001:db8::2 prefixlen 64 duplicated');
    expect(m.sh('ifconfig vether0 inet6 2001:db8::2/64').status).toBe(0);
    expect(inet6Lines()[2]).toBe(dialect === 'openbsd' ? '\tinet6 2001:db8::2 prefixlen 64 tentative' : '\tinet6 2001:db8::2 prefixlen 64');
    at(T0 + 11);
    expect(inet6Lines()[2]).toBe('\tinet6 2001:db8::2 prefixlen 64');
  });

  it('RTSOCK_CLOCK must be whole seconds', () => {
    const r = m.run('ifconfig', 'vether0');
    expect(r.status).toBe(0);
    const bad = rtsock(['ifconfig', 'vether0'], undefined, { ...m.env, RTSOCK_CLOCK: 'soon' });
    expect([bad.status, bad.stderr]).toEqual([1, 'rtsock: RTSOCK_CLOCK=soon is not a time in seconds\n']);
  });
});

describe('rtsock ifconfig status (openbsd-4.9: ifconfig.c 1.232)', () => {
  const m = machine('openbsd-4.9');

  it('`priority:` where current prints the index line; vlan_status\'s `vlan:` line only with a tag or a parent', () => {
    expect(m.sh('ifconfig vether3 create').status).toBe(0);
    expect(m.sh('ifconfig vlan3 create').status).toBe(0);
    expect(m.sh('ifconfig vlan3').stdout).toBe('vlan3: flags=8802<BROADCAST,SIMPLEX,MULTICAST> mtu 1500\n\tlladdr fe:e1:ba:d0:00:03\n'
      + '\tpriority: 0\n\tgroups: vlan\n\tstatus: no carrier\n');
    expect(m.sh('ifconfig vlan3 vlan 7 vlandev vether3 priority 4').stderr).toBe('');
    // 4.9's vlan answers no SIOCGIFMEDIA (2014's vlan_ioctl, the nearest revision): no media line, with a parent too.
    expect(m.sh('ifconfig vlan3').stdout).toMatch(/\n\tpriority: 4\n\tvlan: 7 priority: 0 parent interface: vether3\n\tgroups: vlan\n\tstatus: [a-z ]+\n$/);
  });
});

describe('rtsock ifconfig group (openbsd-4.9: ifconfig.c 1.232\'s checks and texts)', () => {
  const m = machine('openbsd-4.9');

  it('the digit check comes first, -group checks it too, and the ioctls are named without the group', () => {
    expect(m.sh('ifconfig vether83 10.83.0.1/24 group dmz').status).toBe(0);
    expect(m.sh('ifconfig vether83').stdout).toMatch(/\tgroups: vether dmz\n/);
    expect(m.sh('ifconfig vether83 group verylonggroupname9')).toMatchObject({ status: 1, stderr: 'ifconfig: setifgroup: group names may not end in a digit\n' });
    expect(m.sh('ifconfig vether83 -group dmz9')).toMatchObject({ status: 1, stderr: 'ifconfig: unsetifgroup: group names may not end in a digit\n' });
    expect(m.sh('ifconfig vether83 -group nothere')).toMatchObject({ status: 1, stderr: 'ifconfig: SIOCDIFGROUP: No such file or directory\n' });
    expect(m.sh('ifconfig vether83 -group dmz').status).toBe(0);
    expect(m.sh('ifconfig vether83').stdout).toMatch(/\tgroups: vether\n/);
  });
});
