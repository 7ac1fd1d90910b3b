/**
 * The codec's hot-path shortcuts must be invisible: the unrolled IPv4 parser accepts exactly
 * what the general state machine did, the per-slot text cache never changes a result, shared
 * small bigints decode like fresh ones, and the one-comparison integer checks of the header
 * writer reject what the old typeof/isInteger/range checks rejected.
 */
import fc from 'fast-check';
import { parseIPv4, parseIPv4Into, parseIPv6, formatIPv4Value, formatIPv6 } from '../../src/codec/bytes.js';
import { formatV6 } from '../../src/addr/parse.js';
import { writeIPv4Text, writeIPv6Text } from '../../src/codec/addr-text-cache.js';
import { decodeMessage, encodeMessage, encodeMessageInto, type CodecOptions, type MessageInput } from '../../src/codec/message.js';
import { fastRouteSwitch } from '../../src/codec/fast-route.js';
import { RtsockEncodeError } from '../../src/codec/errors.js';

/** The previous parser: per-character state machine (the reference). */
function reference(s: string): number[] | undefined {
  const n = s.length;
  if (n < 7 || n > 15) return undefined;
  const b: number[] = [];
  let v = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || v > 255 || b.length > 3) return undefined;
      b.push(v);
      v = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      v = v * 10 + (c - 48);
      digits++;
    } else {
      return undefined;
    }
  }
  return b.length === 4 ? b : undefined;
}

const quadish = fc.stringMatching(/^[0-9.]{0,16}$/);
const anyText = fc.oneof(quadish, fc.string({ maxLength: 16 }), fc.ipV4().map((a) => `${a}`), fc.ipV4Extended());

describe('IPv4 text parsing', () => {
  test('parseIPv4Into agrees with the reference state machine', () => {
    fc.assert(fc.property(anyText, (s) => {
      const out = new Uint8Array(6);
      const ok = parseIPv4Into(s, out, 1);
      const ref = reference(s);
      expect(ok).toBe(ref !== undefined);
      if (ref) expect([...out.subarray(1, 5)]).toEqual(ref);
      else expect([...out]).toEqual([0, 0, 0, 0, 0, 0]);
    }), { numRuns: 5000 });
  });

  test.each([
    ['1.2.3.4', [1, 2, 3, 4]], ['255.255.255.255', [255, 255, 255, 255]], ['001.02.3.000', [1, 2, 3, 0]],
    ['1.2.3.4.', undefined], ['1.2.3', undefined], ['1..2.3', undefined], ['.1.2.3', undefined], ['1.2.3.4444', undefined],
    ['1111.2.3.4', undefined], ['256.0.0.1', undefined], ['1.2.3.-4', undefined], ['1.2.3.4 ', undefined], ['1.2.3.4x', undefined],
  ])('parseIPv4(%j)', (s, want) => {
    const b = parseIPv4(s);
    expect(b ? [...b] : undefined).toEqual(want);
  });

  test('the per-slot cache gives what parsing gives, hit or miss, and keeps no invalid text', () => {
    const texts = ['192.0.2.1', '192.0.2.2', '10.0.0.1', '255.255.255.0', '1.2.3.256', 'nope', '192.0.2.1', '10.0.0.1'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...texts), { maxLength: 200 }), fc.integer({ min: 0, max: 15 }), (seq, slot) => {
      for (const s of seq) {
        const a = new Uint8Array(4);
        const b = new Uint8Array(4);
        expect(writeIPv4Text(s, a, 0, slot)).toBe(parseIPv4Into(s, b, 0));
        expect([...a]).toEqual([...b]);
      }
    }));
  });

  test('a slot that keeps missing (unique destinations) still parses every text right', () => {
    for (let i = 0; i < 5000; i++) {
      const s = `${1 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.${i % 7}`;
      const a = new Uint8Array(4);
      expect(writeIPv4Text(s, a, 0, 0)).toBe(true);
      expect([...a]).toEqual(reference(s));
    }
  });

  test('formatIPv4Value prints every address the same whether cached or not', () => {
    fc.assert(fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (v) => {
      const want = [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
      for (let k = 0; k < 3; k++) expect(formatIPv4Value(v)).toBe(want);
    }), { numRuns: 3000 });
  });
});

