/**
 * `rtsock ifconfig tunN ...` and `rtsock device open|close` (the rtsock extension standing in for
 * a process holding /dev/tunN open): what a VPN daemon's setup does, end to end. Status lines as
 * ifconfig.c prints them: current (no SIOCGIFMEDIA for tun: `status:` from the link state) and
 * 4.9 (tun answers SIOCGIFMEDIA: `media:` and its active / no carrier status).
 */
import { machine } from './route-env.js';

const tunRoutes = (out: string) => out.split('\n').filter((l) => / tun0 *$/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 3).join(' '));

describe('rtsock ifconfig: tun(4) (openbsd)', () => {
  const m = machine('openbsd');
  const HEAD = 'tun0: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> mtu 1500\n\tindex 2 priority 0 llprio 3\n\tgroups: tun\n';
  const INET = '\tinet 10.8.0.1 --> 10.8.0.2 netmask 0xffffff00\n';

  it('create: down, point-to-point, link down (`status: down`, no media line)', () => {
    expect(m.sh('ifconfig tun0 create')).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(m.sh('ifconfig tun0').stdout).toBe('tun0: flags=8010<POINTOPOINT,MULTICAST> mtu 1500\n\tindex 2 priority 0 llprio 3\n\tgroups: tun\n\tstatus: down\n');
  });

  it('an address with a destination brings it up; the inet line shows the destination', () => {
    expect(m.sh('ifconfig tun0 10.8.0.1 10.8.0.2 netmask 255.255.255.0')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('ifconfig tun0').stdout).toBe(`${HEAD}\tstatus: down\n${INET}`);
    // The link is down until the device is opened: the destination's route is not up.
    expect(tunRoutes(m.sh('route -n show -inet').stdout)).toEqual(['10.8.0.1 10.8.0.1 UHl', '10.8.0.2 10.8.0.1 H']);
  });

  it('routes through tun0: `-interface` with its address or `-link -interface tun0`; a bare name is no inet address', () => {
    expect(m.sh('route add -inet 10.8.1.0/24 -interface 10.8.0.1')).toMatchObject({ status: 0, stdout: 'add net 10.8.1.0/24: gateway 10.8.0.1\n' });
    expect(m.sh('route add -inet 10.8.2.0/24 -link -interface tun0')).toMatchObject({ status: 0, stdout: 'add net 10.8.2.0/24: gateway tun0\n' });
    // route.c getaddr: AF_INET, and "tun0" is neither a number nor a host name.
    expect(m.sh('route add -inet 10.8.3.0/24 -interface tun0')).toMatchObject({ status: 1, stderr: 'route: tun0: bad address\n' });
    expect(tunRoutes(m.sh('route -n show -inet').stdout)).toEqual([
      '10.8.0.1 10.8.0.1 UHl', '10.8.0.2 10.8.0.1 H', '10.8.1/24 10.8.0.1 S', '10.8.2/24 link#2 LS',
    ]);
  });

  it('opening the device brings the link up (`status: active`) and the routes with it; closing takes both down', () => {
    expect(m.sh('device open tun0')).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(m.sh('ifconfig tun0').stdout).toBe(`${HEAD}\tstatus: active\n${INET}`);
    expect(tunRoutes(m.sh('route -n show -inet').stdout)).toEqual([
      '10.8.0.1 10.8.0.1 UHl', '10.8.0.2 10.8.0.1 UH', '10.8.1/24 10.8.0.1 US', '10.8.2/24 link#2 ULS',
    ]);
    expect(m.sh('device open tun0')).toMatchObject({ status: 1, stderr: 'rtsock device: open /dev/tun0: Device busy\n' });
    expect(m.sh('device close tun0')).toMatchObject({ status: 0, stderr: '' });
    // tun_dev_close clears IFF_UP|IFF_RUNNING and the link.
    expect(m.sh('ifconfig tun0').stdout).toBe(`tun0: flags=8010<POINTOPOINT,MULTICAST> mtu 1500\n\tindex 2 priority 0 llprio 3\n\tgroups: tun\n\tstatus: down\n${INET}`);
    expect(tunRoutes(m.sh('route -n show -inet').stdout)).toEqual([
      '10.8.0.1 10.8.0.1 UHl', '10.8.0.2 10.8.0.1 H', '10.8.1/24 10.8.0.1 S', '10.8.2/24 link#2 LS',
    ]);
    expect(m.sh('device close tun0')).toMatchObject({ status: 1, stderr: 'rtsock device: close /dev/tun0: Device not configured\n' });
  });

  it('mtu within 46..16384; others warn EINVAL', () => {
    expect(m.sh('ifconfig tun0 mtu 1400')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('ifconfig tun0 mtu 45')).toMatchObject({ status: 0, stderr: 'ifconfig: SIOCSIFMTU: Invalid argument\n' });
    expect(m.sh('ifconfig tun0').stdout).toMatch(/ mtu 1400\n/);
  });

  it('destroy purges the routes; the interface is gone', () => {
    expect(m.sh('ifconfig tun0 destroy')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('ifconfig tun0')).toMatchObject({ status: 1, stderr: 'tun0: no such interface\n' });
    expect(tunRoutes(m.sh('route -n show -inet').stdout)).toEqual([]);
  });

  it('opening a missing device clones it; its close destroys it again', () => {
    expect(m.sh('device open tun4').status).toBe(0);
    expect(m.sh('ifconfig tun4').stdout).toMatch(/^tun4: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> mtu 1500\n[^]*\tstatus: active\n$/);
    expect(m.sh('device close tun4').status).toBe(0);
    expect(m.sh('ifconfig tun4').stderr).toBe('tun4: no such interface\n');
  });

  it('`device -T rtable open` clones a missing tun into that table\'s rdomain (tun_dev_open); a table that does not exist is EINVAL (setrtable)', () => {
    expect(m.sh('ifconfig vether7 rdomain 6').status).toBe(0);
    expect(m.sh('device -T 6 open tun6')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('ifconfig tun6').stdout).toMatch(/^tun6: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> rdomain 6 mtu 1500\n/);
    expect(m.sh('device -T 8 open tun8')).toMatchObject({ status: 1, stderr: 'rtsock device: setrtable 8: Invalid argument\n' });
    expect(m.sh('device -T x open tun8')).toMatchObject({ status: 1, stderr: 'rtsock device: x: invalid routing table\nusage: rtsock device [-T rtable] open | close name\n' });
    expect(m.sh('device -T 6 close tun6').status).toBe(0);
    expect(m.sh('ifconfig tun6').stderr).toBe('tun6: no such interface\n');
  });

  it('destroying a tun whose device is open revokes the device: the descriptor closes quietly, once', () => {
    expect(m.sh('device open tun5').status).toBe(0);
    expect(m.sh('ifconfig tun5 destroy')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('ifconfig tun5').stderr).toBe('tun5: no such interface\n');
    expect(m.sh('device close tun5')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('device close tun5')).toMatchObject({ status: 1, stderr: 'rtsock device: close /dev/tun5: Device not configured\n' });
  });

  it('tap0: Ethernet, an lladdr, `status: no carrier` until opened', () => {
    expect(m.sh('ifconfig tap0 create').status).toBe(0);
    expect(m.sh('ifconfig tap0').stdout).toMatch(/^tap0: flags=8802<BROADCAST,SIMPLEX,MULTICAST> mtu 1500\n\tlladdr fe:e1:ba:d0(:[0-9a-f]{2}){2}\n\tindex \d+ priority 0 llprio 3\n\tgroups: tap\n\tstatus: no carrier\n$/);
    expect(m.sh('device open tap0').status).toBe(0);
    expect(m.sh('ifconfig tap0').stdout).toMatch(/flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST>[^]*\tstatus: active\n$/);
  });

  it('device: no such device, not root, usage', () => {
    expect(m.sh('device open vether0')).toMatchObject({ status: 1, stderr: 'rtsock device: open /dev/vether0: Device not configured\n' });
    const user = machine('openbsd', { RTSOCK_UID: '1000' });
    expect(user.sh('device open tun0')).toMatchObject({ status: 1, stderr: 'rtsock device: open /dev/tun0: Permission denied\n' });
    expect(m.sh('device')).toMatchObject({ status: 1, stderr: 'usage: rtsock device [-T rtable] open | close name\n' });
    expect(m.sh('device open tun0 tun1').status).toBe(1);
  });
});

