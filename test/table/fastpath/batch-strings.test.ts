/**
 * The string batch API (matchStrings/lookupStrings) against scalar string lookups, and bulk loads
 * into a non-empty table (IPv6's packed levels are unpacked, loaded flat and packed again).
 */
import fc from 'fast-check';
import { TableError } from '../../../src/table/errors.js';
import { FastRtable } from '../../../src/table/fastpath/index.js';
import { formatV6 } from '../../../src/addr/parse.js';
import { arbV4, arbV4Plen, arbV6, arbV6Plen, runs } from '../helpers.js';
import { edges, opts, Pair, scan, type Route } from './model.js';

const text = (a: Uint8Array): string => (a.length === 4 ? a.join('.') : formatV6(a, 0));

/** A table with both families from fast-check's address and length pools. */
function build(six: [Uint8Array, number][], four: [Uint8Array, number][]): FastRtable<Route> {
  const t = new FastRtable<Route>();
  let id = 0;
  for (const [a, l] of six) t.insert('inet6', a, l, { priority: 8, gw: 0, id: id++ }, opts);
  for (const [a, l] of four) t.insert('inet', a, l, { priority: 8, gw: 0, id: id++ }, opts);
  return t;
}

describe('string batches', () => {
  test('matchStrings and lookupStrings equal scalar lookups (mixed families, > one group)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbV6, arbV6Plen), { maxLength: 30 }),
        fc.array(fc.tuple(arbV4, arbV4Plen), { maxLength: 30 }),
        fc.array(fc.oneof(arbV4, arbV6), { minLength: 0, maxLength: 150 }),
        (six, four, probes) => {
          const t = build(six, four);
          const list = probes.map(text);
          for (const [a, l] of [...six, ...four]) for (const e of edges(a, l)) list.push(text(e));
          const ids = new Int32Array(list.length);
          t.matchStrings(list, ids);
          const routes: (Route | undefined)[] = [];
          t.lookupStrings(list, routes);
          list.forEach((s, i) => {
            expect(ids[i]).toBe(t.matchString(s));
            expect(routes[i]).toBe(t.lookup(s));
          });
        },
      ),
      { numRuns: runs(150) },
    );
  });

  test('bad strings throw the scalar TableError after writing the entries before them; short out arrays a RangeError', () => {
    const t = build([[Uint8Array.from([0x20, 1, 0xd, 0xb8, ...new Array<number>(12).fill(0)]), 32]], [[Uint8Array.from([10, 0, 0, 0]), 8]]);
    const good = (i: number): string => (i % 3 === 0 ? '2001:db8::1' : i % 3 === 1 ? '10.1.1.1' : '192.0.2.1');
    for (const bad of ['10.0.0', '2001:db8:::1', '', '1.2.3.4.5', '256.1.1.1', 'x']) {
      let scalar: unknown;
      try {
        t.lookup(bad);
      } catch (e) {
        scalar = e;
      }
      expect(scalar).toBeInstanceOf(TableError);
      // The bad string inside the first group and inside the second.
      for (const before of [5, 70]) {
        const list = [...Array.from({ length: before }, (_, i) => good(i)), bad, '10.2.2.2'];
        const ids = new Int32Array(list.length).fill(-1);
        const routes: (Route | undefined | null)[] = new Array<null>(list.length).fill(null);
        for (const call of [() => t.matchStrings(list, ids), () => t.lookupStrings(list, routes as (Route | undefined)[])]) {
          expect(call).toThrow(TableError);
          expect(call).toThrow((scalar as Error).message);
        }
        for (let i = 0; i < before; i++) {
          expect(ids[i]).toBe(t.matchString(list[i]!));
          expect(routes[i]).toBe(t.lookup(list[i]!));
        }
        expect(ids[before]).toBe(-1);
        expect(routes[before]).toBe(null);
      }
    }
    expect(() => t.matchStrings(['10.1.1.1', '10.1.1.2'], new Int32Array(1))).toThrow(RangeError);
  });
});

describe('bulkLoad', () => {
  test('into a non-empty table, then updates: still a scan of the table (both families)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbV6, arbV6Plen), { maxLength: 25 }),
        fc.array(fc.tuple(arbV6, arbV6Plen), { maxLength: 25 }),
        fc.array(fc.tuple(arbV4, arbV4Plen), { maxLength: 25 }),
        fc.array(fc.nat(), { maxLength: 15 }),
        (first, bulk, bulk4, dels) => {
          const pair = new Pair();
          let id = 0;
          for (const [a, l] of first) pair.insert('inet6', a, l, { priority: 8, gw: id % 3, id: id++ });
          for (const [af, list, w] of [['inet6', bulk, 16], ['inet', bulk4, 4]] as const) {
            const bytes = new Uint8Array(list.length * w);
            const routes = list.map(([a], i) => (bytes.set(a, i * w), { priority: 8, gw: id % 3, id: id++ }));
            const plens = list.map(([, l]) => l);
            const refused = pair.fast.bulkLoad(af, bytes, plens, routes, opts);
            let plainRefused = 0;
            routes.forEach((r, i) => (plainRefused += pair.plain.insert(af, bytes.subarray(i * w, i * w + w), plens[i]!, r, opts) === 0 ? 0 : 1));
            expect(refused).toBe(plainRefused);
          }
          const live = [...pair.plain.entries('inet6')];
          for (const d of dels) {
            if (live.length === 0) break;
            const e = live.splice(d % live.length, 1)[0]!;
            for (const r of [...pair.plain.routesAt('inet6', e.dst, e.plen)]) pair.delete('inet6', e.dst, e.plen, r);
          }
          for (const af of ['inet6', 'inet'] as const) {
            for (const e of pair.plain.entries(af)) {
              for (const a of edges(e.dst, e.plen)) expect(pair.fast.lookup(a)).toBe(scan(pair.plain, af, a));
            }
          }
        },
      ),
      { numRuns: runs(150) },
    );
  });
});
