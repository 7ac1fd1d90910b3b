import fc from 'fast-check';
import { ARCHES, DIALECTS, SlotMode, getDialect, type Dialect } from '../../src/abi/dialect.js';
import { RtsockDecodeError } from '../../src/codec/errors.js';
import {
  MAX_SOCKADDR_IMAGE, decodeSockaddr, writeSockaddr, type Sockaddr, type SockaddrContext, type SockaddrInput,
} from '../../src/codec/sockaddr.js';
import { formatSockaddr, parseSockaddr } from '../../src/codec/text.js';

const amd = getDialect('openbsd', 'amd64');
const old = getDialect('openbsd-4.9', 'amd64');

function ctxFor(d: Dialect, slot: string, routeFamily = 0): SockaddrContext {
  const i = d.rtaxSlots.indexOf(slot);
  return { dialect: d, mode: d.slotModes[i]! as SlotMode, routeFamily };
}

/** Bytes (ROUNDUP(sa_len) of them) a sockaddr value encodes to. */
function bytesOf(sa: SockaddrInput, d: Dialect): Uint8Array {
  const out = new Uint8Array(256 + MAX_SOCKADDR_IMAGE);
  const n = writeSockaddr(sa, d, out, new DataView(out.buffer), 0, 'sa');
  return out.slice(0, n);
}

function decode(bytes: Uint8Array, ctx: SockaddrContext): Sockaddr {
  const b = new Uint8Array(bytes.length + 256);
  b.set(bytes);
  return decodeSockaddr(b, new DataView(b.buffer), 0, ctx);
}

