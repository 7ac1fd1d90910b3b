/** One route (struct rtentry): what the table stores per (prefix, priority, gateway). */
import type { Family } from './sockaddr-bytes.js';
import type { IfAddr, Interface } from './interface.js';

export class Rtentry {
  /** Full 8-bit priority; RTP_DOWN (0x80) marks a route whose interface is down. */
  priority: number;
  flags: number;
  /** Gateway sockaddr bytes (sa_len long). */
  gateway: Uint8Array;
  ifp: Interface;
  ifa: IfAddr;
  labelId = 0;
  /** Label text, kept so a deleted route can still be reported. */
  label = '';
  mtu = 0;
  /** Wall-clock seconds, 0 = none. */
  expire = 0;
  locks = 0;
  /** Use counter (rt_use): rt_match hits. */
  use = 0;
  /** References shown as Refs: next-hop caches pointing here + cloned children. */
  refs = 0;
  /** Next-hop route this gateway route caches (rt_gwroute). */
  gwroute: Rtentry | undefined;
  /** Gateway routes currently caching this route as their next hop. */
  cachedBy = 0;
  /** False once removed from its table. */
  inTable = false;

  constructor(
    readonly tableid: number,
    readonly af: Family,
    /** Destination address masked to plen. */
    readonly dst: Uint8Array,
    readonly plen: number,
    init: { priority: number; flags: number; gateway: Uint8Array; ifp: Interface; ifa: IfAddr },
  ) {
    this.priority = init.priority;
    this.flags = init.flags;
    this.gateway = init.gateway;
    this.ifp = init.ifp;
    this.ifa = init.ifa;
  }
}
