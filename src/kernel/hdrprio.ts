/**
 * Header priorities (SIOCSTXHPRIO / SIOCSRXHPRIO and SIOCGTXHPRIO / SIOCGRXHPRIO, current only):
 * the priority a vlan or tunnel driver writes into the header it adds to a packet it sends (tx)
 * and what it takes as the priority of a packet it receives (rx). A value is a priority
 * IF_HDRPRIO_MIN..IF_HDRPRIO_MAX (IFQ_MINPRIO..IFQ_MAXPRIO) or one of the sources below (if.h
 * 1.221). Which a driver takes is if.c 1.741's check for its layer: the packet's own priority
 * always, the payload's only where the header is IP (the l3 checks: gif), the outer header's
 * only on receive (if_rxhprio_l2_check, if_rxhprio_l3_check); anything else is EINVAL.
 */
import { IFQ_MAXPRIO, IFQ_MINPRIO } from './constants.js';
import { fail } from './errno.js';
import type { Interface } from './interface.js';

export const IF_HDRPRIO_MIN = IFQ_MINPRIO;
export const IF_HDRPRIO_MAX = IFQ_MAXPRIO;
/** The mbuf's priority (m_pkthdr.pf.prio). */
export const IF_HDRPRIO_PACKET = -1;
/** The payload's: an inner IP header's TOS. */
export const IF_HDRPRIO_PAYLOAD = -2;
/** The outer header's (receive only). */
export const IF_HDRPRIO_OUTER = -3;

export type HdrPrioDirection = 'tx' | 'rx';

/** A driver's header priorities: the check its ioctls run (if.c's _l2_ or _l3_ functions) and what the clone starts with. */
export interface HdrPrioDriver {
  readonly layer: 'l2' | 'l3';
  readonly tx: number;
  readonly rx: number;
}

/** if_txhprio_l2_check, if_txhprio_l3_check, if_rxhprio_l2_check, if_rxhprio_l3_check (if.c 1.741). */
export function hdrPrioAccepted(dir: HdrPrioDirection, layer: HdrPrioDriver['layer'], prio: unknown): prio is number {
  if (!Number.isInteger(prio)) return false;
  const p = prio as number;
  if (p >= IF_HDRPRIO_MIN && p <= IF_HDRPRIO_MAX) return true;
  return p === IF_HDRPRIO_PACKET || (p === IF_HDRPRIO_PAYLOAD && layer === 'l3') || (p === IF_HDRPRIO_OUTER && dir === 'rx');
}

/** The driver's SIOCGTXHPRIO / SIOCGRXHPRIO: its softc's fields, ENOTTY where it has no such case. */
export function hdrPrioOf(ifp: Interface): { tx: number; rx: number } {
  return ifp.hdrPrio ?? fail('ENOTTY', `${ifp.name}: no header priorities in its driver`);
}

/**
 * The driver's SIOCSTXHPRIO / SIOCSRXHPRIO: ENOTTY where it has no such case (ether_ioctl,
 * loioctl and tun_ioctl end in it), EINVAL for a value its check refuses.
 */
export function setHdrPrio(ifp: Interface, dir: HdrPrioDirection, prio: number): void {
  const state = hdrPrioOf(ifp);
  if (!hdrPrioAccepted(dir, ifp.kind.hdrPrio?.layer ?? 'l2', prio)) fail('EINVAL', `${dir} header priority ${prio}`);
  state[dir] = prio;
}
