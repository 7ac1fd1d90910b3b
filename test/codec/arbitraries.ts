/**
 * fast-check generators of whole messages, two ways:
 *  - `valueCaseArb`: a canonical message *value* plus the exact value decoding must give back
 *    (computed fields filled in), for decode(encode(v)) == expected;
 *  - `bytesCaseArb`: valid message *bytes* with random header bytes, hdrpad, sockaddr pad
 *    bytes and trailers, for encode(decode(b)) == b.
 */
import fc from 'fast-check';
import { getDialect, type ArchName, type DialectName, type HeaderKind } from '../../src/abi/dialect.js';
import type { CodecOptions, MessageInput } from '../../src/codec/message.js';
import {
  MASK_SLOTS, SLOTS, VERSION, bytesArb, compact, fmt4, fmt6, full6, headerFieldsArb, headerSize, hex, isScoped6,
  kernelHdrlen, latin1, nonZeroHex, roundup, sdlSize, sparseBytes, structArb, unit,
} from './helpers.js';

type Obj = Record<string, unknown>;
export interface SaPair { v: Obj; e: Obj }
export interface Ctx { d: DialectName; arch: ArchName; u: number; le: boolean }

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffffffff }));
const famNot = (...no: number[]) => fc.integer({ min: 0, max: 255 }).filter((f) => !no.includes(f));
const anyFam = fc.integer({ min: 0, max: 255 });

/** Adds optional non-zero `pad` and randomly leaves out len/family where they are the defaults. */
function finish(ctx: Ctx, e: Obj, defLen: number | undefined, defFam: number | undefined): fc.Arbitrary<SaPair> {
  const len = e['len'] as number;
  const n = roundup(len, ctx.u) - Math.max(len, 2);
  const padArb = n > 0 ? fc.option(nonZeroHex(n), { nil: undefined }) : fc.constant(undefined);
  return fc.tuple(padArb, fc.boolean(), fc.boolean()).map(([pad, dropLen, dropFam]) => {
    const ee = compact({ ...e, pad });
    const v: Obj = { ...ee };
    if (dropLen && defLen === len) delete v['len'];
    if (dropFam && defFam === e['family']) delete v['family'];
    return { v, e: ee };
  });
}

const tailArb = (extra: number) => (extra > 0 ? fc.option(nonZeroHex(extra), { nil: undefined }) : fc.constant(undefined));

function inetFull(ctx: Ctx, fam: fc.Arbitrary<number>): fc.Arbitrary<SaPair> {
  return fc.record({ port: u16, addr: bytesArb(4, 4), zero: fc.option(nonZeroHex(8), { nil: undefined }), extra: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 24 })), family: fam })
    .chain((r) => tailArb(r.extra).chain((tail) =>
      finish(ctx, compact({ kind: 'inet', len: 16 + r.extra, family: r.family, port: r.port, addr: fmt4(r.addr), zero: r.zero, tail }), 16, 2)));
}

/** sockaddr_in with sa_len < 16 (4.9 trimmed masks): bytes past sa_len read as zero. */
function inetShort(ctx: Ctx, fam: fc.Arbitrary<number>): fc.Arbitrary<SaPair> {
  return fc.record({ len: fc.integer({ min: 0, max: 15 }), raw: sparseBytes(16, 16), family: fam }).chain(({ len, raw, family }) => {
    for (let i = 0; i < 16; i++) if (i >= len) raw[i] = 0;
    const zeroNonZero = len > 8 && raw.subarray(8, len).some((x) => x !== 0);
    const e = compact({
      kind: 'inet', len, family, port: (raw[2]! << 8) | raw[3]!, addr: fmt4(raw, 4), zero: zeroNonZero ? hex(raw.subarray(8, 16)) : undefined,
    });
    return finish(ctx, e, undefined, 2);
  });
}

const addr6Arb = fc.oneof(
  bytesArb(16, 16),
  fc.tuple(fc.constantFrom(0xfe80, 0xfebf, 0xff02, 0xff01, 0xff12), fc.oneof(fc.constant(0), u16), sparseBytes(12, 12)).map(([p, s, rest]) => {
    const b = new Uint8Array(16);
    b[0] = p >> 8; b[1] = p & 0xff; b[2] = s >> 8; b[3] = s & 0xff; b.set(rest, 4);
    return b;
  }),
  sparseBytes(16, 16),
);

