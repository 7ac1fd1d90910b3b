/**
 * `rtsock ifconfig [-a] [interface [parameters]]`: OpenBSD's ifconfig(8) against the persistent
 * kernel. Parameters apply left to right; the address change is deferred to the end, as
 * ifconfig.c does (without `alias` the interface's first address of the family is replaced).
 * The first word that is no keyword is the address (setifaddr), the second its destination
 * (setifdstaddr), a third is a bad value.
 */
import { parseMac } from '../../addr/parse.js';
import { parseIPv4, parseIPv6 } from '../../codec/bytes.js';
import { RtsockErrno, strerror } from '../../kernel/errno.js';
import type { Kernel } from '../../kernel/kernel.js';
import { emit } from '../io.js';
import { loadReadOnly, withKernel, type Session } from '../state/session.js';
import { inet6Text } from '../route/names.js';
import { interfaceStatus } from './print.js';

class Fail extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

const USAGE = 'usage: ifconfig [-AaC] [-M lladdr] [interface] [address_family]\n'
  + '\t\t[address [dest_address]] [parameters]\n';

/** One kernel call named by the ioctl ifconfig would issue (for error messages). */
function ioctl(ioc: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof RtsockErrno) throw new Fail(`ifconfig: ${ioc}: ${strerror(e.errno)}\n`);
    throw e;
  }
}

function need(argv: string[], i: number, word: string): string {
  if (i >= argv.length) throw new Fail(`ifconfig: ${word}: missing argument\n`);
  return argv[i]!;
}

