/**
 * `rtsock ndp`: OpenBSD's ndp(8) (usr.sbin/ndp/ndp.c 1.109) against the persistent simulated
 * kernel, talking to it as ndp(8) does: RTM_GET to find an entry and its interface, RTM_ADD
 * of a static RTF_LLINFO host route to set one, RTM_DELETE of the RTM_GET reply to delete
 * one, the NET_RT_FLAGS (RTF_LLINFO) dump of the IPv6 table to list them, and for each listed
 * entry SIOCGNBRINFO_IN6 (kernel.ndInfo) for its state, solicitations, IsRouter and timer.
 *
 * ndp.c 1.109 has no -p/-r/-P (router and prefix lists) nor SIOCSNDFLUSH_IN6: its getopt
 * string leaves them out, so they are unknown options here as there, and `-c` deletes the
 * cloned entries one by one as it does. `-i` prints the interface's ND reachable time
 * (SIOCGIFINFO_IN6: the model's fixed ND6_REACHABLE). `-A wait` repeats the listing every
 * `wait` seconds until killed, reading the stored kernel afresh each time.
 */
import { getDialect } from '../../abi/dialect.js';
import { parseV6 } from '../../addr/parse.js';
import { ERRNO, RtsockErrno } from '../../kernel/errno.js';
import { ND6_REACHABLE, type NdInfo, type NdState } from '../../kernel/nd6.js';
import { getopt } from '../getopt.js';
import { Exit, buffered } from '../command.js';
import { emit } from '../io.js';
import { loadReadOnly, withKernel, type Session } from '../state/session.js';
import { AF_INET6, AF_LINK } from '../route/addr.js';
import { inet6Text, scoped6, sin6 } from '../route/names.js';
import { strtonum } from '../route/context.js';
import type { RtHeader } from '../route/rtmsg.js';
import { columns, etherStr, sdl, sdlIndex, timeLeft } from '../llinfo/format.js';
import {
  LAN_TYPES, RTF_ANNOUNCE, RTF_CLONED, RTF_GATEWAY, RTF_HOST, RTF_LLINFO, RTF_LOCAL, RTF_STATIC, RTM_ADD,
  RTM_DELETE, RTV_EXPIRE, entryFile, fatal, getsocket, llinfoDump, rdomainArg, rtget, rtmsg, unknownHost, warn, warnx,
  type Found, type LlTool,
} from '../llinfo/tool.js';

const USAGE = 'usage: ndp [-acnt] [-A wait] [-d hostname] [-f filename] [-i interface]\n'
  + '\t[-s nodename ether_addr [temp] [proxy]] [-V rdomain] [hostname]\n';

/** W_ADDR: strlen("2001:0db8:3333:4444:5555:6666:7777:8888"). */
const W_ADDR = 39;
const HEADING = `${columns(W_ADDR, 'Neighbor', 'Linklayer Address', 'Netif')} ${'Expire'.padEnd(9)} S Flags\n`;

/** The S column: ND6_LLINFO_* as ndp prints them (PURGE has no letter). */
const STATE_LETTER: Partial<Record<NdState, string>> = {
  nostate: 'N', incomplete: 'I', reachable: 'R', stale: 'S', delay: 'D', probe: 'P',
};

interface Options {
  /** a (also -A), c, d, f, i, s, or none (`ndp hostname`). */
  mode: '' | 'a' | 'c' | 'd' | 'f' | 'i' | 's';
  /** The argument of -d, -f or -i. */
  arg: string;
  nflag: boolean;
  tflag: boolean;
  /** -A: seconds between listings (0 = list once). */
  repeat: number;
  rdomain: number;
  operands: string[];
}

/** The state of one ndp(8) run. */
interface Ndp extends Options, LlTool {
  foundEntry: boolean;
}

/** An IPv6 address and its scope (sin6_scope_id), the KAME-embedded one moved out. */
interface Sin6 {
  addr: Uint8Array;
  scope: number;
}

/** usage(): on stdout, status 1. */
function usage(out: string[]): never {
  out.push(USAGE);
  throw new Exit(1);
}

