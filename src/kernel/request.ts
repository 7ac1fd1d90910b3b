/**
 * The validating half of route_output: framing, version, size, type, privilege, priority and
 * the sockaddr walk (rtm_xaddrs), in the kernel's order. Table existence is checked by the
 * caller (it needs the kernel). Failures the dialect echoes to listeners are EchoedError.
 */
import {
  AF_INET, AF_INET6, AF_LINK, AF_UNSPEC, RTAX_DST, RTAX_GATEWAY, RTAX_GENMASK, RTAX_IFA, RTAX_IFP, RTAX_LABEL,
  RTF_BROADCAST, RTF_LOCAL, RTM_GET, RTP_LOCAL, RTP_MASK, RTP_MAX,
} from './constants.js';
import type { DialectPolicy } from './dialect-policy.js';
import { ERRNO, RtsockErrno, type ErrnoCode } from './errno.js';
import { rd16, rdI32, rdI64, rdU32, roundupLen, wr16, wr32 } from './wire.js';
import { copyOf, zeroed } from './alloc.js';

const RTM_MAXSIZE = 2048;
const AF_MPLS = 33;
const RTAX_SRC = 8;
const RTAX_DNS = 12;
const RTAX_STATIC = 13;
const RTAX_SEARCH = 14;

/** A validation failure that (in this dialect) is still broadcast with rtm_errno. */
export class EchoedError extends RtsockErrno {}

export function silent(code: ErrnoCode, detail?: string): never {
  throw new RtsockErrno(ERRNO[code], detail);
}

/** A request as the kernel holds it after the header checks. */
export interface ParsedRequest {
  /**
   * The message as written. The kernel does not copy it (write(2) is synchronous and nothing
   * parsed out of it outlives the call); the header fields the kernel rewrites are kept below
   * and applied by {@link kernelCopy} when a message built from the request is needed.
   */
  readonly bytes: Uint8Array;
  /** rtm_hdrlen as the kernel sees it (0 became sizeof rt_msghdr). */
  readonly type: number;
  readonly hdrlen: number;
  /** rtm_pid as rewritten by the kernel. */
  readonly pid: number;
  /** Whether normalise() has rewritten priority, flags and fmask (the values below). */
  normalised: boolean;
  hdrPriority: number;
  hdrFlags: number;
  hdrFmask: number;
  readonly tableid: number;
  flags: number;
  fmask: number;
  priority: number;
  readonly seq: number;
  readonly inits: number;
  readonly mtu: number;
  readonly expire: number;
  readonly locks: number;
  /** Sockaddr bytes by RTAX index (each exactly sa_len long), after parseSockaddrs. */
  sas: (Uint8Array | undefined)[];
}

/** Steps 1-8 of route_output: everything that needs only the bytes and the caller's identity. */
export function parseHeader(p: DialectPolicy, input: Uint8Array, uid: number, pid: number): ParsedRequest {
  const l = p.rt;
  const len = input.length;
  if (len < p.minWrite) silent('EINVAL', 'message shorter than its framing');
  const le = l.le;
  const msglen = le ? input[0]! | (input[1]! << 8) : (input[0]! << 8) | input[1]!;
  if (len !== msglen) silent('EINVAL', `write of ${len} bytes, rtm_msglen ${msglen}`);
  if (input[2] !== l.version) silent('EPROTONOSUPPORT', `rtm_version ${input[2]}`);
  if (len < l.size) silent('EINVAL', `shorter than rt_msghdr (${l.size})`);
  if (len > RTM_MAXSIZE) silent('EMSGSIZE', `longer than RTM_MAXSIZE`);
  const type = input[3]!;
  if (!p.requestTypes.has(type)) silent('EOPNOTSUPP', `rtm_type ${type}`);
  // No copy: the request is read in place (see ParsedRequest.bytes).
  const bytes = input;
  let hdrlen = rd16(bytes, 4, le);
  if (hdrlen === 0) hdrlen = l.size;
  if ((p.strictHdrlen && hdrlen < l.size) || hdrlen > len) silent('EINVAL', `rtm_hdrlen ${hdrlen}`);
  if (type !== RTM_GET && uid !== 0) silent('EACCES', 'only the superuser may change routes');
  const expire = l.expireSize === 8 ? rdI64(bytes, l.expire, le) : rdU32(bytes, l.expire, le);
  return {
    bytes, type, hdrlen, pid,
    normalised: false, hdrPriority: 0, hdrFlags: 0, hdrFmask: 0,
    tableid: rd16(bytes, l.tableid, le),
    flags: rdI32(bytes, l.flags, le),
    fmask: rdI32(bytes, l.fmask, le),
    priority: bytes[l.priority]!,
    seq: rdI32(bytes, l.seq, le),
    inits: rdU32(bytes, l.inits, le),
    mtu: rdU32(bytes, l.mtu, le),
    expire,
    locks: rdU32(bytes, l.locks, le),
    sas: [],
  };
}