function listAll(k: Kernel): string {
  return [...k.interfaces.values()].sort((a, b) => a.index - b.index).map(interfaceStatus).join('');
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
    if (argv.length === 0 || (argv.length === 1 && argv[0] === '-a')) {
      out = listAll(loadReadOnly().kernel);
      return 0;
    }
    const name = argv[0]!;
    if (name.startsWith('-')) throw new Fail(USAGE);
    if (argv.length === 1) {
      const k = loadReadOnly().kernel;
      const ifp = [...k.interfaces.values()].find((i) => i.name === name);
      if (!ifp) throw new Fail(`ifconfig: ${name}: no such interface\n`);
      out = interfaceStatus(ifp);
      return 0;
    }
    let warnings = '';
    try {
      await withKernel((s) => configure(s, name, argv.slice(1), (text) => { warnings += text; }));
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

/** Applies `params` to interface `name`; `warn` takes what ifconfig.c only warn()s about (and goes on). */
function configure(s: Session, name: string, params: string[], warn: (text: string) => void): void {
  // Some changes announce nothing (an address's flags re-set, DAD restarted, an rtlabel, a
  // vnetid): the state is saved whatever the ioctls said.
  s.changed = true;
  const k = s.kernel;
  const ifc = k.ifconfig;
  const root = s.uid === 0;
  const exists = () => ifc.indexOf(name) !== 0;
  const guard = (ioc: string) => {
    if (!root) throw new Fail(`ifconfig: ${ioc}: Operation not permitted\n`);
  };
  if (params[0] === 'destroy' || params[0] === 'create') {
    const ioc = params[0] === 'destroy' ? 'SIOCIFDESTROY' : 'SIOCIFCREATE';
    guard(ioc);
    if (params[0] === 'destroy') {
      if (!exists()) throw new Fail(`ifconfig: ${name}: no such interface\n`);
      ioctl(ioc, () => ifc.destroy(name));
      return;
    }
    ioctl(ioc, () => ifc.create(name));
    params = params.slice(1);
    if (params.length === 0) return;
  }
  if (!exists()) {
    guard('SIOCIFCREATE');
    // Any other parameter creates a missing clonable interface first.
    try {
      ifc.create(name);
    } catch (e) {
      if (e instanceof RtsockErrno) throw new Fail(`ifconfig: ${name}: no such interface\n`);
      throw e;
    }
  }
  let af: 'inet' | 'inet6' = 'inet';
  let alias = false;
  let remove = false;
  let op: AddrOp | undefined;
  let pendingMask: number | undefined;
  for (let i = 0; i < params.length; i++) {
    const w = params[i]!;
    switch (w) {
      case 'up': guard('SIOCSIFFLAGS'); ioctl('SIOCSIFFLAGS', () => ifc.up(name)); break;
      case 'down': guard('SIOCSIFFLAGS'); ioctl('SIOCSIFFLAGS', () => ifc.down(name)); break;
      case 'rdomain': {
        const v = need(params, ++i, w);
        if (!/^\d+$/.test(v) || Number(v) > 255) throw new Fail(`ifconfig: rdomain ${v}: ${/^\d+$/.test(v) ? 'too large' : 'invalid'}\n`);
        guard('SIOCSIFRDOMAIN');
        ioctl('SIOCSIFRDOMAIN', () => ifc.setRdomain(name, Number(v)));
        break;
      }
      case '-rdomain': guard('SIOCSIFRDOMAIN'); ioctl('SIOCSIFRDOMAIN', () => ifc.setRdomain(name, 0)); break;
      case 'mtu': {
        const v = need(params, ++i, w);
        if (!/^\d+$/.test(v)) throw new Fail(`ifconfig: mtu ${v}: invalid\n`);
        guard('SIOCSIFMTU');
        ioctl('SIOCSIFMTU', () => ifc.setMtu(name, Number(v)));
        break;
      }
      case 'lladdr': {
        const v = need(params, ++i, w);
        const ll = parseMac(v);
        if (!ll) throw new Fail(`ifconfig: ${v}: invalid lladdr\n`);
        guard('SIOCSIFLLADDR');
        ioctl('SIOCSIFLLADDR', () => ifc.setLladdr(name, ll));
        break;
      }
      case 'inet': af = 'inet'; break;
      case 'inet6':
        af = 'inet6';
        guard('SIOCIFAFATTACH');
        ioctl('SIOCIFAFATTACH', () => ifc.enableInet6(name));
        break;
      case 'eui64': break; // attaching IPv6 (done by `inet6`) is all it asks for
      case '-inet6': guard('SIOCIFAFDETACH'); ioctl('SIOCIFAFDETACH', () => ifc.disableInet6(name)); break;
      case 'alias': case 'add': alias = true; break;
      case '-alias': case 'delete': case 'remove': remove = true; break;
      case 'netmask': {
        const v = need(params, ++i, w);
        pendingMask = maskLen(v);
        if (pendingMask === undefined) throw new Fail(`ifconfig: ${v}: bad value\n`);
        break;
      }
      case 'prefixlen': {
        const v = need(params, ++i, w);
        if (!/^\d+$/.test(v) || Number(v) > 128) throw new Fail(`ifconfig: prefixlen ${v}: invalid\n`);
        pendingMask = Number(v);
        break;
      }
      case 'vnetid': case 'vlan': {
        const v = need(params, ++i, w);
        if (!/^\d+$/.test(v) || Number(v) > 4095) throw new Fail(`ifconfig: vnetid ${v}: invalid\n`);
        guard('SIOCSVNETID');
        ioctl('SIOCSVNETID', () => ifc.setVnetid(name, Number(v)));
        break;
      }
      case 'rtlabel': case '-rtlabel': {
        // setifrtlabel: the ioctl's failure (EPERM for non-root too) is only warned about.
        const label = w === 'rtlabel' ? need(params, ++i, w) : '';
        if (!root) warn('ifconfig: SIOCSIFRTLABEL: Operation not permitted\n');
        else {
          try {
            ioctl('SIOCSIFRTLABEL', () => ifc.setRtlabel(name, label));
          } catch (e) {
            if (e instanceof Fail) warn(e.text);
            else throw e;
          }
        }
        break;
      }
      case '-vnetid': guard('SIOCDVNETID'); ioctl('SIOCDVNETID', () => ifc.setVnetid(name, -1)); break;
      case 'parent': case 'vlandev': {
        const v = need(params, ++i, w);
        guard('SIOCSIFPARENT');
        ioctl('SIOCSIFPARENT', () => ifc.setParent(name, v));
        break;
      }
      case '-parent': case '-vlandev': guard('SIOCDIFPARENT'); ioctl('SIOCDIFPARENT', () => ifc.setParent(name, '')); break;
      default: {
        if (op === undefined) op = addressWord(w, af);
        else if (op.dest === undefined) op.dest = destinationWord(w, op.af);
        else throw new Fail(`ifconfig: ${w}: bad value\n`);
      }
    }
  }
  if (!op) return;
  const a = op;
  // IPv6 without an explicit prefix length: 128 for a destination on a point-to-point
  // interface (setipdst && IFF_POINTOPOINT), else 64.
  const p2p = (k.interfaceByIndex(ifc.indexOf(name))?.isPointToPoint ?? false);
  const plen = a.plen ?? pendingMask ?? (a.af === 'inet6' ? (a.dest !== undefined && p2p ? 128 : 64) : undefined);
  const cidr = plen === undefined ? a.addr : `${a.addr}/${plen}`;
  if (remove) {
    // ifconfig.c names both families' ioctls after IPv4's in its errors (err(1, "SIOCDIFADDR")).
    guard('SIOCDIFADDR');
    ioctl('SIOCDIFADDR', () => ifc.deleteAddress(name, a.addr));
    return;
  }
  guard('SIOCAIFADDR');
  if (!alias && a.af === 'inet') replaceFirst(k, name);
  const dest = a.dest === undefined ? undefined : embedScope(k, a.dest);
  ioctl('SIOCAIFADDR', () => ifc.addAddress(name, cidr, dest === undefined ? {} : { dest }));
}

/** setifaddr: `addr[/len]`, IPv6 if it has a colon. */
function addressWord(w: string, af: 'inet' | 'inet6'): AddrOp {
  const [addr, len] = w.split('/') as [string, string | undefined];
  const fam = addr.includes(':') ? 'inet6' : af;
  if (len !== undefined && (!/^\d+$/.test(len) || Number(len) > (fam === 'inet' ? 32 : 128))) {
    throw new Fail(`ifconfig: ${w}: bad value\n`);
  }
  return { af: fam, addr, plen: len === undefined ? undefined : Number(len) };
}

/** setifdstaddr: a plain address of the family (in_getaddr / in6_getaddr take no length there). */
function destinationWord(w: string, af: 'inet' | 'inet6'): string {
  const ok = af === 'inet'
    ? parseIPv4(w) !== undefined
    : parseIPv6(w.replace(/%.*$/, ''), new Uint8Array(16), 0) !== undefined;
  if (!ok) throw new Fail(`ifconfig: ${w}: bad value\n`);
  return w;
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
