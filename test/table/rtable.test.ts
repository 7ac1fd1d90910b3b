import fc from 'fast-check';
import { TableError } from '../../src/table/errors.js';
import { PRIORITY_ANY, Rtable, type AddressFamily } from '../../src/table/rtable.js';
import { arbV4, arbV6, covers, masked, prefix, runs, show, v4, v6 } from './helpers.js';

interface Route {
  priority: number;
  gw: number;
  name: string;
}

const route = (name: string, priority: number, gw = 0): Route => ({ name, priority, gw });
const sameGateway = (a: Route, b: Route): boolean => a.gw === b.gw;
const single = { mpath: false, sameGateway };
const multi = { mpath: true, sameGateway };
const names = (rs: readonly Route[]): string[] => rs.map((r) => r.name);

describe('Rtable node lists', () => {
  test('a one-route node becomes a list on the second route and stays exact through deletes', () => {
    const t = new Rtable<Route>();
    const [a, l] = prefix('10.0.0.0/8');
    const only = route('only', 8, 1);
    expect(t.insert('inet', a, l, only, multi)).toBe(0);
    expect(t.insert('inet', a, l, route('dup', 8, 1), multi)).toBe('EEXIST');
    expect(names(t.routesAt('inet', a, l))).toEqual(['only']);
    expect(t.reprio('inet', a, l, route('other', 8, 1), 4)).toBe(false);
    expect(t.reprio('inet', a, l, only, 9)).toBe(true);
    expect(only.priority).toBe(9);
    const better = route('better', 4, 2);
    expect(t.insert('inet', a, l, better, multi)).toBe(0);
    expect(names(t.routesAt('inet', a, l))).toEqual(['better', 'only']);
    expect(t.match('inet', v4('10.9.9.9'))).toBe(better);
    expect(t.delete('inet', a, l, better)).toBe(true);
    expect(t.matchNode('inet', v4('10.9.9.9'))).toEqual({ plen: 8, routes: [only] });
    expect(t.lookup('inet', v4('10.9.9.9'), undefined, 9)).toBe(only);
    expect(t.delete('inet', a, l, route('only', 9, 1))).toBe(false);
    expect(t.delete('inet', a, l, only)).toBe(true);
    expect(t.routesAt('inet', a, l)).toEqual([]);
    expect(t.count).toBe(0);
    const later = route('later', 1, 3);
    expect(t.insert('inet', a, l, route('first', 8, 1), multi)).toBe(0);
    expect(t.insert('inet', a, l, later, multi)).toBe(0);
    expect(t.match('inet', v4('10.0.0.1'))).toBe(later);
  });

  test('sorted by full priority, FIFO among equals; DOWN bit sorts after', () => {
    const t = new Rtable<Route>();
    const [a, l] = prefix('10.0.0.0/8');
    expect(t.insert('inet', a, l, route('p8', 8), single)).toBe(0);
    expect(t.insert('inet', a, l, route('p4-1', 4, 1), multi)).toBe(0);
    expect(t.insert('inet', a, l, route('p4-2', 4, 2), multi)).toBe(0);
    expect(t.insert('inet', a, l, route('p4down', 4 | 0x80, 3), multi)).toBe(0);
    expect(t.insert('inet', a, l, route('p56', 56, 4), multi)).toBe(0);
    expect(names(t.routesAt('inet', a, l))).toEqual(['p4-1', 'p4-2', 'p8', 'p56', 'p4down']);
    expect(t.count).toBe(5);
    expect(t.countOf('inet')).toBe(5);
    expect(t.countOf('inet6')).toBe(0);
  });

  test('conflicts: only same priority class, mpath decided by sameGateway', () => {
    const t = new Rtable<Route>();
    const [a, l] = prefix('192.0.2.0/24');
    expect(t.insert('inet', a, l, route('a', 8, 1), single)).toBe(0);
    expect(t.insert('inet', a, l, route('b', 8, 2), single)).toBe('EEXIST'); // no mpath: any same class
    expect(t.insert('inet', a, l, route('c', 8 | 0x80, 2), single)).toBe('EEXIST'); // DOWN bit ignored
    expect(t.insert('inet', a, l, route('d', 8, 1), multi)).toBe('EEXIST'); // mpath, same gateway
    expect(t.insert('inet', a, l, route('e', 8, 2), multi)).toBe(0);
    expect(t.insert('inet', a, l, route('f', 9, 1), single)).toBe(0); // other class never conflicts
    expect(names(t.routesAt('inet', a, l))).toEqual(['a', 'e', 'f']);
  });

  test('delete removes that object; the node disappears with its last route', () => {
    const t = new Rtable<Route>();
    const [a, l] = prefix('2001:db8::/33');
    const r1 = route('r1', 8, 1);
    const r2 = route('r2', 8, 2);
    t.insert('inet6', a, l, r1, multi);
    t.insert('inet6', a, l, r2, multi);
    expect(t.delete('inet6', a, l, route('r1', 8, 1))).toBe(false); // equal but not the same object
    expect(t.delete('inet6', a, l, r1)).toBe(true);
    expect(t.match('inet6', v6('2001:db8::1'))).toBe(r2);
    expect(t.delete('inet6', a, l, r2)).toBe(true);
    expect(t.routesAt('inet6', a, l)).toEqual([]);
    expect(t.match('inet6', v6('2001:db8::1'))).toBeUndefined();
    expect(t.count).toBe(0);
  });

  test('lookup: exact or longest node, priority class, gateway predicate, no fallback', () => {
    const t = new Rtable<Route>();
    const dflt = route('default', 48, 9);
    t.insert('inet', v4('0.0.0.0'), 0, dflt, single);
    const s1 = route('s1', 8, 1);
    const s2 = route('s2', 8, 2);
    const low = route('low', 4, 3);
    for (const r of [s1, s2, low]) t.insert('inet', v4('10.1.0.0'), 16, r, multi);
    expect(t.lookup('inet', v4('10.1.2.3'), undefined, PRIORITY_ANY)).toBe(low);
    expect(t.lookup('inet', v4('10.1.2.3'), undefined, 8)).toBe(s1);
    expect(t.lookup('inet', v4('10.1.2.3'), undefined, 8 | 0x80)).toBe(s1);
    expect(t.lookup('inet', v4('10.1.2.3'), undefined, 8, (r) => r.gw === 2)).toBe(s2);
    expect(t.lookup('inet', v4('10.1.2.3'), undefined, 4 | 0x80)).toBe(low);
    // The /16 has no priority-48 route; the default route is not consulted.
    expect(t.lookup('inet', v4('10.1.2.3'), undefined, 48)).toBeUndefined();
    expect(t.lookup('inet', v4('10.1.0.0'), 16, 8, (r) => r.gw === 7)).toBeUndefined();
    expect(t.lookup('inet', v4('10.1.0.0'), 17, PRIORITY_ANY)).toBeUndefined();
    expect(t.lookup('inet', v4('10.1.255.255'), 16, PRIORITY_ANY)).toBe(low); // host bits ignored
    expect(t.lookup('inet', v4('11.0.0.0'), undefined, 48)).toBe(dflt);
    expect(t.matchNode('inet', v4('10.1.9.9'))).toEqual({ plen: 16, routes: [low, s1, s2] });
    expect(t.match('inet', v4('10.1.9.9'))).toBe(low);
  });

  test('reprio moves the route after all routes with priority <= the new one', () => {
    const t = new Rtable<Route>();
    const [a, l] = prefix('10.0.0.0/8');
    const rs = [route('a', 4, 1), route('b', 8, 2), route('c', 8, 3), route('d', 12, 4)];
    rs.forEach((r) => t.insert('inet', a, l, r, multi));
    expect(t.reprio('inet', a, l, rs[0]!, 8)).toBe(true);
    expect(names(t.routesAt('inet', a, l))).toEqual(['b', 'c', 'a', 'd']);
    expect(rs[0]!.priority).toBe(8);
    expect(t.reprio('inet', a, l, rs[1]!, 8 | 0x80)).toBe(true);
    expect(names(t.routesAt('inet', a, l))).toEqual(['c', 'a', 'd', 'b']);
    expect(t.reprio('inet', a, l, rs[3]!, 1)).toBe(true);
    expect(names(t.routesAt('inet', a, l))).toEqual(['d', 'c', 'a', 'b']);
    expect(t.reprio('inet', v4('10.0.0.0'), 9, rs[3]!, 1)).toBe(false);
    expect(t.reprio('inet', a, l, route('x', 1), 2)).toBe(false);
  });

  test('walk: inet then inet6, ART order, node routes consecutively; af filter', () => {
    const t = new Rtable<Route>();
    t.insert('inet6', ...prefix('::/0'), route('v6default', 48), single);
    t.insert('inet', ...prefix('10.8.0.0/16'), route('b', 8, 1), multi);
    t.insert('inet', ...prefix('10.8.0.0/16'), route('c', 8, 2), multi);
    t.insert('inet', ...prefix('10.0.0.0/10'), route('x', 8), single);
    t.insert('inet', ...prefix('10.0.0.0/8'), route('a', 8), single);
    const seen: string[] = [];
    expect(t.walk((r, af, dst, plen) => void seen.push(`${af} ${show(dst, plen)} ${r.name}`))).toBe(0);
    expect(seen).toEqual([
      'inet 10.0.0.0/8 a',
      'inet 10.0.0.0/10 x',
      'inet 10.8.0.0/16 b',
      'inet 10.8.0.0/16 c',
      'inet6 0:0:0:0:0:0:0:0/0 v6default',
    ]);
    expect([...t.entries('inet6')].map((e) => e.route.name)).toEqual(['v6default']);
    let calls = 0;
    expect(t.walk(() => (++calls === 2 ? 35 : 0))).toBe(35);
    expect(calls).toBe(2);
  });

  test('flush: deleting the current (and other) routes during a walk', () => {
    const t = new Rtable<Route>();
    const items: [AddressFamily, string, Route][] = [
      ['inet', '10.0.0.0/8', route('a', 8, 1)],
      ['inet', '10.0.0.0/8', route('b', 8, 2)],
      ['inet', '10.8.1.0/24', route('c', 8, 1)],
      ['inet', '10.8.1.0/24', route('d', 8, 2)],
      ['inet6', '2001:db8::/48', route('e', 8, 1)],
    ];
    for (const [af, p, r] of items) t.insert(af, ...prefix(p), r, multi);
    const seen: string[] = [];
    t.walk((r, af, dst, plen) => {
      seen.push(r.name);
      t.delete(af, dst, plen, r);
      if (r.name === 'c') t.delete('inet', ...prefix('10.8.1.0/24'), items[3]![2]); // a sibling not yet visited
    });
    expect(seen).toEqual(['a', 'b', 'c', 'e']);
    expect(t.count).toBe(0);
    expect([...t.entries()]).toEqual([]);
  });

  test('bad family or key throws TableError', () => {
    const t = new Rtable<Route>();
    expect(() => t.insert('inet', v6('::'), 0, route('x', 1), single)).toThrow(TableError);
    expect(() => t.routesAt('inet6', v6('::'), 129)).toThrow(TableError);
    expect(() => t.match('ipx' as AddressFamily, v4('1.2.3.4'))).toThrow(TableError);
  });
});

