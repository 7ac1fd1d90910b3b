/**
 * The specialised rt_msghdr path (src/codec/fast-route.ts) must be invisible: on every
 * dialect and arch, decoding gives the general decoder's value (same keys in the same
 * order, same JSON) or its error, and encoding gives the general encoder's bytes or its
 * error. Inputs are drawn around the fast path's edges so that many of them must fall back.
 */
import fc from 'fast-check';
import { getDialect, type ArchName, type DialectName } from '../../src/abi/dialect.js';
import { decodeMessage, encodeMessage, encodeMessageInto, type CodecOptions, type MessageInput } from '../../src/codec/message.js';
import { fastRoute, fastRouteSwitch, type FastRoute } from '../../src/codec/fast-route.js';
import type { SockaddrInput } from '../../src/codec/sockaddr.js';
import { toJson } from '../../src/codec/json.js';
import { COMBOS, TYPES, headerFieldsArb } from './helpers.js';

const RUNS = Number(process.env['FASTROUTE_RUNS'] ?? 400);

/** The result of `f` with the fast path on or off: a value, or the error's class and fields. */
function run<T>(fast: boolean, f: () => T): { ok: T } | { err: unknown } {
  fastRouteSwitch.enabled = fast;
  try {
    return { ok: f() };
  } catch (e) {
    const x = e as { name?: string; code?: string; path?: string; offset?: number; message?: string };
    return { err: [x.name, x.code, x.path, x.offset, x.message] };
  } finally {
    fastRouteSwitch.enabled = true;
  }
}

/** Keys at every level, in order: toEqual ignores key order, JSON does not. */
function shape(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return typeof v === 'bigint' ? `${v}n` : v;
  return Object.entries(v).map(([k, x]) => [k, shape(x)]);
}

function sameDecode(b: Uint8Array, opts: CodecOptions): void {
  const general = run(false, () => decodeMessage(b, opts));
  const fast = run(true, () => decodeMessage(b, opts));
  expect(fast).toEqual(general);
  if ('ok' in fast && 'ok' in general) {
    expect(shape(fast.ok)).toEqual(shape(general.ok));
    expect(JSON.stringify(toJson(fast.ok))).toBe(JSON.stringify(toJson(general.ok)));
  }
}

/** encodeMessageInto at `at` of a buffer full of 0xa5: the bytes written, the rest untouched. */
function encodeIntoGarbage(m: MessageInput, opts: CodecOptions, at: number): number[] {
  const buf = new Uint8Array(at + 0x10000 + 5).fill(0xa5);
  let n: number;
  try {
    n = encodeMessageInto(m, buf, at, opts);
  } catch (e) {
    // A refused message leaves the buffer as it was.
    expect(buf.every((x) => x === 0xa5)).toBe(true);
    throw e;
  }
  expect(buf.subarray(0, at).every((x) => x === 0xa5) && buf.subarray(at + n).every((x) => x === 0xa5)).toBe(true);
  return [...buf.subarray(at, at + n)];
}

function sameEncode(m: MessageInput, opts: CodecOptions): void {
  const general = run(false, () => [...encodeMessage(m, opts)]);
  const fast = run(true, () => [...encodeMessage(m, opts)]);
  expect(fast).toEqual(general);
  // The fast path also writes straight into a caller's buffer, whatever it held before: as
  // words at a 4-aligned offset, through a DataView at any other.
  expect(run(true, () => encodeIntoGarbage(m, opts, 4))).toEqual(general);
  expect(run(true, () => encodeIntoGarbage(m, opts, 3))).toEqual(general);
}

/**
 * Runs the three fast encoders of `f` on `m` directly (DataView at byte 5, words at byte 4 of
 * garbage, words onto zeros), with `room` bytes: the bytes of the message, or undefined for
 * -1 (or a throw, which the entry points catch). Checks that each wrote the message's bytes
 * or none, nothing past it, and that all three agree.
 */