function inet6(ctx: Ctx, fam: fc.Arbitrary<number>, mask: boolean): fc.Arbitrary<SaPair> {
  const lenArb = fc.oneof({ arbitrary: fc.constant(28), weight: 4 }, fc.integer({ min: 29, max: 48 }), fc.integer({ min: 0, max: 27 }));
  return fc.record({ len: lenArb, port: u16, flowinfo: u32, addr: addr6Arb, scope: fc.oneof(fc.constant(0), u16, u32), family: fam, full: fc.boolean() })
    .chain((r) => {
      // Bytes past sa_len read as zero: build the 28-byte image, cut at len, read it back.
      const img = new Uint8Array(28);
      const dv = new DataView(img.buffer);
      dv.setUint16(2, r.port);
      dv.setUint32(4, r.flowinfo, ctx.le);
      img.set(r.addr, 8);
      dv.setUint32(24, r.scope, ctx.le);
      if (r.len < 28) img.fill(0, Math.max(r.len, 2));
      const addr = img.slice(8, 24);
      let scope = dv.getUint32(24, ctx.le);
      let embeddedFalse = false;
      // KAME scope (abi.md §6): outside mask slots an embedded scope with sin6_scope_id 0 is
      // surfaced as scope_id; a scoped address with nothing embedded but a scope_id the encoder
      // would embed (1..0xffff) is marked scope_embedded: false.
      if (isScoped6(addr)) {
        const emb = (addr[2]! << 8) | addr[3]!;
        if (!mask && emb !== 0 && scope === 0) { scope = emb; addr[2] = 0; addr[3] = 0; } else if (emb === 0 && scope !== 0 && scope <= 0xffff) embeddedFalse = true;
      }
      const e = compact({
        kind: 'inet6', len: r.len, family: r.family, port: dv.getUint16(2), flowinfo: dv.getUint32(4, ctx.le), addr: fmt6(addr), scope_id: scope,
        scope_embedded: embeddedFalse ? false : undefined,
      });
      const tailN = r.len - 28;
      return tailArb(tailN).chain((tail) => finish(ctx, compact({ ...e, tail }), 28, 24)).map((p) => {
        if (r.full) p.v['addr'] = full6(addr);
        return p;
      });
    });
}

function link(ctx: Ctx): fc.Arbitrary<SaPair> {
  return fc.record({
    index: u16, type: fc.integer({ min: 0, max: 255 }), name: latin1(0, 16, 0), ll: bytesArb(0, 8), sel: bytesArb(0, 3),
    extra: fc.integer({ min: 0, max: 16 }), omitLen: fc.boolean(), upper: fc.boolean(),
  }).chain((r) => {
    const used = 8 + r.name.length + r.ll.length + r.sel.length;
    const len = r.omitLen ? Math.max(used, sdlSize(ctx.d)) : used + r.extra;
    const lladdr = Array.from(r.ll, (x) => x.toString(16).padStart(2, '0')).join(':');
    return (r.omitLen ? fc.constant(undefined) : tailArb(r.extra)).chain((tail) => {
      const e = compact({ kind: 'link', len, family: 18, index: r.index, type: r.type, name: r.name, lladdr, selector: r.sel.length ? hex(r.sel) : undefined, tail });
      return finish(ctx, e, r.omitLen ? len : -1, 18).map((p) => {
        if (r.omitLen) delete p.v['len'];
        if (r.upper) p.v['lladdr'] = lladdr.toUpperCase();
        return p;
      });
    });
  });
}

/** A string field in a fixed char array: full struct, shorter sa_len, or longer with a tail. */
function stringSa(ctx: Ctx, kind: 'label' | 'unix', key: string, family: number, size: number, maxChars: number): fc.Arbitrary<SaPair> {
  return fc.record({ s: latin1(0, maxChars), mode: fc.constantFrom('full', 'short', 'long'), k: fc.integer({ min: 0, max: 200 }), extra: fc.integer({ min: 1, max: 20 }) })
    .chain((r) => {
      let len = size;
      if (r.mode === 'short' && r.s.length < size - 2) len = 2 + r.s.length + (r.k % (size - 1 - r.s.length));
      const extra = r.mode === 'long' ? r.extra : 0;
      len += extra;
      return tailArb(extra).chain((tail) => finish(ctx, compact({ kind, len, family, [key]: r.s, tail }), size, family));
    });
}

