/** Request builders and readers shared by the kernel tests. */
import { decodeMessage, encodeMessage, type MessageInput, type RouteMessage } from '../../src/codec/message.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { RTABLE_ANY, ROUTE_TABLEFILTER, AF_ROUTE } from '../../src/kernel/constants.js';

export type DialectArg = 'openbsd-4.9' | 'openbsd';
export const DIALECTS: DialectArg[] = ['openbsd-4.9', 'openbsd'];

export function maskOf(plen: number): string {
  const b: number[] = [];
  for (let i = 0; i < 4; i++) b.push((0xff00 >> Math.min(8, Math.max(0, plen - i * 8))) & 0xff);
  return b.join('.');
}

export function inet(addr: string) {
  return { kind: 'inet' as const, addr, port: 0 };
}

export function inet6(addr: string) {
  return { kind: 'inet6' as const, addr, port: 0, flowinfo: 0, scope_id: 0 };
}

export interface RouteArgs {
  type?: string;
  dst: string;
  plen?: number;
  gw?: string;
  flags?: number;
  priority?: number;
  tableid?: number;
  seq?: number;
  extra?: Record<string, unknown>;
  sockaddrs?: Record<string, unknown>;
}

export const UGS = 0x803;

/** Encodes a route request the way route(8) builds it. */
export function routeMsg(d: DialectArg, a: RouteArgs): Uint8Array {
  const v6 = a.dst.includes(':');
  const sas: Record<string, unknown> = { dst: v6 ? inet6(a.dst) : inet(a.dst) };
  if (a.gw) sas['gateway'] = a.gw.includes(':') ? inet6(a.gw) : inet(a.gw);
  if (a.plen !== undefined) {
    if (v6) {
      const m = new Array(8).fill(0).map((_, i) => ((0xffff0000 >>> Math.min(16, Math.max(0, a.plen! - i * 16))) & 0xffff).toString(16));
      sas['netmask'] = inet6(m.join(':'));
    } else sas['netmask'] = inet(maskOf(a.plen));
  }
  Object.assign(sas, a.sockaddrs ?? {});
  const m: MessageInput = {
    type: a.type ?? 'RTM_ADD', flags: a.flags ?? UGS, priority: a.priority ?? 0, tableid: a.tableid ?? 0,
    seq: a.seq ?? 1, sockaddrs: sas as MessageInput['sockaddrs'], ...(a.extra ?? {}),
  };
  return encodeMessage(m, { dialect: d });
}

export function decode(d: DialectArg, b: Uint8Array): RouteMessage {
  return decodeMessage(b, { dialect: d }) as RouteMessage;
}

/** Everything buffered on a socket, decoded. */
export function drain(d: DialectArg, s: RoutingSocket): RouteMessage[] {
  const out: RouteMessage[] = [];
  for (let m = s.read(); m; m = s.read()) out.push(decode(d, m));
  return out;
}

/** A kernel with lo1 (192.0.2.1/32) and lo2 (192.0.2.2/32) up in rdomain 0, plus a listener. */
export function loopbackKernel(d: DialectArg, fastPathAt?: number): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d, ...(fastPathAt === undefined ? {} : { fastPathAt }) });
  for (const n of [1, 2]) {
    k.ifconfig.create(`lo${n}`);
    k.ifconfig.up(`lo${n}`);
    k.ifconfig.addAddress(`lo${n}`, `192.0.2.${n}/32`);
  }
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s };
}

/** A kernel with vether0 holding `addresses` (down: Ethernet-like, no link), plus a listener on every table. */
export function vetherKernel(d: DialectArg, addresses: string[]): { k: Kernel; s: RoutingSocket } {
  const k = createKernel({ dialect: d });
  k.ifconfig.create('vether0');
  for (const a of addresses) k.ifconfig.addAddress('vether0', a);
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  return { k, s };
}

/**
 * `ifconfig NAME -inet6` where the dialect has 4.9's IPv6 switch (IFXF_NOINET6): 4.9's if_up
 * attaches IPv6 to every interface it brings up (in6_if_up), so a test of IPv4 behaviour turns
 * it off first to see IPv4 alone. Current attaches IPv6 only when asked: nothing to do.
 */
export function ipv4Only(k: Kernel, ...names: string[]): void {
  if (k.policy.ifXflags.noInet6 === 0) return;
  for (const n of names) k.ifconfig.disableInet6(n);
}

/** Returns the errno thrown by fn, or 0. */
export function errnoOf(fn: () => unknown): number {
  try {
    fn();
    return 0;
  } catch (e) {
    return (e as { errno?: number }).errno ?? -1;
  }
}

/** The clock arpKernel starts at. */
export const ARP_T0 = 1_800_000_000;

/** vether0 192.0.2.1/24 (lladdr fe:e1:ba:d0:00:01 or so) with a settable clock and a listener. */
export function arpKernel(d: DialectArg): { k: Kernel; s: RoutingSocket; clock: { now: number } } {
  const clock = { now: ARP_T0 };
  const k = createKernel({ dialect: d, clock: () => clock.now });
  k.ifconfig.create('vether0');
  k.ifconfig.up('vether0');
  k.ifconfig.addAddress('vether0', '192.0.2.1/24');
  const s = k.socket();
  s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  drain(d, s);
  return { k, s, clock };
}

/**
 * Rdomain `n` gets lo<n> as its loopback, ahead of a first `rdomain n`: current's if_createrdomain
 * clones lo<n> itself, so nothing to do; 4.9 makes none, so lo<n> is created and moved there, and
 * `inet6` clears the IFXF_NOINET6 its move set (the interface is down: nothing attached yet).
 */
export function rdomainLoopback(k: Kernel, n: number): void {
  if (k.policy.rdomains === 'if_setrdomain') return;
  k.ifconfig.create(`lo${n}`);
  k.ifconfig.setRdomain(`lo${n}`, n);
  k.ifconfig.enableInet6(`lo${n}`);
}
