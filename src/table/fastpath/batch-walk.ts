/**
 * The batch lookups' lock-step walks over a {@link DirTrie}'s levels (IPv4 sixteen addresses at a
 * time, IPv6 four rows): straight-line code whose reads are independent, so the CPU overlaps
 * their cache misses. They read the trie's arrays directly and allocate nothing.
 */
import type { DirTrie } from './dir-trie.js';
import { packedEntry } from './packed-level.js';

/** First packed IPv6 level: {@link walkV6Lanes} reads levels 0 and 1 flat, the rest packed. */
export const V6_PACKED = 2;

/**
 * `FastRtable.lookupBatchV4` over `addrs[0..n)` of the IPv4 trie whose levels are `pools`, sixteen
 * addresses at a time in straight-line code. Why sixteen: a level-1 read is a TLB and cache miss (the level-1 pool is ~26 MB on a full
 * table), and on this class of machine (virtualised, ~140 ns per miss) throughput is set by how
 * many misses the core keeps in flight. A loop iteration costs V8 ~40 instructions of checks per
 * array access, which fills the reorder window after ~5 lookups; unrolled, the checks are shared
 * and the window holds more independent level-1 reads (in-process A/B on the full table, 4 lanes
 * vs 16: random addresses ~25 → ~21 ns, in-prefix ~32 → ~30 ns; 8 lanes lies in between).
 */
export function walkV4Lanes(pools: readonly Int32Array[], addrs: Uint32Array, n: number, out: Int32Array): void {
  const root = pools[0]!;
  const l1 = pools[1]!;
  const l2 = pools[2]!;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    // Root entries (the 256 KB root stays cached), then every level-1 read before any result is used.
    const a0 = addrs[i]!;
    const a1 = addrs[i + 1]!;
    const a2 = addrs[i + 2]!;
    const a3 = addrs[i + 3]!;
    const a4 = addrs[i + 4]!;
    const a5 = addrs[i + 5]!;
    const a6 = addrs[i + 6]!;
    const a7 = addrs[i + 7]!;
    const a8 = addrs[i + 8]!;
    const a9 = addrs[i + 9]!;
    const a10 = addrs[i + 10]!;
    const a11 = addrs[i + 11]!;
    const a12 = addrs[i + 12]!;
    const a13 = addrs[i + 13]!;
    const a14 = addrs[i + 14]!;
    const a15 = addrs[i + 15]!;
    let e0 = root[a0 >>> 16]!;
    let e1 = root[a1 >>> 16]!;
    let e2 = root[a2 >>> 16]!;
    let e3 = root[a3 >>> 16]!;
    let e4 = root[a4 >>> 16]!;
    let e5 = root[a5 >>> 16]!;
    let e6 = root[a6 >>> 16]!;
    let e7 = root[a7 >>> 16]!;
    let e8 = root[a8 >>> 16]!;
    let e9 = root[a9 >>> 16]!;
    let e10 = root[a10 >>> 16]!;
    let e11 = root[a11 >>> 16]!;
    let e12 = root[a12 >>> 16]!;
    let e13 = root[a13 >>> 16]!;
    let e14 = root[a14 >>> 16]!;
    let e15 = root[a15 >>> 16]!;
    if (e0 < 0) e0 = l1[(e0 & 0x7fffffff) | ((a0 >>> 8) & 0xff)]!;
    if (e1 < 0) e1 = l1[(e1 & 0x7fffffff) | ((a1 >>> 8) & 0xff)]!;
    if (e2 < 0) e2 = l1[(e2 & 0x7fffffff) | ((a2 >>> 8) & 0xff)]!;
    if (e3 < 0) e3 = l1[(e3 & 0x7fffffff) | ((a3 >>> 8) & 0xff)]!;
    if (e4 < 0) e4 = l1[(e4 & 0x7fffffff) | ((a4 >>> 8) & 0xff)]!;
    if (e5 < 0) e5 = l1[(e5 & 0x7fffffff) | ((a5 >>> 8) & 0xff)]!;
    if (e6 < 0) e6 = l1[(e6 & 0x7fffffff) | ((a6 >>> 8) & 0xff)]!;
    if (e7 < 0) e7 = l1[(e7 & 0x7fffffff) | ((a7 >>> 8) & 0xff)]!;
    if (e8 < 0) e8 = l1[(e8 & 0x7fffffff) | ((a8 >>> 8) & 0xff)]!;
    if (e9 < 0) e9 = l1[(e9 & 0x7fffffff) | ((a9 >>> 8) & 0xff)]!;
    if (e10 < 0) e10 = l1[(e10 & 0x7fffffff) | ((a10 >>> 8) & 0xff)]!;
    if (e11 < 0) e11 = l1[(e11 & 0x7fffffff) | ((a11 >>> 8) & 0xff)]!;
    if (e12 < 0) e12 = l1[(e12 & 0x7fffffff) | ((a12 >>> 8) & 0xff)]!;
    if (e13 < 0) e13 = l1[(e13 & 0x7fffffff) | ((a13 >>> 8) & 0xff)]!;
    if (e14 < 0) e14 = l1[(e14 & 0x7fffffff) | ((a14 >>> 8) & 0xff)]!;
    if (e15 < 0) e15 = l1[(e15 & 0x7fffffff) | ((a15 >>> 8) & 0xff)]!;
    // Level 2 (longer than /24: rare) only when some lane needs it.
    if ((e0 | e1 | e2 | e3 | e4 | e5 | e6 | e7 | e8 | e9 | e10 | e11 | e12 | e13 | e14 | e15) < 0) {
      if (e0 < 0) e0 = l2[(e0 & 0x7fffffff) | (a0 & 0xff)]!;
      if (e1 < 0) e1 = l2[(e1 & 0x7fffffff) | (a1 & 0xff)]!;
      if (e2 < 0) e2 = l2[(e2 & 0x7fffffff) | (a2 & 0xff)]!;
      if (e3 < 0) e3 = l2[(e3 & 0x7fffffff) | (a3 & 0xff)]!;
      if (e4 < 0) e4 = l2[(e4 & 0x7fffffff) | (a4 & 0xff)]!;
      if (e5 < 0) e5 = l2[(e5 & 0x7fffffff) | (a5 & 0xff)]!;
      if (e6 < 0) e6 = l2[(e6 & 0x7fffffff) | (a6 & 0xff)]!;
      if (e7 < 0) e7 = l2[(e7 & 0x7fffffff) | (a7 & 0xff)]!;
      if (e8 < 0) e8 = l2[(e8 & 0x7fffffff) | (a8 & 0xff)]!;
      if (e9 < 0) e9 = l2[(e9 & 0x7fffffff) | (a9 & 0xff)]!;
      if (e10 < 0) e10 = l2[(e10 & 0x7fffffff) | (a10 & 0xff)]!;
      if (e11 < 0) e11 = l2[(e11 & 0x7fffffff) | (a11 & 0xff)]!;
      if (e12 < 0) e12 = l2[(e12 & 0x7fffffff) | (a12 & 0xff)]!;
      if (e13 < 0) e13 = l2[(e13 & 0x7fffffff) | (a13 & 0xff)]!;
      if (e14 < 0) e14 = l2[(e14 & 0x7fffffff) | (a14 & 0xff)]!;
      if (e15 < 0) e15 = l2[(e15 & 0x7fffffff) | (a15 & 0xff)]!;
    }
    out[i] = e0;
    out[i + 1] = e1;
    out[i + 2] = e2;
    out[i + 3] = e3;
    out[i + 4] = e4;
    out[i + 5] = e5;
    out[i + 6] = e6;
    out[i + 7] = e7;
    out[i + 8] = e8;
    out[i + 9] = e9;
    out[i + 10] = e10;
    out[i + 11] = e11;
    out[i + 12] = e12;
    out[i + 13] = e13;
    out[i + 14] = e14;
    out[i + 15] = e15;
  }
  for (; i < n; i++) {
    const a = addrs[i]!;
    let e = root[a >>> 16]!;
    if (e < 0) {
      e = l1[(e & 0x7fffffff) | ((a >>> 8) & 0xff)]!;
      if (e < 0) e = l2[(e & 0x7fffffff) | (a & 0xff)]!;
    }
    out[i] = e;
  }
}

