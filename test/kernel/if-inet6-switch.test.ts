/**
 * 4.9's IPv6 switch (if.c 1.237): if_up, and ifioctl once an ioctl brought IFF_UP on, run
 * in6_if_up (in6_ifattach: a link-local address) unless IFXF_NOINET6 is set; `-inet6` and
 * `inet6` are SIOCSIFXFLAGS setting and clearing it (in6_ifdetach; in6_if_up on an interface
 * that is up), each announced by RTM_IFINFO with the flag in ifm_xflags; an rdomain move sets
 * it (silently). Current attaches IPv6 only when asked (SIOCIFAFATTACH, SIOCAIFADDR_IN6). Both refuse an
 * interface whose MTU is below IPV6_MMTU (in6_ifattach: EINVAL), and 4.9 one without
 * IFF_MULTICAST (its tun(4)).
 */
import {
  AF_ROUTE, IFXF_NOINET6_49, RTABLE_ANY, ROUTE_TABLEFILTER, RTM_ADD, RTM_DELADDR, RTM_DELETE, RTM_IFINFO, RTM_NEWADDR,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { drain, errnoOf } from './helpers.js';

const LL = 'fe80::fce1:baff:fed0:2';

/** vether0 (down, no address) and a listener on every table. */
function vether(d: 'openbsd-4.9' | 'openbsd'): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d });
  k.ifconfig.create('vether0');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s };
}

/** `type dst-or-ifa` for each message; RTM_IFINFO as `IFINFO xflags`. */
const summary = (d: 'openbsd-4.9' | 'openbsd', s: RoutingSocket) => drain(d, s).map((m) => {
  if (m.type === RTM_IFINFO) return `IFINFO ${String(m['xflags'])}`;
  const sa = (m.sockaddrs ?? {}) as Record<string, { addr?: string } | undefined>;
  return `${m.type} ${sa['dst']?.addr ?? sa['ifa']?.addr ?? ''}`;
});

const inet6Of = (k: Kernel, name = 'vether0') => k.ifconfig.interfaceNamed(name)!.addrs.filter((a) => a.af === 'inet6').length;
const ATTACHED = [`${RTM_NEWADDR} ${LL}`, `${RTM_ADD} ${LL}`, `${RTM_ADD} fe80::`];
const DETACHED = [`${RTM_DELETE} ${LL}`, `${RTM_DELADDR} ${LL}`, `${RTM_DELETE} fe80::`, `${RTM_DELETE} ff01::`, `${RTM_DELETE} ff02::`];

