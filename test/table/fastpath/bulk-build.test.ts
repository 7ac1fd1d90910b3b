/**
 * bulkLoad into an empty table builds the fast path in one pass (DirTrie.build) instead of
 * inserting prefix by prefix. The result must be indistinguishable from one-by-one inserts:
 * same answers, same chunk shape, and the same behaviour under later updates (parent links and
 * chunk counts are only exercised by deletes, so every prefix is deleted again at the end).
 */
import fc from 'fast-check';
import { FastRtable } from '../../../src/table/fastpath/index.js';
import type { AddressFamily } from '../../../src/table/rtable.js';
import { arbV4, arbV4Plen, arbV6, arbV6Plen, masked, runs } from '../helpers.js';
import { edges, opts, Pair, scan, u32, type Route } from './model.js';

const prio = fc.constantFrom(1, 8, 8, 8, 48, 0x80 | 8);

/** Routes of one family: address (host bits kept or cleared), length, priority, gateway. */
function arbList(af: AddressFamily) {
  const addr = af === 'inet' ? arbV4 : arbV6;
  const plen = af === 'inet' ? arbV4Plen : arbV6Plen;
  return fc.array(fc.record({ addr, plen, prio, gw: fc.nat(2), hostBits: fc.boolean() }), { maxLength: 60 });
}

type Item = { addr: Uint8Array; plen: number; prio: number; gw: number; hostBits: boolean };

function compare(a: Item, b: Item): number {
  const x = masked(a.addr, a.plen);
  const y = masked(b.addr, b.plen);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return a.plen - b.plen;
}

/** Loads `items` into pair.fast by bulkLoad and into pair.plain (and `oneByOne`) by inserts. */
function load(pair: Pair, oneByOne: FastRtable<Route>, af: AddressFamily, items: Item[]): void {
  const w = af === 'inet' ? 4 : 16;
  const bytes = new Uint8Array(items.length * w);
  const plens = Uint8Array.from(items, (it) => it.plen);
  const routes = items.map((it, i) => ({ priority: it.prio, gw: it.gw, id: i }));
  items.forEach((it, i) => bytes.set(it.hostBits ? it.addr : masked(it.addr, it.plen), i * w));
  const refused = pair.fast.bulkLoad(af, bytes, plens, routes, opts);
  let plainRefused = 0;
  routes.forEach((r, i) => {
    const dst = bytes.subarray(i * w, i * w + w);
    plainRefused += pair.plain.insert(af, dst, plens[i]!, r, opts) === 0 ? 0 : 1;
    oneByOne.insert(af, dst, plens[i]!, r, opts);
  });
  expect(refused).toBe(plainRefused);
  // The Rtable side too: same nodes in walk order, each with the same routes in the same order
  // (multipath lists, FIFO among equal priorities), and the same route count.
  expect([...pair.fast.entries(af)]).toEqual([...pair.plain.entries(af)]);
  expect(pair.fast.countOf(af)).toBe(pair.plain.countOf(af));
}

function check(pair: Pair, af: AddressFamily): void {
  for (const e of pair.plain.entries(af)) {
    for (const a of edges(e.dst, e.plen)) {
      const want = scan(pair.plain, af, a);
      expect(pair.fast.lookup(a)).toBe(want);
      if (af === 'inet') expect(pair.fast.lookupV4(u32(a))).toBe(want);
    }
  }
}

describe('bulkLoad into an empty table (one-pass build)', () => {
  for (const af of ['inet', 'inet6'] as const) {
    test(`${af}: same answers and chunks as one-by-one inserts, sorted or not, then deletes down to empty`, () => {
      fc.assert(
        fc.property(arbList(af), fc.boolean(), fc.array(fc.nat(), { maxLength: 80 }), (items, sortFirst, delOrder) => {
          if (sortFirst) items.sort(compare);
          const pair = new Pair();
          const oneByOne = new FastRtable<Route>();
          load(pair, oneByOne, af, items);
          // Same shape (bytes differ: the build allocates exactly, inserts grow with slack).
          const { prefixes, chunks } = oneByOne.fastPathStats();
          expect(pair.fast.fastPathStats()).toMatchObject({ prefixes, chunks });
          check(pair, af);
          // Delete every route in a random order; answers must follow at every step.
          const live = [...pair.plain.entries(af)];
          for (let k = 0; live.length > 0; k++) {
            const e = live.splice((delOrder[k] ?? 0) % live.length, 1)[0]!;
            for (const r of [...pair.plain.routesAt(af, e.dst, e.plen)]) pair.delete(af, e.dst, e.plen, r);
            if (k % 7 === 0) check(pair, af);
          }
          const stats = pair.fast.fastPathStats();
          expect(stats.prefixes).toBe(0);
          expect(stats.chunks[af].slice(1).every((c) => c === 0)).toBe(true);
        }),
        { numRuns: runs(200) },
      );
    });
  }

  test('a second bulkLoad (non-empty trie) and inserts after a build stay exact', () => {
    fc.assert(
      fc.property(arbList('inet'), arbList('inet'), (first, second) => {
        const pair = new Pair();
        const oneByOne = new FastRtable<Route>();
        load(pair, oneByOne, 'inet', first);
        load(pair, oneByOne, 'inet', second);
        check(pair, 'inet');
      }),
      { numRuns: runs(100) },
    );
  });
});
