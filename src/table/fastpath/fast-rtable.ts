import { TableError } from '../errors.js';
import type { RtableRoute } from '../route-list.js';
import { Rtable, type AddressFamily, type RtableInsertOptions, type RtableOptions } from '../rtable.js';
import { DirTrie } from './dir-trie.js';
import { LeafStore } from './leaves.js';
import { packedEntry } from './packed-level.js';
import { HEX_DIGIT, parseV4, parseV6 } from '../../addr/parse.js';

/** First packed IPv6 level: the v6 lookup loops below read levels 0 and 1 flat, the rest packed. */
const V6_PACKED = 2;
/** Strings per group in {@link FastRtable.matchStrings}: parsed first, then walked in lock step. */
const GROUP = 64;

/** Tuning of a {@link FastRtable}; answers never depend on it. */
export interface FastRtableOptions extends RtableOptions {
  /** Packed IPv6 chunks kept flat while they are being edited, all packed levels together (1..255, default 32). */
  openChunks?: number;
}

/** Memory and shape of the fast path (the Rtable/ART behind it is not counted). */
export interface FastPathStats {
  prefixes: number;
  chunks: { inet: number[]; inet6: number[] };
  bytes: number;
}

/**
 * An {@link Rtable} with a compiled longest-prefix-match fast path kept exact on every mutation.
 * Mutations (insert, delete, reprio) go to the Rtable first and are then mirrored into two
 * {@link DirTrie}s; a prefix's answer is the first route of its list, i.e. exactly what
 * {@link Rtable.match} returns (priority order, DOWN routes last).
 *
 * Lookups come in three shapes: objects (`lookup`, `lookupV4`, `lookupV6` → route or undefined),
 * match ids (`matchV4`, `matchV6`, 0 = no route, resolve with {@link routeOf}) and batches over
 * typed arrays that write ids or routes into a caller-owned array. A match id names a prefix; it
 * stays valid until that prefix is deleted and may then be reused.
 */
export class FastRtable<R extends RtableRoute> extends Rtable<R> {
  private readonly leaves = new LeafStore<R>();
  private readonly v4 = new DirTrie<R>(4, this.leaves);
  /** IPv6 levels from 2 (bits 24+) are packed: ~10x smaller than flat, and faster on hits (stays in cache). */
  private readonly v6: DirTrie<R>;
  private readonly key6 = new Uint8Array(16);
  /** String batch scratch: one group's parsed IPv4 addresses, their list positions, their ids (walkIds), and the group's ids for lookupStrings. */
  private readonly group4 = new Uint32Array(GROUP);
  private readonly groupAt = new Int32Array(GROUP);
  private readonly groupIds = new Int32Array(GROUP);
  private readonly walkIds = new Int32Array(GROUP);

  /** `options.openChunks`: tests make it small to exercise re-packing. */
  constructor(options: FastRtableOptions = {}) {
    super(options);
    this.v6 = new DirTrie<R>(16, this.leaves, V6_PACKED, options.openChunks);
  }

  override insert(af: AddressFamily, dst: Uint8Array, plen: number, route: R, opts: RtableInsertOptions<R>): 0 | 'EEXIST' {
    const result = this.insertRoute(af, dst, plen, route, opts);
    if (result < 0) return 'EEXIST';
    this.added(this.trie(af), dst, plen, route, result === 1);
    return 0;
  }

  override delete(af: AddressFamily, dst: Uint8Array, plen: number, route: R): boolean {
    const trie = this.checked(af, dst, plen);
    const leaf = trie.find(dst, plen);
    // Only removing the selected route changes an answer.
    if (leaf === 0 || this.leaves.route[leaf] !== route) return super.delete(af, dst, plen, route);
    const first = this.deleteRoute(af, dst, plen, route);
    if (first === false) return false;
    if (first === undefined) trie.delete(dst, plen);
    else this.leaves.route[leaf] = first;
    return true;
  }

