import { maskFrom, readBits, readKeyBits, writeBits } from './bits.js';
import { TableError } from './errors.js';
import { HeapPool } from './heap-pool.js';

/** OpenBSD's IPv4 ART strides: table boundaries at prefix lengths 8, 12, 16, 20, 24, 28, 32. */
export const INET_STRIDES: readonly number[] = Object.freeze([8, 4, 4, 4, 4, 4, 4]);
/** OpenBSD's IPv6 ART strides: 32 levels of 4 bits. */
export const INET6_STRIDES: readonly number[] = Object.freeze(new Array<number>(32).fill(4));

/** Result of a longest-prefix match: the stored value and the length of the prefix that matched. */
export interface ArtMatch<V> {
  value: V;
  plen: number;
}

/** One stored prefix as produced by a walk. `addr` is a fresh copy, masked to `plen`. */
export interface ArtEntry<V> {
  addr: Uint8Array;
  plen: number;
  value: V;
}

/** Largest stride `readBits` can extract (it reads at most three bytes). */
const MAX_STRIDE = 16;

/**
 * Allotment Routing Table (Hariguchi's ART, the structure of OpenBSD's sys/net/art.c): a
 * multibit trie whose levels have fixed strides. A table covering bits (o, o+s] keeps its
 * prefixes in a complete binary heap; every heap slot holds the most specific prefix of that
 * table covering it ("allotment"), so a lookup reads one fringe slot per level.
 *
 * Memory layout: no object per prefix or per subtable. Subtable heaps are packed in one Int32Array
 * per stride length ({@link HeapPool}); a slot holds 0, an entry id (> 0) or a negated subtable id.
 * Entries are parallel arrays: `values[id]` and `plens[id]` (Uint8Array). Prefix bytes are not
 * stored: a walk rebuilds them from the heap positions it passes through.
 */
export class ArtTable<V> {
  /** Address length in bits (32 or 128 for the stock families). */
  readonly addressBits: number;
  /** Address length in bytes; keys must be exactly this long. */
  readonly addressBytes: number;
  /** Stride of each level, root first. */
  readonly strides: readonly number[];

  private readonly offsets: Int32Array;
  /**
   * Per-level constants of the lookup loop: a level's fringe index is
   * ((3 bytes from keyByte) >>> keyShift & keyMask) + fringeBase.
   */
  private readonly keyByte: Int32Array;
  private readonly keyShift: Int32Array;
  private readonly keyMask: Int32Array;
  private readonly fringeBase: Int32Array;
  private readonly pools: HeapPool[];
  private readonly root: number;
  private values: (V | undefined)[] = [undefined];
  private plens = new Uint8Array(64);
  private readonly freeEntries: number[] = [];
  private nextEntry = 1;
  private entryCount = 0;
  /**
   * The tables and fringe indices on the way down to the memo's prefix (below): written by
   * {@link descend}, read by delete to free the tables it empties.
   */
  private readonly pathTables: Int32Array;
  private readonly pathIndices: Int32Array;
  /**
   * The last exact descent, remembered: callers ask about one prefix several times in a row (a
   * route's get then delete; a withdrawal, its re-announcement and priority changes), and an
   * IPv6 descent is up to 32 dependent reads. It names the level, table and heap index where
   * the prefix in `memoKey` of length `memoPlen` (-1: none) lives, and pathTables/pathIndices
   * hold the way down to it. Entries are read from the slots themselves, so only a change of
   * the tables on that way can make it wrong: a freed subtable (its id may come back elsewhere)
   * bumps `version`, and the memo holds while that equals `memoVersion`. A new subtable needs no
   * bump: it lengthens other prefixes' ways, or hangs below the memo's own slot, which is read
   * through to the subtable's default as a fresh descent would.
   */
  private readonly memoKey: Uint8Array;
  private memoPlen = -1;
  private memoVersion = 0;
  private memoLevel = 0;
  private memoTable = 0;
  private memoIndex = 0;
  private version = 0;

