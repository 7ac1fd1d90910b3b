import type { LeafStore } from './leaves.js';
import { NODE_SHIFT, OPEN_CHUNKS, PackedLevel, packedEntry } from './packed-level.js';

/** Root level indexes the first 16 address bits; every deeper level one more byte. */
const ROOT_BITS = 16;
const CHUNK_SHIFT = 8;
const CHUNK = 1 << CHUNK_SHIFT;
/** A chunk reference is its base index with the sign bit set: decoding is one AND, no negation. */
const TAG = 0x80000000 | 0;
const BASE = 0x7fffffff;

/**
 * Multibit trie with direct-indexed, leaf-pushed levels (DIR-16-8-8 for IPv4, 16-8-8-…-8 for
 * IPv6). Every entry holds the answer for its whole address range, so a lookup is one entry read
 * per level and no backtracking: 0 = no route, > 0 = leaf id, < 0 = TAG | ref of the next level's
 * chunk (chunk id << 8 for a flat level: its base index; chunk id << 4 for a packed one: its node).
 *
 * Memory layout: level 0 is one Int32Array of 2^16 entries (256 KB, cache resident); a flat level
 * k ≥ 1 is one Int32Array pool of 256-entry chunks, chunk c at c << 8; the levels from
 * `firstPacked` on share one {@link PackedLevel} (run-length packed chunks, for IPv6's sparse
 * deep levels) and one chunk id space: a lookup reads the same two arrays at every deep level,
 * so it fetches them once (a per-level pair cost IPv6 hits ~8% in loads and checks per step).
 * Chunks exist only below an entry that some longer prefix needs. `counts[s][c]` = prefixes homed
 * in chunk c of id space s or below it; at 0 the chunk holds one pushed leaf everywhere and is
 * folded back into its parent entry.
 *
 * Updates paint only the new/removed prefix's range (and chunks under it). The replacement for a
 * deleted prefix is its `parent` in the {@link LeafStore}; parents are kept exact by re-linking,
 * on each paint, the top-most prefixes found under the painted range.
 */
export class DirTrie<R> {
  /** Address length in bytes (4 or 16). */
  readonly bytes: number;
  /** Levels from this one down are {@link PackedLevel}s; the ones above are flat pools. */
  readonly firstPacked: number;
  /** pools[k] for flat levels (pools[0] is the root). Replaced on growth: re-read per lookup. */
  readonly pools: Int32Array[];
  /** packed[k] for levels ≥ firstPacked, all the same {@link PackedLevel} (null above). */
  readonly packed: (PackedLevel | null)[];
  /** Chunk counters, next id and free ids per chunk id space ({@link space}: one per flat level, one for all packed levels). */
  private readonly counts: Int32Array[];
  private readonly nextChunk: number[];
  private readonly freeChunks: number[][];
  /** Live chunks per level (statistics). */
  private readonly live: number[];
  /** Descent scratch: chunk id per level and its key in the parent chunk (delete folds with it). */
  private readonly pathChunk: Int32Array;
  private readonly pathKey: Int32Array;
  /** Decoded words of the packed chunk being edited, one per level (paint recurses); {@link build} fills packed chunks here. */
  private readonly scratch: Int32Array[];
  /** Growth factor of the chunk pools: 1.5 normally, 2 during a bulk load (until {@link trim}). */
  private growth = 1.5;
  /** Prefixes held (a {@link build} needs an empty trie). */
  private prefixes = 0;

