/**
 * One route (struct rtentry): what the table stores per (prefix, priority, gateway).
 *
 * Memory matters (a full Internet table is a million of these, and each field is 8 heap bytes
 * that every garbage collection copies or marks): an IPv4 destination is kept as one number
 * rather than a 4-byte array (a typed-array object costs ~100 heap bytes), the interface is read
 * through the address (a route's ifp is always its ifa's), the table id, prefix length, family
 * and in-table bit share one small integer, and the fields most routes never change (label,
 * expire, locks, refs, cachedBy) live in a side object allocated on first write. All of it is
 * invisible behind accessors.
 */
import type { Family } from './sockaddr-bytes.js';
import type { IfAddr, Interface } from './interface.js';
import { zeroed } from './alloc.js';

/** The rarely-set fields of a route. */
class RtExtra {
  labelId = 0;
  label = '';
  expire = 0;
  locks = 0;
  refs = 0;
  cachedBy = 0;
  /** The cloning route this clone was made from (rt_parent). */
  parent: Rtentry | undefined = undefined;
  /** Clones made from this cloning route and still holding it as parent. */
  clones: Rtentry[] | undefined = undefined;
}

const NO_CLONES: readonly Rtentry[] = [];
/** The in-table bit of Rtentry.bits, above the table id. */
const IN_TABLE = 1 << 25;
/** The ARP/ND-state bit of Rtentry.bits (rt_llinfo allocated). */
const LLINFO_STATE = 1 << 26;

export class Rtentry {
  /** Full 8-bit priority; RTP_DOWN (0x80) marks a route whose interface is down. */
  priority: number;
  flags: number;
  /** Gateway sockaddr bytes (sa_len long). */
  gateway: Uint8Array;
  /** The route's interface address; its interface is the route's ({@link ifp}). */
  ifa: IfAddr;
  mtu = 0;
  /** Use counter (rt_use): rt_match hits. */
  use = 0;
  /** Next-hop route this gateway route caches (rt_gwroute). */
  gwroute: Rtentry | undefined = undefined;
  /**
   * inTable << 25 | tableid << 9 | plen << 1 | (af === 'inet6'): one small integer instead of
   * four fields.
   */
  private bits: number;
  /**
   * The destination: an IPv4 address as a signed big-endian 32-bit value (always a small
   * integer, so no boxed number per route), any other as the array given.
   */
  private readonly d: number | Uint8Array;
  private x: RtExtra | undefined = undefined;

  constructor(
    tableid: number,
    af: Family,
    /** Destination address masked to plen. */
    dst: Uint8Array,
    plen: number,
    init: { priority: number; flags: number; gateway: Uint8Array; ifa: IfAddr },
  ) {
    this.priority = init.priority;
    this.flags = init.flags;
    this.gateway = init.gateway;
    this.ifa = init.ifa;
    if (!(tableid >= 0 && tableid <= 0xffff && Number.isInteger(tableid) && plen >= 0 && plen <= 255 && Number.isInteger(plen))) {
      throw new RangeError(`route table ${tableid} / prefix length ${plen} out of range`);
    }
    this.bits = tableid * 512 + plen * 2 + (af === 'inet6' ? 1 : 0);
    this.d = af === 'inet' && dst.length === 4 ? (dst[0]! << 24) | (dst[1]! << 16) | (dst[2]! << 8) | dst[3]! : dst;
  }

  get tableid(): number { return (this.bits >>> 9) & 0xffff; }
  get af(): Family { return (this.bits & 1) !== 0 ? 'inet6' : 'inet'; }
  get plen(): number { return (this.bits >>> 1) & 0xff; }

  /** The route's interface (its address's). */
  get ifp(): Interface { return this.ifa.ifp; }

  /** False once removed from its table (and before it is inserted). */
  get inTable(): boolean { return (this.bits & IN_TABLE) !== 0; }
  set inTable(v: boolean) { this.bits = v ? this.bits | IN_TABLE : this.bits & ~IN_TABLE; }