  constructor(addressBits: number, strides: readonly number[]) {
    const total = strides.reduce((a, b) => a + b, 0);
    if (!Number.isInteger(addressBits) || addressBits <= 0 || addressBits % 8 !== 0 || addressBits > 255) {
      throw new TableError('bad-strides', `address length ${addressBits} is not a positive multiple of 8 below 256`);
    }
    if (strides.some((s) => !Number.isInteger(s) || s < 1 || s > MAX_STRIDE) || total !== addressBits) {
      throw new TableError('bad-strides', `strides [${strides.join(',')}] must be 1..${MAX_STRIDE} and sum to ${addressBits}`);
    }
    this.addressBits = addressBits;
    this.addressBytes = addressBits / 8;
    this.strides = Object.freeze([...strides]);
    this.offsets = new Int32Array(strides.length);
    this.keyByte = new Int32Array(strides.length);
    this.keyShift = new Int32Array(strides.length);
    this.keyMask = new Int32Array(strides.length);
    this.fringeBase = new Int32Array(strides.length);
    const byStride = new Map<number, HeapPool>();
    this.pools = strides.map((s, level) => {
      if (level > 0) this.offsets[level] = this.offsets[level - 1]! + strides[level - 1]!;
      const offset = this.offsets[level]!;
      this.keyByte[level] = offset >>> 3;
      this.keyShift[level] = 24 - (offset & 7) - s;
      this.keyMask[level] = (1 << s) - 1;
      this.fringeBase[level] = 1 << s;
      let pool = byStride.get(s);
      if (pool === undefined) byStride.set(s, (pool = new HeapPool(s)));
      return pool;
    });
    this.root = this.pools[0]!.alloc();
    this.pathTables = new Int32Array(strides.length);
    this.pathIndices = new Int32Array(strides.length);
    this.memoKey = new Uint8Array(this.addressBytes);
  }

  /** Number of stored prefixes. */
  get size(): number {
    return this.entryCount;
  }

  /**
   * Stores `value` under `addr`/`plen` (host bits of `addr` are ignored) unless that exact prefix
   * is already present. Returns the value now stored for the prefix: the existing one, or `value`.
   * @throws {TableError} on a bad prefix length or address length.
   */
  insert(addr: Uint8Array, plen: number, value: V): V {
    this.checkKey(addr, plen);
    const pools = this.pools;
    let level = 0;
    let table = this.root;
    let pool = pools[0]!;
    if (plen === 0) {
      const base = table << pool.shift;
      const current = pool.slots[base + 1]!;
      if (current !== 0) return this.values[current] as V;
      pool.slots[base + 1] = this.newEntry(value, 0);
      pool.slots[base]!++;
      return value;
    }
    let offset = 0;
    let stride = this.strides[0]!;
    while (plen > offset + stride) {
      const at = (table << pool.shift) + readBits(addr, offset, stride) + (1 << stride);
      const slot = pool.slots[at]!;
      const childPool = pools[level + 1]!;
      let child: number;
      if (slot < 0) {
        child = -slot;
      } else {
        // The fringe slot's current occupant becomes the new subtable's default.
        child = childPool.alloc();
        childPool.slots[(child << childPool.shift) + 1] = slot;
        pool.slots[at] = -child;
        pool.slots[table << pool.shift]!++;
      }
      table = child;
      pool = childPool;
      offset += stride;
      stride = this.strides[++level]!;
    }
    const depth = plen - offset;
    const index = (readBits(addr, offset, stride) >>> (stride - depth)) + (1 << depth);
    const base = table << pool.shift;
    const slot = pool.slots[base + index]!;
    const previous = slot < 0 ? this.defaultOf(level + 1, -slot) : slot;
    if (previous > 0 && this.plens[previous] === plen) return this.values[previous] as V;
    const entry = this.newEntry(value, plen);
    pool.slots[base]!++;
    this.replace(level, base, index, slot, previous, entry);
    return value;
  }

  /**
   * Exact lookup of `addr`/`plen` (host bits ignored).
   * @throws {TableError} on a bad prefix length or address length.
   */
  get(addr: Uint8Array, plen: number): V | undefined {
    this.checkKey(addr, plen);
    const entry = this.findExact(addr, plen);
    return entry === 0 ? undefined : this.values[entry];
  }

  /**
   * Replaces the value stored under the exact prefix `addr`/`plen` (host bits ignored). Returns
   * false, storing nothing, when the prefix is absent.
   * @throws {TableError} on a bad prefix length or address length.
   */
  set(addr: Uint8Array, plen: number, value: V): boolean {
    this.checkKey(addr, plen);
    const entry = this.findExact(addr, plen);
    if (entry === 0) return false;
    this.values[entry] = value;
    return true;
  }

