import fc from 'fast-check';
import { TableError } from '../../../src/table/errors.js';
import { FastRtable } from '../../../src/table/fastpath/index.js';
import type { AddressFamily } from '../../../src/table/rtable.js';
import { arbV4, arbV4Plen, arbV6, arbV6Plen, prefix, runs, v4, v6 } from '../helpers.js';
import { edges, opts, Pair, scan, u32, type Route } from './model.js';

const prio = fc.constantFrom(1, 4, 8, 8, 48, 56, 0x80 | 8, 0x80 | 4);

type Op =
  | { kind: 'add'; key: number; plen: number; gw: number; prio: number }
  | { kind: 'del'; pick: number }
  | { kind: 'reprio'; pick: number; prio: number };

function ops(keys: number) {
  return fc.array(
    fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.nat(keys - 1), plen: fc.nat(1000), gw: fc.nat(3), prio }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('del' as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('reprio' as const), pick: fc.nat(), prio }) },
    ),
    { maxLength: 120 },
  );
}

/**
 * Applies `list` to both tables; addresses and lengths come from the pools fast-check made.
 * `after` runs after every operation (lookups interleaved with updates).
 */
function run(af: AddressFamily, addrs: Uint8Array[], plens: number[], list: Op[], pair = new Pair(), after?: (pair: Pair) => void): Pair {
  const live: { dst: Uint8Array; plen: number; r: Route }[] = [];
  let id = 1;
  for (const op of list) {
    if (op.kind === 'add') {
      const dst = addrs[op.key % addrs.length]!;
      const plen = plens[op.plen % plens.length]!;
      const r = { priority: op.prio, gw: op.gw, id: id++ };
      const before = pair.plain.count;
      pair.insert(af, dst, plen, r);
      if (pair.plain.count > before) live.push({ dst, plen, r });
    } else if (live.length > 0) {
      const at = op.pick % live.length;
      const { dst, plen, r } = live[at]!;
      if (op.kind === 'del') {
        pair.delete(af, dst, plen, r);
        live.splice(at, 1);
      } else pair.reprio(af, dst, plen, r, op.prio);
    }
    after?.(pair);
  }
  return pair;
}

function check(pair: Pair, af: AddressFamily, probes: Uint8Array[]): void {
  const all = [...probes];
  for (const e of pair.plain.entries(af)) all.push(...edges(e.dst, e.plen));
  for (const a of all) {
    const want = scan(pair.plain, af, a);
    expect(pair.fast.lookup(a)).toBe(want);
    expect(pair.fast.match(af, a)).toBe(pair.plain.match(af, a));
    if (af === 'inet') expect(pair.fast.lookupV4(u32(a))).toBe(want);
    else expect(pair.fast.lookupV6(a)).toBe(want);
  }
  // The batch forms, whose lock-step lanes finish at different depths, answer as lookup() does.
  const ids = new Int32Array(all.length);
  if (af === 'inet') pair.fast.lookupBatchV4(Uint32Array.from(all, u32), ids);
  else {
    const rows = new Uint8Array(16 * all.length);
    all.forEach((a, i) => rows.set(a, 16 * i));
    pair.fast.lookupBatchV6(rows, ids);
  }
  all.forEach((a, i) => expect(pair.fast.routeOf(ids[i]!)).toBe(pair.fast.lookup(a)));
}

