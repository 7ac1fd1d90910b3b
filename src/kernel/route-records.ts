/**
 * Routes of a kernel snapshot as packed binary records (one base64 string per table), so that a
 * state holding a full Internet table is one JSON string to parse instead of a million arrays of
 * hex strings: parse, restore and save each got several times faster (bench/cli-state.mjs).
 *
 * Record (little-endian): u8 shape, u8 plen, u8 priority, u32 flags, the destination (4 or 16
 * bytes), u32 gateway (index into the snapshot's gateway pool), u16 ifindex, i16 position of
 * the route's address in its interface's list, u16 label (pool index + 1, 0 = none); then,
 * when the shape says so, a u32 mtu (most routes over a loopback carry one), the counters
 * block (f64 expire, u32 locks, f64 use, u32 refs, u32 cachedBy), an i32 next-hop route
 * number and a u32 cloning-parent number.
 * Route numbers are positions in the snapshot's global route order (tables, then detached).
 */
import type { Family } from './sockaddr-bytes.js';

const INET6 = 1, COUNTERS = 2, NEXT_HOP = 4, PARENT = 8, MTU = 16;

export interface RouteRecord {
  af: Family;
  /** From {@link RecordReader.read}: scratch bytes, overwritten by the next read. */
  dst: Uint8Array;
  plen: number;
  priority: number;
  flags: number;
  gateway: Uint8Array;
  ifindex: number;
  ifaPos: number;
  label: string;
  mtu: number;
  expire: number;
  locks: number;
  use: number;
  refs: number;
  cachedBy: number;
  /** Route number of the cached next hop, -1 = none. */
  nextHop: number;
  /** Route number of the cloning parent, -1 = none. */
  parent: number;
}

/** Strings shared by many records (gateways as hex, labels), stored once per snapshot. */
export class StringPool {
  readonly list: string[];
  private readonly index = new Map<string, number>();
  constructor(list: string[] = []) {
    this.list = list;
    list.forEach((s, i) => this.index.set(s, i));
  }
  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

export class RecordWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private at = 0;
  /** Gateway arrays seen (routes often share one): skips re-encoding them as hex. */
  private readonly seen = new Map<Uint8Array, number>();
  constructor(private readonly gateways: StringPool, private readonly labels: StringPool) {}

  write(r: RouteRecord): void {
    this.reserve(80);
    const counters = r.expire !== 0 || r.locks !== 0 || r.use !== 0 || r.refs !== 0 || r.cachedBy !== 0;
    const shape = (r.af === 'inet6' ? INET6 : 0) | (counters ? COUNTERS : 0) | (r.nextHop >= 0 ? NEXT_HOP : 0)
      | (r.parent >= 0 ? PARENT : 0) | (r.mtu !== 0 ? MTU : 0);
    const v = this.view;
    let o = this.at;
    this.buf[o] = shape;
    this.buf[o + 1] = r.plen;
    this.buf[o + 2] = r.priority;
    v.setUint32(o + 3, r.flags >>> 0, true);
    o += 7;
    this.buf.set(r.dst, o);
    o += r.dst.length;
    v.setUint32(o, this.gatewayIndex(r.gateway), true);
    v.setUint16(o + 4, r.ifindex, true);
    v.setInt16(o + 6, r.ifaPos, true);
    v.setUint16(o + 8, r.label === '' ? 0 : this.labels.intern(r.label) + 1, true);
    o += 10;
    if (r.mtu !== 0) { v.setUint32(o, r.mtu >>> 0, true); o += 4; }
    if (counters) {
      v.setFloat64(o, r.expire, true);
      v.setUint32(o + 8, r.locks >>> 0, true);
      v.setFloat64(o + 12, r.use, true);
      v.setUint32(o + 20, r.refs >>> 0, true);
      v.setUint32(o + 24, r.cachedBy >>> 0, true);
      o += 28;
    }
    if (r.nextHop >= 0) { v.setInt32(o, r.nextHop, true); o += 4; }
    if (r.parent >= 0) { v.setUint32(o, r.parent, true); o += 4; }
    this.at = o;
  }

  private gatewayIndex(g: Uint8Array): number {
    let i = this.seen.get(g);
    if (i === undefined) {
      i = this.gateways.intern(Buffer.from(g.buffer, g.byteOffset, g.byteLength).toString('hex'));
      this.seen.set(g, i);
    }
    return i;
  }

