/**
 * SIOCSIFXFLAGS (if.c ifioctl): current's IFXF_AUTOCONF6 / AUTOCONF6TEMP attach IPv6 (the
 * link-local address) when neither was on, an autoconf flag coming on brings a down interface
 * up (forceup), and other changes are announced by rtm_ifchg; 4.9's (if.c 1.237) IFXF_INET6_PRIVACY
 * is a plain flag and every call sends RTM_IFINFO.
 */
import {
  AF_ROUTE, IFF_UP, IFXF_AUTOCONF4, IFXF_AUTOCONF6, IFXF_AUTOCONF6TEMP, IFXF_INET6_NOSOII, IFXF_INET6_PRIVACY_49, IFXF_LRO, IFXF_MONITOR, IFXF_MPLS, IFXF_WOL,
  RTABLE_ANY, ROUTE_TABLEFILTER, RTM_ADD, RTM_IFINFO, RTM_NEWADDR,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { arpKernel, drain, errnoOf } from './helpers.js';

const xflagsOf = (k: Kernel, name = 'vether0') => k.interfaceByIndex(k.ifconfig.indexOf(name))!.xflags;

describe('interface xflags (openbsd)', () => {
  const d = 'openbsd';

  it('autoconf (inet6) on a down interface: in6_ifattach\'s link-local address (which brings it up), then one RTM_IFINFO with the new flags', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    const s = k.socket();
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    k.ifconfig.setXflags('vether0', { set: IFXF_AUTOCONF6 | IFXF_AUTOCONF6TEMP });
    const msgs = drain(d, s);
    expect(msgs.map((m) => m.type)).toEqual([RTM_NEWADDR, RTM_ADD, RTM_ADD, RTM_IFINFO]);
    expect(msgs.at(-1)!['xflags']).toBe(IFXF_AUTOCONF6 | IFXF_AUTOCONF6TEMP);
    expect(k.ifconfig.get('vether0')!.addresses).toEqual(['fe80000200000000fce1bafffed00002/64']);
    expect(k.ifconfig.get('vether0')!.flags & IFF_UP).toBe(IFF_UP);
    // Setting it again: nothing changes, nothing is said; clearing AUTOCONF6 keeps the address.
    k.ifconfig.setXflags('vether0', { set: IFXF_AUTOCONF6 });
    expect(drain(d, s)).toEqual([]);
    k.ifconfig.setXflags('vether0', { clear: IFXF_AUTOCONF6 });
    expect(drain(d, s).map((m) => [m.type, m['xflags']])).toEqual([[RTM_IFINFO, IFXF_AUTOCONF6TEMP]]);
    expect(k.ifconfig.get('vether0')!.addresses).toHaveLength(1);
  });

  it('AUTOCONF6TEMP alone attaches IPv6 too, but not when AUTOCONF6 was already on', () => {
    const { k, s } = arpKernel(d);
    k.ifconfig.setXflags('vether0', { set: IFXF_AUTOCONF6TEMP });
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_NEWADDR, RTM_ADD, RTM_ADD, RTM_IFINFO]);
    const { k: k2, s: s2 } = arpKernel(d);
    k2.ifconfig.setXflags('vether0', { set: IFXF_AUTOCONF6 });
    drain(d, s2);
    k2.ifconfig.deleteAddress('vether0', 'fe80::fce1:baff:fed0:2%vether0');
    drain(d, s2);
    k2.ifconfig.setXflags('vether0', { set: IFXF_AUTOCONF6TEMP });
    expect(drain(d, s2).map((m) => m.type)).toEqual([RTM_IFINFO]);
    expect(k2.ifconfig.get('vether0')!.addresses).toEqual(['192.0.2.1/24']);
  });

  it('AUTOCONF4 brings a down interface up without IPv6; NOSOII and MONITOR are announced changes on an up one', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    const s = k.socket();
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    k.ifconfig.setXflags('vether0', { set: IFXF_AUTOCONF4 });
    // One RTM_IFINFO: if_up's, carrying the new flag (no second one: IFF_UP changed).
    expect(drain(d, s).map((m) => [m.type, m['xflags'], (m['flags'] as number) & IFF_UP])).toEqual([[RTM_IFINFO, IFXF_AUTOCONF4, IFF_UP]]);
    expect(k.ifconfig.get('vether0')!.addresses).toEqual([]);
    k.ifconfig.setXflags('vether0', { set: IFXF_INET6_NOSOII });
    k.ifconfig.setXflags('vether0', { set: IFXF_MONITOR, clear: IFXF_AUTOCONF4 });
    expect(drain(d, s).map((m) => m['xflags'])).toEqual([IFXF_AUTOCONF4 | IFXF_INET6_NOSOII, IFXF_INET6_NOSOII | IFXF_MONITOR]);
    // A down interface stays down when no autoconf flag comes on.
    k.ifconfig.down('vether0');
    drain(d, s);
    k.ifconfig.setXflags('vether0', { clear: IFXF_MONITOR });
    expect(k.ifconfig.get('vether0')!.flags & IFF_UP).toBe(0);
    expect(drain(d, s).map((m) => m['xflags'])).toEqual([IFXF_INET6_NOSOII]);
    expect(xflagsOf(restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k)))))).toBe(IFXF_INET6_NOSOII);
  });

  it('MPLS is a flag; WOL and LRO need a capability no interface here has: ENOTSUP, nothing assigned but NOSOII, set before the check', () => {
    const { k, s } = arpKernel(d);
    k.ifconfig.setXflags('vether0', { set: IFXF_MPLS });
    expect(drain(d, s).map((m) => [m.type, m['xflags']])).toEqual([[RTM_IFINFO, IFXF_MPLS]]);
    expect(errnoOf(() => k.ifconfig.setXflags('vether0', { set: IFXF_WOL }))).toBe(ERRNO.ENOTSUP);
    expect(errnoOf(() => k.ifconfig.setXflags('vether0', { set: IFXF_LRO, clear: IFXF_MPLS }))).toBe(ERRNO.ENOTSUP);
    expect(drain(d, s)).toEqual([]);
    expect(xflagsOf(k)).toBe(IFXF_MPLS);
    // Clearing them (not set) is no change; NOSOII with WOL: NOSOII stays, announced (rtm_ifchg).
    k.ifconfig.setXflags('vether0', { clear: IFXF_WOL | IFXF_LRO });
    expect(drain(d, s)).toEqual([]);
    expect(errnoOf(() => k.ifconfig.setXflags('vether0', { set: IFXF_INET6_NOSOII | IFXF_WOL }))).toBe(ERRNO.ENOTSUP);
    expect(drain(d, s).map((m) => [m.type, m['xflags']])).toEqual([[RTM_IFINFO, IFXF_MPLS | IFXF_INET6_NOSOII]]);
    expect(xflagsOf(k)).toBe(IFXF_MPLS | IFXF_INET6_NOSOII);
  });

  it('unmodelled xflags are EINVAL; a missing interface ENOENT', () => {
    const { k } = arpKernel(d);
    expect(errnoOf(() => k.ifconfig.setXflags('vether0', { set: 0x1 }))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setXflags('vether9', { set: IFXF_MONITOR }))).toBe(ERRNO.ENOENT);
    expect(xflagsOf(k)).toBe(0);
  });
});

