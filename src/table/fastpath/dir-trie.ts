import type { LeafStore } from './leaves.js';

/** Root level indexes the first 16 address bits; every deeper level one more byte. */
const ROOT_BITS = 16;
const CHUNK_SHIFT = 8;
const CHUNK = 1 << CHUNK_SHIFT;
/** A chunk reference is its base index with the sign bit set: decoding is one AND, no negation. */
const TAG = 0x80000000 | 0;
const BASE = 0x7fffffff;

/**
 * Multibit trie with direct-indexed, leaf-pushed levels (DIR-16-8-8 for IPv4, 16-8-8-…-8 for
 * IPv6). Every entry holds the answer for its whole address range, so a lookup is one array read
 * per level and no backtracking: 0 = no route, > 0 = leaf id, < 0 = TAG | (chunk id << 8), the next level's chunk base.
 *
 * Memory layout: level 0 is one Int32Array of 2^16 entries (256 KB, cache resident); level k ≥ 1
 * is one Int32Array pool of 256-entry chunks, chunk c at c << 8, created only below a root/chunk
 * entry that some longer prefix needs. `counts[k][c]` = prefixes homed in chunk c or below it;
 * at 0 the chunk holds one pushed leaf everywhere and is folded back into its parent entry.
 *
 * Updates paint only the new/removed prefix's range (and chunks under it). The replacement for a
 * deleted prefix is its `parent` in the {@link LeafStore}; parents are kept exact by re-linking,
 * on each paint, the top-most prefixes found under the painted range.
 */
export class DirTrie<R> {
  /** Address length in bytes (4 or 16). */
  readonly bytes: number;
  /** pools[0] is the root; pools[k] the level-k chunks. Replaced on growth: re-read per lookup. */
  readonly pools: Int32Array[];
  private readonly counts: Int32Array[];
  private readonly nextChunk: number[];
  private readonly freeChunks: number[][];
  private readonly live: number[];
  /** Descent scratch: chunk id and parent-pool index per level (delete folds chunks with it). */
  private readonly pathChunk: Int32Array;
  private readonly pathIndex: Int32Array;
  /** Growth factor of the chunk pools: 1.5 normally, 2 during a bulk load (until {@link trim}). */
  growth = 1.5;

  constructor(
    bytes: 4 | 16,
    private readonly leaves: LeafStore<R>,
  ) {
    this.bytes = bytes;
    const levels = bytes - 1;
    this.pools = [new Int32Array(1 << ROOT_BITS)];
    this.counts = [new Int32Array(1)];
    this.nextChunk = [0];
    this.freeChunks = [[]];
    this.live = [1];
    for (let k = 1; k < levels; k++) {
      this.pools.push(new Int32Array(16 * CHUNK));
      this.counts.push(new Int32Array(16));
      this.nextChunk.push(1); // chunk 0 is never used below the root so -id is always < 0
      this.freeChunks.push([]);
      this.live.push(0);
    }
    this.pathChunk = new Int32Array(levels);
    this.pathIndex = new Int32Array(levels);
  }

  /** Leaf id of the longest prefix covering the address at `addr[off..]`, 0 when none. */
  matchBytes(addr: Uint8Array, off: number): number {
    const pools = this.pools;
    let e = pools[0]![(addr[off]! << 8) | addr[off + 1]!]!;
    for (let k = 1; e < 0; k++) e = pools[k]![(e & BASE) | addr[off + k + 1]!]!;
    return e;
  }

  /**
   * Adds prefix `addr`/`plen` (host bits ignored), which must not be present, as a new leaf.
   * Returns the leaf id.
   */
  insert(addr: Uint8Array, plen: number): number {
    const home = homeLevel(plen);
    let chunk = 0;
    for (let k = 0; k < home; k++) {
      const idx = (chunk << shiftOf(k)) | keyAt(addr, k);
      const e = this.pools[k]![idx]!;
      let child: number;
      if (e < 0) child = (e & BASE) >>> CHUNK_SHIFT;
      else {
        child = this.allocChunk(k + 1);
        this.pools[k + 1]!.fill(e, child << CHUNK_SHIFT, (child + 1) << CHUNK_SHIFT);
        this.pools[k]![idx] = TAG | (child << CHUNK_SHIFT);
      }
      this.counts[k + 1]![child]!++;
      chunk = child;
    }
    const start = rangeStart(addr, plen, home, chunk);
    const span = rangeSpan(plen, home);
    const leaves = this.leaves;
    let above = this.visible(home, start);
    while (above !== 0 && leaves.plen[above]! >= plen) above = leaves.parent[above]!;
    const leaf = leaves.alloc(plen, above);
    this.paint(home, start, span, above, leaf, plen);
    return leaf;
  }

  /** Leaf id of exactly `addr`/`plen` (host bits ignored), 0 when absent. */
  find(addr: Uint8Array, plen: number): number {
    const home = homeLevel(plen);
    let chunk = 0;
    for (let k = 0; k < home; k++) {
      const e = this.pools[k]![(chunk << shiftOf(k)) | keyAt(addr, k)]!;
      if (e >= 0) return 0;
      chunk = (e & BASE) >>> CHUNK_SHIFT;
    }
    return this.exactAt(home, rangeStart(addr, plen, home, chunk), plen);
  }

