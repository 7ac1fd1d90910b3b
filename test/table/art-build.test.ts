/**
 * ArtTable.build fills an empty table from sorted, distinct, masked prefixes in one pass. It must
 * give the table one-by-one inserts give: the same walk (order, prefixes, values), the same
 * answers at every prefix's edges, the same subtables (so later deletes free them all), and it
 * must refuse input that breaks its rules before storing anything.
 */
import fc from 'fast-check';
import { ArtTable, INET6_STRIDES, INET_STRIDES } from '../../src/table/art.js';
import { TableError } from '../../src/table/errors.js';
import { arbV4, arbV4Plen, arbV6, arbV6Plen, masked, prefix, runs } from './helpers.js';

const families = [
  { name: 'IPv4', bits: 32, strides: INET_STRIDES, addr: arbV4, plen: arbV4Plen },
  { name: 'IPv6', bits: 128, strides: INET6_STRIDES, addr: arbV6, plen: arbV6Plen },
  // Uneven strides (one of 1 bit, one of 16) exercise the level arithmetic beyond the stock ones.
  { name: 'IPv4 1/16/7/8 strides', bits: 32, strides: [1, 16, 7, 8], addr: arbV4, plen: arbV4Plen },
] as const;

type Prefix = { addr: Uint8Array; plen: number };

function compare(a: Prefix, b: Prefix): number {
  for (let i = 0; i < a.addr.length; i++) if (a.addr[i] !== b.addr[i]) return a.addr[i]! - b.addr[i]!;
  return a.plen - b.plen;
}

/** Distinct masked prefixes, sorted by address then length. */
function sortedDistinct(list: Prefix[]): Prefix[] {
  const out: Prefix[] = [];
  for (const p of list.map((x) => ({ addr: masked(x.addr, x.plen), plen: x.plen })).sort(compare)) {
    if (out.length === 0 || compare(out[out.length - 1]!, p) !== 0) out.push(p);
  }
  return out;
}

function flat(list: Prefix[], width: number): { addrs: Uint8Array; plens: Uint8Array; order: Int32Array } {
  const addrs = new Uint8Array(list.length * width);
  list.forEach((p, i) => addrs.set(p.addr, i * width));
  return { addrs, plens: Uint8Array.from(list, (p) => p.plen), order: Int32Array.from(list, (_, i) => i) };
}

/** Every prefix with its first and last address and the addresses just outside it. */
function edges(p: Prefix): Uint8Array[] {
  const first = p.addr.slice();
  const last = p.addr.slice();
  for (let b = p.plen; b < p.addr.length * 8; b++) last[b >> 3]! |= 0x80 >> (b & 7);
  const step = (a: Uint8Array, d: number): Uint8Array => {
    const out = a.slice();
    for (let i = out.length - 1; i >= 0; i--) {
      const v = out[i]! + d;
      out[i] = v & 0xff;
      if (v >= 0 && v <= 0xff) break;
    }
    return out;
  };
  return [first, last, step(first, -1), step(last, 1)];
}

describe.each(families)('ArtTable.build ($name)', (f) => {
  test('equals one-by-one inserts: walk, answers, subtables, and deletes back to empty', () => {
    const arbList = fc.array(fc.record({ addr: f.addr, plen: f.plen }), { maxLength: 80 });
    fc.assert(
      fc.property(arbList, fc.array(fc.nat(), { maxLength: 80 }), (raw, delOrder) => {
        const list = sortedDistinct(raw.filter((p) => p.plen <= f.bits));
        const width = f.bits / 8;
        const built = new ArtTable<number>(f.bits, f.strides);
        const inserted = new ArtTable<number>(f.bits, f.strides);
        const { addrs, plens, order } = flat(list, width);
        built.build(addrs, plens, order, list.length, list.map((_, j) => j));
        // Inserted in reverse: the result must not depend on the order.
        for (let j = list.length - 1; j >= 0; j--) inserted.insert(list[j]!.addr, list[j]!.plen, j);
        expect([...built.entries()]).toEqual([...inserted.entries()]);
        expect(built.stats().tables).toBe(inserted.stats().tables);
        for (const p of list) {
          for (const a of edges(p)) expect(built.match(a)).toEqual(inserted.match(a));
        }
        // Deletes in a random order keep the two equal and free every subtable in the end.
        const live = list.slice();
        for (let k = 0; live.length > 0; k++) {
          const p = live.splice((delOrder[k] ?? 0) % live.length, 1)[0]!;
          expect(built.delete(p.addr, p.plen)).toBe(true);
          inserted.delete(p.addr, p.plen);
          if (k % 5 === 0) for (const q of list) expect(built.match(q.addr)).toEqual(inserted.match(q.addr));
        }
        expect(built.size).toBe(0);
        expect(built.stats().tables).toBe(1);
        // The emptied table builds again.
        built.build(addrs, plens, order, list.length, list.map((_, j) => j));
        expect([...built.entries()].length).toBe(list.length);
      }),
      { numRuns: runs(150) },
    );
  });
});

describe('ArtTable.build refuses bad input and stores nothing', () => {
  const input = (texts: string[]) => {
    const list = texts.map((t) => {
      const [addr, plen] = prefix(t);
      return { addr, plen };
    });
    return flat(list, 4);
  };
  const cases: [string, string[], string][] = [
    ['out of order', ['10.1.0.0/16', '10.0.0.0/16'], 'bad-bulk-input'],
    ['repeated', ['10.0.0.0/16', '10.0.0.0/16'], 'bad-bulk-input'],
    ['longer before shorter at one address', ['10.0.0.0/16', '10.0.0.0/8'], 'bad-bulk-input'],
    ['host bits set', ['10.0.0.1/24'], 'bad-bulk-input'],
    ['prefix length too long', ['10.0.0.0/33'], 'bad-prefix-length'],
  ];
  test.each(cases)('%s', (_, texts, reason) => {
    const t = new ArtTable<number>(32, INET_STRIDES);
    const { addrs, plens, order } = input(texts);
    let error: unknown;
    try {
      t.build(addrs, plens, order, texts.length, texts.map((_, j) => j));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TableError);
    expect((error as TableError).reason).toBe(reason);
    expect(t.size).toBe(0);
    expect([...t.entries()]).toEqual([]);
    expect(t.stats().tables).toBe(1);
  });

  test('a table that is not empty', () => {
    const t = new ArtTable<number>(32, INET_STRIDES);
    t.insert(...prefix('192.0.2.0/24'), 1);
    const { addrs, plens, order } = input(['10.0.0.0/8']);
    expect(() => t.build(addrs, plens, order, 1, [2])).toThrow(TableError);
    expect([...t.entries()].map((e) => e.value)).toEqual([1]);
  });

  test('an order naming a key past the buffer', () => {
    const t = new ArtTable<number>(128, INET6_STRIDES);
    expect(() => t.build(new Uint8Array(16), Uint8Array.of(0, 0), Int32Array.of(0, 1), 2, [1, 2])).toThrow(TableError);
    expect(t.size).toBe(0);
  });
});