function expectBadText(text: string, ctx: SockaddrContext, offset: number): void {
  let err: unknown;
  try {
    parseSockaddr(text, ctx);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(RtsockDecodeError);
  expect((err as RtsockDecodeError).code).toBe('BAD_TEXT');
  expect((err as RtsockDecodeError).offset).toBe(offset);
}

describe('ng_ksocket(4) examples', () => {
  const dst = ctxFor(old, 'dst');

  test('PF_INET inet/192.168.1.1:1234', () => {
    const sa = parseSockaddr('inet/192.168.1.1:1234', dst);
    expect(sa).toEqual({ kind: 'inet', len: 16, family: 2, port: 1234, addr: '192.168.1.1' });
    expect(formatSockaddr(sa, old)).toBe('inet/192.168.1.1:1234');
  });

  test('PF_LOCAL local/"/tmp/foo.socket"', () => {
    const sa = parseSockaddr('local/"/tmp/foo.socket"', dst);
    expect(sa).toEqual({ kind: 'unix', len: 106, family: 1, path: '/tmp/foo.socket' });
    expect(formatSockaddr(sa, old)).toBe('local/"/tmp/foo.socket"');
  });

  test('Other { family=16 len=16 data=[0x70 0x00 0x01 0x23] }', () => {
    const text = '{ family=16 len=16 data=[0x70 0x00 0x01 0x23] }';
    const sa = parseSockaddr(text, dst);
    expect(sa).toEqual({ kind: 'unknown', len: 16, family: 16, data: '70000123' + '00'.repeat(10) });
    expect(formatSockaddr(sa, old)).toBe(text);
  });
});

describe('our forms', () => {
  const dst = ctxFor(amd, 'dst');
  const cases: [string, Partial<Sockaddr>][] = [
    ['inet/10.0.0.1', { kind: 'inet', addr: '10.0.0.1', port: 0 }],
    ['inet6/2001:db8::1', { kind: 'inet6', addr: '2001:db8::1', scope_id: 0, port: 0 }],
    ['inet6/fe80::1%5', { kind: 'inet6', addr: 'fe80::1', scope_id: 5 }],
    ['inet6/[fe80::1%5]:80', { kind: 'inet6', addr: 'fe80::1', scope_id: 5, port: 80 }],
    ['inet6/[::1]:22', { kind: 'inet6', addr: '::1', port: 22 }],
    ['link/em0#1/6/fe:e1:ba:d4:c8:1d', { kind: 'link', name: 'em0', index: 1, type: 6, lladdr: 'fe:e1:ba:d4:c8:1d', len: 32 }],
    ['link/lo0#3/24', { kind: 'link', name: 'lo0', index: 3, type: 24, lladdr: '' }],
    ['link/#5/6', { kind: 'link', name: '', index: 5, type: 6 }],
    ['link/"we ird#"#2/1/01', { kind: 'link', name: 'we ird#', index: 2, type: 1, lladdr: '01' }],
    ['local/"a\\"b\\\\c\\n\\001"', { kind: 'unix', path: 'a"b\\c\n\x01' }],
  ];
  test.each(cases)('%s', (text, fields) => {
    const sa = parseSockaddr(text, dst);
    expect(sa).toMatchObject(fields);
    expect(formatSockaddr(sa, amd)).toBe(text);
  });

  test('label in the LABEL slot, unknown elsewhere', () => {
    const sa = parseSockaddr('label/"mylabel"', ctxFor(amd, 'label'));
    expect(sa).toEqual({ kind: 'label', len: 34, family: 0, label: 'mylabel' });
    expect(formatSockaddr(sa, amd)).toBe('label/"mylabel"');
    expect(parseSockaddr('label/"x"', dst).kind).toBe('unknown');
  });

  test('4.9 trimmed kernel netmask stays generic and exact', () => {
    const ctx = ctxFor(old, 'netmask', 2);
    const sa = decode(Uint8Array.of(7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0), ctx);
    const text = formatSockaddr(sa, old);
    expect(text).toBe('{ family=255 len=7 data=[0xff 0xff 0xff 0xff 0xff] }');
    expect(parseSockaddr(text, ctx)).toEqual(sa);
  });

  test('zero-length sockaddr and non-zero padding', () => {
    const ctx = ctxFor(old, 'netmask', 2);
    expect(formatSockaddr(decode(new Uint8Array(8), ctx), old)).toBe('{ family=0 len=0 data=[] }');
    const padded = decode(Uint8Array.of(5, 2, 0, 0, 10, 0, 7, 0), ctxFor(old, 'dst'));
    const text = formatSockaddr(padded, old);
    expect(text).toBe('{ family=2 len=5 data=[0x00 0x00 0x0a] pad=[0x00 0x07] }');
    expect(parseSockaddr(text, ctxFor(old, 'dst'))).toEqual(padded);
  });

  test('non-canonical inet (sin_zero, flowinfo) is generic', () => {
    const z = decode(bytesOf({ kind: 'inet', addr: '1.2.3.4', port: 0, zero: '01' }, amd), dst);
    expect(formatSockaddr(z, amd)).toMatch(/^\{ family=2 len=16 /);
    const f = decode(bytesOf({ kind: 'inet6', addr: '::1', port: 0, flowinfo: 9, scope_id: 0 }, amd), dst);
    expect(formatSockaddr(f, amd)).toMatch(/^\{ family=24 len=28 /);
  });

  test('bad text reports the character offset', () => {
    expectBadText('bogus', dst, 0);
    expectBadText('inet/1.2.3', dst, 5);
    expectBadText('inet/1.2.3.4:70000', dst, 13);
    expectBadText('inet/1.2.3.4 x', dst, 13);
    expectBadText('inet6/[fe80::1%5:80', dst, 16);
    expectBadText('local/"abc', dst, 6);
    expectBadText('link/em0/6', dst, 8);
    expectBadText('{ family=2 }', dst, 0);
    expectBadText('{ family=2 len=4 data=[1 2 3] }', dst, 0);
    expectBadText('{ family=2 len=4 data=[256] }', dst, 23);
    expectBadText('{ family=2 len=2 colour=1 }', dst, 17);
  });
});

// ---------------------------------------------------------------------------------------
// Round trip over generated sockaddrs: random fields are encoded, then decoded in a random
// slot, so every value is one decoding really produces.

const hex = (min: number, max: number) =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((b) => Buffer.from(b).toString('hex'));
const latin1 = (max: number) =>
  fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: max }).map((a) => String.fromCharCode(...a));
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
const ipv6 = fc.oneof(
  fc.ipV6(),
  fc.constantFrom('fe80::1', 'ff02::1:2', 'ff01::5', '::', 'fe80:3::1', '::ffff:1.2.3.4'),
);
const smallLen = fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined, freq: 3 });

