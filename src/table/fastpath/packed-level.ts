/**
 * One trie level stored run-length packed (poptrie-style) instead of as flat 256-entry chunks.
 *
 * Why: deep IPv6 chunks hold a handful of distinct values each (7-9 runs on a full table), so
 * flat chunks spend ~1 KB on what fits in ~100 bytes. Packed, the IPv6 levels shrink from ~37 MB
 * to ~3.5 MB, which both meets the heap budget and makes hits faster: the whole structure stays
 * in the last-level cache, so each level costs a cache hit instead of a DRAM (and TLB) miss.
 *
 * Layout: chunk c owns node[c*16 .. c*16+16): for each of its 8 words of 32 entries, a bitmap
 * (bit b set = entry 32w+b starts a new run) and a cumulative base; entry i is
 * vals[base_w + popcount(bitmap_w & bits 0..i%32)]. Bit 0 of word 0 is always set, so the base
 * is "segment start - 1 + runs before this word". A chunk's run values live in its own segment
 * of `vals`, sized by power-of-two class; freed segments are reused per class.
 *
 * Updates do not re-encode. An edit that only gives whole runs new values (a delete, a next-hop
 * change, the same prefix coming back) replaces those values; any other *opens* the chunk: its
 * entries move to a 256-entry segment with every bitmap bit set, so that entry i is simply
 * vals[start + i]. Lookups read an open chunk like any other (no branch on their path), and
 * edits to it are plain stores. A level keeps a few chunks open and packs one again, merging
 * its runs, when its slot is wanted for another ({@link PackedLevel.commit}). Why: inserts come
 * in bursts on one chunk (a sorted load fills each chunk in turn), and re-encoding the touched
 * words per edit cost more than the rest of an IPv6 insert; half of those edits outgrew their
 * segment and encoded the whole chunk anyway (one-by-one inserts of the full IPv6 table went
 * from 2.8 to 1.3 µs each). Bulk loads would still pay one open per chunk, so during a bulk
 * load the level runs flat ({@link flat}) and is packed once.
 * Flat chunks live in 1 MB slabs rather than one array: growing never copies, and no large
 * reallocations (each one can trigger a full GC through V8's external-memory accounting).
 */

/** Int32s per chunk node (8 × bitmap + base). Chunk refs to a packed level are TAG | (c << 4). */
export const NODE_SHIFT = 4;
const NODE_INTS = 1 << NODE_SHIFT;
const CHUNK = 256;
/** Segment size classes 1, 2, 4, ... 256 entries. */
const CLASSES = 9;
/**
 * Chunks a PackedLevel keeps open at once (1 KB each; a trie's packed levels share one). A sorted
 * load needs one per level; more keep churn on hot chunks from re-packing them (32 and 128 loaded
 * the full IPv6 table alike, and 32 shared updated it as fast as 32 per level, ~0.75M/s).
 */
export const OPEN_CHUNKS = 32;
/** Segment class of an open chunk: 256 entries, each its own run. */
const OPEN_CLASS = CLASSES;
/** Flat chunks per slab (1 MB). */
const SLAB_SHIFT = 10;
const SLAB_MASK = (1 << SLAB_SHIFT) - 1;

/** Set bits in a 32-bit value (SWAR; no popcount intrinsic in JS). */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Entry `b` (0..255) of the packed chunk whose node starts at `base` (= ref & BASE). */
export function packedEntry(node: Int32Array, vals: Int32Array, base: number, b: number): number {
  const w = base | ((b >>> 4) & 14);
  return vals[node[w + 1]! + popcount(node[w]! & (-1 >>> (31 - (b & 31))))]!;
}

/** Class (1..9) of a segment holding `runs` values: capacity 1 << (class - 1). */
function classOf(runs: number): number {
  return 33 - Math.clz32(runs - 1);
}

export class PackedLevel {
  node: Int32Array;
  vals: Int32Array = new Int32Array(1024);
  /** Entries of every chunk while a bulk load runs (see {@link slab}); null when packed. */
  flat: Int32Array[] | null = null;
  /** Segment class of each chunk; 0 = the chunk is not live. */
  private cls: Uint8Array;
  private used = 0;
  private freeSegs: number[][] = freeLists();
  /** Open chunks: slot + 1 per chunk (0 = packed); chunk id per slot (0 = free) and its CLOCK bit. */
  private slotOf: Uint8Array;
  private readonly openIds: Int32Array;
  private readonly recent: Uint8Array;
  private openCount = 0;
  private hand = 0;

