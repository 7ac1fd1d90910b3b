/**
 * `route monitor` / `route -v` text: what OpenBSD route(8)'s print_rtmsg() prints for one
 * routing message, per dialect.
 *
 *   openbsd      sbin/route/route.c 1.267 + show.c 1.123 (routename, link_print, ...)
 *   openbsd-4.9  route.c as of 1.141 (2009, the newest pre-4.9 text available) + show.c of
 *                that era: other message layout ("name: X", no fmask/if#/mtu), its own
 *                flag-name strings, 0.0.0.0 printed as "default", labels unquoted.
 *
 * route(8) walks the raw message (casting it to whatever header its switch expects, reading
 * sockaddrs by sa_len, overwriting a mask's sa_family), so this renderer does the same on the
 * message's wire bytes (re-encoded from the decoded value) instead of on the decoded fields:
 * odd messages then print exactly as route(8) would print them. Bytes past the message read as 0.
 * Name lookups are never made: addresses print numerically (as with nothing in DNS/hosts).
 */
import { DEFAULT_ARCH, getDialect, roundup, type Dialect, type HeaderKind } from '../abi/dialect.js';
import type { LayoutField, StructLayout } from '../abi/layout.js';
import { formatIPv6 } from './bytes.js';
import { encodeMessage, type Message, type MessageInput } from './message.js';

export interface RenderOptions {
  /** if_indextoname(3): the interface name of an index, or undefined (route(8) then omits it). */
  ifname?: (index: number) => string | undefined;
  /** The clock (ms since the epoch, default Date.now): relative expire times, BFD uptimes, ctime. */
  now?: () => number;
}

// ---------------------------------------------------------------------------------------
// route.c's tables. Bit lists are route.c's bprintf strings: "<bit number><NAME>" in order.

type Bits = readonly (readonly [number, string])[];
const bits = (s: string): Bits => s.split(' ').map((w) => [Number(/^\d+/.exec(w)![0]), w.replace(/^\d+/, '')] as const);

interface Texts {
  msgtypes: readonly string[];
  routeflags: Bits;
  ifnetflags: Bits;
  addrnames: Bits;
}

const METRICNAMES = bits('9priority 8rttvar 7rtt 6ssthresh 5sendpipe 4recvpipe 3expire 2hopcount 1mtu');

const CURRENT: Texts = {
  msgtypes: ['', 'RTM_ADD: Add Route', 'RTM_DELETE: Delete Route', 'RTM_CHANGE: Change Metrics or flags',
    'RTM_GET: Report Metrics', 'RTM_LOSING: Kernel Suspects Partitioning', 'RTM_REDIRECT: Told to use different route',
    'RTM_MISS: Lookup failed on this address', '', '', '', 'RTM_RESOLVE: Route created by cloning',
    'RTM_NEWADDR: address being added to iface', 'RTM_DELADDR: address being removed from iface',
    'RTM_IFINFO: iface status change', 'RTM_IFANNOUNCE: iface arrival/departure', 'RTM_DESYNC: route socket overflow',
    'RTM_INVALIDATE: invalidate cache of L2 route', 'RTM_BFD: bidirectional forwarding detection',
    'RTM_PROPOSAL: config proposal', 'RTM_CHGADDRATTR: address attributes being changed',
    'RTM_80211INFO: 802.11 iface status change'],
  routeflags: bits('1UP 2GATEWAY 3HOST 4REJECT 5DYNAMIC 6MODIFIED 7DONE 8XMASK_PRESENT 9CLONING 10MULTICAST '
    + '11LLINFO 12STATIC 13BLACKHOLE 14PROTO3 15PROTO2 16PROTO1 17CLONED 18CACHED 19MPATH 21MPLS 22LOCAL '
    + '23BROADCAST 24CONNECTED 25BFD'),
  ifnetflags: bits('1UP 2BROADCAST 3DEBUG 4LOOPBACK 5PTP 6STATICARP 7RUNNING 8NOARP 9PPROMISC 10ALLMULTI '
    + '11OACTIVE 12SIMPLEX 13LINK0 14LINK1 15LINK2 16MULTICAST 19AUTOCONF6TEMP 20MPLS 21WOL 22AUTOCONF6 '
    + '23INET6_NOSOII 24AUTOCONF4'),
  addrnames: bits('1DST 2GATEWAY 3NETMASK 4GENMASK 5IFP 6IFA 7AUTHOR 8BRD 9SRC 10SRCMASK 11LABEL 12BFD 13DNS 14STATIC 15SEARCH'),
};

