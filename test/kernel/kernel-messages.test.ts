import { RTM_ADD, RTM_DELADDR, RTM_DELETE, RTM_IFANNOUNCE, RTM_IFINFO, RTM_MISS, RTM_NEWADDR, ROUTE_TABLEFILTER, AF_ROUTE, RTABLE_ANY } from '../../src/kernel/constants.js';
import { createKernel } from '../../src/kernel/kernel.js';
import { DIALECTS, drain } from './helpers.js';

describe.each(DIALECTS)('kernel-originated messages (%s)', (d) => {
  it('clone, up, address add and delete, destroy', () => {
    const k = createKernel({ dialect: d });
    const s = k.socket();
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
    k.ifconfig.create('lo1');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_IFANNOUNCE]);
    k.ifconfig.up('lo1');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_IFINFO]);
    k.ifconfig.addAddress('lo1', '192.0.2.1/32');
    const added = drain(d, s);
    expect(added.map((m) => m.type)).toEqual([RTM_IFINFO, RTM_NEWADDR, RTM_ADD]);
    expect(added[2]!.sockaddrs['dst']).toMatchObject({ addr: '192.0.2.1' });
    k.ifconfig.deleteAddress('lo1', '192.0.2.1');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_DELETE, RTM_DELADDR]);
    k.ifconfig.destroy('lo1');
    expect(drain(d, s).map((m) => m.type)).toEqual([RTM_IFINFO, RTM_IFANNOUNCE]);
  });

  it('interface down marks routes down (no U, DOWN priority) and up restores them', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.addAddress('vether0', '192.0.2.10/24');
    const connected = () => k.routes(0).find((r) => r.dst === '192.0.2.0')!;
    expect(connected().flags & 1).toBe(1);
    k.ifconfig.down('vether0');
    expect(connected().flags & 1).toBe(0);
    expect(k.routes(0).find((r) => r.dst === '192.0.2.10')!.flags & 1).toBe(1);
    k.ifconfig.up('vether0');
    expect(connected().flags & 1).toBe(1);
    expect(k.routes(0).map((r) => `${r.dst}/${r.plen}`)).toEqual(expect.arrayContaining(['192.0.2.0/24', '192.0.2.10/32', '192.0.2.255/32']));
  });

  it(`a failed lookup ${d === 'openbsd' ? 'is silent' : 'sends RTM_MISS'}`, () => {
    const k = createKernel({ dialect: d, configureLoopback: false });
    const s = k.socket();
    expect(k.lookup('10.1.2.3')).toBeUndefined();
    expect(drain(d, s).map((m) => m.type)).toEqual(d === 'openbsd' ? [] : [RTM_MISS]);
  });

  it('rdomain move purges addresses and creates the rdomain loopback', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('lo3');
    k.ifconfig.addAddress('lo3', '192.0.2.3/32');
    k.ifconfig.setRdomain('lo3', 4);
    expect(k.ifconfig.get('lo4')!.rdomain).toBe(4);
    expect(k.ifconfig.get('lo3')!.addresses).toEqual([]);
    expect(k.routes(0).some((r) => r.dst === '192.0.2.3')).toBe(false);
    expect(() => k.ifconfig.setRdomain('lo4', 0)).toThrow();
  });

  it('boots lo0 with 127.0.0.1, ::1, fe80::1%lo0 and the multicast routes', () => {
    const k = createKernel({ dialect: d });
    expect(k.routes(0).map((r) => `${r.dst}/${r.plen} ${r.use}`)).toEqual([
      '127.0.0.1/32 0', '::1/128 0', 'fe80::1%1/128 0', 'ff01::%1/32 1', 'ff02::%1/32 1',
    ]);
    expect(k.lookup('127.0.0.1')!.use).toBe(1);
  });
});
