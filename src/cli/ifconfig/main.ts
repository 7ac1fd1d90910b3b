/**
 * `rtsock ifconfig [-a] [interface [parameters]]`: OpenBSD's ifconfig(8) against the persistent
 * kernel. Parameters apply left to right; the address change is deferred to the end, as
 * ifconfig.c does (without `alias` the interface's first address of the family is replaced).
 * The first word that is no keyword is the address (setifaddr), the second its destination
 * (setifdstaddr), a third is a bad value.
 */
import { parseMac } from '../../addr/parse.js';
import { parseIPv6 } from '../../codec/bytes.js';
import {
  IFF_DEBUG, IFF_LINK0, IFF_LINK1, IFF_LINK2, IFF_NOARP, IFF_STATICARP, IF_PRIORITY_MAX, RT_TABLEID_MAX,
} from '../../kernel/constants.js';
import { ERRNO, RtsockErrno, fail, strerror } from '../../kernel/errno.js';
import type { Interface } from '../../kernel/interface.js';
import type { Kernel } from '../../kernel/kernel.js';
import { emit } from '../io.js';
import { loadReadOnly, withKernel, type Session } from '../state/session.js';
import { strtonum } from '../route/context.js';
import { inetAton } from '../route/addr.js';
import { inet6Text } from '../route/names.js';
import { Fail } from './fail.js';
import { groupIoctl, groupNameProblem } from './groups.js';
import { hdrPrioArgument, hdrPrioKeyword } from './hdrprio.js';
import { In6AddReq, isInet6AttrKeyword } from './inet6-attrs.js';
import { commandWord } from './keywords.js';
import { isTunnelKeyword, tunnelKeyword } from './tunnel.js';
import { inet6WordXflag, xflagIoctls, xflagWord } from './xflags.js';
import {
  familyWord, findMac, groupAttributes, listCloners, parseArgs, printif, setGroupAttributes, usage,
} from './show.js';

const INT_MAX = 0x7fffffff;
const UCHAR_MAX = 255;

/** One kernel call named by the ioctl ifconfig would issue (for error messages). */
function ioctl(ioc: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof RtsockErrno) throw new Fail(`ifconfig: ${ioc}: ${strerror(e.errno)}\n`);
    throw e;
  }
}

/** strtonum(3) of a keyword's argument, or ifconfig.c's `errx(1, "<keyword> %s: %s")`. */
function number(v: string, keyword: string, min: number, max: number): number {
  const n = strtonum(v, min, max);
  if (typeof n === 'string') throw new Fail(`ifconfig: ${keyword} ${v}: ${n}\n`);
  return n;
}

function need(argv: string[], i: number, word: string): string {
  // main's NEXTARG: errx(1, "'%s' requires argument").
  if (i >= argv.length) throw new Fail(`ifconfig: '${word}' requires argument\n`);
  return argv[i]!;
}

/**
 * Prints from the stored state; under the lock (saved, the messages journalled) when one of the
 * interfaces changes when asked for its media (DeviceKind.mediaSettlesLink).
 */
async function report<T>(print: (k: Kernel) => T, k: Kernel = loadReadOnly().kernel): Promise<T> {
  if (![...k.interfaces.values()].some((i) => i.kind.device?.mediaSettlesLink)) return print(k);
  return withKernel((s) => print(s.kernel));
}

