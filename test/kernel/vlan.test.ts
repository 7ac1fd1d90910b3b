/**
 * vlan(4)'s SIOCSVNETID / SIOCDVNETID and SIOCSIFPARENT / SIOCDIFPARENT as if_vlan.c's
 * vlan_ioctl, vlan_set_parent and vlan_del_parent answer them: tags 1..4094
 * (EVL_VLID_MIN..EVL_VLID_MAX), an Ethernet parent that exists, and none of it while running.
 */
import { createKernel } from '../../src/kernel/kernel.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { DIALECTS, errnoOf } from './helpers.js';

describe.each(DIALECTS)('vlan tag and parent (%s)', (d) => {
  const boot = () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.create('vlan0');
    return k;
  };
  const encap = (k: ReturnType<typeof boot>) => {
    const ifp = k.ifconfig.interfaceNamed('vlan0')!;
    return `${ifp.vnetid} ${ifp.parent || '-'}`;
  };

  it('SIOCSVNETID takes 1..4094 (0 and 4095 are reserved, -1 is ifconfig\'s `any`); SIOCDVNETID clears it', () => {
    const k = boot();
    for (const bad of [0, 4095, -1, 1.5]) expect(errnoOf(() => k.ifconfig.setVnetid('vlan0', bad))).toBe(ERRNO.EINVAL);
    k.ifconfig.setVnetid('vlan0', 1);
    k.ifconfig.setVnetid('vlan0', 4094);
    expect(encap(k)).toBe('4094 -');
    k.ifconfig.clearVnetid('vlan0');
    expect(encap(k)).toBe('-1 -');
    expect(errnoOf(() => k.ifconfig.setVnetid('vether0', 5))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.clearVnetid('vether0'))).toBe(ERRNO.EINVAL);
  });

  it('SIOCSIFPARENT: an unknown parent is EINVAL, one that is not Ethernet EPROTONOSUPPORT; a vlan is Ethernet', () => {
    const k = boot();
    expect(errnoOf(() => k.ifconfig.setParent('vlan0', 'vether9'))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setParent('vlan0', 'lo0'))).toBe(ERRNO.EPROTONOSUPPORT);
    k.ifconfig.setParent('vlan0', 'vether0');
    expect(encap(k)).toBe('-1 vether0');
    // vlan_set_parent checks the type alone: a vlan (IFT_ETHER, from ether_ifattach) may be one.
    k.ifconfig.create('vlan1');
    k.ifconfig.setParent('vlan1', 'vlan0');
    expect(k.ifconfig.interfaceNamed('vlan1')!.parent).toBe('vlan0');
    expect(k.ifconfig.interfaceNamed('vlan0')!.type).toBe(6);
  });

  it('a running vlan keeps its parent (EBUSY), the same parent again is nothing; down, it can change', () => {
    const k = boot();
    k.ifconfig.setParent('vlan0', 'vether0');
    k.ifconfig.up('vlan0');
    expect(k.ifconfig.get('vlan0')!.flags & 0x40).toBe(0x40);
    k.ifconfig.create('vether1');
    expect(errnoOf(() => k.ifconfig.setParent('vlan0', 'vether1'))).toBe(ERRNO.EBUSY);
    expect(errnoOf(() => k.ifconfig.setParent('vlan0', ''))).toBe(ERRNO.EBUSY);
    expect(errnoOf(() => k.ifconfig.setParent('vlan0', 'vether0'))).toBe(0);
    k.ifconfig.down('vlan0');
    k.ifconfig.setParent('vlan0', 'vether1');
    expect(encap(k)).toBe('-1 vether1');
    k.ifconfig.setParent('vlan0', '');
    expect(encap(k)).toBe('-1 -');
  });
});
