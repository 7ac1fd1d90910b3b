/**
 * Fuzzing the decode error contract: arbitrary bytes and mutated valid messages either
 * decode or throw RtsockDecodeError (nothing else), and whatever decodes re-encodes to the
 * very same bytes. Runs scale with FUZZ_RUNS (npm run fuzz sets 200000; default 2000).
 */
import fc from 'fast-check';
import type { ArchName } from '../../src/abi/dialect.js';
import { decodeMessage, encodeMessage, type CodecOptions, type Message } from '../../src/codec/message.js';
import { decodeMessages, forEachMessage } from '../../src/codec/dump.js';
import { RtsockDecodeError } from '../../src/codec/errors.js';
import { bytesCaseArb, valueCaseArb } from '../codec/arbitraries.js';
import { COMBOS, TYPES, hasKnownBugShape, hex, roundup, unit } from '../codec/helpers.js';

const TOTAL = Number(process.env['FUZZ_RUNS'] ?? 2000);
const share = (f: number) => Math.max(1, Math.ceil(TOTAL * f));
let executed = 0;
afterAll(() => {
  // eslint-disable-next-line no-console
  if (process.env['FUZZ_RUNS']) console.log(`fuzz cases executed: ${executed}`);
});

const ARCHES: ArchName[] = ['amd64', 'i386', 'sparc64'];
const optsArb: fc.Arbitrary<CodecOptions> = fc.record({
  arch: fc.constantFrom<ArchName>(...ARCHES),
  dialect: fc.option(fc.constantFrom('openbsd-4.9' as const, 'openbsd' as const), { nil: undefined, freq: 4 }),
  anyType: fc.option(fc.boolean(), { nil: undefined }),
}).map((o) => { for (const k of Object.keys(o) as (keyof CodecOptions)[]) if (o[k] === undefined) delete o[k]; return o; });

/** The contract for one decode: returns or RtsockDecodeError; a result re-encodes to its bytes. */
function checkOne(b: Uint8Array, opts: CodecOptions, offset = 0): Message | undefined {
  executed++;
  const t0 = performance.now();
  let m: Message;
  try {
    m = decodeMessage(b, opts, offset);
  } catch (e) {
    if (!(e instanceof RtsockDecodeError)) throw new Error(`decode threw ${String(e)} for ${hex(b)} ${JSON.stringify(opts)}`);
    expect(e.offset).toBeGreaterThanOrEqual(offset);
    expect(e.offset).toBeLessThanOrEqual(b.length);
    return undefined;
  }
  expect(performance.now() - t0).toBeLessThan(1000);
  if (hasKnownBugShape(m)) return m;
  let again: Uint8Array;
  try {
    again = encodeMessage(m);
  } catch (e) {
    throw new Error(`re-encoding failed (${String(e)}) for ${hex(b.subarray(offset))} ${JSON.stringify(opts)}`);
  }
  if (hex(again) !== hex(b.subarray(offset, offset + m.msglen))) {
    throw new Error(`re-encoding differs for ${hex(b.subarray(offset, offset + m.msglen))} ${JSON.stringify(opts)}\n got ${hex(again)}`);
  }
  return m;
}

/** Bytes that look like a message head often enough to get past the first checks. */
const headish = fc.record({
  body: fc.uint8Array({ minLength: 0, maxLength: 400 }),
  fixLen: fc.boolean(), version: fc.constantFrom(-1, 4, 5), type: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 24 })),
  hdrlen: fc.oneof(fc.constant(-1), fc.constantFrom(0, 24, 26, 64, 88, 96, 104, 168, 240), fc.integer({ min: 0, max: 400 })),
  le: fc.boolean(),
}).map((r) => {
  const b = r.body;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (r.fixLen && b.length >= 2) dv.setUint16(0, b.length, r.le);
  if (r.version >= 0 && b.length >= 3) b[2] = r.version;
  if (r.type >= 0 && b.length >= 4) b[3] = r.type;
  if (r.hdrlen >= 0 && b.length >= 6) dv.setUint16(4, r.hdrlen, r.le);
  return b;
});

