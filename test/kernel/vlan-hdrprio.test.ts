/**
 * Header priorities (`ifconfig X txprio P` / `rxprio P`: SIOCSTXHPRIO / SIOCSRXHPRIO and their
 * getters). Current: vlan(4) and svlan(4) start at IF_HDRPRIO_PACKET / IF_HDRPRIO_OUTER
 * (if_vlan.c 1.222 vlan_clone_create) and take what if.c 1.741's if_txhprio_l2_check /
 * if_rxhprio_l2_check take; gif(4) starts at IF_HDRPRIO_PAYLOAD both ways and takes the l3
 * checks' values (if_gif.c 1.141); other drivers have no such case: ENOTTY (ether_ioctl,
 * loioctl, tun_ioctl). 4.9 has neither ioctl: every driver answers ENOTTY, as for the other
 * ioctls it does not know (SIOCSIFLLPRIO).
 */
import { AF_ROUTE, RTABLE_ANY, ROUTE_TABLEFILTER } from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import {
  IF_HDRPRIO_OUTER, IF_HDRPRIO_PACKET, IF_HDRPRIO_PAYLOAD,
} from '../../src/kernel/hdrprio.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import { restoreKernel, snapshotKernel, type InterfaceSnapshot } from '../../src/kernel/state.js';
import { DIALECTS, errnoOf } from './helpers.js';

const PACKET = IF_HDRPRIO_PACKET;
const PAYLOAD = IF_HDRPRIO_PAYLOAD;
const OUTER = IF_HDRPRIO_OUTER;

function boot(names: string[]): Kernel {
  const k = createKernel({ dialect: 'openbsd' });
  for (const n of names) k.ifconfig.create(n);
  return k;
}