describe('IPv6 text cache', () => {
  // Masks of every length (they differ in the middle and share their ends), a gateway, a few
  // invalid texts, and texts too short to be looked up: hits, misses, way clashes and pauses.
  const masks = Array.from({ length: 129 }, (_, bits) =>
    Array.from({ length: 8 }, (_, i) => ((0xffff0000 >>> Math.min(16, Math.max(0, bits - 16 * i))) & 0xffff).toString(16)).join(':').replace(/(:0)+$/, '::'));
  const texts = [...masks, '2001:db8::1', 'fe80::1', '::', '::1', '1::', 'ffff:ffff:fe00::', '1:2:3:4:5:6:7:8:9', 'ffff::ffff::', 'x', '', '::ffff:192.0.2.1'];

  test('the per-slot cache gives what parsing gives, hit or miss, and keeps no invalid text', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...texts), { maxLength: 400 }), fc.integer({ min: 0, max: 15 }), (seq, slot) => {
      for (const s of seq) {
        const a = new Uint8Array(19).fill(0xee);
        const want = parseIPv6(s);
        expect(writeIPv6Text(s, a, 3, slot)).toBe(want !== undefined);
        if (want) expect([...a.subarray(3)]).toEqual([...want]);
      }
    }), { numRuns: 200 });
  });

  test('a slot that keeps missing (unique addresses) still parses every text right', () => {
    for (let i = 0; i < 5000; i++) {
      const s = `2001:db8:${(i >>> 4).toString(16)}:${(i & 15).toString(16)}::${i % 7}`;
      const a = new Uint8Array(16);
      expect(writeIPv6Text(s, a, 0, 2)).toBe(true);
      expect([...a]).toEqual([...parseIPv6(s)!]);
    }
  });
});

describe('decoded text caches', () => {
  test('formatIPv6 prints every address as the uncached formatter does, hit, miss or slot clash', () => {
    // Few distinct addresses, each printed several times in random order: hits, misses and
    // evictions (1024 slots) all happen.
    const pool = fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { minLength: 1, maxLength: 3000 });
    fc.assert(fc.property(pool, fc.array(fc.nat(), { minLength: 1, maxLength: 6000 }), (addrs, picks) => {
      for (const p of picks) {
        const a = addrs[p % addrs.length]!;
        expect(formatIPv6(a, 0)).toBe(formatV6(a, 0));
      }
    }), { numRuns: 20 });
  });

  test('link sockaddrs decode the same name and lladdr texts whether cached or not', () => {
    const link = fc.record({
      index: fc.integer({ min: 0, max: 0xffff }), type: fc.nat(255),
      name: fc.constantFrom('', 'em0', 'em1', 'lo0', 'vether12', 'a'),
      lladdr: fc.constantFrom('', '00:11:22:33:44:55', '00:11:22:33:44:56', 'fe:e1:ba:d4:c8:1d', '01'),
    });
    fc.assert(fc.property(fc.array(link, { minLength: 1, maxLength: 200 }), (links) => {
      for (const l of [...links, ...links]) {
        const m = decodeMessage(encodeMessage({ dialect: 'openbsd', type: 'RTM_IFINFO', sockaddrs: { ifp: { kind: 'link', ...l } } }));
        expect((m['sockaddrs'] as Record<string, unknown>)['ifp']).toMatchObject({ kind: 'link', family: 18, ...l });
      }
    }), { numRuns: 30 });
  });
});

