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
  /** Selected (first) route of each live leaf. */
  route: (R | undefined)[] = [undefined];
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
    }
    this.plen[id] = plen;
    this.parent[id] = parent;
    this.live++;
    return id;
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
    this.route = this.route.slice();
  }

  /** Bytes held by the typed arrays and the route reference array (8 bytes a slot). */
  get byteLength(): number {
    return this.plen.byteLength + this.parent.byteLength + this.route.length * 8;
  }

  private grow(min: number): void {
    const size = Math.max(min, Math.ceil(this.plen.length * 1.5));
    const plen = new Uint8Array(size);
    plen.set(this.plen);
    this.plen = plen;
    const parent = new Int32Array(size);
    parent.set(this.parent);
    this.parent = parent;
  }
}
