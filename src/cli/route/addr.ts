/**
 * route(8)'s address parsing (getaddr, inet_makenetandmask, prefixlen; libc inet_net_pton,
 * inet_pton, inet_aton) into raw sockaddr images, as route.c keeps them in its sockunions.
 */
import type { Dialect } from '../../abi/dialect.js';
import { parseIPv6 } from '../../codec/bytes.js';
import { errx, strtonum, type RouteCtx } from './context.js';

export const AF_UNSPEC = 0, AF_INET = 2, AF_LINK = 18, AF_INET6 = 24, AF_MPLS = 33, PF_ROUTE = 17;
export const RTA_DST = 0x1, RTA_GATEWAY = 0x2, RTA_NETMASK = 0x4, RTA_IFP = 0x10, RTA_IFA = 0x20, RTA_SRC = 0x100, RTA_LABEL = 0x400;
/** The largest sizeof(struct sockaddr_dl) of the dialects (current's; 4.9's is 20). */
export const SDL_SIZE = 32;

/** sizeof(struct sockaddr_dl) as the dialect's route(8) was compiled with it. */
export function sdlSize(d: Dialect): number {
  return d.structs['sockaddr_dl']!.size;
}

/** The request being built: route.c's globals rtm_addrs, so_* and the host/net forcing. */
export interface Request {
  addrs: number;
  sa: Map<number, Uint8Array>;
  forcehost: number;
  forcenet: number;
  /** route.c's global aflen (changed by -inet/-inet6/-link and by address guessing). */
  aflen: number;
}

export function newRequest(): Request {
  return { addrs: 0, sa: new Map(), forcehost: 0, forcenet: 0, aflen: 16 };
}

function blank(len: number, family: number): Uint8Array {
  const b = new Uint8Array(Math.max(len, 2, 28, SDL_SIZE));
  b[0] = len;
  b[1] = family;
  return b;
}

/** inet_net_pton(AF_INET): bits (classful when no /bits), -1 on failure. */
export function inetNetPton(s: string, out: Uint8Array): number {
  let i = 0;
  let n = 0;
  const dst: number[] = [];
  const digit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
  const xdigit = (ch: string | undefined) => ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
  let ch = s[i++];
  if (ch === '0' && (s[i] === 'x' || s[i] === 'X') && xdigit(s[i + 1])) {
    i++;
    let dirty = 0;
    let tmp = 0;
    while ((ch = s[i++]) !== undefined && xdigit(ch)) {
      const v = parseInt(ch, 16);
      if (dirty === 0) tmp = v;
      else tmp = (tmp << 4) | v;
      if (++dirty === 2) {
        if (dst.length >= 4) return -1;
        dst.push(tmp);
        dirty = 0;
      }
    }
    if (dirty) {
      if (dst.length >= 4) return -1;
      dst.push(tmp << 4);
    }
  } else if (digit(ch)) {
    for (;;) {
      let tmp = 0;
      do {
        tmp = tmp * 10 + Number(ch);
        if (tmp > 255) return -1;
      } while ((ch = s[i++]) !== undefined && digit(ch));
      if (dst.length >= 4) return -1;
      dst.push(tmp);
      if (ch === undefined || ch === '/') break;
      if (ch !== '.') return -1;
      ch = s[i++];
      if (!digit(ch)) return -1;
    }
  } else return -1;
  let bits = -1;
  if (ch === '/' && digit(s[i]) && dst.length > 0) {
    ch = s[i++];
    bits = 0;
    do {
      bits = bits * 10 + Number(ch);
      if (bits > 32) return -1;
    } while ((ch = s[i++]) !== undefined && digit(ch));
    if (ch !== undefined) return -1;
  }
  if (ch !== undefined) return -1;
  if (dst.length === 0) return -1;
  if (bits === -1) {
    const a = dst[0]!;
    bits = a >= 240 ? 32 : a >= 224 ? 4 : a >= 192 ? 24 : a >= 128 ? 16 : 8;
    if (bits < dst.length * 8) bits = dst.length * 8;
  }
  while (bits > dst.length * 8) dst.push(0);
  for (n = 0; n < 4; n++) out[n] = dst[n] ?? 0;
  return bits;
}

/** inet_pton(AF_INET): exactly four decimal octets. */
export function inetPton(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.map(Number);
}

/** inet_aton(3) (what gethostbyname falls back to for numbers): a, a.b, a.b.c, a.b.c.d; octal/hex parts. */
export function inetAton(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length > 4 || parts.some((p) => !/^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9]\d*)$/.test(p))) return undefined;
  const vals = parts.map((p) => (/^0[xX]/.test(p) ? parseInt(p.slice(2) || '0', 16) : p.length > 1 && p[0] === '0' ? parseInt(p, 8) : Number(p)));
  const last = vals.pop()!;
  const limit = [0xffffffff, 0xffffff, 0xffff, 0xff][vals.length]!;
  if (vals.some((v) => v > 255) || last > limit) return undefined;
  const v = vals.reduce((acc, x, k) => acc + x * 2 ** (24 - 8 * k), 0) + last;
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

function setInet(sa: Uint8Array, a: ArrayLike<number>): void {
  for (let i = 0; i < 4; i++) sa[4 + i] = a[i]!;
}

