/**
 * route_input / rtm_sendup: who gets a message. The filters read the header words at the
 * rt_msghdr offsets for every message kind, as the kernel does (offset 16 is ifm_flags in an
 * RTM_IFINFO and lies inside ifan_name for RTM_IFANNOUNCE).
 */
import {
  AF_UNSPEC, RTABLE_ANY, RTM_80211INFO, RTM_BFD, RTM_DELADDR, RTM_DESYNC, RTM_IFANNOUNCE, RTM_IFINFO, RTM_NEWADDR,
  RTM_RESOLVE,
} from './constants.js';
import { rd16, rdI32 } from './wire.js';

/** The header words the filters look at. */
export interface MessageMeta {
  family: number;
  type: number;
  flags: number;
  tableid: number;
  priority: number;
}

/** The per-socket state delivery needs (RoutingSocket implements it). */
export interface Listener {
  readonly family: number;
  readonly useLoopback: boolean;
  readonly receiveShut: boolean;
  readonly msgFilter: number;
  readonly flagFilter: number;
  readonly prioFilter: number;
  readonly tableFilter: number;
  readonly flushing: boolean;
  /** Appends (or drops and desyncs); the socket owns its buffer. */
  enqueue(bytes: Uint8Array): void;
}

/** Types whose table filter compares routing domains, not tables, as bits (all types are below 32). */
const RDOMAIN_CLASS = (1 << RTM_RESOLVE) | (1 << RTM_NEWADDR) | (1 << RTM_DELADDR) | (1 << RTM_IFINFO) | (1 << RTM_80211INFO) | (1 << RTM_BFD);

/** Whether `s` would take a message with these header words (everything but buffer space). */
export function accepts(s: Listener, m: MessageMeta, sender: Listener | undefined, rdomainOf: (table: number) => number | undefined): boolean {
  if (m.family !== AF_UNSPEC && s.family !== AF_UNSPEC && s.family !== m.family) return false;
  if (s === sender && !s.useLoopback) return false;
  if (s.receiveShut) return false;
  if (m.type !== RTM_DESYNC) {
    if (s.msgFilter !== 0 && (s.msgFilter & (1 << m.type)) === 0) return false;
    if ((m.flags & s.flagFilter) !== 0) return false;
  }
  if (m.type !== RTM_IFANNOUNCE && m.type !== RTM_DESYNC) {
    if (m.type < 32 && (RDOMAIN_CLASS & (1 << m.type)) !== 0) {
      if (s.tableFilter !== RTABLE_ANY && rdomainOf(s.tableFilter) !== m.tableid) return false;
    } else {
      if (s.prioFilter !== 0 && s.prioFilter < m.priority) return false;
      if (s.tableFilter !== RTABLE_ANY && s.tableFilter !== m.tableid) return false;
    }
  }
  return !s.flushing;
}

/** Reads the filter words out of an encoded message (byte reads: no DataView per message). */
export function metaOf(bytes: Uint8Array, family: number, le: boolean): MessageMeta {
  return {
    family,
    type: bytes[3]!,
    tableid: bytes.length >= 10 ? rd16(bytes, 8, le) : 0,
    priority: bytes.length >= 11 ? bytes[10]! : 0,
    flags: bytes.length >= 20 ? rdI32(bytes, 16, le) : 0,
  };
}
