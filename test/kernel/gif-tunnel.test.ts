/**
 * gif(4) tunnel endpoints (src/kernel/tunnel.ts): SIOCSLIFPHYADDR, SIOCDIFPHYADDR,
 * SIOCGLIFPHYADDR, SIOCSLIFPHYRTABLE and current's SIOCSLIFPHYTTL / DF / ECN, with the errnos and
 * messages of current if_gif.c 1.141 and of 4.9's gif_ioctl (if_gif.c 1.40-1.70).
 */
import {
  AF_ROUTE, IFF_MULTICAST, IFF_POINTOPOINT, IFF_RUNNING, IFF_UP, RTABLE_ANY, ROUTE_TABLEFILTER, RTF_DONE, RTF_HOST, RTF_UP, RTM_ADD, RTM_IFINFO, RTM_NEWADDR,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { DIALECTS, drain, errnoOf, routeMsg, type DialectArg } from './helpers.js';

function gifKernel(d: DialectArg, ...names: string[]): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d });
  for (const n of names.length ? names : ['gif0']) k.ifconfig.create(n);
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s };
}

const ends = (k: Kernel, name = 'gif0') => {
  const t = k.ifconfig.tunnel(name);
  const text = (e: typeof t.src) => (e.scope ? `${e.address}%${e.scope}` : e.address);
  return `${text(t.src)} -> ${text(t.dst)}`;
};

const P2P = IFF_POINTOPOINT | IFF_MULTICAST;