describe('rtsock ifconfig: tun(4) (openbsd-4.9)', () => {
  const m = machine('openbsd-4.9');
  const TAIL = '\tpriority: 0\n\tgroups: tun\n\tmedia: Ethernet autoselect\n';

  it('create, then an address with a destination; SIOCGIFMEDIA answers no carrier while closed', () => {
    expect(m.sh('ifconfig tun0 create').status).toBe(0);
    expect(m.sh('ifconfig tun0').stdout).toBe(`tun0: flags=10<POINTOPOINT> mtu 1500\n${TAIL}\tstatus: no carrier\n`);
    expect(m.sh('ifconfig tun0 10.8.0.1 10.8.0.2').status).toBe(0);
    expect(m.sh('ifconfig tun0').stdout).toBe(`tun0: flags=51<UP,POINTOPOINT,RUNNING> mtu 1500\n${TAIL}\tstatus: no carrier\n\tinet 10.8.0.1 --> 10.8.0.2 netmask 0xff000000\n`);
  });

  it('the status query settled the link (tun_media_status): routes via tun0 are down until the device opens', () => {
    // The first `ifconfig tun0` ran tun_link_state: LINK_STATE_DOWN, and the routes followed.
    expect(tunRoutes(m.sh('route -n show -inet').stdout)).toEqual(['10.8.0.1 10.8.0.1 UH', '10.8.0.2 10.8.0.1 H']);
    expect(m.sh('route add -inet 10.8.1.0/24 -interface 10.8.0.1').status).toBe(0);
    expect(m.sh('device open tun0').status).toBe(0);
    expect(m.sh('ifconfig tun0').stdout).toMatch(/\tstatus: active\n/);
    expect(tunRoutes(m.sh('route -n show -inet').stdout)).toEqual(['10.8.0.1 10.8.0.1 UH', '10.8.0.2 10.8.0.1 UH', '10.8.1/24 10.8.0.1 US']);
  });

  it('close keeps IFF_UP (tunclose clears IFF_RUNNING only); down, the routes too', () => {
    expect(m.sh('device close tun0').status).toBe(0);
    expect(m.sh('ifconfig tun0').stdout).toMatch(/^tun0: flags=11<UP,POINTOPOINT> mtu 1500\n[^]*\tstatus: no carrier\n/);
    expect(tunRoutes(m.sh('route -n show -inet').stdout)).toEqual(['10.8.0.1 10.8.0.1 UH', '10.8.0.2 10.8.0.1 H', '10.8.1/24 10.8.0.1 S']);
  });

  it('no tap(4) in 4.9; destroy', () => {
    expect(m.sh('ifconfig tap0 create')).toMatchObject({ status: 1, stderr: 'ifconfig: tap0: SIOCIFCREATE: Invalid argument\n' });
    expect(m.sh('device open tap0')).toMatchObject({ status: 1, stderr: 'rtsock device: open /dev/tap0: Device not configured\n' });
    expect(m.sh('ifconfig tun0 destroy').status).toBe(0);
    expect(tunRoutes(m.sh('route -n show -inet').stdout)).toEqual([]);
  });

  it('destroying a tun whose device is open leaves the descriptor on the device: its close finds the tun created since', () => {
    expect(m.sh('device open tun5').status).toBe(0);
    expect(m.sh('ifconfig tun5 destroy').status).toBe(0);
    expect(m.sh('ifconfig tun5 create').status).toBe(0);
    expect(m.sh('ifconfig tun5 10.9.0.1 10.9.0.2').status).toBe(0);
    expect(m.sh('ifconfig tun5').stdout).toMatch(/^tun5: flags=51<UP,POINTOPOINT,RUNNING> /);
    // tunclose by unit: IFF_RUNNING cleared, the link DOWN.
    expect(m.sh('device close tun5')).toMatchObject({ status: 0, stderr: '' });
    expect(m.sh('ifconfig tun5').stdout).toMatch(/^tun5: flags=11<UP,POINTOPOINT> [^]*\tstatus: no carrier\n/);
  });
});
