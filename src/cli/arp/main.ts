/**
 * `rtsock arp`: OpenBSD's arp(8) (usr.sbin/arp/arp.c 1.89) against the persistent simulated
 * kernel. It talks to the kernel as arp(8) does: RTM_GET to find an entry and its interface,
 * RTM_ADD of a static RTF_LLINFO host route to set one, RTM_DELETE of the RTM_GET reply to
 * delete one, and a NET_RT_FLAGS (RTF_LLINFO) dump to list them.
 */
import { getDialect } from '../../abi/dialect.js';
import { parseMac } from '../../addr/parse.js';
import { strerror } from '../../kernel/errno.js';
import { getopt } from '../getopt.js';
import { Exit, buffered } from '../command.js';
import { loadReadOnly, withKernel, type Session } from '../state/session.js';
import { inetAton } from '../route/addr.js';
import type { RtHeader } from '../route/rtmsg.js';
import { sdl, sdlIndex } from '../llinfo/format.js';
import {
  RTF_ANNOUNCE, RTF_GATEWAY, RTF_HOST, RTF_LLINFO, RTF_LOCAL, RTF_STATIC, RTM_ADD, RTM_DELETE, RTV_EXPIRE,
  entryFile, getsocket, llinfoDump, rdomainArg, rtget, rtmsg, unknownHost, warn, warnx,
  type Found, type LlTool, type RtRequest,
} from '../llinfo/tool.js';
import { ARP_TYPES, HEADING, RTF_PERMANENT_ARP, SIN_PROXY, entryLine, hostMask, inarp, inetNtoa } from './entry.js';

const ENOENT = 2;

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

/** The state of one arp(8) run. */
interface Arp extends Options, LlTool {
  foundEntry: boolean;
}

function usage(err: string[]): never {
  err.push(USAGE);
  throw new Exit(1);
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
      o.rdomain = rdomainArg({ prog: 'arp', err }, arg) ?? usage(err);
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
      const a: Arp = { ...o, prog: 'arp', out, err, session, d, sock: undefined, seq: 0, last: undefined, foundEntry: false, errno: 0 };
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
  if (!v) unknownHost(a, host, a.nflag);
  return v;
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
  const r: RtRequest = {
    flags: flags | RTF_HOST | RTF_STATIC,
    dst: inarp(a.d, addr, proxy && exportOnly ? SIN_PROXY : 0),
    gateway: sdl(a.d, sdlIndex(a.d, f.ifp), f.ifp[4], mac),
    expire,
    inits: RTV_EXPIRE,
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
  let status = 0;
  for (const { line, args } of entryFile(a, name)) {
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
  const entries = llinfoDump(a, 'inet', 'route-sysctl-estimate').filter(({ sin }) => !addr || sameAddress(sin, inarp(a.d, addr, 0)));
  if (addr && entries.length) a.foundEntry = true;
  for (const { sin, gw, h } of entries) action(sin, gw, h);
}

/** print_entry, for the kernel's interface names and clock. */
function printEntry(a: Arp): Action {
  const k = a.session.kernel;
  const now = k.now();
  return (sin, gw, h) => { a.out.push(entryLine(a.d, h, sin, gw, (i) => k.interfaceByIndex(i)?.name, now)); };
}