  constructor(
    bytes: 4 | 16,
    private readonly leaves: LeafStore<R>,
    firstPacked: number = bytes - 1,
    /** Chunks the packed levels keep open for edits, together ({@link PackedLevel}). */
    openChunks = OPEN_CHUNKS,
  ) {
    this.bytes = bytes;
    this.firstPacked = Math.max(1, firstPacked);
    const levels = bytes - 1;
    this.pools = [new Int32Array(1 << ROOT_BITS)];
    this.packed = [null];
    this.counts = [new Int32Array(1)];
    this.nextChunk = [0];
    this.freeChunks = [[]];
    this.live = [1];
    this.scratch = [];
    const shared = this.firstPacked < levels ? new PackedLevel(16, openChunks) : null;
    for (let k = 1; k < levels; k++) {
      const packed = k >= this.firstPacked;
      this.pools.push(new Int32Array(packed ? 0 : 16 * CHUNK));
      this.packed.push(packed ? shared : null);
      this.live.push(0);
      if (k > this.firstPacked) continue;
      this.counts.push(new Int32Array(16));
      this.nextChunk.push(1); // chunk 0 is never used below the root so a ref is always < 0
      this.freeChunks.push([]);
    }
    for (let k = 0; k < levels; k++) this.scratch.push(new Int32Array(this.packed[k] ? CHUNK : 0));
    this.pathChunk = new Int32Array(levels);
    this.pathKey = new Int32Array(levels);
  }

  /** Leaf id of the longest prefix covering the address at `addr[off..]`, 0 when none. */
  matchBytes(addr: Uint8Array, off: number): number {
    const pools = this.pools;
    let e = pools[0]![(addr[off]! << 8) | addr[off + 1]!]!;
    let k = 1;
    for (const p = this.firstPacked; e < 0 && k < p; k++) e = pools[k]![(e & BASE) | addr[off + k + 1]!]!;
    if (e >= 0) return e;
    const { node, vals } = this.packed[k]!;
    for (; e < 0; k++) e = packedEntry(node, vals, e & BASE, addr[off + k + 1]!);
    return e;
  }

  /** The entry below chunk ref `e` (< 0, read at `level - 1`) for the address byte `byte` (`level` ≥ 1). */
  step(e: number, level: number, byte: number): number {
    if (level < this.firstPacked) return this.pools[level]![(e & BASE) | byte]!;
    const p = this.packed[level]!;
    return packedEntry(p.node, p.vals, e & BASE, byte);
  }

  /**
   * Adds prefix `addr`/`plen` (host bits ignored), which must not be present, as a new leaf.
   * Returns the leaf id.
   */
  insert(addr: Uint8Array, plen: number): number {
    const home = homeLevel(plen);
    let chunk = 0;
    for (let k = 0; k < home; k++) {
      const key = keyAt(addr, k);
      const e = this.get(k, chunk, key);
      let child: number;
      if (e < 0) child = this.childOf(e, k + 1);
      else {
        child = this.allocChunk(k + 1);
        this.initChunk(k + 1, child, e);
        this.setEntry(k, chunk, key, TAG | (child << this.refShift(k + 1)));
      }
      this.counts[this.space(k + 1)]![child]!++;
      chunk = child;
    }
    const span = rangeSpan(plen, home);
    const start = keyAt(addr, home) & -span;
    const leaves = this.leaves;
    let above = this.visible(home, chunk, start);
    while (above !== 0 && leaves.plen[above]! >= plen) above = leaves.parent[above]!;
    const leaf = leaves.alloc(plen, above);
    this.paint(home, chunk, start, span, above, leaf, plen);
    this.prefixes++;
    return leaf;
  }

  /** Leaf id of exactly `addr`/`plen` (host bits ignored), 0 when absent. */
  find(addr: Uint8Array, plen: number): number {
    const home = homeLevel(plen);
    let chunk = 0;
    for (let k = 0; k < home; k++) {
      const e = this.get(k, chunk, keyAt(addr, k));
      if (e >= 0) return 0;
      chunk = this.childOf(e, k + 1);
    }
    return this.exactAt(home, chunk, keyAt(addr, home) & -rangeSpan(plen, home), plen);
  }