/** Flat model: every route with its node key and a sequence number that orders equal priorities. */
interface ModelRoute {
  af: AddressFamily;
  key: string;
  addr: Uint8Array;
  plen: number;
  route: Route;
  seq: number;
}

type Op =
  | { kind: 'insert'; v6: boolean; addr: Uint8Array; plen: number; priority: number; gw: number; mpath: boolean }
  | { kind: 'delete'; pick: number }
  | { kind: 'reprio'; pick: number; priority: number }
  | { kind: 'lookup'; pick: number; exact: boolean; prio: number; gw: number | undefined };

const arbPriority = fc.oneof(fc.constantFrom(1, 4, 8, 8 | 0x80, 48, 56), fc.nat(255));
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      v6: fc.boolean(),
      addr: fc.nat(),
      plen: fc.constantFrom(0, 8, 10, 16, 24, 25, 32),
      priority: arbPriority,
      gw: fc.nat(3),
      mpath: fc.boolean(),
    }).chain((op) => (op.v6 ? arbV6 : arbV4).map((addr) => ({ ...op, addr, plen: op.v6 ? op.plen * 4 : op.plen }))),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reprio' as const), pick: fc.nat(), priority: arbPriority }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('lookup' as const),
      pick: fc.nat(),
      exact: fc.boolean(),
      prio: fc.oneof(fc.constant(PRIORITY_ANY), arbPriority),
      gw: fc.option(fc.nat(3)),
    }).map((op) => ({ ...op, gw: op.gw ?? undefined })),
  },
);