describe('interface xflags (openbsd-4.9)', () => {
  const d = 'openbsd-4.9';

  it('IFXF_INET6_PRIVACY is a plain flag; every SIOCSIFXFLAGS sends RTM_IFINFO, changed or not', () => {
    const { k, s } = arpKernel(d);
    const addresses = k.ifconfig.get('vether0')!.addresses;
    k.ifconfig.setXflags('vether0', { set: IFXF_INET6_PRIVACY_49 });
    k.ifconfig.setXflags('vether0', { set: IFXF_INET6_PRIVACY_49 });
    k.ifconfig.setXflags('vether0', { clear: IFXF_INET6_PRIVACY_49 });
    expect(drain(d, s).map((m) => [m.type, m['xflags']])).toEqual([[RTM_IFINFO, 4], [RTM_IFINFO, 4], [RTM_IFINFO, 0]]);
    expect(k.ifconfig.get('vether0')!.addresses).toEqual(addresses);
    // Current's autoconf flags do not exist in 4.9 (its 0x20 is no flag the model sets).
    expect(errnoOf(() => k.ifconfig.setXflags('vether0', { set: IFXF_AUTOCONF6 }))).toBe(ERRNO.EINVAL);
  });

  it('IFXF_MPLS (0x8; #ifdef MPLS) is a flag too, announced like the others; 4.9 has no IFXF_WOL', () => {
    const { k, s } = arpKernel(d);
    k.ifconfig.setXflags('vether0', { set: IFXF_MPLS });
    k.ifconfig.setXflags('vether0', { set: IFXF_INET6_PRIVACY_49, clear: IFXF_MPLS });
    expect(drain(d, s).map((m) => [m.type, m['xflags']])).toEqual([[RTM_IFINFO, IFXF_MPLS], [RTM_IFINFO, IFXF_INET6_PRIVACY_49]]);
    expect(xflagsOf(k)).toBe(IFXF_INET6_PRIVACY_49);
    expect(errnoOf(() => k.ifconfig.setXflags('vether0', { set: IFXF_WOL }))).toBe(ERRNO.EINVAL);
  });
});