  /** Removes exactly `addr`/`plen`. Returns its (now free) leaf id, 0 when it was absent. */
  delete(addr: Uint8Array, plen: number): number {
    const home = homeLevel(plen);
    let chunk = 0;
    for (let k = 0; k < home; k++) {
      const idx = (chunk << shiftOf(k)) | keyAt(addr, k);
      const e = this.pools[k]![idx]!;
      if (e >= 0) return 0;
      chunk = (e & BASE) >>> CHUNK_SHIFT;
      this.pathIndex[k + 1] = idx;
      this.pathChunk[k + 1] = chunk;
    }
    const start = rangeStart(addr, plen, home, chunk);
    const span = rangeSpan(plen, home);
    const leaf = this.exactAt(home, start, plen);
    if (leaf === 0) return 0;
    this.paint(home, start, span, leaf, this.leaves.parent[leaf]!, plen);
    this.leaves.release(leaf);
    for (let k = home; k > 0; k--) this.counts[k]![this.pathChunk[k]!]!--;
    // Zero counts form a suffix of the path; fold deepest first so each freed chunk is uniform.
    for (let k = home; k > 0; k--) {
      const c = this.pathChunk[k]!;
      if (this.counts[k]![c] !== 0) break;
      this.pools[k - 1]![this.pathIndex[k]!] = this.pools[k]![c << CHUNK_SHIFT]!;
      this.freeChunks[k]!.push(c);
      this.live[k]!--;
    }
    return leaf;
  }

  /** Drops growth slack (after a bulk load): pools shrink to the highest chunk id in use. */
  trim(): void {
    this.growth = 1.5;
    for (let k = 1; k < this.pools.length; k++) {
      const used = this.nextChunk[k]!;
      if (this.counts[k]!.length > used) {
        this.counts[k] = this.counts[k]!.slice(0, used);
        this.pools[k] = this.pools[k]!.slice(0, used << CHUNK_SHIFT);
      }
    }
  }

  /** Live chunks per level (level 0 counts its single root). */
  chunkCounts(): number[] {
    return [...this.live];
  }

  /** Bytes reserved by the entry pools and chunk counters. */
  get byteLength(): number {
    let n = 0;
    for (let k = 0; k < this.pools.length; k++) n += this.pools[k]!.byteLength + this.counts[k]!.byteLength;
    return n;
  }

  /**
   * Replaces `from` by `to` over `span` entries from `start` at `level`, and in every chunk below
   * them. Entries holding anything else (> 0) hold longer prefixes inside the painted one; the
   * top-most prefix of each such chain whose parent was `from` is re-linked to `to`.
   */
  private paint(level: number, start: number, span: number, from: number, to: number, plen: number): void {
    const pool = this.pools[level]!;
    const leaves = this.leaves;
    let last = -1;
    for (let i = start, end = start + span; i < end; i++) {
      const e = pool[i]!;
      if (e === from) pool[i] = to;
      else if (e < 0) this.paint(level + 1, e & BASE, CHUNK, from, to, plen);
      else if (e !== last) {
        last = e;
        for (let v = e; v !== 0 && leaves.plen[v]! > plen; ) {
          const up = leaves.parent[v]!;
          if (up === from) {
            leaves.parent[v] = to;
            break;
          }
          v = up;
        }
      }
    }
  }

  /** Leaf answering the first address of entry `idx` at `level` (descends into chunks). */
  private visible(level: number, idx: number): number {
    let e = this.pools[level]![idx]!;
    while (e < 0) e = this.pools[++level]![e & BASE]!;
    return e;
  }

  /** The leaf of length exactly `plen` covering the first address of entry `idx`, or 0. */
  private exactAt(level: number, idx: number, plen: number): number {
    const leaves = this.leaves;
    let v = this.visible(level, idx);
    while (v !== 0 && leaves.plen[v]! > plen) v = leaves.parent[v]!;
    return v !== 0 && leaves.plen[v] === plen ? v : 0;
  }

  private allocChunk(level: number): number {
    this.live[level]!++;
    const reused = this.freeChunks[level]!.pop();
    if (reused !== undefined) {
      this.counts[level]![reused] = 0;
      return reused;
    }
    const id = this.nextChunk[level]!++;
    if (id >= 1 << (31 - CHUNK_SHIFT)) throw new RangeError(`more than ${id - 1} chunks at level ${level}`);
    const counts = this.counts[level]!;
    if (id >= counts.length) {
      // Grow by half (outside bulk loads): level pools reach tens of MB for a full table.
      const size = Math.max(id + 1, Math.ceil(counts.length * this.growth));
      const c = new Int32Array(size);
      c.set(counts);
      this.counts[level] = c;
      const p = new Int32Array(size << CHUNK_SHIFT);
      p.set(this.pools[level]!);
      this.pools[level] = p;
    }
    return id;
  }
}

/** Level holding prefixes of length `plen`: 0..16 at the root, then one level per byte. */
function homeLevel(plen: number): number {
  return plen <= ROOT_BITS ? 0 : (plen - ROOT_BITS + 7) >> 3;
}

function shiftOf(level: number): number {
  return level === 0 ? ROOT_BITS : CHUNK_SHIFT;
}

/** Index bits of `addr` at `level`: the first two bytes at the root, byte level+1 below. */
function keyAt(addr: Uint8Array, level: number): number {
  return level === 0 ? (addr[0]! << 8) | addr[1]! : addr[level + 1]!;
}

/** Entries covered by a prefix of length `plen` in a chunk (or the root) of its home level. */
function rangeSpan(plen: number, home: number): number {
  return 1 << (shiftOf(home) - (plen - (home === 0 ? 0 : ROOT_BITS + (home - 1) * 8)));
}

/** First entry of prefix `addr`/`plen` in chunk `chunk` of its home level (no tuple: hot path). */
function rangeStart(addr: Uint8Array, plen: number, home: number, chunk: number): number {
  return (chunk << shiftOf(home)) | (keyAt(addr, home) & -rangeSpan(plen, home));
}
