import { createKernel } from '../../src/kernel/kernel.js';
import { RecordReader, type RouteRecord } from '../../src/kernel/route-records.js';
import { restoreKernel, snapshotKernel, type KernelSnapshot, type RouteTuple } from '../../src/kernel/state.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { errnoOf, routeMsg } from '../kernel/helpers.js';

/** The routes of a packed snapshot as version 1 tuples (what rtsock 0.1 state files hold). */
function asVersion1(snap: KernelSnapshot): KernelSnapshot {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const tuple = (r: RouteRecord): RouteTuple => {
    const t: RouteTuple = [r.af, hex(r.dst), r.plen, r.priority, r.flags, hex(r.gateway), r.ifindex, r.ifaPos, r.label,
      r.mtu, r.expire, r.locks, r.use, r.refs, r.cachedBy, r.nextHop];
    if (r.parent >= 0) t.push(r.parent);
    return t;
  };
  const read = (blob: string, withTable: boolean) => {
    const reader = new RecordReader(blob, snap.gateways!, snap.labels!);
    const out: unknown[] = [];
    while (!reader.done) out.push(withTable ? [reader.readU16(), tuple(reader.read())] : tuple(reader.read()));
    return out;
  };
  const { gateways: _g, labels: _l, ...rest } = snap;
  return {
    ...rest,
    tables: snap.tables.map((t) => ({ ...t, routes: read(t.routes as string, false) as RouteTuple[] })),
    detached: read(snap.detached as string, true) as [number, RouteTuple][],
  };
}

describe('kernel snapshot / restore', () => {
  it.each(['openbsd', 'openbsd-4.9'] as const)('%s: routes, counters, order and interfaces come back exactly', (d) => {
    const k = createKernel({ dialect: d });
    for (const n of [1, 2, 3, 4]) {
      k.ifconfig.create(`lo1000${n}`);
      k.ifconfig.up(`lo1000${n}`);
      k.ifconfig.setRdomain(`lo1000${n}`, 5);
      k.ifconfig.addAddress(`lo1000${n}`, `192.0.2.${n}/32`);
    }
    k.ifconfig.create('vether9');
    k.ifconfig.addAddress('vether9', '10.9.9.1/24');
    const s = k.socket({ rtable: 5 });
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.1', tableid: 5 }));
    s.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.2', tableid: 5, flags: 0x40803 }));
    s.write(routeMsg(d, { dst: '10.8.0.0', plen: 16, gw: '192.0.2.3', tableid: 5, priority: 32, sockaddrs: { label: { kind: 'label', label: 'x' } } }));
    k.ifconfig.down('lo10002');
    const snap = snapshotKernel(k);
    const r = restoreKernel(JSON.parse(JSON.stringify(snap)));
    for (const t of k.tableIds()) expect(r.routes(t)).toEqual(k.routes(t));
    expect(r.tableIds()).toEqual(k.tableIds());
    expect(r.ifconfig.list()).toEqual(k.ifconfig.list());
    expect(Buffer.from(r.dump(5))).toEqual(Buffer.from(k.dump(5)));
    expect(snapshotKernel(r)).toEqual(snap);
    // The restored kernel keeps working: next hops are shared objects again.
    const s2 = r.socket({ rtable: 5 });
    s2.write(routeMsg(d, { dst: '10.7.0.0', plen: 16, gw: '192.0.2.1', tableid: 5 }));
    expect(r.routes(5).find((x) => x.dst === '192.0.2.1')!.refs).toBe(k.routes(5).find((x) => x.dst === '192.0.2.1')!.refs + 1);
    // Version 1 files (routes as tuples) restore to the same kernel.
    const v1 = restoreKernel(JSON.parse(JSON.stringify(asVersion1(snap))));
    expect(snapshotKernel(v1)).toEqual(snap);
  });

  it('a route whose address (of the other family, RTA_IFA) or interface is gone comes back as it was', () => {
    const k = createKernel({ dialect: 'openbsd' });
    const s = k.socket();
    const ifa = (addr: string) => ({ ifa: { kind: 'inet6', addr, port: 0, flowinfo: 0, scope_id: 0 } });
    for (const [n, v4, v6] of [[0, '10.0.1.1/24', '2001:db8:1::1/64'], [1, '10.0.2.1/24', '2001:db8:2::1/64']] as const) {
      k.ifconfig.create(`vether${n}`);
      k.ifconfig.addAddress(`vether${n}`, v4);
      k.ifconfig.addAddress(`vether${n}`, v6);
    }
    s.write(routeMsg('openbsd', { dst: '10.8.0.0', plen: 16, gw: '10.0.1.5', sockaddrs: ifa('2001:db8:1::1') }));
    s.write(routeMsg('openbsd', { dst: '10.9.0.0', plen: 16, gw: '10.0.1.5', sockaddrs: ifa('2001:db8:1::1') }));
    s.write(routeMsg('openbsd', { dst: '10.7.0.0', plen: 16, gw: '10.0.2.5', sockaddrs: ifa('2001:db8:2::1') }));
    // rt_ifa_purge walks one family: the IPv4 routes outlive their IPv6 address, and vether1.
    k.ifconfig.deleteAddress('vether0', '2001:db8:1::1');
    k.ifconfig.destroy('vether1');
    const snap = snapshotKernel(k);
    const r = restoreKernel(JSON.parse(JSON.stringify(snap)));
    expect(r.routes(0)).toEqual(k.routes(0));
    expect(r.routes(0).filter((x) => x.ifa.includes(':') && x.af === 'inet').map((x) => `${x.dst} ${x.ifname}#${x.ifindex} ${x.ifa}`))
      .toEqual(['10.7.0.0 vether1#3 2001:db8:2::1', '10.8.0.0 vether0#2 2001:db8:1::1', '10.9.0.0 vether0#2 2001:db8:1::1']);
    expect(snapshotKernel(r)).toEqual(snap);
    expect(r.ifconfig.list()).toEqual(k.ifconfig.list());
    // vether1 stays gone (if_get fails: ESRCH); the two routes share their address again.
    const s2 = r.socket();
    expect(errnoOf(() => s2.write(routeMsg('openbsd', { type: 'RTM_DELETE', dst: '10.7.0.0', plen: 16, gw: '10.0.2.5' })))).toBe(ERRNO.ESRCH);
    s2.write(routeMsg('openbsd', { type: 'RTM_DELETE', dst: '10.8.0.0', plen: 16, gw: '10.0.1.5' }));
    expect(snapshotKernel(r).orphans).toEqual(snap.orphans);
  });

  it('refuses truncated or inconsistent route records with a reason', () => {
    const k = createKernel({ dialect: 'openbsd' });
    const snap = snapshotKernel(k);
    const blob = Buffer.from(snap.tables[0]!.routes as string, 'base64');
    const cut = { ...snap, tables: [{ ...snap.tables[0]!, routes: blob.subarray(0, blob.length - 3).toString('base64') }] };
    expect(() => restoreKernel(cut)).toThrow(/truncated/);
    const noPool = { ...snap, gateways: [] };
    expect(() => restoreKernel(noPool)).toThrow(/gateway 0 not in the pool/);
  });
});
