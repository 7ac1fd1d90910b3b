/**
 * svlan(4) of current: vlan(4)'s driver under the cloner name "svlan", tagging with
 * ETHERTYPE_QINQ; its tags have a table of their own (vlan_inuse compares the type), so a vlan
 * and an svlan may carry one tag on one parent, two svlans may not. A vlan may run on an svlan
 * (QinQ). 4.9 has no such cloner.
 */
import { IFF_RUNNING, ETHERTYPE_QINQ, ETHERTYPE_VLAN } from '../../src/kernel/constants.js';
import { createKernel } from '../../src/kernel/kernel.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { errnoOf } from './helpers.js';

type K = ReturnType<typeof createKernel>;
const running = (k: K, name: string): boolean => (k.ifconfig.interfaceNamed(name)!.flags & IFF_RUNNING) !== 0;

describe('svlan(4) (current)', () => {
  const boot = () => {
    const k = createKernel({ dialect: 'openbsd' });
    for (const n of ['vether0', 'vlan0', 'svlan0', 'svlan1']) k.ifconfig.create(n);
    k.ifconfig.up('vether0');
    for (const n of ['vlan0', 'svlan0', 'svlan1']) {
      k.ifconfig.setVnetid(n, 5);
      k.ifconfig.setParent(n, 'vether0');
    }
    return k;
  };

  it('is the vlan driver with ETHERTYPE_QINQ: created like a vlan, in group svlan', () => {
    const k = boot();
    const s = k.ifconfig.interfaceNamed('svlan0')!;
    const v = k.ifconfig.interfaceNamed('vlan0')!;
    expect([s.kind.encap, v.kind.encap]).toEqual([ETHERTYPE_QINQ, ETHERTYPE_VLAN]);
    expect(s.groups).toEqual(['all', 'svlan']);
    expect([s.flags, s.mtu, s.hardMtu, s.linkState, [...s.lladdr]]).toEqual([v.flags, v.mtu, v.hardMtu, v.linkState, [...v.lladdr]]);
  });

  it('a vlan and an svlan carry one tag on one parent; a second svlan with it is EADDRINUSE', () => {
    const k = boot();
    k.ifconfig.up('vlan0');
    k.ifconfig.up('svlan0');
    expect([running(k, 'vlan0'), running(k, 'svlan0')]).toEqual([true, true]);
    expect(errnoOf(() => k.ifconfig.up('svlan1'))).toBe(ERRNO.EADDRINUSE);
    // vlan_set_vnetid and vlan_set_parent look in the svlan table too.
    k.ifconfig.setVnetid('svlan1', 6);
    k.ifconfig.up('svlan1');
    expect(errnoOf(() => k.ifconfig.setVnetid('svlan1', 5))).toBe(ERRNO.EADDRINUSE);
    k.ifconfig.down('svlan0');
    k.ifconfig.setVnetid('svlan1', 5);
    expect(errnoOf(() => k.ifconfig.up('svlan0'))).toBe(ERRNO.EADDRINUSE);
  });

  it('QinQ: a vlan on a running svlan takes its hard MTU less EVL_ENCAPLEN; destroying the svlan stops the vlan', () => {
    const k = boot();
    k.ifconfig.create('vlan1');
    k.ifconfig.setVnetid('vlan1', 100);
    k.ifconfig.setParent('vlan1', 'svlan0');
    k.ifconfig.up('svlan0');
    k.ifconfig.up('vlan1');
    expect(k.ifconfig.interfaceNamed('vlan1')!.hardMtu).toBe(65435 - 4);
    k.ifconfig.destroy('svlan0');
    const v = k.ifconfig.interfaceNamed('vlan1')!;
    expect([running(k, 'vlan1'), v.parent]).toEqual([false, '']);
  });

  it('survives the state file as an svlan', () => {
    const k = boot();
    k.ifconfig.up('svlan0');
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    expect(k2.ifconfig.interfaceNamed('svlan0')!.kind.encap).toBe(ETHERTYPE_QINQ);
    expect(running(k2, 'svlan0')).toBe(true);
    expect(errnoOf(() => k2.ifconfig.up('svlan1'))).toBe(ERRNO.EADDRINUSE);
  });
});

it('4.9 has no svlan cloner (if_clone_create: EINVAL)', () => {
  const k = createKernel({ dialect: 'openbsd-4.9' });
  expect(errnoOf(() => k.ifconfig.create('svlan0'))).toBe(ERRNO.EINVAL);
  expect(k.ifconfig.interfaceNamed('svlan0')).toBeUndefined();
});