function fastEncodes(f: FastRoute, m: MessageInput, type: number, room = f.maxLength): number[] | undefined {
  const runs = [
    { at: 5, fill: 0x5a, go: (b: Uint8Array) => f.encode(m, new DataView(b.buffer), 5, type, room) },
    { at: 4, fill: 0x5a, go: (b: Uint8Array) => f.encodeWords(m, new Int32Array(b.buffer), 1, type, room) },
    { at: 4, fill: 0, go: (b: Uint8Array) => f.encodeWordsOntoZeros(m, new Int32Array(b.buffer), 1, type, room) },
  ];
  const results = runs.map(({ at, fill, go }) => {
    const b = new Uint8Array(8 + f.maxLength + 8).fill(fill);
    let n = -1;
    try {
      n = go(b);
    } catch {
      // a fallback, as -1
    }
    const untouched = n > 0 ? [...b.subarray(0, at), ...b.subarray(at + n)] : [...b];
    expect(untouched.every((x) => x === fill)).toBe(true);
    return n > 0 ? [...b.subarray(at, at + n)] : undefined;
  });
  expect(results[1]).toEqual(results[0]);
  expect(results[2]).toEqual(results[0]);
  return results[0];
}

const u16 = fc.integer({ min: 0, max: 0xffff });
const quad = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((q) => q.join('.'));
const oddNumber = fc.constantFrom<unknown>(-1, 65536, 1.5, NaN, '80', null, 2n, -0);

/** sockaddr_in values: mostly plain, sometimes with a field the fast path leaves to the general one. */
const inetArb = fc.record({
  kind: fc.constantFrom('inet', 'inet', 'inet', 'inet6'),
  addr: fc.oneof({ weight: 8, arbitrary: quad }, { weight: 1, arbitrary: fc.constantFrom('1.2.3', '256.0.0.1', '::1', 'x') }),
  port: fc.oneof({ weight: 6, arbitrary: u16 }, { weight: 1, arbitrary: oddNumber }),
  len: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 16 }) }, { weight: 1, arbitrary: fc.integer({ min: 17, max: 24 }) }, { weight: 1, arbitrary: oddNumber }),
  family: fc.oneof({ weight: 6, arbitrary: fc.nat(255) }, { weight: 1, arbitrary: oddNumber }),
  zero: fc.constantFrom('0000000000000001', '0000000000000000'),
}, { requiredKeys: ['kind', 'addr'] });

/** A trimmed radix netmask as 4.9 writes it (`len 5..8, family 0xff`) or a plain full mask. */
const maskArb = fc.oneof(
  fc.integer({ min: 0, max: 32 }).map((bits) => {
    const m = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    const addr = [m >>> 24, (m >>> 16) & 255, (m >>> 8) & 255, m & 255].join('.');
    let len = 8;
    while (len > 4 && ((m >>> (8 * (7 - (len - 1)))) & 255) === 0) len--;
    return { kind: 'inet', len, family: 255, port: 65535, addr };
  }),
  quad.map((addr) => ({ kind: 'inet', addr, port: 0 })),
  inetArb,
);

const plainInet = fc.record({ kind: fc.constant('inet'), addr: quad, port: u16 }, { requiredKeys: ['kind', 'addr'] });

const hex16 = fc.integer({ min: 0, max: 0xffff }).map((x) => x.toString(16));
/** IPv6 text, often with a KAME-scoped prefix (fe80::/10, ff02::/16) or a zero run. */
const v6Text = fc.tuple(fc.constantFrom('2001', 'fe80', 'ff02', '0', 'ffff'), fc.array(hex16, { minLength: 7, maxLength: 7 }), fc.boolean())
  .map(([head, rest, gap]) => (gap ? `${head}:${rest.slice(0, 3).join(':')}::${rest[6]}` : [head, ...rest].join(':')));
const inet6Arb = fc.record({
  kind: fc.constant('inet6'), addr: v6Text, port: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: u16 }),
  flowinfo: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat() }),
  scope_id: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 70000 }) }),
}, { requiredKeys: ['kind', 'addr'] });
/** A v6 netmask: contiguous most of the time (what the kernel sends), any bytes sometimes. */
const mask6Arb = fc.oneof(
  fc.integer({ min: 0, max: 128 }).map((bits) => ({
    kind: 'inet6', addr: Array.from({ length: 8 }, (_, i) => ((0xffff0000 >>> Math.min(16, Math.max(0, bits - 16 * i))) & 0xffff).toString(16)).join(':'),
  })),
  inet6Arb,
);
/** sockaddr_in6 values as a request carries them: mostly plain, sometimes with a field only the general writer handles. */
const inet6EncArb = fc.record({
  kind: fc.constant('inet6'),
  addr: fc.oneof({ weight: 8, arbitrary: v6Text }, { weight: 1, arbitrary: fc.constantFrom('1.2.3.4', '::1::', 'fe80::1%1', '') }),
  port: fc.oneof({ weight: 4, arbitrary: u16 }, { weight: 1, arbitrary: oddNumber }),
  flowinfo: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 0xffffffff) }, { weight: 2, arbitrary: fc.nat() }, { weight: 1, arbitrary: oddNumber }),
  scope_id: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 70000 }) }, { weight: 1, arbitrary: oddNumber }),
  scope_embedded: fc.constant(false),
  len: fc.oneof({ weight: 4, arbitrary: fc.constant(28) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 1, arbitrary: oddNumber }),
  family: fc.oneof({ weight: 4, arbitrary: fc.nat(255) }, { weight: 1, arbitrary: oddNumber }),
  pad: fc.constantFrom('00000000', '01'),
  tail: fc.constant('ab'),
}, { requiredKeys: ['kind', 'addr'] });
const plainInet6 = fc.record({ kind: fc.constant('inet6'), addr: v6Text, port: fc.constant(0), flowinfo: fc.constant(0), scope_id: fc.constant(0) });

