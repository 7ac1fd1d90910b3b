/** What route semantics need from the rest of the kernel (kept narrow so route.ts stays testable). */
import type { InterfaceGroups } from './groups.js';
import type { Interface } from './interface.js';
import type { LabelTable } from './labels.js';
import type { NeighbourCache } from './neighbours.js';
import type { RoutingTable } from './routing-table.js';
import type { Rtentry } from './rtentry.js';

/** Kernel-originated route announcements (rtm_send / rtdeletemsg). */
export interface RouteEvents {
  /** A route the kernel itself added (RTM_ADD) or removed (RTM_DELETE, flags after removal). */
  routeSent(type: number, rt: Rtentry): void;
  /** rtdeletemsg: announced with the flags captured before removal. */
  routeDeleted(rt: Rtentry, flagsBefore: number): void;
  /**
   * 4.9's rtdeletemsg(rt, tableid) as rt_if_remove calls it: RTM_DELETE with rt's destination,
   * netmask, gateway and flags, in table `tableid`, carrying the deletion's error (0 or ESRCH).
   */
  routeDeleteTried(rt: Rtentry, flagsBefore: number, tableid: number, errno: number): void;
  /** An rtalloc that found nothing (4.9 announced these as RTM_MISS). */
  lookupMissed(tableid: number, dst: Uint8Array): void;
  /** A lookup cloned `rt` from a cloning route (rtm_send RTM_ADD; 4.9 rt_missmsg with IFP/IFA). */
  routeCloned(rt: Rtentry): void;
  /** rt_clone failed: RTM_MISS with DST and the error (both dialects). */
  cloneFailed(tableid: number, dst: Uint8Array, errno: number): void;
}

export interface KernelContext {
  table(id: number): RoutingTable | undefined;
  /** Table ids in ascending order. */
  tableIds(): number[];
  interfaceByIndex(index: number): Interface | undefined;
  interfacesIn(rdomain: number): Iterable<Interface>;
  /** Every interface, by index (callers filter by rdomain themselves: no generator per scan). */
  readonly interfaces: ReadonlyMap<number, Interface>;
  readonly labels: LabelTable;
  /** Interface groups and their members (groups.ts). */
  readonly groups: InterfaceGroups;
  /** ARP / ND state of L2 entries (the Ethernet-like interfaces' route hook). */
  readonly neighbours: NeighbourCache;
  readonly events: RouteEvents;
  /** Whether sdl_index and other host-order fields are little-endian. */
  readonly littleEndian: boolean;
  /** The empty sockaddr_dl (index and type only) a new clone on `ifp` gets as gateway. */
  emptyLinkOf(ifp: Interface): Uint8Array;
}