describe('FastRtable agrees with a scan of the table', () => {
  test('IPv4: random inserts, deletes, reprios; random and edge addresses', () => {
    fc.assert(
      fc.property(fc.array(arbV4, { minLength: 1, maxLength: 12 }), fc.array(arbV4Plen, { minLength: 1, maxLength: 8 }), ops(12), fc.array(arbV4, { maxLength: 20 }), (addrs, plens, list, probes) => {
        check(run('inet', addrs, plens, list), 'inet', probes);
      }),
      { numRuns: runs(300) },
    );
  });

  test('IPv6: random inserts, deletes, reprios; random and edge addresses', () => {
    fc.assert(
      fc.property(fc.array(arbV6, { minLength: 1, maxLength: 12 }), fc.array(arbV6Plen, { minLength: 1, maxLength: 8 }), ops(12), fc.array(arbV6, { maxLength: 20 }), (addrs, plens, list, probes) => {
        check(run('inet6', addrs, plens, list), 'inet6', probes);
      }),
      { numRuns: runs(200) },
    );
  });

  test('IPv6 with one or two open chunks in all (chunks packed and reopened all the time): lookups between updates', () => {
    const near = fc.tuple(arbV6, fc.array(fc.tuple(fc.nat(15), fc.nat(255)), { maxLength: 3 }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 }), fc.array(near, { minLength: 1, maxLength: 12 }), fc.array(arbV6Plen, { minLength: 1, maxLength: 8 }), ops(24), fc.array(arbV6, { maxLength: 8 }), (open, seeds, plens, list, probes) => {
        // Addresses sharing long prefixes, so that updates land in the same deep chunks again.
        const addrs = seeds.flatMap(([a, tweaks]) => [a, ...tweaks.map(([at, v]) => a.map((b, i) => (i === at ? v : b)))]);
        const pair = run('inet6', addrs, plens, list, new Pair(new FastRtable<Route>({ openChunks: open })), (p) => {
          for (const a of [...probes, ...addrs]) expect(p.fast.lookupV6(a)).toBe(p.plain.match('inet6', a));
        });
        check(pair, 'inet6', probes);
      }),
      { numRuns: runs(200) },
    );
  });

  test('deleting everything frees every chunk', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbV6, arbV6Plen), { maxLength: 40 }), fc.array(fc.tuple(arbV4, arbV4Plen), { maxLength: 40 }), (six, four) => {
        const t = new FastRtable<Route>();
        const added: [AddressFamily, Uint8Array, number, Route][] = [];
        for (const [af, list] of [['inet6', six], ['inet', four]] as const) {
          for (const [a, l] of list) {
            const r = { priority: 8, gw: 0, id: 0 };
            if (t.insert(af, a, l, r, opts) === 0) added.push([af, a, l, r]);
          }
        }
        for (const [af, a, l, r] of added) expect(t.delete(af, a, l, r)).toBe(true);
        const s = t.fastPathStats();
        expect(s.prefixes).toBe(0);
        expect(s.chunks.inet).toEqual([1, 0, 0]);
        expect(s.chunks.inet6).toEqual([1, ...new Array<number>(14).fill(0)]);
      }),
      { numRuns: runs(200) },
    );
  });
});

