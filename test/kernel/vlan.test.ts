/**
 * vlan(4)'s SIOCSVNETID / SIOCDVNETID and SIOCSIFPARENT / SIOCDIFPARENT as if_vlan.c's
 * vlan_ioctl, vlan_set_parent and vlan_del_parent answer them: tags 1..4094
 * (EVL_VLID_MIN..EVL_VLID_MAX), an Ethernet parent that exists, and none of it while running;
 * current's vlan_up / vlan_down (if_vlan.c 1.222, src/kernel/vlan.ts).
 */
import {
  AF_ROUTE, IFF_BROADCAST, IFF_MULTICAST, IFF_RUNNING, IFF_SIMPLEX, IFF_UP, LINK_STATE_DOWN, RTABLE_ANY, ROUTE_TABLEFILTER,
  RTM_ADD, RTM_DELADDR, RTM_DELETE, RTM_IFANNOUNCE, RTM_IFINFO, RTM_NEWADDR,
} from '../../src/kernel/constants.js';
import type { RouteMessage } from '../../src/codec/message.js';
import { createKernel } from '../../src/kernel/kernel.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { DIALECTS, drain, errnoOf, ipv4Only } from './helpers.js';

/** A message as `TYPE what`: IFINFO index, IFF_UP|IFF_RUNNING (hex) and link state; IFANNOUNCE's name; a route's or address's address. */
const text = (m: RouteMessage): string => {
  const x = m as unknown as { name?: string; data?: { link_state: number } };
  if (m.type === RTM_IFINFO) return `IFINFO ${m.index} ${(m.flags & (IFF_UP | IFF_RUNNING)).toString(16)} link ${x.data!.link_state}`;
  if (m.type === RTM_IFANNOUNCE) return `IFANNOUNCE ${x.name}`;
  const sa = m.sockaddrs?.['dst'] ?? m.sockaddrs?.['ifa'];
  const kind = m.type === RTM_DELETE ? 'DELETE' : m.type === RTM_DELADDR ? 'DELADDR' : m.type === RTM_ADD ? 'ADD' : m.type === RTM_NEWADDR ? 'NEWADDR' : String(m.type);
  return `${kind} ${sa && 'addr' in sa ? String(sa.addr) : ''}`;
};

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