describe.each(DIALECTS)('gif(4) tunnels, both dialects (%s)', (d) => {
  it('a new gif has no tunnel (SIOCGLIFPHYADDR: EADDRNOTAVAIL) and tunnel rdomain 0', () => {
    const { k } = gifKernel(d);
    expect(errnoOf(() => k.ifconfig.tunnel('gif0'))).toBe(ERRNO.EADDRNOTAVAIL);
    expect(k.ifconfig.tunnelParameters('gif0').rdomain).toBe(0);
  });

  it('IPv4 and IPv6 endpoints are set, read back, replaced and deleted', () => {
    const { k } = gifKernel(d);
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    expect(ends(k)).toBe('192.0.2.1 -> 198.51.100.1');
    k.ifconfig.setTunnel('gif0', '2001:db8::1', '2001:db8::2');
    expect(k.ifconfig.tunnel('gif0').src.af).toBe('inet6');
    expect(ends(k)).toBe('2001:db8::1 -> 2001:db8::2');
    k.ifconfig.deleteTunnel('gif0');
    expect(errnoOf(() => k.ifconfig.tunnel('gif0'))).toBe(ERRNO.EADDRNOTAVAIL);
    // Deleting again is no error (t_af is simply AF_UNSPEC again).
    k.ifconfig.deleteTunnel('gif0');
  });

  it('endpoints of different families, or no destination (tunneladdr), are EINVAL and change nothing', () => {
    const { k } = gifKernel(d);
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    expect(errnoOf(() => k.ifconfig.setTunnel('gif0', '192.0.2.1', '2001:db8::2'))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setTunnel('gif0', '192.0.2.9', undefined))).toBe(ERRNO.EINVAL);
    expect(ends(k)).toBe('192.0.2.1 -> 198.51.100.1');
  });

  it('other interfaces have no tunnel ioctls: ENOTTY; a missing interface ENOENT', () => {
    const { k } = gifKernel(d);
    k.ifconfig.create('vether0');
    expect(errnoOf(() => k.ifconfig.setTunnel('vether0', '192.0.2.1', '198.51.100.1'))).toBe(ERRNO.ENOTTY);
    expect(errnoOf(() => k.ifconfig.tunnel('lo0'))).toBe(ERRNO.ENOTTY);
    expect(errnoOf(() => k.ifconfig.deleteTunnel('vether0'))).toBe(ERRNO.ENOTTY);
    expect(errnoOf(() => k.ifconfig.setTunnelRdomain('vether0', 0))).toBe(ERRNO.ENOTTY);
    expect(errnoOf(() => k.ifconfig.setTunnel('gif9', '192.0.2.1', '198.51.100.1'))).toBe(ERRNO.ENOENT);
  });

  it('tunnel rdomain: an existing table up to RT_TABLEID_MAX (rtable_exists), else EINVAL', () => {
    const { k } = gifKernel(d);
    expect(errnoOf(() => k.ifconfig.setTunnelRdomain('gif0', 5))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setTunnelRdomain('gif0', 256))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setTunnelRdomain('gif0', -1))).toBe(ERRNO.EINVAL);
    k.ifconfig.create('vether0');
    k.ifconfig.setRdomain('vether0', 5);
    k.ifconfig.setTunnelRdomain('gif0', 5);
    expect(k.ifconfig.tunnelParameters('gif0').rdomain).toBe(5);
    // A table that is no rdomain of its own (route -T 7 add) exists as well.
    const s = k.socket();
    s.write(routeMsg(d, { type: 'RTM_ADD', tableid: 7, dst: '10.7.0.0', plen: 16, gw: '127.0.0.1' }));
    expect(k.table(7)).toBeDefined();
    k.ifconfig.setTunnelRdomain('gif0', 7);
    expect(k.ifconfig.tunnelParameters('gif0').rdomain).toBe(7);
  });

  it('moving the gif to another rdomain keeps its tunnel and tunnel rdomain (gif_ioctl ignores SIOCSIFRDOMAIN)', () => {
    const { k } = gifKernel(d);
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    k.ifconfig.setRdomain('gif0', 5);
    expect(ends(k)).toBe('192.0.2.1 -> 198.51.100.1');
    expect(k.ifconfig.tunnelParameters('gif0').rdomain).toBe(0);
  });

  it('destroy frees the tunnel: a new gif0 starts without one (and, in 4.9, the pair is free again)', () => {
    const { k } = gifKernel(d, 'gif0', 'gif1');
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    k.ifconfig.destroy('gif0');
    k.ifconfig.create('gif0');
    expect(errnoOf(() => k.ifconfig.tunnel('gif0'))).toBe(ERRNO.EADDRNOTAVAIL);
    k.ifconfig.setTunnel('gif1', '192.0.2.1', '198.51.100.1');
    expect(ends(k, 'gif1')).toBe('192.0.2.1 -> 198.51.100.1');
  });

  it('deleting the tunnel changes no flag and sends nothing', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    drain(d, s);
    const flags = k.ifconfig.get('gif0')!.flags;
    k.ifconfig.deleteTunnel('gif0');
    expect(k.ifconfig.get('gif0')!.flags).toBe(flags);
    expect(drain(d, s)).toEqual([]);
  });

  it('the tunnel is saved and restored with the kernel state; defaults are not written', () => {
    const { k } = gifKernel(d, 'gif0', 'gif1', 'gif2');
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    k.ifconfig.setTunnel('gif1', 'fe80::1%gif1', '2001:db8::2');
    k.ifconfig.setTunnelRdomain('gif1', 0);
    const snap = snapshotKernel(k);
    expect(snap.interfaces.find((i) => i.name === 'gif2')!.tunnel).toBeUndefined();
    expect(snap.interfaces.find((i) => i.name === 'gif0')!.tunnel).toMatchObject({ af: 'inet', src: 'c0000201', dst: 'c6336401' });
    const r = restoreKernel(JSON.parse(JSON.stringify(snap)));
    expect(ends(r)).toBe('192.0.2.1 -> 198.51.100.1');
    expect(ends(r, 'gif1')).toBe(ends(k, 'gif1'));
    expect(r.ifconfig.tunnelParameters('gif1')).toEqual(k.ifconfig.tunnelParameters('gif1'));
    expect(errnoOf(() => r.ifconfig.tunnel('gif2'))).toBe(ERRNO.EADDRNOTAVAIL);
    // A pair the restored gif0 holds is still the gif's own (4.9's uniqueness check sees it).
    r.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
  });

  it('bad tunnel state in a snapshot is refused with a reason', () => {
    const { k } = gifKernel(d);
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    const snap = snapshotKernel(k);
    snap.interfaces.find((i) => i.name === 'gif0')!.tunnel!.src = 'zz';
    expect(() => restoreKernel(snap)).toThrow(/inconsistent kernel state: tunnel endpoints/);
    const lo = snapshotKernel(k);
    lo.interfaces.find((i) => i.name === 'lo0')!.tunnel = { rdomain: 0 };
    expect(() => restoreKernel(lo)).toThrow(/a tunnel on lo0, which has none/);
  });
});