describe('Rtable against a flat-list model', () => {
  test('random insert/delete/reprio/lookup sequences', () => {
    fc.assert(
      fc.property(fc.array(arbOp, { maxLength: 120 }), (ops) => {
        const t = new Rtable<Route>();
        const model: ModelRoute[] = [];
        let seq = 0;
        const nodeOf = (af: AddressFamily, key: string): ModelRoute[] =>
          model.filter((m) => m.af === af && m.key === key).sort((x, y) => x.route.priority - y.route.priority || x.seq - y.seq);
        for (const op of ops) {
          if (op.kind === 'insert') {
            const af: AddressFamily = op.v6 ? 'inet6' : 'inet';
            const addr = masked(op.addr, op.plen);
            const key = show(addr, op.plen);
            const r = route(`r${seq}`, op.priority, op.gw);
            const conflict = nodeOf(af, key).some(
              (m) => (m.route.priority & 0x7f) === (op.priority & 0x7f) && (!op.mpath || m.route.gw === op.gw),
            );
            expect(t.insert(af, op.addr, op.plen, r, { mpath: op.mpath, sameGateway })).toBe(conflict ? 'EEXIST' : 0);
            if (!conflict) model.push({ af, key, addr, plen: op.plen, route: r, seq: seq++ });
          } else if (model.length > 0) {
            const m = model[op.pick % model.length]!;
            if (op.kind === 'delete') {
              expect(t.delete(m.af, m.addr, m.plen, m.route)).toBe(true);
              expect(t.delete(m.af, m.addr, m.plen, m.route)).toBe(false);
              model.splice(model.indexOf(m), 1);
            } else if (op.kind === 'reprio') {
              expect(t.reprio(m.af, m.addr, m.plen, m.route, op.priority)).toBe(true);
              m.seq = seq++;
            } else {
              const gwMatch = op.gw === undefined ? undefined : (r: Route): boolean => r.gw === op.gw;
              let node: ModelRoute[];
              if (op.exact) node = nodeOf(m.af, m.key);
              else {
                const best = Math.max(...model.filter((x) => x.af === m.af && covers(x.addr, x.plen, m.addr)).map((x) => x.plen));
                node = nodeOf(m.af, show(masked(m.addr, best), best));
              }
              const want = node.find(
                (x) => (op.prio === PRIORITY_ANY || (x.route.priority & 0x7f) === (op.prio & 0x7f)) && (gwMatch === undefined || gwMatch(x.route)),
              );
              expect(t.lookup(m.af, m.addr, op.exact ? m.plen : undefined, op.prio, gwMatch)).toBe(want?.route);
            }
          }
          expect(t.count).toBe(model.length);
        }
        for (const af of ['inet', 'inet6'] as const) {
          expect(t.countOf(af)).toBe(model.filter((m) => m.af === af).length);
          // Walk: each node's routes consecutively and in model order.
          const walked = [...t.entries(af)];
          const keys = [...new Set(walked.map((e) => show(e.dst, e.plen)))];
          expect(walked.map((e) => e.route)).toEqual(keys.flatMap((k) => nodeOf(af, k).map((m) => m.route)));
          expect(walked).toHaveLength(model.filter((m) => m.af === af).length);
        }
      }),
      { numRuns: runs(200) },
    );
  });
});
