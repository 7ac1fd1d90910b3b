import fc from 'fast-check';
import { ArtTable, INET6_STRIDES, INET_STRIDES } from '../../src/table/art.js';
import { arbV4, arbV4Plen, arbV6, arbV6Plen, compareKeys, masked, prefix, runs, show, walkKey } from './helpers.js';

/** Deterministic Fisher-Yates driven by an LCG, so one fast-check seed gives one permutation. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function walked(t: ArtTable<unknown>): string[] {
  const out: string[] = [];
  t.walk((addr, plen) => out.push(show(addr, plen)));
  return out;
}

const acceptance = [
  '10.0.0.0/8',
  '10.0.0.0/10',
  '10.0.0.0/16',
  '10.8.0.0/16',
  '10.8.0.0/24',
  '10.8.1.0/24',
  '10.8.3.0/24',
  '10.8.4.0/24',
  '192.0.2.1/32',
  '192.0.2.2/32',
  '192.0.2.3/32',
  '192.0.2.4/32',
];

describe('ART walk order', () => {
  test('acceptance example, any insertion order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(acceptance, { minLength: acceptance.length }), (order) => {
        const t = new ArtTable<number>(32, INET_STRIDES);
        order.forEach((p, i) => t.insert(...prefix(p), i));
        expect(walked(t)).toEqual(acceptance);
      }),
      { numRuns: runs(50) },
    );
  });

  test('default first, non-fringe before fringe entries of its table, /25 before /26', () => {
    const t = new ArtTable<number>(32, INET_STRIDES);
    for (const p of ['10.8.1.0/26', '10.8.1.0/25', '10.8.0.0/16', '10.0.0.0/8', '0.0.0.0/0', '10.0.0.0/10', '10.8.1.0/22']) {
      t.insert(...prefix(p), 0);
    }
    expect(walked(t)).toEqual([
      '0.0.0.0/0',
      '10.0.0.0/8',
      '10.0.0.0/10',
      '10.8.0.0/16',
      '10.8.0.0/22',
      '10.8.1.0/25',
      '10.8.1.0/26',
    ]);
  });

  test('stride-4 heap order of non-fringe prefixes (spec example)', () => {
    // Root table of stride 4 over an 8-bit key: plen 1..3 are the non-fringe prefixes.
    const expected = ['0/1', '00/2', '000/3', '1/1', '10/2', '100/3', '01/2', '010/3', '11/2', '110/3', '001/3', '011/3', '101/3', '111/3'];
    const toKey = (s: string): [Uint8Array, number] => {
      const bits = s.split('/')[0]!;
      return [Uint8Array.of(parseInt(bits.padEnd(8, '0'), 2)), bits.length];
    };
    fc.assert(
      fc.property(fc.shuffledSubarray(expected, { minLength: expected.length }), (order) => {
        const t = new ArtTable<string>(8, [4, 4]);
        for (const s of order) t.insert(...toKey(s), s);
        t.insert(Uint8Array.of(0x10), 4, 'fringe');
        const got: string[] = [];
        t.walk((_a, _p, v) => got.push(v));
        expect(got).toEqual([...expected, 'fringe']);
      }),
      { numRuns: runs(30) },
    );
  });

  test('fringe-aligned IPv4 prefixes walk in address order, covering before more specific', () => {
    const t = new ArtTable<number>(32, INET_STRIDES);
    const list = ['10.0.0.0/8', '10.0.0.0/16', '10.8.0.0/16', '10.8.0.0/24', '10.8.0.0/28', '10.8.0.16/28', '10.8.0.16/32', '10.8.1.0/24', '10.16.0.0/12', '11.0.0.0/8'];
    [...list].reverse().forEach((p) => t.insert(...prefix(p), 0));
    expect(walked(t)).toEqual(list);
  });

  const families = [
    { name: 'IPv4', bits: 32, strides: INET_STRIDES, addr: arbV4, plen: arbV4Plen },
    { name: 'IPv6', bits: 128, strides: INET6_STRIDES, addr: arbV6, plen: arbV6Plen },
  ] as const;

  for (const f of families) {
    test(`${f.name}: walk equals the spec order and does not depend on insertion order`, () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.tuple(f.addr, f.plen).map(([a, l]) => [masked(a, l), l] as const), {
            selector: ([a, l]) => show(a, l),
            maxLength: 60,
          }),
          fc.integer(),
          (prefixes, seed) => {
            const shuffled = shuffle(prefixes, seed);
            const a = new ArtTable<number>(f.bits, f.strides);
            const b = new ArtTable<number>(f.bits, f.strides);
            prefixes.forEach(([addr, l]) => a.insert(addr, l, 0));
            shuffled.forEach(([addr, l]) => b.insert(addr, l, 0));
            const expected = [...prefixes]
              .sort((x, y) => compareKeys(walkKey(x[0], x[1], f.strides), walkKey(y[0], y[1], f.strides)))
              .map(([addr, l]) => show(addr, l));
            expect(walked(a)).toEqual(expected);
            expect(walked(b)).toEqual(expected);
          },
        ),
        { numRuns: runs(100) },
      );
    });

    test(`${f.name}: deleting during a walk skips only what was deleted before being reached`, () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.tuple(f.addr, f.plen).map(([a, l]) => [masked(a, l), l] as const), {
            selector: ([a, l]) => show(a, l),
            minLength: 1,
            maxLength: 40,
          }),
          fc.array(fc.nat(), { maxLength: 40 }),
          fc.boolean(),
          (prefixes, picks, deleteCurrent) => {
            const t = new ArtTable<number>(f.bits, f.strides);
            prefixes.forEach(([addr, l]) => t.insert(addr, l, 0));
            const order = walked(t);
            const deleted = new Set<string>();
            const visited: string[] = [];
            let step = 0;
            t.walk((addr, plen) => {
              const here = show(addr, plen);
              visited.push(here);
              if (deleteCurrent) {
                expect(t.delete(addr, plen)).toBe(true);
                deleted.add(here);
              }
              const pick = picks[step++];
              if (pick !== undefined) {
                const [pa, pl] = prefixes[pick % prefixes.length]!;
                t.delete(pa, pl);
                deleted.add(show(pa, pl));
              }
            });
            // Every prefix is visited iff it had not been deleted when the walk got to it.
            const expected: string[] = [];
            const gone = new Set<string>();
            step = 0;
            for (const p of order) {
              if (gone.has(p)) continue;
              expected.push(p);
              if (deleteCurrent) gone.add(p);
              const pick = picks[step++];
              if (pick !== undefined) gone.add(show(...prefixes[pick % prefixes.length]!));
            }
            expect(visited).toEqual(expected);
            expect(t.size).toBe(prefixes.length - deleted.size);
            expect(walked(t)).toEqual(order.filter((p) => !deleted.has(p)));
            for (const [addr, l] of prefixes) t.delete(addr, l);
            expect(t.size).toBe(0);
            expect(t.stats().tables).toBe(1);
          },
        ),
        { numRuns: runs(100) },
      );
    });
  }
});