  override reprio(af: AddressFamily, dst: Uint8Array, plen: number, route: R, newPriority: number): boolean {
    const leaf = this.checked(af, dst, plen).find(dst, plen);
    const first = this.leaves.route[leaf];
    // A route behind the first one stays behind it unless it now sorts strictly before it.
    if (first === undefined || (route !== first && newPriority >= first.priority)) return super.reprio(af, dst, plen, route, newPriority);
    const now = this.reprioRoute(af, dst, plen, route, newPriority);
    if (now === undefined) return false;
    this.leaves.route[leaf] = now;
    return true;
  }

  /**
   * Bulk load: inserts route i under the `width`-byte address at `dsts[i*width..]` / `plens[i]`
   * (width 4 for inet, 16 for inet6), with the conflict rules of {@link insert} applied in input
   * order; returns how many routes were refused with EEXIST. Into an empty family both the
   * Rtable and the fast path are built in one pass each ({@link buildEmpty}); otherwise the
   * routes are inserted, then mirrored shortest prefix first (a stable counting sort, so FIFO
   * among equal priorities is kept), so each paint only overwrites what it covers.
   */
  bulkLoad(af: AddressFamily, dsts: Uint8Array, plens: ArrayLike<number>, routes: readonly R[], opts: RtableInsertOptions<R>): number {
    const trie = this.trie(af);
    if (trie.size === 0 && this.countOf(af) === 0) return this.buildEmpty(trie, af, dsts, plens, routes, opts);
    const width = trie.bytes;
    const key = new Uint8Array(width);
    // accepted[j] = route index, negated (minus one) when the route joined an existing node.
    const accepted = new Int32Array(routes.length);
    const byLen = new Int32Array(width * 8 + 2);
    let n = 0;
    this.growFast(af);
    trie.beginBulk();
    try {
      for (let i = 0; i < routes.length; i++) {
        for (let b = 0; b < width; b++) key[b] = dsts[i * width + b]!;
        const result = this.insertRoute(af, key, plens[i]!, routes[i]!, opts);
        if (result >= 0) {
          accepted[n++] = result === 1 ? i : -1 - i;
          byLen[plens[i]! + 1]!++;
        }
      }
      for (let l = 1; l < byLen.length; l++) byLen[l]! += byLen[l - 1]!;
      const order = new Int32Array(n);
      for (let j = 0; j < n; j++) {
        const a = accepted[j]!;
        order[byLen[plens[a < 0 ? -1 - a : a]!]!++] = a;
      }
      if (af === 'inet') presizeV4(trie, dsts, plens, accepted, n);
      for (let j = 0; j < n; j++) {
        const a = order[j]!;
        const i = a < 0 ? -1 - a : a;
        for (let b = 0; b < width; b++) key[b] = dsts[i * width + b]!;
        this.added(trie, key, plens[i]!, routes[i]!, a >= 0);
      }
    } finally {
      // Also on a throw: lookups read packed levels, so bulk mode must never outlive the call.
      trie.trim();
    }
    this.leaves.trim();
    this.trim(af);
    return routes.length - n;
  }

  /**
   * Bulk load into an empty family: the routes are ordered by address, then length, then input
   * order (a dump comes sorted and without host bits: one check pass each, and only input failing
   * them pays for a masked copy or a sort). Then the Rtable builds its ART in that order
   * ({@link Rtable.buildSorted}) and the trie its levels ({@link DirTrie.build}), each in one pass.
   * Input is validated before anything is stored. Every buffer here is external memory, and
   * each 64 MB of it costs a full garbage collection of the table.
   */
  private buildEmpty(trie: DirTrie<R>, af: AddressFamily, dsts: Uint8Array, plens: ArrayLike<number>, routes: readonly R[], opts: RtableInsertOptions<R>): number {
    const width = trie.bytes;
    const n = routes.length;
    if (dsts.length < n * width) throw new TableError('bad-address-length', `${n} routes need ${n * width} address bytes, got ${dsts.length}`);
    let hostBits = false;
    for (let i = 0; i < n; i++) {
      const plen = plens[i]!;
      if (!Number.isInteger(plen) || plen < 0 || plen > width * 8) throw new TableError('bad-prefix-length', `prefix length ${plen} is outside 0..${width * 8}`);
      for (let b = plen >> 3, o = i * width; b < width; b++) if ((dsts[o + b]! & ~byteMask(plen, b) & 0xff) !== 0) hostBits = true;
    }
    let addrs = dsts;
    if (hostBits) {
      addrs = new Uint8Array(n * width);
      for (let i = 0; i < n; i++) {
        const plen = plens[i]!;
        for (let b = 0, o = i * width; b < width; b++) addrs[o + b] = dsts[o + b]! & byteMask(plen, b);
      }
    }
    const items = new Int32Array(n);
    for (let i = 0; i < n; i++) items[i] = i;
    // One pass tells whether the input is sorted already and whether any prefix repeats.
    let sorted = true;
    let distinct = true;
    for (let i = 1; i < n && sorted; i++) {
      const c = compareItems(addrs, plens, width, i - 1, i);
      if (c > 0) sorted = false;
      else if (c === 0) distinct = false;
    }
    const order = sorted ? items : sortedOrder(addrs, plens, width, items);
    const selected = new Int32Array(n);
    const m = this.buildSorted(af, addrs, plens, routes, order, opts, selected, sorted && distinct);
    trie.build(addrs, plens, order, m, this.leaves.allocBlock(routes, selected, m));
    trie.trim();
    this.leaves.trim();
    this.trim(af);
    return n - this.countOf(af);
  }

