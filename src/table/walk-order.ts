/**
 * The orders in which a table's walk can produce its prefixes. What a walk yields is what
 * `route show`, `route flush` and sysctl dumps list, so each dialect's kernel walks in its own
 * table structure's order.
 */
import type { ArtEntry } from './art.js';

/**
 * - `art`: art.c's walk (the tables of OpenBSD since 5.8; semantics.md §A.12): not address order
 *   when prefixes are not on stride boundaries.
 * - `radix`: the 4.4BSD radix tree's walk (rn_walktree; OpenBSD's tables until ART, 4.9's).
 *   Its leaves are the masked destinations in ascending key order, and the routes sharing a key
 *   hang off one leaf in an rn_dupedkey chain sorted most specific first (rn_addroute /
 *   rn_add_dupedkey): 10.0.0.0/16, then 10.0.0.0/8, then 10.0.1.0/24.
 */
export type WalkOrder = 'art' | 'radix';

/** Sorts `nodes` (masked prefixes of one family) into radix walk order, in place. */
export function sortRadix<V>(nodes: ArtEntry<V>[]): ArtEntry<V>[] {
  return nodes.sort(compareRadix);
}

function compareRadix<V>(a: ArtEntry<V>, b: ArtEntry<V>): number {
  const x = a.addr;
  const y = b.addr;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    if (d !== 0) return d;
  }
  return b.plen - a.plen;
}