function route(dialect: 'openbsd' | 'openbsd-4.9', extra: Partial<MessageInput> = {}): MessageInput {
  return {
    dialect, type: 'RTM_GET', flags: 0x843, seq: 7, pid: 42,
    sockaddrs: {
      dst: { kind: 'inet', addr: '10.1.2.0', port: 0 },
      gateway: { kind: 'inet', addr: '192.0.2.1', port: 0 },
      netmask: { kind: 'inet', addr: '255.255.255.0', port: 0 },
    },
    ...extra,
  };
}

describe('64-bit counters', () => {
  // The codec takes its compiled rt_msghdr path only after a few hundred messages of a
  // dialect (message.ts FAST_AFTER): encode that many first so these cases run on it too.
  beforeAll(() => {
    for (const dialect of ['openbsd', 'openbsd-4.9'] as const) {
      for (const arch of ['amd64', 'sparc64'] as const) for (let i = 0; i < 300; i++) encodeMessage(route(dialect), { arch });
    }
  });

  test.each([0n, 1n, 1023n, 1024n, 0xffffffffn, 0x100000000n, 0x1000003ffn, (1n << 64n) - 1n])('rmx.pksent %s round-trips', (v) => {
    for (const dialect of ['openbsd', 'openbsd-4.9'] as const) {
      for (const arch of ['amd64', 'sparc64'] as const) {
        const m = decodeMessage(encodeMessage(route(dialect, { rmx: { pksent: v } }), { arch }), { arch }) as { rmx: { pksent: bigint } };
        expect(m.rmx.pksent).toBe(v);
      }
    }
  });

  test('signed expire keeps its sign (current dialect)', () => {
    // Both sides of the one-word fast store (-2^31 .. 2^31-1), in both byte orders.
    const values = [-1n, -1024n, 5n, 1023n, -(1n << 31n), -(1n << 31n) - 1n, (1n << 31n) - 1n, 1n << 31n, -(1n << 63n), (1n << 63n) - 1n];
    for (const arch of ['amd64', 'sparc64'] as const) {
      for (const v of values) {
        const bytes = encodeMessage(route('openbsd', { rmx: { expire: v } }), { arch });
        const m = decodeMessage(bytes, { arch }) as { rmx: { expire: bigint } };
        expect(m.rmx.expire).toBe(v);
      }
    }
  });

  test.each([-1n, 1n << 64n, 1.5, 'x'])('pksent %p is refused', (v) => {
    expect(() => encodeMessage(route('openbsd', { rmx: { pksent: v } }))).toThrow(RtsockEncodeError);
  });

  test('numbers and decimal strings are still accepted for 64-bit fields', () => {
    const m = decodeMessage(encodeMessage(route('openbsd', { rmx: { pksent: 12345, expire: '-3' } }))) as unknown as { rmx: Record<string, unknown> };
    expect(m.rmx['pksent']).toBe(12345n);
    expect(m.rmx['expire']).toBe(-3n);
  });
});

describe('header integer checks', () => {
  test.each([
    ['index', 1.5], ['index', -1], ['index', 0x10000], ['index', '5'], ['index', true], ['index', NaN], ['index', Infinity],
    ['priority', 256], ['flags', 0x80000000], ['flags', -0x80000001], ['inits', -1], ['inits', 2 ** 32], ['seq', 2 ** 53],
  ])('%s = %p is refused', (field, v) => {
    expect(() => encodeMessage(route('openbsd-4.9', { [field]: v }))).toThrow(RtsockEncodeError);
  });

  test.each([['index', 0xffff], ['priority', 255], ['flags', -0x80000000], ['flags', 0x7fffffff], ['inits', 0xffffffff], ['seq', -0]])(
    '%s = %p is accepted', (field, v) => {
      const m = decodeMessage(encodeMessage(route('openbsd-4.9', { [field]: v })));
      expect(m[field]).toBe(v === -0 ? 0 : v);
    },
  );
});

