/**
 * How arp(8) and ndp(8) talk to the kernel, alike in arp.c 1.89 and ndp.c 1.109: warn/warnx
 * under the program's name, one routing socket filtered to the rdomain (ROUTE_TABLEFILTER),
 * rtmsg() exchanges that keep the last message read (m_rtmsg, which RTM_DELETE resends as it
 * is), rtget() of an entry's destination and interface, the NET_RT_FLAGS (RTF_LLINFO) dump of
 * one family, and -f files read line by line as fgets(3) and sscanf("%49s" x 5) read them.
 */
import { readFileSync } from 'node:fs';
import { roundup, type Dialect } from '../../abi/dialect.js';
import { encodeMessage, type SockaddrsInput } from '../../codec/message.js';
import { AF_ROUTE, ROUTE_TABLEFILTER } from '../../kernel/constants.js';
import { RtsockErrno, strerror } from '../../kernel/errno.js';
import type { RoutingSocket } from '../../kernel/socket.js';
import type { Family } from '../../kernel/sockaddr-bytes.js';
import { Exit } from '../command.js';
import { strtonum } from '../route/context.js';
import { RTAX_DST, RTAX_IFP, readHeader, rtaddrs, type RtHeader } from '../route/rtmsg.js';
import type { Session } from '../state/session.js';
import { sdl } from './format.js';

export const RTM_ADD = 1, RTM_DELETE = 2, RTM_GET = 4, RTV_EXPIRE = 0x4;
export const RTF_GATEWAY = 0x2, RTF_HOST = 0x4, RTF_LLINFO = 0x400, RTF_STATIC = 0x800;
export const RTF_ANNOUNCE = 0x4000, RTF_CLONED = 0x10000, RTF_LOCAL = 0x200000;
/** Interface types whose L2 entries both tools overwrite and delete: Ethernet, FDDI and the IEEE 802.3/4/5 types. */
export const LAN_TYPES: readonly number[] = [6, 15, 7, 8, 9];
const ENOENT = 2, ESRCH = 3, EACCES = 13, EINVAL = 22;

/** One run of the tool: its output, the kernel, and its routing socket's exchanges. */
export interface LlTool {
  /** The program's name, as err(3) prefixes it. */
  readonly prog: string;
  readonly out: string[];
  readonly err: string[];
  session: Session;
  readonly d: Dialect;
  rdomain: number;
  sock: RoutingSocket | undefined;
  /** rtmsg()'s static seq. */
  seq: number;
  /** m_rtmsg: the last message read back (RTM_DELETE resends it as it is). */
  last: Uint8Array | undefined;
  /** errno of the last failed write (what warn(3) reports after rtget fails). */
  errno: number;
}

/** warn(3): the message, then the errno's text. */
export function warn(t: Pick<LlTool, 'prog' | 'err'>, msg: string, errno: number): void {
  t.err.push(`${t.prog}: ${msg}: ${strerror(errno)}\n`);
}

export function warnx(t: Pick<LlTool, 'prog' | 'err'>, msg: string): void {
  t.err.push(`${t.prog}: ${msg}\n`);
}

/** err(1, ...): warn(3), then exit 1. */
export function fatal(t: Pick<LlTool, 'prog' | 'err'>, msg: string, errno: number): never {
  warn(t, msg, errno);
  throw new Exit(1);
}

/** `-V rdomain`: strtonum(0..RT_TABLEID_MAX), or undefined after warn("bad rdomain: ..."). */
export function rdomainArg(t: Pick<LlTool, 'prog' | 'err'>, arg: string): number | undefined {
  const v = strtonum(arg, 0, 255);
  if (typeof v === 'number') return v;
  t.err.push(`${t.prog}: bad rdomain: ${v}: ${v === 'invalid' ? strerror(EINVAL) : 'Result too large'}\n`);
  return undefined;
}

