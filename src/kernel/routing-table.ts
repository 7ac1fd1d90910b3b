/**
 * One routing table (rtable id) and the routing domain it belongs to. Routes live in an Rtable
 * (ART, as rtable.c); once the table is big enough, in a FastRtable: the same ART table plus the
 * lookup fast path kept in step with it.
 */
import { FastRtable, Rtable, type RtableInsertOptions, type WalkOrder } from '../table/index.js';
import type { Rtentry } from './rtentry.js';
import type { Family } from './sockaddr-bytes.js';

/** Routes a table holds before it gets the compiled lookup fast path. */
export const FAST_PATH_AT = 256;

/** Walk order with every conflict check off reproduces each prefix's route list as it was. */
const KEEP_ORDER: RtableInsertOptions<Rtentry> = { mpath: true, sameGateway: () => false };

export class RoutingTable {
  /**
   * The routes. A small table stays a plain Rtable: the fast path's arrays (two 256 KiB roots
   * and their levels) cost more to build than a few dozen routes' lookups ever save, and were
   * a fifth of a short CLI command. Answers are the same either way.
   */
  routes: Rtable<Rtentry>;
  /** Preferred source address per family (RTM_SOURCE / route sourceaddr). */
  readonly source: Partial<Record<Family, Uint8Array>> = {};

  constructor(
    readonly id: number,
    public rdomain: number,
    private readonly fastPathAt = FAST_PATH_AT,
    /** The dialect's table walk order (4.9's radix tree or current's ART). */
    private readonly walkOrder: WalkOrder = 'art',
  ) {
    this.routes = fastPathAt <= 0 ? new FastRtable<Rtentry>({ walkOrder }) : new Rtable<Rtentry>({ walkOrder });
  }

  /** Call after inserting: a table that has reached {@link fastPathAt} routes gets the fast path. */
  grown(): void {
    const current = this.routes;
    if (current instanceof FastRtable || current.count < this.fastPathAt) return;
    const fast = new FastRtable<Rtentry>({ walkOrder: this.walkOrder });
    for (const e of current.entries(undefined, 'art')) fast.insert(e.af, e.dst, e.plen, e.route, KEEP_ORDER);
    this.routes = fast;
  }
}
