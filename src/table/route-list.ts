/** Ordering of the routes that share one prefix (one ART node), as rtable.c keeps them. */

/** What the table needs to know about a route: its full 8-bit priority (0x80 is the DOWN bit). */
export interface RtableRoute {
  priority: number;
}

/** Bits of a priority that identify its class; 0x80 only marks the route down. */
export const PRIORITY_MASK = 0x7f;

/**
 * Inserts `route` after every route whose full priority is ≤ its own, so the list stays sorted
 * ascending and routes of equal priority keep arrival (FIFO) order.
 */
export function insertByPriority<R extends RtableRoute>(list: R[], route: R): void {
  let at = list.length;
  while (at > 0 && list[at - 1]!.priority > route.priority) at--;
  list.splice(at, 0, route);
}

/** Removes `route` (by identity). Returns whether it was in the list. */
export function removeRoute<R>(list: R[], route: R): boolean {
  const at = list.indexOf(route);
  if (at < 0) return false;
  list.splice(at, 1);
  return true;
}
