/**
 * rt_msghdr at the byte level, for the hot path (every request and reply). Offsets come from the
 * dialect's compiler-verified layout, so 4.9's 88-byte header (rt_metrics with a 32-bit expire)
 * and current's 96-byte one are the same code with different numbers.
 */
import type { Dialect } from '../abi/dialect.js';
import type { LayoutField, StructLayout } from '../abi/layout.js';
import { SLAB_VIEW_MAX, slabHalves, slabWords, zeroed, zeroedWithView } from './alloc.js';

export interface RtHeaderLayout {
  readonly size: number;
  readonly version: number;
  readonly le: boolean;
  /** ROUNDUP unit for sockaddrs. */
  readonly unit: number;
  /** ALIGN() of rt_msg2 / sysctl records. */
  readonly align: number;
  readonly index: number; readonly tableid: number; readonly priority: number; readonly addrs: number;
  readonly flags: number; readonly fmask: number; readonly pid: number; readonly seq: number;
  readonly errno: number; readonly inits: number;
  readonly pksent: number; readonly locks: number; readonly mtu: number; readonly refcnt: number;
  readonly expire: number; readonly expireSize: number;
}

function field(layout: StructLayout, name: string): LayoutField {
  const f = layout.fields.find((x) => x.name === name);
  if (!f) throw new Error(`abi: ${layout.name} has no ${name}`);
  return f;
}

const cache = new WeakMap<Dialect, RtHeaderLayout>();

export function rtHeaderLayout(d: Dialect): RtHeaderLayout {
  const hit = cache.get(d);
  if (hit) return hit;
  const h = d.headers.rt_msghdr!;
  const rmx = field(h, 'rmx');
  const m = rmx.struct!;
  const at = (n: string) => field(h, n).offset;
  const mat = (n: string) => rmx.offset + field(m, n).offset;
  const l: RtHeaderLayout = {
    size: h.size, version: d.rtmVersion, le: d.littleEndian, unit: d.roundup, align: d.msg2Align,
    index: at('index'), tableid: at('tableid'), priority: at('priority'), addrs: at('addrs'), flags: at('flags'),
    fmask: at('fmask'), pid: at('pid'), seq: at('seq'), errno: at('errno'), inits: at('inits'),
    pksent: mat('pksent'), locks: mat('locks'), mtu: mat('mtu'), refcnt: mat('refcnt'),
    expire: mat('expire'), expireSize: field(m, 'expire').size,
  };
  cache.set(d, l);
  return l;
}

export function roundupLen(len: number, unit: number): number {
  return len > 0 ? 1 + ((len - 1) | (unit - 1)) : unit;
}

/** Header values of a route message the kernel writes. */
export interface RtHeaderValues {
  type: number;
  index: number;
  tableid: number;
  priority: number;
  flags: number;
  fmask?: number;
  pid: number;
  seq: number;
  errno: number;
  inits?: number;
  use?: number;
  locks?: number;
  mtu?: number;
  expire?: number;
  refcnt?: number;
}

/**
 * Builds a kernel rt_msghdr message: header, then each present sockaddr (RTAX order, index = slot)
 * padded to ROUNDUP. `align` rounds msglen (rt_msg2 and sysctl records), 1 = none.
 */
export function buildRtMessage(
  l: RtHeaderLayout, v: RtHeaderValues, sas: readonly (Uint8Array | undefined)[], align: number,
): Uint8Array {
  let len = l.size + sockaddrsLength(sas, l.unit);
  if (align > 1) len = (len + align - 1) & ~(align - 1);
  const out = zeroed(len);
  writeHeader(l, v, out, len, addrsOf(sas));
  writeSockaddrs(out, l.size, sas, l.unit);
  return out;
}

/** rtm_addrs of the sockaddrs present in `sas` (index = RTAX slot). */
export function addrsOf(sas: readonly (Uint8Array | undefined)[]): number {
  let addrs = 0;
  for (let i = 0; i < sas.length; i++) if (sas[i] !== undefined) addrs |= 1 << i;
  return addrs;
}

/** Bytes the sockaddrs present in `sas` take, each padded to ROUNDUP(sa_len). */
export function sockaddrsLength(sas: readonly (Uint8Array | undefined)[], unit: number): number {
  let len = 0;
  for (let i = 0; i < sas.length; i++) {
    const sa = sas[i];
    if (sa !== undefined) len += roundupLen(sa.length === 0 ? 0 : sa[0]!, unit);
  }
  return len;
}

/** Copies the sockaddrs present in `sas` (RTAX order, sa_len bytes each) into zeroed `out` from `pos`, each padded to ROUNDUP. */
export function writeSockaddrs(out: Uint8Array, pos: number, sas: readonly (Uint8Array | undefined)[], unit: number): void {
  for (let i = 0; i < sas.length; i++) {
    const sa = sas[i];
    if (sa === undefined) continue;
    const n = sa.length === 0 ? 0 : sa[0]!;
    if (n >= sa.length) out.set(sa, pos);
    else out.set(sa.subarray(0, n), pos);
    pos += roundupLen(n, unit);
  }
}

/** Writes the header fields of a message `out` of `len` bytes from zeroed(len). */
export function writeHeader(l: RtHeaderLayout, v: RtHeaderValues, out: Uint8Array, len: number, addrs: number): void {
  if (l.le === HOST_LE && len <= SLAB_VIEW_MAX) writeHeaderWords(l, v, out, len, addrs);
  else writeHeaderBytes(l, v, out, len, addrs);
}

