/**
 * The error contract: every RtsockDecodeError code with its offset, and RtsockEncodeError
 * for impossible values with the field path.
 */
import { decodeMessage, encodeMessage, type MessageInput } from '../../src/codec/message.js';
import { RtsockDecodeError, RtsockEncodeError } from '../../src/codec/errors.js';
import { unhex } from './helpers.js';

/** A 4.9 amd64 rt_msghdr (88 bytes) with the given framing, little-endian. */
function rt49(msglen: number, opts: { version?: number; type?: number; hdrlen?: number; addrs?: number; size?: number } = {}): Uint8Array {
  const b = new Uint8Array(opts.size ?? Math.max(msglen, 88));
  const dv = new DataView(b.buffer);
  dv.setUint16(0, msglen, true);
  b[2] = opts.version ?? 4;
  b[3] = opts.type ?? 4;
  dv.setUint16(4, opts.hdrlen ?? 88, true);
  dv.setInt32(12, opts.addrs ?? 0, true);
  return b;
}

function decodeErr(f: () => unknown): RtsockDecodeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RtsockDecodeError);
    return e as RtsockDecodeError;
  }
  throw new Error('expected a RtsockDecodeError');
}

function expectDecodeError(f: () => unknown, code: string, offset: number): void {
  const e = decodeErr(f);
  expect({ code: e.code, offset: e.offset }).toEqual({ code, offset });
  expect(e.name).toBe('RtsockDecodeError');
  expect(e.message).toContain(`(at offset ${offset})`);
}