/** DST, GATEWAY, NETMASK of a request: IPv4 most often, IPv6 often, and values the fast path must leave alone. */
const sockaddrsArb = fc.record({
  dst: fc.oneof({ weight: 4, arbitrary: plainInet }, { weight: 1, arbitrary: inetArb }, { weight: 2, arbitrary: plainInet6 }, { weight: 1, arbitrary: inet6EncArb }),
  gateway: fc.oneof({ weight: 4, arbitrary: plainInet }, { weight: 1, arbitrary: inetArb }, { weight: 2, arbitrary: plainInet6 }, { weight: 1, arbitrary: inet6EncArb }),
  netmask: fc.oneof({ weight: 4, arbitrary: maskArb }, { weight: 2, arbitrary: mask6Arb }, { weight: 1, arbitrary: inet6EncArb }),
}, { requiredKeys: ['dst'] });

/** The interface's sockaddr_dl as IFP: a name, sometimes an lladdr or a selector. */
const linkArb = fc.record({
  kind: fc.constant('link'), index: u16, type: fc.nat(255), name: fc.constantFrom('lo0', 'em0', 'vlan100', ''),
  lladdr: fc.constantFrom('', 'fe:e1:ba:d4:c8:1d'), selector: fc.constantFrom('ab', undefined),
}, { requiredKeys: ['kind', 'index', 'type', 'name', 'lladdr'] });

/** What the kernel's own route messages carry: DST, GATEWAY, NETMASK, IFP, IFA, IPv4 or IPv6. */
const replySockaddrsArb = fc.boolean().chain((v6) => fc.record({
  dst: v6 ? inet6Arb : plainInet,
  gateway: fc.oneof({ weight: 4, arbitrary: v6 ? inet6Arb : plainInet }, { weight: 1, arbitrary: fc.oneof(inetArb, linkArb) }),
  netmask: v6 ? mask6Arb : maskArb,
  ifp: fc.oneof({ weight: 4, arbitrary: linkArb }, { weight: 1, arbitrary: plainInet }),
  ifa: fc.oneof({ weight: 3, arbitrary: v6 ? inet6Arb : plainInet }, { weight: 1, arbitrary: v6 ? plainInet : inet6Arb }),
}, { requiredKeys: ['dst'] }));

/** Sometimes a sockaddr in another slot, or a key that is no RTAX slot (an error the general path must raise). */
const EXTRA = [
  { ifp: { kind: 'link', index: 1, type: 6, name: 'em0', lladdr: '' } }, { label: { kind: 'label', label: 'x' } },
  { bogus: { kind: 'inet', addr: '1.2.3.4' } }, { dst: undefined }, { gateway: undefined },
];
const sockaddrsOrBogusArb = fc.tuple(sockaddrsArb, fc.nat(4 * EXTRA.length)).map(([s, n]) => ({ ...s, ...EXTRA[n] }));

/** A header value that may carry something only the general path handles. */
const oddHeader = fc.oneof(
  fc.constant({}),
  fc.constantFrom<Record<string, unknown>>(
    { msglen: 300 }, { version: 9 }, { hdrlen: 0 }, { addrs: 7 }, { hdrpad: '00' }, { trailer: 'ff' }, { hdr: 'rt_msghdr' },
    { hdr: 'ifa_msghdr' }, { flags: -0x80000001 }, { index: 70000 }, { priority: '8' }, { rmx: { pksent: 5 } }, { rmx: null },
    { rmx: { mtu: -1 } }, { rmx: { expire: -5n } }, { rmx: [] }, { seq: 1.5 }, { inits: 0xffffffff }, { sockaddrs: undefined },
  ),
);