  /**
   * Mirrors an accepted insert. The Rtable put `route` after every route of priority ≤ its own
   * (route-list.ts), so it became the node's first route iff the node is new or its priority is
   * below the current first's: no ART get needed.
   */
  private added(trie: DirTrie<R>, dst: Uint8Array, plen: number, route: R, fresh: boolean): void {
    if (fresh) {
      this.leaves.route[trie.insert(dst, plen)] = route;
      return;
    }
    const leaf = trie.find(dst, plen);
    if (route.priority < this.leaves.route[leaf]!.priority) this.leaves.route[leaf] = route;
  }

  /** Same answer as {@link Rtable.match}, from the fast path. */
  override match(af: AddressFamily, dst: Uint8Array): R | undefined {
    if (af === 'inet' && dst.length === 4) return this.leaves.route[this.v4.matchBytes(dst, 0)];
    if (af === 'inet6' && dst.length === 16) return this.leaves.route[this.v6.matchBytes(dst, 0)];
    return super.match(af, dst);
  }

  /**
   * With one argument: the selected route for an address given as text ("192.0.2.1",
   * "2001:db8::1") or as 4 or 16 network-order bytes; undefined when no prefix covers it.
   * With Rtable's arguments: {@link Rtable.lookup}, unchanged (so this class stays drop-in).
   * @throws {TableError} on unparsable text or a byte array of another length.
   */
  override lookup(address: string | Uint8Array): R | undefined;
  override lookup(af: AddressFamily, dst: Uint8Array, plen: number | undefined, prio: number, gwMatch?: (r: R) => boolean): R | undefined;
  override lookup(
    a: string | Uint8Array | AddressFamily,
    dst?: Uint8Array,
    plen?: number,
    prio?: number,
    gwMatch?: (r: R) => boolean,
  ): R | undefined {
    if (dst === undefined) return typeof a === 'string' ? this.lookupString(a) : this.leaves.route[this.matchId(a)];
    return super.lookup(a as AddressFamily, dst, plen, prio!, gwMatch);
  }

  /**
   * Selected route for an address given as text: the string fast path of {@link lookup} (no
   * family scan: IPv4 is tried first and fails within a few characters on IPv6 text).
   * @throws {TableError} on unparsable text.
   */
  lookupString(address: string): R | undefined {
    return this.leaves.route[this.matchString(address)];
  }

  /** Match id of an address given as text (0 = no route). @throws {TableError} on unparsable text. */
  matchString(address: string): number {
    const a = this.matchV4Text(address);
    if (a >= 0) return a;
    return this.matchV6Text(address);
  }

  /** The IPv6 half of {@link matchString}: the same error for text that is neither family. */
  private matchV6Text(address: string): number {
    const e = this.walkV6Text(address);
    if (e >= 0) return e;
    if (parseV6(address, this.key6)) return this.v6.matchBytes(this.key6, 0);
    throw new TableError('bad-address-length', `not an IPv4 or IPv6 address: ${address}`);
  }