/**
 * gai_strerror for a host that is not an address of the family: with AI_NUMERICHOST
 * getaddrinfo fails at once (EAI_FAIL); otherwise the name is looked up, and no name is known
 * on the simulated machine (EAI_NONAME).
 */
export function unknownHost(t: Pick<LlTool, 'prog' | 'err'>, host: string, numeric: boolean): void {
  warnx(t, `${host}: ${numeric ? 'non-recoverable failure in name resolution' : 'name or service is not known'}`);
}

export function getsocket(t: LlTool): RoutingSocket {
  if (t.sock) return t.sock;
  const s = t.session.kernel.socket({ uid: t.session.uid, pid: t.session.pid, rtable: 0 });
  t.sock = s;
  try {
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, t.rdomain);
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    fatal(t, 'ROUTE_TABLEFILTER', e.errno);
  }
  return s;
}

/** What rtmsg() builds an RTM_GET or RTM_ADD from (the IFP slot is always a blank sockaddr_dl). */
export interface RtRequest {
  flags: number;
  dst: Uint8Array;
  gateway?: Uint8Array;
  mask?: Uint8Array;
  /** rmx_expire (0 = none). */
  expire?: number;
  inits?: number;
}

function raw(sa: Uint8Array): SockaddrsInput[string] {
  return { kind: 'unknown', len: sa[0]!, family: sa[1]!, data: Buffer.from(sa.subarray(2)).toString('hex') };
}

/** Sets a header field of `b` at the dialect's offset (rtmsg() reusing m_rtmsg for RTM_DELETE). */
function poke(d: Dialect, b: Uint8Array, name: string, v: number): void {
  const f = d.headers.rt_msghdr!.fields.find((x) => x.name === name)!;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (f.size === 1) dv.setUint8(f.offset, v);
  else if (f.size === 2) dv.setUint16(f.offset, v, d.littleEndian);
  else dv.setInt32(f.offset, v, d.littleEndian);
}

/** A metric as the codec takes it: a bigint where the dialect's field is 64 bits wide (current's rmx_expire). */
function metric(d: Dialect, name: string, v: number): number | bigint {
  const rmx = d.headers.rt_msghdr!.fields.find((f) => f.name === 'rmx')!.struct!;
  const f = rmx.fields.find((x) => x.name === name)!;
  return f.kind === 'u64' || f.kind === 'i64' ? BigInt(v) : v;
}

/**
 * rtmsg(cmd): RTM_GET and RTM_ADD are built from `r` (with a blank IFP so the reply names the
 * interface); RTM_DELETE resends the last reply. Reads back the reply to our pid and seq.
 * Returns -1 after warning "writing to routing socket" when the write fails, except ESRCH on
 * RTM_DELETE (the caller decides whether that ends the program).
 */
export function rtmsg(t: LlTool, cmd: number, r?: RtRequest): number {
  const s = getsocket(t);
  const seq = ++t.seq;
  let bytes: Uint8Array;
  if (cmd === RTM_DELETE) {
    bytes = Uint8Array.from(t.last!);
    poke(t.d, bytes, 'seq', seq);
    poke(t.d, bytes, 'type', cmd);
  } else {
    const sockaddrs: SockaddrsInput = { dst: raw(r!.dst) };
    if (r!.gateway) sockaddrs['gateway'] = raw(r!.gateway);
    if (r!.mask) sockaddrs['netmask'] = raw(r!.mask);
    sockaddrs['ifp'] = raw(sdl(t.d));
    bytes = encodeMessage({
      type: cmd, flags: r!.flags, seq, tableid: t.rdomain, inits: r!.inits ?? 0,
      rmx: { expire: metric(t.d, 'expire', r!.expire ?? 0) }, sockaddrs,
    }, { dialect: t.d.name });
  }
  try {
    s.write(bytes);
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    if (e.errno !== ESRCH || cmd !== RTM_DELETE) {
      warn(t, 'writing to routing socket', e.errno);
      t.errno = e.errno;
      return -1;
    }
  }
  for (let m = s.read(); m; m = s.read()) {
    t.last = m;
    const h = readHeader(t.d, m);
    if (h.version === t.d.rtmVersion && h.seq === seq && h.pid === t.session.pid) break;
  }
  return 0;
}