describe('plain sockaddr_in fast path', () => {
  test('matches the general path byte for byte', () => {
    const plain = encodeMessage(route('openbsd'));
    const explicit = encodeMessage(route('openbsd', {
      sockaddrs: {
        dst: { kind: 'inet', addr: '10.1.2.0', port: 0, len: 16, family: 2 },
        gateway: { kind: 'inet', addr: '192.0.2.1', port: 0, len: 16, family: 2 },
        netmask: { kind: 'inet', addr: '255.255.255.0', port: 0, len: 16, family: 2 },
      },
    }));
    expect(Buffer.from(plain).toString('hex')).toBe(Buffer.from(explicit).toString('hex'));
  });

  test.each([[{ port: 65536 }, 'sockaddrs.gateway.port'], [{ port: 1.5 }, 'sockaddrs.gateway.port'], [{ addr: '1.2.3' }, 'sockaddrs.gateway.addr'], [{ addr: 7 }, 'sockaddrs.gateway.addr']])(
    'bad %p names %s', (patch, path) => {
      const m = route('openbsd');
      m.sockaddrs!['gateway'] = { ...(m.sockaddrs!['gateway'] as object), ...patch } as never;
      try {
        encodeMessage(m);
        throw new Error('no error');
      } catch (e) {
        expect(e).toBeInstanceOf(RtsockEncodeError);
        expect((e as RtsockEncodeError).path).toBe(path);
      }
    },
  );

  test('a port is written in network order and an absent port is zero', () => {
    const m = route('openbsd');
    (m.sockaddrs!['dst'] as { port?: number }).port = 0x1234;
    delete (m.sockaddrs!['gateway'] as { port?: number }).port;
    const d = decodeMessage(encodeMessage(m)) as { sockaddrs: Record<string, { port: number }> };
    expect(d.sockaddrs['dst']!.port).toBe(0x1234);
    expect(d.sockaddrs['gateway']!.port).toBe(0);
  });

  test('an unknown slot name is still refused after the known ones', () => {
    const m = route('openbsd');
    (m.sockaddrs as Record<string, unknown>)['bogus'] = { kind: 'inet', addr: '1.2.3.4' };
    expect(() => encodeMessage(m)).toThrow(/bogus/);
  });

  test('message type names resolve per dialect (last-name shortcut)', () => {
    expect(decodeMessage(encodeMessage({ type: 'RTM_GET', dialect: 'openbsd' })).type).toBe(4);
    expect(() => encodeMessage({ type: 'RTM_BFD', dialect: 'openbsd-4.9' })).toThrow(RtsockEncodeError);
    expect(decodeMessage(encodeMessage({ type: 'RTM_BFD', dialect: 'openbsd' })).hdr).toBe('bfd_msghdr');
    expect(decodeMessage(encodeMessage({ type: 'RTM_GET', dialect: 'openbsd-4.9' })).version).toBe(4);
  });
});

