/**
 * Dumps and streams: decodeMessages / forEachMessage / iterateMessages over concatenated
 * messages, skipping of unknown versions and types, and MessageFramer / messagesFrom /
 * MessageDecoderStream fed the same bytes in random chunks.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { decodeMessage, encodeMessage, type MessageInput } from '../../src/codec/message.js';
import {
  MessageDecoderStream, MessageFramer, decodeMessages, forEachMessage, iterateMessages, messagesFrom, type DumpItem,
} from '../../src/codec/dump.js';
import { RtsockDecodeError } from '../../src/codec/errors.js';
import { bytesCaseArb } from './arbitraries.js';
import { hex } from './helpers.js';

const cat = (...p: Uint8Array[]) => new Uint8Array(Buffer.concat(p));
const inet = (addr: string) => ({ kind: 'inet', addr, port: 0 }) as const;

const route49 = encodeMessage({ type: 'RTM_GET', seq: 1, sockaddrs: { dst: inet('10.0.0.0'), gateway: inet('10.0.0.1'), netmask: { kind: 'inet', len: 7, family: 255, addr: '255.255.255.0', port: 0xffff } } });
const ifinfo49 = encodeMessage({ type: 'RTM_IFINFO', index: 1, flags: 0x8843, sockaddrs: { ifp: { kind: 'link', index: 1, type: 6, name: 'em0', lladdr: '00:11:22:33:44:55' } } });
const newaddr49 = encodeMessage({ type: 'RTM_NEWADDR', index: 1, sockaddrs: { netmask: { kind: 'inet', len: 7, family: 0, addr: '255.255.255.0', port: 0 }, ifa: inet('10.0.0.5') } });
const announce = encodeMessage({ type: 'RTM_IFANNOUNCE', index: 3, what: 1, name: 'vlan0' });
const desync49 = encodeMessage({ type: 'RTM_DESYNC' });
const routeCur = encodeMessage({ type: 'RTM_ADD', dialect: 'openbsd', sockaddrs: { dst: { kind: 'inet6', addr: '2001:db8::', port: 0, flowinfo: 0, scope_id: 0 } } });
const ieee = encodeMessage({ type: 'RTM_80211INFO', dialect: 'openbsd', index: 2 });
const chgaddr = encodeMessage({ type: 'RTM_CHGADDRATTR', dialect: 'openbsd', sockaddrs: { ifa: inet('192.168.1.1') } });
/** Version 3: no dialect; 40 bytes of something else. */
const v3 = (() => { const b = new Uint8Array(40).fill(0xab); b[0] = 40; b[1] = 0; b[2] = 3; b[3] = 1; return b; })();
/** Version 4 with type 9 (no such 4.9 type). */
const type9 = (() => { const b = new Uint8Array(encodeMessage({ type: 'RTM_GET' })); b[3] = 9; return b; })();

const POOL = [route49, ifinfo49, newaddr49, announce, desync49, routeCur, ieee, chgaddr, v3, type9];

function norm(items: DumpItem[]): unknown[] {
  return items.map((it) => ('message' in it
    ? { offset: it.offset, message: it.message }
    : { offset: it.offset, skipped: { offset: it.skipped.offset, code: it.skipped.error.code, at: it.skipped.error.offset, bytes: hex(it.skipped.bytes) } }));
}

