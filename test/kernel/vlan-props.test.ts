/**
 * Property test of current's vlan(4) driver (src/kernel/vlan.ts, if_vlan.c 1.222): random
 * sequences over two vethers, two vlans and an svlan — create and destroy (of a parent too), up
 * and down, SIOCSIFPARENT / SIOCDIFPARENT (a vether or another vlan), SIOCSVNETID /
 * SIOCDVNETID, the parents' link state, addresses, MTUs — and after every step the driver's
 * invariants: a running vlan is up, has a parent that exists, that parent's link state, a hard
 * MTU from its parent and an MTU within it (IFF_SIMPLEX is the parent's as vlan_up found it: not
 * checked); a stopped one has neither IFF_SIMPLEX nor a link, and the hard MTU 0xffff; no two
 * running vlans of one type carry one tag on one parent; a vlan names only a parent that exists;
 * every failure is an errno the driver or ifioctl gives for that call; and a vlan whose link
 * state a call changed was announced with it (its link-state task's RTM_IFINFO). FUZZ_RUNS
 * scales the run count (npm run fuzz).
 */
import fc from 'fast-check';
import {
  AF_ROUTE, IFF_RUNNING, IFF_SIMPLEX, IFF_UP, LINK_STATE_DOWN, LINK_STATE_UP, RTABLE_ANY, ROUTE_TABLEFILTER, RTM_IFINFO,
} from '../../src/kernel/constants.js';
import { createKernel } from '../../src/kernel/kernel.js';
import { ERRNO, RtsockErrno } from '../../src/kernel/errno.js';
import type { Interface } from '../../src/kernel/interface.js';
import { drain } from './helpers.js';
import { RUNS } from './model-harness.js';

const VLANS = ['vlan0', 'vlan1', 'svlan0'];
const PARENTS = ['vether0', 'vether1'];

type Op =
  | { kind: 'create' | 'destroy' | 'up' | 'down' | 'unparent' | 'untag' | 'addaddr' | 'deladdr'; name: string }
  | { kind: 'parent'; name: string; parent: string }
  | { kind: 'tag'; name: string; tag: number }
  | { kind: 'link'; name: string; up: boolean }
  | { kind: 'mtu'; name: string; mtu: number };

const vlan = fc.constantFrom(...VLANS);
const any = fc.constantFrom(...VLANS, ...PARENTS);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('create', 'destroy') as fc.Arbitrary<'create'>, name: any }),
  { arbitrary: fc.record({ kind: fc.constantFrom('up', 'down') as fc.Arbitrary<'up'>, name: any }), weight: 4 },
  fc.record({ kind: fc.constantFrom('unparent', 'untag', 'addaddr', 'deladdr') as fc.Arbitrary<'unparent'>, name: vlan }),
  { arbitrary: fc.record({ kind: fc.constant('parent' as const), name: vlan, parent: any }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('tag' as const), name: vlan, tag: fc.constantFrom(1, 2) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('link' as const), name: fc.constantFrom(...PARENTS), up: fc.boolean() }), weight: 2 },
  fc.record({ kind: fc.constant('mtu' as const), name: vlan, mtu: fc.constantFrom(1500, 65431, 65432, 65435, 65436, 65535) }),
);

/** The errnos each call may fail with (the driver's, ifioctl's, and ENOENT for no interface). */
const ALLOWED: Record<Op['kind'], number[]> = {
  create: [ERRNO.EEXIST], destroy: [ERRNO.ENOENT],
  up: [ERRNO.ENOENT, ERRNO.ENXIO, ERRNO.ENOBUFS, ERRNO.EADDRINUSE], down: [ERRNO.ENOENT],
  unparent: [ERRNO.ENOENT, ERRNO.EBUSY], untag: [ERRNO.ENOENT, ERRNO.EADDRINUSE],
  addaddr: [ERRNO.ENOENT, ERRNO.ENXIO, ERRNO.ENOBUFS, ERRNO.EADDRINUSE], deladdr: [ERRNO.ENOENT, ERRNO.EADDRNOTAVAIL],
  parent: [ERRNO.ENOENT, ERRNO.EINVAL, ERRNO.EBUSY, ERRNO.EADDRINUSE],
  tag: [ERRNO.ENOENT, ERRNO.EADDRINUSE], link: [ERRNO.ENOENT], mtu: [ERRNO.ENOENT, ERRNO.EINVAL],
};