  /**
   * Longest-prefix match of a full address. Returns the most specific stored prefix covering
   * `addr` as `{ value, plen }`, or undefined when nothing (not even a default) covers it.
   * @throws {TableError} on a bad address length.
   */
  match(addr: Uint8Array): ArtMatch<V> | undefined {
    this.checkKey(addr, 0);
    const entry = this.matchEntry(addr);
    return entry === 0 ? undefined : { value: this.values[entry] as V, plen: this.plens[entry]! };
  }

  /**
   * Removes the exact prefix `addr`/`plen` (host bits ignored). Returns whether it was present.
   * Subtables left empty are freed, as in art.c.
   * @throws {TableError} on a bad prefix length or address length.
   */
  delete(addr: Uint8Array, plen: number): boolean {
    this.checkKey(addr, plen);
    const pools = this.pools;
    let pool = pools[0]!;
    if (plen === 0) {
      const base = this.root << pool.shift;
      const entry = pool.slots[base + 1]!;
      if (entry === 0) return false;
      pool.slots[base + 1] = 0;
      pool.slots[base]!--;
      this.freeEntry(entry);
      return true;
    }
    if (!this.descend(addr, plen)) return false;
    let level = this.memoLevel;
    let table = this.memoTable;
    const index = this.memoIndex;
    pool = pools[level]!;
    const base = table << pool.shift;
    const slot = pool.slots[base + index]!;
    const entry = slot < 0 ? this.defaultOf(level + 1, -slot) : slot;
    if (entry === 0 || this.plens[entry] !== plen) return false;
    // Slots that inherited the deleted prefix now inherit the next less specific one of this table.
    const parent = index >>> 1;
    const next = parent > 1 ? pool.slots[base + parent]! : 0;
    this.replace(level, base, index, slot, entry, next);
    this.freeEntry(entry);
    pool.slots[base]!--;
    while (level > 0 && pool.slots[table << pool.shift] === 0) {
      const up = --level;
      const upPool = pools[up]!;
      this.freeTable(pool, table, upPool, this.pathTables[up]!, this.pathIndices[up]!);
      pool = upPool;
      table = this.pathTables[up]!;
    }
    return true;
  }

  /**
   * Visits every prefix in ART walk order (the order `route show` prints, see {@link entries}).
   */
  walk(visit: (addr: Uint8Array, plen: number, value: V) => void): void {
    for (const entry of this.entries()) visit(entry.addr, entry.plen, entry.value);
  }

  /**
   * Iterates every prefix in art.c's walk order: the default route first, then per table
   * (recursively from the root) the non-fringe prefixes in heap order j = 1, 3, 5, … with each j
   * followed by 2j, 4j, … (starting at 2 for j = 1), then the fringe slots in ascending value,
   * each fringe prefix immediately followed by its subtable's contents. The order is a function
   * of the stored set only.
   *
   * Mutation while iterating is safe: like art.c the walk holds a reference on each table it is
   * inside, so deleting any prefix (including the current one) never frees a table under it.
   * Deleted prefixes not yet reached are not visited; prefixes inserted meanwhile may or may not be.
   */
  *entries(): Generator<ArtEntry<V>, void, undefined> {
    const rootPool = this.pools[0]!;
    const dflt = rootPool.slots[(this.root << rootPool.shift) + 1]!;
    if (dflt !== 0) yield { addr: new Uint8Array(this.addressBytes), plen: 0, value: this.values[dflt] as V };
    yield* this.walkTable(0, this.root, 0, 0, new Uint8Array(this.addressBytes));
  }

  /**
   * Bulk-load mode: until the next {@link trim}, heap pools grow by doubling instead of by half,
   * which copies less while a large table is built (trim then returns the slack).
   */
  growFast(): void {
    for (const pool of new Set(this.pools)) pool.growth = 2;
  }

  /**
   * Drops growth slack (e.g. after a bulk load): heap pools and entry arrays shrink to what is in
   * use. Contents are unchanged; later inserts grow them again.
   */
  trim(): void {
    for (const pool of new Set(this.pools)) pool.trim();
    if (this.plens.length > this.nextEntry) this.plens = this.plens.slice(0, this.nextEntry);
    this.values = this.values.slice();
  }