/** getopt("acd:f:i:nstA:V:") with opterr set: getopt's own complaint, then usage. */
function options(argv: string[], out: string[], err: string[]): Options {
  const o: Options = {
    mode: '', arg: '', nflag: false, tflag: false, repeat: 0,
    rdomain: Number(process.env['RTSOCK_RTABLE'] ?? 0) || 0, operands: [],
  };
  const at = getopt(argv, 'acd:f:i:nstA:V:', (ch, arg) => {
    if ('dfiAV'.includes(ch) && arg === undefined) {
      err.push(`ndp: option requires an argument -- ${ch}\n`);
      usage(out);
    }
    switch (ch) {
      case 'a': case 'c': case 's':
        if (o.mode) usage(out);
        o.mode = ch;
        break;
      case 'd': case 'f': case 'i':
        if (o.mode) usage(out);
        o.mode = ch;
        o.arg = arg!;
        break;
      case 'n': o.nflag = true; break;
      case 't': o.tflag = true; break;
      case 'A': {
        if (o.mode) usage(out);
        o.mode = 'a';
        const v = strtonum(arg!, 1, 0x7fffffff);
        if (typeof v === 'string') usage(out);
        o.repeat = v;
        break;
      }
      case 'V':
        o.rdomain = rdomainArg({ prog: 'ndp', err }, arg!) ?? usage(out);
        break;
      default:
        err.push(`ndp: unknown option -- ${ch}\n`);
        usage(out);
    }
  });
  o.operands = argv.slice(at);
  return o;
}

export function ndpCommand(argv: string[]): Promise<number> {
  return buffered(async (out, err) => {
    const o = options(argv, out, err);
    const n = o.operands.length;
    if (o.mode === 's' ? n < 2 || n > 4 : n !== (o.mode === '' ? 1 : 0)) usage(out);
    // Which runs change the kernel: they take the state's lock and save it.
    const writes = o.mode === 'c' || o.mode === 'd' || o.mode === 'f' || o.mode === 's';
    const run = async (session: Session) => {
      const d = getDialect(session.kernel.dialect);
      const t: Ndp = { ...o, prog: 'ndp', out, err, session, d, sock: undefined, seq: 0, last: undefined, foundEntry: false, errno: 0 };
      try {
        return await dispatch(t);
      } finally {
        t.sock?.close();
      }
    };
    return writes ? await withKernel(run) : await run(loadReadOnly());
  });
}

async function dispatch(t: Ndp): Promise<number> {
  switch (t.mode) {
    case 'a':
    case 'c':
      await dump(t, undefined, t.mode === 'c');
      return 0;
    case 'd':
      return del(t, t.arg);
    case 'f':
      // ndp.c ignores what file() returns.
      file(t, t.arg);
      return 0;
    case 'i':
      return ifinfo(t, t.arg);
    case 's':
      return set(t, t.operands);
    case '':
      return get(t, t.operands[0]!);
  }
}

// ---------------------------------------------------------------- addresses

/**
 * parse_host: getaddrinfo(AF_INET6) of a numeric address, `%scope` an interface name or
 * number (no resolver here: names are unknown, as with an empty hosts file).
 */
function parseHost(t: Ndp, host: string): Sin6 | undefined {
  const pct = host.indexOf('%');
  const addr = new Uint8Array(16);
  let scope = 0;
  let ok = parseV6(pct < 0 ? host : host.slice(0, pct), addr);
  if (ok && pct >= 0) {
    const z = host.slice(pct + 1);
    const ifp = t.session.kernel.ifconfig.interfaceNamed(z);
    if (ifp) scope = ifp.index;
    else if (/^\d+$/.test(z) && Number(z) <= 0xffffffff) scope = Number(z);
    else ok = false;
  }
  if (!ok) {
    unknownHost(t, host, t.nflag);
    return undefined;
  }
  return { addr, scope };
}

/** The struct sockaddr_in6 rtmsg() sends: a link-local scope embedded in bytes 2-3 (KAME). */
function sin6Image(t: Ndp, s: Sin6): Uint8Array {
  const sa = new Uint8Array(28);
  sa[0] = 28;
  sa[1] = AF_INET6;
  sa.set(s.addr, 8);
  if (scoped6(s.addr)) {
    sa[10] = (s.scope >>> 8) & 0xff;
    sa[11] = s.scope & 0xff;
  } else {
    new DataView(sa.buffer).setUint32(24, s.scope, t.d.littleEndian);
  }
  return sa;
}

function sameSin6(x: Sin6, y: Sin6): boolean {
  return x.scope === y.scope && x.addr.every((b, i) => b === y.addr[i]);
}

/** getnameinfo(NI_NUMERICHOST, as no name is known): the address, `%ifname` for a scoped one. */
function nameinfo(t: Ndp, s: Sin6): string {
  const text = inet6Text(s.addr);
  if (!s.scope) return text;
  const name = scoped6(s.addr) ? t.session.kernel.interfaceByIndex(s.scope)?.name : undefined;
  return `${text}%${name ?? s.scope}`;
}

const SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/**
 * ndp_ether_aton: sscanf("%x:%x:%x:%x:%x:%x"), each number (blanks, a sign and 0x allowed,
 * strtoumax saturating) kept as its low byte; undefined unless all six convert.
 */
function etherAton(s: string): Uint8Array | undefined {
  const out = new Uint8Array(6);
  let i = 0;
  for (let k = 0; k < 6; k++) {
    if (k > 0 && s[i++] !== ':') return undefined;
    while (i < s.length && SPACE.has(s[i]!)) i++;
    const neg = s[i] === '-';
    if (neg || s[i] === '+') i++;
    if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && isHex(s[i + 2])) i += 2;
    const from = i;
    while (isHex(s[i])) i++;
    if (i === from) return undefined;
    const v = BigInt(`0x${s.slice(from, i)}`);
    out[k] = v > 0xffffffffffffffffn ? 0xff : Number((neg ? -v : v) & 0xffn);
  }
  return out;
}

// ---------------------------------------------------------------- set, get, delete

/** rtget, whose failing write is err(1) in ndp; errx(1) when the reply lacks a destination or interface. */
function found(t: Ndp, s: Sin6, flags: number, host: string): Found & { sin6: Sin6 } {
  const f = rtget(t, sin6Image(t, s), flags);
  if (!f) {
    if (t.errno === 0) warnx(t, `RTM_GET(${host}) failed`);
    throw new Exit(1);
  }
  return { ...f, sin6: sin6(f.sin, t.d.littleEndian) };
}

/** `ndp -s nodename ether_addr [temp] [proxy]`: 1 on failure. */
function set(t: Ndp, args: string[]): number {
  const [host, eaddr, ...mods] = args as [string, string, ...string[]];
  getsocket(t);
  const s = parseHost(t, host);
  if (!s) return 1;
  // A bad address only warns: the entry is then set without one (sdl_alen 0).
  const mac = etherAton(eaddr);
  if (!mac) warnx(t, `invalid Ethernet address '${eaddr}'`);
  let expire = 0;
  let flags = 0;
  for (const m of mods) {
    if (m.startsWith('temp')) expire = t.session.kernel.now() + 20 * 60;
    else if (m.startsWith('proxy')) flags |= RTF_ANNOUNCE;
  }
  const f = found(t, s, flags, host);
  if (sameSin6(f.sin6, s)) {
    // Only an L2 entry of an 802 interface is overwritten (ndp, unlike arp, never retries as a proxy).
    const l2 = f.ifp[1] === AF_LINK && f.h.flags & RTF_LLINFO && (f.h.flags & RTF_GATEWAY) === 0 && LAN_TYPES.includes(f.ifp[4]!);
    if (!l2) {
      warnx(t, 'set: cannot configure a new entry');
      return 1;
    }
  }
  if (f.ifp[1] !== AF_LINK) {
    t.out.push(`cannot intuit interface index and type for ${host}\n`);
    return 1;
  }
  const gateway = sdl(t.d, sdlIndex(t.d, f.ifp), f.ifp[4], mac);
  const r = { flags: flags | RTF_HOST | RTF_STATIC, dst: sin6Image(t, s), gateway, expire, inits: expire ? RTV_EXPIRE : 0 };
  if (rtmsg(t, RTM_ADD, r) < 0) throw new Exit(1);
  return 0;
}

/** `ndp hostname`: the heading and the entry, or "-- no entry" (status 1). A bad name warns, status 0. */
async function get(t: Ndp, host: string): Promise<number> {
  const s = parseHost(t, host);
  if (!s) return 0;
  await dump(t, s, false);
  if (!t.foundEntry) {
    t.out.push(`${host} (${nameinfo(t, s)}) -- no entry\n`);
    return 1;
  }
  return 0;
}

/** `ndp -d hostname` (and each entry of `ndp -c`): 1 on failure; a local address is left alone (status 0). */
function del(t: Ndp, host: string): number {
  getsocket(t);
  const s = parseHost(t, host);
  if (!s) return 1;
  const f = found(t, s, 0, host);
  const entry = sameSin6(f.sin6, s) && f.ifp[1] === AF_LINK && (f.h.flags & RTF_LLINFO) !== 0;
  // An own address (RTF_LOCAL) is left alone, silently.
  if (entry && f.h.flags & RTF_LOCAL) return 0;
  if (!entry || f.h.flags & RTF_GATEWAY) {
    warnx(t, `delete: cannot locate ${host}`);
    return 1;
  }
  if (rtmsg(t, RTM_DELETE) < 0) throw new Exit(1);
  t.out.push(`${host} (${nameinfo(t, f.sin6)}) deleted\n`);
  return 0;
}