describe('current\'s vlan driver: vlan_up, vlan_down and the parent\'s link (if_vlan.c 1.222)', () => {
  const d = 'openbsd';
  /** vether0 (up, link up) and vlan0, vlan1; a listener on every table. */
  const setup = () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.up('vether0');
    k.ifconfig.create('vlan0');
    k.ifconfig.create('vlan1');
    const s = k.socket();
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    const vlan = (name: string) => k.ifconfig.interfaceNamed(name)!;
    return { k, s, vlan, msgs: () => drain(d, s).map(text) };
  };
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

  it('vlan_clone_create: IFF_BROADCAST|IFF_MULTICAST, an all-zero address, link down', () => {
    const { vlan } = setup();
    expect(vlan('vlan0').flags).toBe(IFF_BROADCAST | IFF_MULTICAST);
    expect(hex(vlan('vlan0').lladdr)).toBe('000000000000');
    expect(vlan('vlan0').linkState).toBe(LINK_STATE_DOWN);
  });

  it('up without a parent is ENXIO (the flags go back, nothing is announced); SIOCSIFPARENT takes the parent\'s address silently', () => {
    const { k, vlan, msgs } = setup();
    msgs();
    expect(errnoOf(() => k.ifconfig.up('vlan0'))).toBe(ERRNO.ENXIO);
    expect(vlan('vlan0').flags).toBe(IFF_BROADCAST | IFF_MULTICAST);
    k.ifconfig.setParent('vlan0', 'vether0');
    expect(hex(vlan('vlan0').lladdr)).toBe(hex(vlan('vether0').lladdr));
    expect(vlan('vlan0').linkState).toBe(LINK_STATE_DOWN);
    expect(msgs()).toEqual([]);
    k.ifconfig.setParent('vlan0', '');
    expect(hex(vlan('vlan0').lladdr)).toBe('000000000000');
  });

  it('up: vlan_up (IFF_RUNNING, IFF_SIMPLEX, the parent\'s link, its task after if_up\'s RTM_IFINFO); down: vlan_down likewise', () => {
    const { k, vlan, msgs } = setup();
    k.ifconfig.setParent('vlan0', 'vether0');
    msgs();
    const i = vlan('vlan0').index;
    k.ifconfig.up('vlan0');
    expect(vlan('vlan0').flags & (IFF_UP | IFF_RUNNING | IFF_SIMPLEX)).toBe(IFF_UP | IFF_RUNNING | IFF_SIMPLEX);
    expect(msgs()).toEqual([`IFINFO ${i} 41 link 4`, `IFINFO ${i} 41 link 4`]);
    k.ifconfig.up('vlan0');
    expect(msgs()).toEqual([]);
    k.ifconfig.down('vlan0');
    expect(vlan('vlan0').flags & (IFF_UP | IFF_RUNNING | IFF_SIMPLEX)).toBe(0);
    expect(msgs()).toEqual([`IFINFO ${i} 0 link 2`, `IFINFO ${i} 0 link 2`]);
    // With the parent's link down, vlan_up changes no link state: if_up's message alone.
    k.ifconfig.setLinkState('vether0', LINK_STATE_DOWN);
    msgs();
    k.ifconfig.up('vlan0');
    expect(msgs()).toEqual([`IFINFO ${i} 41 link 2`]);
  });

  it('a running vlan\'s link follows its parent\'s (vlan_link_hook), a stopped one\'s does not', () => {
    const { k, vlan, msgs } = setup();
    k.ifconfig.setParent('vlan0', 'vether0');
    k.ifconfig.setParent('vlan1', 'vether0');
    k.ifconfig.setVnetid('vlan1', 2);
    k.ifconfig.up('vlan0');
    msgs();
    const [p, i] = [vlan('vether0').index, vlan('vlan0').index];
    k.ifconfig.setLinkState('vether0', LINK_STATE_DOWN);
    expect(msgs()).toEqual([`IFINFO ${p} 41 link 2`, `IFINFO ${i} 41 link 2`]);
    expect(vlan('vlan1').linkState).toBe(LINK_STATE_DOWN);
    k.ifconfig.setLinkState('vether0', 4);
    expect(msgs()).toEqual([`IFINFO ${p} 41 link 4`, `IFINFO ${i} 41 link 4`]);
    expect(vlan('vlan1').linkState).toBe(LINK_STATE_DOWN);
  });

  it('a tag a running vlan carries on the parent is EADDRINUSE for another (vlan_inuse); a retag bounces the link, announced once', () => {
    const { k, vlan, msgs } = setup();
    for (const v of ['vlan0', 'vlan1']) {
      k.ifconfig.setVnetid(v, 5);
      k.ifconfig.setParent(v, 'vether0');
    }
    k.ifconfig.up('vlan0');
    msgs();
    expect(errnoOf(() => k.ifconfig.up('vlan1'))).toBe(ERRNO.EADDRINUSE);
    expect(vlan('vlan1').flags & (IFF_UP | IFF_RUNNING)).toBe(0);
    k.ifconfig.setParent('vlan1', '');
    expect(errnoOf(() => k.ifconfig.setParent('vlan1', 'vether0'))).toBe(ERRNO.EADDRINUSE);
    expect(vlan('vlan1').parent).toBe('');
    k.ifconfig.setVnetid('vlan1', 6);
    k.ifconfig.setParent('vlan1', 'vether0');
    k.ifconfig.up('vlan1');
    msgs();
    const i = vlan('vlan0').index;
    // vlan_set_vnetid: link down and back around the change, one task; also when it fails.
    expect(errnoOf(() => k.ifconfig.setVnetid('vlan0', 6))).toBe(ERRNO.EADDRINUSE);
    expect(vlan('vlan0').vnetid).toBe(5);
    expect(msgs()).toEqual([`IFINFO ${i} 41 link 4`]);
    k.ifconfig.setVnetid('vlan0', 7);
    expect(vlan('vlan0').vnetid).toBe(7);
    expect(msgs()).toEqual([`IFINFO ${i} 41 link 4`]);
    k.ifconfig.setVnetid('vlan0', 7);
    expect(msgs()).toEqual([]);
    // SIOCDVNETID twice: the second finds the vlan itself on the parent with no tag.
    k.ifconfig.clearVnetid('vlan0');
    expect(vlan('vlan0').vnetid).toBe(-1);
    expect(errnoOf(() => k.ifconfig.clearVnetid('vlan0'))).toBe(ERRNO.EADDRINUSE);
  });

  it('vlan_up\'s ENOBUFS for an MTU above the parent\'s if_hardmtu; running, SIOCSIFMTU is bound by it', () => {
    const { k, vlan } = setup();
    k.ifconfig.setParent('vlan0', 'vether0');
    const hard = k.policy.interfaceKinds.find((x) => x.prefix === 'vether')!.mtuMax;
    k.ifconfig.setMtu('vlan0', hard + 1);
    expect(errnoOf(() => k.ifconfig.up('vlan0'))).toBe(ERRNO.ENOBUFS);
    k.ifconfig.setMtu('vlan0', hard);
    k.ifconfig.up('vlan0');
    expect(errnoOf(() => k.ifconfig.setMtu('vlan0', hard + 1))).toBe(ERRNO.EINVAL);
    k.ifconfig.down('vlan0');
    k.ifconfig.setMtu('vlan0', 0xffff);
    expect(vlan('vlan0').mtu).toBe(0xffff);
  });

  it('an address without a parent: ENXIO, not listed, IFF_UP left on; with one, vlan_up runs and ifioctl announces the flags', () => {
    const { k, vlan, msgs } = setup();
    msgs();
    expect(errnoOf(() => k.ifconfig.addAddress('vlan0', '192.0.2.1/24'))).toBe(ERRNO.ENXIO);
    expect(vlan('vlan0').addrs).toEqual([]);
    expect(vlan('vlan0').flags & (IFF_UP | IFF_RUNNING)).toBe(IFF_UP);
    expect(k.routes(0, 'inet').filter((r) => r.dst.startsWith('192.0.2.'))).toEqual([]);
    expect(msgs()).toEqual([]);
    k.ifconfig.setParent('vlan0', 'vether0');
    k.ifconfig.addAddress('vlan0', '192.0.2.1/24');
    const i = vlan('vlan0').index;
    const got = msgs();
    // The address's routes, then ifioctl's rtm_ifchg (IFF_UP was on already), then the link task.
    expect(got.slice(-2)).toEqual([`IFINFO ${i} 41 link 4`, `IFINFO ${i} 41 link 4`]);
    expect(got.some((m) => m.startsWith('NEWADDR'))).toBe(true);
  });

  it('IFVF_LLADDR: an address set stays through SIOCSIFPARENT and SIOCDIFPARENT; all zeros gives the parent\'s back at the next SIOCSIFPARENT', () => {
    const { k, vlan } = setup();
    const mine = Uint8Array.of(2, 0, 0, 0, 0, 9);
    k.ifconfig.setLladdr('vlan0', mine);
    k.ifconfig.setParent('vlan0', 'vether0');
    expect(hex(vlan('vlan0').lladdr)).toBe(hex(mine));
    k.ifconfig.setParent('vlan0', '');
    expect(hex(vlan('vlan0').lladdr)).toBe(hex(mine));
    // IFVF_LLADDR is kept in the state file.
    const back = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    back.ifconfig.setParent('vlan0', 'vether0');
    expect(hex(back.ifconfig.interfaceNamed('vlan0')!.lladdr)).toBe(hex(mine));
    // ifioctl's if_setlladdr after vlan_setlladdr: the request's address (zeros) stays.
    k.ifconfig.setLladdr('vlan0', new Uint8Array(6));
    expect(hex(vlan('vlan0').lladdr)).toBe('000000000000');
    k.ifconfig.setParent('vlan0', 'vether0');
    expect(hex(vlan('vlan0').lladdr)).toBe(hex(vlan('vether0').lladdr));
  });
});
