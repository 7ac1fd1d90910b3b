/**
 * What ifconfig shows (ifconfig.c printif, printgroup, printgroupattribs, setgroupattribs,
 * list_cloners, findmac; current 1.476, 4.9 after 1.232): every interface with only its first
 * IPv4 address (-a), with all of them (-A), an interface, a group's members in join order, the
 * interfaces of a name without a unit, an address family word showing that family only (and
 * changing nothing), -g's carp demotion counter, -C's cloners, current's -M.
 */
import { machine } from './route-env.js';
import { rtsock } from './run.js';

/** status's line after the flags: current's `index N priority P llprio L`, 1.232's `priority: P`. */
const indexLine = (current: boolean, index: number) => (current ? `\tindex ${index} priority 0 llprio 3\n` : '\tpriority: 0\n');
const HEAD = (current: boolean, name: string, index: number, groups: string) => `${name}: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> mtu 1500\n`
  + `\tlladdr fe:e1:ba:d0:00:${index.toString(16).padStart(2, '0')}\n${indexLine(current, index)}\tgroups: ${groups}\n`
  + '\tmedia: Ethernet autoselect\n\tstatus: active\n';
const LO0 = (current: boolean) => `lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> mtu 32768\n${indexLine(current, 1)}\tgroups: lo\n`
  + '\tinet 127.0.0.1 netmask 0xff000000\n\tinet6 ::1 prefixlen 128\n\tinet6 fe80::1%lo0 prefixlen 64 scopeid 0x1\n';
const V0_FIRST = '\tinet 10.1.1.1 netmask 0xffffff00 broadcast 10.1.1.255\n';
const V0_ALIAS = '\tinet 10.1.2.1 netmask 0xffffff00 broadcast 10.1.2.255\n';