/** `ndp -f file`: `nodename ether_addr [temp] [proxy]` per line. */
function file(t: Ndp, name: string): void {
  for (const { line, args } of entryFile(t, name)) {
    // The line keeps its newline, as fgets read it.
    if (args.length < 2) warnx(t, `bad line: ${line}`);
    else set(t, args);
  }
}

/** `ndp -i interface`: SIOCGIFINFO_IN6's reachable time; ENXIO for an unknown interface. */
function ifinfo(t: Ndp, name: string): number {
  // ifr_name holds IFNAMSIZ - 1 characters.
  if (!t.session.kernel.ifconfig.interfaceNamed(name.slice(0, 15))) fatal(t, 'ioctl(SIOCGIFINFO_IN6)', ERRNO.ENXIO);
  t.out.push(`reachable=${ND6_REACHABLE}s\n`);
  return 0;
}

// ---------------------------------------------------------------- listing

/**
 * dump: the heading (not with -t or -c), then every non-multicast L2 host entry of the
 * rdomain's IPv6 table (or only `addr`'s); with -c each cloned one is deleted instead. With
 * -A the listing repeats, a blank line after each, until the command is killed.
 */
async function dump(t: Ndp, addr: Sin6 | undefined, cflag: boolean): Promise<void> {
  if (!t.tflag && !cflag) t.out.push(HEADING);
  for (;;) {
    for (const { h, sin, gw } of llinfoDump(t, 'inet6', 'sysctl(PF_ROUTE estimate)')) {
      if (gw[1] !== AF_LINK || (h.flags & RTF_HOST) === 0) continue;
      const s = sin6(sin, t.d.littleEndian);
      if (addr) {
        if (!sameSin6(addr, s)) continue;
        t.foundEntry = true;
      } else if (s.addr[0] === 0xff) continue;
      const host = nameinfo(t, s);
      if (cflag) {
        if (h.flags & RTF_CLONED) del(t, host);
        continue;
      }
      t.out.push(entryLine(t, h, s, host, gw));
    }
    if (!t.repeat) return;
    t.out.push('\n');
    flush(t);
    await sleep(t.repeat);
    t.session = loadReadOnly();
  }
}

/** One line of the neighbour table. */
function entryLine(t: Ndp, h: RtHeader, s: Sin6, host: string, gw: Uint8Array): string {
  const k = t.session.kernel;
  const now = k.now();
  const ifname = k.interfaceByIndex(sdlIndex(t.d, gw))?.name;
  let line = t.tflag ? timestamp() : '';
  line += columns(W_ADDR, host, etherStr(gw), ifname ?? '?');
  const nbi = nbrinfo(t, s, ifname);
  if (nbi) {
    const when = nbi.expire > now ? timeLeft(nbi.expire - now) : nbi.expire === 0 ? 'permanent' : 'expired';
    line += ` ${when.padEnd(9)} ${STATE_LETTER[nbi.state] ?? '?'}`;
  } else {
    warnx(t, 'failed to get neighbor information');
    line += '  ';
  }
  line += ` ${h.flags & RTF_LOCAL ? 'l' : ''}${nbi?.isRouter ? 'R' : ''}${h.flags & RTF_ANNOUNCE ? 'p' : ''}`;
  if (nbi?.asked) line += ` ${nbi.asked}`;
  return `${line}\n`;
}

/** getnbrinfo: SIOCGNBRINFO_IN6 on the entry's interface (ENXIO when it has none), or undefined after a warning. */
function nbrinfo(t: Ndp, s: Sin6, ifname: string | undefined): NdInfo | undefined {
  try {
    if (ifname === undefined) throw new RtsockErrno(ERRNO.ENXIO);
    return t.session.kernel.ndInfo(ifname, inet6Text(s.addr));
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    warn(t, 'ioctl(SIOCGNBRINFO_IN6)', e.errno);
    return undefined;
  }
}

/** -t: the time of day, HH:MM:SS.microseconds and a space, before each line. */
function timestamp(): string {
  const ms = Date.now();
  const d = new Date(ms);
  const two = (v: number) => String(v).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String((ms % 1000) * 1000).padStart(6, '0')} `;
}

/** fflush(stdout) (and stderr, unbuffered in C) between -A listings. */
function flush(t: Ndp): void {
  if (t.out.length) emit(1, t.out.splice(0).join(''));
  if (t.err.length) emit(2, t.err.splice(0).join(''));
}

async function sleep(secs: number): Promise<void> {
  // setTimeout takes at most 2^31 - 1 ms at a time.
  for (let ms = secs * 1000; ms > 0; ms -= 0x7fffffff) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 0x7fffffff)));
  }
}
