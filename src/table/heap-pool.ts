/**
 * Storage for the heaps of all ART subtables that share one stride length.
 *
 * Every heap has 2^(stride+1) Int32 slots and lives at `id << shift` in one growable Int32Array,
 * so a subtable costs no JS object at all: a 4-bit table is 128 bytes. Slot meaning (as in
 * art.c): [0] reference count, [1] the table's default entry, [2, 2^stride) non-fringe
 * indices, [2^stride, 2^(stride+1)) fringe indices. A heap slot holds 0 (empty), an entry id
 * (> 0) or a negated subtable id (< 0). Id 0 is never handed out so that -id is unambiguous.
 */
export class HeapPool {
  /** log2 of the heap size in slots. */
  readonly shift: number;
  /** The packed heaps. Replaced when the pool grows: never cache it across an `alloc()`. */
  slots: Int32Array;
  /** Live heaps. */
  live = 0;
  /** Growth factor of the buffer: 1.5 normally, 2 during a bulk load (then {@link trim}). */
  growth = 1.5;
  private nextFresh = 1;
  /** Head of the free list; a freed heap keeps the next free id in its slot 0. */
  private freeHead = 0;

  constructor(stride: number, initialHeaps = 4) {
    this.shift = stride + 1;
    this.slots = new Int32Array(initialHeaps << this.shift);
  }

  /** Returns the id of a zeroed heap. */
  alloc(): number {
    const size = 1 << this.shift;
    let id = this.freeHead;
    if (id !== 0) {
      const base = id << this.shift;
      this.freeHead = this.slots[base]!;
      this.slots.fill(0, base, base + size);
    } else {
      // Slot addresses are int32 (id << shift), and a negated id must fit a heap slot.
      if (this.nextFresh >= 2 ** (31 - this.shift)) throw new RangeError(`more than ${this.nextFresh - 1} subtables of one stride`);
      id = this.nextFresh++;
      const end = (id + 1) << this.shift;
      // Grow by half rather than doubling (outside bulk loads): these buffers reach 100+ MB.
      if (end > this.slots.length) this.resize(Math.max(end, Math.ceil((this.slots.length * this.growth) / size) * size));
    }
    this.live++;
    return id;
  }

  /** Grows the buffer once so that `more` further fresh heaps fit (a bulk build knows how many). */
  reserve(more: number): void {
    const end = (this.nextFresh + more) << this.shift;
    if (end > this.slots.length) this.resize(end);
  }

  /** Moves the heaps into a zeroed buffer of `length` slots (at least the current length). */
  private resize(length: number): void {
    const grown = new Int32Array(length);
    grown.set(this.slots);
    this.slots = grown;
  }

  release(id: number): void {
    this.slots[id << this.shift] = this.freeHead;
    this.freeHead = id;
    this.live--;
  }

  /** Drops growth slack: the buffer shrinks to the highest heap id ever handed out. */
  trim(): void {
    this.growth = 1.5;
    const end = this.nextFresh << this.shift;
    if (this.slots.length > end) this.slots = this.slots.slice(0, end);
  }

  /** Bytes reserved by the backing buffer. */
  get byteLength(): number {
    return this.slots.byteLength;
  }
}
