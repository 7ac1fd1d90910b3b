/**
 * L2 entries as ARP (if_ether.c) and ND (nd6.c) both see them: a host route whose gateway is a
 * sockaddr_dl holding the neighbour's link-layer address (sdl_alen 0 = unresolved). Shared by
 * neighbours.ts (ARP) and nd6.ts (IPv6 neighbour discovery).
 */
import { AF_LINK, RTF_GATEWAY, RTF_UP } from './constants.js';
import type { Interface } from './interface.js';
import type { Rtentry } from './rtentry.js';

/** rtisvalid: UP, and for a gateway route a next hop that is UP. */
export function isValid(rt: Rtentry): boolean {
  if ((rt.flags & RTF_UP) === 0) return false;
  if (rt.flags & RTF_GATEWAY) return rt.gwroute !== undefined && (rt.gwroute.flags & RTF_UP) !== 0;
  return true;
}

/** A sockaddr_dl at least sizeof(struct sockaddr_dl) long, as both hooks require of an L2 entry's gateway. */
export function isLinkGateway(gw: Uint8Array, sdlSize: number): boolean {
  return gw.length >= 2 && gw[1] === AF_LINK && gw[0]! >= sdlSize && gw[0]! <= gw.length;
}

/** LLADDR(sdl): sdl_alen bytes after the sdl_nlen name bytes. */
export function lladdrOf(sdl: Uint8Array): Uint8Array {
  const at = 8 + sdl[5]!;
  return sdl.subarray(at, at + sdl[6]!);
}

/** Whether LLADDR(sdl) differs from `mac` over mac's length (bcmp over if_addrlen bytes, whatever sdl_alen says). */
export function lladdrDiffers(sdl: Uint8Array, mac: Uint8Array): boolean {
  const at = 8 + sdl[5]!;
  for (let i = 0; i < mac.length; i++) if ((sdl[at + i] ?? 0) !== mac[i]) return true;
  return false;
}

/** A copy of sockaddr_dl `sdl` with sdl_alen = n (the address bytes are left as they were). */
export function withAlen(sdl: Uint8Array, n: number): Uint8Array {
  const out = sdl.slice();
  out[6] = n;
  return out;
}

/**
 * A copy of sockaddr_dl `sdl` holding `mac` as its link-layer address. sdl_len is kept; the copy
 * grows past it only for a gateway whose name leaves no room (the kernel writes past sa_len
 * into the rounded allocation then).
 */
export function withLladdr(sdl: Uint8Array, mac: Uint8Array): Uint8Array {
  const at = 8 + sdl[5]!;
  const out = new Uint8Array(Math.max(sdl.length, at + mac.length));
  out.set(sdl);
  out[6] = mac.length;
  out.set(mac, at);
  return out;
}

/** The hooks' `sdl_type = ifp->if_type; sdl_index = ifp->if_index` on a copy (unchanged: same array). */
export function withLinkIdentity(sdl: Uint8Array, ifp: Interface, le: boolean): Uint8Array {
  const lo = le ? ifp.index & 0xff : ifp.index >> 8;
  const hi = le ? ifp.index >> 8 : ifp.index & 0xff;
  if (sdl[2] === lo && sdl[3] === hi && sdl[4] === ifp.type) return sdl;
  const out = sdl.slice();
  out[2] = lo;
  out[3] = hi;
  out[4] = ifp.type;
  return out;
}
