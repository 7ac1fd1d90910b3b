/**
 * route_output: a written message goes through the checks of request.ts, then the operation
 * of route.ts, then one broadcast — the reply (dialect-shaped) or the request echoed with
 * rtm_errno. Validation failures that the dialect does not echo reach only the writer.
 */
import {
  RTAX_DST, RTAX_GATEWAY, RTAX_IFA, RTAX_IFP, RTAX_LABEL, RTAX_NETMASK, AF_LINK, RTF_CLONING, RTF_DONE, RTF_LLINFO,
  RTM_ADD, RTM_CHANGE, RTM_DELETE, RTM_GET, RTM_LOCK, RTM_PROPOSAL, RTM_SOURCE, RTP_ANY, RTP_DEFAULT, RTP_MASK,
  RTF_STATIC, RT_TABLEID_MAX,
} from './constants.js';
import type { DialectPolicy } from './dialect-policy.js';
import { ERRNO, RtsockErrno } from './errno.js';
import type { Kernel } from './kernel.js';
import {
  EchoedError, checkAddresses, kernelCopy, normalise, parseHeader, parseSockaddrs, silent, sockaddr, sockaddrAt, sockaddrFamily,
  sockaddrLength, type ParsedRequest,
} from './request.js';
import type { RouteRequest } from './route.js';
import type { Rtentry } from './rtentry.js';
import type { RoutingSocket } from './socket.js';
import {
  SCRATCH_DST, addressOf, familyOf, inetSockaddr, labelOf, maskToPlenAt, scratchAddressAt, scratchSockaddr,
} from './sockaddr-bytes.js';
import { internBytesAt } from './alloc.js';

export function routeOutput(k: Kernel, sock: RoutingSocket, input: Uint8Array): number {
  const p = k.policy;
  const r = parseHeader(p, input, sock.uid, sock.pid);
  try {
    ensureTable(k, p, r);
    normalise(p, r);
    parseSockaddrs(p, r);
    if (r.type !== RTM_SOURCE && r.type !== RTM_PROPOSAL) checkAddresses(p, r);
  } catch (e) {
    if (e instanceof EchoedError) {
      echoFailure(k, sock, r, e.errno);
    }
    throw e;
  }
  if (sockaddrFamily(p, r, RTAX_GATEWAY) === AF_LINK && (r.flags & RTF_CLONING) === 0) r.flags |= RTF_LLINFO;
  if (r.type === RTM_PROPOSAL && !validProposal(p, r)) silent('EINVAL', 'RTM_PROPOSAL fails rtm_validate_proposal');
  if (r.type === RTM_SOURCE || r.type === RTM_PROPOSAL) return sourceOrProposal(k, sock, r, input.length);
  let rt: Rtentry;
  try {
    rt = operate(k, r);
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    echoFailure(k, sock, r, e.errno);
    throw e;
  }
  reply(k, p, sock, r, rt);
  return input.length;
}

function ensureTable(k: Kernel, p: DialectPolicy, r: ParsedRequest): void {
  if (k.table(r.tableid)) return;
  const fault = (why: string): never => {
    if (p.echoValidationErrors) throw new EchoedError(ERRNO.EINVAL, why);
    return silent('EINVAL', why);
  };
  if (r.type !== RTM_ADD) fault(`no routing table ${r.tableid}`);
  if (r.tableid > RT_TABLEID_MAX) fault(`table ${r.tableid} above RT_TABLEID_MAX`);
  k.addTable(r.tableid, 0);
}

