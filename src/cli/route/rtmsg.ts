/**
 * Reading an rt_msghdr the way route(8) does: header words at the dialect's offsets and the
 * sockaddrs as raw byte slices by RTAX slot (get_rtaddrs), each ROUNDUP(sa_len) apart.
 */
import { getDialect, roundup, type Dialect } from '../../abi/dialect.js';
import type { StructLayout } from '../../abi/layout.js';

export interface RtHeader {
  msglen: number;
  version: number;
  type: number;
  hdrlen: number;
  index: number;
  tableid: number;
  priority: number;
  addrs: number;
  flags: number;
  fmask: number;
  pid: number;
  seq: number;
  errno: number;
  inits: number;
  pksent: bigint;
  expire: bigint;
  locks: number;
  mtu: number;
  refcnt: number;
}

interface Offsets { [name: string]: { off: number; size: number; signed: boolean } }

const cache = new Map<Dialect, Offsets>();

function offsets(d: Dialect): Offsets {
  let o = cache.get(d);
  if (o) return o;
  o = {};
  const walk = (l: StructLayout, base: number) => {
    for (const f of l.fields) {
      if (f.struct && f.kind === 'struct') walk(f.struct, base + f.offset);
      else o![f.name] = { off: base + f.offset, size: f.size, signed: f.kind === 'i32' || f.kind === 'i64' };
    }
  };
  walk(d.headers.rt_msghdr!, 0);
  cache.set(d, o);
  return o;
}

export function dialectOf(name: string): Dialect {
  return getDialect(name);
}

/** The header words of the rt_msghdr at `off` (bytes past the buffer read as 0). */
export function readHeader(d: Dialect, b: Uint8Array, off = 0): RtHeader {
  const o = offsets(d);
  const le = d.littleEndian;
  const u = (i: number) => (off + i < b.length ? b[off + i]! : 0);
  const int = (name: string): bigint => {
    const f = o[name];
    if (!f) return 0n;
    let v = 0n;
    for (let i = 0; i < f.size; i++) v |= BigInt(u(f.off + (le ? i : f.size - 1 - i))) << BigInt(8 * i);
    return f.signed ? BigInt.asIntN(f.size * 8, v) : v;
  };
  const n = (name: string) => Number(int(name));
  return {
    msglen: n('msglen'), version: n('version'), type: n('type'), hdrlen: n('hdrlen'), index: n('index'),
    tableid: n('tableid'), priority: n('priority'), addrs: n('addrs'), flags: n('flags'), fmask: n('fmask'),
    pid: n('pid'), seq: n('seq'), errno: n('errno'), inits: n('inits'), pksent: int('pksent'), expire: int('expire'),
    locks: n('locks'), mtu: n('mtu'), refcnt: n('refcnt'),
  };
}

/** get_rtaddrs(): the sockaddr of each RTAX slot present (`addrs` bits), as slices of `b`. */
export function rtaddrs(d: Dialect, b: Uint8Array, off: number, h: RtHeader): (Uint8Array | undefined)[] {
  const out: (Uint8Array | undefined)[] = [];
  let p = off + h.hdrlen;
  const end = off + h.msglen;
  for (let i = 0; i < 16; i++) {
    if (((h.addrs >>> i) & 1) === 0) continue;
    if (p >= end) break;
    const len = b[p]!;
    out[i] = b.subarray(p, Math.min(p + Math.max(len, 2), end));
    p += roundup(len, d.roundup);
  }
  return out;
}

export const RTAX_DST = 0, RTAX_GATEWAY = 1, RTAX_NETMASK = 2, RTAX_IFP = 4, RTAX_IFA = 5, RTAX_LABEL = 10;
