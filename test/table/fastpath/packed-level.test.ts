/**
 * PackedLevel in isolation against a flat model: random chunks, then random range edits
 * written back word-wise (in place, or by re-encoding the chunk when its segment is full).
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

function contents(level: PackedLevel, c: number): Int32Array {
  const out = new Int32Array(CHUNK);
  for (let i = 0; i < CHUNK; i++) out[i] = packedEntry(level.node, level.vals, c << NODE_SHIFT, i);
  return out;
}

describe('PackedLevel word-wise updates', () => {
  it('decodeWords + commitWords keep every chunk equal to a flat model', () => {
    fc.assert(fc.property(fc.array(chunkArb, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.nat(), editArb), { maxLength: 40 }), (chunks, edits) => {
      const level = new PackedLevel(8);
      const model = chunks.map((ch) => ch.slice());
      chunks.forEach((ch, i) => {
        level.init(i + 1, 0);
        level.encode(i + 1, ch, 0);
      });
      const scratch = new Int32Array(CHUNK).fill(0x7777);
      for (const [pick, { lo, hi, v }] of edits) {
        const i = pick % chunks.length;
        level.decodeWords(i + 1, lo, hi, scratch);
        for (let k = lo & ~31; k < (((hi - 1) | 31) + 1); k++) expect(scratch[k]).toBe(model[i]![k]);
        for (let k = lo; k < hi; k++) scratch[k] = v;
        model[i]!.fill(v, lo, hi);
        level.commitWords(i + 1, lo, hi, scratch);
        expect(Array.from(contents(level, i + 1))).toEqual(Array.from(model[i]!));
      }
      // Edits shift runs within segments: the other chunks must not have been touched.
      for (let j = 0; j < chunks.length; j++) expect(Array.from(contents(level, j + 1))).toEqual(Array.from(model[j]!));
    }), { numRuns: RUNS });
  });

  it('a chunk whose segment fills up is re-encoded (runs merged again) and stays exact', () => {
    const level = new PackedLevel(4);
    level.init(1, 5);
    const model = new Int32Array(CHUNK).fill(5);
    const scratch = new Int32Array(CHUNK);
    // Alternating single-entry edits split runs until the 1-run segment class overflows repeatedly.
    for (let k = 0; k < CHUNK; k += 3) {
      level.decodeWords(1, k, k + 1, scratch);
      scratch[k] = k % 2;
      model[k] = k % 2;
      level.commitWords(1, k, k + 1, scratch);
      expect(Array.from(contents(level, 1))).toEqual(Array.from(model));
    }
    // And back: painting everything one value leaves a chunk that reads as that value.
    level.decodeWords(1, 0, CHUNK, scratch);
    scratch.fill(9);
    level.commitWords(1, 0, CHUNK, scratch);
    expect(Array.from(contents(level, 1))).toEqual(new Array(CHUNK).fill(9));
  });
});