function apply(k: ReturnType<typeof createKernel>, o: Op): void {
  const c = k.ifconfig;
  const n = VLANS.indexOf(o.name);
  switch (o.kind) {
    case 'create': c.create(o.name); return;
    case 'destroy': c.destroy(o.name); return;
    case 'up': c.up(o.name); return;
    case 'down': c.down(o.name); return;
    case 'unparent': c.setParent(o.name, ''); return;
    case 'untag': c.clearVnetid(o.name); return;
    case 'addaddr': c.addAddress(o.name, `10.${n}.0.1/24`); return;
    case 'deladdr': c.deleteAddress(o.name, `10.${n}.0.1`); return;
    case 'parent': c.setParent(o.name, o.parent); return;
    case 'tag': c.setVnetid(o.name, o.tag); return;
    case 'link': c.setLinkState(o.name, o.up ? LINK_STATE_UP : LINK_STATE_DOWN); return;
    case 'mtu': c.setMtu(o.name, o.mtu); return;
  }
}

function checkInvariants(k: ReturnType<typeof createKernel>): void {
  const byName = (name: string): Interface | undefined => k.ifconfig.interfaceNamed(name);
  const running: Interface[] = [];
  for (const name of VLANS) {
    const v = byName(name);
    if (!v) continue;
    if (v.parent !== '') expect(byName(v.parent)).toBeDefined();
    if (v.flags & IFF_RUNNING) {
      running.push(v);
      const p = byName(v.parent)!;
      expect(p).toBeDefined();
      expect(v.flags & IFF_UP).toBe(IFF_UP);
      expect(v.linkState).toBe(p.linkState);
      expect(v.mtu).toBeLessThanOrEqual(v.hardMtu);
      expect(v.hardMtu).toBeLessThan(0xffff);
    } else {
      expect(v.flags & IFF_SIMPLEX).toBe(0);
      expect(v.linkState).toBe(LINK_STATE_DOWN);
      expect(v.hardMtu).toBe(0xffff);
    }
  }
  const keys = running.map((v) => `${v.kind.encap}/${v.parent}/${Math.max(0, v.vnetid)}`);
  expect(new Set(keys).size).toBe(keys.length);
}

describe('current\'s vlan driver keeps its invariants under random ioctls', () => {
  it('running vlans follow a parent that exists, one tag per parent, errnos as the driver gives them', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 40, size: 'medium' }), (ops) => {
      const k = createKernel({ dialect: 'openbsd' });
      for (const p of PARENTS) {
        k.ifconfig.create(p);
        k.ifconfig.up(p);
      }
      for (const v of VLANS) k.ifconfig.create(v);
      const s = k.socket();
      s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
      for (const o of ops) {
        const before: [string, Interface, number][] = [];
        for (const n of VLANS) {
          const v = k.ifconfig.interfaceNamed(n);
          if (v) before.push([n, v, v.linkState]);
        }
        try {
          apply(k, o);
        } catch (e) {
          if (!(e instanceof RtsockErrno)) throw e;
          expect(ALLOWED[o.kind]).toContain(e.errno);
        }
        checkInvariants(k);
        const announced = drain('openbsd', s).filter((m) => m.type === RTM_IFINFO)
          .map((m) => `${m.index} ${(m as unknown as { data: { link_state: number } }).data.link_state}`);
        for (const [name, v, link] of before) {
          if (k.ifconfig.interfaceNamed(name) === v && v.linkState !== link) expect(announced).toContain(`${v.index} ${v.linkState}`);
        }
      }
    }), { numRuns: Math.max(400, RUNS * 2) });
  });
});