describe('RtsockDecodeError', () => {
  test('SHORT_BUFFER: fewer than 4 bytes at the offset', () => {
    for (let n = 0; n < 4; n++) expectDecodeError(() => decodeMessage(new Uint8Array(n)), 'SHORT_BUFFER', 0);
    const b = rt49(88, { size: 100 });
    expectDecodeError(() => decodeMessage(b, undefined, 97), 'SHORT_BUFFER', 97);
    expectDecodeError(() => decodeMessage(b, undefined, 100), 'SHORT_BUFFER', 100);
  });

  test('UNKNOWN_VERSION at offset+2 (checked before type and msglen)', () => {
    for (const v of [0, 3, 6, 255]) expectDecodeError(() => decodeMessage(rt49(88, { version: v })), 'UNKNOWN_VERSION', 2);
    expectDecodeError(() => decodeMessage(rt49(0, { version: 1, type: 99 })), 'UNKNOWN_VERSION', 2);
    const buf = new Uint8Array(10 + 88);
    buf.set(rt49(88, { version: 7 }), 10);
    expectDecodeError(() => decodeMessage(buf, undefined, 10), 'UNKNOWN_VERSION', 12);
    // a forced dialect reads any version
    expect(decodeMessage(rt49(88, { version: 7 }), { dialect: 'openbsd-4.9' }).version).toBe(7);
  });

  test('UNKNOWN_TYPE at offset+3, per dialect', () => {
    for (const t of [0, 9, 10, 17, 22, 255]) expectDecodeError(() => decodeMessage(rt49(88, { type: t })), 'UNKNOWN_TYPE', 3);
    // current: 8 (RTM_LOCK) and 23 are unknown, 17..22 known
    const cur = (t: number) => encodeMessage({ type: t, dialect: 'openbsd', hdr: 'rt_msghdr' });
    expectDecodeError(() => decodeMessage(cur(8)), 'UNKNOWN_TYPE', 3);
    expectDecodeError(() => decodeMessage(cur(23)), 'UNKNOWN_TYPE', 3);
    const buf = new Uint8Array(5 + 88);
    buf.set(rt49(88, { type: 9 }), 5);
    expectDecodeError(() => decodeMessage(buf, undefined, 5), 'UNKNOWN_TYPE', 8);
  });

  test('BAD_MSGLEN: msglen 0, below the header size, or past the buffer (offset of the message)', () => {
    expectDecodeError(() => decodeMessage(rt49(0, { size: 88 })), 'BAD_MSGLEN', 0);
    expectDecodeError(() => decodeMessage(rt49(4, { size: 88 })), 'BAD_MSGLEN', 0);
    expectDecodeError(() => decodeMessage(rt49(87, { size: 88 })), 'BAD_MSGLEN', 0);
    expectDecodeError(() => decodeMessage(rt49(89, { size: 88 })), 'BAD_MSGLEN', 0);
    expectDecodeError(() => decodeMessage(rt49(88, { size: 88 }).subarray(0, 60)), 'BAD_MSGLEN', 0);
    // current rt_msghdr is 96: an 88-byte current message is too short
    const cur = encodeMessage({ type: 4, dialect: 'openbsd' });
    const short = cur.slice(0, 88);
    short[0] = 88;
    expectDecodeError(() => decodeMessage(short), 'BAD_MSGLEN', 0);
    // RTM_IFANNOUNCE needs 26 bytes; 25 is too short
    const ann = encodeMessage({ type: 'RTM_IFANNOUNCE', name: 'em0' });
    expect(ann.length).toBe(26);
    const ann25 = ann.slice(0, 25);
    ann25[0] = 25;
    expectDecodeError(() => decodeMessage(ann25), 'BAD_MSGLEN', 0);
    // at an offset
    const buf = new Uint8Array(16 + 88);
    buf.set(rt49(200, { size: 88 }), 16);
    expectDecodeError(() => decodeMessage(buf, undefined, 16), 'BAD_MSGLEN', 16);
  });

  test('BAD_MSGLEN reads msglen in the arch byte order (sparc64 big-endian)', () => {
    const b = encodeMessage({ type: 4, arch: 'sparc64' });
    expect(b[0]).toBe(0);
    expect(b[1]).toBe(88);
    expect(decodeMessage(b, { arch: 'sparc64' }).msglen).toBe(88);
    // read as little-endian the same bytes say msglen 0x5800 = 22528
    expectDecodeError(() => decodeMessage(b), 'BAD_MSGLEN', 0);
  });

  test('BAD_HDRLEN at offset+4: inside the header or past msglen', () => {
    expectDecodeError(() => decodeMessage(rt49(88, { hdrlen: 1 })), 'BAD_HDRLEN', 4);
    expectDecodeError(() => decodeMessage(rt49(88, { hdrlen: 87 })), 'BAD_HDRLEN', 4);
    expectDecodeError(() => decodeMessage(rt49(96, { hdrlen: 97 })), 'BAD_HDRLEN', 4);
    const buf = new Uint8Array(3 + 96);
    buf.set(rt49(96, { hdrlen: 200 }), 3);
    expectDecodeError(() => decodeMessage(buf, undefined, 3), 'BAD_HDRLEN', 7);
    // hdrlen 0 means the header size; hdrlen == msglen is fine
    expect(decodeMessage(rt49(88, { hdrlen: 0 })).hdrlen).toBe(0);
    expect(decodeMessage(rt49(96, { hdrlen: 96 })).hdrlen).toBe(96);
  });

  test('BAD_SOCKADDR at the sockaddr: no room for sa_len/family, or ROUNDUP(sa_len) past msglen', () => {
    // DST announced, nothing after the header
    expectDecodeError(() => decodeMessage(rt49(88, { addrs: 1 })), 'BAD_SOCKADDR', 88);
    // one byte left is not enough for sa_len + sa_family
    const one = rt49(89, { addrs: 1 });
    one[88] = 0;
    expectDecodeError(() => decodeMessage(one), 'BAD_SOCKADDR', 88);
    // sa_len 16 with 8 bytes left
    const b = rt49(96, { addrs: 1 });
    b[88] = 16; b[89] = 2;
    expectDecodeError(() => decodeMessage(b), 'BAD_SOCKADDR', 88);
    // sa_len 12 rounds to 16 on amd64, past a 100-byte message: the last sockaddr needs only its
    // sa_len bytes inside (rtm_xaddrs), its padding may be cut by msglen; on i386 it rounds to 12.
    // Either way it decodes and encodes back to the same bytes (msglen kept).
    const r = rt49(88 + 12, { addrs: 1 });
    r[88] = 12; r[89] = 2;
    for (const arch of ['amd64', 'i386'] as const) {
      const m = decodeMessage(r, { arch });
      expect(m['sockaddrs']).toMatchObject({ dst: { kind: 'inet', len: 12 } });
      expect(encodeMessage(m, { arch })).toEqual(r);
    }
    // but not a sockaddr before the last: its padding is where the next one starts
    const notLast = rt49(88 + 12, { addrs: 3 });
    notLast[88] = 12; notLast[89] = 2;
    expectDecodeError(() => decodeMessage(notLast), 'BAD_SOCKADDR', 88);
    // sa_len 0 takes 8 bytes on amd64, 4 on i386: a last one with a 4-byte remainder decodes on both
    const z = rt49(88 + 4, { addrs: 1 });
    for (const arch of ['amd64', 'i386'] as const) {
      const m = decodeMessage(z, { arch });
      expect(m['sockaddrs']).toMatchObject({ dst: { len: 0 } });
      expect(encodeMessage(m, { arch })).toEqual(z);
    }
    // an encoded msglen may cut the zero padding of the last sockaddr, not its sa_len bytes
    expect(() => encodeMessage({ ...decodeMessage(r), msglen: 88 + 11 })).toThrow(RtsockEncodeError);
    // the second sockaddr overruns: offset of the second one
    const two = rt49(88 + 16 + 8, { addrs: 3 });
    two.set(unhex('10020000 0a000001 00000000 00000000'), 88);
    two[104] = 16; two[105] = 2;
    expectDecodeError(() => decodeMessage(two), 'BAD_SOCKADDR', 104);
    // at an offset within a larger buffer
    const buf = new Uint8Array(8 + 96);
    buf.set(b, 8);
    expectDecodeError(() => decodeMessage(buf, undefined, 8), 'BAD_SOCKADDR', 96);
  });

  test('addrs bits past the dialect RTAX slots are ignored (no sockaddr read for them)', () => {
    const b = rt49(88, { addrs: 1 << 11 });
    const m = decodeMessage(b);
    expect(m['addrs']).toBe(1 << 11);
    expect(m['sockaddrs']).toEqual({});
    expect(decodeMessage(rt49(88, { addrs: -0x80000000 }))['addrs']).toBe(-0x80000000);
  });
});