describe.each(['openbsd', 'openbsd-4.9'] as const)('rtsock ifconfig: what it shows (%s)', (dialect) => {
  const m = machine(dialect);
  const current = dialect === 'openbsd';
  const head = (name: string, index: number, groups: string) => HEAD(current, name, index, groups);
  const lo0 = LO0(current);

  beforeAll(() => {
    // IPv4 alone: 4.9's if_up would attach IPv6 (a link-local address whose DAD runs on the
    // machine's clock); `-inet6` (IFXF_NOINET6) keeps it off.
    for (const line of [
      ...(current ? [] : ['ifconfig vether0 -inet6', 'ifconfig vether1 -inet6']),
      'ifconfig vether0 10.1.1.1/24 up', 'ifconfig vether0 10.1.2.1/24 alias',
      'ifconfig vether1 up group dmz', 'ifconfig vether0 group dmz',
    ]) {
      const r = m.sh(line);
      if (r.status !== 0) throw new Error(`${line}: ${r.stderr}`);
    }
  });

  it('-a (and no argument) shows each interface\'s first IPv4 address only; -A all; a named interface all', () => {
    const v0 = head('vether0', 2, 'vether dmz');
    const v1 = head('vether1', 3, 'vether dmz');
    expect(m.sh('ifconfig').stdout).toBe(lo0 + v0 + V0_FIRST + v1);
    expect(m.sh('ifconfig -a').stdout).toBe(lo0 + v0 + V0_FIRST + v1);
    expect(m.sh('ifconfig -A').stdout).toBe(lo0 + v0 + V0_FIRST + V0_ALIAS + v1);
    expect(m.sh('ifconfig vether0').stdout).toBe(v0 + V0_FIRST + V0_ALIAS);
  });

  it('an address family word shows that family\'s addresses and changes nothing', () => {
    const v0 = head('vether0', 2, 'vether dmz');
    expect(m.sh('ifconfig vether0 inet6').stdout).toBe(v0);
    expect(m.sh('ifconfig vether0 inet').stdout).toBe(v0 + V0_FIRST + V0_ALIAS);
    expect(m.sh('ifconfig -a inet').stdout).toBe(`${lo0.split('\tinet6')[0]}${v0}${V0_FIRST}${head('vether1', 3, 'vether dmz')}`);
    // `inet6` alone does not attach IPv6 (addaf runs only before parameters): no link-local address.
    expect(m.sh('ifconfig vether1 inet6').stdout).toBe(head('vether1', 3, 'vether dmz'));
    expect(m.sh('route -n show -inet6').stdout).not.toMatch(/vether1/);
  });

  it('a group shows its members in the order they joined; a name without a unit its interfaces; else no such interface', () => {
    const dmz = m.sh('ifconfig dmz').stdout;
    expect(dmz.indexOf('vether1:')).toBeLessThan(dmz.indexOf('vether0:'));
    expect(dmz).toContain(V0_ALIAS);
    expect(m.sh('ifconfig vether').stdout.match(/^\w+\d:/gm)).toEqual(['vether0:', 'vether1:']);
    // Without a group of that name: the interfaces named it and a unit number, in index order.
    expect(m.sh('ifconfig vether1 -group vether').status).toBe(0);
    expect(m.sh('ifconfig vether0 -group vether').status).toBe(0);
    expect(m.sh('ifconfig vether').stdout.match(/^\w+\d:/gm)).toEqual(['vether0:', 'vether1:']);
    expect(m.sh('ifconfig vether1 group vether').status).toBe(0);
    expect(m.sh('ifconfig vether').stdout.match(/^\w+\d:/gm)).toEqual(['vether1:']);
    expect(m.sh('ifconfig vether0 group vether').status).toBe(0);
    expect(m.sh('ifconfig vethe')).toMatchObject({ status: 1, stdout: '', stderr: 'vethe: no such interface\n' });
    expect(m.sh('ifconfig vether7')).toMatchObject({ status: 1, stderr: 'vether7: no such interface\n' });
  });

  it('-g GROUP shows and changes its carp demotion counter (root only), with this dialect\'s texts', () => {
    const named = (text: string) => (current ? `dmz: ${text}` : text);
    expect(m.sh('ifconfig -g dmz')).toMatchObject({ status: 0, stdout: 'dmz: carp demote count 0\n' });
    expect(m.sh('ifconfig -g dmz carpdemote').status).toBe(0);
    expect(m.sh('ifconfig -g dmz carpdemote 20').status).toBe(0);
    expect(m.sh('ifconfig -g dmz -carpdemote 6').status).toBe(0);
    expect(m.sh('ifconfig -g dmz').stdout).toBe('dmz: carp demote count 15\n');
    expect(m.sh('ifconfig -g dmz -carpdemote 16')).toMatchObject({ status: 1, stderr: `ifconfig: ${named('SIOCSIFGATTR')}: Invalid argument\n` });
    expect(m.sh('ifconfig -g dmz carpdemote 129')).toMatchObject({ status: 1, stderr: `ifconfig: ${named('invalid carp demotion: too large')}\n` });
    expect(m.sh('ifconfig -g dmz carpdemote x')).toMatchObject({ status: 1, stderr: `ifconfig: ${named('invalid carp demotion: invalid')}\n` });
    expect(m.sh('ifconfig -g dmz demote').status).toBe(1);
    expect(m.sh('ifconfig -g dmz demote').stderr).toMatch(/^usage: ifconfig /);
    expect(machineAsUser(m).sh('ifconfig -g dmz carpdemote')).toMatchObject({ status: 1, stderr: `ifconfig: ${named('SIOCSIFGATTR')}: Operation not permitted\n` });
    expect(m.sh('ifconfig -g nothere')).toMatchObject({ status: 1, stderr: `ifconfig: ${current ? 'nothere: ' : ''}SIOCGIFGATTR: No such file or directory\n` });
    // The counter goes with the group: its last member leaving ends it.
    expect(m.sh('ifconfig vether1 -group dmz').status).toBe(0);
    expect(m.sh('ifconfig vether0 -group dmz').status).toBe(0);
    expect(m.sh('ifconfig vether0 group dmz').status).toBe(0);
    expect(m.sh('ifconfig -g dmz').stdout).toBe('dmz: carp demote count 0\n');
  });

  it('-C lists the cloners; -M (current) names no interface, every one being a clone; bad options are usage', () => {
    expect(m.sh('ifconfig -C').stdout).toBe(current ? 'gif lo svlan tap tun vether vlan\n' : 'tun gif vlan vether lo\n');
    expect(m.sh('ifconfig -C inet').status).toBe(0);
    expect(m.sh('ifconfig -C vether0').stderr).toMatch(/^usage: ifconfig /);
    expect(m.sh('ifconfig -aC').stderr).toMatch(/^usage: ifconfig /);
    const usage = current
      ? 'usage: ifconfig [-AaC] [-M lladdr] [interface] [address_family]\n\t\t[address [dest_address]] [parameters]\n'
      : 'usage: ifconfig [-AaC] [interface] [address_family] [address [dest_address]]\n\t\t[parameters]\n';
    expect(m.sh('ifconfig -x')).toMatchObject({ status: 1, stderr: usage });
    expect(m.sh('ifconfig -g')).toMatchObject({ status: 1, stderr: usage });
    if (current) {
      expect(m.sh('ifconfig -M fe:e1:ba:d0:00:02')).toMatchObject({ status: 0, stdout: '', stderr: '' });
      expect(m.sh('ifconfig -M')).toMatchObject({ status: 1, stderr: usage });
    } else {
      expect(m.sh('ifconfig -M fe:e1:ba:d0:00:02')).toMatchObject({ status: 1, stderr: usage });
    }
    expect(m.sh('ifconfig averyveryverylongname0')).toMatchObject({ status: 1, stderr: 'ifconfig: interface name \'averyveryverylongname0\' too long\n' });
  });
});

/** The same machine as a non-root user. */
function machineAsUser(m: ReturnType<typeof machine>) {
  const env = { ...m.env, RTSOCK_UID: '1000' };
  return { sh: (line: string) => rtsock(line.split(/\s+/).filter(Boolean), undefined, env) };
}
