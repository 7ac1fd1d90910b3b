/** Shared pieces of the fast-path tests: routes, a mirrored plain Rtable, and a scan reference. */
import { Rtable, type AddressFamily } from '../../../src/table/rtable.js';
import { FastRtable } from '../../../src/table/fastpath/index.js';
import { covers, masked } from '../helpers.js';

export interface Route {
  priority: number;
  gw: number;
  id: number;
}

export const opts = { mpath: true, sameGateway: (a: Route, b: Route): boolean => a.gw === b.gw };

/** The table under test and a plain Rtable fed the same operations. */
export class Pair {
  readonly plain = new Rtable<Route>();

  constructor(readonly fast = new FastRtable<Route>()) {}

  insert(af: AddressFamily, dst: Uint8Array, plen: number, r: Route): void {
    const a = this.fast.insert(af, dst, plen, r, opts);
    const b = this.plain.insert(af, dst, plen, r, opts);
    if (a !== b) throw new Error(`insert diverged: ${a} vs ${b}`);
  }

  delete(af: AddressFamily, dst: Uint8Array, plen: number, r: Route): void {
    if (this.fast.delete(af, dst, plen, r) !== this.plain.delete(af, dst, plen, r)) throw new Error('delete diverged');
  }

  reprio(af: AddressFamily, dst: Uint8Array, plen: number, r: Route, prio: number): void {
    if (this.fast.reprio(af, dst, plen, r, prio) !== this.plain.reprio(af, dst, plen, r, prio)) throw new Error('reprio diverged');
  }
}

/** Reference answer by a linear scan of every prefix of the plain table. */
export function scan(t: Rtable<Route>, af: AddressFamily, addr: Uint8Array): Route | undefined {
  let best: Route | undefined;
  let bestLen = -1;
  for (const e of t.entries(af)) {
    if (e.plen > bestLen && covers(e.dst, e.plen, addr)) {
      bestLen = e.plen;
      best = t.routesAt(af, e.dst, e.plen)[0];
    }
  }
  return best;
}

/** First address, last address and the neighbours just outside of `dst`/`plen`. */
export function edges(dst: Uint8Array, plen: number): Uint8Array[] {
  const first = masked(dst, plen);
  const last = first.slice();
  for (let b = plen; b < last.length * 8; b++) last[b >> 3]! |= 0x80 >> (b & 7);
  const out = [first, last];
  const below = step(first, -1);
  const above = step(last, 1);
  if (below) out.push(below);
  if (above) out.push(above);
  return out;
}

function step(addr: Uint8Array, delta: 1 | -1): Uint8Array | undefined {
  const out = addr.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    const v = out[i]! + delta;
    out[i] = v & 0xff;
    if (v >= 0 && v <= 0xff) return out;
  }
  return undefined; // wrapped around: no neighbour
}

export function u32(addr: Uint8Array): number {
  return ((addr[0]! << 24) | (addr[1]! << 16) | (addr[2]! << 8) | addr[3]!) >>> 0;
}
