/**
 * What arp(8) reads and writes on the routing socket: the sockaddr images it sends
 * (sockaddr_inarp, its sockaddr_dl and /32 mask) and the ARP table line it prints for an
 * entry of a NET_RT_FLAGS dump (arp.c 1.89 print_entry, ether_str, sec2str).
 */
import type { Dialect } from '../../abi/dialect.js';
import { AF_INET, AF_LINK, sdlSize } from '../route/addr.js';
import type { RtHeader } from '../route/rtmsg.js';

export const RTF_GATEWAY = 0x2, RTF_HOST = 0x4, RTF_LLINFO = 0x400, RTF_STATIC = 0x800;
export const RTF_PERMANENT_ARP = 0x2000, RTF_ANNOUNCE = 0x4000, RTF_LOCAL = 0x200000;
/** sin_other: the entry only answers for the address (a proxy entry). */
export const SIN_PROXY = 1;
/** Interface types whose entries arp(8) sets and deletes (802 networks and carp). */
export const ARP_TYPES = new Set([6, 15, 7, 8, 9, 0xf7]);

const W_ADDR = 36, W_LL = 17, W_IF = 7;

/** The table heading of `arp -a` and `arp host`. */
export const HEADING = `${'Host'.padEnd(W_ADDR)} ${'Ethernet Address'.padEnd(W_LL)} ${'Netif'.padStart(W_IF)} ${'Expire'.padEnd(9)} Flags\n`;

function u16(d: Dialect, b: Uint8Array, at: number): number {
  return d.littleEndian ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
}

function put16(d: Dialect, b: Uint8Array, at: number, v: number): void {
  b[at + (d.littleEndian ? 0 : 1)] = v & 0xff;
  b[at + (d.littleEndian ? 1 : 0)] = v >>> 8;
}

/** struct sockaddr_inarp (16 bytes) for `addr`, sin_other as given. */
export function inarp(d: Dialect, addr: readonly number[], other: number): Uint8Array {
  const sa = new Uint8Array(16);
  sa[0] = 16;
  sa[1] = AF_INET;
  sa.set(addr, 4);
  put16(d, sa, 14, other);
  return sa;
}

/** A sockaddr_dl of the dialect's sizeof: blank (ifp_m), or sdl_m with an Ethernet address. */
export function sdl(d: Dialect, index = 0, type = 0, mac?: Uint8Array): Uint8Array {
  const size = sdlSize(d);
  const sa = new Uint8Array(size);
  sa[0] = size;
  sa[1] = AF_LINK;
  put16(d, sa, 2, index);
  sa[4] = type;
  if (mac) {
    sa[6] = mac.length;
    sa.set(mac, 8);
  }
  return sa;
}

/** so_mask: { 8, 0, 0, { 0xffffffff } }. */
export function hostMask(): Uint8Array {
  return Uint8Array.of(8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff);
}

export function inetNtoa(sa: Uint8Array): string {
  return `${sa[4]}.${sa[5]}.${sa[6]}.${sa[7]}`;
}

export function sdlIndex(d: Dialect, sa: Uint8Array): number {
  return u16(d, sa, 2);
}

function etherStr(sa: Uint8Array): string {
  if (!sa[6]) return '(incomplete)';
  const at = 8 + sa[5]!;
  return Array.from(sa.subarray(at, at + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
}

/** sec2str: 1d2h3m4s, leading zero units left out (seconds always). */
export function sec2str(total: number): string {
  const days = Math.floor(total / 86400);
  const hours = Math.floor(total / 3600) % 24;
  const mins = Math.floor(total / 60) % 60;
  let s = '';
  if (days) s += `${days}d`;
  if (s || hours) s += `${hours}h`;
  if (s || mins) s += `${mins}m`;
  return `${s}${total % 60}s`;
}

/**
 * One line of the ARP table: the entry at `sin` (its gateway sockaddr_dl at `gw`). Columns
 * widen for long fields and the next ones narrow to keep the line's total width.
 */
export function entryLine(d: Dialect, h: RtHeader, sin: Uint8Array, gw: Uint8Array, ifname: (i: number) => string | undefined, now: number): string {
  const host = inetNtoa(sin);
  const ll = etherStr(gw);
  const name = ifname(sdlIndex(d, gw)) ?? '?';
  const addrW = Math.max(host.length, W_ADDR);
  const llW = Math.max(ll.length, W_ADDR + W_LL - addrW);
  const ifW = Math.max(name.length, W_ADDR + W_LL + W_IF - addrW - llW);
  const expire = Number(h.expire);
  let when: string;
  if (h.flags & (RTF_PERMANENT_ARP | RTF_LOCAL)) when = 'permanent';
  else if (expire === 0) when = 'static';
  else if (expire > now) when = sec2str(expire - now).slice(0, 9);
  else when = 'expired';
  const flags = `${h.flags & RTF_LOCAL ? 'l' : ''}${h.flags & RTF_ANNOUNCE ? 'p' : ''}`;
  return `${host.padEnd(addrW)} ${ll.padEnd(llW)} ${name.padStart(ifW)} ${when.padEnd(9)} ${flags}\n`;
}
