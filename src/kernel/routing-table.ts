/**
 * One routing table (rtable id) and the routing domain it belongs to. Routes live in a
 * FastRtable: the ART table plus the lookup fast path kept in step with it.
 */
import { FastRtable } from '../table/index.js';
import type { Rtentry } from './rtentry.js';
import type { Family } from './sockaddr-bytes.js';

export class RoutingTable {
  readonly routes = new FastRtable<Rtentry>();
  /** Preferred source address per family (RTM_SOURCE / route sourceaddr). */
  readonly source: Partial<Record<Family, Uint8Array>> = {};
  constructor(readonly id: number, public rdomain: number) {}
}