  /** `open`: chunks kept open at once (1..255); answers never depend on it. */
  constructor(chunks: number, open = OPEN_CHUNKS) {
    if (!(open >= 1 && open <= 255)) throw new RangeError(`open chunks ${open} outside 1..255`);
    this.node = new Int32Array(chunks << NODE_SHIFT);
    this.cls = new Uint8Array(chunks);
    this.slotOf = new Uint8Array(chunks);
    this.openIds = new Int32Array(open);
    this.recent = new Uint8Array(open);
  }

  /** Chunks the arrays can hold. */
  get capacity(): number {
    return this.cls.length;
  }

  get byteLength(): number {
    let flat = 0;
    for (const slab of this.flat ?? []) flat += slab.byteLength;
    return this.node.byteLength + this.vals.byteLength + this.cls.byteLength + this.slotOf.byteLength + flat;
  }

  /** Flat mode: the slab holding chunk `c`, from {@link slabBase}. */
  slab(c: number): Int32Array {
    const flat = this.flat!;
    while (flat.length <= c >>> SLAB_SHIFT) flat.push(new Int32Array(CHUNK << SLAB_SHIFT));
    return flat[c >>> SLAB_SHIFT]!;
  }

  slabBase(c: number): number {
    return (c & SLAB_MASK) << 8;
  }

  /** Entry `i` of chunk `c`. */
  get(c: number, i: number): number {
    if (this.flat !== null) return this.flat[c >>> SLAB_SHIFT]![((c & SLAB_MASK) << 8) | i]!;
    return packedEntry(this.node, this.vals, c << NODE_SHIFT, i);
  }

  /** Makes chunk `c` live with all entries `v`, open (it is made to be edited). */
  init(c: number, v: number): void {
    if (this.flat !== null) {
      this.slab(c).fill(v, this.slabBase(c), this.slabBase(c) + CHUNK);
      this.cls[c] = 1;
      return;
    }
    const start = this.openSegment();
    this.vals.fill(v, start, start + CHUNK);
    this.opened(c, start);
  }

  /** Releases chunk `c` (its id goes back to the trie's free list). */
  free(c: number): void {
    if (this.flat === null) this.releaseSeg(this.node[(c << NODE_SHIFT) + 1]! + 1, this.cls[c]!);
    this.cls[c] = 0;
    const s = this.slotOf[c]!;
    if (s !== 0) this.vacate(c, s - 1);
  }

  /**
   * The array in which to edit entries lo..hi-1 of chunk `c`, from {@link editBase}: when the
   * chunk is open, `vals` itself; else `scratch`, holding the words of those entries
   * ({@link decodeWords}) for {@link commit} to write back. Valid until the next edit() or
   * init() of another chunk of this level (which may pack an open chunk or move `vals`).
   */
  edit(c: number, lo: number, hi: number, scratch: Int32Array): Int32Array {
    const s = this.slotOf[c]!;
    if (s === 0) {
      this.decodeWords(c, lo, hi, scratch);
      return scratch;
    }
    this.recent[s - 1] = 1;
    return this.vals;
  }

  /** Index of entry 0 of chunk `c` in the array {@link edit} returned. */
  editBase(c: number): number {
    return this.slotOf[c] === 0 ? 0 : this.openStart(c);
  }

  /**
   * Ends an {@link edit} that changed entries lo..hi-1 (an open chunk was changed in place). A
   * packed chunk whose edit only gave whole runs new values (a delete, a next-hop change, the
   * same prefix coming back) has those values replaced; any other edit opens the chunk.
   */
  commit(c: number, lo: number, hi: number, scratch: Int32Array): void {
    if (this.slotOf[c] !== 0 || this.replaceRuns(c, lo, hi, scratch)) return;
    const n = c << NODE_SHIFT;
    const start = this.openSegment();
    const vals = this.vals;
    this.decode(c, vals, start);
    for (let i = lo & ~31, end = ((hi - 1) | 31) + 1; i < end; i++) vals[start + i] = scratch[i]!;
    this.releaseSeg(this.node[n + 1]! + 1, this.cls[c]!);
    this.opened(c, start);
  }

  private openStart(c: number): number {
    return this.node[(c << NODE_SHIFT) + 1]! + 1;
  }

  /** A free open slot's 256-entry segment, packing the open chunk least recently edited when all are taken. */
  private openSegment(): number {
    if (this.openCount === this.openIds.length) this.evict();
    return this.allocSeg(OPEN_CLASS);
  }