  /**
   * Fills an empty table in one pass: prefix j is the key `order[j]` of `addrs` (keys of
   * {@link addressBytes} bytes, back to back) with length `plens[order[j]]`, and stores
   * `values[j]`. `order` must list distinct prefixes sorted by address, then length, with host
   * bits clear: then every prefix's covering prefixes are already in place and nothing more
   * specific is, so each one only paints its own slots; a subtable is allocated once, into pools
   * sized exactly beforehand; and the descent a prefix shares with the one before it is not
   * walked again. The result is the table inserting them would give (same walk, same answers).
   * @throws {TableError} when the table is not empty or the input breaks those rules (nothing is
   *   stored then).
   */
  build(addrs: Uint8Array, plens: ArrayLike<number>, order: ArrayLike<number>, n: number, values: readonly V[]): void {
    if (this.entryCount !== 0) throw new TableError('bad-bulk-input', 'build needs an empty table');
    this.version++;
    const levels = this.strides.length;
    // shared[j]: how many levels below the root prefix j's path has in common with prefix j-1's.
    const shared = this.checkSorted(addrs, plens, order, n);
    const home = this.homeLevels();
    // Pass 1: subtables per level (a new one wherever the path leaves the previous one).
    const made = new Int32Array(levels);
    let depth = 0; // levels of the current path that hold a subtable
    for (let j = 0; j < n; j++) {
      const level = home[plens[order[j]!]!]!;
      if (shared[j]! < depth) depth = shared[j]!;
      for (; depth < level; depth++) made[depth + 1]!++;
    }
    const pools = this.pools;
    // Levels of one stride share a pool: reserve their sum.
    const perPool = new Map<HeapPool, number>();
    for (let level = 1; level < levels; level++) perPool.set(pools[level]!, (perPool.get(pools[level]!) ?? 0) + made[level]!);
    for (const [pool, more] of perPool) pool.reserve(more);
    // The table is empty, so every entry id is free: number prefix j as entry j + 1, with the
    // entry arrays sized once (appending a million values copies the array ~30 times).
    this.freeEntries.length = 0;
    this.nextEntry = n + 1;
    this.entryCount = n;
    const entryPlens = (this.plens = new Uint8Array(Math.max(64, n + 1)));
    const entryValues = (this.values = new Array<V | undefined>(n + 1));
    entryValues[0] = undefined;
    for (let j = 0; j < n; j++) {
      entryPlens[j + 1] = plens[order[j]!]!;
      entryValues[j + 1] = values[j];
    }
    // Pass 2. path[l]: the subtable at level l on the current path (path[0] is the root).
    const path = new Int32Array(levels);
    path[0] = this.root;
    const width = this.addressBytes;
    const strides = this.strides;
    const offsets = this.offsets;
    depth = 0;
    for (let j = 0; j < n; j++) {
      const key = order[j]! * width;
      const plen = entryPlens[j + 1]!;
      const level = home[plen]!;
      if (shared[j]! < depth) depth = shared[j]!;
      for (; depth < level; depth++) {
        // The parent's fringe slot (an entry or 0: no subtable hangs there yet) becomes the default.
        const pool = pools[depth]!;
        const stride = strides[depth]!;
        const at = (path[depth]! << pool.shift) + readKeyBits(addrs, key, width, offsets[depth]!, stride) + (1 << stride);
        const childPool = pools[depth + 1]!;
        const child = childPool.alloc();
        childPool.slots[(child << childPool.shift) + 1] = pool.slots[at]!;
        pool.slots[at] = -child;
        pool.slots[path[depth]! << pool.shift]!++;
        path[depth + 1] = child;
      }
      const pool = pools[level]!;
      const slots = pool.slots;
      const base = path[level]! << pool.shift;
      slots[base]!++;
      if (plen === 0) {
        slots[base + 1] = j + 1;
        continue;
      }
      const stride = strides[level]!;
      const offset = offsets[level]!;
      const index = (readKeyBits(addrs, key, width, offset, stride) >>> (stride + offset - plen)) + (1 << (plen - offset));
      const slot = slots[base + index]!;
      if (plen - offset < stride) this.allot(level, base, index, slot < 0 ? this.defaultOf(level + 1, -slot) : slot, j + 1);
      else if (slot < 0) this.setDefault(level + 1, -slot, j + 1);
      else slots[base + index] = j + 1;
    }
  }

