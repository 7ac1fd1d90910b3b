/**
 * Bulk-load helpers of `FastRtable.bulkLoad`: the prefixes' table order (address, then
 * length) and the IPv4 chunk reservation made before a load.
 */
import type { DirTrie } from './dir-trie.js';

/**
 * `items` (indexes of `width`-byte addresses in `addrs`, lengths in `plens`) ordered by address,
 * then length, then position: `items` itself when already so (one check pass), else a sorted copy.
 */
export function sortedOrder(addrs: Uint8Array, plens: ArrayLike<number>, width: number, items: Int32Array): Int32Array {
  const n = items.length;
  let sorted = true;
  for (let j = 1; j < n && sorted; j++) if (compareItems(addrs, plens, width, items[j - 1]!, items[j]!) > 0) sorted = false;
  if (sorted) return items;
  // Counting sort by length, then a stable LSD radix sort by address on top of it.
  let from: Int32Array = new Int32Array(n);
  let to: Int32Array = new Int32Array(n);
  const count = new Int32Array(1 << 16);
  for (let j = 0; j < n; j++) count[plens[items[j]!]! + 1]!++;
  for (let l = 1; l <= 129; l++) count[l]! += count[l - 1]!;
  for (let j = 0; j < n; j++) from[count[plens[items[j]!]!]!++] = items[j]!;
  for (let d = width - 2; d >= 0; d -= 2) {
    count.fill(0);
    for (let j = 0; j < n; j++) {
      const o = from[j]! * width + d;
      count[(addrs[o]! << 8) | addrs[o + 1]!]!++;
    }
    for (let v = 0, sum = 0; v < 1 << 16; v++) {
      const c = count[v]!;
      count[v] = sum;
      sum += c;
    }
    for (let j = 0; j < n; j++) {
      const x = from[j]!;
      const o = x * width + d;
      to[count[(addrs[o]! << 8) | addrs[o + 1]!]!++] = x;
    }
    const t = from;
    from = to;
    to = t;
  }
  return from;
}

/** Order of prefixes a and b (as {@link sortedOrder}): negative, 0 (same prefix) or positive. */
export function compareItems(addrs: Uint8Array, plens: ArrayLike<number>, width: number, a: number, b: number): number {
  for (let i = 0, oa = a * width, ob = b * width; i < width; i++) {
    const d = addrs[oa + i]! - addrs[ob + i]!;
    if (d !== 0) return d;
  }
  return plens[a]! - plens[b]!;
}

/**
 * Reserves the IPv4 level-1 and level-2 chunks a bulk load will create: one per distinct /16
 * holding a longer prefix, one per distinct /24 holding a longer one (upper bounds when the
 * table already has chunks). Exact sizing saves ~90 MB of doubling copies on a full table, and
 * the garbage collections that external allocations of that size trigger.
 */
export function presizeV4(trie: DirTrie<unknown>, dsts: Uint8Array, plens: ArrayLike<number>, accepted: Int32Array, n: number): void {
  const seen16 = new Uint8Array(1 << 16);
  const seen24 = new Int32Array(1 << 19); // bitset of /24s
  let n16 = 0;
  let n24 = 0;
  for (let j = 0; j < n; j++) {
    const a = accepted[j]!;
    if (a < 0) continue; // joined an existing prefix: no new chunk
    const plen = plens[a]!;
    if (plen <= 16) continue;
    const o = a * 4;
    const k16 = (dsts[o]! << 8) | dsts[o + 1]!;
    if (seen16[k16] === 0) {
      seen16[k16] = 1;
      n16++;
    }
    if (plen <= 24) continue;
    const k24 = (k16 << 8) | dsts[o + 2]!;
    const bit = 1 << (k24 & 31);
    if ((seen24[k24 >>> 5]! & bit) === 0) {
      seen24[k24 >>> 5]! |= bit;
      n24++;
    }
  }
  trie.reserve(1, n16);
  trie.reserve(2, n24);
}