  /** Records chunk `c` as open on the segment at `start`, every entry a run of its own. */
  private opened(c: number, start: number): void {
    const n = c << NODE_SHIFT;
    this.cls[c] = OPEN_CLASS;
    for (let w = 0; w < 8; w++) {
      this.node[n + 2 * w] = -1;
      this.node[n + 2 * w + 1] = start + 32 * w - 1;
    }
    const slots = this.openIds.length;
    let s = this.hand;
    while (this.openIds[s] !== 0) s = s + 1 === slots ? 0 : s + 1;
    this.openIds[s] = c;
    this.recent[s] = 1;
    this.slotOf[c] = s + 1;
    this.openCount++;
  }

  /** Packs one open chunk, by CLOCK: a chunk edited since the hand last passed it is spared once. */
  private evict(): void {
    const slots = this.openIds.length;
    for (;;) {
      const s = this.hand;
      this.hand = s + 1 === slots ? 0 : s + 1;
      if (this.recent[s] !== 0) {
        this.recent[s] = 0;
        continue;
      }
      const c = this.openIds[s]!;
      this.encode(c, this.vals, this.openStart(c));
      return;
    }
  }

  private vacate(c: number, s: number): void {
    this.openIds[s] = 0;
    this.recent[s] = 0;
    this.slotOf[c] = 0;
    this.openCount--;
  }

  /** Forgets every open chunk (a bulk load rewrites them all). */
  private closeAll(): void {
    this.slotOf.fill(0);
    this.openIds.fill(0);
    this.recent.fill(0);
    this.openCount = 0;
    this.hand = 0;
  }

  /** Entries of chunk `c` into `out[off..off+256)`. */
  decode(c: number, out: Int32Array, off = 0): void {
    const node = this.node;
    const vals = this.vals;
    const n = c << NODE_SHIFT;
    let p = node[n + 1]! + 1;
    let v = 0;
    for (let w = 0; w < 8; w++) {
      const bm = node[n + 2 * w]!;
      for (let b = 0; b < 32; b++) {
        if ((bm >>> b) & 1) v = vals[p++]!;
        out[off + ((w << 5) | b)] = v;
      }
    }
  }

  /**
   * Entries of the words of chunk `c` that hold entries lo..hi-1 into `out` at their own
   * indexes (entry i at out[i]; the rest of `out` is left alone).
   */
  decodeWords(c: number, lo: number, hi: number, out: Int32Array): void {
    const node = this.node;
    const vals = this.vals;
    const n = c << NODE_SHIFT;
    for (let w = lo >>> 5, last = (hi - 1) >>> 5; w <= last; w++) {
      const bm = node[n + 2 * w]!;
      let p = node[n + 2 * w + 1]!;
      // Without a run starting at bit 0, the word continues the run at its base.
      let v = (bm & 1) !== 0 ? 0 : vals[p]!;
      for (let b = 0; b < 32; b++) {
        if ((bm >>> b) & 1) v = vals[++p]!;
        out[(w << 5) | b] = v;
      }
    }
  }

  /**
   * The common edit, a prefix's own entries changing value (a delete, a next-hop change, the
   * prefix coming back): when lo..hi-1 starts and ends at run edges and the edit changes value
   * only where a run starts (a prefix holding child chunks spans several runs), only those
   * runs' values change.
   */
  private replaceRuns(c: number, lo: number, hi: number, src: Int32Array): boolean {
    const node = this.node;
    const n = c << NODE_SHIFT;
    if (((node[n + 2 * (lo >>> 5)]! >>> (lo & 31)) & 1) === 0) return false;
    if (hi < CHUNK && ((node[n + 2 * (hi >>> 5)]! >>> (hi & 31)) & 1) === 0) return false;
    for (let i = lo + 1; i < hi; i++) {
      if (src[i] !== src[i - 1] && ((node[n + 2 * (i >>> 5)]! >>> (i & 31)) & 1) === 0) return false;
    }
    const vals = this.vals;
    for (let i = lo; i < hi; i++) {
      const w = n + 2 * (i >>> 5);
      const bm = node[w]!;
      if (((bm >>> (i & 31)) & 1) !== 0) vals[node[w + 1]! + popcount(bm & (-1 >>> (31 - (i & 31))))] = src[i]!;
    }
    return true;
  }

  /** {@link encode}'s run values before they go to the chunk's segment. */
  private readonly runScratch = new Int32Array(CHUNK);