  /**
   * {@link build}'s input check, before anything is stored: lengths in range, host bits clear,
   * strictly increasing (address, length). Returns per prefix the number of levels below the
   * root whose subtable it shares with the previous prefix (those whose offset ≤ the first bit
   * where their addresses differ).
   */
  private checkSorted(addrs: Uint8Array, plens: ArrayLike<number>, order: ArrayLike<number>, n: number): Uint8Array {
    const width = this.addressBytes;
    const bits = this.addressBits;
    const levels = this.strides.length;
    if (order.length < n) throw new TableError('bad-bulk-input', `order lists ${order.length} prefixes, not ${n}`);
    // within[d]: levels below the root whose offset is ≤ d.
    const within = new Uint8Array(bits + 1);
    for (let d = 0; d <= bits; d++) for (let l = 1; l < levels && this.offsets[l]! <= d; l++) within[d] = l;
    const shared = new Uint8Array(n);
    for (let j = 0; j < n; j++) {
      const i = order[j]!;
      const plen = plens[i]!;
      if (!Number.isInteger(plen) || plen < 0 || plen > bits) throw new TableError('bad-prefix-length', `prefix length ${plen} is outside 0..${bits}`);
      if (!(i >= 0 && (i + 1) * width <= addrs.length)) throw new TableError('bad-address-length', `no ${width}-byte key ${i} in ${addrs.length} bytes`);
      const key = i * width;
      for (let b = plen >>> 3; b < width; b++) {
        const host = b === plen >>> 3 ? 0xff >>> (plen & 7) : 0xff;
        if ((addrs[key + b]! & host) !== 0) throw new TableError('bad-bulk-input', `prefix ${j} (key ${i}) has host bits set`);
      }
      if (j === 0) continue;
      const prev = order[j - 1]! * width;
      let b = 0;
      while (b < width && addrs[prev + b] === addrs[key + b]) b++;
      // (No read past the key when the addresses are equal: an out-of-bounds read makes V8
      // recompile the loop with slow generic loads, 3-10x slower here.)
      const x = b === width ? 0 : addrs[prev + b]!;
      const y = b === width ? 0 : addrs[key + b]!;
      if (b === width ? plens[order[j - 1]!]! >= plen : x > y) throw new TableError('bad-bulk-input', `prefix ${j} (key ${i}) is out of order or repeated`);
      shared[j] = within[b === width ? bits : b * 8 + Math.clz32(x ^ y) - 24]!;
    }
    return shared;
  }

  /** home[plen]: the level whose subtable holds prefixes of that length (insert's descent ends there). */
  private homeLevels(): Uint8Array {
    const home = new Uint8Array(this.addressBits + 1);
    for (let plen = 0; plen <= this.addressBits; plen++) {
      let level = 0;
      while (level + 1 < this.strides.length && plen > this.offsets[level + 1]!) level++;
      home[plen] = level;
    }
    return home;
  }

  /** Memory accounting: stored prefixes, live subtables, bytes reserved by heap pools. */
  stats(): { prefixes: number; tables: number; heapBytes: number; entryBytes: number } {
    const pools = [...new Set(this.pools)];
    return {
      prefixes: this.entryCount,
      tables: pools.reduce((n, p) => n + p.live, 0),
      heapBytes: pools.reduce((n, p) => n + p.byteLength, 0),
      entryBytes: this.plens.byteLength + this.values.length * 8,
    };
  }

  /**
   * Entry id of the longest match, 0 when none. Assumes a validated key. This is the hot path:
   * per-level constants come from typed arrays and the key bits are read inline.
   */
  private matchEntry(addr: Uint8Array): number {
    const pools = this.pools;
    const len = addr.length;
    let pool = pools[0]!;
    let slots = pool.slots;
    let table = this.root;
    let best = slots[(table << pool.shift) + 1]!;
    for (let level = 0; ; ) {
      const byte = this.keyByte[level]!;
      let word = addr[byte]! << 16;
      if (byte + 1 < len) {
        word |= addr[byte + 1]! << 8;
        if (byte + 2 < len) word |= addr[byte + 2]!;
      }
      const index = ((word >>> this.keyShift[level]!) & this.keyMask[level]!) + this.fringeBase[level]!;
      const slot = slots[(table << pool.shift) + index]!;
      if (slot >= 0) return slot > 0 ? slot : best;
      // A subtable's default is the parent's fringe occupant: the best match so far, if any.
      table = -slot;
      pool = pools[++level]!;
      slots = pool.slots;
      const dflt = slots[(table << pool.shift) + 1]!;
      if (dflt !== 0) best = dflt;
    }
  }