/** The rtm_output switch. */
function operate(k: Kernel, r: ParsedRequest): Rtentry {
  const p = k.policy;
  const t = k.table(r.tableid)!;
  const b = r.saBytes;
  const dstAt = sockaddrAt(p, r, RTAX_DST);
  const dstLen = sockaddrLength(p, r, dstAt);
  const af = familyOf(sockaddrFamily(p, r, RTAX_DST));
  if (!af) return silentOrEcho(r.type === RTM_ADD ? 'EAFNOSUPPORT' : 'ESRCH');
  if (dstLen < (af === 'inet' ? 16 : 28)) return silentOrEcho('EINVAL');
  let plen: number | undefined;
  if ((r.present & (1 << RTAX_NETMASK)) !== 0) {
    const maskAt = sockaddrAt(p, r, RTAX_NETMASK);
    plen = maskToPlenAt(af, b, maskAt, sockaddrLength(p, r, maskAt));
    if (plen < 0) return silentOrEcho('EINVAL');
  }
  const labelSa = sockaddr(p, r, RTAX_LABEL);
  let gateway: Uint8Array | undefined;
  if ((r.present & (1 << RTAX_GATEWAY)) !== 0) {
    const gwAt = sockaddrAt(p, r, RTAX_GATEWAY);
    gateway = internBytesAt(b, gwAt, sockaddrLength(p, r, gwAt));
  }
  // The destination as scratch (route semantics copy what they keep: a new route's key): its
  // address bytes, and a sockaddr of that family and address for interface selection.
  const dst = scratchAddressAt(af, b, dstAt, dstLen, SCRATCH_DST);
  const req: RouteRequest = {
    af, dst, plen, gateway, ifp: sockaddr(p, r, RTAX_IFP), ifa: sockaddr(p, r, RTAX_IFA),
    label: labelSa ? labelOf(labelSa) : undefined,
    flags: r.flags, fmask: r.fmask, priority: effectivePriority(r),
    inits: r.inits, mtu: r.mtu, expire: r.expire, locks: r.locks,
  };
  const core = k.core;
  switch (r.type) {
    case RTM_ADD: return core.add(t, req, scratchSockaddr(af, dst));
    case RTM_DELETE: return core.delete(t, req);
    case RTM_CHANGE: return core.change(t, req, scratchSockaddr(af, dst));
    case RTM_LOCK: return core.lock(t, req);
    default: return core.get(t, req);
  }
}

function silentOrEcho(code: 'EAFNOSUPPORT' | 'ESRCH' | 'EINVAL'): never {
  throw new RtsockErrno(ERRNO[code]);
}

function effectivePriority(r: ParsedRequest): number {
  if (r.priority !== 0) return r.priority;
  if (r.type !== RTM_ADD) return RTP_ANY;
  return r.flags & RTF_STATIC ? 0 : RTP_DEFAULT;
}

function reply(k: Kernel, p: DialectPolicy, sock: RoutingSocket, r: ParsedRequest, rt: Rtentry): void {
  const family = sockaddrFamily(p, r, RTAX_DST);
  const shape = p.replyShape(r.type);
  const meta = {
    family, type: r.type, tableid: r.tableid,
    priority: shape === 'echo' ? rt.priority : rt.priority & RTP_MASK,
    flags: (rt.flags | RTF_DONE) & p.flagBits,
  };
  const first = k.firstReceiver(meta, sock);
  if (first < 0) return;
  // The request itself names the requester (pid, seq, tableid) for the reply header.
  // report and msg2 headers carry exactly `meta`'s words where delivery reads them (tableid at
  // 8, priority at 10, flags at 16): then delivery need not read them back out of the bytes,
  // nor run the first receiver's filters again.
  const l = p.rt;
  const sameWords = l.tableid === 8 && l.priority === 10 && l.flags === 16;
  // IFP and IFA need if_get to find the route's interface (a route can outlive it: AddressRoutes.purge).
  const attached = k.interfaceByIndex(rt.ifp.index) === rt.ifp;
  switch (shape) {
    case 'report': {
      const bytes = k.messages.report(r.type, rt, r, attached);
      if (sameWords) k.broadcastMetaFrom(bytes, meta, sock, first);
      else k.broadcast(bytes, family, sock);
      return;
    }
    case 'msg2': {
      const bytes = k.messages.msg2(r.type, rt, r, attached && (r.present & ((1 << RTAX_IFP) | (1 << RTAX_IFA))) !== 0);
      if (sameWords) k.broadcastMetaFrom(bytes, meta, sock, first);
      else k.broadcast(bytes, family, sock);
      return;
    }
    default: {
      const bytes = r.type === RTM_LOCK
        ? k.messages.echo(kernelCopy(p, r), { flags: r.flags | RTF_DONE, priority: rt.priority & RTP_MASK, errno: 0 })
        : k.messages.echo(kernelCopy(p, r), { flags: rt.flags | RTF_DONE, index: rt.ifp.index, priority: rt.priority & RTP_MASK, errno: 0 });
      k.broadcast(bytes, family, sock);
    }
  }
}