function mpls(ctx: Ctx): fc.Arbitrary<SaPair> {
  return fc.record({ label: fc.integer({ min: 0, max: 0xfffff }), low: fc.integer({ min: 0, max: 0xfff }), pad0: fc.oneof(fc.constant(0), u16), pad1: fc.option(nonZeroHex(8), { nil: undefined }), extra: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 16 })) })
    .chain((r) => tailArb(r.extra).chain((tail) => finish(ctx, compact({
      kind: 'mpls', len: 16 + r.extra, family: 33, label: r.label, low: r.low || undefined, pad0: r.pad0 || undefined, pad1: r.pad1, tail,
    }), 16, 33)));
}

function unknown(ctx: Ctx, fam: fc.Arbitrary<number>, notLen?: number): fc.Arbitrary<SaPair> {
  return fc.record({ family: fam, data: fc.oneof({ arbitrary: bytesArb(0, 40), weight: 5 }, bytesArb(0, 253)), tiny: fc.integer({ min: 0, max: 9 }) })
    .map((r) => (r.tiny < 2 ? { ...r, len: r.tiny, data: new Uint8Array(0) } : { ...r, len: 2 + r.data.length }))
    .filter((r) => r.len !== notLen)
    .chain((r) => finish(ctx, { kind: 'unknown', len: r.len, family: r.family, data: hex(r.data) }, r.len >= 2 ? r.len : undefined, 0));
}

function dns(ctx: Ctx): fc.Arbitrary<SaPair> {
  return fc.oneof(
    fc.array(bytesArb(4, 4), { maxLength: 63 }).map((a) => ({ family: 2, e: a.map((b) => fmt4(b)), v: a.map((b) => fmt4(b)) })),
    fc.tuple(fc.array(addr6Arb, { maxLength: 15 }), fc.boolean()).map(([a, full]) => ({ family: 24, e: a.map((b) => fmt6(b)), v: a.map((b) => (full ? full6(b) : fmt6(b))) })),
  ).chain((r) => finish(ctx, { kind: 'dns', len: 2 + r.e.length * (r.family === 2 ? 4 : 16), family: r.family, addrs: r.e }, undefined, r.e.length ? r.family : 2)
    .map((p) => ({ ...p, v: { ...p.v, addrs: r.v } })));
}

function rtdata(ctx: Ctx, kind: 'static' | 'search', defFam: number): fc.Arbitrary<SaPair> {
  return fc.record({ data: bytesArb(0, 128), family: fc.oneof(fc.constantFrom(0, 2, 24), anyFam) })
    .chain((r) => finish(ctx, { kind, len: 2 + r.data.length, family: r.family, data: hex(r.data) }, 2 + r.data.length, defFam));
}

function bfd(ctx: Ctx): fc.Arbitrary<SaPair> {
  const layout = getDialect(ctx.d, ctx.arch).structs['sockaddr_bfd']!;
  return fc.record({ bfd: structArb(layout, new Set(['len', 'family'])), family: fc.oneof(fc.constant(0), anyFam) })
    .chain((r) => finish(ctx, { kind: 'bfd', len: layout.size, family: r.family, bfd: r.bfd }, layout.size, 0));
}

const KNOWN = [1, 2, 18, 24, 33];

function byFamily(ctx: Ctx, unknownFam: fc.Arbitrary<number>): fc.Arbitrary<SaPair> {
  return fc.oneof(
    inetFull(ctx, fc.constant(2)), inetShort(ctx, fc.constant(2)), inet6(ctx, fc.constant(24), false), link(ctx), mpls(ctx),
    stringSa(ctx, 'unix', 'path', 1, 106, 104), unknown(ctx, unknownFam),
  );
}

