/**
 * rtmsg(): encode the request with the codec, print it with -v, write it to the routing
 * socket and, for RTM_GET, read until the reply with our pid and seq arrives.
 */
import { decodeMessage, encodeMessage, type SockaddrsInput } from '../../codec/message.js';
import { renderMessage } from '../../codec/monitor.js';
import { RtsockErrno } from '../../kernel/errno.js';
import {
  AF_LINK, RTA_DST, RTA_GATEWAY, RTA_IFA, RTA_IFP, RTA_LABEL, RTA_NETMASK, RTA_SRC, image, sdlSize, type Request,
} from './addr.js';
import { warnx, type RouteCtx } from './context.js';
import { inet6Text, linkNtoa } from './names.js';
import { readHeader } from './rtmsg.js';

export const RTM_ADD = 1, RTM_DELETE = 2, RTM_CHANGE = 3, RTM_GET = 4, RTM_SOURCE = 0x16;

const SLOTS: [number, string, string][] = [
  [RTA_DST, 'dst', 'so_dst'], [RTA_GATEWAY, 'gateway', 'so_gate'], [RTA_NETMASK, 'netmask', 'so_mask'],
  [RTA_IFP, 'ifp', 'so_ifp'], [RTA_IFA, 'ifa', 'so_ifa'], [RTA_SRC, 'src', 'so_src'], [RTA_LABEL, 'label', 'so_label'],
];

export interface RtmsgResult {
  ret: 0 | -1;
  errno: number;
  /** The RTM_GET reply (bytes), when one was read. */
  reply?: Uint8Array;
}

export interface Metrics {
  mtu: number;
  expire: number;
  locks: number;
  inits: number;
}

let seq = 0;

/** sodump(): `so_dst: inet 10.0.0.0; ` for -v. */
function sodump(sa: Uint8Array, which: string): string {
  switch (sa[1]) {
    case AF_LINK: return `${which}: link ${linkNtoa(sa)}; `;
    case 2: return `${which}: inet ${sa[4] ?? 0}.${sa[5] ?? 0}.${sa[6] ?? 0}.${sa[7] ?? 0}; `;
    case 24: {
      const a = new Uint8Array(16);
      for (let i = 0; i < 16; i++) a[i] = sa[8 + i] ?? 0;
      return `${which}: inet6 ${inet6Text(a)}; `;
    }
    default: return '';
  }
}

export function rtmsg(c: RouteCtx, r: Request, type: number, flags: number, fmask: number, prio: number, m: Metrics): RtmsgResult {
  if (type === RTM_GET && !r.sa.has(RTA_IFP)) {
    const sdl = new Uint8Array(sdlSize(c.dialect));
    sdl[0] = sdl.length;
    sdl[1] = AF_LINK;
    r.sa.set(RTA_IFP, sdl);
    r.addrs |= RTA_IFP;
  }
  const mySeq = ++seq;
  const sockaddrs: SockaddrsInput = {};
  let dump = '';
  for (const [bit, slot, name] of SLOTS) {
    if ((r.addrs & bit) === 0) continue;
    const sa = image(r, bit)!;
    sockaddrs[slot] = { kind: 'unknown', len: sa[0]!, family: sa[1]!, data: Buffer.from(sa.subarray(2)).toString('hex') };
    if (c.verbose) dump += sodump(sa, name);
  }
  const bytes = encodeMessage({
    type, flags, fmask, seq: mySeq, tableid: c.tableid, priority: prio, mpls: 0, inits: m.inits,
    rmx: { mtu: m.mtu, expire: m.expire, locks: m.locks }, sockaddrs,
  }, { dialect: c.dialect.name });
  if (c.verbose) {
    c.out.push(dump);
    c.out.push(renderMessage(decodeMessage(bytes, { dialect: c.dialect.name }), { ifname: c.names.ifname }));
  }
  if (c.debugonly) return { ret: 0, errno: 0 };
  if (!c.sock) {
    // -t: the "socket" is /dev/null opened write-only; reading it back fails.
    if (type === RTM_GET) warnx(c, 'read from routing socket: Bad file descriptor');
    return { ret: 0, errno: 0 };
  }
  try {
    c.sock.write(bytes);
  } catch (e) {
    if (e instanceof RtsockErrno) return { ret: -1, errno: e.errno };
    throw e;
  }
  if (type === RTM_GET) {
    for (let reply = c.sock.read(); reply; reply = c.sock.read()) {
      const h = readHeader(c.dialect, reply);
      if (h.version === c.dialect.rtmVersion && h.seq === mySeq && h.pid === c.session.pid) return { ret: 0, errno: 0, reply };
    }
  }
  return { ret: 0, errno: 0 };
}