const OLD: Texts = {
  // route.c 1.141's list; RTM_DESYNC (16) is in 4.9's kernel and in route.c-derived lists of
  // that era (ldpd), so it is assumed here.
  msgtypes: ['', 'RTM_ADD: Add Route', 'RTM_DELETE: Delete Route', 'RTM_CHANGE: Change Metrics or flags',
    'RTM_GET: Report Metrics', 'RTM_LOSING: Kernel Suspects Partitioning', 'RTM_REDIRECT: Told to use different route',
    'RTM_MISS: Lookup failed on this address', 'RTM_LOCK: fix specified metrics', 'RTM_OLDADD: caused by SIOCADDRT',
    'RTM_OLDDEL: caused by SIOCDELRT', 'RTM_RESOLVE: Route created by cloning',
    'RTM_NEWADDR: address being added to iface', 'RTM_DELADDR: address being removed from iface',
    'RTM_IFINFO: iface status change', 'RTM_IFANNOUNCE: iface arrival/departure', 'RTM_DESYNC: route socket overflow'],
  routeflags: bits('1UP 2GATEWAY 3HOST 4REJECT 5DYNAMIC 6MODIFIED 7DONE 8MASK_PRESENT 9CLONING 10XRESOLVE '
    + '11LLINFO 12STATIC 13BLACKHOLE 14PROTO3 15PROTO2 16PROTO1 17CLONED 18SOURCE 19MPATH 20JUMBO 21MPLS'),
  ifnetflags: bits('1UP 2BROADCAST 3DEBUG 4LOOPBACK 5PTP 6NOTRAILERS 7RUNNING 8NOARP 9PPROMISC 10ALLMULTI '
    + '11OACTIVE 12SIMPLEX 13LINK0 14LINK1 15LINK2 16MULTICAST'),
  addrnames: bits('1DST 2GATEWAY 3NETMASK 4GENMASK 5IFP 6IFA 7AUTHOR 8BRD 11LABEL'),
};

/** bprintf(): `<A,B>` of the named bits set in `b`, in the string's order; nothing for 0. */
function bprintf(b: number, names: Bits): string {
  const set = names.filter(([bit]) => ((b >>> (bit - 1)) & 1) === 1).map(([, n]) => n);
  return set.length ? `<${set.join(',')}>` : '';
}

const IFT_ETHER = 6, IFT_PPP = 0x17, IFT_IEEE80211 = 0x47, IFT_CARP = 0xf7;

/** if.h LINK_STATE_DESCRIPTIONS as [ifi_type (0 = any), state, text]; 4.9's had "unknown" commented out. */
function linkState(type: number, state: number, old: boolean): string {
  const table: [number, number, string][] = [
    [IFT_ETHER, 2, 'no carrier'], [IFT_IEEE80211, 2, 'no network'], [IFT_PPP, 2, 'no carrier'],
    [IFT_CARP, 2, 'backup'], [IFT_CARP, 4, 'master'], [IFT_CARP, 5, 'master'], [IFT_CARP, 6, 'master'],
    [0, 4, 'active'], [0, 5, 'active'], [0, 6, 'active'], ...(old ? [] : [[0, 0, 'unknown'] as [number, number, string]]),
    [0, 1, 'invalid'], [0, 2, 'down'], [0, 3, 'keepalive down'],
  ];
  const hit = table.find(([t, s]) => (t === type || t === 0) && s === state);
  return hit ? hit[2] : `[#${state}]`;
}

// ---------------------------------------------------------------------------------------
// Raw reads over the message bytes (zero past the end, like a zeroed read buffer).

