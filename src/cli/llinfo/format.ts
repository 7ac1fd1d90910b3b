/**
 * What arp(8) and ndp(8) print and send alike for an L2 entry: the sockaddr_dl images of their
 * requests (blank ifp_m, sdl_m with an Ethernet address), the table columns that widen for
 * long fields and narrow the next ones to keep a line's width, ether_str and sec2str.
 */
import type { Dialect } from '../../abi/dialect.js';
import { AF_LINK, sdlSize } from '../route/addr.js';

/** W_LL and W_IF of both tools (W_ADDR differs: 36 in arp.c, 39 in ndp.c). */
const W_LL = 17, W_IF = 7;

function u16(d: Dialect, b: Uint8Array, at: number): number {
  return d.littleEndian ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
}

/** Stores a host-order 16-bit field (sdl_index, sin_other). */
export function put16(d: Dialect, b: Uint8Array, at: number, v: number): void {
  b[at + (d.littleEndian ? 0 : 1)] = v & 0xff;
  b[at + (d.littleEndian ? 1 : 0)] = v >>> 8;
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

export function sdlIndex(d: Dialect, sa: Uint8Array): number {
  return u16(d, sa, 2);
}

/** ether_str: the six bytes after sdl_data's name, or "(incomplete)" without an address. */
export function etherStr(sa: Uint8Array): string {
  if (!sa[6]) return '(incomplete)';
  const at = 8 + sa[5]!;
  return Array.from({ length: 6 }, (_, i) => (sa[at + i] ?? 0).toString(16).padStart(2, '0')).join(':');
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

/** The Expire column's time left (`%-9.9s` of sec2str). */
export function timeLeft(secs: number): string {
  return sec2str(secs).slice(0, 9);
}

/**
 * The first three columns: the address (at least `wAddr` wide), the link-layer address and the
 * interface (right-aligned); a wide field narrows the next so the three keep their total width.
 */
export function columns(wAddr: number, host: string, ll: string, ifname: string): string {
  const addrW = Math.max(host.length, wAddr);
  const llW = Math.max(ll.length, wAddr + W_LL - addrW);
  const ifW = Math.max(ifname.length, wAddr + W_LL + W_IF - addrW - llW);
  return `${host.padEnd(addrW)} ${ll.padEnd(llW)} ${ifname.padStart(ifW)}`;
}