  /** Entry id stored exactly at `addr`/`plen`, 0 when none. Assumes a validated key. */
  private findExact(addr: Uint8Array, plen: number): number {
    if (plen === 0) {
      const pool = this.pools[0]!;
      return pool.slots[(this.root << pool.shift) + 1]!;
    }
    if (!this.descend(addr, plen)) return 0;
    const level = this.memoLevel;
    const pool = this.pools[level]!;
    const slot = pool.slots[(this.memoTable << pool.shift) + this.memoIndex]!;
    const entry = slot < 0 ? this.defaultOf(level + 1, -slot) : slot;
    return entry !== 0 && this.plens[entry] === plen ? entry : 0;
  }

  /**
   * Finds where `addr`/`plen` (plen > 0, validated) lives: sets the memo (level, table, heap
   * index) and the path down to it, from the memo itself when it is for this prefix. False,
   * with no memo, when a table on the way does not exist (so neither does the prefix).
   */
  private descend(addr: Uint8Array, plen: number): boolean {
    if (plen === this.memoPlen && this.version === this.memoVersion && this.memoHolds(addr, plen)) return true;
    const pools = this.pools;
    let pool = pools[0]!;
    let table = this.root;
    let level = 0;
    let offset = 0;
    let stride = this.strides[0]!;
    while (plen > offset + stride) {
      const index = readBits(addr, offset, stride) + (1 << stride);
      const slot = pool.slots[(table << pool.shift) + index]!;
      if (slot >= 0) {
        // The path arrays were partly overwritten: they no longer lead to the memo's prefix.
        this.memoPlen = -1;
        return false;
      }
      this.pathTables[level] = table;
      this.pathIndices[level] = index;
      table = -slot;
      offset += stride;
      pool = pools[++level]!;
      stride = this.strides[level]!;
    }
    const depth = plen - offset;
    this.remember(addr, plen, level, table, (readBits(addr, offset, stride) >>> (stride - depth)) + (1 << depth));
    return true;
  }

  /**
   * Whether the memo's key has the same bytes as `addr` up to `plen`, in whole bytes (only those
   * are kept): differing host bits in the last byte merely make a miss.
   */
  private memoHolds(addr: Uint8Array, plen: number): boolean {
    const key = this.memoKey;
    const n = (plen + 7) >>> 3;
    for (let i = 0; i < n; i++) if (key[i] !== addr[i]) return false;
    return true;
  }

  /** Records that `addr`/`plen` lives at heap `index` of `table` at `level` (the path arrays lead there). */
  private remember(addr: Uint8Array, plen: number, level: number, table: number, index: number): void {
    const key = this.memoKey;
    const n = (plen + 7) >>> 3;
    for (let i = 0; i < n; i++) key[i] = addr[i]!;
    this.memoPlen = plen;
    this.memoVersion = this.version;
    this.memoLevel = level;
    this.memoTable = table;
    this.memoIndex = index;
  }

  private *walkTable(
    level: number,
    table: number,
    parentTable: number,
    parentIndex: number,
    path: Uint8Array,
  ): Generator<ArtEntry<V>, void, undefined> {
    const pool = this.pools[level]!;
    const childPool = this.pools[level + 1];
    const stride = this.strides[level]!;
    const offset = this.offsets[level]!;
    const fringe = 1 << stride;
    const base = table << pool.shift;
    // pool.slots is re-read after every yield: the visitor may grow (reallocate) the pool.
    pool.slots[base]!++;
    try {
      for (let j = 1; j < fringe; j += 2) {
        for (let i = j === 1 ? 2 : j; i < fringe; i <<= 1) {
          const entry = pool.slots[base + i]!;
          const depth = 31 - Math.clz32(i);
          // An entry allotted from an ancestor index is shorter; only its own index emits it.
          if (entry > 0 && this.plens[entry] === offset + depth) {
            yield this.entryAt(path, offset, depth, i - (1 << depth), entry);
          }
        }
      }
      for (let i = fringe; i < fringe << 1; i++) {
        let slot = pool.slots[base + i]!;
        const entry = slot < 0 ? this.defaultOf(level + 1, -slot) : slot;
        if (entry > 0 && this.plens[entry] === offset + stride) {
          yield this.entryAt(path, offset, stride, i - fringe, entry);
          slot = pool.slots[base + i]!;
        }
        if (slot < 0 && childPool !== undefined) {
          writeBits(path, offset, stride, i - fringe);
          yield* this.walkTable(level + 1, -slot, table, i, path);
        }
      }
    } finally {
      if (--pool.slots[base]! === 0 && level > 0) {
        const parentPool = this.pools[level - 1]!;
        this.freeTable(pool, table, parentPool, parentTable, parentIndex);
      }
    }
  }

