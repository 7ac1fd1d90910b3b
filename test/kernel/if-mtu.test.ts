/**
 * SIOCSIFMTU as each driver bounds it: loioctl takes any MTU; ether_ioctl ETHERMIN (46) up to
 * the driver's if_hardmtu (vether: ETHERMTU in 4.9, which sets none, ETHER_MAX_HARDMTU_LEN in
 * current); tun_ioctl ETHERMIN..TUNMRU; 4.9's vlan its parent's MTU (less EVL_ENCAPLEN without
 * IFCAP_VLAN_MTU) and EINVAL without a parent; current's vlan the if_hardmtu vlan_up took from
 * its parent (0xffff while stopped), kept while it runs and saved with the kernel's state.
 */
import { AF_ROUTE, RTABLE_ANY, ROUTE_TABLEFILTER, RTM_IFINFO } from '../../src/kernel/constants.js';
import { createKernel } from '../../src/kernel/kernel.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { DIALECTS, drain, errnoOf } from './helpers.js';

type K = ReturnType<typeof createKernel>;
const mtu = (k: K, name: string): number => k.ifconfig.interfaceNamed(name)!.mtu;
/** The MTUs SIOCSIFMTU accepts among `tries`. */
const accepted = (k: K, name: string, tries: number[]): number[] => tries.filter((m) => errnoOf(() => k.ifconfig.setMtu(name, m)) === 0);

describe.each(DIALECTS)('SIOCSIFMTU bounds (%s)', (d) => {
  const current = d === 'openbsd';

  it('lo(4): loioctl takes any int (if_mtu keeps it unsigned); each change is an RTM_IFINFO', () => {
    const k = createKernel({ dialect: d });
    const s = k.socket();
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    for (const m of [0, 1, 100000, 0x7fffffff]) {
      k.ifconfig.setMtu('lo0', m);
      expect(mtu(k, 'lo0')).toBe(m);
    }
    k.ifconfig.setMtu('lo0', -1);
    expect(mtu(k, 'lo0')).toBe(0xffffffff);
    expect(drain(d, s).filter((x) => x.type === RTM_IFINFO)).toHaveLength(5);
    // ifr_mtu is an int: nothing wider or fractional reaches the driver.
    for (const bad of [0x80000000, -0x80000001, 1.5]) expect(errnoOf(() => k.ifconfig.setMtu('lo0', bad))).toBe(ERRNO.EINVAL);
  });

  it(`vether(4): ether_ioctl's ETHERMIN..if_hardmtu (${current ? 'ETHER_MAX_HARDMTU_LEN' : 'ETHERMTU: 4.9\'s vether sets none'})`, () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    expect(mtu(k, 'vether0')).toBe(1500);
    const tries = [45, 46, 1500, 1501, 9216, 65435, 65436];
    expect(accepted(k, 'vether0', tries)).toEqual(current ? [46, 1500, 1501, 9216, 65435] : [46, 1500]);
  });
});

it('4.9\'s vlan: no parent is EINVAL; then up to the parent\'s MTU, EVL_ENCAPLEN less on a vlan (no IFCAP_VLAN_MTU)', () => {
  const k = createKernel({ dialect: 'openbsd-4.9' });
  k.ifconfig.create('vether0');
  k.ifconfig.create('vlan0');
  k.ifconfig.create('vlan1');
  expect(errnoOf(() => k.ifconfig.setMtu('vlan0', 1500))).toBe(ERRNO.EINVAL);
  k.ifconfig.setParent('vlan0', 'vether0');
  k.ifconfig.setMtu('vether0', 1400);
  expect(accepted(k, 'vlan0', [45, 46, 1400, 1401])).toEqual([46, 1400]);
  k.ifconfig.setParent('vlan1', 'vlan0');
  expect(accepted(k, 'vlan1', [1396, 1397])).toEqual([1396]);
});

