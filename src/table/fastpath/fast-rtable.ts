import { TableError } from '../errors.js';
import type { RtableRoute } from '../route-list.js';
import { Rtable, type AddressFamily, type RtableInsertOptions, type RtableOptions } from '../rtable.js';
import { DirTrie } from './dir-trie.js';
import { LeafStore } from './leaves.js';
import { V6_PACKED, walkV4Lanes, walkV6Lanes } from './batch-walk.js';
import { compareItems, presizeV4, sortedOrder } from './bulk-order.js';
import { HEX_DIGIT, parseV4, parseV6 } from '../../addr/parse.js';

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
  /** String batch scratch for IPv6: one group's parsed rows (16 bytes each) and their list positions. */
  private readonly group6 = new Uint8Array(GROUP * 16);
  private readonly groupAt6 = new Int32Array(GROUP);

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

  // delete and reprio read the node's first route from the Rtable, not the fast path's leaf: a
  // second exact descent into the Rtable is served by ART's memo of the first, where the leaf's
  // own descent is needed only when the selected route really changes.
  override delete(af: AddressFamily, dst: Uint8Array, plen: number, route: R): boolean {
    const trie = this.checked(af, dst, plen);
    // Only removing the selected route changes an answer.
    if (this.firstAt(af, dst, plen) !== route) return super.delete(af, dst, plen, route);
    const first = this.deleteRoute(af, dst, plen, route);
    if (first === false) return false;
    if (first === undefined) trie.delete(dst, plen);
    else this.leaves.route[trie.find(dst, plen)] = first;
    return true;
  }

  override reprio(af: AddressFamily, dst: Uint8Array, plen: number, route: R, newPriority: number): boolean {
    const trie = this.checked(af, dst, plen);
    const first = this.firstAt(af, dst, plen);
    // A route behind the first one stays behind it unless it now sorts strictly before it.
    if (first === undefined || (route !== first && newPriority >= first.priority)) return super.reprio(af, dst, plen, route, newPriority);
    const now = this.reprioRoute(af, dst, plen, route, newPriority);
    if (now === undefined) return false;
    if (now !== first) this.leaves.route[trie.find(dst, plen)] = now;
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
    throw notAnAddress(address);
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
        const d = HEX_DIGIT[c]!;
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
   * parsed a group at a time, then the group's IPv4 addresses and IPv6 rows walk the trie in
   * lock step ({@link walkV4Lanes}, {@link walkV6Lanes}), so their cache misses overlap instead
   * of each following a parse.
   * @throws {TableError} on unparsable text, as {@link matchString}; the entries before it are written.
   */
  matchStrings(list: readonly string[], out: Int32Array): void {
    const n = list.length;
    if (out.length < n) throw new RangeError(`out holds ${out.length} results, need ${n}`);
    for (let s = 0; s < n; s += GROUP) {
      const bad = this.matchGroup(list, s, Math.min(n, s + GROUP), out, 0);
      if (bad >= 0) throw notAnAddress(list[bad]!);
    }
  }

  /** Writes the selected route (or undefined) of `list[i]` to `out[i]`: {@link matchStrings} with routes. */
  lookupStrings(list: readonly string[], out: (R | undefined)[]): void {
    const ids = this.groupIds;
    const routes = this.leaves.route;
    for (let s = 0, n = list.length; s < n; s += GROUP) {
      const bad = this.matchGroup(list, s, Math.min(n, s + GROUP), ids, -s);
      const end = bad >= 0 ? bad : Math.min(n, s + GROUP);
      // Independent reads: the route array's misses overlap too.
      for (let i = s; i < end; i++) out[i] = routes[ids[i - s]!];
      if (bad >= 0) throw notAnAddress(list[bad]!);
    }
  }

  /**
   * Ids of `list[s..end)` into `out[i + shift]`, up to the first string that is neither family's
   * text: its index, or -1. Every string is parsed before any walk (IPv6 by parseV6 into a row:
   * the rows' lock-step walk beat walking each string as it is parsed by ~10% on full-table
   * IPv6 hits, in-process A/B).
   */
  private matchGroup(list: readonly string[], s: number, end: number, out: Int32Array, shift: number): number {
    const group4 = this.group4;
    const at4 = this.groupAt;
    const rows6 = this.group6;
    const at6 = this.groupAt6;
    let m4 = 0;
    let m6 = 0;
    let bad = -1;
    for (let i = s; i < end; i++) {
      const text = list[i]!;
      const a = parseV4(text);
      if (a >= 0) {
        group4[m4] = a;
        at4[m4++] = i;
      } else if (parseV6(text, rows6, m6 << 4)) at6[m6++] = i;
      else {
        bad = i;
        break;
      }
    }
    const ids = this.walkIds;
    walkV4Lanes(this.v4.pools, group4, m4, ids);
    for (let j = 0; j < m4; j++) out[at4[j]! + shift] = ids[j]!;
    walkV6Lanes(this.v6, rows6, m6, ids);
    for (let j = 0; j < m6; j++) out[at6[j]! + shift] = ids[j]!;
    return bad;
  }

  /**
   * parseV4At fused with the DIR-16-8-8 walk: each level's read is issued as soon as the octets
   * it indexes are parsed (root after the second octet, level 1 after the third), so its cache
   * miss overlaps the rest of the parse instead of following it (level 1 at the third octet: 5%
   * off a full-table in-prefix string lookup, three interleaved runs). The octet loop is
   * parseV4At's, written out again on purpose: the walk needs each octet as it is read, and a
   * shared octet helper returning value and length in one number was ~12% slower on random
   * addresses (A/B in one process). Match id, or -1 when the text is not dotted-quad IPv4.
   */
  private matchV4Text(s: string): number {
    const pools = this.v4.pools;
    const end = s.length;
    let i = 0;
    let value = 0;
    let e = 0;
    for (let k = 0; ; k++) {
      if (i >= end) return -1;
      let d = s.charCodeAt(i++) - 48;
      if (d < 0 || d > 9) return -1;
      let octet = d;
      if (i < end) {
        d = s.charCodeAt(i) - 48;
        if (d >= 0 && d <= 9) {
          octet = octet * 10 + d;
          i++;
          if (i < end) {
            d = s.charCodeAt(i) - 48;
            if (d >= 0 && d <= 9) {
              octet = octet * 10 + d;
              i++;
              if (octet > 255) return -1;
            }
          }
        }
      }
      if (k === 3) {
        if (i !== end) return -1;
        return e < 0 ? pools[2]![(e & 0x7fffffff) | octet]! : e;
      }
      value = (value << 8) | octet;
      if (k === 1) e = pools[0]![value]!;
      else if (k === 2 && e < 0) e = pools[1]![(e & 0x7fffffff) | octet]!;
      if (i >= end || s.charCodeAt(i) !== 46) return -1;
      i++;
    }
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
   * root → chunk → chunk chain in turn (see {@link walkV4Lanes}).
   */
  lookupBatchV4(addrs: Uint32Array, out: Int32Array): void {
    const n = addrs.length;
    if (out.length < n) throw new RangeError(`out holds ${out.length} results, need ${n}`);
    walkV4Lanes(this.v4.pools, addrs, n, out);
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
   * rows in lock step ({@link walkV6Lanes}).
   */
  lookupBatchV6(addrs: Uint8Array, out: Int32Array): void {
    const n = addrs.length >>> 4;
    if (out.length < n) throw new RangeError(`out holds ${out.length} results, need ${n}`);
    walkV6Lanes(this.v6, addrs, n, out);
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

/** The error for text that is neither an IPv4 nor an IPv6 address. */
function notAnAddress(address: string): TableError {
  return new TableError('bad-address-length', `not an IPv4 or IPv6 address: ${address}`);
}
