import { ArtTable, INET6_STRIDES, INET_STRIDES } from './art.js';
import { TableError } from './errors.js';
import { insertByPriority, PRIORITY_MASK, removeRoute, type RtableRoute } from './route-list.js';
import { radixOrder, type WalkOrder } from './walk-order.js';

/** Address families an {@link Rtable} holds, walked in this order. */
export type AddressFamily = 'inet' | 'inet6';

/** Families in walk order. */
export const ADDRESS_FAMILIES: readonly AddressFamily[] = Object.freeze(['inet', 'inet6'] as const);

/** `lookup` priority meaning "any priority" (OpenBSD's RTP_ANY). */
export const PRIORITY_ANY = 64;

/** How {@link Rtable.insert} decides conflicts; the caller owns gateway semantics. */
export interface RtableInsertOptions<R> {
  /** Multipath allowed: same-priority routes coexist unless `sameGateway` says they collide. */
  mpath: boolean;
  sameGateway: (a: R, b: R) => boolean;
}

/** How an {@link Rtable} is built. */
export interface RtableOptions {
  /** The order of {@link Rtable.walk} and {@link Rtable.entries} (default 'art'); lookups never depend on it. */
  walkOrder?: WalkOrder;
}

/** A route as produced by a walk; `dst` is a fresh copy masked to `plen`. */
export interface RtableWalkEntry<R> {
  af: AddressFamily;
  dst: Uint8Array;
  plen: number;
  route: R;
}

/** The node found by a longest-prefix match: its prefix length and its (live, read-only) routes. */
export interface RtableMatch<R> {
  plen: number;
  routes: readonly R[];
}

const NO_ROUTES: readonly never[] = Object.freeze([]);

/**
 * Per-routing-domain table in the spirit of OpenBSD's rtable.c: one ART per address family,
 * each prefix (ART node) holding its routes sorted by full 8-bit priority (FIFO among equals).
 * It knows nothing of flags, gateways, interfaces or messages: callers pass predicates.
 * Families are named 'inet' (4-byte addresses) and 'inet6' (16-byte addresses).
 */
export class Rtable<R extends RtableRoute> {
  /**
   * A node's value is its only route (the common case: no list object, ~56 B less per prefix) or,
   * once a second route arrives, its route list. A list is never turned back into a single route,
   * so the snapshots taken by {@link entries} stay comparable. (Routes themselves are never arrays.)
   */
  private readonly inet = new ArtTable<R | R[]>(32, INET_STRIDES);
  private readonly inet6 = new ArtTable<R | R[]>(128, INET6_STRIDES);
  private inetRoutes = 0;
  private inet6Routes = 0;
  /** The order walks produce prefixes in. */
  readonly walkOrder: WalkOrder;

  constructor(options: RtableOptions = {}) {
    this.walkOrder = options.walkOrder ?? 'art';
  }

  /** Number of routes in both families. */
  get count(): number {
    return this.inetRoutes + this.inet6Routes;
  }

  /** Number of routes in one family. */
  countOf(af: AddressFamily): number {
    return this.art(af) === this.inet ? this.inetRoutes : this.inet6Routes;
  }

  /**
   * Adds `route` under `dst`/`plen`. Only existing routes of the same priority class
   * (`priority & 0x7f`) can conflict: without `mpath` any of them does, with `mpath` one for which
   * `sameGateway(existing, route)` holds does. Returns 0 or 'EEXIST' (table unchanged).
   * @throws {TableError} on a bad family, address length or prefix length.
   */
  insert(af: AddressFamily, dst: Uint8Array, plen: number, route: R, opts: RtableInsertOptions<R>): 0 | 'EEXIST' {
    return this.insertRoute(af, dst, plen, route, opts) < 0 ? 'EEXIST' : 0;
  }