/**
 * The kernel's copy of the request with the header fields it rewrote (hdrlen, pid, and after
 * normalise() priority, flags and fmask): what echoes are built from. Freshly allocated.
 */
export function kernelCopy(p: DialectPolicy, r: ParsedRequest): Uint8Array {
  const out = copyOf(r.bytes);
  const l = p.rt;
  const le = l.le;
  if (rd16(out, 4, le) === 0) wr16(out, 4, r.hdrlen, le);
  wr32(out, l.pid, r.pid, le);
  if (r.normalised) {
    out[l.priority] = r.hdrPriority;
    wr32(out, l.flags, r.hdrFlags, le);
    wr32(out, l.fmask, r.hdrFmask, le);
  }
  return out;
}

/** Steps 10-12: flag and priority normalisation (after the table check). */
export function normalise(p: DialectPolicy, r: ParsedRequest): void {
  if (p.rejectLocalBroadcast && r.flags & (RTF_LOCAL | RTF_BROADCAST)) silent('EINVAL', 'RTF_LOCAL/RTF_BROADCAST');
  r.priority &= RTP_MASK;
  r.flags &= ~p.clearedFlags;
  r.fmask &= p.fmask;
  r.normalised = true;
  r.hdrPriority = r.priority;
  r.hdrFlags = r.flags;
  r.hdrFmask = r.fmask;
  if (r.priority !== 0 && (r.priority > RTP_MAX || (p.priorityOneInvalid && r.priority === RTP_LOCAL))) {
    silent('EINVAL', `priority ${r.priority}`);
  }
}

const INET_SIZE: Record<number, number> = { [AF_INET]: 16, [AF_INET6]: 28, [AF_MPLS]: 16 };

/** Step 13: rtm_xaddrs (current, checked) or rt_xaddrs (4.9, unchecked). */
export function parseSockaddrs(p: DialectPolicy, r: ParsedRequest): void {
  const le = p.rt.le;
  const addrs = rdU32(r.bytes, p.rt.addrs, le);
  const b = r.bytes;
  const end = b.length;
  // Sized once (slots past the last sockaddr stay holes): growing an empty array per request
  // cost more than the sockaddr views.
  const sas = new Array<Uint8Array | undefined>(p.rtaxMax);
  let pos = r.hdrlen;
  if (p.strictSockaddrs) {
    if (addrs >>> p.rtaxMax !== 0) silent('EINVAL', 'rtm_addrs bit beyond RTAX_MAX');
    // Read once: `.buffer` costs as much as the view constructor.
    const buf = b.buffer;
    const base = b.byteOffset;
    for (let i = 0; i < p.rtaxMax; i++) {
      if ((addrs & (1 << i)) === 0) continue;
      if (end - pos < 4) silent('EINVAL', 'sockaddr past the end of the message');
      const salen = b[pos]!;
      if (pos + salen > end) silent('EINVAL', 'sockaddr runs past the end of the message');
      // A view constructor is cheaper than subarray() (no species lookup).
      const sa = new Uint8Array(buf, base + pos, salen);
      checkSlot(i, sa, p.sdlSize);
      sas[i] = sa;
      pos += roundupLen(salen, p.rt.unit);
    }
  } else {
    for (let i = 0; i < p.rtaxMax && pos < end; i++) {
      if ((addrs & (1 << i)) === 0) continue;
      const salen = b[pos]!;
      // 4.9 does not check: a sockaddr running past the end reads what follows (zeros here).
      const sa = zeroed(Math.max(salen, 2));
      sa.set(b.subarray(pos, Math.min(end, pos + salen)));
      sas[i] = salen === 0 ? b.subarray(pos, pos) : sa.subarray(0, Math.max(salen, 2));
      pos += roundupLen(salen, p.rt.unit);
    }
  }
  r.sas = sas;
}