/**
 * `FastRtable.lookupBatchV6` over rows 0..n-1 of `addrs` on the IPv6 trie: four rows in lock
 * step, as {@link walkV4Lanes} (eight were slower: the lanes' state no longer fits the registers). Below level 1 every lane takes every step without a branch: a finished
 * lane (e ≥ 0) reads chunk 0's all-zero node, which no ref names, and keeps its e through the
 * mask. Hit depths vary (3 to 5 levels on a full table), so "is this lane done" branches
 * mispredicted often (in-process A/B on the full table, hits: ~10% faster without them).
 */
export function walkV6Lanes(trie: DirTrie<unknown>, addrs: Uint8Array, n: number, out: Int32Array): void {
  const pools = trie.pools;
  const root = pools[0]!;
  const l1 = pools[1]!;
  // Every packed level is the same PackedLevel: its arrays are fetched once.
  const { node, vals } = trie.packed[V6_PACKED]!;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = i << 4;
    let e0 = root[(addrs[o]! << 8) | addrs[o + 1]!]!;
    let e1 = root[(addrs[o + 16]! << 8) | addrs[o + 17]!]!;
    let e2 = root[(addrs[o + 32]! << 8) | addrs[o + 33]!]!;
    let e3 = root[(addrs[o + 48]! << 8) | addrs[o + 49]!]!;
    if ((e0 | e1 | e2 | e3) < 0) {
      if (e0 < 0) e0 = l1[(e0 & 0x7fffffff) | addrs[o + 2]!]!;
      if (e1 < 0) e1 = l1[(e1 & 0x7fffffff) | addrs[o + 18]!]!;
      if (e2 < 0) e2 = l1[(e2 & 0x7fffffff) | addrs[o + 34]!]!;
      if (e3 < 0) e3 = l1[(e3 & 0x7fffffff) | addrs[o + 50]!]!;
      // Byte k of row 0 for level k - 1 (V6_PACKED reads byte 3); rows are 16 bytes apart.
      for (let k = o + V6_PACKED + 1; (e0 | e1 | e2 | e3) < 0; k++) {
        const m0 = e0 >> 31;
        const m1 = e1 >> 31;
        const m2 = e2 >> 31;
        const m3 = e3 >> 31;
        e0 = (packedEntry(node, vals, e0 & m0 & 0x7fffffff, addrs[k]!) & m0) | (e0 & ~m0);
        e1 = (packedEntry(node, vals, e1 & m1 & 0x7fffffff, addrs[k + 16]!) & m1) | (e1 & ~m1);
        e2 = (packedEntry(node, vals, e2 & m2 & 0x7fffffff, addrs[k + 32]!) & m2) | (e2 & ~m2);
        e3 = (packedEntry(node, vals, e3 & m3 & 0x7fffffff, addrs[k + 48]!) & m3) | (e3 & ~m3);
      }
    }
    out[i] = e0;
    out[i + 1] = e1;
    out[i + 2] = e2;
    out[i + 3] = e3;
  }
  for (; i < n; i++) out[i] = trie.matchBytes(addrs, i << 4);
}