  /** Removes exactly `addr`/`plen`. Returns its (now free) leaf id, 0 when it was absent. */
  delete(addr: Uint8Array, plen: number): number {
    const home = homeLevel(plen);
    let chunk = 0;
    for (let k = 0; k < home; k++) {
      const key = keyAt(addr, k);
      const e = this.get(k, chunk, key);
      if (e >= 0) return 0;
      chunk = this.childOf(e, k + 1);
      this.pathKey[k + 1] = key;
      this.pathChunk[k + 1] = chunk;
    }
    const span = rangeSpan(plen, home);
    const start = keyAt(addr, home) & -span;
    const leaf = this.exactAt(home, chunk, start, plen);
    if (leaf === 0) return 0;
    this.paint(home, chunk, start, span, leaf, this.leaves.parent[leaf]!, plen);
    this.leaves.release(leaf);
    this.prefixes--;
    for (let k = home; k > 0; k--) this.counts[this.space(k)]![this.pathChunk[k]!]!--;
    // Zero counts form a suffix of the path; fold deepest first so each freed chunk is uniform.
    for (let k = home; k > 0; k--) {
      const c = this.pathChunk[k]!;
      if (this.counts[this.space(k)]![c] !== 0) break;
      this.setEntry(k - 1, k === 1 ? 0 : this.pathChunk[k - 1]!, this.pathKey[k]!, this.get(k, c, 0));
      this.freeChunks[this.space(k)]!.push(c);
      this.live[k]!--;
      this.packed[k]?.free(c);
    }
    return leaf;
  }

  /** Prefixes in the trie. */
  get size(): number {
    return this.prefixes;
  }

  /**
   * Builds the trie, which must be empty, from distinct prefixes in one pass: prefix p is the
   * address at `addrs[p*bytes..]` (host bits zero) / `plens[p]`, and `sorted[0..n)` lists them
   * by address, then length. `sorted[j]` gets leaf id `firstLeaf + j` (allocated by the caller,
   * {@link LeafStore.allocBlock}); its plen and parent are set here.
   *
   * Why: inserting a million prefixes one by one descends, paints and re-links parents per
   * prefix, and IPv6's packed levels need a flat copy and a re-pack. Here every chunk is filled
   * exactly once from its contiguous slice of the list: a prefix homed in a chunk comes before
   * the longer prefixes inside it (same start, shorter length sorts first), so painting in list
   * order leaves each entry holding its longest match, the entry under a prefix's first address
   * holds its parent when it is painted, and a child chunk inherits the entry it replaces.
   * Packed chunks are encoded once, when complete.
   */
  build(addrs: Uint8Array, plens: ArrayLike<number>, sorted: Int32Array, n: number, firstLeaf: number): void {
    if (this.prefixes !== 0) throw new Error('DirTrie.build needs an empty trie');
    this.reserveFor(addrs, plens, sorted, n);
    const src: BuildSource = { addrs, plens, sorted, firstLeaf };
    // Level by level (not recursively: a recursive fill deopts once per activation on the first
    // packed level it meets). A job is a chunk to fill: [chunk, lo, hi, inherited] flattened.
    let jobs = [0, 0, n, 0];
    for (let level = 0; jobs.length > 0; level++) {
      const next: number[] = [];
      const packed = this.packed[level];
      for (let q = 0; q < jobs.length; q += 4) {
        const c = jobs[q]!;
        this.fillChunk(level, c, src, jobs[q + 1]!, jobs[q + 2]!, jobs[q + 3]!, next);
        // A packed chunk is filled in scratch and encoded once complete.
        if (packed) packed.encode(c, this.scratch[level]!, 0);
      }
      jobs = next;
    }
    this.prefixes = n;
  }