  /**
   * {@link insert} with more detail for subclasses: -1 = EEXIST, 1 = the route created the node,
   * 0 = it joined an existing node. One ART descent when the prefix is new.
   */
  protected insertRoute(af: AddressFamily, dst: Uint8Array, plen: number, route: R, opts: RtableInsertOptions<R>): -1 | 0 | 1 {
    const art = this.art(af);
    const size = art.size;
    const stored = art.insert(dst, plen, route);
    if (art.size !== size) {
      this.adjust(art, 1);
      return 1;
    }
    const joined = joinRoute(stored, route, opts);
    if (joined === undefined) return -1;
    if (joined !== stored) art.set(dst, plen, joined);
    this.adjust(art, 1);
    return 0;
  }

  /**
   * Bulk form of {@link insertRoute} for an empty family: the routes `routes[order[j]]`, whose
   * prefixes (`width`-byte keys `order[j]` of `addrs`, lengths `plens[order[j]]`, host bits
   * clear) are sorted by address, then length, then arrival (so routes of one prefix are
   * adjacent and in arrival order). Conflicts are decided as one-by-one inserts in arrival
   * order would decide them. Writes each accepted route's index to `accepted`, and for each
   * prefix j the index of its first route (by priority) to `selected[j]`; returns the number of
   * prefixes (the number accepted is the family's route count). `distinct` promises that no two
   * routes share a prefix (a check the caller's sort pass makes for free); wrong, it throws.
   * @throws {TableError} when the family is not empty or the input breaks those rules.
   */
  protected buildSorted(
    af: AddressFamily,
    addrs: Uint8Array,
    plens: ArrayLike<number>,
    routes: readonly R[],
    order: Int32Array,
    opts: RtableInsertOptions<R>,
    selected: Int32Array,
    distinct = false,
  ): number {
    const art = this.art(af);
    if (art.size !== 0) throw new TableError('bad-bulk-input', `the ${af} table is not empty`);
    const width = art.addressBytes;
    const n = order.length;
    if (distinct) {
      // One route per prefix (the caller compared neighbours already): nothing to join, and in
      // input order (a sorted dump) the routes themselves are the node values.
      let identity = true;
      for (let j = 0; j < n && identity; j++) identity = order[j] === j;
      art.build(addrs, plens, order, n, identity && routes.length === n ? routes : Array.from(order, (i) => routes[i]!));
      selected.set(order);
      this.adjust(art, n);
      return n;
    }
    // Prefixes in place: order[m] names prefix m's first route, values[m] its node value.
    // Sized once: pushing a million values copies the array ~30 times (young-generation garbage).
    const values = new Array<R | R[]>(n);
    let m = 0;
    let count = 0;
    for (let j = 0; j < n; j++) {
      const i = order[j]!;
      const route = routes[i]!;
      if (m > 0 && plens[order[m - 1]!] === plens[i] && sameKey(addrs, order[m - 1]! * width, i * width, width)) {
        const joined = joinRoute(values[m - 1]!, route, opts);
        if (joined === undefined) continue;
        values[m - 1] = joined;
        if ((Array.isArray(joined) ? joined[0] : joined) === route) selected[m - 1] = i;
      } else {
        order[m] = i;
        selected[m] = i;
        values[m++] = route;
      }
      count++;
    }
    art.build(addrs, plens, order, m, values);
    this.adjust(art, count);
    return m;
  }

  /** Removes the route object `route` from `dst`/`plen`; the node goes when its last route does. */
  delete(af: AddressFamily, dst: Uint8Array, plen: number, route: R): boolean {
    return this.deleteRoute(af, dst, plen, route) !== false;
  }

  /**
   * {@link delete} with more detail for subclasses: false when `route` was not there, else the
   * node's first route afterwards (undefined when the node went away).
   */
  protected deleteRoute(af: AddressFamily, dst: Uint8Array, plen: number, route: R): R | undefined | false {
    const art = this.art(af);
    const stored = art.get(dst, plen);
    if (stored === undefined) return false;
    let first: R | undefined;
    if (Array.isArray(stored)) {
      if (!removeRoute(stored, route)) return false;
      if (stored.length === 0) art.delete(dst, plen);
      else first = stored[0];
    } else {
      if (stored !== route) return false;
      art.delete(dst, plen);
    }
    this.adjust(art, -1);
    return first;
  }