describe('SIOCSTXHPRIO / SIOCSRXHPRIO (openbsd)', () => {
  it('the values: IF_HDRPRIO_PACKET -1, PAYLOAD -2, OUTER -3 (if.h 1.221)', () => {
    expect([PACKET, PAYLOAD, OUTER]).toEqual([-1, -2, -3]);
  });

  it('a new vlan or svlan has txprio packet, rxprio outer; a gif payload both ways', () => {
    const k = boot(['vlan0', 'svlan0', 'gif0']);
    expect(k.ifconfig.headerPriorities('vlan0')).toEqual({ tx: PACKET, rx: OUTER });
    expect(k.ifconfig.headerPriorities('svlan0')).toEqual({ tx: PACKET, rx: OUTER });
    expect(k.ifconfig.headerPriorities('gif0')).toEqual({ tx: PAYLOAD, rx: PAYLOAD });
  });

  it.each(['vlan0', 'svlan0'])('%s: tx takes 0..7 and packet, rx also outer; anything else is EINVAL and changes nothing', (name) => {
    const k = boot([name]);
    for (let p = 0; p <= 7; p++) {
      expect([errnoOf(() => k.ifconfig.setTxprio(name, p)), errnoOf(() => k.ifconfig.setRxprio(name, p))]).toEqual([0, 0]);
      expect(k.ifconfig.headerPriorities(name)).toEqual({ tx: p, rx: p });
    }
    k.ifconfig.setTxprio(name, PACKET);
    k.ifconfig.setRxprio(name, OUTER);
    expect(k.ifconfig.headerPriorities(name)).toEqual({ tx: PACKET, rx: OUTER });
    k.ifconfig.setRxprio(name, PACKET);
    expect(k.ifconfig.headerPriorities(name)).toEqual({ tx: PACKET, rx: PACKET });
    for (const p of [PAYLOAD, OUTER, 8, -4, 1.5]) expect([p, errnoOf(() => k.ifconfig.setTxprio(name, p))]).toEqual([p, ERRNO.EINVAL]);
    for (const p of [PAYLOAD, 8, -4]) expect([p, errnoOf(() => k.ifconfig.setRxprio(name, p))]).toEqual([p, ERRNO.EINVAL]);
    expect(k.ifconfig.headerPriorities(name)).toEqual({ tx: PACKET, rx: PACKET });
  });

  it('gif: the l3 checks also take payload (tx and rx) and outer (rx only)', () => {
    const k = boot(['gif0']);
    k.ifconfig.setTxprio('gif0', PACKET);
    k.ifconfig.setRxprio('gif0', OUTER);
    expect(k.ifconfig.headerPriorities('gif0')).toEqual({ tx: PACKET, rx: OUTER });
    k.ifconfig.setTxprio('gif0', PAYLOAD);
    k.ifconfig.setRxprio('gif0', 7);
    expect(k.ifconfig.headerPriorities('gif0')).toEqual({ tx: PAYLOAD, rx: 7 });
    expect([OUTER, 8, -4].map((p) => errnoOf(() => k.ifconfig.setTxprio('gif0', p)))).toEqual([ERRNO.EINVAL, ERRNO.EINVAL, ERRNO.EINVAL]);
    expect([8, -4].map((p) => errnoOf(() => k.ifconfig.setRxprio('gif0', p)))).toEqual([ERRNO.EINVAL, ERRNO.EINVAL]);
  });

  it('lo, vether, tun and tap have no such case (ENOTTY); a missing interface is ENOENT', () => {
    const k = boot(['vether0', 'tun0', 'tap0']);
    for (const n of ['lo0', 'vether0', 'tun0', 'tap0']) {
      expect([n, errnoOf(() => k.ifconfig.setTxprio(n, 0)), errnoOf(() => k.ifconfig.setRxprio(n, 0)), errnoOf(() => k.ifconfig.headerPriorities(n))])
        .toEqual([n, ERRNO.ENOTTY, ERRNO.ENOTTY, ERRNO.ENOTTY]);
    }
    expect(errnoOf(() => k.ifconfig.setTxprio('vlan9', 0))).toBe(ERRNO.ENOENT);
  });

  it('nothing is announced, and a running vlan takes a new priority as a down one does', () => {
    const k = boot(['vether0', 'vlan0']);
    k.ifconfig.up('vether0');
    k.ifconfig.setVnetid('vlan0', 5);
    k.ifconfig.setParent('vlan0', 'vether0');
    k.ifconfig.up('vlan0');
    const s = k.socket();
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    k.ifconfig.setTxprio('vlan0', 6);
    k.ifconfig.setRxprio('vlan0', 2);
    expect(s.read()).toBeNull();
    expect(k.ifconfig.headerPriorities('vlan0')).toEqual({ tx: 6, rx: 2 });
  });

  it('the state file keeps what is not the driver\'s default; older files load the defaults; bad values are refused', () => {
    const k = boot(['vlan0', 'svlan0', 'gif0', 'vether0']);
    k.ifconfig.setTxprio('vlan0', 5);
    k.ifconfig.setRxprio('vlan0', PACKET);
    k.ifconfig.setRxprio('svlan0', 0);
    k.ifconfig.setTxprio('gif0', PACKET);
    const snap = snapshotKernel(k);
    const entry = (name: string) => snap.interfaces.find((i) => i.name === name)!;
    const prios = (i: InterfaceSnapshot) => [i.txprio, i.rxprio];
    expect(['vlan0', 'svlan0', 'gif0', 'vether0', 'lo0'].map((n) => prios(entry(n)))).toEqual([
      [5, PACKET], [undefined, 0], [PACKET, undefined], [undefined, undefined], [undefined, undefined],
    ]);
    const back = restoreKernel(JSON.parse(JSON.stringify(snap)));
    expect(['vlan0', 'svlan0', 'gif0'].map((n) => back.ifconfig.headerPriorities(n))).toEqual([
      { tx: 5, rx: PACKET }, { tx: PACKET, rx: 0 }, { tx: PACKET, rx: PAYLOAD },
    ]);
    // A file saved before the priorities were kept.
    const old = JSON.parse(JSON.stringify(snap)) as typeof snap;
    for (const i of old.interfaces) {
      delete i.txprio;
      delete i.rxprio;
    }
    const fresh = restoreKernel(old);
    expect(['vlan0', 'gif0'].map((n) => fresh.ifconfig.headerPriorities(n))).toEqual([{ tx: PACKET, rx: OUTER }, { tx: PAYLOAD, rx: PAYLOAD }]);
    // What the driver's check refuses, or a priority on a driver without them, is inconsistent.
    const withEntry = (name: string, change: Partial<InterfaceSnapshot>) => {
      const s = JSON.parse(JSON.stringify(snap)) as typeof snap;
      Object.assign(s.interfaces.find((i) => i.name === name)!, change);
      return () => restoreKernel(s);
    };
    expect(withEntry('vlan0', { txprio: OUTER })).toThrow(/inconsistent kernel state: txprio -3 on vlan0/);
    expect(withEntry('vlan0', { rxprio: PAYLOAD })).toThrow(/rxprio -2 on vlan0/);
    expect(withEntry('gif0', { rxprio: 8 })).toThrow(/rxprio 8 on gif0/);
    expect(withEntry('vether0', { txprio: 1 })).toThrow(/txprio 1 on vether0/);
    expect(withEntry('vlan0', { txprio: '5' as unknown as number })).toThrow(/txprio 5 on vlan0/);
  });
});

describe.each(DIALECTS)('header priorities by dialect (%s)', (d) => {
  it(d === 'openbsd' ? 'current: vlan and gif answer' : '4.9 has neither ioctl: every driver answers ENOTTY', () => {
    const k = createKernel({ dialect: d });
    for (const n of ['vlan0', 'gif0', 'vether0']) k.ifconfig.create(n);
    const answers = ['vlan0', 'gif0', 'vether0', 'lo0'].map((n) => [
      errnoOf(() => k.ifconfig.setTxprio(n, 1)), errnoOf(() => k.ifconfig.setRxprio(n, 1)), errnoOf(() => k.ifconfig.headerPriorities(n)),
    ]);
    const ENOTTY = [ERRNO.ENOTTY, ERRNO.ENOTTY, ERRNO.ENOTTY];
    expect(answers).toEqual(d === 'openbsd' ? [[0, 0, 0], [0, 0, 0], ENOTTY, ENOTTY] : [ENOTTY, ENOTTY, ENOTTY, ENOTTY]);
    // Nothing to save in 4.9.
    expect(snapshotKernel(k).interfaces.some((i) => i.txprio !== undefined || i.rxprio !== undefined)).toBe(d === 'openbsd');
  });
});