  /**
   * Reserves exactly the chunks {@link build} will create, in one pass: a prefix homed at level
   * h needs a chunk at each level k in 1..h, named by bytes 0..k of its address, and in sorted
   * order a new name at level k differs from the previous prefix that needed a level-k chunk.
   */
  private reserveFor(addrs: Uint8Array, plens: ArrayLike<number>, sorted: Int32Array, n: number): void {
    const bytes = this.bytes;
    const levels = this.pools.length;
    const chunks = new Array<number>(levels).fill(0);
    const last = new Int32Array(levels).fill(-1);
    for (let j = 0; j < n; j++) {
      const p = sorted[j]!;
      const home = homeLevel(plens[p]!);
      // The previous prefix at consecutive levels is usually the same one: compare it once.
      let comparedWith = -2;
      let common = 0;
      for (let k = 1; k <= home; k++) {
        const q = last[k]!;
        if (q !== comparedWith) {
          comparedWith = q;
          common = q < 0 ? -1 : commonBytes(addrs, q * bytes, p * bytes, bytes);
        }
        if (common < k + 1) chunks[k]!++;
        last[k] = p;
      }
    }
    // Packed levels share one id space: reserve their sum once.
    for (let k = this.firstPacked + 1; k < levels; k++) chunks[this.firstPacked]! += chunks[k]!;
    for (let k = 1; k < levels && k <= this.firstPacked; k++) this.reserve(k, chunks[k]!);
  }

  /**
   * Fills chunk `c` at `level` (the root at level 0; a packed chunk in scratch) from
   * `sorted[lo..hi)`, which all lie inside it and are homed in it or below; `inherited` is the
   * leaf covering the whole chunk. Each run of deeper prefixes under one entry gets a child
   * chunk, queued on `next` as a job (see {@link build}).
   */
  private fillChunk(level: number, c: number, src: BuildSource, lo: number, hi: number, inherited: number, next: number[]): void {
    const packed = this.packed[level] !== null;
    const entries = packed ? this.scratch[level]! : this.pools[level]!;
    const base = packed ? 0 : c << CHUNK_SHIFT;
    entries.fill(inherited, base, base + (level === 0 ? 1 << ROOT_BITS : CHUNK));
    const { addrs, plens, sorted, firstLeaf } = src;
    const bytes = this.bytes;
    const leafPlen = this.leaves.plen;
    const leafParent = this.leaves.parent;
    const childShift = level + 1 < this.pools.length ? this.refShift(level + 1) : 0;
    for (let j = lo; j < hi; ) {
      const p = sorted[j]!;
      const plen = plens[p]!;
      const key = keyAtOffset(addrs, p * bytes, level);
      if (homeLevel(plen) === level) {
        const span = rangeSpan(plen, level);
        const start = base + (key & -span);
        // Painted before any longer prefix inside it: its first entry holds the nearest cover.
        const leaf = firstLeaf + j;
        leafPlen[leaf] = plen;
        leafParent[leaf] = entries[start]!;
        if (span === 1) entries[start] = leaf;
        else entries.fill(leaf, start, start + span);
        j++;
        continue;
      }
      // The run of deeper prefixes under this entry becomes one child chunk.
      let g = j + 1;
      while (g < hi && homeLevel(plens[sorted[g]!]!) > level && keyAtOffset(addrs, sorted[g]! * bytes, level) === key) g++;
      const child = this.allocChunk(level + 1);
      this.counts[this.space(level + 1)]![child] = g - j;
      next.push(child, j, g, entries[base + key]!);
      entries[base + key] = TAG | (child << childShift);
      j = g;
    }
  }

  /**
   * Makes room for `more` new chunks at `level` in one exact allocation (bulk loads know their
   * chunk counts): no doubling copies, and no trim copy of a 25 MB pool afterwards.
   */
  reserve(level: number, more: number): void {
    const s = this.space(level);
    const want = this.nextChunk[s]! + Math.max(0, more - this.freeChunks[s]!.length);
    if (want > this.counts[s]!.length) this.resize(s, want);
  }

  /** Bulk-load mode: packed levels run flat (updates cost no re-encoding) until {@link trim}. */
  beginBulk(): void {
    this.growth = 2;
    this.packed[this.firstPacked]?.unpack(this.nextChunk[this.firstPacked]!);
  }

  /** Ends bulk-load mode (packs packed levels) and drops growth slack beyond the highest chunk id in use. */
  trim(): void {
    this.growth = 1.5;
    for (let s = 1; s < this.counts.length; s++) {
      const used = this.nextChunk[s]!;
      if (this.counts[s]!.length > used) this.counts[s] = this.counts[s]!.slice(0, used);
      const packed = this.packed[s];
      if (packed) packed.trim(used);
      else if (this.pools[s]!.length > used << CHUNK_SHIFT) this.pools[s] = this.pools[s]!.slice(0, used << CHUNK_SHIFT);
    }
  }