/** A canonical sockaddr for `slot` given the route family (DST's, else IFA's family byte). */
export function sockaddrArb(ctx: Ctx, slot: string, routeFam: number): fc.Arbitrary<SaPair> {
  if (MASK_SLOTS.has(slot)) {
    if (routeFam === 2) return fc.oneof(inetFull(ctx, anyFam), inetShort(ctx, anyFam));
    if (routeFam === 24) return inet6(ctx, anyFam, true);
    return fc.oneof(inetFull(ctx, fc.constant(2)), inetShort(ctx, fc.constant(2)), inet6(ctx, fc.constant(24), true), unknown(ctx, famNot(2, 24)));
  }
  switch (slot) {
    case 'label': return fc.oneof(stringSa(ctx, 'label', 'label', 0, 34, 32), byFamily(ctx, famNot(0, ...KNOWN)));
    case 'bfd': return fc.oneof(bfd(ctx), unknown(ctx, anyFam, getDialect(ctx.d, ctx.arch).structs['sockaddr_bfd']!.size));
    case 'dns': return fc.oneof(dns(ctx), link(ctx), mpls(ctx), unknown(ctx, famNot(...KNOWN)));
    case 'static': return rtdata(ctx, 'static', 2);
    case 'search': return rtdata(ctx, 'search', 0);
    default: return byFamily(ctx, famNot(...KNOWN));
  }
}

/** Sockaddrs for every slot of the dialect, each present with some probability. */
export function sockaddrsArb(ctx: Ctx): fc.Arbitrary<{ v: Obj; e: Obj; bits: number; sizes: number }> {
  const slots = SLOTS[ctx.d];
  const present = fc.array(fc.integer({ min: 0, max: 9 }).map((x) => x < 3), { minLength: slots.length, maxLength: slots.length });
  return present.chain((p) => {
    const dstArb = p[0] ? sockaddrArb(ctx, 'dst', 0).map((x) => x as SaPair | undefined) : fc.constant(undefined);
    const ifaArb = p[5] ? sockaddrArb(ctx, 'ifa', 0).map((x) => x as SaPair | undefined) : fc.constant(undefined);
    return fc.tuple(dstArb, ifaArb).chain(([dst, ifa]) => {
      const routeFam = dst ? (dst.e['family'] as number) : ifa ? (ifa.e['family'] as number) : 0;
      const arbs = slots.map((s, i) => {
        if (!p[i]) return fc.constant(undefined);
        if (i === 0) return fc.constant(dst);
        if (i === 5) return fc.constant(ifa);
        return sockaddrArb(ctx, s, routeFam).map((x) => x as SaPair | undefined);
      });
      return fc.tuple(...arbs).map((list) => {
        const v: Obj = {}, e: Obj = {};
        let bits = 0, sizes = 0;
        list.forEach((x, i) => {
          if (!x) return;
          v[slots[i]!] = x.v;
          e[slots[i]!] = x.e;
          bits |= 1 << i;
          sizes += roundup(x.e['len'] as number, ctx.u);
        });
        return { v, e, bits, sizes };
      });
    });
  });
}

export interface ValueCase { input: MessageInput; opts: CodecOptions; expected: Obj }