describe('gif(4) tunnels in current (if_gif.c 1.141)', () => {
  const d = 'openbsd' as const;

  it('setting a tunnel changes no flag and sends no message (gif_set_tunnel; rtm_ifchg sees no change)', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    expect(k.ifconfig.get('gif0')!.flags).toBe(P2P);
    expect(drain(d, s)).toEqual([]);
  });

  it('an unspecified or multicast source, or a multicast destination, is EINVAL; 0.0.0.0 and :: as destination are fine', () => {
    const { k } = gifKernel(d);
    for (const [src, dst] of [['0.0.0.0', '198.51.100.1'], ['224.0.0.1', '198.51.100.1'], ['192.0.2.1', '239.1.1.1'],
      ['::', '2001:db8::2'], ['ff02::1', '2001:db8::2'], ['2001:db8::1', 'ff0e::1']]) {
      expect(errnoOf(() => k.ifconfig.setTunnel('gif0', src!, dst!))).toBe(ERRNO.EINVAL);
    }
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '0.0.0.0');
    expect(ends(k)).toBe('192.0.2.1 -> 0.0.0.0');
    k.ifconfig.setTunnel('gif0', '2001:db8::1', '::');
    expect(ends(k)).toBe('2001:db8::1 -> ::');
  });

  it('two gifs may share a pair (no uniqueness check in gif_set_tunnel)', () => {
    const { k } = gifKernel(d, 'gif0', 'gif1');
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    k.ifconfig.setTunnel('gif1', '192.0.2.1', '198.51.100.1');
    expect(ends(k, 'gif1')).toBe(ends(k, 'gif0'));
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '0.0.0.0');
    k.ifconfig.setTunnel('gif1', '192.0.2.2', '0.0.0.0');
  });

  it('a link-local scope is embedded and recovered; an index no interface has is ENXIO after the source was written', () => {
    const { k } = gifKernel(d);
    const index = k.ifconfig.indexOf('gif0');
    k.ifconfig.setTunnel('gif0', 'fe80::1%gif0', `fe80::2%${index}`);
    expect(ends(k)).toBe(`fe80::1%${index} -> fe80::2%${index}`);
    // in6_embedscope writes t_src6 before dst's scope fails; t_af stays AF_INET6.
    expect(errnoOf(() => k.ifconfig.setTunnel('gif0', 'fe80::7', 'fe80::8%99'))).toBe(ERRNO.ENXIO);
    expect(ends(k)).toBe('fe80::7 -> fe80::8');
    // A global address's scope id is not embedded (IN6_IS_SCOPE_EMBED): it is dropped.
    k.ifconfig.setTunnel('gif0', '2001:db8::1%99', '2001:db8::2');
    expect(ends(k)).toBe('2001:db8::1 -> 2001:db8::2');
  });

  it('ttl 64, nodf, ecn by default; ttl 1..255 or -1 (copy), else EINVAL; df and ecn toggle', () => {
    const { k } = gifKernel(d);
    expect(k.ifconfig.tunnelParameters('gif0')).toEqual({ rdomain: 0, ttl: 64, df: false, ecn: true });
    for (const bad of [0, 256, -2, 1.5]) expect(errnoOf(() => k.ifconfig.setTunnelTtl('gif0', bad))).toBe(ERRNO.EINVAL);
    k.ifconfig.setTunnelTtl('gif0', -1);
    expect(k.ifconfig.tunnelParameters('gif0').ttl).toBe(-1);
    k.ifconfig.setTunnelTtl('gif0', 255);
    k.ifconfig.setTunnelDf('gif0', true);
    k.ifconfig.setTunnelEcn('gif0', false);
    expect(k.ifconfig.tunnelParameters('gif0')).toEqual({ rdomain: 0, ttl: 255, df: true, ecn: false });
    const r = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    expect(r.ifconfig.tunnelParameters('gif0')).toEqual({ rdomain: 0, ttl: 255, df: true, ecn: false });
  });
});

