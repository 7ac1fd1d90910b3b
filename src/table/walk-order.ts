/**
 * The orders in which a table's walk can produce its prefixes. What a walk yields is what
 * `route show`, `route flush` and sysctl dumps list, so each dialect's kernel walks in its own
 * table structure's order.
 */
import type { ArtEntry } from './art.js';

/**
 * - `art`: art.c's walk (the tables of OpenBSD since 5.8; semantics.md §A.12): not address order
 *   when prefixes are not on stride boundaries.
 * - `radix`: the 4.4BSD radix tree's walk (rn_walktree; OpenBSD's tables until ART, 4.9's).
 *   Its leaves are the masked destinations in ascending key order, and the routes sharing a key
 *   hang off one leaf in an rn_dupedkey chain sorted most specific first (rn_addroute /
 *   rn_add_dupedkey): 10.0.0.0/16, then 10.0.0.0/8, then 10.0.1.0/24.
 */
export type WalkOrder = 'art' | 'radix';

/** A prefix as a walk in radix order produces it: `addr` is a fresh copy, masked to `plen`. */
export interface RadixPrefix {
  addr: Uint8Array;
  plen: number;
}

/**
 * The prefixes of `nodes` (one family's, each once, host bits clear) in radix walk order. IPv4
 * prefixes are sorted as numbers (address · 64 + 32 − plen, exact in a double), which a typed
 * array sorts natively: a comparator over byte arrays took twice as long as the ART walk itself
 * on a full table. Longer addresses are compared bytewise.
 */
export function radixOrder<V>(nodes: Iterable<ArtEntry<V>>, addressBytes: number): RadixPrefix[] | Generator<RadixPrefix> {
  if (addressBytes !== 4) return [...nodes].sort(compareRadix);
  let keys = new Float64Array(1024);
  let n = 0;
  for (const { addr, plen } of nodes) {
    if (n === keys.length) {
      const grown = new Float64Array(n * 2);
      grown.set(keys);
      keys = grown;
    }
    keys[n++] = (((addr[0]! << 24) | (addr[1]! << 16) | (addr[2]! << 8) | addr[3]!) >>> 0) * 64 + 32 - plen;
  }
  return inetPrefixes(keys.subarray(0, n).sort());
}

function* inetPrefixes(keys: Float64Array): Generator<RadixPrefix> {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const a = Math.floor(k / 64);
    yield { addr: Uint8Array.of(a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff), plen: 32 - (k % 64) };
  }
}

function compareRadix(a: RadixPrefix, b: RadixPrefix): number {
  const x = a.addr;
  const y = b.addr;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    if (d !== 0) return d;
  }
  return b.plen - a.plen;
}
