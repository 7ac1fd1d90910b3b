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
  /**
   * What the sockaddrs are read from, after parseSockaddrs: the message itself (current's checked
   * walk), or for 4.9's unchecked walk a zero-padded copy, so a sockaddr running past the end
   * reads zeros as 4.9 does.
   */
  saBytes: Uint8Array;
  /** RTAX slots holding a sockaddr (bit i = slot i), after parseSockaddrs. */
  present: number;
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
    saBytes: bytes, present: 0,
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

/**
 * Step 13: rtm_xaddrs (current, checked) or rt_xaddrs (4.9, unchecked). Records which slots hold
 * a sockaddr; nothing is copied or sliced (a view per sockaddr cost more than the rest of the
 * walk): {@link sockaddrAt} and {@link sockaddrLength} find them again, {@link sockaddr} makes a
 * view for the consumers that want one.
 */
export function parseSockaddrs(p: DialectPolicy, r: ParsedRequest): void {
  const le = p.rt.le;
  const unit = p.rt.unit;
  const addrs = rdU32(r.bytes, p.rt.addrs, le);
  const b = r.bytes;
  const end = b.length;
  let present = 0;
  let pos = r.hdrlen;
  if (p.strictSockaddrs) {
    if (addrs >>> p.rtaxMax !== 0) silent('EINVAL', 'rtm_addrs bit beyond RTAX_MAX');
    // rtm_xaddrs walks every sockaddr first (4 bytes left before each, none past the end), then
    // checks them in slot order: a walk error wins over an earlier slot's family or size.
    for (let i = 0; i < p.rtaxMax; i++) {
      if ((addrs & (1 << i)) === 0) continue;
      if (end - pos < 4) silent('EINVAL', 'sockaddr past the end of the message');
      const salen = b[pos]!;
      if (pos + salen > end) silent('EINVAL', 'sockaddr runs past the end of the message');
      present |= 1 << i;
      pos += roundupLen(salen, unit);
    }
    pos = r.hdrlen;
    for (let i = 0; i < p.rtaxMax; i++) {
      if ((present & (1 << i)) === 0) continue;
      checkSlot(i, b, pos, b[pos]!, p.sdlSize);
      pos += roundupLen(b[pos]!, unit);
    }
  } else if (addrs !== 0) {
    // 4.9 does not check: a sockaddr running past the end reads what follows, zeros here (it
    // starts before the end and is at most 255 bytes long); one of sa_len 1 reads family 0.
    const sa = zeroed(end + 256);
    sa.set(b);
    for (let i = 0; i < p.rtaxMax && pos < end; i++) {
      if ((addrs & (1 << i)) === 0) continue;
      present |= 1 << i;
      const salen = b[pos]!;
      if (salen === 1) sa[pos + 1] = 0;
      pos += roundupLen(salen, unit);
    }
    r.saBytes = sa;
  }
  r.present = present;
}

/** Offset in `r.saBytes` of the sockaddr in RTAX slot `i` (which must be present). */
export function sockaddrAt(p: DialectPolicy, r: ParsedRequest, i: number): number {
  const b = r.saBytes;
  const unit = p.rt.unit;
  let pos = r.hdrlen;
  for (let j = 0; j < i; j++) if ((r.present & (1 << j)) !== 0) pos += roundupLen(b[pos]!, unit);
  return pos;
}

/**
 * Length of the sockaddr at offset `pos` of `r.saBytes`: sa_len, except that 4.9 reads at least
 * the two bytes of len and family unless sa_len is 0.
 */
export function sockaddrLength(p: DialectPolicy, r: ParsedRequest, pos: number): number {
  const salen = r.saBytes[pos]!;
  return p.strictSockaddrs || salen === 0 ? salen : Math.max(salen, 2);
}

/**
 * The sa_family of the sockaddr in slot `i`, 0 when the slot is empty. Current reads the byte
 * whatever sa_len says (rtm_xaddrs left 4 bytes there); 4.9's copy reads 0 for sa_len 0 and 1.
 */
export function sockaddrFamily(p: DialectPolicy, r: ParsedRequest, i: number): number {
  if ((r.present & (1 << i)) === 0) return 0;
  const pos = sockaddrAt(p, r, i);
  return p.strictSockaddrs || sockaddrLength(p, r, pos) > 1 ? r.saBytes[pos + 1]! : 0;
}

/** The sockaddr in slot `i` as a view (sockaddrLength bytes), undefined when the slot is empty. */
export function sockaddr(p: DialectPolicy, r: ParsedRequest, i: number): Uint8Array | undefined {
  if ((r.present & (1 << i)) === 0) return undefined;
  const pos = sockaddrAt(p, r, i);
  return r.saBytes.subarray(pos, pos + sockaddrLength(p, r, pos));
}

/**
 * The checks of rtm_xaddrs on the `len`-byte sockaddr at `b[pos]` in slot `i`. sa_family is read
 * whatever sa_len says: the walk left at least 4 bytes there.
 */
function checkSlot(i: number, b: Uint8Array, pos: number, len: number, sdlSize: number): void {
  const family = b[pos + 1]!;
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
      while (nul < 34 && b[pos + nul] !== 0) nul++;
      if (nul >= 34) silent('EINVAL', 'RTA_LABEL not NUL-terminated');
      return;
    }
    case RTAX_DNS:
      // The bounds come first; whole addresses are rtm_validate_proposal's to check.
      if (len < 2 || len > 130) silent('EINVAL', 'RTA_DNS length');
      if (family !== AF_INET && family !== AF_INET6) silent('EAFNOSUPPORT', 'RTA_DNS family');
      return;
    case RTAX_STATIC: case RTAX_SEARCH: {
      if (i === RTAX_STATIC && family !== AF_INET && family !== AF_INET6) silent('EAFNOSUPPORT', 'RTA_STATIC family');
      if (i === RTAX_SEARCH && family !== AF_UNSPEC) silent('EAFNOSUPPORT', 'RTA_SEARCH family');
      if (len < 130 || !hasNul(b, pos + 2, pos + 130)) silent('EINVAL', 'RTA_STATIC/SEARCH');
      return;
    }
    default:
      return;
  }
}

function hasNul(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] === 0) return true;
  return false;
}

/** Step 14: what every route request needs (DST present, sane families, no GENMASK). */
export function checkAddresses(p: DialectPolicy, r: ParsedRequest): void {
  if ((r.present & (1 << RTAX_DST)) === 0) badAddress(p, 'no RTA_DST');
  if (sockaddrFamily(p, r, RTAX_DST) >= p.afMax) badAddress(p, 'RTA_DST family');
  if (sockaddrFamily(p, r, RTAX_GATEWAY) >= p.afMax) badAddress(p, 'RTA_GATEWAY family');
  if (p.genmaskInvalid && (r.present & (1 << RTAX_GENMASK)) !== 0) badAddress(p, 'RTA_GENMASK');
}

/** checkAddresses' EINVAL: echoed in 4.9, silent in current. (A function, not a closure per request.) */
function badAddress(p: DialectPolicy, why: string): never {
  if (p.echoValidationErrors) throw new EchoedError(ERRNO.EINVAL, why);
  return silent('EINVAL', why);
}