describe('4.9: if_up attaches IPv6 unless IFXF_NOINET6 (if.c 1.237)', () => {
  const d = 'openbsd-4.9';

  it('up: RTM_IFINFO, then in6_if_up\'s link-local address (NEWADDR, local and connected routes)', () => {
    const { k, s } = vether(d);
    k.ifconfig.up('vether0');
    expect(summary(d, s)).toEqual(['IFINFO 0', ...ATTACHED]);
    // Down and up again: the address is there, in6_ifattach adds nothing.
    k.ifconfig.down('vether0');
    k.ifconfig.up('vether0');
    expect(summary(d, s).filter((x) => !x.startsWith('IFINFO'))).toEqual([]);
  });

  it('an IPv4 address bringing the interface up: its routes, then ifioctl\'s in6_if_up', () => {
    const { k, s } = vether(d);
    k.ifconfig.addAddress('vether0', '192.0.2.1/24');
    expect(summary(d, s).filter((x) => !x.startsWith('IFINFO'))).toEqual([
      `${RTM_NEWADDR} 192.0.2.1`, `${RTM_ADD} 192.0.2.1`, `${RTM_ADD} 192.0.2.0`, `${RTM_ADD} 192.0.2.255`, ...ATTACHED,
    ]);
  });

  it('`-inet6`: in6_ifdetach, then RTM_IFINFO carrying IFXF_NOINET6; if_up attaches nothing while it is set', () => {
    const { k, s } = vether(d);
    k.ifconfig.up('vether0');
    drain(d, s);
    k.ifconfig.disableInet6('vether0');
    expect(summary(d, s)).toEqual([...DETACHED, `IFINFO ${IFXF_NOINET6_49}`]);
    // Setting it again detaches nothing (it was set); the call is announced all the same.
    k.ifconfig.setXflags('vether0', { set: IFXF_NOINET6_49 });
    expect(summary(d, s)).toEqual([`IFINFO ${IFXF_NOINET6_49}`]);
    k.ifconfig.down('vether0');
    k.ifconfig.up('vether0');
    expect(summary(d, s)).toEqual([`IFINFO ${IFXF_NOINET6_49}`, `IFINFO ${IFXF_NOINET6_49}`]);
    expect(inet6Of(k)).toBe(0);
    // SIOCAIFADDR_IN6 does not look at it: the address is added, still no link-local one.
    k.ifconfig.addAddress('vether0', '2001:db8::1/64');
    expect(inet6Of(k)).toBe(1);
    // And setting the flag that is set runs no in6_ifdetach: the address stays.
    k.ifconfig.disableInet6('vether0');
    expect(inet6Of(k)).toBe(1);
  });

  it('`inet6` clears it: in6_if_up on an interface that is up, then RTM_IFINFO; on a down one only the message, the next if_up attaches', () => {
    const { k, s } = vether(d);
    k.ifconfig.up('vether0');
    k.ifconfig.disableInet6('vether0');
    drain(d, s);
    k.ifconfig.enableInet6('vether0');
    expect(summary(d, s)).toEqual([...ATTACHED, 'IFINFO 0']);
    k.ifconfig.disableInet6('vether0');
    k.ifconfig.down('vether0');
    drain(d, s);
    k.ifconfig.enableInet6('vether0');
    expect(summary(d, s)).toEqual(['IFINFO 0']);
    k.ifconfig.up('vether0');
    expect(summary(d, s)).toEqual(['IFINFO 0', ...ATTACHED]);
    // Clearing a flag that is not set attaches nothing, even with the link-local address gone.
    k.ifconfig.deleteAddress('vether0', LL);
    drain(d, s);
    k.ifconfig.enableInet6('vether0');
    expect(summary(d, s)).toEqual(['IFINFO 0']);
    expect(inet6Of(k)).toBe(0);
  });

  it('an rdomain move sets IFXF_NOINET6 unannounced: the interface stays up in its new rdomain without IPv6 until `inet6`', () => {
    const { k, s } = vether(d);
    k.ifconfig.up('vether0');
    drain(d, s);
    k.ifconfig.setRdomain('vether0', 3);
    // rt_if_remove's RTM_DELETEs; no RTM_IFINFO (4.9's SIOCSIFRDOMAIN calls neither if_down nor if_up).
    expect(summary(d, s).filter((x) => !x.startsWith(`${RTM_DELETE} `))).toEqual([]);
    expect(inet6Of(k)).toBe(0);
    k.ifconfig.down('vether0');
    k.ifconfig.up('vether0');
    expect(summary(d, s).at(-1)).toBe(`IFINFO ${IFXF_NOINET6_49}`);
    expect(k.routes(3, 'inet6').filter((r) => r.ifname === 'vether0')).toEqual([]);
    k.ifconfig.enableInet6('vether0');
    expect(k.routes(3, 'inet6').filter((r) => r.ifname === 'vether0').map((r) => r.dst)).toEqual(['fe80::%2', 'fe80::fce1:baff:fed0:2%2', 'ff01::%2', 'ff02::%2']);
  });

  it('tun(4) has no IFF_MULTICAST in 4.9: in6_ifattach refuses it, so opening (if_up) attaches nothing', () => {
    const { k } = vether(d);
    k.ifconfig.openDevice('tun0');
    expect(k.ifconfig.interfaceNamed('tun0')!.isUp).toBe(true);
    expect(inet6Of(k, 'tun0')).toBe(0);
  });

  it('an MTU below IPV6_MMTU: in6_ifattach refuses, if_up goes on without IPv6', () => {
    const { k } = vether(d);
    k.ifconfig.setMtu('vether0', 1279);
    k.ifconfig.up('vether0');
    expect(inet6Of(k)).toBe(0);
    k.ifconfig.setMtu('vether0', 1280);
    k.ifconfig.down('vether0');
    k.ifconfig.up('vether0');
    expect(inet6Of(k)).toBe(1);
  });

  it('a saved state keeps the flag', () => {
    const { k } = vether(d);
    k.ifconfig.disableInet6('vether0');
    const r = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    const s = r.socket();
    r.ifconfig.up('vether0');
    expect(summary(d, s)).toEqual([`IFINFO ${IFXF_NOINET6_49}`]);
  });
});

describe('current: IPv6 only when asked', () => {
  const d = 'openbsd';

  it('up attaches nothing; `-inet6` is no flag (nothing in ifm_xflags)', () => {
    const { k, s } = vether(d);
    k.ifconfig.up('vether0');
    expect(summary(d, s)).toEqual(['IFINFO 0']);
    k.ifconfig.enableInet6('vether0');
    k.ifconfig.disableInet6('vether0');
    expect(summary(d, s)).toEqual([...ATTACHED, ...DETACHED]);
    expect(errnoOf(() => k.ifconfig.setXflags('vether0', { set: IFXF_NOINET6_49 }))).toBe(ERRNO.EINVAL);
  });

  it('an MTU below IPV6_MMTU: SIOCIFAFATTACH and SIOCAIFADDR_IN6 fail with EINVAL, nothing added', () => {
    const { k, s } = vether(d);
    k.ifconfig.setMtu('vether0', 1279);
    drain(d, s);
    expect(errnoOf(() => k.ifconfig.enableInet6('vether0'))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.addAddress('vether0', '2001:db8::1/64'))).toBe(ERRNO.EINVAL);
    expect(inet6Of(k)).toBe(0);
    expect(summary(d, s)).toEqual([]);
  });
});
