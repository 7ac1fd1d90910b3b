/**
 * Per-prefix facts the fast path needs, shared by both families so that a match id names one
 * prefix across the whole table. Ids start at 1: 0 means "no match" in every lookup result.
 * Parallel typed arrays instead of objects: 5 bytes per prefix plus one route reference.
 */
export class LeafStore<R> {
  /** Prefix length of each leaf. */
  plen = new Uint8Array(1024);
  /** Next less specific prefix covering the leaf (0 = none): lets delete find the replacement. */
  parent = new Int32Array(1024);
  /**
   * Selected (first) route of each live leaf. Always a holey array (bulk loads allocate it at
   * its exact size, which makes it holey), so lookups see one elements kind.
   */
  route: (R | undefined)[] = holeyArray(1);
  /** Whether `route` grew by push (and may hold capacity slack for {@link trim} to drop). */
  private routeSlack = false;
  private next = 1;
  private readonly free: number[] = [];
  private live = 0;

  get size(): number {
    return this.live;
  }

  alloc(plen: number, parent: number): number {
    let id = this.free.pop();
    if (id === undefined) {
      id = this.next++;
      if (id >= this.plen.length) this.grow(id + 1);
      this.route.push(undefined);
      this.routeSlack = true;
    }
    this.plen[id] = plen;
    this.parent[id] = parent;
    this.live++;
    return id;
  }

  /**
   * Allocates `m` fresh consecutive ids, the j-th selecting `routes[pick[j]]` (plen and parent
   * are left for the caller), and returns the first: a bulk build numbers its prefixes in table
   * order. The typed arrays grow to the exact size (a bulk load is followed by {@link trim}).
   */
  allocBlock(routes: readonly R[], pick: Int32Array, m: number): number {
    const first = this.next;
    this.next += m;
    if (this.next > this.plen.length) this.grow(this.next, 1);
    // One exact allocation: pushing a million routes would copy the array ~30 times, and that
    // old-space garbage costs full collections of the whole table.
    const old = this.route;
    const route = holeyArray<R | undefined>(this.next);
    for (let i = 0; i < first; i++) route[i] = old[i];
    for (let j = 0; j < m; j++) route[first + j] = routes[pick[j]!];
    this.route = route;
    this.routeSlack = false;
    this.live += m;
    return first;
  }

  release(id: number): void {
    this.route[id] = undefined;
    this.free.push(id);
    this.live--;
  }

  /** Drops growth slack (after a bulk load). */
  trim(): void {
    if (this.plen.length > this.next) {
      this.plen = this.plen.slice(0, this.next);
      this.parent = this.parent.slice(0, this.next);
    }
    if (this.routeSlack) this.route = this.route.slice();
    this.routeSlack = false;
  }

  /** Bytes held by the typed arrays and the route reference array (8 bytes a slot). */
  get byteLength(): number {
    return this.plen.byteLength + this.parent.byteLength + this.route.length * 8;
  }

  private grow(min: number, factor = 1.5): void {
    const size = Math.max(min, Math.ceil(this.plen.length * factor));
    const plen = new Uint8Array(size);
    plen.set(this.plen);
    this.plen = plen;
    const parent = new Int32Array(size);
    parent.set(this.parent);
    this.parent = parent;
  }
}

/** An array of `n` holes (fast holey elements, not a dictionary, in V8 for any n we use). */
function holeyArray<T>(n: number): T[] {
  return new Array<T>(n);
}