  /**
   * The routes of node `dst`/`plen` in priority order, or empty. Read-only: do not mutate. For a
   * node with several routes this is a live view; a one-route node answers with a fresh array.
   */
  routesAt(af: AddressFamily, dst: Uint8Array, plen: number): readonly R[] {
    return listOf(this.art(af).get(dst, plen));
  }

  /** First (best-priority) route of node `dst`/`plen` exactly, or undefined (no list is made). */
  protected firstAt(af: AddressFamily, dst: Uint8Array, plen: number): R | undefined {
    return firstOf(this.art(af).get(dst, plen));
  }

  /**
   * Finds one node (longest match of `dst` when `plen` is undefined, else the exact node) and
   * returns its first route whose priority class equals `prio`'s (any class when `prio` is
   * {@link PRIORITY_ANY}) and that `gwMatch` accepts. Never falls back to a less specific node.
   */
  lookup(af: AddressFamily, dst: Uint8Array, plen: number | undefined, prio: number, gwMatch?: (r: R) => boolean): R | undefined {
    const art = this.art(af);
    const stored = plen === undefined ? art.match(dst)?.value : art.get(dst, plen);
    if (stored === undefined) return undefined;
    const cls = prio & PRIORITY_MASK;
    for (const route of listOf(stored)) {
      if (prio !== PRIORITY_ANY && (route.priority & PRIORITY_MASK) !== cls) continue;
      if (gwMatch === undefined || gwMatch(route)) return route;
    }
    return undefined;
  }

  /** First (best-priority) route of the longest-matching node of `dst`. */
  match(af: AddressFamily, dst: Uint8Array): R | undefined {
    return firstOf(this.art(af).match(dst)?.value);
  }

  /** Longest-matching node of `dst`: its prefix length and routes. */
  matchNode(af: AddressFamily, dst: Uint8Array): RtableMatch<R> | undefined {
    const found = this.art(af).match(dst);
    return found === undefined ? undefined : { plen: found.plen, routes: listOf(found.value) };
  }

  /**
   * Sets `route.priority = newPriority` and moves it after every route of its node whose priority
   * is ≤ the new one. Returns false (nothing changed) when the route is not at `dst`/`plen`.
   */
  reprio(af: AddressFamily, dst: Uint8Array, plen: number, route: R, newPriority: number): boolean {
    return this.reprioRoute(af, dst, plen, route, newPriority) !== undefined;
  }

  /** {@link reprio} for subclasses: undefined when `route` was not there, else the node's first route afterwards. */
  protected reprioRoute(af: AddressFamily, dst: Uint8Array, plen: number, route: R, newPriority: number): R | undefined {
    const stored = this.art(af).get(dst, plen);
    if (stored === undefined) return undefined;
    if (!Array.isArray(stored)) {
      if (stored !== route) return undefined;
      route.priority = newPriority;
      return route;
    }
    if (!removeRoute(stored, route)) return undefined;
    route.priority = newPriority;
    insertByPriority(stored, route);
    return stored[0];
  }

  /**
   * Calls `visit` for every route: inet then inet6 (or only `af`), prefixes in `order` (the
   * table's {@link walkOrder} unless a caller to whom order does not matter asks for the cheaper
   * 'art'), each prefix's routes in list order. A non-zero number returned by `visit` stops the
   * walk and is returned (rtable_walk's error convention); otherwise returns 0. See
   * {@link entries} for what the visitor may change.
   */
  walk(
    visit: (route: R, af: AddressFamily, dst: Uint8Array, plen: number) => number | void,
    af?: AddressFamily,
    order: WalkOrder = this.walkOrder,
  ): number {
    for (const e of this.entries(af, order)) {
      const result = visit(e.route, e.af, e.dst, e.plen);
      if (typeof result === 'number' && result !== 0) return result;
    }
    return 0;
  }

