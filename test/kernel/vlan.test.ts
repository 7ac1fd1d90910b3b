/**
 * vlan(4)'s SIOCSVNETID / SIOCDVNETID and SIOCSIFPARENT / SIOCDIFPARENT as if_vlan.c's
 * vlan_ioctl, vlan_set_parent and vlan_del_parent answer them: tags 1..4094
 * (EVL_VLID_MIN..EVL_VLID_MAX), an Ethernet parent that exists, and none of it while running.
 */
import {
  AF_ROUTE, IFF_RUNNING, IFF_UP, RTABLE_ANY, ROUTE_TABLEFILTER, RTM_DELADDR, RTM_DELETE, RTM_IFANNOUNCE, RTM_IFINFO,
} from '../../src/kernel/constants.js';
import type { RouteMessage } from '../../src/codec/message.js';
import { createKernel } from '../../src/kernel/kernel.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { DIALECTS, drain, errnoOf, ipv4Only } from './helpers.js';

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

describe.each(DIALECTS)('a vlan\'s parent destroyed (%s)', (d) => {
  /** vether0 with two vlans on it, vlan0 up (running) with an address, vlan1 down. */
  const setup = () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.create('vlan0');
    k.ifconfig.create('vlan1');
    ipv4Only(k, 'vether0', 'vlan0', 'vlan1');
    k.ifconfig.up('vether0');
    k.ifconfig.setParent('vlan0', 'vether0');
    k.ifconfig.setParent('vlan1', 'vether0');
    k.ifconfig.addAddress('vlan0', '192.0.2.1/24');
    const s = k.socket();
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    return { k, s };
  };
  /** A message as `TYPE what`: IFINFO index, IFF_UP|IFF_RUNNING (hex) and link state; IFANNOUNCE's name; a route's or address's address. */
  const text = (m: RouteMessage): string => {
    const x = m as unknown as { name?: string; data?: { link_state: number } };
    if (m.type === RTM_IFINFO) return `IFINFO ${m.index} ${(m.flags & (IFF_UP | IFF_RUNNING)).toString(16)} link ${x.data!.link_state}`;
    if (m.type === RTM_IFANNOUNCE) return `IFANNOUNCE ${x.name}`;
    const sa = m.sockaddrs?.['dst'] ?? m.sockaddrs?.['ifa'];
    const kind = m.type === RTM_DELETE ? 'DELETE' : m.type === RTM_DELADDR ? 'DELADDR' : String(m.type);
    return `${kind} ${sa && 'addr' in sa ? String(sa.addr) : ''}`;
  };

  it(d === 'openbsd'
    ? 'vlan_ifdetach brings the running vlan down (its link task announces it after the detach) and leaves both without a parent'
    : 'the detach hook (2014 if_vlan.c vlan_ifdetach) destroys both vlans first, without if_down', () => {
    const { k, s } = setup();
    const [v0, v1] = [k.ifconfig.interfaceNamed('vlan0')!, k.ifconfig.interfaceNamed('vlan1')!];
    expect(v0.flags & IFF_RUNNING).toBe(IFF_RUNNING);
    k.ifconfig.destroy('vether0');
    const got = drain(d, s).map(text);
    if (d === 'openbsd') {
      // vether0's if_down (IFF_RUNNING stays), its departure, then vlan0's link-state task.
      expect(got).toEqual(['IFINFO 2 40 link 4', 'IFANNOUNCE vether0', `IFINFO ${v0.index} 0 link 2`]);
      expect([v0.parent, v1.parent]).toEqual(['', '']);
      expect(v0.flags & (IFF_UP | IFF_RUNNING)).toBe(0);
      expect(k.ifconfig.interfaceNamed('vlan0')).toBe(v0);
      // vlan0's connected route stays, marked down with its link (rt_if_track: RTF_UP off, no message).
      const connected = k.routes(0, 'inet').find((r) => r.dst === '192.0.2.0' && r.plen === 24);
      expect(connected && (connected.flags & 1)).toBe(0);
    } else {
      // vlan1 (the higher index) first; vlan0's routes go by its rt_if_remove, then vether0's detach.
      expect(got).toEqual([
        'IFINFO 2 40 link 4', 'IFANNOUNCE vlan1',
        'DELETE 192.0.2.0', 'DELETE 192.0.2.1', 'DELETE 192.0.2.255', 'IFANNOUNCE vlan0', 'IFANNOUNCE vether0',
      ]);
      expect(k.ifconfig.interfaceNamed('vlan0')).toBeUndefined();
      expect(k.ifconfig.interfaceNamed('vlan1')).toBeUndefined();
    }
  });
});