  /** Live chunks per level (level 0 counts its single root). */
  chunkCounts(): number[] {
    return [...this.live];
  }

  /** Bytes reserved by the entry pools, packed levels and chunk counters. */
  get byteLength(): number {
    let n = 0;
    for (let s = 0; s < this.counts.length; s++) n += this.pools[s]!.byteLength + this.counts[s]!.byteLength + (this.packed[s]?.byteLength ?? 0);
    return n;
  }

  /** Chunk id space of `level`: its own for a flat level, the shared one ({@link firstPacked}'s) for a packed level. */
  private space(level: number): number {
    return level < this.firstPacked ? level : this.firstPacked;
  }

  /** Shift of chunk ids in refs to `level`: flat chunks are 256 entries, packed nodes 16 ints. */
  private refShift(level: number): number {
    return this.packed[level] ? NODE_SHIFT : CHUNK_SHIFT;
  }

  /** Chunk id at `level` named by ref `e` (< 0) found in the level above. */
  private childOf(e: number, level: number): number {
    return (e & BASE) >>> this.refShift(level);
  }

  /** Entry `i` of chunk `c` at `level` (the root is chunk 0 of level 0). */
  private get(level: number, c: number, i: number): number {
    const packed = this.packed[level];
    return packed ? packed.get(c, i) : this.pools[level]![(c << CHUNK_SHIFT) | i]!;
  }

  private setEntry(level: number, c: number, i: number, v: number): void {
    const arr = this.open(level, c, i, i + 1);
    arr[this.base(level, c) + i] = v;
    this.close(level, c, i, i + 1);
  }

  /**
   * Array holding chunk `c`'s entries from {@link base}, in which entries lo..hi-1 may be
   * edited: the pool, a bulk load's slab, or what {@link PackedLevel.edit} gives.
   */
  private open(level: number, c: number, lo: number, hi: number): Int32Array {
    const packed = this.packed[level];
    if (!packed) return this.pools[level]!;
    if (packed.flat !== null) return packed.slab(c);
    return packed.edit(c, lo, hi, this.scratch[level]!);
  }

  /** Index of entry 0 of chunk `c` in the array {@link open} returned. */
  private base(level: number, c: number): number {
    const packed = this.packed[level];
    if (!packed) return c << CHUNK_SHIFT;
    return packed.flat === null ? packed.editBase(c) : packed.slabBase(c);
  }

  /** Writes back an {@link open}ed chunk that was changed. */
  private close(level: number, c: number, lo: number, hi: number): void {
    const packed = this.packed[level];
    if (packed && packed.flat === null) packed.commit(c, lo, hi, this.scratch[level]!);
  }

  private initChunk(level: number, c: number, v: number): void {
    const packed = this.packed[level];
    if (packed) packed.init(c, v);
    else this.pools[level]!.fill(v, c << CHUNK_SHIFT, (c + 1) << CHUNK_SHIFT);
  }

