/**
 * `rtsock arp`: OpenBSD's arp(8) (usr.sbin/arp/arp.c 1.89) against the persistent simulated
 * kernel. It talks to the kernel as arp(8) does: RTM_GET to find an entry and its interface,
 * RTM_ADD of a static RTF_LLINFO host route to set one, RTM_DELETE of the RTM_GET reply to
 * delete one, and a NET_RT_FLAGS (RTF_LLINFO) dump to list them.
 */
import { readFileSync } from 'node:fs';
import { getDialect, type Dialect } from '../../abi/dialect.js';
import { parseMac } from '../../addr/parse.js';
import { encodeMessage, type SockaddrsInput } from '../../codec/message.js';
import { AF_ROUTE, ROUTE_TABLEFILTER } from '../../kernel/constants.js';
import { RtsockErrno, strerror } from '../../kernel/errno.js';
import type { RoutingSocket } from '../../kernel/socket.js';
import { getopt } from '../getopt.js';
import { Exit, buffered } from '../command.js';
import { loadReadOnly, withKernel, type Session } from '../state/session.js';
import { strtonum } from '../route/context.js';
import { inetAton } from '../route/addr.js';
import { RTAX_DST, RTAX_IFP, readHeader, rtaddrs, type RtHeader } from '../route/rtmsg.js';
import {
  ARP_TYPES, HEADING, RTF_ANNOUNCE, RTF_GATEWAY, RTF_HOST, RTF_LLINFO, RTF_LOCAL, RTF_PERMANENT_ARP, RTF_STATIC,
  SIN_PROXY, entryLine, hostMask, inarp, inetNtoa, sdl, sdlIndex,
} from './entry.js';

const RTM_ADD = 1, RTM_DELETE = 2, RTM_GET = 4, RTV_EXPIRE = 0x4;
const ENOENT = 2, ESRCH = 3, EINVAL = 22;

const USAGE = 'usage: arp [-adn] [-V rdomain] hostname\n'
  + '       arp [-F] [-f file] [-V rdomain] -s hostname ether_addr\n'
  + '           [temp | permanent] [pub]\n'
  + '       arp -W ether_addr [iface]\n';

interface Options {
  aflag: boolean;
  nflag: boolean;
  replace: boolean;
  func: '' | 'd' | 's' | 'f' | 'W';
  rdomain: number;
  operands: string[];
}

/** The state of one arp(8) run: its output, socket, and the last message exchanged (m_rtmsg). */
interface Arp extends Options {
  out: string[];
  err: string[];
  session: Session;
  d: Dialect;
  sock: RoutingSocket | undefined;
  seq: number;
  /** m_rtmsg: the last message read back (RTM_DELETE resends it as it is). */
  last: Uint8Array | undefined;
  foundEntry: boolean;
  /** errno of the last failed write (what warn(3) reports after rtget fails). */
  errno: number;
}

function usage(err: string[]): never {
  err.push(USAGE);
  throw new Exit(1);
}

/** warn(3): the message, then the errno's text. */
function warn(a: Pick<Arp, 'err'>, msg: string, errno: number): void {
  a.err.push(`arp: ${msg}: ${strerror(errno)}\n`);
}

function warnx(a: Pick<Arp, 'err'>, msg: string): void {
  a.err.push(`arp: ${msg}\n`);
}

/** getopt("andsFfV:W") with opterr = 0: any unknown option or a second function is usage. */
function options(argv: string[], err: string[]): Options {
  const o: Options = { aflag: false, nflag: false, replace: false, func: '', rdomain: Number(process.env['RTSOCK_RTABLE'] ?? 0) || 0, operands: [] };
  const at = getopt(argv, 'andsFfV:W', (ch, arg) => {
    if (ch === 'a') o.aflag = true;
    else if (ch === 'n') o.nflag = true;
    else if (ch === 'F') o.replace = true;
    else if (ch === 'd' || ch === 's' || ch === 'f' || ch === 'W') {
      if (o.func) usage(err);
      o.func = ch;
    } else if (ch === 'V') {
      if (arg === undefined) usage(err);
      const v = strtonum(arg, 0, 255);
      if (typeof v === 'string') {
        err.push(`arp: bad rdomain: ${v}: ${v === 'invalid' ? strerror(EINVAL) : 'Result too large'}\n`);
        usage(err);
      }
      o.rdomain = v;
    } else usage(err);
  });
  o.operands = argv.slice(at);
  return o;
}

