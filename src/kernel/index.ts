/**
 * The routing core: createKernel() boots a model OpenBSD kernel whose routing sockets take
 * encoded routing messages and produce encoded replies and broadcasts.
 * @module
 */
export { createKernel, Kernel, type KernelOptions, type ArpPacketInput, type NdPacketInput } from './kernel.js';
export { ARPT_KEEP, ARPT_PRUNE, ARPT_DOWN, ARP_MAXTRIES, type ArpInputResult, type ArpResolution } from './neighbours.js';
export {
  ND6_DELAY, ND6_GCTIMER, ND6_GC_THRESHOLD, ND6_MMAXTRIES, ND6_REACHABLE, ND6_RETRANS, ND6_UMAXTRIES, type NdInfo,
  type NdInputResult, type NdResolution, type NdState,
} from './nd6.js';
export { RoutingSocket, type SocketOptions, type SocketStats } from './socket.js';
export { RtsockErrno, ERRNO, strerror, type ErrnoCode } from './errno.js';
export { Ifconfig, type InterfaceInfo } from './ifconfig.js';
export type { AddressOptions } from './address-request.js';
export type { TunnelAddresses, TunnelEndpoint, TunnelParameters } from './tunnel.js';
export type { RouteInfo } from './route-info.js';
export {
  AF_ROUTE, SOL_SOCKET, SO_USELOOPBACK, SO_RCVBUF, SO_RTABLE, ROUTE_MSGFILTER, ROUTE_TABLEFILTER, ROUTE_PRIOFILTER,
  ROUTE_FLAGFILTER, ROUTE_FILTER, RTABLE_ANY, SHUT_RD, SHUT_WR, SHUT_RDWR, LINK_STATE_UP, LINK_STATE_DOWN,
  LINK_STATE_UNKNOWN, IFF_UP, IFF_DEBUG, IFF_NOARP, IFF_STATICARP, IFF_LINK0, IFF_LINK1, IFF_LINK2,
} from './constants.js';