describe('gif(4) tunnels in 4.9 (if_gif.c 1.40-1.70)', () => {
  const d = 'openbsd-4.9' as const;

  it('setting a tunnel sets IFF_RUNNING and calls if_up: RTM_IFINFO with UP|RUNNING, every time', () => {
    const { k, s } = gifKernel(d);
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    const up = P2P | IFF_UP | IFF_RUNNING;
    expect(k.ifconfig.get('gif0')!.flags).toBe(up);
    const m = drain(d, s);
    // if_up's in6_if_up: the first one gives gif0 its link-local address (NEWADDR, the local
    // route and the connected one, which never clones on a point-to-point interface).
    expect(m.map((x) => [x.type, (x as { flags?: number }).flags])).toEqual([
      [RTM_IFINFO, up], [RTM_NEWADDR, 0], [RTM_ADD, RTF_UP | RTF_HOST | RTF_DONE], [RTM_ADD, RTF_UP | RTF_DONE],
    ]);
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.2');
    expect(drain(d, s).map((x) => x.type)).toEqual([RTM_IFINFO]);
  });

  it('a failing set sends nothing and leaves the interface down', () => {
    const { k, s } = gifKernel(d);
    expect(errnoOf(() => k.ifconfig.setTunnel('gif0', '192.0.2.1', '2001:db8::1'))).toBe(ERRNO.EINVAL);
    expect(k.ifconfig.get('gif0')!.flags).toBe(P2P);
    expect(drain(d, s)).toEqual([]);
  });

  it('if_up brings the interface\'s down routes back up (rt_if_track)', () => {
    const { k } = gifKernel(d);
    k.ifconfig.addAddress('gif0', '10.0.0.1/32', { dest: '10.0.0.2' });
    k.ifconfig.down('gif0');
    expect(k.routes(0).find((r) => r.dst === '10.0.0.2')!.flags & 1).toBe(0);
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    expect(k.routes(0).find((r) => r.dst === '10.0.0.2')!.flags & 1).toBe(1);
  });

  it('the pair another gif has is EADDRNOTAVAIL, as is a second unspecified destination; the gif\'s own pair is fine', () => {
    const { k, s } = gifKernel(d, 'gif0', 'gif1');
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '198.51.100.1');
    drain(d, s);
    expect(errnoOf(() => k.ifconfig.setTunnel('gif1', '192.0.2.1', '198.51.100.1'))).toBe(ERRNO.EADDRNOTAVAIL);
    expect(drain(d, s)).toEqual([]);
    expect(errnoOf(() => k.ifconfig.tunnel('gif1'))).toBe(ERRNO.EADDRNOTAVAIL);
    // Either end different is another pair.
    k.ifconfig.setTunnel('gif1', '192.0.2.2', '198.51.100.1');
    k.ifconfig.setTunnel('gif0', '192.0.2.1', '0.0.0.0');
    expect(errnoOf(() => k.ifconfig.setTunnel('gif1', '192.0.2.9', '0.0.0.0'))).toBe(ERRNO.EADDRNOTAVAIL);
    // Only tunnels of the same family are compared; a deleted tunnel holds nothing.
    k.ifconfig.setTunnel('gif1', '2001:db8::1', '::');
    k.ifconfig.deleteTunnel('gif0');
    k.ifconfig.setTunnel('gif1', '192.0.2.9', '0.0.0.0');
  });

  it('no endpoint checks: unspecified and multicast endpoints are taken', () => {
    const { k } = gifKernel(d);
    k.ifconfig.setTunnel('gif0', '0.0.0.0', '224.0.0.1');
    expect(ends(k)).toBe('0.0.0.0 -> 224.0.0.1');
  });

  it('the sockaddr_in6 is kept as given: scope ids are not embedded nor checked (ENXIO is current\'s)', () => {
    const { k, s } = gifKernel(d, 'gif0', 'gif1');
    k.ifconfig.setTunnel('gif0', 'fe80::1%99', 'fe80::2');
    expect(ends(k)).toBe('fe80::1%99 -> fe80::2');
    // The scope is part of the compared sockaddr.
    drain(d, s);
    k.ifconfig.setTunnel('gif1', 'fe80::1', 'fe80::2');
    expect(errnoOf(() => k.ifconfig.setTunnel('gif1', 'fe80::1%99', 'fe80::2'))).toBe(ERRNO.EADDRNOTAVAIL);
  });

  it('no SIOCSLIFPHYTTL / DF / ECN: ENOTTY, and only the rdomain is reported', () => {
    const { k } = gifKernel(d);
    expect(errnoOf(() => k.ifconfig.setTunnelTtl('gif0', 10))).toBe(ERRNO.ENOTTY);
    expect(errnoOf(() => k.ifconfig.setTunnelDf('gif0', true))).toBe(ERRNO.ENOTTY);
    expect(errnoOf(() => k.ifconfig.setTunnelEcn('gif0', false))).toBe(ERRNO.ENOTTY);
    expect(k.ifconfig.tunnelParameters('gif0')).toEqual({ rdomain: 0 });
  });
});