/** Whether this machine stores integers little-endian (typed-array aliases use host order). */
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The header fields of {@link buildRtMessage} stored a field at a time through the slab's 16- and
 * 32-bit aliases (`out` is a slab view at a multiple of 8, and every rt_msghdr field offset of
 * every dialect is a multiple of its size). Same bytes as {@link writeHeaderBytes}: typed-array
 * stores truncate as its masks do. Host order, so only for a dialect of the host's byte order.
 */
function writeHeaderWords(l: RtHeaderLayout, v: RtHeaderValues, out: Uint8Array, len: number, addrs: number): void {
  const o = out.byteOffset;
  const h = slabHalves();
  const w = slabWords();
  h[o >> 1] = len;
  out[2] = l.version;
  out[3] = v.type;
  h[(o + 4) >> 1] = l.size;
  h[(o + l.index) >> 1] = v.index;
  h[(o + l.tableid) >> 1] = v.tableid;
  out[l.priority] = v.priority;
  w[(o + l.addrs) >> 2] = addrs;
  w[(o + l.flags) >> 2] = v.flags;
  if (v.fmask) w[(o + l.fmask) >> 2] = v.fmask;
  w[(o + l.pid) >> 2] = v.pid;
  w[(o + l.seq) >> 2] = v.seq;
  w[(o + l.errno) >> 2] = v.errno;
  if (v.inits) w[(o + l.inits) >> 2] = v.inits;
  if (v.use) wr64(out, l.pksent, v.use, true, false);
  if (v.locks) w[(o + l.locks) >> 2] = v.locks;
  if (v.mtu) w[(o + l.mtu) >> 2] = v.mtu;
  if (v.refcnt) w[(o + l.refcnt) >> 2] = v.refcnt;
  if (v.expire) {
    if (l.expireSize === 8) wr64(out, l.expire, v.expire, true, true);
    else w[(o + l.expire) >> 2] = v.expire;
  }
}

/** {@link writeHeaderWords} for any array and byte order: byte writes, no DataView, no BigInt for small values. */
function writeHeaderBytes(l: RtHeaderLayout, v: RtHeaderValues, out: Uint8Array, len: number, addrs: number): void {
  const le = l.le;
  wr16(out, 0, len, le);
  out[2] = l.version;
  out[3] = v.type;
  wr16(out, 4, l.size, le);
  wr16(out, l.index, v.index, le);
  wr16(out, l.tableid, v.tableid, le);
  out[l.priority] = v.priority;
  wr32(out, l.addrs, addrs, le);
  wr32(out, l.flags, v.flags, le);
  if (v.fmask) wr32(out, l.fmask, v.fmask, le);
  wr32(out, l.pid, v.pid, le);
  wr32(out, l.seq, v.seq, le);
  wr32(out, l.errno, v.errno, le);
  if (v.inits) wr32(out, l.inits, v.inits, le);
  if (v.use) wr64(out, l.pksent, v.use, le, false);
  if (v.locks) wr32(out, l.locks, v.locks, le);
  if (v.mtu) wr32(out, l.mtu, v.mtu, le);
  if (v.refcnt) wr32(out, l.refcnt, v.refcnt, le);
  if (v.expire) {
    if (l.expireSize === 8) wr64(out, l.expire, v.expire, le, true);
    else wr32(out, l.expire, v.expire, le);
  }
}

/** A bare rt_msghdr of one type (RTM_DESYNC): everything zero but the framing. */
export function bareRtMessage(l: RtHeaderLayout, type: number): Uint8Array {
  const { bytes: out, view: dv, base: o } = zeroedWithView(l.size);
  dv.setUint16(o, l.size, l.le);
  out[2] = l.version;
  out[3] = type;
  dv.setUint16(o + 4, l.size, l.le);
  return out;
}

// Host-order field access on plain bytes: a DataView per message costs more than the
// message (Node 20), and the kernel touches only a few fields of each request.
export function rd16(b: Uint8Array, o: number, le: boolean): number {
  return le ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!;
}
export function rdI32(b: Uint8Array, o: number, le: boolean): number {
  return le
    ? b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)
    : (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}
export function rdU32(b: Uint8Array, o: number, le: boolean): number {
  return rdI32(b, o, le) >>> 0;
}
/** A signed 64-bit field as a number (the kernel's expire values fit easily). */
export function rdI64(b: Uint8Array, o: number, le: boolean): number {
  const lo = rdU32(b, le ? o : o + 4, le);
  const hi = rdI32(b, le ? o + 4 : o, le);
  return hi * 4294967296 + lo;
}
/**
 * A 64-bit integer field from a number, as DataView.setBig(U)Int64(BigInt(v)) writes it (a
 * non-integer throws, as BigInt does).
 */
export function wr64(b: Uint8Array, o: number, v: number, le: boolean, signed: boolean): void {
  if (!Number.isSafeInteger(v)) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (signed) view.setBigInt64(o, BigInt(v), le);
    else view.setBigUint64(o, BigInt(v), le);
    return;
  }
  const hi = Math.floor(v / 4294967296);
  wr32(b, le ? o : o + 4, v - hi * 4294967296, le);
  wr32(b, le ? o + 4 : o, hi, le);
}

export function wr16(b: Uint8Array, o: number, v: number, le: boolean): void {
  if (le) { b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; } else { b[o] = (v >>> 8) & 0xff; b[o + 1] = v & 0xff; }
}
export function wr32(b: Uint8Array, o: number, v: number, le: boolean): void {
  if (le) {
    b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; b[o + 2] = (v >>> 16) & 0xff; b[o + 3] = (v >>> 24) & 0xff;
  } else {
    b[o] = (v >>> 24) & 0xff; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff;
  }
}