  private entryAt(path: Uint8Array, offset: number, depth: number, bits: number, entry: number): ArtEntry<V> {
    const addr = path.slice();
    writeBits(addr, offset, depth, bits);
    maskFrom(addr, offset + depth);
    return { addr, plen: offset + depth, value: this.values[entry] as V };
  }

  /** Default entry (heap slot 1) of subtable `table` at `level`. */
  private defaultOf(level: number, table: number): number {
    const pool = this.pools[level]!;
    return pool.slots[(table << pool.shift) + 1]!;
  }

  /**
   * Puts `next` where `old` was at heap `index` of the table at `base` (level `level`): a fringe
   * slot directly (or its subtable's default), a non-fringe slot by re-allotting the subtree.
   */
  private replace(level: number, base: number, index: number, slot: number, old: number, next: number): void {
    if (index < 1 << this.strides[level]!) this.allot(level, base, index, old, next);
    else if (slot < 0) this.setDefault(level + 1, -slot, next);
    else this.pools[level]!.slots[base + index] = next;
  }

  /**
   * Allotment: within the heap subtree rooted at non-fringe `index`, every slot that holds `old`
   * (i.e. inherits it) gets `next`. Subtrees whose root holds something else hold more specific
   * prefixes and are left alone. Depth is bounded by the stride.
   */
  private allot(level: number, base: number, index: number, old: number, next: number): void {
    const slots = this.pools[level]!.slots;
    const fringe = 1 << this.strides[level]!;
    slots[base + index] = next;
    const left = index << 1;
    for (let child = left; child <= left + 1; child++) {
      const slot = slots[base + child]!;
      if (child >= fringe) {
        if (slot < 0) {
          if (this.defaultOf(level + 1, -slot) === old) this.setDefault(level + 1, -slot, next);
        } else if (slot === old) {
          slots[base + child] = next;
        }
      } else if (slot === old) {
        this.allot(level, base, child, old, next);
      }
    }
  }

  private setDefault(level: number, table: number, entry: number): void {
    const pool = this.pools[level]!;
    pool.slots[(table << pool.shift) + 1] = entry;
  }

  /** Frees an empty subtable: its default goes back into the parent's fringe slot, and the parent
   *  loses the reference the subtable held on it. */
  private freeTable(pool: HeapPool, table: number, parentPool: HeapPool, parentTable: number, parentIndex: number): void {
    this.version++;
    const parentBase = parentTable << parentPool.shift;
    parentPool.slots[parentBase + parentIndex] = pool.slots[(table << pool.shift) + 1]!;
    pool.release(table);
    parentPool.slots[parentBase]!--;
  }

  private newEntry(value: V, plen: number): number {
    const entry = this.freeEntries.pop() ?? this.nextEntry++;
    if (entry >= this.plens.length) {
      const grown = new Uint8Array(this.plens.length * 2);
      grown.set(this.plens);
      this.plens = grown;
    }
    this.plens[entry] = plen;
    this.values[entry] = value;
    this.entryCount++;
    return entry;
  }

  private freeEntry(entry: number): void {
    this.values[entry] = undefined;
    this.freeEntries.push(entry);
    this.entryCount--;
  }

  private checkKey(addr: Uint8Array, plen: number): void {
    if (!(addr instanceof Uint8Array) || addr.length !== this.addressBytes) {
      throw new TableError('bad-address-length', `address must be a Uint8Array of ${this.addressBytes} bytes`);
    }
    if (!Number.isInteger(plen) || plen < 0 || plen > this.addressBits) {
      throw new TableError('bad-prefix-length', `prefix length ${plen} is outside 0..${this.addressBits}`);
    }
  }
}