function messageArb(d: DialectName, arch: ArchName): fc.Arbitrary<MessageInput> {
  const layout = getDialect(d, arch).headers.rt_msghdr!;
  const types = TYPES[d].map((t) => t[0]);
  return fc.tuple(fc.constantFrom(...types), headerFieldsArb(layout), sockaddrsOrBogusArb, fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: oddHeader }))
    .map(([type, hdr, sockaddrs, odd]) => ({ type, ...hdr, sockaddrs, ...odd }) as MessageInput);
}

/** Changes a few bytes of a valid message (bytes past the header mostly: the sockaddrs). */
const mutationsArb = fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.boolean()), { maxLength: 3 });

function mutate(b: Uint8Array, hdrSize: number, muts: [number, number, boolean][]): Uint8Array {
  const out = b.slice();
  for (const [at, v, inSockaddrs] of muts) {
    const i = inSockaddrs && b.length > hdrSize ? hdrSize + (at % (b.length - hdrSize)) : at % b.length;
    out[i] = v;
  }
  return out;
}

describe.each(COMBOS)('fast rt_msghdr path, %s %s', (d, arch) => {
  const opts: CodecOptions = { dialect: d, arch };
  const size = getDialect(d, arch).headers.rt_msghdr!.size;

  /**
   * Encodes `m` (general path; nothing to check if it is refused), then checks that the message,
   * a mutated copy and a truncated one decode alike both ways. True when the fast decoder itself
   * read the intact message.
   */
  function decodesAlike(m: MessageInput, muts: [number, number, boolean][], dopts: CodecOptions): boolean {
    const enc = run(false, () => encodeMessage(m, opts).slice());
    if (!('ok' in enc)) return false;
    const b = enc.ok;
    let hit = false;
    try {
      hit = fastRoute(getDialect(d, arch))!.decode(b, new DataView(b.buffer), 0, b.length) !== undefined;
    } catch {
      // A sockaddr the general walk rejects: sameDecode checks the entry point's error.
    }
    sameDecode(b, dopts);
    sameDecode(mutate(b, size, muts), dopts);
    sameDecode(b.subarray(0, b.length - 1 - (muts.length % 4)), dopts);
    return hit;
  }

  test('is compiled for this dialect and arch', () => {
    expect(fastRoute(getDialect(d, arch))).toBeDefined();
  });

  test('encodes exactly what the general encoder does, or fails the same way', () => {
    let fastHits = 0;
    const f = fastRoute(getDialect(d, arch))!;
    fc.assert(fc.property(messageArb(d, arch), (m) => {
      if (fastEncodes(f, m, 1) !== undefined) fastHits++;
      sameEncode(m, opts);
    }), { numRuns: RUNS });
    expect(fastHits).toBeGreaterThan(RUNS / 10);
  });

  test('decodes exactly what the general decoder does, also when bytes are changed', () => {
    let fastHits = 0;
    fc.assert(fc.property(messageArb(d, arch), mutationsArb, fc.boolean(), (m, muts, forced) => {
      if (decodesAlike(m, muts, forced ? opts : { arch })) fastHits++;
    }), { numRuns: RUNS });
    // The inputs must exercise the fast path itself, not only its fallbacks.
    expect(fastHits).toBeGreaterThan(RUNS / 10);
  });

  test('decodes the kernel\'s reply shapes (IFP, IFA, IPv6) exactly as the general decoder does', () => {
    let replyHits = 0;
    const reply = fc.tuple(fc.constantFrom(...TYPES[d].map((t) => t[0])), replySockaddrsArb).map(([type, sockaddrs]) => ({ type, seq: 3, sockaddrs }) as MessageInput);
    fc.assert(fc.property(reply, mutationsArb, (m, muts) => {
      const sas = m.sockaddrs as Record<string, { kind: string } | undefined>;
      // Counted only for what the IPv4 reader alone would not take (IFP, IPv6).
      if (decodesAlike(m, muts, opts) && (sas['ifp'] !== undefined || sas['dst']!.kind === 'inet6')) replyHits++;
    }), { numRuns: RUNS });
    expect(replyHits).toBeGreaterThan(RUNS / 10);
  });

  test('an IPv6 route request takes the fast encoder', () => {
    const m: MessageInput = {
      type: 'RTM_ADD', flags: 0x803, seq: 9,
      sockaddrs: {
        dst: { kind: 'inet6', addr: '2001:db8:1::', port: 0, flowinfo: 0, scope_id: 0 },
        gateway: { kind: 'inet6', addr: 'fe80::1', port: 0, flowinfo: 7, scope_id: 0 },
        netmask: { kind: 'inet6', addr: 'ffff:ffff:ffff::', port: 0, flowinfo: 0, scope_id: 0 },
      },
    };
    sameEncode(m, opts);
    const b = encodeMessage(m, opts).slice();
    const f = fastRoute(getDialect(d, arch))!;
    expect(fastEncodes(f, m, 1)).toEqual([...b]);
    // A scope id (embedded in a link-local address, KAME) is the general writer's.
    const scoped = { ...m, sockaddrs: { ...m.sockaddrs, gateway: { kind: 'inet6', addr: 'fe80::1', port: 0, flowinfo: 0, scope_id: 3 } } } as MessageInput;
    expect(fastEncodes(f, scoped, 1)).toBeUndefined();
    sameEncode(scoped, opts);
  });

  test('every trimmed netmask length (0..7), zero or non-zero padding, decodes as the general decoder does', () => {
    const m: MessageInput = {
      type: 'RTM_GET', seq: 7,
      sockaddrs: { dst: { kind: 'inet', addr: '10.1.2.0', port: 0 }, gateway: { kind: 'inet', addr: '192.0.2.1', port: 0 } },
    };
    const b = encodeMessage(m, opts);
    const unit = getDialect(d, arch).roundup;
    for (let len = 0; len < 8; len++) {
      const room = len === 0 ? unit : Math.ceil(len / unit) * unit;
      for (const padByte of [0, 0x5c]) {
        const mask = new Uint8Array(room).map((_, i) => (i === 0 ? len : i === 1 ? 0xff : i < len ? 0xf0 + i : 0));
        // A non-zero byte after sa_len (kept as `pad` by the general reader).
        if (padByte !== 0 && room > Math.max(len, 2)) mask[room - 1] = padByte;
        const out = new Uint8Array(b.length + room);
        out.set(b);
        out.set(mask, b.length);
        const dv = new DataView(out.buffer);
        const lay = getDialect(d, arch).headers.rt_msghdr!;
        const at = (n: string) => lay.fields.find((f) => f.name === n)!.offset;
        dv.setUint16(at('msglen'), out.length, getDialect(d, arch).littleEndian);
        dv.setInt32(at('addrs'), 7, getDialect(d, arch).littleEndian);
        // The fast decoder itself (the entry point only uses it after a warm-up).
        const fast = fastRoute(getDialect(d, arch))!.decode(out, dv, 0, out.length);
        const general = run(false, () => decodeMessage(out, { arch }));
        expect('ok' in general && shape(fast)).toEqual(shape((general as { ok: unknown }).ok));
        sameDecode(out, { arch });
      }
    }
  });

  test('the benchmark shape takes the fast path both ways', () => {
    const mask: SockaddrInput = d === 'openbsd-4.9'
      ? { kind: 'inet', len: 7, family: 255, port: 65535, addr: '255.255.255.0' }
      : { kind: 'inet', addr: '255.255.255.0', port: 0 };
    const m: MessageInput = {
      type: 'RTM_GET', flags: 0x843, seq: 7, pid: 4242, index: 2, priority: 8, rmx: { pksent: 12n, mtu: 1500 },
      sockaddrs: { dst: { kind: 'inet', addr: '10.1.2.0', port: 0 }, gateway: { kind: 'inet', addr: '192.0.2.1', port: 0 }, netmask: mask },
    };
    sameEncode(m, opts);
    const b = encodeMessage(m, opts).slice();
    const f = fastRoute(getDialect(d, arch))!;
    expect(fastEncodes(f, m, 4)).toEqual([...b]);
    // One byte short of room: nothing is written.
    expect(fastEncodes(f, m, 4, b.length - 1)).toBeUndefined();
    expect(fastEncodes(f, m, 4, b.length)).toEqual([...b]);
    expect(f.decode(b, new DataView(b.buffer), 0, b.length)).toBeDefined();
    sameDecode(b, { arch });
  });
});
