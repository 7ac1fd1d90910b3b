/**
 * Small zeroed byte arrays carved from 64 KiB slabs. On Node 20 a fresh ArrayBuffer per
 * message or sockaddr costs more than building it (backing-store allocation plus external
 * memory accounting that drives GC), and ~100 bytes of heap each; a view into a slab costs
 * neither. Slabs are never reused, so every view starts zeroed; a slab is freed once no
 * view into it is left. Views share their ArrayBuffer: always honour byteOffset.
 */
const SLAB_SIZE = 64 * 1024;
const LARGE = 2048;

let slab = new Uint8Array(SLAB_SIZE);
// The slab's ArrayBuffer, kept apart: reading `.buffer` per view cost ~30% of a zeroed() call.
let slabBuffer = slab.buffer;
let slabView = new DataView(slabBuffer);
let used = 0;
// 16- and 32-bit aliases of the slab, made on first use: a message header written a field at a
// time through them costs a third of the same fields written byte by byte.
let slab16: Uint16Array | undefined;
let slab32: Int32Array | undefined;

/** Largest n for which zeroed(n) is a view of the current slab, at an offset that is a multiple of 8. */
export const SLAB_VIEW_MAX = LARGE;

/** A zeroed array of n bytes. */
export function zeroed(n: number): Uint8Array {
  if (n > LARGE) return new Uint8Array(n);
  if (used + n > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabBuffer = slab.buffer;
    slabView = new DataView(slabBuffer);
    slab16 = undefined;
    slab32 = undefined;
    used = 0;
  }
  // A view constructor is about half the cost of subarray() (no species lookup).
  const v = new Uint8Array(slabBuffer, used, n);
  used += (n + 7) & ~7;
  return v;
}

/**
 * The current slab as 16-bit units: `zeroed(n)`'s result for n <= SLAB_VIEW_MAX, `out`, holds its
 * byte i at index (out.byteOffset + i) / 2 until the next zeroed() call. Host byte order.
 */
export function slabHalves(): Uint16Array {
  return (slab16 ??= new Uint16Array(slabBuffer));
}

/** The current slab as 32-bit words, as {@link slabHalves}. */
export function slabWords(): Int32Array {
  return (slab32 ??= new Int32Array(slabBuffer));
}

/** A copy of `src` in slab memory. */
export function copyOf(src: Uint8Array): Uint8Array {
  const v = zeroed(src.length);
  v.set(src);
  return v;
}

// Route data (IPv6 destinations, gateways) lives as long as its route; messages live until
// read. Sharing slabs would let a few long-lived bytes pin whole 64 KiB slabs of dead messages,
// so long-lived copies come from slabs of their own.
let keepSlab = new Uint8Array(SLAB_SIZE);
let keepBuffer = keepSlab.buffer;
let keepUsed = 0;

/** A copy of `src` for data that lives as long as a route (never in a message slab). */
export function keep(src: Uint8Array): Uint8Array {
  const n = src.length;
  if (n > LARGE) return new Uint8Array(src);
  if (keepUsed + n > SLAB_SIZE) {
    keepSlab = new Uint8Array(SLAB_SIZE);
    keepBuffer = keepSlab.buffer;
    keepUsed = 0;
  }
  const v = new Uint8Array(keepBuffer, keepUsed, n);
  v.set(src);
  keepUsed += (n + 7) & ~7;
  return v;
}

/** A zeroed array plus a DataView to write it through at `base` (shared: no DataView per message). */
export function zeroedWithView(n: number): { bytes: Uint8Array; view: DataView; base: number } {
  const bytes = zeroed(n);
  if (bytes.buffer !== slabBuffer) return { bytes, view: new DataView(bytes.buffer), base: 0 };
  return { bytes, view: slabView, base: bytes.byteOffset };
}

/** A DataView over exactly `b`. */
export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

// Many routes share a gateway sockaddr (a full table has a handful of next hops): routes
// keep one shared, never-mutated copy per distinct value, found through a small
// direct-mapped cache (bounded memory; a miss just makes another copy).
const INTERN_SLOTS = 1024;
const interned: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(INTERN_SLOTS);

/** A read-only copy of `b`, shared with earlier callers that passed equal bytes. */
export function internBytes(b: Uint8Array): Uint8Array {
  return internBytesAt(b, 0, b.length);
}

/** {@link internBytes} of `b[pos..pos+len)` (no view needed: none is made on a hit). */
export function internBytesAt(b: Uint8Array, pos: number, len: number): Uint8Array {
  let h = len;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ b[pos + i]!, 0x01000193);
  const slot = (h >>> 0) % INTERN_SLOTS;
  const hit = interned[slot];
  if (hit && hit.length === len) {
    let same = true;
    for (let i = 0; i < len && same; i++) same = hit[i] === b[pos + i];
    if (same) return hit;
  }
  const copy = keep(b.subarray(pos, pos + len));
  interned[slot] = copy;
  return copy;
}