export function arpCommand(argv: string[]): Promise<number> {
  return buffered(async (out, err) => {
    const o = options(argv, err);
    const n = o.operands.length;
    // Which runs change the kernel: they take the state's lock and save it.
    let writes = false;
    switch (o.func) {
      case '': if (!(o.aflag ? n === 0 : n === 1)) usage(err); break;
      case 's': if (n < 2 || n > 5) usage(err); writes = true; break;
      case 'd': if (!(o.aflag ? n === 0 : n === 1)) usage(err); writes = true; break;
      case 'f': if (n !== 1) usage(err); writes = true; break;
      case 'W': if (o.aflag || o.nflag || o.replace || o.rdomain > 0 || n < 1 || n > 2) usage(err); break;
    }
    const run = (session: Session) => {
      const d = getDialect(session.kernel.dialect);
      const a: Arp = { ...o, out, err, session, d, sock: undefined, seq: 0, last: undefined, foundEntry: false, errno: 0 };
      try {
        return dispatch(a);
      } finally {
        a.sock?.close();
      }
    };
    return writes ? await withKernel(run) : run(loadReadOnly());
  });
}

function dispatch(a: Arp): number {
  const [first, second] = a.operands;
  switch (a.func) {
    case '':
      if (a.aflag) {
        a.out.push(HEADING);
        search(a, undefined, printEntry(a));
        return 0;
      }
      return get(a, first!);
    case 's':
      if (a.replace) del(a, first!);
      return set(a, a.operands) ? 1 : 0;
    case 'd':
      if (!a.aflag) return del(a, first!);
      search(a, undefined, (sin) => { del(a, inetNtoa(sin)); });
      return 0;
    case 'f':
      return file(a, first!);
    case 'W':
      // Wake-on-LAN writes a frame through bpf(4), which the simulated machine does not have.
      void second;
      a.err.push(`arp: Failed to bind to bpf: ${strerror(ENOENT)}\n`);
      throw new Exit(1);
  }
}

/** parse_host: a numeric IPv4 address (no resolver here: names are unknown). */
function parseHost(a: Arp, host: string): number[] | undefined {
  const v = inetAton(host);
  if (!v) warnx(a, `${host}: ${a.nflag ? 'non-recoverable failure in name resolution' : 'name or service is not known'}`);
  return v;
}

function getsocket(a: Arp): RoutingSocket {
  if (a.sock) return a.sock;
  const s = a.session.kernel.socket({ uid: a.session.uid, pid: a.session.pid, rtable: 0 });
  a.sock = s;
  try {
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, a.rdomain);
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    warn(a, 'ROUTE_TABLEFILTER', e.errno);
    throw new Exit(1);
  }
  return s;
}