  /**
   * Iterator form of {@link walk}. Safe against mutation: each node's list is snapshotted before
   * its first route is produced, and a snapshotted route is skipped if it has left the node by the
   * time it is reached; so deleting the current route (route flush) or any other route is safe.
   * Routes inserted during the walk may or may not be produced.
   */
  *entries(af?: AddressFamily, order: WalkOrder = this.walkOrder): Generator<RtableWalkEntry<R>, void, undefined> {
    for (const family of af === undefined ? ADDRESS_FAMILIES : [af]) {
      const art = this.art(family);
      if (order === 'art') {
        for (const node of art.entries()) yield* nodeRoutes(family, node.addr, node.plen, node.value);
        continue;
      }
      // The radix order is the ART walk's prefixes sorted; each node is read when its turn comes,
      // so that what the walk's visitor changed meanwhile is seen as in the ART walk.
      for (const p of radixOrder(art.entries(), art.addressBytes)) yield* nodeRoutes(family, p.addr, p.plen, art.get(p.addr, p.plen));
    }
  }

  /** Bulk-load mode for the family: storage grows by doubling until {@link trim}. */
  protected growFast(af: AddressFamily): void {
    this.art(af).growFast();
  }

  /** Drops the family's growth slack (after a bulk load) and ends bulk-load mode. */
  protected trim(af: AddressFamily): void {
    this.art(af).trim();
  }

  private art(af: AddressFamily): ArtTable<R | R[]> {
    if (af === 'inet') return this.inet;
    if (af === 'inet6') return this.inet6;
    throw new TableError('bad-family', `unknown address family ${String(af)}`);
  }

  private adjust(art: ArtTable<R | R[]>, delta: number): void {
    if (art === this.inet) this.inetRoutes += delta;
    else this.inet6Routes += delta;
  }
}

/**
 * The node value once `route` joins a node holding `stored` (a route or a list, mutated in
 * place), or undefined when an existing route conflicts (EEXIST): only routes of the same
 * priority class conflict; without `mpath` any of them does, with it one `sameGateway` matches.
 */
function joinRoute<R extends RtableRoute>(stored: R | R[], route: R, opts: RtableInsertOptions<R>): R | R[] | undefined {
  const prio = route.priority & PRIORITY_MASK;
  if (Array.isArray(stored)) {
    for (const existing of stored) {
      if ((existing.priority & PRIORITY_MASK) !== prio) continue;
      if (!opts.mpath || opts.sameGateway(existing, route)) return undefined;
    }
    insertByPriority(stored, route);
    return stored;
  }
  if ((stored.priority & PRIORITY_MASK) === prio && (!opts.mpath || opts.sameGateway(stored, route))) return undefined;
  return stored.priority > route.priority ? [route, stored] : [stored, route];
}

function sameKey(buf: Uint8Array, a: number, b: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

/** A walk's entries for one node's value (none when it is gone): its routes snapshotted, each produced if still there. */
function* nodeRoutes<R>(af: AddressFamily, dst: Uint8Array, plen: number, live: R | R[] | undefined): Generator<RtableWalkEntry<R>> {
  if (live === undefined) return;
  if (!Array.isArray(live)) {
    yield { af, dst, plen, route: live };
    return;
  }
  for (const route of live.slice()) if (live.includes(route)) yield { af, dst, plen, route };
}

/** A node's first route (its only one, or its list's first), without making a list. */
function firstOf<R>(stored: R | R[] | undefined): R | undefined {
  return Array.isArray(stored) ? stored[0] : stored;
}

/** A node's routes as a list (a one-route node gets a fresh one-element array). */
function listOf<R>(stored: R | R[] | undefined): readonly R[] {
  if (stored === undefined) return NO_ROUTES;
  return Array.isArray(stored) ? stored : [stored];
}
