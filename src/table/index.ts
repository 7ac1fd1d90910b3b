/**
 * Longest-prefix-match tables, OpenBSD style: {@link ArtTable} (sys/net/art.c) and the
 * route-list layer in front of it, {@link Rtable} (sys/net/rtable.c). Knows nothing of routing
 * messages, the codec or the kernel.
 * @module
 */
export { ArtTable, INET_STRIDES, INET6_STRIDES, type ArtEntry, type ArtMatch } from './art.js';
export { TableError, type TableErrorReason } from './errors.js';
export { PRIORITY_MASK, type RtableRoute } from './route-list.js';
export {
  ADDRESS_FAMILIES,
  PRIORITY_ANY,
  Rtable,
  type AddressFamily,
  type RtableInsertOptions,
  type RtableMatch,
  type RtableOptions,
  type RtableWalkEntry,
} from './rtable.js';
export { type WalkOrder } from './walk-order.js';
export * from './fastpath/index.js';
