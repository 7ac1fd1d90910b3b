import { createKernel } from '../../src/kernel/kernel.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { routeMsg, errnoOf } from './helpers.js';

describe('regress setup: rdomain 5 with lo10001..lo10004 (current dialect)', () => {
  const k = createKernel({ dialect: 'openbsd' });
  for (const n of [1, 2, 3, 4]) {
    const name = `lo1000${n}`;
    k.ifconfig.create(name);
    k.ifconfig.up(name);
    k.ifconfig.setRdomain(name, 5);
    k.ifconfig.addAddress(name, `192.0.2.${n}/32`);
  }
  const s = k.socket({ rtable: 5 });
  const adds: [string, number, number][] = [
    ['10.0.0.0', 8, 1], ['10.0.0.0', 16, 4], ['10.0.0.0', 10, 4], ['10.8.0.0', 16, 3],
    ['10.8.0.0', 24, 1], ['10.8.1.0', 24, 2], ['10.8.3.0', 24, 3], ['10.8.4.0', 24, 4],
  ];
  let seq = 0;
  for (const [dst, plen, gw] of adds) {
    s.write(routeMsg('openbsd', { dst, plen, gw: `192.0.2.${gw}`, tableid: 5, seq: ++seq }));
  }

  it('dumps in ART walk order with Refs/Use of the cached local routes', () => {
    const rows = k.routes(5).map((r) => [`${r.dst}/${r.plen}`, r.gateway, r.flags, r.refs, r.use, r.mtu, r.priority, r.ifname]);
    const UGS = 0x803, UHhl = 0x220005;
    expect(rows).toEqual([
      ['10.0.0.0/8', '192.0.2.1', UGS, 0, 0, 32768, 8, 'lo10001'],
      ['10.0.0.0/10', '192.0.2.4', UGS, 0, 0, 32768, 8, 'lo10004'],
      ['10.0.0.0/16', '192.0.2.4', UGS, 0, 0, 32768, 8, 'lo10004'],
      ['10.8.0.0/16', '192.0.2.3', UGS, 0, 0, 32768, 8, 'lo10003'],
      ['10.8.0.0/24', '192.0.2.1', UGS, 0, 0, 32768, 8, 'lo10001'],
      ['10.8.1.0/24', '192.0.2.2', UGS, 0, 0, 32768, 8, 'lo10002'],
      ['10.8.3.0/24', '192.0.2.3', UGS, 0, 0, 32768, 8, 'lo10003'],
      ['10.8.4.0/24', '192.0.2.4', UGS, 0, 0, 32768, 8, 'lo10004'],
      ['192.0.2.1/32', '192.0.2.1', UHhl, 2, 4, 32768, 1, 'lo10001'],
      ['192.0.2.2/32', '192.0.2.2', UHhl, 1, 2, 32768, 1, 'lo10002'],
      ['192.0.2.3/32', '192.0.2.3', UHhl, 2, 4, 32768, 1, 'lo10003'],
      ['192.0.2.4/32', '192.0.2.4', UHhl, 3, 6, 32768, 1, 'lo10004'],
    ]);
  });

  it('refuses the same 10/8 again with EEXIST (and counts the lookups)', () => {
    expect(errnoOf(() => s.write(routeMsg('openbsd', { dst: '10.0.0.0', plen: 8, gw: '192.0.2.1', tableid: 5 })))).toBe(ERRNO.EEXIST);
    expect(k.routes(5).find((r) => r.dst === '192.0.2.1')!.use).toBe(6);
  });

  it('the sysctl dump holds one RTM_GET per route', () => {
    const b = k.dump(5);
    let n = 0;
    for (let off = 0; off < b.length; off += b[off]! | (b[off + 1]! << 8)) {
      expect(b[off + 3]).toBe(4);
      n++;
    }
    expect(n).toBe(12);
  });
});
