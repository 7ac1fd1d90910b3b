import fc from 'fast-check';
import { ArtTable, INET6_STRIDES, INET_STRIDES } from '../../src/table/art.js';
import { arbV4, arbV4Plen, arbV6, arbV6Plen, FlatTable, runs, show } from './helpers.js';

type Op =
  | { kind: 'insert'; addr: Uint8Array; plen: number; value: number }
  | { kind: 'delete'; addr: Uint8Array; plen: number }
  | { kind: 'get'; addr: Uint8Array; plen: number }
  | { kind: 'match'; addr: Uint8Array }
  /** Delete / match near the pick-th stored prefix, so deletes hit and matches land inside. */
  | { kind: 'deleteStored'; pick: number }
  /** Insert a prefix nested with a stored one (same address, plen ± a few): dense allotment. */
  | { kind: 'insertNear'; pick: number; delta: number; value: number }
  | { kind: 'matchStored'; pick: number; addr: Uint8Array }
  /**
   * An exact operation on the prefix some earlier op named (`back` ops ago): ART remembers its
   * last exact descent, and this is what reuses it, after other prefixes changed the tables.
   */
  | { kind: 'recent'; back: number; what: 'get' | 'delete' | 'insert'; value: number };

function arbOps(addr: fc.Arbitrary<Uint8Array>, plen: fc.Arbitrary<number>): fc.Arbitrary<Op[]> {
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), addr, plen, value: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), addr, plen }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), addr, plen }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('match' as const), addr }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteStored' as const), pick: fc.nat() }) },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('insertNear' as const), pick: fc.nat(), delta: fc.integer({ min: -3, max: 3 }), value: fc.nat() }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('matchStored' as const), pick: fc.nat(), addr }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('recent' as const), back: fc.nat(3), what: fc.constantFrom('get' as const, 'delete' as const, 'insert' as const), value: fc.nat(),
      }),
    },
  );
  return fc.array(op, { maxLength: 150 });
}

const families = [
  { name: 'IPv4', bits: 32, strides: INET_STRIDES, addr: arbV4, plen: arbV4Plen },
  { name: 'IPv6', bits: 128, strides: INET6_STRIDES, addr: arbV6, plen: arbV6Plen },
] as const;

describe.each(families)('ArtTable against a flat-list model ($name)', (f) => {
  test('random insert/delete/get/match sequences', () => {
    fc.assert(
      fc.property(arbOps(f.addr, f.plen), (ops) => {
        const art = new ArtTable<number>(f.bits, f.strides);
        const model = new FlatTable<number>();
        // Prefixes the ops named, latest last (for 'recent').
        const named: { addr: Uint8Array; plen: number }[] = [];
        for (const op of ops) {
          if ('addr' in op && 'plen' in op) named.push(op);
          switch (op.kind) {
            case 'recent': {
              const it = named[named.length - 1 - op.back];
              if (it === undefined) break;
              if (op.what === 'get') expect(art.get(it.addr, it.plen)).toBe(model.get(it.addr, it.plen));
              else if (op.what === 'delete') expect(art.delete(it.addr, it.plen)).toBe(model.delete(it.addr, it.plen));
              else expect(art.insert(it.addr, it.plen, op.value)).toBe(model.insert(it.addr, it.plen, op.value));
              break;
            }
            case 'insert':
              expect(art.insert(op.addr, op.plen, op.value)).toBe(model.insert(op.addr, op.plen, op.value));
              break;
            case 'delete':
              expect(art.delete(op.addr, op.plen)).toBe(model.delete(op.addr, op.plen));
              break;
            case 'get':
              expect(art.get(op.addr, op.plen)).toBe(model.get(op.addr, op.plen));
              break;
            case 'match':
              expect(art.match(op.addr)).toEqual(model.match(op.addr));
              break;
            case 'deleteStored': {
              const stored = [...model.items.values()];
              if (stored.length === 0) break;
              const it = stored[op.pick % stored.length]!;
              named.push(it);
              expect(art.delete(it.addr, it.plen)).toBe(model.delete(it.addr, it.plen));
              break;
            }
            case 'insertNear': {
              const stored = [...model.items.values()];
              if (stored.length === 0) break;
              const it = stored[op.pick % stored.length]!;
              const plen = Math.min(f.bits, Math.max(0, it.plen + op.delta));
              named.push({ addr: it.addr, plen });
              expect(art.insert(it.addr, plen, op.value)).toBe(model.insert(it.addr, plen, op.value));
              break;
            }
            case 'matchStored': {
              const stored = [...model.items.values()];
              if (stored.length === 0) break;
              const it = stored[op.pick % stored.length]!;
              const inside = op.addr.map((byte, i) => {
                const net = Math.max(0, Math.min(8, it.plen - i * 8));
                const mask = (0xff00 >> net) & 0xff;
                return (it.addr[i]! & mask) | (byte & ~mask & 0xff);
              });
              expect(art.match(inside)).toEqual(model.match(inside));
              break;
            }
          }
          expect(art.size).toBe(model.items.size);
        }
        // Every stored prefix is matched by its own network and by an address inside it.
        for (const it of model.items.values()) {
          expect(art.match(it.addr)?.plen).toBe(model.match(it.addr)?.plen);
          const last = it.addr.slice();
          last[last.length - 1]! |= 0xff >> Math.max(0, it.plen - (last.length - 1) * 8);
          expect(art.match(last)).toEqual(model.match(last));
        }
        const seen = new Set<string>();
        art.walk((addr, plen, value) => {
          seen.add(show(addr, plen));
          expect(model.get(addr, plen)).toBe(value);
        });
        expect([...seen].sort()).toEqual([...model.items.keys()].sort());
        for (const it of model.items.values()) expect(art.delete(it.addr, it.plen)).toBe(true);
        expect(art.size).toBe(0);
        expect(art.stats().tables).toBe(1);
      }),
      { numRuns: runs(300) },
    );
  });
});
