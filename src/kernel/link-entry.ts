/**
 * L2 entries as ARP (if_ether.c) and ND (nd6.c) both see them: a host route whose gateway is a
 * sockaddr_dl holding the neighbour's link-layer address (sdl_alen 0 = unresolved). Shared by
 * neighbours.ts (ARP) and nd6.ts (IPv6 neighbour discovery).
 */
import { AF_LINK, RTF_CLONING, RTF_GATEWAY, RTF_LLINFO, RTF_LOCAL, RTF_UP } from './constants.js';
import type { Interface } from './interface.js';
import type { RtRequest } from './neighbours.js';
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

/** What {@link l2Rtrequest} needs of ARP's or ND's entry list. */
export interface L2List {
  /** The family's llinfo list: whether `rt` is in it, taking it out. */
  has(rt: Rtentry): boolean;
  delete(rt: Rtentry): boolean;
  /** arpinvalidate / nd6_invalidate. */
  invalidate(rt: Rtentry): void;
  /** Flags of routes that are never this family's L2 entries (arp_rtrequest also skips RTF_BROADCAST). */
  readonly notL2: number;
  /** nd6_rtrequest stops a deleted entry's timer (expire 0); arp_rtrequest leaves it. */
  readonly clearsExpireOnDelete: boolean;
}

/**
 * What arp_rtrequest and nd6_rtrequest do alike: a deleted entry leaves the list and loses
 * RTF_LLINFO; an invalidated one (not local) forgets its address; a cloning route and a new
 * local entry get no timer; a route whose gateway is a full sockaddr_dl takes the interface's
 * index and type in it. Returns true when `rt` is to become a new L2 entry (not yet listed):
 * the caller gives it its llinfo, RTF_LLINFO and its timer.
 */
export function l2Rtrequest(list: L2List, ifp: Interface, req: RtRequest, rt: Rtentry, sdlSize: number, le: boolean): boolean {
  if (rt.flags & list.notL2) return false;
  if (req === 'delete') {
    if (!list.delete(rt)) return false;
    if (list.clearsExpireOnDelete) rt.expire = 0;
    rt.flags &= ~RTF_LLINFO;
    return false;
  }
  if (req === 'invalidate') {
    if ((rt.flags & RTF_LOCAL) === 0) list.invalidate(rt);
    return false;
  }
  if (req === 'add') {
    if (rt.flags & RTF_CLONING) {
      rt.expire = 0;
      return false;
    }
    if (rt.flags & RTF_LOCAL && !list.has(rt)) rt.expire = 0;
  }
  // RTM_RESOLVE (and the rest of RTM_ADD): an L2 entry needs a full sockaddr_dl gateway.
  if (!isLinkGateway(rt.gateway, sdlSize)) return false;
  rt.gateway = withLinkIdentity(rt.gateway, ifp, le);
  return !list.has(rt);
}