class Raw {
  constructor(readonly b: Uint8Array, readonly le: boolean) {}
  u8(o: number): number {
    return o >= 0 && o < this.b.length ? this.b[o]! : 0;
  }
  u16(o: number): number {
    return this.le ? this.u8(o) | (this.u8(o + 1) << 8) : (this.u8(o) << 8) | this.u8(o + 1);
  }
  u32(o: number): number {
    const [a, b, c, d] = [this.u8(o), this.u8(o + 1), this.u8(o + 2), this.u8(o + 3)];
    return (this.le ? (d << 24) | (c << 16) | (b << 8) | a : (a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  }
  i32(o: number): number {
    return this.u32(o) | 0;
  }
  u64(o: number): bigint {
    const lo = BigInt(this.u32(this.le ? o : o + 4)), hi = BigInt(this.u32(this.le ? o + 4 : o));
    return (hi << 32n) | lo;
  }
  /** A field of `size` bytes as a C integer of that width (signed when `signed`). */
  int(o: number, size: number, signed: boolean): bigint {
    const v = size === 8 ? this.u64(o) : BigInt(size === 4 ? this.u32(o) : size === 2 ? this.u16(o) : this.u8(o));
    return signed ? BigInt.asIntN(size * 8, v) : v;
  }
  /** A C string at `o`: up to the first NUL (at most `max` bytes). */
  cstr(o: number, max = 256): string {
    let s = '';
    for (let i = 0; i < max && this.u8(o + i) !== 0; i++) s += String.fromCharCode(this.u8(o + i));
    return s;
  }
}

/** Offset, size and signedness of a dotted field path (`rmx.expire`) in a struct layout. */
function fieldAt(layout: StructLayout, path: string): { off: number; size: number; signed: boolean } {
  let off = 0;
  let f: LayoutField | undefined;
  let l: StructLayout | undefined = layout;
  for (const name of path.split('.')) {
    f = l?.fields.find((x) => x.name === name);
    if (!f) throw new Error(`monitor: ${layout.name} has no field ${path}`);
    off += f.offset;
    l = f.struct;
  }
  return { off, size: f!.size, signed: f!.kind === 'i32' || f!.kind === 'i64' };
}

// ---------------------------------------------------------------------------------------
// Address texts (show.c routename and friends)

/** inet_ntop(AF_INET6): RFC 5952-style, but embedded IPv4 for ::a.b.c.d and ::ffff:a.b.c.d. */
function inet6Text(a: Uint8Array): string {
  const w = (i: number) => (a[2 * i]! << 8) | a[2 * i + 1]!;
  const zeros = (n: number) => [0, 1, 2, 3, 4, 5].slice(0, n).every((i) => w(i) === 0);
  if (zeros(5) && (w(5) === 0 ? w(6) !== 0 : w(5) === 0xffff)) {
    return `::${w(5) ? 'ffff:' : ''}${a[12]}.${a[13]}.${a[14]}.${a[15]}`;
  }
  return formatIPv6(a, 0);
}

interface Ctx {
  raw: Raw;
  /** openbsd-4.9's route(8)/show.c behaviour. */
  old: boolean;
  /** sizeof(long): the ROUNDUP unit sockaddrs advance by. */
  unit: number;
  opts: RenderOptions;
}

/** KAME-scoped addresses route(8) de-embeds (4.9's show.c did not know interface-local ff01::). */
function kameScoped(a: Uint8Array, old: boolean): boolean {
  return (a[0] === 0xfe && (a[1]! & 0xc0) === 0x80) || (a[0] === 0xff && ((a[1]! & 0x0f) === 2 || (!old && (a[1]! & 0x0f) === 1)));
}

/** getnameinfo(NI_NUMERICHOST) of a sockaddr_in6 image: address, then %scope (an ifname for scoped addresses). */
function sin6Text(c: Ctx, img: Uint8Array, scope: number): string {
  const addr = img.subarray(8, 24);
  let text = inet6Text(addr);
  if (scope !== 0) text += '%' + ((kameScoped(addr, false) ? c.opts.ifname?.(scope) : undefined) ?? String(scope));
  return text;
}

function anyNtoa(r: Raw, p: number): string {
  let len = r.u8(p) - 2;
  let out = 'Q';
  let i = 0;
  do {
    out += r.u8(p + 2 + i++).toString(16).padStart(2, '0') + '.';
  } while (--len > 0 && out.length + 3 < 239);
  return out.slice(0, -1);
}

function linkNtoa(r: Raw, p: number): string {
  const nlen = r.u8(p + 5), alen = r.u8(p + 6);
  const namelen = Math.min(nlen, 16);
  let out = '';
  for (let i = 0; i < namelen; i++) out += String.fromCharCode(r.u8(p + 8 + i));
  let rem = 64 - namelen;
  if (namelen > 0 && alen > 0) {
    out += ':';
    rem--;
  }
  for (let k = 0; k < alen && rem > 1; k++) {
    if (k > 0) {
      out += '.';
      rem--;
    }
    const v = r.u8(p + 8 + nlen + k);
    if (rem < (v > 0xf ? 3 : 2)) break;
    out += v.toString(16);
    rem -= v > 0xf ? 2 : 1;
  }
  const nul = out.indexOf('\0');
  return nul >= 0 ? out.slice(0, nul) : out;
}

function linkPrint(c: Ctx, p: number): string {
  const r = c.raw;
  if (r.u8(p + 5) === 0 && r.u8(p + 6) === 0 && r.u8(p + 7) === 0) return `link#${r.u16(p + 2)}`;
  const type = r.u8(p + 4);
  if (type === IFT_ETHER || (!c.old && type === IFT_CARP)) {
    const lla = p + 8 + r.u8(p + 5);
    return [0, 1, 2, 3, 4, 5].map((i) => r.u8(lla + i).toString(16).padStart(2, '0')).join(':');
  }
  return linkNtoa(r, p);
}

/** routename() of the sockaddr at `p`, its family read as `family`. */
function routename(c: Ctx, p: number, family: number): string {
  const r = c.raw;
  const len = r.u8(p);
  if (len === 0) return 'default';
  switch (family) {
    case 2: {
      const v = [4, 5, 6, 7].map((i) => r.u8(p + i));
      return c.old && v.every((x) => x === 0) ? 'default' : v.join('.');
    }
    case 24: {
      const img = new Uint8Array(28);
      for (let i = 0; i < Math.min(len, 28); i++) img[i] = r.u8(p + i);
      const dv = new DataView(img.buffer);
      let scope = dv.getUint32(24, r.le);
      if (len === 28 && kameScoped(img.subarray(8, 24), c.old) && scope === 0) {
        scope = dv.getUint16(10);
        img[10] = img[11] = 0;
      }
      return sin6Text(c, img, scope);
    }
    case 18:
      return linkPrint(c, p);
    case 33:
      return String(((r.u8(p + 4) << 24 | r.u8(p + 5) << 16 | r.u8(p + 6) << 8 | r.u8(p + 7)) >>> 0) >>> 12);
    case 0:
      if (len === 34) return c.old ? r.cstr(p + 2, 31) : `"${r.cstr(p + 2)}"`.slice(0, 33);
  }
  return `(${family}) ${anyNtoa(r, p)}`;
}

/** pmsg_addrs(): the sockaddrs line and each address; masks take DST's (or IFA's) family. */
function pmsgAddrs(c: Ctx, t: Texts, cp: number, addrs: number): string {
  const r = c.raw;
  let s = '';
  if (addrs !== 0) {
    s += `\nsockaddrs: ${bprintf(addrs, t.addrnames)}\n`;
    let family = 0;
    for (let i = 0, p = cp; i < 32; i++) {
      if (((addrs >>> i) & 1) === 0) continue;
      if (family === 0 && (i === 0 || i === 5)) family = r.u8(p + 1);
      p += roundup(r.u8(p), c.unit);
    }
    for (let i = 0, p = cp; i < 32; i++) {
      if (((addrs >>> i) & 1) === 0) continue;
      const isMask = i === 2 || (c.old && i === 3);
      s += ' ' + routename(c, p, family !== 0 && isMask ? family : r.u8(p + 1));
      p += roundup(r.u8(p), c.unit);
    }
  }
  return s + '\n';
}

// ---------------------------------------------------------------------------------------
// The per-type bodies

const pad8 = (v: number | bigint) => String(v).padStart(8, ' ');

function ifnamePart(c: Ctx, index: number, old: boolean): string {
  const n = c.opts.ifname?.(index);
  return n === undefined ? '' : old ? `name: ${n}, ` : `name ${n}, `;
}

/** The rt_msghdr part every route-message style rendering shares, from "pid:" to the addresses. */
function routeBody(c: Ctx, d: Dialect, t: Texts, nowSec: number, proposal: boolean): string {
  const r = c.raw;
  const L = d.headers.rt_msghdr!;
  const f = (path: string) => {
    const x = fieldAt(L, path);
    return r.int(x.off, x.size, x.signed);
  };
  const n = (path: string) => Number(f(path));
  const locks = n('rmx.locks');
  const lock = (bit: number) => ((locks & bit) !== 0 ? 'L' : ' ');
  const expire = f('rmx.expire');
  let s = '';
  if (c.old) {
    s += `priority ${n('priority')}, table ${n('tableid')}, pid: ${n('pid')}, seq ${n('seq')}, errno ${n('errno')}\nflags:`;
    s += bprintf(n('flags'), t.routeflags);
    // 4.9: u_int rmx_expire -= time(NULL), printed with %8d.
    const rel = expire ? (Number(expire) - nowSec) | 0 : 0;
    s += `\nuse: ${pad8(f('rmx.pksent'))}   mtu: ${pad8(n('rmx.mtu'))}${lock(1)}   expire: ${pad8(rel)}${lock(4)}`;
  } else {
    s += `pid: ${n('pid')}, seq ${n('seq')}, errno ${n('errno')}\nflags:${bprintf(n('flags'), t.routeflags)}`;
    s += `\nfmask:${bprintf(n('fmask'), t.routeflags)}`;
    const rel = expire ? BigInt.asIntN(64, expire - BigInt(nowSec)) : 0n;
    s += `\nuse: ${pad8(f('rmx.pksent'))}   mtu: ${pad8(n('rmx.mtu'))}${lock(1)}   expire: ${pad8(rel)}${lock(4)}`;
  }
  s += `\nlocks: ${bprintf(locks, METRICNAMES)} inits: ${bprintf(n('inits'), METRICNAMES)}`;
  const addrs = n('addrs'), hdrlen = r.u16(4);
  const PROPOSALS = 0x1000 | 0x2000 | 0x4000; // RTA_DNS | RTA_STATIC | RTA_SEARCH
  if (!proposal) return s + pmsgAddrs(c, t, hdrlen, addrs);
  s += pmsgAddrs(c, t, hdrlen, addrs & ~PROPOSALS);
  if ((addrs & PROPOSALS) === 0) return s;
  s += `proposals: ${bprintf(addrs & PROPOSALS, t.addrnames)}\n`;
  const at = slotOffsets(c, hdrlen, addrs, 15);
  if (addrs & 0x2000 && at[13] !== undefined) s += rtStatic(c, at[13]);
  if (addrs & 0x4000 && at[14] !== undefined) s += rtSearch(c, at[14]);
  if (addrs & 0x1000 && at[12] !== undefined) s += rtDns(c, at[12]);
  return s + '\n';
}

/** get_rtaddrs(): where each of the first `max` RTAX slots starts. */
function slotOffsets(c: Ctx, cp: number, addrs: number, max: number): (number | undefined)[] {
  const at: (number | undefined)[] = [];
  for (let i = 0, p = cp; i < max; i++) {
    if (((addrs >>> i) & 1) === 0) continue;
    at[i] = p;
    p += roundup(c.raw.u8(p), c.unit);
  }
  return at;
}

function rtDns(c: Ctx, p: number): string {
  const r = c.raw, len = r.u8(p), fam = r.u8(p + 1);
  if (len < 2) return `<invalid sr_len (${len} <= 2)>\n`;
  const n = len - 2;
  if (n > 128) return `<invalid sr_len (${n} > 128)>\n`;
  const width = fam === 2 ? 4 : fam === 24 ? 16 : 0;
  if (!width) return ' UNKNOWN []';
  let s = fam === 2 ? ' INET [' : ' INET6 [';
  if (n % width !== 0) return s + '<invalid server count>\n';
  const list: string[] = [];
  for (let o = p + 2; o < p + len; o += width) {
    const a = Uint8Array.from({ length: width }, (_, i) => r.u8(o + i));
    list.push(width === 4 ? [...a].join('.') : inet6Text(a));
  }
  return s + list.join(', ') + ']';
}

function rtStatic(c: Ctx, p: number): string {
  const r = c.raw, len = r.u8(p), fam = r.u8(p + 1);
  if (len <= 2) return `<invalid sr_len (${len} <= 2)>\n`;
  let n = len - 2, o = p + 2, s = ' [', first = true;
  if (n > 128) return `<invalid sr_len (${n} > 128)>\n`;
  if (fam === 2) {
    // RFC 3442 classless routes: width, significant destination octets, gateway.
    while (n > 0) {
      const bitsLen = r.u8(o++);
      n--;
      const bytes = (bitsLen + 7) >> 3;
      if (n < bytes || bytes > 4) break;
      const dst = [0, 1, 2, 3].map((i) => (i < bytes ? r.u8(o + i) : 0)).join('.');
      o += bytes;
      n -= bytes;
      if (n < 4) break;
      const gw = [0, 1, 2, 3].map((i) => r.u8(o + i)).join('.');
      o += 4;
      n -= 4;
      s += `${first ? '' : ', '}${dst}/${bitsLen} ${gw} `;
      first = false;
    }
  } else if (fam === 24) {
    while (n >= 1 + 16 + 28) {
      const plen = r.u8(o);
      const prefix = Uint8Array.from({ length: 16 }, (_, i) => r.u8(o + 1 + i));
      const gw = Uint8Array.from({ length: 28 }, (_, i) => r.u8(o + 17 + i));
      o += 45;
      n -= 45;
      // getnameinfo() refuses a sockaddr_in6 whose sin6_len is not 28; route(8) then stops.
      if (gw[0]! < 28 || gw[1] !== 24) return s;
      const scope = new DataView(gw.buffer).getUint32(24, r.le);
      s += `${first ? '' : ', '}${inet6Text(prefix)}/${plen} ${sin6Text(c, gw, scope)} `;
      first = false;
    }
  } else {
    s += `<unknown address family ${fam}>`;
  }
  return s + ']';
}

function rtSearch(c: Ctx, p: number): string {
  const len = c.raw.u8(p);
  if (len <= 2) return `<invalid sr_len (${len} <= 2)>\n`;
  if (len - 2 > 128) return `<invalid sr_len (${len - 2} > 128)>\n`;
  return ` [${c.raw.cstr(p + 2, len - 2)}]`;
}

const BFD_STATE = ['admindown', 'down', 'init', 'up'];
const BFD_DIAG = ['none', 'expired', 'echo-failed', 'neighbor-down', 'fib-reset', 'path-down', 'concat-path-down',
  'admindown', 'concat-reverse-down'];

/** bfd_calc_uptime(): strftime of localtime(t) (taken as UTC) in the format its size picks. */
function uptime(t: bigint): string {
  const dt = new Date(Number(t) * 1000);
  const two = (v: number) => String(v).padStart(2, '0');
  const M = two(dt.getUTCMinutes()), S = two(dt.getUTCSeconds()), k = String(dt.getUTCHours()).padStart(2, ' ');
  if (t > 2n * 86400n) return `${two(dt.getUTCDate())}d${k}h${M}m${S}s`;
  if (t > 2n * 3600n) return `${k}h${M}m${S}s`;
  if (t > 120n) return `${M}m${S}s`;
  return `${S}s`;
}

function bfdBody(c: Ctx, d: Dialect, t: Texts, nowSec: number): string {
  const r = c.raw;
  const base = fieldAt(d.headers.bfd_msghdr!, 'sa').off;
  const L = d.structs['sockaddr_bfd']!;
  const n = (name: string) => {
    const x = fieldAt(L, name);
    return r.int(base + x.off, x.size, x.signed);
  };
  const mode = Number(n('mode'));
  const st = (v: bigint) => BFD_STATE[Number(v)] ?? 'invalid';
  const dg = (v: bigint) => BFD_DIAG[Number(v)] ?? 'invalid';
  const gap = '\n            ';
  let s = '\n        BFD:';
  s += mode === 1 ? ' async' : mode === 2 ? ' demand' : ` unknown ${mode}`;
  s += ` state ${st(n('state'))} remote ${st(n('remotestate'))} laststate ${st(n('laststate'))} error ${n('error')}`;
  s += `${gap} diag ${dg(n('localdiag'))} remote ${dg(n('remotediag'))}`;
  s += `${gap} discr ${n('localdiscr')} remote ${n('remotediscr')}`;
  s += `${gap} uptime ${uptime(BigInt(nowSec) - n('uptime'))}`;
  if (n('lastuptime') !== 0n) s += ` last state time ${uptime(n('lastuptime'))}`;
  s += `${gap} mintx ${n('mintx')} minrx ${n('minrx')} minecho ${n('minecho')} multiplier ${n('multiplier')}\n`;
  return s + pmsgAddrs(c, t, r.u16(4), r.i32(12));
}

function ieee80211Body(c: Ctx, d: Dialect): string {
  const r = c.raw;
  const L = d.headers.if_ieee80211_msghdr!;
  const at = (p: string) => fieldAt(L, p).off;
  const nwidLen = r.u8(at('ifie.nwid_len')), nwid = at('ifie.nwid');
  let s = '';
  let ascii = true;
  for (let i = 0; i < nwidLen; i++) {
    const ch = r.u8(nwid + i);
    s += (i === 0 ? 'nwid ' : ':') + ch.toString(16).padStart(2, '0');
    if (ch < 0x20 || ch > 0x7e) ascii = false;
  }
  if (nwidLen > 0) {
    if (ascii) s += ` (${Array.from({ length: nwidLen }, (_, i) => String.fromCharCode(r.u8(nwid + i))).join('')})`;
    s += ', ';
  }
  const bssid = [0, 1, 2, 3, 4, 5].map((i) => r.u8(at('ifie.addr') + i).toString(16).padStart(2, '0')).join(':');
  s += `channel ${r.u8(at('ifie.channel'))}, bssid ${bssid}\n`;
  const F = bits('1ASCAN 2SIBSS 9WEPON 10IBSSON 11PMGTON 12DESBSSID 14ROAMING 16TXPOW_FIXED 17TXPOW_AUTO '
    + '18SHSLOT 19SHPREAMBLE 20QOS 21USEPROT 22RSNON 23PSK 24COUNTERM 25MFPR 26HTON 27PBAR 28BGSCAN 29AUTO_JOIN 30VHTON');
  s += `flags:${bprintf(r.u32(at('ifie.flags')), F)}\nxflags:${bprintf(r.u32(at('ifie.xflags')), bits('1TX_MGMT_ONLY'))}\n`;
  return s;
}

// ---------------------------------------------------------------------------------------

const PROPOSAL_SOURCES: Record<number, string> = { 57: 'static', 58: 'dhcp', 59: 'slaac', 60: 'umb', 61: 'ppp', 62: 'solicit' };

/** The header layout route(8) casts a message to, for reading its fields. */
function hdr(d: Dialect, kind: HeaderKind): StructLayout {
  return d.headers[kind]!;
}

/**
 * What route(8)'s print_rtmsg() prints for `msg` (as `route monitor` and `route -v` do),
 * following the message's dialect. A message whose version is not its dialect's prints
 * route(8)'s warning line instead.
 */
export function renderMessage(msg: Message, opts: RenderOptions = {}): string {
  const d = getDialect(msg.dialect, msg.arch ?? DEFAULT_ARCH);
  const bytes = encodeMessage(msg as unknown as MessageInput, { dialect: d.name, arch: d.arch });
  const old = d.name === 'openbsd-4.9';
  const c: Ctx = { raw: new Raw(bytes, d.littleEndian), old, unit: d.roundup, opts };
  const r = c.raw;
  const t = old ? OLD : CURRENT;
  const nowSec = Math.floor((opts.now ?? Date.now)() / 1000);
  const version = r.u8(2), type = r.u8(3), msglen = r.u16(0);
  if (version !== d.rtmVersion) return `route: routing message version ${version} not understood\n`;
  // 4.9 indexes msgtypes[] unchecked (type 0 prints ""); past its end we borrow current's text.
  const title = (type > 0 || old) && type < t.msgtypes.length ? t.msgtypes[type]! : `[rtm_type ${type} out of range]`;
  const get = (kind: HeaderKind, path: string) => {
    const x = fieldAt(hdr(d, kind), path);
    return Number(r.int(x.off, x.size, x.signed));
  };
  const index = r.u16(6), hdrlen = r.u16(4);

  if (old) {
    let s = `${title}: len ${msglen}, `;
    switch (type) {
      case 14:
        s += `if# ${index}, ${ifnamePart(c, index, true)}link: `;
        s += `${linkState(get('if_msghdr', 'data.type'), get('if_msghdr', 'data.link_state'), true)}, flags:`;
        return s + bprintf(get('if_msghdr', 'flags'), t.ifnetflags) + pmsgAddrs(c, t, hdrlen, get('if_msghdr', 'addrs'));
      case 12: case 13:
        s += `metric ${get('ifa_msghdr', 'metric')}, flags:${bprintf(get('ifa_msghdr', 'flags'), t.routeflags)}`;
        return s + pmsgAddrs(c, t, hdrlen, get('ifa_msghdr', 'addrs'));
      case 15:
        return s + announce(c, index);
      default:
        return s + routeBody(c, d, t, nowSec, false);
    }
  }

  let s = `${title}: len ${msglen}`;
  switch (type) {
    case 16:
      return s + '\n';
    case 14: {
      const flags = get('if_msghdr', 'flags') | (get('if_msghdr', 'xflags') << 16);
      s += `, if# ${index}, ${ifnamePart(c, index, false)}link: `;
      s += `${linkState(get('if_msghdr', 'data.type'), get('if_msghdr', 'data.link_state'), false)}, `;
      s += `mtu: ${get('if_msghdr', 'data.mtu')}, flags:${bprintf(flags, t.ifnetflags)}`;
      return s + pmsgAddrs(c, t, hdrlen, get('if_msghdr', 'addrs'));
    }
    case 21:
      return s + `, if# ${index}, ${ifnamePart(c, index, false)}` + ieee80211Body(c, d);
    case 12: case 13: case 20:
      s += `, if# ${index}, ${ifnamePart(c, index, false)}metric ${get('ifa_msghdr', 'metric')}, flags:`;
      return s + bprintf(get('ifa_msghdr', 'flags'), t.routeflags) + pmsgAddrs(c, t, hdrlen, get('ifa_msghdr', 'addrs'));
    case 15:
      return s + ', ' + announce(c, index);
    case 18:
      return s + bfdBody(c, d, t, nowSec);
    case 19: {
      const prio = get('rt_msghdr', 'priority');
      s += `, source ${PROPOSAL_SOURCES[prio] ?? 'unknown'}, table ${get('rt_msghdr', 'tableid')}, if# ${index}, `;
      return s + ifnamePart(c, index, false) + routeBody(c, d, t, nowSec, true);
    }
    default:
      s += `, priority ${get('rt_msghdr', 'priority')}, table ${get('rt_msghdr', 'tableid')}, if# ${index}, `;
      return s + ifnamePart(c, index, false) + routeBody(c, d, t, nowSec, false);
  }
}

/** The RTM_IFANNOUNCE tail (same in both dialects): "if# N, name X, what: arrival\n". */
function announce(c: Ctx, index: number): string {
  const what = c.raw.u16(8);
  const w = what === 0 ? 'arrival' : what === 1 ? 'departure' : `#${what}`;
  return `if# ${index}, name ${c.raw.cstr(10)}, what: ${w}\n`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime(3) of a time in ms, in UTC: `Sun Nov 22 14:59:49 2026\n`. */
export function ctime(ms: number): string {
  const t = new Date(Math.floor(ms / 1000) * 1000);
  const two = (v: number) => String(v).padStart(2, '0');
  return `${DAYS[t.getUTCDay()]} ${MONTHS[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2, ' ')} `
    + `${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())} ${t.getUTCFullYear()}\n`;
}

/** One `route monitor` entry: "got message of size N on <ctime>" then the message text. */
export function renderMonitorEntry(msg: Message, opts: RenderOptions = {}): string {
  const now = opts.now ?? Date.now;
  const at = now();
  return `got message of size ${msg.msglen} on ${ctime(at)}` + renderMessage(msg, { ...opts, now: () => at });
}