  /**
   * Whether arp_rtrequest / nd6_rtrequest gave the route L2 state (rt_llinfo): what RTF_LLINFO
   * says, unless RTM_CHANGE cleared the flag through rtm_fmask (the state stays).
   */
  get llinfo(): boolean { return (this.bits & LLINFO_STATE) !== 0; }
  set llinfo(v: boolean) { this.bits = v ? this.bits | LLINFO_STATE : this.bits & ~LLINFO_STATE; }

  /** Destination address masked to plen (IPv4: a fresh copy per read; do not write to it). */
  get dst(): Uint8Array {
    const d = this.d;
    if (typeof d !== 'number') return d;
    const out = zeroed(4);
    this.writeDst(out, 0);
    return out;
  }

  /** Copies the destination address bytes into `out` at `off` (no allocation). */
  writeDst(out: Uint8Array, off: number): void {
    const v = this.d;
    if (typeof v !== 'number') {
      out.set(v, off);
      return;
    }
    out[off] = (v >>> 24) & 0xff;
    out[off + 1] = (v >>> 16) & 0xff;
    out[off + 2] = (v >>> 8) & 0xff;
    out[off + 3] = v & 0xff;
  }

  /**
   * The destination as a table key: the stored array, or for IPv4 the 4-byte `scratch` filled
   * in (valid until the scratch is reused; never store it).
   */
  dstKey(scratch: Uint8Array): Uint8Array {
    if (typeof this.d !== 'number') return this.d;
    this.writeDst(scratch, 0);
    return scratch;
  }

  private extra(): RtExtra {
    return (this.x ??= new RtExtra());
  }

  get labelId(): number { return this.x === undefined ? 0 : this.x.labelId; }
  set labelId(v: number) { if (v !== 0 || this.x !== undefined) this.extra().labelId = v; }

  /** Label text, kept so a deleted route can still be reported. */
  get label(): string { return this.x === undefined ? '' : this.x.label; }
  set label(v: string) { if (v !== '' || this.x !== undefined) this.extra().label = v; }

  /** Wall-clock seconds, 0 = none. */
  get expire(): number { return this.x === undefined ? 0 : this.x.expire; }
  set expire(v: number) { if (v !== 0 || this.x !== undefined) this.extra().expire = v; }

  get locks(): number { return this.x === undefined ? 0 : this.x.locks; }
  set locks(v: number) { if (v !== 0 || this.x !== undefined) this.extra().locks = v; }

  /** References shown as Refs: next-hop caches pointing here + cloned children. */
  get refs(): number { return this.x === undefined ? 0 : this.x.refs; }
  set refs(v: number) { if (v !== 0 || this.x !== undefined) this.extra().refs = v; }

  /** Gateway routes currently caching this route as their next hop. */
  get cachedBy(): number { return this.x === undefined ? 0 : this.x.cachedBy; }
  set cachedBy(v: number) { if (v !== 0 || this.x !== undefined) this.extra().cachedBy = v; }

  /** The cloning route this route was cloned from (rt_parent), if any. */
  get parent(): Rtentry | undefined { return this.x === undefined ? undefined : this.x.parent; }
  set parent(v: Rtentry | undefined) { if (v !== undefined || this.x !== undefined) this.extra().parent = v; }

  /** Live clones of this cloning route (empty when none). */
  get clones(): readonly Rtentry[] { return this.x?.clones ?? NO_CLONES; }

  /** Records `child` as a clone of this route: Refs +1 (unless `countRef` is false), child's parent set. */
  adoptClone(child: Rtentry, countRef = true): void {
    const x = this.extra();
    (x.clones ??= []).push(child);
    if (countRef) x.refs++;
    child.parent = this;
  }

  /** Drops the parent link of a clone (rtfree(rt_parent)): the parent's Refs -1. */
  releaseParent(): void {
    const p = this.parent;
    if (!p) return;
    this.parent = undefined;
    const list = p.x?.clones;
    if (list) {
      const i = list.indexOf(this);
      if (i >= 0) list.splice(i, 1);
    }
    p.refs--;
  }
}
