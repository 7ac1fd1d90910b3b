/**
 * tun(4) and tap(4): the interfaces (current if_tun.c 1.252; 4.9 from 1.104, the nearest stored
 * revision) and their character device, whose open and close move the link and IFF_RUNNING.
 * Messages are read from the bytes at the ABI's offsets.
 */
import { getDialect } from '../../src/abi/dialect.js';
import {
  AF_ROUTE, IFF_BROADCAST, IFF_MULTICAST, IFF_POINTOPOINT, IFF_RUNNING, IFF_SIMPLEX, IFF_UP, IFT_ETHER, IFT_TUNNEL,
  LINK_STATE_DOWN, LINK_STATE_FULL_DUPLEX, LINK_STATE_UNKNOWN, LINK_STATE_UP, RTABLE_ANY, ROUTE_TABLEFILTER, RTF_STATIC,
  RTF_DONE, RTF_UP, RTM_ADD, RTM_DELADDR, RTM_DELETE, RTM_IFANNOUNCE, RTM_IFINFO, RTM_NEWADDR,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import type { RouteMessage } from '../../src/codec/message.js';
import { DIALECTS, decode, errnoOf, routeMsg, type DialectArg } from './helpers.js';

const P2P = IFF_POINTOPOINT;
const is49 = (d: DialectArg) => d === 'openbsd-4.9';
/** tun_create's flags: IFF_POINTOPOINT (1.104), IFF_POINTOPOINT|IFF_MULTICAST (1.252). */
const tunFlags = (d: DialectArg) => (is49(d) ? P2P : P2P | IFF_MULTICAST);

function tunKernel(d: DialectArg, ...names: string[]): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d });
  for (const n of names) k.ifconfig.create(n);
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s };
}

/** tun0 with 10.8.0.1 --> 10.8.0.2, its device open, the listener drained. */
function openTun(d: DialectArg): { k: Kernel; s: RoutingSocket } {
  const t = tunKernel(d, 'tun0');
  t.k.ifconfig.addAddress('tun0', '10.8.0.1/32', { dest: '10.8.0.2' });
  t.k.ifconfig.openDevice('tun0');
  raw(t.s);
  return t;
}

/** RTF_UP of the destination's host route. */
const destUp = (k: Kernel) => k.routes(0, 'inet').find((r) => r.dst === '10.8.0.2')!.flags & RTF_UP;

function raw(s: RoutingSocket): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let m = s.read(); m; m = s.read()) out.push(m);
  return out;
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;

/** if_msghdr at the ABI's offsets: `type index flags link_state mtu iftype`. */
function ifinfo(d: DialectArg, b: Uint8Array): string {
  const h = getDialect(d).headers['if_msghdr']!;
  const at = (name: string) => h.fields.find((f) => f.name === name)!.offset;
  const data = h.fields.find((f) => f.name === 'data')!;
  const dat = (name: string) => data.offset + data.struct!.fields.find((f) => f.name === name)!.offset;
  expect(b[3]).toBe(RTM_IFINFO);
  expect(u16(b, 0)).toBe(b.length);
  return `index ${u16(b, at('index'))} flags ${u32(b, at('flags')).toString(16)} link ${b[dat('link_state')]} mtu ${u32(b, dat('mtu'))} type ${b[dat('type')]}`;
}