/** An entry RTM_GET found: the reply's header, destination and interface (sockaddr_dl). */
export interface Found {
  h: RtHeader;
  sin: Uint8Array;
  ifp: Uint8Array;
}

/** rtget: RTM_GET of `dst` (rtm_flags `flags`); the reply's destination and interface, or undefined. */
export function rtget(t: LlTool, dst: Uint8Array, flags = 0): Found | undefined {
  t.errno = 0;
  if (rtmsg(t, RTM_GET, { flags, dst }) < 0 || !t.last) return undefined;
  const h = readHeader(t.d, t.last);
  const sa = rtaddrs(t.d, t.last, 0, h);
  const sin = sa[RTAX_DST];
  const ifp = sa[RTAX_IFP];
  return sin && ifp ? { h, sin, ifp } : undefined;
}

/** One record of the NET_RT_FLAGS dump: its header, destination and (the next sockaddr) gateway. */
export interface LlEntry {
  h: RtHeader;
  sin: Uint8Array;
  gw: Uint8Array;
}

/**
 * sysctl(NET_RT_FLAGS, RTF_LLINFO) of `family` in the rdomain's table: the RTF_LLINFO records
 * of the current version. A failing sysctl is err(1, `what`).
 */
export function llinfoDump(t: LlTool, family: Family, what: string): LlEntry[] {
  let dump: Uint8Array;
  try {
    dump = t.session.kernel.dump(t.rdomain, family);
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    fatal(t, what, e.errno);
  }
  const entries: LlEntry[] = [];
  for (let off = 0; off < dump.length;) {
    const h = readHeader(t.d, dump, off);
    if (h.msglen <= 0) break;
    const next = off + h.msglen;
    if (h.version === t.d.rtmVersion && h.flags & RTF_LLINFO) {
      const at = off + h.hdrlen;
      const len = dump[at]!;
      entries.push({ h, sin: dump.subarray(at, at + len), gw: dump.subarray(at + roundup(len, t.d.roundup), next) });
    }
    off = next;
  }
  return entries;
}

/** A line of a -f file: as fgets(3) read it (newline kept), and the words sscanf took from it. */
export interface FileLine {
  line: string;
  args: string[];
}

const SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

/**
 * fopen + fgets(line, 100) + sscanf("%49s %49s %49s %49s %49s"): lines of at most 99
 * characters (a longer one is read in pieces), up to five words of at most 49 characters (a
 * longer word continues as the next word). A file that cannot be opened is err(1).
 */
export function entryFile(t: Pick<LlTool, 'prog' | 'err'>, name: string): FileLine[] {
  let text: string;
  try {
    text = readFileSync(name, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A directory opens for reading and reads nothing.
    if (code === 'EISDIR') return [];
    fatal(t, `cannot open ${name}`, code === 'ENOENT' ? ENOENT : EACCES);
  }
  const lines: FileLine[] = [];
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const end = Math.min(nl < 0 ? text.length : nl + 1, at + 99);
    // The C string ends at a NUL byte.
    const chunk = text.slice(at, end);
    const line = chunk.includes('\0') ? chunk.slice(0, chunk.indexOf('\0')) : chunk;
    at = end;
    const args: string[] = [];
    let i = 0;
    while (args.length < 5) {
      while (i < line.length && SPACE.has(line[i]!)) i++;
      if (i >= line.length) break;
      const from = i;
      while (i < line.length && i - from < 49 && !SPACE.has(line[i]!)) i++;
      args.push(line.slice(from, i));
    }
    lines.push({ line, args });
  }
  return lines;
}