/** A message value of type `type` (header `hdr`) and what decode(encode(value)) must be. */
export function valueCaseArb(d: DialectName, arch: ArchName, tname: string, type: number, hdr: HeaderKind): fc.Arbitrary<ValueCase> {
  const dia = getDialect(d, arch);
  const layout = dia.headers[hdr]!;
  const ctx: Ctx = { d, arch, u: unit(arch), le: dia.littleEndian };
  const size = headerSize(d, arch, hdr);
  const kh = kernelHdrlen(d, arch, type, hdr);
  const hasAddrs = layout.fields.some((f) => f.name === 'addrs');
  return fc.record({
    fields: headerFieldsArb(layout),
    hdrMode: fc.oneof({ arbitrary: fc.constant(-1), weight: 3 }, fc.constant(0), fc.integer({ min: 1, max: 24 })),
    hdrpadSeed: bytesArb(96, 96),
    usePad: fc.boolean(),
    sas: hasAddrs ? sockaddrsArb(ctx) : fc.constant(undefined),
    trailer: fc.option(fc.integer({ min: 1, max: 24 }).chain((n) => nonZeroHex(n)), { nil: undefined, freq: 3 }),
    zeros: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, fc.integer({ min: 1, max: 16 })),
    high: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, fc.integer({ min: SLOTS[d].length, max: 31 }).map((b) => (1 << b) | 0)),
    typeAsName: fc.boolean(),
    where: fc.constantFrom('msg', 'opts', 'alias'),
  }).map((r) => {
    const hdrlen = r.hdrMode === -1 ? kh : r.hdrMode === 0 ? 0 : size + r.hdrMode;
    const start = hdrlen === 0 ? size : hdrlen;
    const padN = start - size;
    let hdrpad: string | undefined;
    if (r.usePad && padN > 0) {
      const b = r.hdrpadSeed.slice(0, padN);
      if (b.some((x) => x !== 0)) hdrpad = hex(b);
    }
    const trailerBytes = r.trailer ? r.trailer.length / 2 : 0;
    const msglen = start + (r.sas?.sizes ?? 0) + trailerBytes + r.zeros;
    const input: MessageInput = { ...r.fields, type: r.typeAsName ? tname : type };
    if (r.hdrMode !== -1) input.hdrlen = hdrlen;
    if (hdrpad) input.hdrpad = hdrpad;
    if (r.trailer) input.trailer = r.trailer;
    if (r.zeros) input.msglen = msglen;
    if (r.sas) input.sockaddrs = r.sas.v as MessageInput['sockaddrs'];
    if (r.high) input.addrs = (r.sas?.bits ?? 0) | r.high;
    const opts: ValueCase['opts'] = { arch };
    if (r.where === 'msg') { input.dialect = d; input.arch = arch; } else if (r.where === 'opts') opts.dialect = d;
    else input.dialect = d === 'openbsd' ? 'openbsd-current' : d;
    const expected: Obj = compact({
      ...r.fields, dialect: d, arch: arch === 'amd64' ? undefined : arch, hdr, msglen, version: VERSION[d], type, hdrlen, hdrpad,
      trailer: r.trailer || r.zeros ? (r.trailer ?? '') + '00'.repeat(r.zeros) : undefined,
    });
    if (expected['trailer'] !== undefined && /^0*$/.test(expected['trailer'] as string)) delete expected['trailer'];
    if (hasAddrs) {
      expected['addrs'] = (r.sas?.bits ?? 0) | r.high;
      expected['sockaddrs'] = r.sas?.e ?? {};
    }
    return { input, opts, expected };
  });
}

// ---------------------------------------------------------------------------------------
// Bytes-first

const FAMS = fc.oneof(fc.constantFrom(0, 1, 2, 18, 24, 33, 0xff), fc.integer({ min: 0, max: 255 }));
const LENS = fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 20, 24, 28, 32, 34, 76, 80, 106, 130), fc.integer({ min: 0, max: 255 }));

/** Raw bytes of one sockaddr (ROUNDUP(sa_len) long) with random pad bytes. */
export function sockaddrBytesArb(arch: ArchName, le: boolean): fc.Arbitrary<Uint8Array> {
  const u = unit(arch);
  const generic = fc.record({ len: LENS, family: FAMS, body: sparseBytes(256, 256), pad: sparseBytes(8, 8) }).map((r) => {
    const size = roundup(r.len, u);
    const body = Math.max(r.len, 2);
    const img = new Uint8Array(size);
    img.set(r.body.subarray(0, body));
    img.set(r.pad.subarray(0, size - body), body);
    img[0] = r.len;
    img[1] = r.family;
    return img;
  });
  const linkB = fc.record({ nlen: fc.integer({ min: 0, max: 16 }), alen: fc.integer({ min: 0, max: 8 }), slen: fc.integer({ min: 0, max: 3 }), extra: fc.integer({ min: -2, max: 16 }), fill: sparseBytes(64, 64), pad: sparseBytes(8, 8), index: u16 })
    .map((r) => {
      const len = Math.max(0, Math.min(255, 8 + r.nlen + r.alen + r.slen + r.extra));
      const size = roundup(len, u);
      const img = new Uint8Array(size);
      img.set(r.fill.subarray(0, Math.max(len, 2)));
      img.set(r.pad.subarray(0, size - Math.max(len, 2)), Math.max(len, 2));
      img[0] = len; img[1] = 18;
      new DataView(img.buffer).setUint16(2, r.index, le);
      if (size > 7) { img[5] = r.nlen; img[6] = r.alen; img[7] = r.slen; }
      return img;
    });
  const strB = fc.record({ family: fc.constantFrom(0, 1), len: fc.constantFrom(34, 106, 20, 40, 120), s: latin1(0, 32), junk: fc.integer({ min: 0, max: 9 }), pad: sparseBytes(8, 8) }).map((r) => {
    const size = roundup(r.len, u);
    const img = new Uint8Array(size);
    img[0] = r.len; img[1] = r.family;
    for (let i = 0; i < r.s.length && 2 + i < r.len; i++) img[2 + i] = r.s.charCodeAt(i);
    if (r.junk === 0 && r.len > 2 + r.s.length + 1) img[r.len - 1] = 0x55;
    img.set(r.pad.subarray(0, size - r.len), r.len);
    return img;
  });
  const in6B = fc.record({ addr: addr6Arb, scope: fc.oneof(fc.constant(0), u16, u32), len: fc.constantFrom(28, 28, 16, 24, 27, 32), family: fc.constantFrom(24, 24, 0xff, 0), pad: sparseBytes(8, 8), head: bytesArb(6, 6) })
    .map((r) => {
      const size = roundup(r.len, u);
      const img = new Uint8Array(Math.max(size, 28));
      img.set(r.head, 2);
      img.set(r.addr, 8);
      new DataView(img.buffer).setUint32(24, r.scope, le);
      img.fill(0, r.len);
      img.set(r.pad.subarray(0, size - r.len), r.len);
      img[0] = r.len; img[1] = r.family;
      return img.slice(0, size);
    });
  const dnsB = fc.record({ family: fc.constantFrom(2, 24), n: fc.integer({ min: 0, max: 15 }), fill: bytesArb(253, 253), odd: fc.boolean() }).map((r) => {
    const len = Math.min(255, 2 + r.n * (r.family === 2 ? 4 : 16) + (r.odd ? 1 : 0));
    const size = roundup(len, u);
    const img = new Uint8Array(size);
    img.set(r.fill.subarray(0, len - 2), 2);
    img[0] = len; img[1] = r.family;
    return img;
  });
  return fc.oneof({ arbitrary: generic, weight: 4 }, linkB, strB, in6B, dnsB);
}