  /**
   * The eight-group form ("2001:db8:0:1:2:3:4:5", no "::", no dotted tail) parsed with the trie
   * walk fused in, as {@link matchV4Text} does for IPv4: each group's two bytes step the walk as
   * soon as they are read, so its reads overlap the rest of the parse (~20% off a full-table
   * in-prefix lookup). Match id, or -1 for any other text, which {@link parseV6} then judges.
   */
  private walkV6Text(s: string): number {
    const trie = this.v6;
    const n = s.length;
    let e = -1;
    let g = 0;
    let i = 0;
    for (;;) {
      // parseV6's digit loop, written out again on purpose: a shared hexGroup() returning
      // length and value in one number made these lookups ~15% slower (six interleaved A/B runs).
      let v = 0;
      let c = 0;
      const begin = i;
      for (; i < n; i++) {
        c = s.charCodeAt(i);
        const d = c > 255 ? -1 : HEX_DIGIT[c]!;
        if (d < 0) break;
        v = (v << 4) | d;
      }
      const digits = i - begin;
      if (digits === 0 || digits > 4) return -1;
      // Group g holds bytes 2g and 2g+1; the root indexes bytes 0-1, level k byte k+1.
      if (e < 0) {
        if (g === 0) e = trie.pools[0]![v]!;
        else {
          e = trie.step(e, 2 * g - 1, v >>> 8);
          if (e < 0) e = trie.step(e, 2 * g, v & 0xff);
        }
      }
      g++;
      if (i === n) return g === 8 ? e : -1;
      if (c !== 58 || g === 8) return -1;
      i++;
      if (i === n || s.charCodeAt(i) === 58) return -1;
    }
  }

  /**
   * Writes the match id of `list[i]` (text, as {@link matchString}) to `out[i]`. Strings are
   * parsed a group at a time and the group's IPv4 addresses then walk the trie in lock step
   * ({@link lookupBatchV4}), so their cache misses overlap instead of each following a parse.
   * @throws {TableError} on unparsable text, as {@link matchString} (entries before it are written).
   */
  matchStrings(list: readonly string[], out: Int32Array): void {
    const n = list.length;
    if (out.length < n) throw new RangeError(`out holds ${out.length} results, need ${n}`);
    for (let s = 0; s < n; s += GROUP) this.matchGroup(list, s, Math.min(n, s + GROUP), out, 0);
  }

  /** Writes the selected route (or undefined) of `list[i]` to `out[i]`: {@link matchStrings} with routes. */
  lookupStrings(list: readonly string[], out: (R | undefined)[]): void {
    const ids = this.groupIds;
    const routes = this.leaves.route;
    for (let s = 0, n = list.length; s < n; s += GROUP) {
      const end = Math.min(n, s + GROUP);
      this.matchGroup(list, s, end, ids, -s);
      // Independent reads: the route array's misses overlap too.
      for (let i = s; i < end; i++) out[i] = routes[ids[i - s]!];
    }
  }

  /** Ids of `list[s..end)` into `out[i + shift]` (IPv6 text is walked as it is parsed). */
  private matchGroup(list: readonly string[], s: number, end: number, out: Int32Array, shift: number): void {
    const group4 = this.group4;
    const at = this.groupAt;
    let m = 0;
    for (let i = s; i < end; i++) {
      const text = list[i]!;
      const a = parseV4(text);
      if (a >= 0) {
        group4[m] = a;
        at[m++] = i;
      } else out[i + shift] = this.matchV6Text(text);
    }
    const ids = this.walkIds;
    this.walkV4(group4, m, ids);
    for (let j = 0; j < m; j++) out[at[j]! + shift] = ids[j]!;
  }