function inputs(d: Dialect): fc.Arbitrary<SockaddrInput> {
  const kinds: fc.Arbitrary<SockaddrInput>[] = [
    fc.record({ kind: fc.constant('inet' as const), addr: ipv4, port: fc.oneof(fc.constant(0), fc.nat(0xffff)),
      zero: fc.option(hex(1, 8), { nil: undefined, freq: 4 }), len: smallLen }, { requiredKeys: ['kind', 'addr', 'port'] }),
    fc.record({ kind: fc.constant('inet6' as const), addr: ipv6, port: fc.oneof(fc.constant(0), fc.nat(0xffff)),
      flowinfo: fc.oneof(fc.constant(0), fc.nat()), scope_id: fc.oneof(fc.constant(0), fc.nat(0xffff), fc.nat()),
      scope_embedded: fc.option(fc.constant(false as const), { nil: undefined, freq: 4 }) }, { requiredKeys: ['kind', 'addr', 'port', 'flowinfo', 'scope_id'] }),
    fc.record({ kind: fc.constant('link' as const), index: fc.nat(0xffff), type: fc.nat(255), name: latin1(16),
      lladdr: fc.uint8Array({ maxLength: 8 }).map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':')),
      selector: fc.option(hex(1, 4), { nil: undefined, freq: 5 }) }, { requiredKeys: ['kind', 'index', 'type', 'name', 'lladdr'] }),
    fc.record({ kind: fc.constant('label' as const), label: latin1(31) }),
    fc.record({ kind: fc.constant('unix' as const), path: latin1(103) }),
    fc.record({ kind: fc.constant('mpls' as const), label: fc.nat(0xfffff), low: fc.option(fc.nat(0xfff), { nil: undefined }) }, { requiredKeys: ['kind', 'label'] }),
    fc.record({ kind: fc.constant('dns' as const), addrs: fc.oneof(fc.array(ipv4, { maxLength: 5 }), fc.array(fc.ipV6(), { minLength: 1, maxLength: 5 })) }),
    fc.record({ kind: fc.constant('static' as const), data: hex(0, 40) }),
    fc.record({ kind: fc.constant('unknown' as const), family: fc.nat(255), data: hex(0, 40), len: smallLen }, { requiredKeys: ['kind', 'data'] }),
  ];
  if (d.structs['sockaddr_bfd']) {
    kinds.push(fc.record({ kind: fc.constant('bfd' as const), bfd: fc.record({ mode: fc.nat(3), localdiscr: fc.nat(), state: fc.nat(3) }) }));
  }
  return fc.oneof(...kinds);
}

/** Raw bytes of any shape: a sa_len, a family and ROUNDUP(sa_len) random bytes. */
function rawBytes(d: Dialect): fc.Arbitrary<Uint8Array> {
  return fc.tuple(
    fc.oneof(fc.integer({ min: 0, max: 40 }), fc.nat(255)),
    fc.oneof(fc.constantFrom(0, 1, 2, 18, 24, 33, 0xff), fc.nat(255)),
    fc.uint8Array({ minLength: 256, maxLength: 256 }),
    fc.boolean(),
  ).map(([len, family, rest, zeroPad]) => {
    const size = len > 0 ? 1 + ((len - 1) | (d.roundup - 1)) : d.roundup;
    const b = rest.slice(0, size);
    b[0] = len;
    b[1] = family;
    if (zeroPad) b.fill(0, Math.max(len, 2));
    return b;
  });
}

/** A slot and route family; the context is built in the property (keeps counterexamples short). */
function slotArb(d: Dialect): fc.Arbitrary<{ slot: string; routeFamily: number }> {
  return fc.record({ slot: fc.constantFrom(...d.rtaxSlots), routeFamily: fc.constantFrom(0, 2, 24, 18, 0xff) });
}

function tryBytes(sa: SockaddrInput, d: Dialect): Uint8Array | undefined {
  try {
    return bytesOf(sa, d);
  } catch {
    return undefined;
  }
}

describe.each(DIALECTS.flatMap((n) => ARCHES.map((a) => [n, a] as const)))('round trip %s/%s', (name, arch) => {
  const d = getDialect(name, arch);
  const check = (bytes: Uint8Array, ctx: SockaddrContext) => {
    const v = decode(bytes, ctx);
    // The text forms are defined over values the codec itself round-trips: encode(decode(b)) = b.
    const again = tryBytes(v, d);
    expect(again && Buffer.from(again).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
    const text = formatSockaddr(v, d);
    const w = parseSockaddr(text, ctx);
    expect(w).toEqual(v);
    expect(bytesOf(w, d)).toEqual(bytes);
  };

  test('sockaddrs built from fields', () => {
    fc.assert(fc.property(inputs(d), slotArb(d), (sa, { slot, routeFamily }) => {
      const bytes = tryBytes(sa, d);
      fc.pre(bytes !== undefined);
      check(bytes!, ctxFor(d, slot, routeFamily));
    }), { numRuns: 400 });
  });

  test('sockaddrs from raw bytes', () => {
    fc.assert(fc.property(rawBytes(d), slotArb(d), (bytes, { slot, routeFamily }) =>
      check(bytes, ctxFor(d, slot, routeFamily))), { numRuns: 400 });
  });
});