describe('current\'s vlan(4): the hard MTU vlan_up takes from its parent', () => {
  const boot = () => {
    const k = createKernel({ dialect: 'openbsd' });
    for (const n of ['vether0', 'vlan0', 'vlan1']) k.ifconfig.create(n);
    k.ifconfig.up('vether0');
    k.ifconfig.setParent('vlan0', 'vether0');
    k.ifconfig.setParent('vlan1', 'vlan0');
    return k;
  };

  it('stopped: ETHERMIN..0xffff; on a vether (IFCAP_VLAN_MTU): its whole hard MTU; on a vlan: EVL_ENCAPLEN less', () => {
    const k = boot();
    expect(accepted(k, 'vlan1', [45, 46, 65535, 65536])).toEqual([46, 65535]);
    k.ifconfig.setMtu('vlan0', 65435);
    k.ifconfig.up('vlan0');
    expect(k.ifconfig.interfaceNamed('vlan0')!.hardMtu).toBe(65435);
    k.ifconfig.setMtu('vlan1', 65432);
    expect(errnoOf(() => k.ifconfig.up('vlan1'))).toBe(ERRNO.ENOBUFS);
    k.ifconfig.setMtu('vlan1', 65431);
    k.ifconfig.up('vlan1');
    expect(accepted(k, 'vlan1', [65431, 65432])).toEqual([65431]);
  });

  it('on a stopped vlan the parent\'s hard MTU is 0xffff; the child keeps what it took while its parent changes', () => {
    const k = boot();
    k.ifconfig.up('vlan1');
    expect(k.ifconfig.interfaceNamed('vlan1')!.hardMtu).toBe(0xffff - 4);
    k.ifconfig.down('vlan1');
    k.ifconfig.up('vlan0');
    k.ifconfig.up('vlan1');
    expect(k.ifconfig.interfaceNamed('vlan1')!.hardMtu).toBe(65435 - 4);
    // vlan0 stops (its hard MTU back to 0xffff): vlan1 still runs on what vlan_up gave it.
    k.ifconfig.down('vlan0');
    expect(k.ifconfig.interfaceNamed('vlan0')!.hardMtu).toBe(0xffff);
    expect(accepted(k, 'vlan1', [65431, 65432])).toEqual([65431]);
    k.ifconfig.down('vlan1');
    expect(accepted(k, 'vlan1', [65535])).toEqual([65535]);
  });

  it('on a tap (TUNMRU, no IFCAP_VLAN_MTU): 16380', () => {
    const k = createKernel({ dialect: 'openbsd' });
    k.ifconfig.create('tap0');
    k.ifconfig.create('vlan0');
    expect(accepted(k, 'tap0', [45, 46, 16384, 16385])).toEqual([46, 16384]);
    k.ifconfig.setParent('vlan0', 'tap0');
    k.ifconfig.setMtu('vlan0', 16381);
    expect(errnoOf(() => k.ifconfig.up('vlan0'))).toBe(ERRNO.ENOBUFS);
    k.ifconfig.setMtu('vlan0', 16380);
    k.ifconfig.up('vlan0');
    expect(k.ifconfig.interfaceNamed('vlan0')!.hardMtu).toBe(16380);
  });

  it('the state file keeps a running vlan\'s hard MTU; one without it works it out from the parent', () => {
    const k = boot();
    k.ifconfig.up('vlan0');
    k.ifconfig.up('vlan1');
    k.ifconfig.down('vlan0');
    const snap = snapshotKernel(k);
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snap)));
    expect(k2.ifconfig.interfaceNamed('vlan1')!.hardMtu).toBe(65431);
    expect(k2.ifconfig.interfaceNamed('vlan0')!.hardMtu).toBe(0xffff);
    // An older file (no hardMtu): what vlan_up would take now, on the stopped vlan0.
    const old = JSON.parse(JSON.stringify(snap)) as { interfaces: { name: string; hardMtu?: number }[] };
    for (const i of old.interfaces) delete i.hardMtu;
    const k3 = restoreKernel(old as never);
    expect(k3.ifconfig.interfaceNamed('vlan1')!.hardMtu).toBe(0xffff - 4);
  });
});