function inetMakeNetAndMask(r: Request, net: number, sin: Uint8Array, bits: number): void {
  r.addrs |= RTA_NETMASK;
  let mask: number;
  if (bits === 0 && net === 0) mask = 0;
  else {
    if (bits === 0) bits = 32;
    mask = bits === 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
    net = (net & mask) >>> 0;
  }
  setInet(sin, [net >>> 24, (net >>> 16) & 0xff, (net >>> 8) & 0xff, net & 0xff]);
  const m = blank(16, AF_INET);
  setInet(m, [mask >>> 24, (mask >>> 16) & 0xff, (mask >>> 8) & 0xff, mask & 0xff]);
  r.sa.set(RTA_NETMASK, m);
}

/** prefixlen(): sets the netmask; returns whether it is a host length. */
export function prefixlen(c: RouteCtx, r: Request, af: number, s: string): boolean {
  const max = af === AF_INET ? 32 : af === AF_INET6 ? 128 : errx(c, `prefixlen is not supported with af ${af}`);
  r.addrs |= RTA_NETMASK;
  const len = strtonum(s, 0, max);
  if (typeof len === 'string') errx(c, `prefixlen ${s} is ${len}`);
  const m = blank(af === AF_INET ? 16 : 28, af);
  const off = af === AF_INET ? 4 : 8;
  for (let i = 0; i < len; i++) m[off + (i >> 3)] |= 0x80 >> (i & 7);
  r.sa.set(RTA_NETMASK, m);
  return len === max;
}

/**
 * getaddr(): parses `s` into the sockaddr for `which`; returns whether it names a host.
 * `ctxAf` is newroute's current family (AF_UNSPEC guesses from the text).
 */
export function getaddr(c: RouteCtx, r: Request, which: number, ctxAf: number, s: string, ifindex: (name: string) => number): boolean {
  let af = ctxAf;
  if (af === AF_UNSPEC) {
    if (s.includes(':')) {
      af = AF_INET6;
      r.aflen = 28;
    } else {
      af = AF_INET;
      r.aflen = 16;
    }
  }
  let aflength = r.aflen;
  let afamily = af;
  r.addrs |= which;
  if (which === RTA_IFP) {
    aflength = sdlSize(c.dialect);
    afamily = AF_LINK;
  }
  const su = blank(aflength, afamily);
  r.sa.set(which, su);
  if (s === 'default') {
    if (which === RTA_DST) {
      r.forcenet++;
      getaddr(c, r, RTA_NETMASK, af, s, ifindex);
    } else if (which === RTA_NETMASK) {
      su[0] = 0;
    }
    return false;
  }
  switch (afamily) {
    case AF_INET6: {
      if (s.length >= 50) errx(c, `${s}: bad value`);
      const slash = s.indexOf('/');
      const host = slash >= 0 ? s.slice(0, slash) : s;
      let sep: string | undefined = slash >= 0 ? s.slice(slash + 1) : undefined;
      const pct = host.indexOf('%');
      const addrText = pct >= 0 ? host.slice(0, pct) : host;
      const addr = new Uint8Array(16);
      let scope = 0;
      let ok = parseIPv6(addrText, addr, 0) !== undefined;
      if (ok && pct >= 0) {
        const z = host.slice(pct + 1);
        scope = /^\d+$/.test(z) ? Number(z) : ifindex(z);
        if (scope === 0 && !/^\d+$/.test(z)) ok = false;
      }
      if (!ok) errx(c, `${s}: no address associated with name`);
      su.fill(0, 2, 28);
      su[0] = 28;
      su[1] = AF_INET6;
      su.set(addr, 8);
      const ll = (addr[0] === 0xfe && (addr[1]! & 0xc0) === 0x80) || (addr[0] === 0xff && ((addr[1]! & 0x0f) === 2 || (addr[1]! & 0x0f) === 1));
      if (ll && scope) {
        su[10] = (scope >> 8) & 0xff;
        su[11] = scope & 0xff;
        scope = 0;
      } else if (scope) {
        new DataView(su.buffer).setUint32(24, scope, c.dialect.littleEndian);
      }
      if (which === RTA_DST) {
        if (sep === undefined && scope === 0 && addr.every((b) => b === 0)) sep = '0';
        if (sep === undefined || prefixlen(c, r, AF_INET6, sep)) return true;
      }
      return false;
    }
    case AF_LINK: {
      const idx = ifindex(s);
      if (c.dialect.littleEndian) { su[2] = idx & 0xff; su[3] = idx >> 8; } else { su[2] = idx >> 8; su[3] = idx & 0xff; }
      return true;
    }
    case AF_MPLS:
      return errx(c, 'mpls labels require -in or -out switch');
    case PF_ROUTE:
      return errx(c, `${s}: -sa addresses are not supported`);
    case AF_INET: {
      if (which === RTA_DST && !r.forcehost) {
        const a = new Uint8Array(4);
        const bits = inetNetPton(s, a);
        if (bits === 32) {
          setInet(su, a);
          return true;
        }
        if (bits >= 0) {
          inetMakeNetAndMask(r, ((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0, su, bits);
          return false;
        }
      } else if (which !== RTA_DST || !r.forcenet) {
        const a = inetPton(s);
        if (a) {
          setInet(su, a);
          return true;
        }
      }
      const a = inetAton(s) ?? errx(c, `${s}: bad address`);
      setInet(su, a);
      return true;
    }
    default:
      return errx(c, `${afamily}: bad address family`);
  }
}

/** The sockaddr image of slot `which`, cut to sa_len (a zero sa_len keeps its family byte for the wire). */
export function image(r: Request, which: number): Uint8Array | undefined {
  const sa = r.sa.get(which);
  if (!sa) return undefined;
  return sa.subarray(0, Math.max(sa[0]!, 2));
}