describe('FastRtable API', () => {
  const t = new FastRtable<Route>();
  const add = (text: string, priority: number, gw = 0): Route => {
    const [a, l] = prefix(text);
    const r = { priority, gw, id: gw };
    expect(t.insert(a.length === 4 ? 'inet' : 'inet6', a, l, r, opts)).toBe(0);
    return r;
  };
  const dflt = add('0.0.0.0/0', 8, 1);
  const ten = add('10.0.0.0/8', 8, 2);
  const tenDown = add('10.0.0.0/8', 4 | 0x80, 3);
  const host = add('10.1.2.3/32', 8, 4);
  const six = add('2001:db8::/32', 8, 5);

  test('strings, bytes and integers', () => {
    expect(t.lookup('10.9.9.9')).toBe(ten);
    expect(t.lookup('10.1.2.3')).toBe(host);
    expect(t.lookup('11.0.0.1')).toBe(dflt);
    expect(t.lookup(v4('10.1.2.4'))).toBe(ten);
    expect(t.lookupV4(0x0a010203)).toBe(host);
    expect(t.lookupV4(0x0a010203 | 0)).toBe(host);
    expect(t.lookup('2001:db8:ffff::1')).toBe(six);
    expect(t.lookup('2001:db9::1')).toBeUndefined();
    expect(t.lookupV6(v6('2001:db8::5'))).toBe(six);
    expect(tenDown.priority & 0x80).toBe(0x80);
  });

  test('Rtable.lookup keeps its five-argument form', () => {
    expect(t.lookup('inet', v4('10.0.0.0'), 8, 4 | 0x80)).toBe(tenDown);
  });

  test('bad input', () => {
    expect(() => t.lookup('10.0.0')).toThrow(TableError);
    expect(() => t.lookup('2001:db8:::1')).toThrow(TableError);
    expect(() => t.lookup(new Uint8Array(5))).toThrow(TableError);
    const r = { priority: 8, gw: 0, id: 0 };
    expect(() => t.delete('inet', v4('10.0.0.0'), 33, r)).toThrow(TableError);
    expect(() => t.reprio('inet6', v4('10.0.0.0'), 8, r, 4)).toThrow(TableError);
    expect(() => t.insert('inet', v4('10.0.0.0'), -1, r, opts)).toThrow(TableError);
    expect(t.delete('inet', v4('10.0.0.0'), 9, r)).toBe(false);
    expect(t.reprio('inet', v4('10.0.0.0'), 8, r, 4)).toBe(false);
  });

  test('batches write ids or routes into caller arrays', () => {
    const addrs = Uint32Array.from([0x0a090909, 0x0a010203, 0x0b000001]);
    const ids = new Int32Array(3);
    t.lookupBatchV4(addrs, ids);
    expect([...ids].map((i) => t.routeOf(i))).toEqual([ten, host, dflt]);
    expect(t.plenOf(ids[1]!)).toBe(32);
    const routes: (Route | undefined)[] = [];
    t.lookupBatchV4Routes(addrs, routes);
    expect(routes).toEqual([ten, host, dflt]);
    const rows = new Uint8Array(32);
    rows.set(v6('2001:db8::1'), 0);
    rows.set(v6('2002::1'), 16);
    const out6 = new Int32Array(2);
    t.lookupBatchV6(rows, out6);
    expect(t.routeOf(out6[0]!)).toBe(six);
    expect(out6[1]).toBe(0);
    const r6: (Route | undefined)[] = [];
    t.lookupBatchV6Routes(rows, r6);
    expect(r6).toEqual([six, undefined]);
    expect(() => t.lookupBatchV4(addrs, new Int32Array(2))).toThrow(RangeError);
  });

  test('large batches (lock-step groups and a remainder) agree with scalar lookups at every depth', () => {
    const b = new FastRtable<Route>();
    let id = 0;
    const add = (text: string): void => {
      const [a, l] = prefix(text);
      b.insert(a.length === 4 ? 'inet' : 'inet6', a, l, { priority: 8, gw: 0, id: id++ }, opts);
    };
    for (const p of ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.128/25', '10.1.2.3/32', '10.200.0.0/20']) add(p);
    for (const p of ['2001:db8::/32', '2001:db8:1::/48', '2001:db8:1:2::/64', '2001:db8:1:2::1/128', '2002::/16']) add(p);
    let x = 12345;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const n = 2501; // not a multiple of the lock-step width
    const addrs = new Uint32Array(n);
    for (let i = 0; i < n; i++) addrs[i] = ((i % 3 === 0 ? 0x0a01_0200 : i % 3 === 1 ? 0x0a000000 : 0) | (rnd() & (i % 3 === 0 ? 0xff : 0xffffff))) >>> 0;
    addrs[7] = 0x0a010203;
    const ids = new Int32Array(n);
    b.lookupBatchV4(addrs, ids);
    for (let i = 0; i < n; i++) expect(ids[i]).toBe(b.matchV4(addrs[i]!));
    const base = [v6('2001:db8:1:2::1'), v6('2001:db8:1:2::'), v6('2001:db8:1::'), v6('2001:db8::'), v6('2002::'), v6('2003::')];
    const rows = new Uint8Array(16 * n);
    for (let i = 0; i < n; i++) {
      rows.set(base[i % base.length]!, 16 * i);
      if (i % 7 === 0) rows[16 * i + 15] = rnd() & 0xff;
    }
    const out6 = new Int32Array(n);
    b.lookupBatchV6(rows, out6);
    for (let i = 0; i < n; i++) expect(out6[i]).toBe(b.matchV6(rows, 16 * i));
    expect(new Set(out6).size).toBeGreaterThan(4);
  });

  test('reprio (interface down/up) moves the answer without touching the trie', () => {
    const [a, l] = prefix('10.0.0.0/8');
    expect(t.reprio('inet', a, l, ten, 8 | 0x80)).toBe(true);
    expect(t.lookup('10.9.9.9')).toBe(tenDown); // both down: 0x84 sorts before 0x88
    expect(t.reprio('inet', a, l, tenDown, 4)).toBe(true);
    expect(t.lookup('10.9.9.9')).toBe(tenDown);
    expect(t.reprio('inet', a, l, tenDown, 4 | 0x80)).toBe(true);
    expect(t.reprio('inet', a, l, ten, 8)).toBe(true);
    expect(t.lookup('10.9.9.9')).toBe(ten);
  });

  test('bulkLoad equals one-by-one inserts', () => {
    const list = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.128/25', '0.0.0.0/0', '10.1.0.0/16'];
    const bytes = new Uint8Array(list.length * 4);
    const plens: number[] = [];
    const rs: Route[] = [];
    list.forEach((p, i) => {
      const [a, l] = prefix(p);
      bytes.set(a, i * 4);
      plens.push(l);
      rs.push({ priority: 8, gw: i === 5 ? 1 : 0, id: i });
    });
    const b = new FastRtable<Route>();
    expect(b.bulkLoad('inet', bytes, plens, rs, { mpath: false, sameGateway: opts.sameGateway })).toBe(1);
    for (const [probe, want] of [['10.1.2.200', 3], ['10.1.2.1', 2], ['10.1.3.1', 1], ['10.2.0.0', 0], ['11.0.0.0', 4]] as const) {
      expect(b.lookup(probe)).toBe(rs[want]);
    }
  });
});