describe('fast encoder entry points', () => {
  beforeAll(() => {
    for (const dialect of ['openbsd', 'openbsd-4.9'] as const) {
      for (const arch of ['amd64', 'sparc64'] as const) for (let i = 0; i < 300; i++) encodeMessage(route(dialect), { arch });
    }
  });

  /** The general path's bytes for `m`. */
  function general(m: MessageInput, opts?: CodecOptions): number[] {
    fastRouteSwitch.enabled = false;
    try {
      return [...encodeMessage(m, opts)];
    } finally {
      fastRouteSwitch.enabled = true;
    }
  }

  test('the last-inputs shortcut follows changes to opts and to the message', () => {
    const opts: CodecOptions = { dialect: 'openbsd' };
    const m = route('openbsd');
    delete m.dialect;
    const buf = new Uint8Array(256);
    const into = () => [...buf.subarray(0, encodeMessageInto(m, buf, 0, opts))];
    for (let i = 0; i < 3; i++) expect(into()).toEqual(general(m, opts));
    opts.dialect = 'openbsd-4.9';
    expect(into()).toEqual(general(m, opts));
    expect(buf[2]).toBe(4);
    m.type = 'RTM_ADD';
    expect(into()).toEqual(general(m, opts));
    expect(buf[3]).toBe(1);
    opts.arch = 'sparc64';
    expect(into()).toEqual(general(m, opts));
    expect(buf[0]).toBe(0);
    delete opts.dialect;
    m.dialect = 'openbsd';
    expect(into()).toEqual(general(m, opts));
    expect(buf[2]).toBe(5);
    m.type = 'RTM_NOPE';
    expect(into).toThrow(RtsockEncodeError);
  });

  test('encodeMessageInto at any offset of any view: words when 4-aligned, a DataView otherwise', () => {
    const m = route('openbsd');
    const want = general(m);
    const ab = new ArrayBuffer(1024);
    for (const byteOffset of [0, 1, 2, 3, 4]) {
      const buf = new Uint8Array(ab, byteOffset, 512);
      for (const offset of [0, 1, 2, 3, 4, 100, 512 - want.length]) {
        buf.fill(0xee);
        const n = encodeMessageInto(m, buf, offset);
        expect([...buf.subarray(offset, offset + n)]).toEqual(want);
        expect(buf.subarray(0, offset).every((x) => x === 0xee) && buf.subarray(offset + n).every((x) => x === 0xee)).toBe(true);
      }
      // One byte short of room: an error, and nothing written.
      buf.fill(0xee);
      expect(() => encodeMessageInto(m, buf, 512 - want.length + 1)).toThrow(RtsockEncodeError);
      expect(buf.every((x) => x === 0xee)).toBe(true);
    }
  });

  test('a resizable buffer shrunk between two encodes is not written through the views kept for it', () => {
    type Resizable = ArrayBuffer & { resize(n: number): void };
    const ab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(1024, { maxByteLength: 4096 });
    const buf = new Uint8Array(ab);
    const m = route('openbsd');
    const want = general(m);
    // Both views made (word-aligned and not), then the buffer shrinks in the same job.
    encodeMessageInto(m, buf, 0);
    encodeMessageInto(m, buf, 1);
    ab.resize(512);
    for (const offset of [0, 1, 8, 9]) {
      const n = encodeMessageInto(m, buf, offset);
      expect([...buf.subarray(offset, offset + n)]).toEqual(want);
    }
    ab.resize(2048);
    const n = encodeMessageInto(m, buf, 1500);
    expect([...buf.subarray(1500, 1500 + n)]).toEqual(want);
  });
});

test('decoding from more buffers than the view cache holds, in turn and across jobs, reads each its own bytes', async () => {
  const opts: CodecOptions = { dialect: 'openbsd' };
  const inet = (addr: string) => ({ kind: 'inet' as const, addr, port: 0 });
  const msgs = Array.from({ length: 7 }, (_, i) => encodeMessage({
    type: 1, flags: 0x803, seq: i + 1,
    sockaddrs: { dst: inet(`10.${i}.0.0`), gateway: inet(`192.0.2.${i + 1}`), netmask: inet('255.255.0.0') },
  }, opts));
  // Each message at an odd offset of a buffer of its own, big and small ones alike.
  const views = msgs.map((m, i) => {
    const whole = new Uint8Array((i % 2 ? 8192 : 256) + i);
    whole.fill(0xee);
    whole.set(m, 3 + i);
    return whole.subarray(3 + i, 3 + i + m.length);
  });
  const want = msgs.map((m) => decodeMessage(m.slice(), opts));
  for (let round = 0; round < 3; round++) {
    // Three buffers in turn (each found in the cache), then all seven (each pushed out first).
    for (let k = 0; k < 42; k++) {
      const i = k < 21 ? (k + round) % 3 : (k * 3 + round) % views.length;
      expect(decodeMessage(views[i]!, opts)).toEqual(want[i]);
    }
    await Promise.resolve(); // a new job: the cache starts empty
  }
});