function echoFailure(k: Kernel, sock: RoutingSocket, r: ParsedRequest, errno: number): void {
  const family = sockaddrFamily(k.policy, r, RTAX_DST);
  if (!k.hasSockets()) return;
  k.broadcast(k.messages.echo(kernelCopy(k.policy, r), { errno }), family, sock);
}

const AF_INET = 2, AF_INET6 = 24;
const RTAX_DNS = 12, RTAX_STATIC = 13, RTAX_SEARCH = 14;
/** RTA_NETMASK | RTA_IFA | RTA_DNS | RTA_STATIC | RTA_SEARCH: all a proposal may carry. */
const PROPOSAL_SLOTS = new Set([RTAX_NETMASK, RTAX_IFA, RTAX_DNS, RTAX_STATIC, RTAX_SEARCH]);
/** sizeof sockaddr_rtdns / _rtstatic / _rtsearch: sr_len, sr_family, 128 bytes of payload. */
const RT_OPTION_SIZE = 130;

/**
 * rtm_validate_proposal(): only the slots above; a netmask or ifa must be a full sockaddr_in or
 * sockaddr_in6; a dns list whole addresses of its family; static routes and search domains
 * non-empty and within their structure. Any failure is EINVAL, before anything is relayed.
 */
function validProposal(p: DialectPolicy, r: ParsedRequest): boolean {
  for (let i = 0; i < p.rtaxMax; i++) {
    const sa = sockaddr(p, r, i);
    if (sa === undefined) continue;
    if (!PROPOSAL_SLOTS.has(i)) return false;
    const len = sa.length > 0 ? sa[0]! : 0;
    const family = sa.length > 1 ? sa[1]! : 0;
    if (i === RTAX_NETMASK || i === RTAX_IFA) {
      if (!((family === AF_INET && len === 16) || (family === AF_INET6 && len === 28))) return false;
    } else if (i === RTAX_DNS) {
      if (len > RT_OPTION_SIZE || len < 2) return false;
      const width = family === AF_INET ? 4 : family === AF_INET6 ? 16 : 0;
      if (width === 0 || (len - 2) % width !== 0) return false;
    } else if (len > RT_OPTION_SIZE || len <= 2) return false;
  }
  return true;
}

/** RTM_SOURCE sets the table's preferred source; RTM_PROPOSAL is only relayed. */
function sourceOrProposal(k: Kernel, sock: RoutingSocket, r: ParsedRequest, len: number): number {
  let family = 0;
  if (r.type === RTM_SOURCE) {
    const ifa = sockaddr(k.policy, r, RTAX_IFA) ?? silent('EINVAL', 'RTM_SOURCE needs RTA_IFA');
    const af = familyOf(ifa[1]!) ?? silent('EAFNOSUPPORT');
    const t = k.table(r.tableid)!;
    const addr = addressOf(af, ifa);
    if (addr.every((b) => b === 0)) delete t.source[af];
    else {
      // rt_setsource: an address no interface of the rdomain holds is EINVAL.
      if (!k.core.ifaWithAddr(t.rdomain, inetSockaddr(af, addr))) silent('EINVAL', 'source address not configured in the rdomain');
      t.source[af] = addr;
    }
  } else {
    family = sockaddrFamily(k.policy, r, RTAX_DNS);
  }
  k.broadcast(k.messages.echo(kernelCopy(k.policy, r), { flags: r.flags | RTF_DONE, errno: 0 }), family, sock);
  return len;
}