  /**
   * Packs `src[off..off+256)` as chunk `c` (moving its segment when its size class changes;
   * `src` may be the chunk's own open segment).
   * One pass: run starts go to the bitmaps and run values to scratch, whose count then picks
   * the segment (a bulk build encodes every chunk once, so this pass is most of its cost).
   */
  encode(c: number, src: Int32Array, off: number): void {
    const slot = this.slotOf[c]!;
    if (slot !== 0) this.vacate(c, slot - 1);
    const node = this.node;
    const runVals = this.runScratch;
    const n = c << NODE_SHIFT;
    // The segment starts one past word 0's base (bit 0 of word 0 always starts a run).
    const oldStart = node[n + 1]! + 1;
    let runs = 0;
    let prev = 0;
    for (let w = 0; w < 8; w++) {
      let bm = 0;
      for (let b = 0; b < 32; b++) {
        const v = src[off + ((w << 5) | b)]!;
        if ((w | b) === 0 || v !== prev) {
          bm |= 1 << b;
          runVals[runs++] = v;
          prev = v;
        }
      }
      node[n + 2 * w] = bm;
      // Runs before this word's first start, relative to the segment for now.
      node[n + 2 * w + 1] = runs - popcount(bm) - 1;
    }
    const cls = classOf(runs);
    let start: number;
    if (cls === this.cls[c]) start = oldStart;
    else {
      if (this.cls[c] !== 0) this.releaseSeg(oldStart, this.cls[c]!);
      start = this.allocSeg(cls);
      this.cls[c] = cls;
    }
    for (let w = 0; w < 8; w++) node[n + 2 * w + 1]! += start;
    const vals = this.vals;
    for (let r = 0; r < runs; r++) vals[start + r] = runVals[r]!;
  }

  /** Grows to hold `chunks` chunks. */
  grow(chunks: number): void {
    const node = new Int32Array(chunks << NODE_SHIFT);
    node.set(this.node);
    this.node = node;
    const cls = new Uint8Array(chunks);
    cls.set(this.cls);
    this.cls = cls;
    const slotOf = new Uint8Array(chunks);
    slotOf.set(this.slotOf);
    this.slotOf = slotOf;
  }

  /** Switches to flat entries for a bulk load: chunks below `next` are unpacked. */
  unpack(next: number): void {
    if (this.flat !== null) return;
    this.flat = [];
    for (let c = 1; c < next; c++) if (this.cls[c] !== 0) this.decode(c, this.slab(c), this.slabBase(c));
    this.vals = new Int32Array(0);
    this.used = 0;
    this.freeSegs = freeLists();
    this.closeAll();
  }

  /** Ends a bulk load: packs every live chunk below `next` into exactly sized arrays. */
  pack(next: number): void {
    const flat = this.flat;
    if (flat === null) return;
    this.flat = null;
    if (this.cls.length > next) {
      this.cls = this.cls.slice(0, next);
      this.slotOf = this.slotOf.slice(0, next);
      this.node = this.node.slice(0, next << NODE_SHIFT);
    }
    // Count runs first to size vals exactly (no growth copies), then encode.
    let total = 0;
    for (let c = 1; c < next; c++) {
      if (this.cls[c] === 0) continue;
      total += 1 << (classOf(countRuns(flat[c >>> SLAB_SHIFT]!, (c & SLAB_MASK) << 8)) - 1);
    }
    this.vals = new Int32Array(Math.max(total, 1));
    this.used = 0;
    this.freeSegs = freeLists();
    for (let c = 1; c < next; c++) {
      if (this.cls[c] === 0) continue;
      this.cls[c] = 0; // so encode allocates a fresh segment
      this.encode(c, flat[c >>> SLAB_SHIFT]!, (c & SLAB_MASK) << 8);
    }
  }

  /** Drops chunk slack beyond `next` and segment slack (after a bulk load or on request). */
  trim(next: number): void {
    if (this.flat !== null) return this.pack(next);
    if (this.cls.length > next) {
      this.cls = this.cls.slice(0, next);
      this.slotOf = this.slotOf.slice(0, next);
      this.node = this.node.slice(0, next << NODE_SHIFT);
    }
    if (this.vals.length > this.used) this.vals = this.vals.slice(0, Math.max(this.used, 1));
  }

  private allocSeg(cls: number): number {
    const reused = this.freeSegs[cls]!.pop();
    if (reused !== undefined) return reused;
    const size = 1 << (cls - 1);
    const start = this.used;
    this.used += size;
    if (this.used > this.vals.length) {
      const vals = new Int32Array(Math.max(this.used, Math.ceil(this.vals.length * 1.5)));
      vals.set(this.vals);
      this.vals = vals;
    }
    return start;
  }

  private releaseSeg(start: number, cls: number): void {
    this.freeSegs[cls]!.push(start);
  }
}

function freeLists(): number[][] {
  return Array.from({ length: CLASSES + 1 }, () => []);
}

/** Runs of equal values in `src[off..off+256)`. */
function countRuns(src: Int32Array, off: number): number {
  let runs = 1;
  for (let i = off + 1; i < off + CHUNK; i++) if (src[i] !== src[i - 1]) runs++;
  return runs;
}