  /**
   * parseV4 fused with the DIR-16-8-8 walk: each level's read is issued as soon as the octets it
   * indexes are parsed (root after the second dot, level 1 after the third), so its cache miss
   * overlaps the rest of the parse instead of following it (level 1 at the third dot: 5% off a
   * full-table in-prefix string lookup, three interleaved runs). Match id, or -1 when the text is not dotted-quad IPv4.
   */
  private matchV4Text(s: string): number {
    const pools = this.v4.pools;
    const n = s.length;
    let value = 0;
    let octet = 0;
    let digits = 0;
    let dots = 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 46) {
        if (digits === 0 || dots === 3) return -1;
        value = (value << 8) | octet;
        if (dots === 1) e = pools[0]![value]!;
        else if (dots === 2 && e < 0) e = pools[1]![(e & 0x7fffffff) | octet]!;
        octet = 0;
        digits = 0;
        dots++;
      } else {
        const d = c - 48;
        if (d < 0 || d > 9 || digits === 3) return -1;
        octet = octet * 10 + d;
        if (octet > 255) return -1;
        digits++;
      }
    }
    if (digits === 0 || dots !== 3) return -1;
    if (e < 0) e = pools[2]![(e & 0x7fffffff) | octet]!;
    return e;
  }

  /** Match id for an address in any form {@link lookup} accepts (0 = no route). */
  matchId(address: string | Uint8Array): number {
    if (typeof address === 'string') return this.matchString(address);
    if (address.length === 4) return this.v4.matchBytes(address, 0);
    if (address.length === 16) return this.v6.matchBytes(address, 0);
    throw new TableError('bad-address-length', `address must be 4 or 16 bytes, got ${address.length}`);
  }

  /** Selected route for an IPv4 address as an unsigned (or signed) 32-bit integer. */
  lookupV4(address: number): R | undefined {
    return this.leaves.route[this.matchV4(address)];
  }

  /** Selected route for the IPv6 address at `bytes[offset..offset+16)`. */
  lookupV6(bytes: Uint8Array, offset = 0): R | undefined {
    return this.leaves.route[this.v6.matchBytes(bytes, offset)];
  }

  /** Match id for an IPv4 address as a 32-bit integer (0 = no route). */
  matchV4(address: number): number {
    const pools = this.v4.pools;
    let e = pools[0]![address >>> 16]!;
    if (e < 0) {
      e = pools[1]![(e & 0x7fffffff) | ((address >>> 8) & 0xff)]!;
      if (e < 0) e = pools[2]![(e & 0x7fffffff) | (address & 0xff)]!;
    }
    return e;
  }

  /** Match id for the IPv6 address at `bytes[offset..offset+16)` (0 = no route). */
  matchV6(bytes: Uint8Array, offset = 0): number {
    return this.v6.matchBytes(bytes, offset);
  }

  /** Route of a match id (undefined for 0). */
  routeOf(id: number): R | undefined {
    return this.leaves.route[id];
  }

  /** Prefix length of a live match id. */
  plenOf(id: number): number {
    return this.leaves.plen[id]!;
  }

  /**
   * Writes the match id of `addrs[i]` to `out[i]` for every i < addrs.length. Allocates nothing.
   * Sixteen addresses walk the levels in lock step: their reads are independent, so the CPU
   * overlaps the cache (and TLB) misses of sixteen chains instead of waiting out each
   * root → chunk → chunk chain in turn (see {@link walkV4}).
   */
  lookupBatchV4(addrs: Uint32Array, out: Int32Array): void {
    const n = addrs.length;
    if (out.length < n) throw new RangeError(`out holds ${out.length} results, need ${n}`);
    this.walkV4(addrs, n, out);
  }

  /**
   * {@link lookupBatchV4} over `addrs[0..n)`, sixteen addresses at a time in straight-line code.
   * Why sixteen: a level-1 read is a TLB and cache miss (the level-1 pool is ~26 MB on a full
   * table), and on this class of machine (virtualised, ~140 ns per miss) throughput is set by how
   * many misses the core keeps in flight. A loop iteration costs V8 ~40 instructions of checks per
   * array access, which fills the reorder window after ~5 lookups; unrolled, the checks are shared
   * and the window holds more independent level-1 reads (in-process A/B on the full table, 4 lanes
   * vs 16: random addresses ~25 → ~21 ns, in-prefix ~32 → ~30 ns; 8 lanes lies in between).
   */
  private walkV4(addrs: Uint32Array, n: number, out: Int32Array): void {
    const pools = this.v4.pools;
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

  /** Writes the selected route (or undefined) of `addrs[i]` to `out[i]`. */
  lookupBatchV4Routes(addrs: Uint32Array, out: (R | undefined)[]): void {
    const pools = this.v4.pools;
    const root = pools[0]!;
    const l1 = pools[1]!;
    const l2 = pools[2]!;
    const routes = this.leaves.route;
    for (let i = 0, n = addrs.length; i < n; i++) {
      const a = addrs[i]!;
      let e = root[a >>> 16]!;
      if (e < 0) {
        e = l1[(e & 0x7fffffff) | ((a >>> 8) & 0xff)]!;
        if (e < 0) e = l2[(e & 0x7fffffff) | (a & 0xff)]!;
      }
      out[i] = routes[e];
    }
  }

  /**
   * Writes the match id of the i-th 16-byte row of `addrs` to `out[i]`. Allocates nothing. Four
   * rows in lock step, as {@link lookupBatchV4} (eight were slower: the lanes' state no longer
   * fits the registers). Below level 1 every lane takes every step without a branch: a finished
   * lane (e ≥ 0) reads chunk 0's all-zero node, which no ref names, and keeps its e through the
   * mask. Hit depths vary (3 to 5 levels on a full table), so "is this lane done" branches
   * mispredicted often (in-process A/B on the full table, hits: ~10% faster without them).
   */
  lookupBatchV6(addrs: Uint8Array, out: Int32Array): void {
    const n = addrs.length >>> 4;
    if (out.length < n) throw new RangeError(`out holds ${out.length} results, need ${n}`);
    const pools = this.v6.pools;
    const root = pools[0]!;
    const l1 = pools[1]!;
    // Every packed level is the same PackedLevel: its arrays are fetched once.
    const { node, vals } = this.v6.packed[V6_PACKED]!;
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
    for (; i < n; i++) out[i] = this.v6.matchBytes(addrs, i << 4);
  }

  /** Writes the selected route (or undefined) of the i-th 16-byte row of `addrs` to `out[i]`. */
  lookupBatchV6Routes(addrs: Uint8Array, out: (R | undefined)[]): void {
    const trie = this.v6;
    const routes = this.leaves.route;
    for (let i = 0, n = addrs.length >>> 4; i < n; i++) out[i] = routes[trie.matchBytes(addrs, i << 4)];
  }

  /** Shape and bytes of the fast path. */
  fastPathStats(): FastPathStats {
    return {
      prefixes: this.leaves.size,
      chunks: { inet: this.v4.chunkCounts(), inet6: this.v6.chunkCounts() },
      bytes: this.v4.byteLength + this.v6.byteLength + this.leaves.byteLength,
    };
  }

  /** The family's trie once `dst`/`plen` are known valid (same errors as the Rtable's). */
  private checked(af: AddressFamily, dst: Uint8Array, plen: number): DirTrie<R> {
    const trie = this.trie(af);
    if (!(dst instanceof Uint8Array) || dst.length !== trie.bytes) {
      throw new TableError('bad-address-length', `address must be a Uint8Array of ${trie.bytes} bytes`);
    }
    if (!Number.isInteger(plen) || plen < 0 || plen > trie.bytes * 8) {
      throw new TableError('bad-prefix-length', `prefix length ${plen} is outside 0..${trie.bytes * 8}`);
    }
    return trie;
  }

  private trie(af: AddressFamily): DirTrie<R> {
    if (af === 'inet') return this.v4;
    if (af === 'inet6') return this.v6;
    throw new TableError('bad-family', `unknown address family ${String(af)}`);
  }
}

/** Mask of byte `b` of a `plen`-bit prefix. */
function byteMask(plen: number, b: number): number {
  const bits = plen - b * 8;
  return bits >= 8 ? 0xff : bits <= 0 ? 0 : (0xff00 >> bits) & 0xff;
}

/**
 * `items` (indexes of `width`-byte addresses in `addrs`, lengths in `plens`) ordered by address,
 * then length, then position: `items` itself when already so (one check pass), else a sorted copy.
 */
function sortedOrder(addrs: Uint8Array, plens: ArrayLike<number>, width: number, items: Int32Array): Int32Array {
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
function compareItems(addrs: Uint8Array, plens: ArrayLike<number>, width: number, a: number, b: number): number {
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
function presizeV4(trie: DirTrie<unknown>, dsts: Uint8Array, plens: ArrayLike<number>, accepted: Int32Array, n: number): void {
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