describe('decodeMessages', () => {
  test('concatenated messages of mixed types and dialects split correctly', () => {
    const parts = [route49, ifinfo49, newaddr49, announce, desync49, routeCur, ieee, chgaddr];
    const dump = cat(...parts);
    const { messages, skipped } = decodeMessages(dump);
    expect(skipped).toEqual([]);
    expect(messages.map((m) => [m.type, m.hdr, m.msglen])).toEqual([
      [4, 'rt_msghdr', 88 + 16 + 16 + 8], [14, 'if_msghdr', 240 + 24], [12, 'ifa_msghdr', 24 + 8 + 16], [15, 'if_announcemsghdr', 26],
      [16, 'rt_msghdr', 88], [1, 'rt_msghdr', 96 + 32], [21, 'if_ieee80211_msghdr', 64], [20, 'ifa_msghdr', 96 + 16],
    ]);
    expect(messages).toEqual(parts.map((p) => decodeMessage(p)));
    const offsets: number[] = [];
    forEachMessage(dump, (_m, off) => offsets.push(off));
    let o = 0;
    expect(offsets).toEqual(parts.map((p) => { const at = o; o += p.length; return at; }));
  });

  test('an unknown-version message in the middle is skipped, reported with its bytes, and the rest decoded', () => {
    const dump = cat(route49, v3, announce, type9, desync49);
    const { messages, skipped } = decodeMessages(dump);
    expect(messages.map((m) => m.type)).toEqual([4, 15, 16]);
    expect(skipped).toHaveLength(2);
    const at1 = route49.length, at2 = at1 + v3.length + announce.length;
    expect(skipped[0]).toMatchObject({ offset: at1, error: { code: 'UNKNOWN_VERSION', offset: at1 + 2 } });
    expect(hex(skipped[0]!.bytes)).toBe(hex(v3));
    expect(skipped[1]).toMatchObject({ offset: at2, error: { code: 'UNKNOWN_TYPE', offset: at2 + 3 } });
    expect(hex(skipped[1]!.bytes)).toBe(hex(type9));
    const items = [...iterateMessages(dump)];
    expect(items.map((i) => ('message' in i ? 'm' : 's'))).toEqual(['m', 's', 'm', 's', 'm']);
    expect(items.map((i) => i.offset)).toEqual([0, at1, at1 + v3.length, at2, at2 + type9.length]);
  });

  test('a forced dialect decodes every version instead of skipping', () => {
    const odd = new Uint8Array(route49);
    odd[2] = 9;
    const { messages, skipped } = decodeMessages(cat(route49, odd), { dialect: 'openbsd-4.9' });
    expect(skipped).toEqual([]);
    expect(messages.map((m) => m.version)).toEqual([4, 9]);
  });

  test('sparc64 dumps are framed big-endian', () => {
    const a = encodeMessage({ type: 'RTM_GET', arch: 'sparc64', sockaddrs: { dst: inet('1.2.3.4') } });
    const b = encodeMessage({ type: 'RTM_IFANNOUNCE', arch: 'sparc64', name: 'em0' });
    const { messages } = decodeMessages(cat(a, b), { arch: 'sparc64' });
    expect(messages.map((m) => [m.type, m.msglen, m.arch])).toEqual([[4, 104, 'sparc64'], [15, 26, 'sparc64']]);
  });

  test('framing errors throw with the offset: trailing bytes, msglen < 4, msglen past the end', () => {
    const n = route49.length;
    const err = (b: Uint8Array) => { try { decodeMessages(b); } catch (e) { return e as RtsockDecodeError; } throw new Error('no error'); };
    expect(err(cat(route49, Uint8Array.of(1, 2, 3)))).toMatchObject({ code: 'SHORT_BUFFER', offset: n });
    expect(err(cat(route49, Uint8Array.of(0, 0, 4, 4, 0, 0)))).toMatchObject({ code: 'BAD_MSGLEN', offset: n });
    expect(err(cat(route49, Uint8Array.of(3, 0, 4, 4, 0, 0)))).toMatchObject({ code: 'BAD_MSGLEN', offset: n });
    expect(err(cat(route49, route49.subarray(0, 50)))).toMatchObject({ code: 'BAD_MSGLEN', offset: n });
    const badHdr = new Uint8Array(desync49);
    badHdr[4] = 10;
    expect(err(cat(route49, badHdr))).toMatchObject({ code: 'BAD_HDRLEN', offset: n + 4 });
    // an unknown-version message shorter than any header is still skipped by its msglen
    const tiny = Uint8Array.of(4, 0, 1, 1);
    expect(decodeMessages(cat(tiny, announce)).skipped[0]).toMatchObject({ offset: 0, error: { code: 'UNKNOWN_VERSION' } });
    expect(decodeMessages(new Uint8Array(0))).toEqual({ messages: [], skipped: [] });
  });
});

/** Splits `b` at the given chunk sizes (cycled). */
function chunks(b: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, k = 0; i < b.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(b.slice(i, i + n));
    i += n;
  }
  return out;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const dumpArb = fc.array(fc.oneof(
  { arbitrary: fc.constantFrom(...POOL), weight: 3 },
  bytesCaseArb('openbsd-4.9', 'amd64', 4, 'rt_msghdr').map((c) => c.bytes),
  bytesCaseArb('openbsd', 'amd64', 12, 'ifa_msghdr').map((c) => c.bytes),
), { maxLength: 8 }).map((parts) => cat(...parts));
const sizesArb = fc.array(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 400 })), { minLength: 1, maxLength: 10 });