function checkSlot(i: number, sa: Uint8Array, sdlSize: number): void {
  const len = sa.length;
  const family = len > 1 ? sa[1]! : AF_UNSPEC;
  switch (i) {
    case RTAX_DST: case RTAX_GATEWAY: case RTAX_SRC: {
      const min = family === AF_LINK ? sdlSize : INET_SIZE[family];
      if (min !== undefined && len < min) silent('EINVAL', `sockaddr ${i} too short`);
      return;
    }
    case RTAX_IFP:
      if (family !== AF_LINK) silent('EAFNOSUPPORT', 'RTA_IFP must be AF_LINK');
      if (len < 4) silent('EINVAL', 'RTA_IFP too short');
      return;
    case RTAX_IFA:
      if (family !== AF_INET && family !== AF_INET6) silent('EAFNOSUPPORT', 'RTA_IFA must be inet or inet6');
      if (len < INET_SIZE[family]!) silent('EINVAL', 'RTA_IFA too short');
      return;
    case RTAX_LABEL: {
      if (family !== AF_UNSPEC) silent('EAFNOSUPPORT', 'RTA_LABEL must be AF_UNSPEC');
      if (len < 34) silent('EINVAL', 'RTA_LABEL too short');
      let nul = 2;
      while (nul < 34 && sa[nul] !== 0) nul++;
      if (nul >= 34) silent('EINVAL', 'RTA_LABEL not NUL-terminated');
      return;
    }
    case RTAX_DNS: {
      if (family !== AF_INET && family !== AF_INET6) silent('EAFNOSUPPORT', 'RTA_DNS family');
      const w = family === AF_INET ? 4 : 16;
      if (len < 2 || len > 130 || (len - 2) % w !== 0) silent('EINVAL', 'RTA_DNS length');
      return;
    }
    case RTAX_STATIC: case RTAX_SEARCH: {
      if (i === RTAX_STATIC && family !== AF_INET && family !== AF_INET6) silent('EAFNOSUPPORT', 'RTA_STATIC family');
      if (i === RTAX_SEARCH && family !== AF_UNSPEC) silent('EAFNOSUPPORT', 'RTA_SEARCH family');
      if (len < 130 || !sa.subarray(2, 130).includes(0)) silent('EINVAL', 'RTA_STATIC/SEARCH');
      return;
    }
    default:
      return;
  }
}

/** Step 14: what every route request needs (DST present, sane families, no GENMASK). */
export function checkAddresses(p: DialectPolicy, r: ParsedRequest): void {
  const dst = r.sas[RTAX_DST];
  const gw = r.sas[RTAX_GATEWAY];
  if (!dst) badAddress(p, 'no RTA_DST');
  if ((dst!.length > 1 ? dst![1]! : 0) >= p.afMax) badAddress(p, 'RTA_DST family');
  if (gw && (gw.length > 1 ? gw[1]! : 0) >= p.afMax) badAddress(p, 'RTA_GATEWAY family');
  if (p.genmaskInvalid && r.sas[RTAX_GENMASK]) badAddress(p, 'RTA_GENMASK');
}

/** checkAddresses' EINVAL: echoed in 4.9, silent in current. (A function, not a closure per request.) */
function badAddress(p: DialectPolicy, why: string): never {
  if (p.echoValidationErrors) throw new EchoedError(ERRNO.EINVAL, why);
  return silent('EINVAL', why);
}