interface Request {
  flags: number;
  dst: Uint8Array;
  gateway?: Uint8Array;
  mask?: Uint8Array;
  expire?: number;
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

/**
 * rtmsg(cmd): RTM_GET and RTM_ADD are built from `r` (with a blank IFP so the reply names the
 * interface); RTM_DELETE resends the last reply. Reads back the reply to our pid and seq.
 * Returns -1 (after the warning) if the write fails, except ESRCH on RTM_DELETE.
 */
function rtmsg(a: Arp, cmd: number, r?: Request): number {
  const s = getsocket(a);
  const seq = ++a.seq;
  let bytes: Uint8Array;
  if (cmd === RTM_DELETE) {
    bytes = Uint8Array.from(a.last!);
    poke(a.d, bytes, 'seq', seq);
    poke(a.d, bytes, 'type', cmd);
  } else {
    const sockaddrs: SockaddrsInput = { dst: raw(r!.dst) };
    if (r!.gateway) sockaddrs['gateway'] = raw(r!.gateway);
    if (r!.mask) sockaddrs['netmask'] = raw(r!.mask);
    sockaddrs['ifp'] = raw(sdl(a.d));
    bytes = encodeMessage({
      type: cmd, flags: r!.flags, seq, tableid: a.rdomain, inits: cmd === RTM_ADD ? RTV_EXPIRE : 0,
      rmx: { expire: metric(a.d, 'expire', r!.expire ?? 0) }, sockaddrs,
    }, { dialect: a.d.name });
  }
  try {
    s.write(bytes);
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    if (e.errno !== ESRCH || cmd !== RTM_DELETE) {
      warn(a, 'writing to routing socket', e.errno);
      a.errno = e.errno;
      return -1;
    }
  }
  for (let m = s.read(); m; m = s.read()) {
    a.last = m;
    const h = readHeader(a.d, m);
    if (h.version === a.d.rtmVersion && h.seq === seq && h.pid === a.session.pid) break;
  }
  return 0;
}

/** A metric as the codec takes it: a bigint where the dialect's field is 64 bits wide (current's rmx_expire). */
function metric(d: Dialect, name: string, v: number): number | bigint {
  const rmx = d.headers.rt_msghdr!.fields.find((f) => f.name === 'rmx')!.struct!;
  const f = rmx.fields.find((x) => x.name === name)!;
  return f.kind === 'u64' || f.kind === 'i64' ? BigInt(v) : v;
}

interface Found {
  h: RtHeader;
  sin: Uint8Array;
  ifp: Uint8Array;
}

/** rtget: RTM_GET of `dst`; the reply's destination and interface, or undefined. */
function rtget(a: Arp, dst: Uint8Array): Found | undefined {
  a.errno = 0;
  if (rtmsg(a, RTM_GET, { flags: 0, dst }) < 0 || !a.last) return undefined;
  const h = readHeader(a.d, a.last);
  const sa = rtaddrs(a.d, a.last, 0, h);
  const sin = sa[RTAX_DST];
  const ifp = sa[RTAX_IFP];
  return sin && ifp ? { h, sin, ifp } : undefined;
}

/** Whether the entry found is an ARP entry arp(8) may overwrite or delete. */
function isArpEntry(f: Found): boolean {
  return f.ifp[1] === 18 && (f.h.flags & RTF_LLINFO) !== 0 && (f.h.flags & RTF_GATEWAY) === 0 && ARP_TYPES.has(f.ifp[4]!);
}

function sameAddress(x: Uint8Array, y: Uint8Array): boolean {
  return x[4] === y[4] && x[5] === y[5] && x[6] === y[6] && x[7] === y[7];
}

/** `arp -s host ether_addr [temp | permanent] [pub]`: 1 on failure. */
function set(a: Arp, args: string[]): number {
  const [host, eaddr, ...mods] = args;
  getsocket(a);
  const addr = parseHost(a, host!);
  if (!addr) return 1;
  const mac = parseMac(eaddr!);
  if (!mac) {
    a.err.push(`arp: invalid ethernet address: ${eaddr}\n`);
    throw new Exit(1);
  }
  let expire = 0;
  let flags = 0;
  let proxy = false;
  let exportOnly = false;
  for (const m of mods) {
    if (m.startsWith('temp')) {
      expire = a.session.kernel.now() + 20 * 60;
      // temp or permanent, not both: usage, but arp(8) then returns 0 from set.
      if (flags & RTF_PERMANENT_ARP) { a.err.push(USAGE); throw new Exit(1); }
    } else if (m.startsWith('pub')) {
      flags |= RTF_ANNOUNCE;
      proxy = true;
    } else if (m.startsWith('permanent')) {
      flags |= RTF_PERMANENT_ARP;
      if (expire !== 0) { a.err.push(USAGE); throw new Exit(1); }
    }
  }
  let other = 0;
  let f: Found | undefined;
  for (;;) {
    f = rtget(a, inarp(a.d, addr, other));
    if (!f) {
      warn(a, host!, a.errno);
      return 1;
    }
    if (!sameAddress(f.sin, inarp(a.d, addr, 0)) || isArpEntry(f)) break;
    if (!proxy) {
      a.out.push(`set: can only proxy for ${host}\n`);
      return 1;
    }
    if (other & SIN_PROXY) {
      a.out.push('set: proxy entry exists for non 802 device\n');
      return 1;
    }
    other = SIN_PROXY;
    exportOnly = true;
  }
  if (f.ifp[1] !== 18) {
    a.out.push(`cannot intuit interface index and type for ${host}\n`);
    return 1;
  }
  // rtmsg(RTM_ADD): a static host entry; "pub" without an existing entry adds it with a /32 mask.
  const r: Request = {
    flags: flags | RTF_HOST | RTF_STATIC,
    dst: inarp(a.d, addr, proxy && exportOnly ? SIN_PROXY : 0),
    gateway: sdl(a.d, sdlIndex(a.d, f.ifp), f.ifp[4], mac),
    expire,
  };
  if (proxy && !exportOnly) {
    r.mask = hostMask();
    r.flags &= ~RTF_HOST;
  }
  return rtmsg(a, RTM_ADD, r) < 0 ? 1 : 0;
}

/** `arp host`: the heading and the entry, or "no entry" (status 1). */
function get(a: Arp, host: string): number {
  const addr = parseHost(a, host);
  if (!addr) return 1;
  a.out.push(HEADING);
  search(a, addr, printEntry(a));
  if (!a.foundEntry) {
    a.out.push(`${inetNtoa(inarp(a.d, addr, 0)).padEnd(36)} no entry\n`);
    return 1;
  }
  return 0;
}

/** `arp -d host`: 1 on failure; a local address is left alone (status 0). */
function del(a: Arp, host: string): number {
  getsocket(a);
  const addr = parseHost(a, host);
  if (!addr) return 1;
  let other = 0;
  let f: Found | undefined;
  for (;;) {
    f = rtget(a, inarp(a.d, addr, other));
    if (!f) {
      warn(a, host, a.errno);
      return 1;
    }
    if (sameAddress(f.sin, inarp(a.d, addr, 0)) && f.ifp[1] === 18 && f.h.flags & RTF_LLINFO) {
      if (f.h.flags & RTF_LOCAL) return 0;
      if ((f.h.flags & RTF_GATEWAY) === 0 && ARP_TYPES.has(f.ifp[4]!)) break;
    }
    if (other & SIN_PROXY) {
      warnx(a, `delete: cannot locate ${host}`);
      return 1;
    }
    other = SIN_PROXY;
  }
  if (rtmsg(a, RTM_DELETE) < 0) return 1;
  a.out.push(`${host} (${inetNtoa(f.sin)}) deleted\n`);
  return 0;
}

/** `arp -f file`: `host ether_addr [temp | permanent] [pub]` per line. */
function file(a: Arp, name: string): number {
  let text: string;
  try {
    text = readFileSync(name, 'latin1');
  } catch (e) {
    a.err.push(`arp: cannot open ${name}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? strerror(ENOENT) : 'Permission denied'}\n`);
    throw new Exit(1);
  }
  let status = 0;
  for (const line of text.split(/(?<=\n)/)) {
    if (line === '') continue;
    const args = line.split(/\s+/).filter(Boolean).slice(0, 5).map((w) => w.slice(0, 49));
    if (args.length < 2) {
      // The line keeps its newline, as fgets read it.
      warnx(a, `bad line: ${line}`);
      status = 1;
      continue;
    }
    if (a.replace) del(a, args[0]!);
    if (set(a, args)) status = 1;
  }
  return status;
}

type Action = (sin: Uint8Array, gw: Uint8Array, h: RtHeader) => void;

/** search: the NET_RT_FLAGS (RTF_LLINFO) dump of the rdomain's IPv4 table, each entry (or `addr`'s) to `action`. */
function search(a: Arp, addr: number[] | undefined, action: Action): void {
  let dump: Uint8Array;
  try {
    dump = a.session.kernel.dump(a.rdomain, 'inet');
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    warn(a, 'route-sysctl-estimate', e.errno);
    throw new Exit(1);
  }
  const entries: [Uint8Array, Uint8Array, RtHeader][] = [];
  for (let off = 0; off < dump.length;) {
    const h = readHeader(a.d, dump, off);
    if (h.msglen <= 0) break;
    const next = off + h.msglen;
    if (h.version === a.d.rtmVersion && h.flags & RTF_LLINFO) {
      const sin = dump.subarray(off + h.hdrlen, off + h.hdrlen + 16);
      if (!addr || sameAddress(sin, inarp(a.d, addr, 0))) {
        if (addr) a.foundEntry = true;
        entries.push([sin, dump.subarray(off + h.hdrlen + 16, next), h]);
      }
    }
    off = next;
  }
  for (const [sin, gw, h] of entries) action(sin, gw, h);
}

/** print_entry, for the kernel's interface names and clock. */
function printEntry(a: Arp): Action {
  const k = a.session.kernel;
  const now = k.now();
  return (sin, gw, h) => { a.out.push(entryLine(a.d, h, sin, gw, (i) => k.interfaceByIndex(i)?.name, now)); };
}
