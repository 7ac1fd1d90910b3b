/**
 * What arp(8) alone reads and writes on the routing socket: sockaddr_inarp and its /32 mask,
 * and the ARP table line it prints for an entry of a NET_RT_FLAGS dump (arp.c 1.89
 * print_entry); the sockaddr_dl images, columns and sec2str are shared with ndp (../llinfo).
 */
import type { Dialect } from '../../abi/dialect.js';
import { AF_INET } from '../route/addr.js';
import type { RtHeader } from '../route/rtmsg.js';
import { columns, etherStr, put16, sdlIndex, timeLeft } from '../llinfo/format.js';
import { LAN_TYPES, RTF_ANNOUNCE, RTF_LOCAL } from '../llinfo/tool.js';

export const RTF_PERMANENT_ARP = 0x2000;
/** sin_other: the entry only answers for the address (a proxy entry). */
export const SIN_PROXY = 1;
/** Interface types whose entries arp(8) sets and deletes (802 networks and carp). */
export const ARP_TYPES = new Set([...LAN_TYPES, 0xf7]);

const W_ADDR = 36;

/** The table heading of `arp -a` and `arp host`. */
export const HEADING = `${columns(W_ADDR, 'Host', 'Ethernet Address', 'Netif')} ${'Expire'.padEnd(9)} Flags\n`;

/** struct sockaddr_inarp (16 bytes) for `addr`, sin_other as given. */
export function inarp(d: Dialect, addr: readonly number[], other: number): Uint8Array {
  const sa = new Uint8Array(16);
  sa[0] = 16;
  sa[1] = AF_INET;
  sa.set(addr, 4);
  put16(d, sa, 14, other);
  return sa;
}

/** so_mask: { 8, 0, 0, { 0xffffffff } }. */
export function hostMask(): Uint8Array {
  return Uint8Array.of(8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff);
}

export function inetNtoa(sa: Uint8Array): string {
  return `${sa[4]}.${sa[5]}.${sa[6]}.${sa[7]}`;
}

/** One line of the ARP table: the entry at `sin` (its gateway sockaddr_dl at `gw`). */
export function entryLine(d: Dialect, h: RtHeader, sin: Uint8Array, gw: Uint8Array, ifname: (i: number) => string | undefined, now: number): string {
  const expire = Number(h.expire);
  let when: string;
  if (h.flags & (RTF_PERMANENT_ARP | RTF_LOCAL)) when = 'permanent';
  else if (expire === 0) when = 'static';
  else if (expire > now) when = timeLeft(expire - now);
  else when = 'expired';
  const flags = `${h.flags & RTF_LOCAL ? 'l' : ''}${h.flags & RTF_ANNOUNCE ? 'p' : ''}`;
  return `${columns(W_ADDR, inetNtoa(sin), etherStr(gw), ifname(sdlIndex(d, gw)) ?? '?')} ${when.padEnd(9)} ${flags}\n`;
}
