/**
 * PackedLevel in isolation against a flat model: random chunks, then random range edits (run
 * values replaced in place, or the chunk opened), with few open slots so that chunks are packed
 * again and reopened all the time.
 */
import fc from 'fast-check';
import { PackedLevel, packedEntry, NODE_SHIFT } from '../../../src/table/fastpath/packed-level.js';

const CHUNK = 256;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** 256 entries made of a few runs of small values (as leaf-pushed chunks look). */
const chunkArb = fc.array(fc.tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: -3, max: 6 })), { minLength: 1, maxLength: 12 })
  .map((runs) => {
    const out = new Int32Array(CHUNK);
    let i = 0;
    for (let r = 0; i < CHUNK; r = (r + 1) % runs.length) {
      const [len, v] = runs[r]!;
      for (let k = 0; k < len && i < CHUNK; k++) out[i++] = v;
    }
    return out;
  });
const editArb = fc.tuple(fc.integer({ min: 0, max: CHUNK - 1 }), fc.integer({ min: 1, max: CHUNK }), fc.integer({ min: -3, max: 9 }))
  .map(([lo, len, v]) => ({ lo, hi: Math.min(CHUNK, lo + len), v }));

/** What a lookup reads for every entry of chunk `c`. */
function contents(level: PackedLevel, c: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < CHUNK; i++) out.push(packedEntry(level.node, level.vals, c << NODE_SHIFT, i));
  return out;
}

/** Every chunk reads as its model, through lookups and get() (first mismatch reported). */
function expectAll(level: PackedLevel, model: Int32Array[]): void {
  model.forEach((m, c) => {
    for (let i = 0; i < CHUNK; i++) {
      const got = packedEntry(level.node, level.vals, (c + 1) << NODE_SHIFT, i);
      if (got !== m[i] || level.get(c + 1, i) !== got) expect([c + 1, i, contents(level, c + 1)]).toEqual([c + 1, i, Array.from(m)]);
    }
  });
}

describe('PackedLevel open chunks', () => {
  it('edits (run values replaced, or chunks opened), with chunks packed and reopened as slots run out, keep every chunk equal to a flat model', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.array(chunkArb, { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(fc.nat(), editArb), { maxLength: 40 }), (open, chunks, edits) => {
      const level = new PackedLevel(8, open);
      const model = chunks.map((ch) => ch.slice());
      chunks.forEach((ch, i) => {
        level.init(i + 1, 0);
        level.encode(i + 1, ch, 0);
      });
      expectAll(level, model);
      const scratch = new Int32Array(CHUNK).fill(0x7777);
      for (const [pick, { lo, hi, v }] of edits) {
        const i = pick % chunks.length;
        const arr = level.edit(i + 1, lo, hi, scratch);
        const base = level.editBase(i + 1);
        const from = lo & ~31;
        const to = ((hi - 1) | 31) + 1;
        expect(Array.from(arr.subarray(base + from, base + to))).toEqual(Array.from(model[i]!.subarray(from, to)));
        arr.fill(v, base + lo, base + hi);
        model[i]!.fill(v, lo, hi);
        level.commit(i + 1, lo, hi, scratch);
        // Lookups between edits: the edited chunk and every other one (some packed again meanwhile).
        expectAll(level, model);
      }
    }), { numRuns: RUNS });
  });

  it('giving whole runs new values keeps the chunk packed; splitting a run opens it', () => {
    const level = new PackedLevel(4, 1);
    const model = new Int32Array(CHUNK).fill(1, 0, 64).fill(2, 64, 128).fill(3, 128);
    level.init(1, 0);
    level.encode(1, model, 0);
    const scratch = new Int32Array(CHUNK);
    level.edit(1, 64, 128, scratch).fill(9, 64, 128);
    level.commit(1, 64, 128, scratch);
    model.fill(9, 64, 128);
    expectAll(level, [model]);
    expect(level.edit(1, 0, 128, scratch)).toBe(scratch); // still packed
    // Two runs at once, each given its own new value (a prefix spanning a child's entries).
    scratch.fill(7, 0, 64).fill(8, 64, 128);
    level.commit(1, 0, 128, scratch);
    model.fill(7, 0, 64).fill(8, 64, 128);
    expectAll(level, [model]);
    expect(level.edit(1, 64, 65, scratch)).toBe(scratch); // still packed
    scratch[64] = 5;
    level.commit(1, 64, 65, scratch);
    model[64] = 5;
    expectAll(level, [model]);
    expect(level.edit(1, 0, 1, scratch)).toBe(level.vals); // open now
  });

  it('freed and re-initialised chunks, open or packed, read right and reuse their segments', () => {
    const level = new PackedLevel(16, 2);
    const model: Int32Array[] = [];
    for (let c = 1; c <= 8; c++) {
      level.init(c, c);
      model.push(new Int32Array(CHUNK).fill(c));
    }
    let x = 7;
    const rnd = (n: number): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n;
    const scratch = new Int32Array(CHUNK);
    let peak = 0;
    for (let round = 0; round < 2000; round++) {
      const c = 1 + rnd(8);
      if (rnd(5) === 0) {
        level.free(c);
        level.init(c, -c);
        model[c - 1]!.fill(-c);
      } else {
        const k = rnd(CHUNK);
        level.edit(c, k, k + 1, scratch)[level.editBase(c) + k] = round;
        level.commit(c, k, k + 1, scratch);
        model[c - 1]![k] = round;
      }
      if (round % 50 === 0) expectAll(level, model);
      if (round === 1000) peak = level.vals.length;
    }
    expectAll(level, model);
    // Segments go back to their free lists: churn does not keep growing the values array.
    expect(level.vals.length).toBe(peak);
  });
});