  /**
   * Replaces `from` by `to` over `span` entries from key `start` of chunk `chunk` at `level`, and
   * in every chunk below them. Entries holding anything else (> 0) hold longer prefixes inside the
   * painted one; the top-most prefix of each such chain whose parent was `from` is re-linked to `to`.
   */
  private paint(level: number, chunk: number, start: number, span: number, from: number, to: number, plen: number): void {
    const end = start + span;
    let pool = this.open(level, chunk, start, end);
    let base = this.base(level, chunk);
    // The chunk's own open segment in the packed levels' shared `vals`: painting a child chunk
    // edits the same PackedLevel, which may move `vals` or pack this chunk (a scratch copy or a
    // flat pool is never touched by it).
    const packed = this.packed[level];
    let inVals = packed !== null && packed.flat === null && pool !== this.scratch[level];
    let lo = start;
    const leaves = this.leaves;
    let last = -1;
    let changed = false;
    for (let key = start; key < end; key++) {
      const e = pool[base + key]!;
      if (e === from) {
        pool[base + key] = to;
        changed = true;
      } else if (e < 0) {
        this.paint(level + 1, this.childOf(e, level + 1), 0, CHUNK, from, to, plen);
        if (inVals) {
          // A child's paint gives whole runs new values in place (replaceRuns), so today this
          // chunk stays open and `vals` stays put; should a child's edit ever open a chunk, that
          // may pack this one or grow `vals`. Written so far in place (packed with the chunk if
          // evicted): edit the rest afresh (as scratch if evicted; nothing before it is pending).
          pool = this.open(level, chunk, key + 1, end);
          base = this.base(level, chunk);
          if (pool === this.scratch[level]) {
            inVals = false;
            lo = key + 1;
            changed = false;
          }
        }
      } else if (e !== last) {
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
    if (changed) this.close(level, chunk, lo, end);
  }

  /** Leaf answering the first address of key `i` of chunk `c` at `level` (descends into chunks). */
  private visible(level: number, c: number, i: number): number {
    let e = this.get(level, c, i);
    while (e < 0) {
      level++;
      e = this.get(level, this.childOf(e, level), 0);
    }
    return e;
  }

  /** The leaf of length exactly `plen` covering the first address of key `i` of chunk `c`, or 0. */
  private exactAt(level: number, c: number, i: number, plen: number): number {
    const leaves = this.leaves;
    let v = this.visible(level, c, i);
    while (v !== 0 && leaves.plen[v]! > plen) v = leaves.parent[v]!;
    return v !== 0 && leaves.plen[v] === plen ? v : 0;
  }

  private allocChunk(level: number): number {
    this.live[level]!++;
    const s = this.space(level);
    const reused = this.freeChunks[s]!.pop();
    if (reused !== undefined) {
      this.counts[s]![reused] = 0;
      return reused;
    }
    const id = this.nextChunk[s]!++;
    if (id >= 1 << (31 - this.refShift(level))) throw new RangeError(`more than ${id - 1} chunks at level ${level}`);
    const counts = this.counts[s]!;
    // Grow by half (outside bulk loads): level pools reach tens of MB for a full table.
    if (id >= counts.length) this.resize(s, Math.max(id + 1, Math.ceil(counts.length * this.growth)));
    return id;
  }

  /** Resizes id space `level` (a flat level's, or the packed levels' shared one) to `size` chunks. */
  private resize(level: number, size: number): void {
    const c = new Int32Array(size);
    c.set(this.counts[level]!);
    this.counts[level] = c;
    const packed = this.packed[level];
    if (packed) packed.grow(size);
    else {
      const p = new Int32Array(size << CHUNK_SHIFT);
      p.set(this.pools[level]!);
      this.pools[level] = p;
    }
  }
}

/** What {@link DirTrie.build} reads, passed to each chunk fill as one argument. */
interface BuildSource {
  addrs: Uint8Array;
  plens: ArrayLike<number>;
  sorted: Int32Array;
  firstLeaf: number;
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

/** keyAt for the address at `addrs[off..]`. */
function keyAtOffset(addrs: Uint8Array, off: number, level: number): number {
  return level === 0 ? (addrs[off]! << 8) | addrs[off + 1]! : addrs[off + level + 1]!;
}

/** How many leading bytes (up to `len`) the addresses at `a` and `b` share. */
function commonBytes(addrs: Uint8Array, a: number, b: number, len: number): number {
  let i = 0;
  while (i < len && addrs[a + i] === addrs[b + i]) i++;
  return i;
}

/** Entries covered by a prefix of length `plen` in a chunk (or the root) of its home level. */
function rangeSpan(plen: number, home: number): number {
  return 1 << (shiftOf(home) - (plen - (home === 0 ? 0 : ROOT_BITS + (home - 1) * 8)));
}