describe('fuzz: decode error contract', () => {
  test('arbitrary bytes', () => {
    fc.assert(fc.property(headish, optsArb, (b, opts) => { checkOne(b, opts); }), { numRuns: share(0.25) });
  });

  test('arbitrary bytes as a dump: decodeMessages returns or throws RtsockDecodeError; messages re-encode in place', () => {
    fc.assert(fc.property(fc.array(headish, { maxLength: 4 }), optsArb, (parts, opts) => {
      const b = new Uint8Array(Buffer.concat(parts));
      executed++;
      try {
        decodeMessages(b, opts);
      } catch (e) {
        if (!(e instanceof RtsockDecodeError)) throw e;
        return;
      }
      forEachMessage(b, (m, off) => {
        if (hasKnownBugShape(m)) return;
        expect(hex(encodeMessage(m))).toBe(hex(b.subarray(off, off + m.msglen)));
      }, undefined, opts);
    }), { numRuns: share(0.15) });
  });

  // A corpus of valid messages of every dialect/arch/type, built once; mutations are cheap.
  const corpus: { bytes: Uint8Array; arch: ArchName; u: number; le: boolean; hdrlen: number }[] = [];
  beforeAll(() => {
    for (const [d, arch] of COMBOS) {
      for (const [name, type, hdr] of TYPES[d]) {
        for (const c of fc.sample(bytesCaseArb(d, arch, type, hdr), 4)) corpus.push(meta(c.bytes, arch));
        for (const c of fc.sample(valueCaseArb(d, arch, name, type, hdr), 4)) corpus.push(meta(encodeMessage(c.input, c.opts), arch));
      }
    }
    expect(corpus.length).toBeGreaterThan(200);
  });
  function meta(bytes: Uint8Array, arch: ArchName) {
    const le = arch !== 'sparc64';
    const hdrlen = new DataView(bytes.buffer, bytes.byteOffset).getUint16(4, le);
    return { bytes: new Uint8Array(bytes), arch, u: unit(arch), le, hdrlen };
  }

  /** Offsets of the sockaddrs of a valid message (walking sa_len from hdrlen). */
  function saOffsets(b: Uint8Array, start: number, u: number): number[] {
    const out: number[] = [];
    for (let p = start; p + 1 < b.length && out.length < 16; p += roundup(b[p]!, u)) out.push(p);
    return out;
  }

  const mutation = fc.oneof(
    fc.record({ k: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ k: fc.constant('byte' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ k: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ k: fc.constant('msglen' as const), v: fc.oneof(fc.integer({ min: -16, max: 16 }), fc.integer({ min: -70000, max: 70000 })) }),
    fc.record({ k: fc.constant('hdrlen' as const), v: fc.oneof(fc.integer({ min: -16, max: 16 }), fc.integer({ min: 0, max: 0xffff })) }),
    fc.record({ k: fc.constant('salen' as const), at: fc.nat(), v: fc.oneof(fc.integer({ min: -9, max: 9 }), fc.integer({ min: 0, max: 255 })) }),
    fc.record({ k: fc.constant('family' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ k: fc.constant('addrs' as const), v: fc.integer({ min: -0x80000000, max: 0x7fffffff }) }),
    fc.record({ k: fc.constant('append' as const), v: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  );

  test('mutated valid messages (bit flips, truncation, msglen/hdrlen/sa_len/addrs corruption)', () => {
    fc.assert(fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.nat(), (pick, muts, wrongArch, pad) => {
      const c = corpus[pick % corpus.length]!;
      let b: Uint8Array = new Uint8Array(c.bytes);
      for (const m of muts) {
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        const sas = saOffsets(b, c.hdrlen || 0, c.u);
        switch (m.k) {
          case 'flip': if (b.length) b[m.at % b.length]! ^= 1 << m.bit; break;
          case 'byte': if (b.length) b[m.at % b.length] = m.v; break;
          case 'truncate': b = b.slice(0, m.at % (b.length + 1)); break;
          case 'msglen': if (b.length >= 2) dv.setUint16(0, (dv.getUint16(0, c.le) + m.v) & 0xffff, c.le); break;
          case 'hdrlen': if (b.length >= 6) dv.setUint16(4, (dv.getUint16(4, c.le) + m.v) & 0xffff, c.le); break;
          case 'salen': if (sas.length) { const p = sas[m.at % sas.length]!; if (p < b.length) b[p] = (b[p]! + m.v) & 0xff; } break;
          case 'family': if (sas.length) { const p = sas[m.at % sas.length]! + 1; if (p < b.length) b[p] = m.v; } break;
          case 'addrs': if (b.length >= 16) dv.setInt32(12, m.v, c.le); break;
          case 'append': b = new Uint8Array(Buffer.concat([b, m.v])); break;
        }
      }
      const arch = wrongArch ? ARCHES[pad % 3]! : c.arch;
      // at an offset inside a larger buffer, too
      const off = pad % 5;
      const buf = new Uint8Array(off + b.length);
      buf.set(b, off);
      checkOne(buf, { arch }, off);
      checkOne(b, { arch, anyType: true });
    }), { numRuns: share(0.6) });
  });
});