/** if_announcemsghdr, byte for byte: msglen, version, type, hdrlen, index, what, name[IFNAMSIZ]. */
function announce(d: DialectArg, index: number, name: string, what: number): string {
  const b = Buffer.alloc(26);
  b.writeUInt16LE(26, 0);
  b[2] = getDialect(d).rtmVersion;
  b[3] = RTM_IFANNOUNCE;
  b.writeUInt16LE(26, 4);
  b.writeUInt16LE(index, 6);
  b.writeUInt16LE(what, 8);
  b.write(name, 10, 'latin1');
  return b.toString('hex');
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const NAMES: Record<number, string> = { [RTM_DELETE]: 'DELETE', [RTM_DELADDR]: 'DELADDR' };
/** A message as `ifinfo` writes RTM_IFINFO, else `IFANNOUNCE name what` or `TYPE address` (the destination, or the address's). */
function text(d: DialectArg, b: Uint8Array): string {
  if (b[3] === RTM_IFINFO) return ifinfo(d, b);
  const m = decode(d, b) as RouteMessage & { name?: string; what?: number };
  if (m.type === RTM_IFANNOUNCE) return `IFANNOUNCE ${String(m.name)} ${String(m.what)}`;
  const sa = m.sockaddrs['dst'] ?? m.sockaddrs['ifa'];
  return `${NAMES[m.type] ?? m.type} ${sa && 'addr' in sa ? String(sa.addr) : '-'}`;
}

/** rt_msghdr's type and flags (at the ABI's offset) of a message. */
function rtFlags(d: DialectArg, b: Uint8Array): [number, number] {
  const at = getDialect(d).headers['rt_msghdr']!.fields.find((f) => f.name === 'flags')!.offset;
  return [b[3]!, u32(b, at)];
}

/** `route add -inet <net>/24 <gw> -interface`: RTF_STATIC, no RTF_GATEWAY. */
const addViaInterface = (d: DialectArg, net: string, gw: string) => routeMsg(d, { dst: net, plen: 24, gw, flags: RTF_UP | RTF_STATIC });

describe.each(DIALECTS)('tun(4) interfaces (%s)', (d) => {
  it('create announces IFAN_ARRIVAL; the interface is point-to-point, IFT_TUNNEL, mtu 1500, no lladdr', () => {
    const { k, s } = tunKernel(d);
    k.ifconfig.create('tun0');
    expect(raw(s).map(hex)).toEqual([announce(d, 2, 'tun0', 0)]);
    const ifp = k.ifconfig.interfaceNamed('tun0')!;
    // if_types.h: IFT_TUNNEL 0x83.
    expect([ifp.flags, ifp.type, ifp.mtu, ifp.lladdr.length]).toEqual([tunFlags(d), 0x83, 1500, 0]);
    // 1.104 never sets the link state before tun_link_state; 1.252 starts it LINK_STATE_DOWN.
    expect(ifp.linkState).toBe(is49(d) ? LINK_STATE_UNKNOWN : LINK_STATE_DOWN);
    expect(k.ifconfig.isDeviceOpen('tun0')).toBe(false);
    expect(errnoOf(() => k.ifconfig.create('tun0'))).toBe(ERRNO.EEXIST);
  });

  it('SIOCSIFMTU: ETHERMIN..TUNMRU (46..16384), RTM_IFINFO with the new MTU; else EINVAL', () => {
    const { k, s } = tunKernel(d, 'tun0');
    for (const bad of [45, 16385, 0, 1.5]) expect(errnoOf(() => k.ifconfig.setMtu('tun0', bad))).toBe(ERRNO.EINVAL);
    expect(raw(s)).toEqual([]);
    k.ifconfig.setMtu('tun0', 46);
    k.ifconfig.setMtu('tun0', 16384);
    const ls = is49(d) ? 0 : 2;
    expect(raw(s).map((b) => ifinfo(d, b))).toEqual([
      `index 2 flags ${tunFlags(d).toString(16)} link ${ls} mtu 46 type ${IFT_TUNNEL}`,
      `index 2 flags ${tunFlags(d).toString(16)} link ${ls} mtu 16384 type ${IFT_TUNNEL}`,
    ]);
  });

  it('an address with a destination: the driver sets IFF_UP|IFF_RUNNING itself (no RTM_IFINFO); the routes follow the link', () => {
    const { k, s } = tunKernel(d, 'tun0');
    k.ifconfig.addAddress('tun0', '10.8.0.1/32', { dest: '10.8.0.2' });
    const msgs = raw(s);
    expect(msgs.map((b) => b[3])).toEqual([RTM_NEWADDR, RTM_ADD, RTM_ADD]);
    expect(k.ifconfig.get('tun0')!.flags).toBe(tunFlags(d) | IFF_UP | IFF_RUNNING);
    // The destination's host route: up while the link is UNKNOWN (4.9), down while DOWN (current).
    const [type, flags] = rtFlags(d, msgs[2]!);
    expect(type).toBe(RTM_ADD);
    expect(flags & RTF_UP).toBe(is49(d) ? RTF_UP : 0);
    k.ifconfig.deleteAddress('tun0', '10.8.0.1');
    expect(raw(s).map((b) => b[3])).toEqual([RTM_DELETE, RTM_DELETE, RTM_DELADDR]);
  });

  it('opening the device: IFF_RUNNING and the link come up, announced; routes through tun0 come up', () => {
    const { k, s } = tunKernel(d, 'tun0');
    k.ifconfig.addAddress('tun0', '10.8.0.1/32', { dest: '10.8.0.2' });
    raw(s);
    k.ifconfig.down('tun0');
    raw(s);
    const w = k.socket();
    w.write(addViaInterface(d, '10.8.1.0', '10.8.0.1'));
    const [type, flags] = rtFlags(d, raw(w)[0]!);
    expect(type).toBe(RTM_ADD);
    expect(flags & RTF_UP).toBe(0);
    raw(s);
    k.ifconfig.openDevice('tun0');
    const f = (x: number) => (tunFlags(d) | x).toString(16);
    // 1.104 tunopen: IFF_RUNNING, tun_link_state (UP: announced), then if_up (announced again).
    // 1.252 tun_dev_open: IFF_UP|IFF_RUNNING directly, tun_link_state(FULL_DUPLEX) announced once.
    expect(raw(s).map((b) => ifinfo(d, b))).toEqual(is49(d)
      ? [`index 2 flags ${f(IFF_RUNNING)} link ${LINK_STATE_UP} mtu 1500 type ${IFT_TUNNEL}`,
        `index 2 flags ${f(IFF_UP | IFF_RUNNING)} link ${LINK_STATE_UP} mtu 1500 type ${IFT_TUNNEL}`]
      : [`index 2 flags ${f(IFF_UP | IFF_RUNNING)} link ${LINK_STATE_FULL_DUPLEX} mtu 1500 type ${IFT_TUNNEL}`]);
    expect(k.ifconfig.isDeviceOpen('tun0')).toBe(true);
    expect(k.routes(0, 'inet').filter((r) => r.ifname === 'tun0').every((r) => r.flags & RTF_UP)).toBe(true);
    // A route added now is up.
    raw(w);
    w.write(addViaInterface(d, '10.8.2.0', '10.8.0.1'));
    expect(rtFlags(d, raw(w)[0]!)).toEqual([RTM_ADD, RTF_UP | RTF_STATIC | RTF_DONE]);
  });

  it('a second open is EBUSY and changes nothing', () => {
    const { k, s } = tunKernel(d, 'tun0');
    k.ifconfig.openDevice('tun0');
    raw(s);
    expect(errnoOf(() => k.ifconfig.openDevice('tun0'))).toBe(ERRNO.EBUSY);
    expect(raw(s)).toEqual([]);
    expect(k.ifconfig.isDeviceOpen('tun0')).toBe(true);
  });

  it('closing the device: the link goes down (announced), routes through tun0 lose RTF_UP; the addresses stay', () => {
    const { k, s } = openTun(d);
    k.ifconfig.closeDevice('tun0');
    // 1.104 tunclose clears IFF_RUNNING only; 1.252 tun_dev_close clears IFF_UP too.
    const left = tunFlags(d) | (is49(d) ? IFF_UP : 0);
    expect(raw(s).map((b) => ifinfo(d, b))).toEqual([`index 2 flags ${left.toString(16)} link ${LINK_STATE_DOWN} mtu 1500 type ${IFT_TUNNEL}`]);
    expect(k.ifconfig.get('tun0')!.addresses).toEqual(['10.8.0.1/32']);
    expect(destUp(k)).toBe(0);
    expect(k.ifconfig.isDeviceOpen('tun0')).toBe(false);
    expect(errnoOf(() => k.ifconfig.closeDevice('tun0'))).toBe(ERRNO.ENXIO);
    // Open again: the link comes back, and so do the routes.
    k.ifconfig.openDevice('tun0');
    expect(destUp(k)).toBe(RTF_UP);
  });

  it('opening a missing tun creates it (IFAN_ARRIVAL) and its close destroys it (IFAN_DEPARTURE)', () => {
    const { k, s } = tunKernel(d);
    k.ifconfig.openDevice('tun3');
    const opened = raw(s);
    expect(hex(opened[0]!)).toBe(announce(d, 2, 'tun3', 0));
    expect(opened.slice(1).map((b) => b[3])).toEqual(is49(d) ? [RTM_IFINFO, RTM_IFINFO] : [RTM_IFINFO]);
    k.ifconfig.closeDevice('tun3');
    const closed = raw(s);
    // 1.104: tun_link_state(DOWN) first, then if_clone_destroy (if_down: IFF_UP was still set).
    // 1.252: IFF_UP|IFF_RUNNING cleared silently, then if_clone_destroy only.
    expect(closed.slice(0, -1).map((b) => ifinfo(d, b))).toEqual(is49(d)
      ? [`index 2 flags ${(P2P | IFF_UP).toString(16)} link 2 mtu 1500 type ${IFT_TUNNEL}`, `index 2 flags ${P2P.toString(16)} link 2 mtu 1500 type ${IFT_TUNNEL}`]
      : []);
    expect(hex(closed.at(-1)!)).toBe(announce(d, 2, 'tun3', 1));
    expect(k.ifconfig.interfaceNamed('tun3')).toBeUndefined();
  });

  it('opening a missing tun from a process in another table clones it into that table\'s rdomain (current tun_dev_open; 4.9: rdomain 0)', () => {
    const { k } = tunKernel(d, 'vether0');
    k.ifconfig.setRdomain('vether0', 5);
    k.ifconfig.openDevice('tun3', { rtable: 5 });
    expect(k.ifconfig.get('tun3')).toMatchObject({ rdomain: is49(d) ? 0 : 5 });
    // A table of rdomain 0 (route -T 7 add) clones into rdomain 0; an interface that exists stays where it is.
    k.addTable(7, 0);
    k.ifconfig.openDevice('tun4', { rtable: 7 });
    expect(k.ifconfig.get('tun4')).toMatchObject({ rdomain: 0 });
    k.ifconfig.create('tun6');
    k.ifconfig.openDevice('tun6', { rtable: 5 });
    expect(k.ifconfig.get('tun6')).toMatchObject({ rdomain: 0 });
  });

  it('an interface made by ifconfig create outlives the close (TUN_STAYUP)', () => {
    const { k } = tunKernel(d, 'tun0');
    k.ifconfig.openDevice('tun0');
    k.ifconfig.closeDevice('tun0');
    expect(k.ifconfig.interfaceNamed('tun0')).toBeDefined();
  });

  it('destroying an open tun: if_down (IFF_RUNNING kept), the purge, IFAN_DEPARTURE; the device is closed with it', () => {
    const { k, s } = openTun(d);
    k.ifconfig.destroy('tun0');
    // if_clone_destroy's if_down clears IFF_UP alone. Current's tun_clone_destroy then revokes
    // the device: tun_dev_close on the dead tun clears the flags silently, the link unchanged.
    const link = is49(d) ? LINK_STATE_UP : LINK_STATE_FULL_DUPLEX;
    expect(raw(s).map((b) => text(d, b))).toEqual([
      `index 2 flags ${(tunFlags(d) | IFF_RUNNING).toString(16)} link ${link} mtu 1500 type ${IFT_TUNNEL}`,
      // 4.9's if_detach: rt_if_remove in radix order, no DELADDR.
      ...(is49(d) ? ['DELETE 10.8.0.1', 'DELETE 10.8.0.2'] : ['DELETE 10.8.0.2', 'DELETE 10.8.0.1', 'DELADDR 10.8.0.1']),
      'IFANNOUNCE tun0 1',
    ]);
    expect(k.routes(0, 'inet').filter((r) => r.ifname === 'tun0')).toEqual([]);
    expect(errnoOf(() => k.ifconfig.isDeviceOpen('tun0'))).toBe(ERRNO.ENOENT);
    expect([...k.ifconfig.strandedDevices]).toEqual([['tun0', 1]]);
  });

  it('an open tun that is down: no if_down, only IFAN_DEPARTURE', () => {
    const { k, s } = tunKernel(d, 'tun0');
    k.ifconfig.openDevice('tun0');
    k.ifconfig.down('tun0');
    raw(s);
    k.ifconfig.destroy('tun0');
    expect(raw(s).map(hex)).toEqual([announce(d, 2, 'tun0', 1)]);
  });

  it('close(2) of the descriptor left open: current\'s revoked vnode closes quietly, 4.9\'s tunclose finds no tun0', () => {
    const { k, s } = openTun(d);
    k.ifconfig.destroy('tun0');
    raw(s);
    expect(errnoOf(() => k.ifconfig.closeDevice('tun0'))).toBe(is49(d) ? ERRNO.ENXIO : 0);
    expect(raw(s)).toEqual([]);
    expect(k.ifconfig.strandedDevices.size).toBe(0);
    expect(errnoOf(() => k.ifconfig.closeDevice('tun0'))).toBe(ERRNO.ENXIO);
  });

  it('4.9\'s tunclose looks the unit up: that close takes down a tun0 created since; current\'s touches nothing', () => {
    const { k, s } = openTun(d);
    k.ifconfig.destroy('tun0');
    k.ifconfig.create('tun0');
    k.ifconfig.addAddress('tun0', '10.8.0.1/32', { dest: '10.8.0.2' });
    raw(s);
    // 1.104 never set the new tun's link: UNKNOWN, so its routes are up until tunclose's DOWN.
    expect(destUp(k)).toBe(is49(d) ? RTF_UP : 0);
    expect(errnoOf(() => k.ifconfig.closeDevice('tun0'))).toBe(0);
    const up = tunFlags(d) | IFF_UP;
    expect(raw(s).map((b) => ifinfo(d, b))).toEqual(is49(d) ? [`index 3 flags ${up.toString(16)} link 2 mtu 1500 type ${IFT_TUNNEL}`] : []);
    expect(k.ifconfig.get('tun0')!.flags).toBe(up | (is49(d) ? 0 : IFF_RUNNING));
    expect(destUp(k)).toBe(0);
  });

  it('a later open clones a fresh tun0; the stranded descriptor closes first (no effect), then the open one', () => {
    const { k, s } = openTun(d);
    k.ifconfig.destroy('tun0');
    k.ifconfig.openDevice('tun0');
    expect(k.ifconfig.indexOf('tun0')).toBe(3);
    raw(s);
    // 4.9: the vnode's other descriptor keeps spec_close from calling tunclose.
    expect(errnoOf(() => k.ifconfig.closeDevice('tun0'))).toBe(0);
    expect(raw(s)).toEqual([]);
    expect(k.ifconfig.isDeviceOpen('tun0')).toBe(true);
    k.ifconfig.closeDevice('tun0');
    expect(k.ifconfig.interfaceNamed('tun0')).toBeUndefined();
    expect(hex(raw(s).at(-1)!)).toBe(announce(d, 3, 'tun0', 1));
  });

  it('stranded descriptors are saved and restored; bad ones are refused', () => {
    const { k } = openTun(d);
    k.ifconfig.destroy('tun0');
    const snap = snapshotKernel(k);
    expect(snap.strandedDevices).toEqual([['tun0', 1]]);
    const r = restoreKernel(JSON.parse(JSON.stringify(snap)));
    expect(errnoOf(() => r.ifconfig.closeDevice('tun0'))).toBe(is49(d) ? ERRNO.ENXIO : 0);
    for (const bad of [[['vether0', 1]], [['tun0', 0]], [['tun0', 1.5]], [['tun0', 1], ['tun0', 2]]]) {
      expect(() => restoreKernel({ ...snap, strandedDevices: bad as [string, number][] })).toThrow(/stranded/);
    }
  });

  it('no device for other interfaces (ENXIO); closing an unopened or missing device is ENXIO', () => {
    const { k, s } = tunKernel(d, 'tun0', 'vether0');
    expect(errnoOf(() => k.ifconfig.openDevice('vether0'))).toBe(ERRNO.ENXIO);
    expect(errnoOf(() => k.ifconfig.openDevice('lo0'))).toBe(ERRNO.ENXIO);
    expect(errnoOf(() => k.ifconfig.openDevice('tunx'))).toBe(ERRNO.ENXIO);
    expect(errnoOf(() => k.ifconfig.closeDevice('tun0'))).toBe(ERRNO.ENXIO);
    expect(errnoOf(() => k.ifconfig.closeDevice('tun7'))).toBe(ERRNO.ENXIO);
    expect(errnoOf(() => k.ifconfig.closeDevice('vether0'))).toBe(ERRNO.ENXIO);
    expect(raw(s)).toEqual([]);
  });

  it('down and up while open: routes follow IFF_UP (the link stays up)', () => {
    const { k } = openTun(d);
    k.ifconfig.down('tun0');
    expect(destUp(k)).toBe(0);
    k.ifconfig.up('tun0');
    expect(destUp(k)).toBe(RTF_UP);
  });

  it('up and down: IFF_RUNNING follows IFF_UP in current (tun_ioctl); 4.9 leaves it alone', () => {
    const { k, s } = tunKernel(d, 'tun0');
    k.ifconfig.up('tun0');
    const running = is49(d) ? 0 : IFF_RUNNING;
    expect(raw(s).map((b) => ifinfo(d, b))).toEqual([`index 2 flags ${(tunFlags(d) | IFF_UP | running).toString(16)} link ${is49(d) ? 0 : 2} mtu 1500 type ${IFT_TUNNEL}`]);
    k.ifconfig.openDevice('tun0');
    k.ifconfig.down('tun0');
    // 4.9: the open set IFF_RUNNING, and if_down keeps it.
    expect(k.ifconfig.get('tun0')!.flags).toBe(tunFlags(d) | (is49(d) ? IFF_RUNNING : 0));
  });

  it('SIOCGIFMEDIA: 4.9 answers it and settles a never-opened link to DOWN (announced); current has none', () => {
    const { k, s } = tunKernel(d, 'tun0');
    expect(k.ifconfig.queryMedia('tun0')).toBe(is49(d));
    expect(raw(s).map((b) => ifinfo(d, b))).toEqual(is49(d) ? [`index 2 flags 10 link 2 mtu 1500 type ${IFT_TUNNEL}`] : []);
    expect(k.ifconfig.queryMedia('tun0')).toBe(is49(d));
    expect(raw(s)).toEqual([]);
    expect(errnoOf(() => k.ifconfig.queryMedia('tun9'))).toBe(ERRNO.ENOENT);
  });

  it('the device state is saved and restored; older states (no field) load closed', () => {
    const { k } = tunKernel(d, 'tun0');
    k.ifconfig.openDevice('tun0');
    k.ifconfig.openDevice('tun1');
    const snap = snapshotKernel(k);
    expect(snap.interfaces.map((i) => [i.name, i.device])).toEqual([['lo0', undefined], ['tun0', 'open'], ['tun1', 'open-once']]);
    const r = restoreKernel(JSON.parse(JSON.stringify(snap)));
    expect(snapshotKernel(r)).toEqual(snap);
    expect(errnoOf(() => r.ifconfig.openDevice('tun1'))).toBe(ERRNO.EBUSY);
    r.ifconfig.closeDevice('tun1');
    expect(r.ifconfig.interfaceNamed('tun1')).toBeUndefined();
    r.ifconfig.closeDevice('tun0');
    expect(r.ifconfig.interfaceNamed('tun0')).toBeDefined();
    const old = JSON.parse(JSON.stringify(snap));
    for (const i of old.interfaces) delete i.device;
    expect(restoreKernel(old).ifconfig.isDeviceOpen('tun0')).toBe(false);
    const bad = JSON.parse(JSON.stringify(snap));
    bad.interfaces[0].device = 'open';
    expect(() => restoreKernel(bad)).toThrow(/device state/);
    bad.interfaces[0].device = undefined;
    bad.interfaces[1].device = 'ajar';
    expect(() => restoreKernel(bad)).toThrow(/device state/);
  });
});

describe('tap(4) (current only)', () => {
  const d: DialectArg = 'openbsd';

  it('tap0 is Ethernet: IFT_ETHER, BROADCAST|SIMPLEX|MULTICAST, an lladdr, link DOWN until opened', () => {
    const { k, s } = tunKernel(d);
    k.ifconfig.create('tap0');
    expect(raw(s).map(hex)).toEqual([announce(d, 2, 'tap0', 0)]);
    const ifp = k.ifconfig.interfaceNamed('tap0')!;
    expect([ifp.type, ifp.flags, ifp.lladdr.length, ifp.linkState, ifp.mtu]).toEqual([
      IFT_ETHER, IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST, 6, LINK_STATE_DOWN, 1500,
    ]);
    expect(k.ifconfig.queryMedia('tap0')).toBe(false);
    expect(errnoOf(() => k.ifconfig.setMtu('tap0', 45))).toBe(ERRNO.EINVAL);
    k.ifconfig.setMtu('tap0', 9000);
  });

  it('open and close move the link between FULL_DUPLEX and DOWN; the connected route follows', () => {
    const { k, s } = tunKernel(d, 'tap0');
    k.ifconfig.addAddress('tap0', '10.9.0.1/24');
    raw(s);
    k.ifconfig.openDevice('tap0');
    const eth = IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST;
    expect(raw(s).map((b) => ifinfo(d, b))).toEqual([`index 2 flags ${(eth | IFF_UP | IFF_RUNNING).toString(16)} link 6 mtu 1500 type ${IFT_ETHER}`]);
    expect(k.routes(0, 'inet').find((r) => r.dst === '10.9.0.0')!.flags & RTF_UP).toBe(RTF_UP);
    k.ifconfig.closeDevice('tap0');
    expect(raw(s).map((b) => ifinfo(d, b))).toEqual([`index 2 flags ${eth.toString(16)} link 2 mtu 1500 type ${IFT_ETHER}`]);
    expect(k.routes(0, 'inet').find((r) => r.dst === '10.9.0.0')!.flags & RTF_UP).toBe(0);
  });

  it('destroying an open tap: if_down keeps IFF_RUNNING; the device is revoked (its descriptor closes quietly)', () => {
    const { k, s } = tunKernel(d, 'tap0');
    k.ifconfig.openDevice('tap0');
    raw(s);
    k.ifconfig.destroy('tap0');
    const eth = IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST | IFF_RUNNING;
    expect(raw(s).map((b) => text(d, b))).toEqual([`index 2 flags ${eth.toString(16)} link 6 mtu 1500 type ${IFT_ETHER}`, 'IFANNOUNCE tap0 1']);
    expect(errnoOf(() => k.ifconfig.closeDevice('tap0'))).toBe(0);
    k.ifconfig.openDevice('tap0');
    expect(k.ifconfig.indexOf('tap0')).toBe(3);
  });
});

describe('tap(4) in 4.9: no such driver', () => {
  it('tap0 cannot be cloned (EINVAL) nor opened (ENXIO)', () => {
    const k = createKernel({ dialect: 'openbsd-4.9' });
    expect(errnoOf(() => k.ifconfig.create('tap0'))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.openDevice('tap0'))).toBe(ERRNO.ENXIO);
  });
});
