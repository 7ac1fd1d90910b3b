/**
 * BGP-like churn on a generated table of a few 10k prefixes: withdraw and re-announce random
 * prefixes, change next hops, flap interfaces (reprio with the DOWN bit), and after each batch
 * compare a sample of lookups with the ART-backed answer of a plain Rtable fed the same updates.
 */
import { Rtable, type AddressFamily } from '../../../src/table/rtable.js';
import { FastRtable } from '../../../src/table/fastpath/index.js';
import { opts, type Route } from './model.js';

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

interface Pfx {
  af: AddressFamily;
  dst: Uint8Array;
  plen: number;
  /** Live paths: the fast table's route object and the plain table's twin (same id). */
  routes: [Route, Route][];
}

/** Prefixes clustered like a real table: v4 mostly /16../24 under a few hundred /8-/12 blocks. */
function generate(next: () => number, n4: number, n6: number): Pfx[] {
  const out: Pfx[] = [];
  const blocks = Array.from({ length: 300 }, () => next());
  for (let i = 0; i < n4; i++) {
    const r = next() % 100;
    const plen = r < 55 ? 24 : r < 85 ? 17 + (next() % 7) : r < 95 ? 8 + (next() % 9) : 25 + (next() % 8);
    const a = (blocks[next() % blocks.length]! & 0xfff00000) | (next() & 0x000fffff);
    out.push({ af: 'inet', dst: Uint8Array.from([a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255]), plen, routes: [] });
  }
  for (let i = 0; i < n6; i++) {
    const dst = new Uint8Array(16);
    dst[0] = 0x20;
    dst[1] = next() % 4;
    for (let b = 2; b < 16; b++) dst[b] = next() & 255;
    const r = next() % 100;
    const plen = r < 50 ? 48 : r < 80 ? 29 + (next() % 19) : r < 95 ? 16 + (next() % 13) : 49 + (next() % 80);
    out.push({ af: 'inet6', dst, plen, routes: [] });
  }
  return out;
}

test('BGP-like churn keeps the fast path exact', () => {
  const next = rng(0xb6b);
  const prefixes = generate(next, 30000, 8000);
  const fast = new FastRtable<Route>();
  const plain = new Rtable<Route>();
  let id = 0;
  const announce = (p: Pfx, priority: number): void => {
    const r = { priority, gw: next() % 4, id: id++ };
    const twin = { ...r };
    const a = fast.insert(p.af, p.dst, p.plen, r, opts);
    expect(plain.insert(p.af, p.dst, p.plen, twin, opts)).toBe(a);
    if (a === 0) p.routes.push([r, twin]);
  };
  for (const p of prefixes) announce(p, 8);
  const sample = (): void => {
    for (let i = 0; i < 1500; i++) {
      const p = prefixes[next() % prefixes.length]!;
      const addr = p.dst.slice();
      // Random host bits half the time, a fully random address otherwise.
      for (let b = 0; b < addr.length; b++) if (next() & 1 || b * 8 >= p.plen) addr[b] = next() & 255;
      const want = plain.match(p.af, addr)?.id;
      expect(fast.match(p.af, addr)?.id).toBe(want);
      if (p.af === 'inet') {
        const u = ((addr[0]! << 24) | (addr[1]! << 16) | (addr[2]! << 8) | addr[3]!) >>> 0;
        expect(fast.lookupV4(u)?.id).toBe(want);
        expect(fast.lookupString(addr.join('.'))?.id).toBe(want);
      } else {
        expect(fast.lookupV6(addr)?.id).toBe(want);
        const hex = Array.from({ length: 8 }, (_, g) => ((addr[2 * g]! << 8) | addr[2 * g + 1]!).toString(16));
        expect(fast.lookupString(hex.join(':'))?.id).toBe(want);
      }
    }
  };
  sample();
  for (let batch = 0; batch < 25; batch++) {
    for (let i = 0; i < 1500; i++) {
      const p = prefixes[next() % prefixes.length]!;
      const kind = next() % 4;
      if (kind === 0 && p.routes.length > 0) {
        // Withdraw every path of the prefix.
        for (const [r, twin] of p.routes.splice(0)) {
          expect(fast.delete(p.af, p.dst, p.plen, r)).toBe(plain.delete(p.af, p.dst, p.plen, twin));
        }
      } else if (kind === 1) {
        announce(p, [8, 20, 32][next() % 3]!);
      } else if (kind === 2 && p.routes.length > 0) {
        // Next-hop change: replace one path.
        const [r, twin] = p.routes.splice(next() % p.routes.length, 1)[0]!;
        expect(fast.delete(p.af, p.dst, p.plen, r)).toBe(plain.delete(p.af, p.dst, p.plen, twin));
        announce(p, r.priority & 0x7f);
      } else if (p.routes.length > 0) {
        // Interface down/up flips the DOWN bit.
        const [r, twin] = p.routes[next() % p.routes.length]!;
        const prio = r.priority ^ 0x80;
        expect(fast.reprio(p.af, p.dst, p.plen, r, prio)).toBe(true);
        expect(plain.reprio(p.af, p.dst, p.plen, twin, prio)).toBe(true);
      }
    }
    sample();
  }
});