function encodeErr(msg: unknown, code = 'BAD_VALUE'): string {
  try {
    encodeMessage(msg as MessageInput);
  } catch (e) {
    expect(e).toBeInstanceOf(RtsockEncodeError);
    const err = e as RtsockEncodeError;
    expect(err.name).toBe('RtsockEncodeError');
    expect(err.code).toBe(code);
    if (err.path) expect(err.message.startsWith(`${err.path}: `)).toBe(true);
    return err.path;
  }
  throw new Error(`expected a RtsockEncodeError for ${JSON.stringify(msg, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
}

const inet = (addr: string, extra: Record<string, unknown> = {}) => ({ kind: 'inet' as const, addr, port: 0, ...extra });

describe('RtsockEncodeError', () => {
  test.each([
    ['u16 above range', { type: 4, index: 70000 }, 'index'],
    ['u16 negative', { type: 4, tableid: -1 }, 'tableid'],
    ['u8 above range', { type: 4, priority: 256 }, 'priority'],
    ['i32 above range', { type: 4, flags: 2 ** 31 }, 'flags'],
    ['i32 below range', { type: 4, flags: -(2 ** 31) - 1 }, 'flags'],
    ['non-integer', { type: 4, rmx: { mtu: 1.5 } }, 'rmx.mtu'],
    ['string for a number', { type: 4, seq: '5' }, 'seq'],
    ['u64 negative', { type: 4, rmx: { pksent: -1n } }, 'rmx.pksent'],
    ['u64 too large', { type: 4, rmx: { pksent: 1n << 64n } }, 'rmx.pksent'],
    ['4.9 rmx_expire is u_int', { type: 4, rmx: { expire: 2 ** 32 } }, 'rmx.expire'],
    ['current rmx_expire is int64', { type: 4, dialect: 'openbsd', rmx: { expire: 1n << 63n } }, 'rmx.expire'],
    ['u64 not a number', { type: 'RTM_IFINFO', data: { baudrate: 'x' } }, 'data.baudrate'],
    ['nested struct not an object', { type: 4, rmx: 5 }, 'rmx'],
    ['i64 in a nested timeval', { type: 'RTM_IFINFO', dialect: 'openbsd', data: { lastchange: { sec: 1n << 63n } } }, 'data.lastchange.sec'],
    ['struct array too long', { type: 'RTM_IFINFO', data: { mclpool: new Array(8).fill({}) } }, 'data.mclpool'],
    ['struct array element field', { type: 'RTM_IFINFO', data: { mclpool: [{}, { alive: 70000 }] } }, 'data.mclpool[].alive'],
    ['char[16] too long', { type: 'RTM_IFANNOUNCE', name: 'x'.repeat(17) }, 'name'],
    ['char[] not latin1', { type: 'RTM_IFANNOUNCE', name: '\u0100' }, 'name'],
    ['byte array too long', { type: 'RTM_80211INFO', dialect: 'openbsd', ifie: { nwid: '00'.repeat(33) } }, 'ifie.nwid'],
    ['embedded sockaddr_bfd field', { type: 'RTM_BFD', dialect: 'openbsd', sa: { mintx: -1 } }, 'sa.mintx'],
    ['gap not hex', { type: 'RTM_80211INFO', dialect: 'openbsd', _pad10: 'zz' }, '_pad10'],
    ['unknown type name', { type: 'RTM_BOGUS' }, 'type'],
    ['type 256', { type: 256 }, 'type'],
    ['type -1', { type: -1 }, 'type'],
    ['unknown header kind', { type: 4, hdr: 'bogus_msghdr' }, 'hdr'],
    ['hdrlen inside the header', { type: 4, hdrlen: 10 }, 'hdrlen'],
    ['hdrlen not an integer', { type: 4, hdrlen: 90.5 }, 'hdrlen'],
    ['hdrlen above 65535', { type: 4, hdrlen: 70000 }, 'hdrlen'],
    ['msglen too small for the content', { type: 4, msglen: 50 }, 'msglen'],
    ['msglen above 65535', { type: 4, msglen: 70000 }, 'msglen'],
    ['hdrpad not hex', { type: 4, hdrlen: 96, hdrpad: 'zz' }, 'hdrpad'],
    ['hdrpad longer than hdrlen leaves', { type: 4, hdrlen: 96, hdrpad: '01'.repeat(9) }, 'hdrpad'],
    ['trailer not hex', { type: 4, trailer: 'abc' }, 'trailer'],
    ['trailer past 65535 bytes', { type: 4, trailer: '00'.repeat(70000) }, 'trailer'],
    ['sockaddrs not an object', { type: 4, sockaddrs: 5 }, 'sockaddrs'],
    ['unknown slot', { type: 4, sockaddrs: { foo: inet('1.2.3.4') } }, 'sockaddrs.foo'],
    ['current-only slot in 4.9', { type: 4, sockaddrs: { dns: { kind: 'dns', addrs: [] } } }, 'sockaddrs.dns'],
    ['sockaddrs on a header without addrs', { type: 'RTM_IFANNOUNCE', sockaddrs: { dst: inet('1.2.3.4') } }, 'sockaddrs'],
    ['sockaddr not an object', { type: 4, sockaddrs: { dst: 5 } }, 'sockaddrs.dst'],
    ['unknown sockaddr kind', { type: 4, sockaddrs: { dst: { kind: 'bogus' } } }, 'sockaddrs.dst.kind'],
    ['IPv4 octet 256', { type: 4, sockaddrs: { dst: inet('10.0.0.256') } }, 'sockaddrs.dst.addr'],
    ['IPv4 three parts', { type: 4, sockaddrs: { gateway: inet('1.2.3') } }, 'sockaddrs.gateway.addr'],
    ['IPv4 with a leading space', { type: 4, sockaddrs: { dst: inet(' 1.2.3.4') } }, 'sockaddrs.dst.addr'],
    ['IPv6 triple colon', { type: 4, sockaddrs: { dst: { kind: 'inet6', addr: 'fe80:::1', port: 0, flowinfo: 0, scope_id: 0 } } }, 'sockaddrs.dst.addr'],
    ['IPv6 two ::', { type: 4, sockaddrs: { dst: { kind: 'inet6', addr: '1::2::3', port: 0, flowinfo: 0, scope_id: 0 } } }, 'sockaddrs.dst.addr'],
    ['IPv6 group of 5 digits', { type: 4, sockaddrs: { dst: { kind: 'inet6', addr: '12345::', port: 0, flowinfo: 0, scope_id: 0 } } }, 'sockaddrs.dst.addr'],
    ['port 65536', { type: 4, sockaddrs: { gateway: inet('1.2.3.4', { port: 65536 }) } }, 'sockaddrs.gateway.port'],
    ['scope_id negative', { type: 4, sockaddrs: { dst: { kind: 'inet6', addr: '::1', port: 0, flowinfo: 0, scope_id: -1 } } }, 'sockaddrs.dst.scope_id'],
    ['flowinfo above u32', { type: 4, sockaddrs: { dst: { kind: 'inet6', addr: '::1', port: 0, flowinfo: 2 ** 32, scope_id: 0 } } }, 'sockaddrs.dst.flowinfo'],
    ['sa_len 300', { type: 4, sockaddrs: { dst: inet('1.2.3.4', { len: 300 }) } }, 'sockaddrs.dst.len'],
    ['family 256', { type: 4, sockaddrs: { dst: inet('1.2.3.4', { family: 256 }) } }, 'sockaddrs.dst.family'],
    ['len cutting off the address', { type: 4, sockaddrs: { dst: inet('10.1.2.3', { len: 6 }) } }, 'sockaddrs.dst'],
    ['len cutting off a link name', { type: 4, sockaddrs: { ifp: { kind: 'link', index: 1, type: 6, name: 'em0', lladdr: '', len: 9 } } }, 'sockaddrs.ifp'],
    ['len cutting off an mpls label', { type: 4, sockaddrs: { src: { kind: 'mpls', label: 0xfffff, len: 6 } } }, 'sockaddrs.src'],
    ['tail past len', { type: 4, sockaddrs: { dst: inet('10.1.2.3', { len: 17, tail: '0102' }) } }, 'sockaddrs.dst.tail'],
    ['pad past ROUNDUP(len)', { type: 4, sockaddrs: { dst: inet('10.1.2.3', { len: 12, pad: '0102030405' }) } }, 'sockaddrs.dst.pad'],
    ['sin_zero not hex', { type: 4, sockaddrs: { dst: inet('10.1.2.3', { zero: 'q' }) } }, 'sockaddrs.dst.zero'],
    ['link name too long', { type: 4, sockaddrs: { ifp: { kind: 'link', index: 1, type: 6, name: 'x'.repeat(300), lladdr: '' } } }, 'sockaddrs.ifp.name'],
    ['lladdr not hex', { type: 4, sockaddrs: { ifp: { kind: 'link', index: 1, type: 6, name: 'em0', lladdr: 'zz' } } }, 'sockaddrs.ifp.lladdr'],
    ['sdl_index 65536', { type: 4, sockaddrs: { ifp: { kind: 'link', index: 65536, type: 6, name: 'em0', lladdr: '' } } }, 'sockaddrs.ifp.index'],
    ['sdl_type 256', { type: 4, sockaddrs: { ifp: { kind: 'link', index: 1, type: 256, name: 'em0', lladdr: '' } } }, 'sockaddrs.ifp.type'],
    ['mpls label 2^20', { type: 4, sockaddrs: { src: { kind: 'mpls', label: 2 ** 20 } } }, 'sockaddrs.src.label'],
    ['label 40 characters', { type: 4, sockaddrs: { label: { kind: 'label', label: 'x'.repeat(40) } } }, 'sockaddrs.label.label'],
    ['unix path too long', { type: 4, sockaddrs: { dst: { kind: 'unix', path: 'p'.repeat(200) } } }, 'sockaddrs.dst.path'],
    ['unknown data not hex', { type: 4, sockaddrs: { dst: { kind: 'unknown', data: 'xyz' } } }, 'sockaddrs.dst.data'],
    ['unknown data too long', { type: 4, sockaddrs: { dst: { kind: 'unknown', data: '00'.repeat(254) } } }, 'sockaddrs.dst.data'],
    ['dns bad address', { type: 4, dialect: 'openbsd', sockaddrs: { dns: { kind: 'dns', addrs: ['1.2.3.4', 'x'] } } }, 'sockaddrs.dns.addrs[1]'],
    ['dns not an array', { type: 4, dialect: 'openbsd', sockaddrs: { dns: { kind: 'dns', addrs: '1.2.3.4' } } }, 'sockaddrs.dns.addrs'],
    ['static data not hex', { type: 4, dialect: 'openbsd', sockaddrs: { static: { kind: 'static', data: 'g0' } } }, 'sockaddrs.static.data'],
    ['bfd in 4.9', { type: 4, sockaddrs: { bfd: { kind: 'bfd', bfd: {} } } }, 'sockaddrs.bfd'],
    ['message null', null, ''],
  ])('%s', (_what, msg, path) => {
    expect(encodeErr(msg)).toBe(path);
  });

  test('unknown dialect / arch -> BAD_DIALECT', () => {
    expect(encodeErr({ type: 4, dialect: 'openbsd-9' }, 'BAD_DIALECT')).toBe('dialect');
    encodeErr({ type: 4, arch: 'vax' }, 'BAD_DIALECT');
  });

  test('regression (BUG 5, fixed): a bad field inside a sockaddr_bfd value reports its full path', () => {
    expect(encodeErr({ type: 4, dialect: 'openbsd', sockaddrs: { bfd: { kind: 'bfd', bfd: { mode: 70000 } } } })).toBe('sockaddrs.bfd.bfd.mode');
  });

  test('a failed encode leaves no trace in the next one (scratch buffer cleared)', () => {
    const good = { type: 4, sockaddrs: { dst: inet('10.0.0.1') } };
    const before = Buffer.from(encodeMessage(good)).toString('hex');
    expect(() => encodeMessage({ type: 4, trailer: 'ff'.repeat(300), sockaddrs: { dst: inet('9.9.9.9'), gateway: inet('1.2.3.999') } })).toThrow(RtsockEncodeError);
    expect(() => encodeMessage({ type: 4, hdrlen: 200, hdrpad: 'ff'.repeat(112), msglen: 10 })).toThrow(RtsockEncodeError);
    expect(Buffer.from(encodeMessage(good)).toString('hex')).toBe(before);
    const big = encodeMessage({ type: 4, hdrlen: 200 });
    expect(big.subarray(6).every((x) => x === 0)).toBe(true);
  });
});