export interface BytesCase { bytes: Uint8Array; arch: ArchName }

/** Valid bytes of one message of `type`: random header/hdrpad/pad/trailer bytes. */
export function bytesCaseArb(d: DialectName, arch: ArchName, type: number, hdr: HeaderKind): fc.Arbitrary<BytesCase> {
  const dia = getDialect(d, arch);
  const size = headerSize(d, arch, hdr);
  const kh = kernelHdrlen(d, arch, type, hdr);
  const hasAddrs = dia.headers[hdr]!.fields.some((f) => f.name === 'addrs');
  const nslots = SLOTS[d].length;
  const saList = fc.array(fc.option(sockaddrBytesArb(arch, dia.littleEndian), { nil: undefined, freq: 2 }), { minLength: nslots, maxLength: nslots });
  return fc.record({
    head: bytesArb(size, size),
    hdrMode: fc.oneof({ arbitrary: fc.constant(-1), weight: 3 }, fc.constant(0), fc.integer({ min: 1, max: 24 })),
    hdrpad: sparseBytes(96, 96),
    sas: hasAddrs ? saList : fc.constant([] as (Uint8Array | undefined)[]),
    trailer: fc.oneof(fc.constant(new Uint8Array(0)), sparseBytes(1, 24)),
    high: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, fc.integer({ min: nslots, max: 31 }).map((b) => (1 << b) | 0)),
  }).map((r) => {
    const hdrlen = r.hdrMode === -1 ? kh : r.hdrMode === 0 ? 0 : size + r.hdrMode;
    const start = hdrlen === 0 ? size : hdrlen;
    let bits = 0;
    const parts: Uint8Array[] = [];
    r.sas.forEach((s, i) => { if (s) { bits |= 1 << i; parts.push(s); } });
    const saLen = parts.reduce((n, p) => n + p.length, 0);
    const msglen = start + saLen + r.trailer.length;
    const b = new Uint8Array(msglen);
    b.set(r.head);
    b.set(r.hdrpad.subarray(0, start - size), size);
    let pos = start;
    for (const p of parts) { b.set(p, pos); pos += p.length; }
    b.set(r.trailer, pos);
    const dv = new DataView(b.buffer);
    dv.setUint16(0, msglen, dia.littleEndian);
    b[2] = VERSION[d];
    b[3] = type;
    dv.setUint16(4, hdrlen, dia.littleEndian);
    if (hasAddrs) dv.setInt32(12, bits | r.high, dia.littleEndian);
    return { bytes: b, arch };
  });
}