/** A netmask in dotted or 0x form as a prefix length (ifconfig's `netmask` keyword). */
function maskLen(s: string): number | undefined {
  let v: number;
  if (/^0x[0-9a-fA-F]{1,8}$/.test(s)) v = parseInt(s.slice(2), 16);
  else {
    const p = s.split('.');
    if (p.length !== 4 || p.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return undefined;
    v = p.reduce((a, x) => a * 256 + Number(x), 0);
  }
  let len = 0;
  while (len < 32 && (v >>> (31 - len)) & 1) len++;
  return ((len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0) === v >>> 0) ? len : undefined;
}

interface AddrOp {
  af: 'inet' | 'inet6';
  addr: string;
  plen: number | undefined;
  /** dest_address (point-to-point destination). */
  dest?: string;
}

export async function ifconfigCommand(argv: string[]): Promise<number> {
  let out = '';
  try {
    // No arguments: printif(NULL, 0), every interface with only its first IPv4 address.
    if (argv.length === 0) {
      out = await report((k) => printif(k, undefined, false, undefined));
      return 0;
    }
    // The stored kernel is read here only to print or for an option's dialect: a command that
    // changes the kernel loads it once, under the lock (withKernel).
    let stored: Kernel | undefined;
    const storedKernel = () => (stored ??= loadReadOnly().kernel);
    const a = parseArgs(argv, () => storedKernel().policy.name);
    if (a.mac !== undefined) {
      const found = await report((k) => findMac(k, a.mac!), storedKernel());
      out = found.text;
      return found.status;
    }
    // main takes an address family word first; -C and -g come before anything else.
    const af = familyWord(a.rest);
    const rest = af ? a.rest.slice(1) : a.rest;
    if (a.cflag) {
      if (rest.length > 0 || a.aflag) usage(storedKernel().policy.name);
      out = await report(listCloners, storedKernel());
      return 0;
    }
    if (a.gflag) {
      if (rest.length === 0) out = await report((k) => groupAttributes(k, a.name), storedKernel());
      else {
        await withKernel((s) => {
          // No routing message: the state is saved whatever the ioctl said.
          s.changed = true;
          setGroupAttributes(s.kernel, s.uid === 0, a.name, rest);
        });
      }
      return 0;
    }
    // Nothing to do: printif, every interface under -a/-A (-A: with all their IPv4 addresses),
    // else the name given with all of them; an address family word shows that family only.
    if (rest.length === 0) {
      out = await report((k) => printif(k, a.aflag ? undefined : a.name, a.aflag ? a.ifaliases : true, af), storedKernel());
      return 0;
    }
    let warnings = '';
    try {
      await withKernel((s) => configure(s, a.name, af, rest.slice(), (text) => { warnings += text; }));
    } finally {
      if (warnings) emit(2, warnings);
    }
    return 0;
  } catch (e) {
    if (e instanceof Fail) {
      emit(2, e.text);
      return 1;
    }
    throw e;
  } finally {
    if (out) emit(1, out);
  }
}

/**
 * Applies `params` to interface `name`; `warn` takes what ifconfig.c only warn()s about (and goes
 * on). `family`: the address family word main took before them (afs[]): only there is `inet` or
 * `inet6` a family; neither dialect's cmds[] has them, so later they are addresses like any word.
 */
function configure(s: Session, name: string, family: 'inet' | 'inet6' | undefined, params: string[], warn: (text: string) => void): void {
  // Many parameters change the kernel without a routing message (an address's flags re-set,
  // DAD restarted, a tunnel, a label, a vnetid, a down interface's rdomain): the state is saved
  // whatever the ioctls said.
  s.changed = true;
  const k = s.kernel;
  const ifc = k.ifconfig;
  const root = s.uid === 0;
  const exists = () => ifc.indexOf(name) !== 0;
  /**
   * What an ioctl's failure prints: the kernel API's ENOENT for an interface it does not know
   * is ifioctl's ENXIO; a non-root user meets suser's EPERM first.
   */
  const failure = (ioc: string, fn: () => void): string | undefined => {
    try {
      if (!root) fail('EPERM');
      fn();
      return undefined;
    } catch (e) {
      if (!(e instanceof RtsockErrno)) throw e;
      const errno = e.errno === ERRNO.ENOENT && !exists() ? ERRNO.ENXIO : e.errno;
      return `ifconfig: ${ioc}: ${strerror(errno)}\n`;
    }
  };
  /** An ioctl whose failure ends ifconfig (err(1, ...)). */
  const hard = (ioc: string, fn: () => void) => {
    const text = failure(ioc, fn);
    if (text !== undefined) throw new Fail(text);
  };
  /** An ioctl ifconfig.c only warn()s about when it fails: the other parameters still apply. */
  const soft = (ioc: string, fn: () => void) => {
    const text = failure(ioc, fn);
    if (text !== undefined) warn(text);
  };
  // `create` first (main's special case), `destroy` anywhere (clone_create, clone_destroy: err
  // with the interface's name).
  if (params[0] === 'create') {
    hard(`${name}: SIOCIFCREATE`, () => ifc.create(name));
    params = params.slice(1);
    if (params.length === 0) return;
  }
  if (params[0] === 'destroy') {
    hard(`${name}: SIOCIFDESTROY`, () => ifc.destroy(name));
    return;
  }
  // getinfo(create): any other parameter creates a missing clonable interface first; a failure
  // is ignored (the parameters' own ioctls then fail with ENXIO).
  if (!exists() && root) {
    try {
      ifc.create(name);
    } catch (e) {
      if (!(e instanceof RtsockErrno)) throw e;
    }
  }
  const af: 'inet' | 'inet6' = family ?? 'inet';
  let alias = false;
  let remove = false;
  let op: AddrOp | undefined;
  let pendingMask: number | undefined;
  /**
   * in_aliasreq's ifra_dstaddr, which is also ifra_broadaddr: the word after the address or
   * `broadcast X` (setifbroadaddr, which does not count in setaddr) fills it, the last one
   * counting; the kernel reads it as the destination on a point-to-point interface and as the
   * broadcast address on a broadcast one.
   */
  let dstSlot: string | undefined;
  let dstWord = false;
  /** in6_addreq's flags, lifetimes and, for eui64, interface identifier (src/cli/ifconfig/inet6-attrs.ts). */
  const in6 = new In6AddReq();
  // setifxflags: SIOCGIFXFLAGS (fails only for a missing interface), then SIOCSIFXFLAGS; both warn().
  const setifxflags = (v: number) => {
    const ioc = xflagIoctls(k.policy.name, name);
    if (!exists()) warn(`ifconfig: ${ioc.get}: ${strerror(ERRNO.ENXIO)}\n`);
    soft(ioc.set, () => ifc.setXflags(name, v < 0 ? { clear: -v } : { set: v }));
  };
  // After getinfo and before the first parameter, with `inet6` given: 4.9's main clears
  // IFXF_NOINET6 (setifxflags("inet6", ...)), current's runs addaf (SIOCIFAFATTACH, warn()ed).
  if (family === 'inet6') {
    const v = inet6WordXflag(k.policy.name);
    if (v !== undefined) setifxflags(v);
    else soft(`${name}: SIOCIFAFATTACH`, () => ifc.enableInet6(name));
  }
  for (let i = 0; i < params.length; i++) {
    const w = params[i]!;
    const flag = flagWord(w, k.policy.ifFlags.settable);
    if (flag) {
      // setifflags: SIOCGIFFLAGS, then SIOCSIFFLAGS with one flag set or cleared; err(1).
      if (!exists()) throw new Fail(`ifconfig: ${name}: SIOCGIFFLAGS: ${strerror(ERRNO.ENXIO)}\n`);
      hard(`${name}: SIOCSIFFLAGS`, () => ifc.setFlags(name, flag.on ? { set: flag.bit } : { clear: flag.bit }));
      continue;
    }
    const xflag = xflagWord(k.policy.name, w);
    if (xflag) {
      const v = xflag(af);
      if (typeof v !== 'number') throw new Fail(`ifconfig: ${v.errx}\n`);
      setifxflags(v);
      continue;
    }
    // A keyword the dialect's cmds[] lacks is a word like any other (an address): keywords.ts.
    const word = commandWord(k.policy.name, w);
    switch (word) {
      // setifflags: err(1) with the interface's name; SIOCGIFFLAGS fails first on a missing one.
      case 'up': case 'down': {
        if (!exists()) throw new Fail(`ifconfig: ${name}: SIOCGIFFLAGS: ${strerror(ERRNO.ENXIO)}\n`);
        hard(`${name}: SIOCSIFFLAGS`, () => ifc[word](name));
        break;
      }
      // setrdomain, setifmtu, setifpriority, setifllprio: strtonum's errx, then an ioctl whose
      // failure (EPERM for non-root too) is only warned about: the other parameters still apply.
      case 'rdomain': {
        const v = number(need(params, ++i, w), w, 0, RT_TABLEID_MAX);
        soft('SIOCSIFRDOMAIN', () => ifc.setRdomain(name, v));
        break;
      }
      case '-rdomain': soft('SIOCSIFRDOMAIN', () => ifc.setRdomain(name, 0)); break;
      case 'mtu': {
        const v = number(need(params, ++i, w), w, 0, INT_MAX);
        soft('SIOCSIFMTU', () => ifc.setMtu(name, v));
        break;
      }
      case 'group': case '-group': {
        // setifgroup / unsetifgroup: the dialect's name checks (errx), then an ioctl whose failure
        // ends ifconfig, but for the errnos the command lets pass (EEXIST on adding).
        const g = need(params, ++i, w);
        const remove = w === '-group';
        const problem = groupNameProblem(k.policy.name, remove, g);
        if (problem) throw new Fail(`ifconfig: ${problem}\n`);
        const ioc = groupIoctl(k.policy.name, remove, g);
        hard(ioc.name, () => {
          try {
            if (remove) ifc.deleteGroup(name, g);
            else ifc.addGroup(name, g);
          } catch (e) {
            if (!(e instanceof RtsockErrno) || !ioc.ignores(e.code)) throw e;
          }
        });
        break;
      }
      case 'metric': {
        // setifmetric: strtonum 0..INT_MAX (errx), SIOCSIFMETRIC warned about.
        const v = number(need(params, ++i, w), w, 0, 0x7fffffff);
        soft('SIOCSIFMETRIC', () => ifc.setMetric(name, v));
        break;
      }
      case 'priority': {
        const v = number(need(params, ++i, w), w, 0, IF_PRIORITY_MAX);
        soft('SIOCSIFPRIORITY', () => ifc.setPriority(name, v));
        break;
      }
      case 'llprio': {
        const v = number(need(params, ++i, w), w, 0, UCHAR_MAX);
        soft('SIOCSIFLLPRIO', () => ifc.setLlprio(name, v));
        break;
      }
      case 'lladdr': {
        const v = need(params, ++i, w);
        const ll = parseMac(v);
        if (!ll) throw new Fail(`ifconfig: ${v}: invalid lladdr\n`);
        hard('SIOCSIFLLADDR', () => ifc.setLladdr(name, ll));
        break;
      }
      // removeaf: warn() with the interface's name; -inet is in_ifdetach, -inet6 in6_ifdetach.
      case '-inet': soft(`${name}: SIOCIFAFDETACH`, () => ifc.disableInet(name)); break;
      case '-inet6': soft(`${name}: SIOCIFAFDETACH`, () => ifc.disableInet6(name)); break;
      // Both dialects' cmds[] make `add` bridge_add (one argument), not an alias; no bridge is
      // modelled, so it stays one here.
      case 'alias': case 'add': alias = true; break;
      case '-alias': case 'delete': remove = true; break;
      case 'broadcast': {
        // setifbroadaddr: in_getaddr / in6_getaddr into the destination slot, as it is parsed.
        dstSlot = destinationWord(need(params, ++i, w), af);
        break;
      }
      case 'netmask': {
        const v = need(params, ++i, w);
        pendingMask = maskLen(v);
        if (pendingMask === undefined) throw new Fail(`ifconfig: ${v}: bad value\n`);
        break;
      }
      case 'prefixlen':
        // setifprefixlen: the family's af_getprefix (in_getprefix 0..32, in6_getprefix 0..128).
        pendingMask = number(need(params, ++i, w), 'prefix', 0, af === 'inet' ? 32 : 128);
        break;
      case 'vnetid': case 'vlan': {
        // setvnetid: `any` is -1, else strtonum(0..INT64_MAX) ("vnetid %s: %s"); warn().
        const v = need(params, ++i, w);
        const id = v.toLowerCase() === 'any' ? -1 : number(v, 'vnetid', 0, Number.MAX_SAFE_INTEGER);
        soft('SIOCSVNETID', () => ifc.setVnetid(name, id));
        break;
      }
      // setifdesc / unsetifdesc: warn("SIOCSIFDESCR").
      case 'description': case 'descr': case '-description': case '-descr': {
        const text = w.startsWith('-') ? '' : need(params, ++i, w);
        soft('SIOCSIFDESCR', () => ifc.setDescription(name, text));
        break;
      }
      case 'rtlabel': case '-rtlabel': {
        // setifrtlabel: the ioctl's failure (EPERM for non-root too) is only warned about.
        const label = w === 'rtlabel' ? need(params, ++i, w) : '';
        soft('SIOCSIFRTLABEL', () => ifc.setRtlabel(name, label));
        break;
      }
      case '-vnetid': case '-vlan': soft('SIOCDVNETID', () => ifc.clearVnetid(name)); break;
      case 'parent': case 'vlandev': {
        // setifparent: warn("%s: %s: SIOCSIFPARENT", ifname, parent).
        const v = need(params, ++i, w);
        soft(`${name}: ${v}: SIOCSIFPARENT`, () => ifc.setParent(name, v));
        break;
      }
      case '-parent': case '-vlandev': soft('SIOCDIFPARENT', () => ifc.setParent(name, '')); break;
      default: {
        if (isInet6AttrKeyword(w)) {
          const errx = (text: string): never => { throw new Fail(`ifconfig: ${text}\n`); };
          i = in6.keyword({ k, name, af, address: () => op, soft, errx }, params, i);
          break;
        }
        const hdrPrio = hdrPrioKeyword(k.policy.name, w);
        if (hdrPrio) {
          // settxprio / setrxprio: the value (errx), then SIOCSTXHPRIO / SIOCSRXHPRIO, warn()ed.
          const v = hdrPrioArgument(hdrPrio, need(params, ++i, w));
          if (typeof v !== 'number') throw new Fail(`ifconfig: ${v.errx}\n`);
          if (hdrPrio === 'tx') soft('SIOCSTXHPRIO', () => ifc.setTxprio(name, v));
          else soft('SIOCSRXHPRIO', () => ifc.setRxprio(name, v));
          break;
        }
        if (isTunnelKeyword(k, w)) {
          const errx = (text: string): never => { throw new Fail(`ifconfig: ${text}\n`); };
          i = tunnelKeyword({ k, name, af, soft, errx }, params, i);
          break;
        }
        // setifaddr for the first word, setifdstaddr for the second (each counts in setaddr:
        // a third finds no function in cmds[] and is a bad value).
        if (op === undefined) op = addressWord(w, af);
        else if (!dstWord) {
          dstSlot = destinationWord(w, af);
          dstWord = true;
        } else throw new Fail(`ifconfig: ${w}: bad value\n`);
      }
    }
  }
  if (!op) return;
  const a = op;
  if (dstSlot !== undefined) a.dest = dstSlot;
  // IPv6 without an explicit prefix length: 128 for a destination on a point-to-point
  // interface (setipdst && IFF_POINTOPOINT), else 64.
  const p2p = (k.interfaceByIndex(ifc.indexOf(name))?.isPointToPoint ?? false);
  const plen = a.plen ?? pendingMask ?? (a.af === 'inet6' ? (a.dest !== undefined && p2p ? 128 : 64) : undefined);
  const cidr = plen === undefined ? a.addr : `${a.addr}/${plen}`;
  // ifconfig.c names both families' ioctls after IPv4's in its errors (err(1, "SIOCDIFADDR")).
  if (remove) {
    hard('SIOCDIFADDR', () => ifc.deleteAddress(name, a.addr));
    return;
  }
  if (!alias) {
    // clearaddr: SIOCDIFADDR of the ridreq before the add; only EADDRNOTAVAIL is let pass.
    if (!root || !exists()) throw new Fail(`ifconfig: SIOCDIFADDR: ${strerror(root ? ERRNO.ENXIO : ERRNO.EPERM)}\n`);
    if (a.af === 'inet') replaceFirst(k, name);
  }
  const dest = a.dest === undefined ? undefined : embedScope(k, a.dest);
  const options = a.af === 'inet'
    ? (dest === undefined ? {} : { dest, broadcast: dest })
    : { ...(dest === undefined ? {} : { dest }), flags: in6.flags, pltime: in6.pltime, vltime: in6.vltime };
  hard('SIOCAIFADDR', () => ifc.addAddress(name, cidr, options));
}

/** ifconfig.c's flag keywords besides up/down: `arp` clears IFF_NOARP, `-arp` sets it. */
const FLAG_WORDS: Readonly<Record<string, number>> = {
  debug: IFF_DEBUG, arp: IFF_NOARP, staticarp: IFF_STATICARP, link0: IFF_LINK0, link1: IFF_LINK1, link2: IFF_LINK2,
};

/** The flag a keyword sets or clears, if the dialect's ifconfig has it (4.9's has no staticarp). */
function flagWord(w: string, settable: number): { bit: number; on: boolean } | undefined {
  const negated = w.startsWith('-');
  const word = negated ? w.slice(1) : w;
  const bit = Object.hasOwn(FLAG_WORDS, word) ? FLAG_WORDS[word]! : 0;
  if ((bit & settable) === 0) return undefined;
  return { bit, on: negated === (bit === IFF_NOARP) };
}

/**
 * setifaddr: `addr[/len]` read by the family's af_getaddr. The family is main's (`inet` unless
 * the first parameter said `inet6`), whatever the text looks like: in_getaddr refuses IPv6 text
 * (inet_net_pton, inet_aton and gethostbyname of AF_INET all fail) as "bad value".
 */
function addressWord(w: string, af: 'inet' | 'inet6'): AddrOp {
  const [addr, len] = w.split('/') as [string, string | undefined];
  if (af === 'inet6') {
    // in6_getaddr hands the length to in6_getprefix (strtonum's errx), then getaddrinfo looks
    // the text up: no name is known on the simulated machine.
    const plen = len === undefined ? undefined : number(len, 'prefix', 0, 128);
    in6Getaddr(addr);
    return { af, addr, plen };
  }
  // in_getaddr: `a.b.c.d/len` through inet_net_pton (fewer octets allowed, zero-filled), else
  // inet_aton of the whole word (a, a.b, a.b.c, octal and hex parts), else gethostbyname,
  // which knows no names here: "bad value".
  const bad = (): never => { throw new Fail(`ifconfig: ${w}: bad value\n`); };
  if (len !== undefined) {
    const octets = addr.split('.');
    if (!/^\d+$/.test(len) || Number(len) > 32 || octets.length > 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return bad();
    return { af, addr: [0, 1, 2, 3].map((i) => Number(octets[i] ?? 0)).join('.'), plen: Number(len) };
  }
  const bytes = inetAton(addr) ?? bad();
  return { af, addr: bytes.join('.'), plen: undefined };
}

/**
 * setifdstaddr and setifbroadaddr: a plain address of the family (af_getaddr with DSTADDR takes
 * no length). in_getaddr's failure is "bad value"; in6_getaddr's is getaddrinfo's, as for the
 * address (ifconfig.c 1.472, and 1.246 alike).
 */
function destinationWord(w: string, af: 'inet' | 'inet6'): string {
  if (af === 'inet') {
    // inet_aton, as for the address: short forms (a.b, a.b.c), octal and hex parts.
    const bytes = inetAton(w);
    if (bytes === undefined) throw new Fail(`ifconfig: ${w}: bad value\n`);
    return bytes.join('.');
  }
  in6Getaddr(w);
  return w;
}

/** in6_getaddr's getaddrinfo: IPv6 text (a %scope allowed), or its error (no name is known here). */
function in6Getaddr(text: string): void {
  if (parseIPv6(text.replace(/%.*$/, ''), new Uint8Array(16), 0) === undefined) throw new Fail(`ifconfig: ${text}: name or service is not known\n`);
}

/**
 * Without `alias`, SIOCDIFADDR of the blank ridreq: IPv4 deletes the interface's first address
 * (in_ioctl). IPv6's in6_ridreq stays blank (in6_getaddr fills in6_addreq), so its
 * SIOCDIFADDR_IN6 finds nothing (EADDRNOTAVAIL, ignored) and the address is added as it is.
 */
function replaceFirst(k: Kernel, name: string): void {
  const ifp = k.interfaceByIndex(k.ifconfig.indexOf(name));
  const first = ifp?.addrs.find((x) => x.af === 'inet');
  if (first) ioctl('SIOCDIFADDR', () => k.ifconfig.deleteAddress(name, [...first.addr].join('.')));
}

/**
 * in6_getaddr: getaddrinfo gives `fe80::2%gif0` the scope id of gif0, which goes into the
 * address's second 16-bit word (KAME), for the kernel to check against the interface.
 */
function embedScope(k: Kernel, text: string): string {
  const m = /^(.*)%(.+)$/.exec(text);
  if (!m) return text;
  const bytes = new Uint8Array(16);
  const index = k.ifconfig.indexOf(m[2]!) || (/^\d+$/.test(m[2]!) ? Number(m[2]) : 0);
  if (parseIPv6(m[1]!, bytes, 0) === undefined || index === 0) throw new Fail(`ifconfig: ${text}: bad value\n`);
  if (bytes[0] !== 0xfe || (bytes[1]! & 0xc0) !== 0x80 || bytes[2] !== 0 || bytes[3] !== 0) return m[1]!;
  bytes[2] = index >> 8;
  bytes[3] = index & 0xff;
  return inet6Text(bytes);
}
