import fc from 'fast-check';
import { Rtable, type AddressFamily } from '../../src/table/rtable.js';
import { FastRtable } from '../../src/table/fastpath/index.js';
import { arbV4, arbV4Plen, arbV6, arbV6Plen, masked, prefix, runs, show } from './helpers.js';

interface Route {
  priority: number;
  gw: number;
  name: string;
}

const multi = { mpath: true, sameGateway: (a: Route, b: Route) => a.gw === b.gw };

/** What rn_walktree lists: masked keys ascending, a key's longer prefixes first, then list order. */
function radixReference(rows: { af: AddressFamily; dst: Uint8Array; plen: number; at: number }[]): string[] {
  const sorted = [...rows].sort((a, b) => {
    if (a.af !== b.af) return a.af === 'inet' ? -1 : 1;
    for (let i = 0; i < a.dst.length; i++) if (a.dst[i] !== b.dst[i]) return a.dst[i]! - b.dst[i]!;
    return b.plen - a.plen || a.at - b.at;
  });
  return sorted.map((r) => show(r.dst, r.plen));
}

const walked = (t: Rtable<Route>, order?: 'art' | 'radix') => [...t.entries(undefined, order)].map((e) => show(e.dst, e.plen));

describe("Rtable walk orders: 'radix' is 4.9's rn_walktree order", () => {
  test('a key\'s more specific prefixes come first; non-fringe prefixes take their address place', () => {
    for (const t of [new Rtable<Route>({ walkOrder: 'radix' }), new FastRtable<Route>({ walkOrder: 'radix' })]) {
      for (const [i, p] of ['10.0.0.0/8', '10.0.0.0/10', '10.0.0.0/16', '10.0.1.0/24', '0.0.0.0/0', '0.0.0.0/8', '10.0.0.1/32', '2001:db8::/32', '2001:db8::/48', '::/0'].entries()) {
        const [a, l] = prefix(p);
        expect(t.insert(a.length === 4 ? 'inet' : 'inet6', a, l, { name: p, priority: 8, gw: i }, multi)).toBe(0);
      }
      expect(t.walkOrder).toBe('radix');
      expect(walked(t)).toEqual([
        '0.0.0.0/8', '0.0.0.0/0', '10.0.0.0/16', '10.0.0.0/10', '10.0.0.0/8', '10.0.0.1/32', '10.0.1.0/24',
        '::/0', '2001:db8::/48', '2001:db8::/32',
      ].map(canon));
      // The default order is ART's (semantics.md §A.12): a covering prefix before its more specifics.
      expect(walked(t, 'art').slice(0, 7)).toEqual(['0.0.0.0/0', '0.0.0.0/8', '10.0.0.0/8', '10.0.0.0/10', '10.0.0.0/16', '10.0.0.1/32', '10.0.1.0/24']);
    }
  });

  test('property: random prefixes (both families, multipath nodes) walk as the reference sorts them, in Rtable and FastRtable', () => {
    const arbRow = fc.oneof(
      fc.tuple(fc.constant<AddressFamily>('inet'), arbV4, arbV4Plen),
      fc.tuple(fc.constant<AddressFamily>('inet6'), arbV6, arbV6Plen),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(arbRow, fc.nat(3), fc.integer({ min: 1, max: 9 })), { maxLength: 120 }), (rows) => {
        const tables = [new Rtable<Route>({ walkOrder: 'radix' }), new FastRtable<Route>({ walkOrder: 'radix' })];
        const kept: { af: AddressFamily; dst: Uint8Array; plen: number; at: number }[] = [];
        rows.forEach(([[af, addr, plen], gw, prio], at) => {
          const dst = masked(addr, plen);
          const results = tables.map((t) => t.insert(af, dst, plen, { name: `${at}`, priority: prio, gw }, multi));
          expect(results[0]).toBe(results[1]);
          if (results[0] === 0) kept.push({ af, dst, plen, at });
        });
        for (const t of tables) {
          const got = [...t.entries()];
          expect(got.map((e) => show(e.dst, e.plen))).toEqual(radixReference(kept));
          // Each node's routes stay together and in list order: the ART walk's multiset, regrouped.
          const art = [...t.entries(undefined, 'art')];
          const byNode = (es: typeof got) => es.map((e) => `${show(e.dst, e.plen)} ${e.route.name}`).sort();
          expect(byNode(got)).toEqual(byNode(art));
          for (const e of got) expect(t.routesAt(e.af, e.dst, e.plen)).toContain(e.route);
        }
      }),
      { numRuns: runs(150) },
    );
  });

  test('deleting while walking: the current route and routes not reached yet', () => {
    const t = new Rtable<Route>({ walkOrder: 'radix' });
    const names = ['10.0.0.0/16', '10.0.0.0/8', '10.1.0.0/16', '10.2.0.0/24'];
    names.forEach((p, i) => {
      const [a, l] = prefix(p);
      t.insert('inet', a, l, { name: p, priority: 8, gw: i }, multi);
    });
    const seen: string[] = [];
    t.walk((r, af, dst, plen) => {
      seen.push(r.name);
      t.delete(af, dst, plen, r);
      if (r.name === '10.0.0.0/8') {
        const [a, l] = prefix('10.1.0.0/16');
        t.delete('inet', a, l, t.routesAt('inet', a, l)[0]!);
      }
    });
    expect(seen).toEqual(['10.0.0.0/16', '10.0.0.0/8', '10.2.0.0/24']);
    expect(t.count).toBe(0);
  });
});

/** A prefix's text as `show` writes it. */
function canon(text: string): string {
  const [a, l] = prefix(text);
  return show(a, l);
}