describe('streams yield exactly what iterateMessages yields', () => {
  test('MessageFramer.push over random chunks', () => {
    fc.assert(fc.property(dumpArb, sizesArb, (dump, sizes) => {
      const expected = norm([...iterateMessages(dump)]);
      const f = new MessageFramer();
      const got: DumpItem[] = [];
      for (const c of chunks(dump, sizes)) got.push(...f.push(c));
      f.end();
      expect(norm(got)).toEqual(expected);
      expect(got.filter((i) => 'message' in i).length).toBe(decodeMessages(dump).messages.length);
    }), { numRuns: 80 });
  });

  test('messagesFrom (sync and async iterables) over random chunks', async () => {
    await fc.assert(fc.asyncProperty(dumpArb, sizesArb, async (dump, sizes) => {
      const expected = norm([...iterateMessages(dump)]);
      expect(norm(await collect(messagesFrom(chunks(dump, sizes))))).toEqual(expected);
      async function* gen() { for (const c of chunks(dump, sizes)) yield c; }
      expect(norm(await collect(messagesFrom(gen())))).toEqual(expected);
    }), { numRuns: 60 });
  });

  test('MessageDecoderStream over random chunks', async () => {
    await fc.assert(fc.asyncProperty(dumpArb, sizesArb, async (dump, sizes) => {
      const expected = norm([...iterateMessages(dump)]);
      const s = Readable.from(chunks(dump, sizes).map((c) => Buffer.from(c)), { objectMode: false }).pipe(new MessageDecoderStream());
      expect(norm(await collect<DumpItem>(s))).toEqual(expected);
    }), { numRuns: 40 });
  });

  test('a stream that ends inside a message fails with SHORT_BUFFER at the message start', async () => {
    const dump = cat(route49, announce.subarray(0, 10));
    const f = new MessageFramer();
    expect([...f.push(dump)]).toHaveLength(1);
    expect(() => f.end()).toThrow(expect.objectContaining({ code: 'SHORT_BUFFER', offset: route49.length }));
    await expect(collect(messagesFrom([dump]))).rejects.toMatchObject({ code: 'SHORT_BUFFER', offset: route49.length });
    const s = Readable.from([Buffer.from(dump)]).pipe(new MessageDecoderStream());
    await expect(collect(s)).rejects.toMatchObject({ code: 'SHORT_BUFFER', offset: route49.length });
  });

  test('msglen < 4 in a stream fails with BAD_MSGLEN at the stream offset', () => {
    const f = new MessageFramer();
    [...f.push(route49)];
    expect(() => [...f.push(Uint8Array.of(2, 0, 4, 4))]).toThrow(expect.objectContaining({ code: 'BAD_MSGLEN', offset: route49.length }));
  });

  test('sparc64 streams frame big-endian', async () => {
    const a = encodeMessage({ type: 'RTM_GET', arch: 'sparc64', sockaddrs: { dst: inet('1.2.3.4') } });
    const dump = cat(a, a);
    const items = await collect(messagesFrom(chunks(dump, [3, 50]), { arch: 'sparc64' }));
    expect(items.map((i) => i.offset)).toEqual([0, a.length]);
  });

  test('regression (BUG 6, fixed): a decode error inside a framed message carries the stream offset, as decodeMessages reports it', () => {
    const badHdr = new Uint8Array(desync49);
    badHdr[4] = 10; // hdrlen 10 inside the 88-byte header
    const dump = cat(route49, badHdr);
    let want: RtsockDecodeError | undefined;
    try { decodeMessages(dump); } catch (e) { want = e as RtsockDecodeError; }
    expect(want).toMatchObject({ code: 'BAD_HDRLEN', offset: route49.length + 4 });
    const f = new MessageFramer();
    expect(() => [...f.push(dump)]).toThrow(expect.objectContaining({ code: 'BAD_HDRLEN', offset: route49.length + 4 }));
  });
});

export type { MessageInput };
