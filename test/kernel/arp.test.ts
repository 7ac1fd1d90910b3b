/**
 * ARP on Ethernet-like interfaces (if_ether.c: arp_rtrequest, in_arpinput, arpcache, arpresolve,
 * arptimer) and the L2 side of the route hook for both families (RTF_LLINFO leaves with the
 * entry on RTM_DELETE, as rtrequest_delete calls if_rtrequest after clearing RTF_UP).
 */
import {
  AF_ROUTE, RTABLE_ANY, ROUTE_TABLEFILTER, RTF_CACHED, RTF_CLONED, RTF_DONE, RTF_HOST, RTF_LLINFO, RTF_REJECT,
  RTF_STATIC, RTF_UP, RTM_ADD, RTM_DELETE, RTM_RESOLVE,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import { ARP_MAXTRIES, ARPT_DOWN, ARPT_KEEP, ARPT_PRUNE } from '../../src/kernel/neighbours.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { ARP_T0, DIALECTS, arpKernel, drain, errnoOf, routeMsg, type DialectArg } from './helpers.js';

const T0 = ARP_T0;
const MAC = '00:11:22:33:44:55';
const MAC2 = '00:11:22:33:44:66';
const UHLc = RTF_UP | RTF_HOST | RTF_LLINFO | RTF_CLONED;

const route = (k: Kernel, dst: string) => k.routes(0).find((r) => r.dst === dst && r.plen === 32);
const reply = (mac: string, spa: string) => ({ op: 'reply' as const, sha: mac, spa, tpa: '192.0.2.1' });

describe.each(DIALECTS)('ARP (%s)', (d) => {
  it('a deleted L2 entry loses RTF_LLINFO before the reply is built (and a local route before RTM_DELETE)', () => {
    const { k, s } = arpKernel(d);
    k.lookup('192.0.2.7');
    drain(d, s);
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '192.0.2.7', flags: 0 }));
    const [del] = drain(d, s);
    expect(del).toMatchObject({ type: RTM_DELETE });
    expect(del!.flags & (RTF_LLINFO | RTF_UP)).toBe(0);
    expect(del!.flags & (RTF_HOST | RTF_CLONED | RTF_DONE)).toBe(RTF_HOST | RTF_CLONED | RTF_DONE);
    k.ifconfig.deleteAddress('vether0', '192.0.2.1');
    const local = drain(d, s).find((m) => m.type === RTM_DELETE && m.sockaddrs['dst']?.kind === 'inet' && m.sockaddrs['dst'].addr === '192.0.2.1');
    expect(local!.flags & (RTF_HOST | RTF_LLINFO | RTF_UP)).toBe(RTF_HOST);
  });

  it('IPv6 local routes on Ethernet lose RTF_LLINFO with their deletion too (nd6_rtrequest)', () => {
    const { k, s } = arpKernel(d);
    k.ifconfig.addAddress('vether0', '2001:db8::1/64');
    expect(k.routes(0, 'inet6').find((r) => r.dst === '2001:db8::1')!.flags & RTF_LLINFO).toBe(RTF_LLINFO);
    drain(d, s);
    k.ifconfig.deleteAddress('vether0', '2001:db8::1');
    const local = drain(d, s).find((m) => m.type === RTM_DELETE && m.sockaddrs['dst']?.kind === 'inet6' && m.sockaddrs['dst'].addr === '2001:db8::1');
    expect(local!.flags & (RTF_HOST | RTF_LLINFO | RTF_UP)).toBe(RTF_HOST);
  });

  it('a clone starts unresolved and expired (expire = now), local routes never expire', () => {
    const { k } = arpKernel(d);
    expect(k.lookup('192.0.2.7')).toMatchObject({ flags: UHLc, gateway: 'link#2', expire: T0 });
    expect(route(k, '192.0.2.1')).toMatchObject({ expire: 0 });
  });

  it('arpresolve asks up to five times, then rejects for 20 s (EHOSTDOWN), then asks again', () => {
    const { k, clock } = arpKernel(d);
    expect(k.arpResolve('192.0.2.7')).toEqual({ status: 'pending', request: true });
    // Same second: no new request.
    expect(k.arpResolve('192.0.2.7')).toEqual({ status: 'pending', request: false });
    for (let i = 1; i < ARP_MAXTRIES; i++) {
      clock.now++;
      expect(k.arpResolve('192.0.2.7')).toEqual({ status: 'pending', request: true });
    }
    clock.now++;
    expect(k.arpResolve('192.0.2.7')).toEqual({ status: 'pending', request: false });
    expect(route(k, '192.0.2.7')).toMatchObject({ flags: UHLc | RTF_REJECT, expire: clock.now + ARPT_DOWN });
    expect(k.arpResolve('192.0.2.7')).toEqual({ status: 'error', errno: ERRNO.EHOSTDOWN });
    clock.now += ARPT_DOWN + 1;
    expect(k.arpResolve('192.0.2.7')).toEqual({ status: 'pending', request: true });
    expect(route(k, '192.0.2.7')!.flags & RTF_REJECT).toBe(0);
  });

  it('a reply to an entry that was asked for resolves it: MAC, expire now + 20 min, RTM_RESOLVE', () => {
    const { k, s, clock } = arpKernel(d);
    k.arpResolve('192.0.2.7');
    drain(d, s);
    clock.now += 3;
    expect(k.arpInput('vether0', reply(MAC, '192.0.2.7'))).toEqual({ cached: true, resolved: true, replied: false });
    expect(route(k, '192.0.2.7')).toMatchObject({ flags: UHLc, gateway: MAC, expire: T0 + 3 + ARPT_KEEP });
    const [m] = drain(d, s);
    expect(m).toMatchObject({ type: RTM_RESOLVE, index: 2 });
    expect(m!.flags).toBe(UHLc | RTF_DONE);
    expect(m!.sockaddrs['gateway']).toMatchObject({ kind: 'link', index: 2, lladdr: MAC });
    expect(k.arpResolve('192.0.2.7')).toEqual({ status: 'resolved', lladdr: Uint8Array.from([0, 0x11, 0x22, 0x33, 0x44, 0x55]), refresh: false });
    // Within the last eighth of its life the entry asks for a refresh (at most every 30 s).
    clock.now = T0 + 3 + ARPT_KEEP - ARPT_KEEP / 8 + 1;
    expect(k.arpResolve('192.0.2.7')).toMatchObject({ status: 'resolved', refresh: true });
    expect(k.arpResolve('192.0.2.7')).toMatchObject({ status: 'resolved', refresh: false });
  });

  it('an answer nobody asked for is cached silently; a changed MAC is announced', () => {
    const { k, s } = arpKernel(d);
    k.lookup('192.0.2.7');
    drain(d, s);
    expect(k.arpInput('vether0', reply(MAC, '192.0.2.7'))).toMatchObject({ cached: true, resolved: false });
    expect(drain(d, s)).toEqual([]);
    expect(k.arpInput('vether0', reply(MAC2, '192.0.2.7'))).toMatchObject({ cached: true, resolved: true });
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_RESOLVE]);
    expect(route(k, '192.0.2.7')!.gateway).toBe(MAC2);
  });

  it('a request for our address from an unknown sender creates its entry (RTM_ADD) and is answered', () => {
    const { k, s } = arpKernel(d);
    const r = k.arpInput('vether0', { op: 'request', sha: MAC, spa: '192.0.2.9', tpa: '192.0.2.1' });
    expect(r).toEqual({ cached: true, resolved: false, replied: true });
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_ADD]);
    expect(route(k, '192.0.2.9')).toMatchObject({ flags: UHLc, gateway: MAC });
    // Not for us and sender unknown: nothing learned, nothing answered.
    const other = k.arpInput('vether0', { op: 'request', sha: MAC2, spa: '192.0.2.10', tpa: '192.0.2.11' });
    expect(other).toMatchObject({ cached: false, replied: false });
    expect(route(k, '192.0.2.10')).toBeUndefined();
  });

  it('refuses what the kernel refuses: broadcast or own sender MAC, our own address, permanent entries', () => {
    const { k, s } = arpKernel(d);
    // ifconfig's default lladdr for interface index 2.
    const own = 'fe:e1:ba:d0:00:02';
    expect(route(k, '192.0.2.1')!.gateway).toBe(own);
    expect(k.arpInput('vether0', reply('ff:ff:ff:ff:ff:ff', '192.0.2.7'))).toMatchObject({ cached: false, note: 'ether address is broadcast' });
    expect(k.arpInput('vether0', reply(own, '192.0.2.7'))).toMatchObject({ cached: false, note: 'from me' });
    expect(k.arpInput('vether0', reply(MAC, '192.0.2.1'))).toMatchObject({ cached: false, note: 'duplicate IP address' });
    expect(route(k, '192.0.2.1')!.gateway).toBe(own);
    // arp -s 192.0.2.8 MAC permanent: RTF_LLINFO|RTF_STATIC|RTF_PERMANENT_ARP with a link gateway.
    k.lookup('192.0.2.8');
    k.arpInput('vether0', reply(MAC, '192.0.2.8'));
    s.write(routeMsg(d, { type: 'RTM_CHANGE', dst: '192.0.2.8', flags: 0x2000, extra: { fmask: 0x2000 } }));
    drain(d, s);
    expect(k.arpInput('vether0', reply(MAC2, '192.0.2.8'))).toMatchObject({ cached: false, note: 'attempt to overwrite permanent entry' });
    expect(route(k, '192.0.2.8')!.gateway).toBe(MAC);
    expect(errnoOf(() => k.arpInput('lo0', reply(MAC, '192.0.2.8')))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.arpInput('vether0', reply('00:11', '192.0.2.8')))).toBe(ERRNO.EINVAL);
  });

  it('arptimer frees expired entries every 5 minutes: deleted (RTM_DELETE) unless STATIC or a cached next hop', () => {
    const { k, s, clock } = arpKernel(d);
    k.lookup('192.0.2.7');
    k.lookup('192.0.2.8');
    k.arpInput('vether0', reply(MAC, '192.0.2.8'));
    // 192.0.2.9 becomes the next hop of a gateway route (RTF_CACHED).
    s.write(routeMsg(d, { dst: '198.51.100.0', plen: 24, gw: '192.0.2.9' }));
    k.arpInput('vether0', reply(MAC2, '192.0.2.9'));
    drain(d, s);
    clock.now += ARPT_PRUNE - 1;
    expect(k.runTimers()).toBe(0);
    clock.now += 1;
    // 192.0.2.7 was never resolved (expired at once); the others live 20 minutes.
    expect(k.runTimers()).toBe(1);
    const [del] = drain(d, s);
    expect(del).toMatchObject({ type: RTM_DELETE });
    expect(del!.sockaddrs['dst']).toMatchObject({ addr: '192.0.2.7' });
    // rtdeletemsg: the flags from before the deletion.
    expect(del!.flags).toBe(UHLc | RTF_DONE);
    clock.now = T0 + 5 * ARPT_PRUNE;
    expect(k.runTimers()).toBe(1);
    expect(route(k, '192.0.2.8')).toBeUndefined();
    // The cached next hop stays, but forgets its MAC.
    expect(route(k, '192.0.2.9')).toMatchObject({ gateway: 'link#2' });
    expect(route(k, '192.0.2.9')!.flags & RTF_CACHED).toBe(RTF_CACHED);
  });

  it('a gateway route resolves through its next hop; deleting a cached next hop only invalidates it', () => {
    const { k, s } = arpKernel(d);
    s.write(routeMsg(d, { dst: '198.51.100.0', plen: 24, gw: '192.0.2.9' }));
    expect(k.arpResolve('198.51.100.5')).toEqual({ status: 'pending', request: true });
    k.arpInput('vether0', reply(MAC, '192.0.2.9'));
    expect(k.arpResolve('198.51.100.5')).toMatchObject({ status: 'resolved' });
    drain(d, s);
    s.write(routeMsg(d, { type: 'RTM_DELETE', dst: '192.0.2.9', flags: 0 }));
    expect(route(k, '192.0.2.9')).toMatchObject({ gateway: 'link#2' });
    expect(k.arpResolve('198.51.100.5')).toEqual({ status: 'pending', request: true });
  });

  it('an L2 entry made static by RTM_CHANGE keeps its ARP state and outlives the timer (MAC forgotten)', () => {
    const { k, s, clock } = arpKernel(d);
    k.lookup('192.0.2.7');
    k.arpInput('vether0', reply(MAC, '192.0.2.7'));
    // Make it static: RTM_CHANGE setting RTF_STATIC keeps the ARP state.
    s.write(routeMsg(d, { type: 'RTM_CHANGE', dst: '192.0.2.7', flags: RTF_STATIC, extra: { fmask: RTF_STATIC } }));
    clock.now += ARPT_KEEP + ARPT_PRUNE;
    expect(k.runTimers()).toBe(0);
    expect(route(k, '192.0.2.7')).toMatchObject({ gateway: 'link#2' });
    expect(route(k, '192.0.2.7')!.flags & (RTF_STATIC | RTF_LLINFO)).toBe(RTF_STATIC | RTF_LLINFO);
  });

  it('saved state keeps L2 entries: after a restore they still drop RTF_LLINFO when deleted', () => {
    const { k } = arpKernel(d);
    k.lookup('192.0.2.7');
    k.arpInput('vether0', reply(MAC, '192.0.2.7'));
    const k2 = restoreKernel(snapshotKernel(k));
    expect(k2.routes(0).find((r) => r.dst === '192.0.2.7')).toMatchObject({ gateway: MAC, flags: UHLc });
    const s2 = k2.socket();
    s2.write(routeMsg(d, { type: 'RTM_DELETE', dst: '192.0.2.7', flags: 0 }));
    expect(drain(d, s2)[0]!.flags & RTF_LLINFO).toBe(0);
  });

  it('saved state keeps ARP requests asked, the entries\' order and the timer: a restored kernel catches up', () => {
    const { k, s, clock } = arpKernel(d);
    // .7 asked 3 times (1 s apart), .8 learnt: the order is the local .1, .7, .8 (arp_list).
    for (let i = 0; i < 3; i++) {
      expect(k.arpResolve('192.0.2.7')).toMatchObject({ status: 'pending', request: true });
      clock.now++;
    }
    k.arpInput('vether0', reply(MAC, '192.0.2.8'));
    k.lookup('192.0.2.8');
    k.arpInput('vether0', reply(MAC, '192.0.2.8'));
    drain(d, s);
    const snap = snapshotKernel(k);
    expect(snap.arp!.map(([, asked]) => asked)).toEqual([0, 3, 0]);
    expect(snap.arpTimerAt).toBe(T0);
    const later = { now: clock.now };
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snap)), { clock: () => later.now });
    expect(snapshotKernel(k2)).toEqual(snap);
    // Two more unanswered requests reach ARP_MAXTRIES: the entry goes RTF_REJECT, as it would have.
    for (let i = 3; i < ARP_MAXTRIES; i++) {
      expect(k2.arpResolve('192.0.2.7')).toMatchObject({ status: 'pending', request: true });
      later.now++;
    }
    // The next try marks it RTF_REJECT (no request), then it answers EHOSTDOWN.
    expect(k2.arpResolve('192.0.2.7')).toEqual({ status: 'pending', request: false });
    expect(k2.arpResolve('192.0.2.7')).toEqual({ status: 'error', errno: ERRNO.EHOSTDOWN });
    // Stored for an hour: twelve arptimer runs fell due; the first after .8's 20 minutes frees it.
    later.now = T0 + 3600;
    const s2 = k2.socket();
    s2.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    expect(k2.runTimers()).toBe(2);
    expect(k2.arpTimerAt).toBe(T0 + 3600);
    expect(drain(d, s2).map((m) => [m.type, m.sockaddrs['dst']?.kind === 'inet' && m.sockaddrs['dst'].addr])).toEqual([
      [RTM_DELETE, '192.0.2.8'], [RTM_DELETE, '192.0.2.7'],
    ]);
  });

  it('an entry RTM_CHANGE gave an IP gateway keeps its llinfo across a restore', () => {
    // The change runs the RTM_ADD hook, which leaves the entry alone for a gateway that is not
    // AF_LINK: the live ARP list still holds it, so the restored one must too (kernel-write fuzz).
    const { k, s } = arpKernel(d);
    k.lookup('192.0.2.7');
    s.write(routeMsg(d, { type: 'RTM_CHANGE', dst: '192.0.2.7', gw: '192.0.2.5' }));
    drain(d, s);
    expect(route(k, '192.0.2.7')).toMatchObject({ gateway: '192.0.2.5' });
    const snap = snapshotKernel(k);
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snap)));
    expect(snapshotKernel(k2)).toEqual(snap);
  });

  it('a snapshot with bad ARP state is refused with a reason', () => {
    const { k } = arpKernel(d);
    k.lookup('192.0.2.7');
    const snap = snapshotKernel(k);
    expect(() => restoreKernel({ ...snap, arp: [[9999, 0, 0]] })).toThrow('ARP entry 9999 missing');
    expect(() => restoreKernel({ ...snap, arp: [[snap.arp![0]![0], -1, 0]] })).toThrow('ARP requests -1');
    expect(() => restoreKernel({ ...snap, arpTimerAt: 'soon' as unknown as number })).toThrow('arptimer time soon');
  });
});