  /** A u16 written before a record (the table id of a detached route). */
  writeU16(n: number): void {
    this.reserve(2);
    this.view.setUint16(this.at, n, true);
    this.at += 2;
  }

  toBase64(): string {
    return Buffer.from(this.buf.buffer, 0, this.at).toString('base64');
  }

  private reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    bigger.set(this.buf.subarray(0, this.at));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }
}

/** Walks the records of one base64 blob; throws Error on truncated or malformed data. */
export class RecordReader {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private at = 0;
  /** Gateway sockaddrs decoded once per pool entry: routes share the bytes (never written). */
  private readonly gateways: (Uint8Array | undefined)[];
  constructor(base64: string, private readonly gatewayHex: readonly string[], private readonly labels: readonly string[]) {
    this.buf = new Uint8Array(Buffer.from(base64, 'base64'));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.gateways = new Array(gatewayHex.length);
  }

  get done(): boolean {
    return this.at >= this.buf.length;
  }

  readU16(): number {
    this.need(2);
    const n = this.view.getUint16(this.at, true);
    this.at += 2;
    return n;
  }

  read(): RouteRecord {
    this.need(7);
    const v = this.view;
    let o = this.at;
    const shape = this.buf[o]!;
    const width = (shape & INET6) !== 0 ? 16 : 4;
    this.need(7 + width + 10 + ((shape & MTU) !== 0 ? 4 : 0) + ((shape & COUNTERS) !== 0 ? 28 : 0)
      + ((shape & NEXT_HOP) !== 0 ? 4 : 0) + ((shape & PARENT) !== 0 ? 4 : 0));
    const r: RouteRecord = {
      af: width === 16 ? 'inet6' : 'inet', dst: this.dst(width, o + 7), plen: this.buf[o + 1]!,
      priority: this.buf[o + 2]!, flags: v.getUint32(o + 3, true) | 0, gateway: new Uint8Array(0), ifindex: 0, ifaPos: 0,
      label: '', mtu: 0, expire: 0, locks: 0, use: 0, refs: 0, cachedBy: 0, nextHop: -1, parent: -1,
    };
    o += 7 + width;
    r.gateway = this.gateway(v.getUint32(o, true));
    r.ifindex = v.getUint16(o + 4, true);
    r.ifaPos = v.getInt16(o + 6, true);
    const label = v.getUint16(o + 8, true);
    if (label !== 0) r.label = this.labels[label - 1] ?? malformed(`label ${label} not in the pool`);
    o += 10;
    if ((shape & MTU) !== 0) { r.mtu = v.getUint32(o, true); o += 4; }
    if ((shape & COUNTERS) !== 0) {
      r.expire = v.getFloat64(o, true);
      r.locks = v.getUint32(o + 8, true);
      r.use = v.getFloat64(o + 12, true);
      r.refs = v.getUint32(o + 20, true);
      r.cachedBy = v.getUint32(o + 24, true);
      o += 28;
    }
    if ((shape & NEXT_HOP) !== 0) { r.nextHop = v.getInt32(o, true); o += 4; }
    if ((shape & PARENT) !== 0) { r.parent = v.getUint32(o, true); o += 4; }
    this.at = o;
    return r;
  }

  private readonly dst4 = new Uint8Array(4);
  private readonly dst6 = new Uint8Array(16);
  /** The destination in a scratch array, valid until the next read (callers copy what they keep). */
  private dst(width: number, at: number): Uint8Array {
    const d = width === 4 ? this.dst4 : this.dst6;
    for (let i = 0; i < width; i++) d[i] = this.buf[at + i]!;
    return d;
  }

  private gateway(i: number): Uint8Array {
    const hit = this.gateways[i];
    if (hit) return hit;
    const hex = this.gatewayHex[i] ?? malformed(`gateway ${i} not in the pool`);
    return (this.gateways[i] = new Uint8Array(Buffer.from(hex, 'hex')));
  }

  private need(n: number): void {
    if (this.at + n > this.buf.length) malformed(`route record truncated at byte ${this.at}`);
  }
}

function malformed(why: string): never {
  throw new Error(why);
}
