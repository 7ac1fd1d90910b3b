/** `route add|change|delete|del|get`: route.c's newroute(), its result line and exit status. */
import { renderMessage } from '../../codec/monitor.js';
import { decodeMessage } from '../../codec/message.js';
import { strerror } from '../../kernel/errno.js';
import { SHUT_RD } from '../../kernel/constants.js';
import {
  AF_INET, AF_INET6, AF_LINK, AF_MPLS, AF_UNSPEC, PF_ROUTE, RTA_DST, RTA_GATEWAY, RTA_IFA, RTA_IFP, RTA_NETMASK,
  getaddr, image, newRequest, prefixlen, type Request,
} from './addr.js';
import { errx, strtonum, usage, type RouteCtx } from './context.js';
import { keyword } from './keywords.js';
import { addrNames, labelText, routeFlagNames, routename } from './names.js';
import { RTM_ADD, RTM_CHANGE, RTM_DELETE, RTM_GET, rtmsg, type Metrics } from './rtsend.js';
import { RTAX_DST, RTAX_GATEWAY, RTAX_IFA, RTAX_IFP, RTAX_LABEL, RTAX_NETMASK, readHeader, rtaddrs } from './rtmsg.js';

const RTF_UP = 0x1, RTF_GATEWAY = 0x2, RTF_HOST = 0x4, RTF_REJECT = 0x8, RTF_CLONING = 0x100, RTF_LLINFO = 0x400;
const RTF_STATIC = 0x800, RTF_BLACKHOLE = 0x1000, RTF_PROTO2 = 0x4000, RTF_PROTO1 = 0x8000, RTF_MPATH = 0x40000;
const RTF_MPLS = 0x100000, RTF_BFD = 0x1000000;
const RTV_MTU = 0x1, RTV_EXPIRE = 0x4;

const PRIORITY_NAMES: Record<string, number> = { local: 1, connected: 4, static: 8, ospf: 32, rip: 40, bgp: 48 };

/** getpriority(): a name or -63..63 (negative values wrap to a byte as in C). */
export function getpriority(c: RouteCtx, s: string): number {
  const named = PRIORITY_NAMES[s];
  if (named !== undefined) return named;
  const v = strtonum(s, -63, 63);
  if (typeof v === 'string') errx(c, `priority is ${v}: ${s}`);
  return v & 0xff;
}

function priorityName(p: number): string {
  return ({ 0: 'none', 1: 'local', 4: 'connected', 8: 'static', 32: 'ospf', 36: 'is-is', 40: 'rip', 48: 'bgp', 56: 'default' } as Record<number, string>)[p] ?? '';
}

export function getlabel(c: RouteCtx, r: Request, name: string): void {
  if (Buffer.byteLength(name, 'latin1') >= 32) errx(c, 'label too long');
  const sa = new Uint8Array(34);
  sa[0] = 34;
  sa[1] = 0;
  for (let i = 0; i < name.length; i++) sa[2 + i] = name.charCodeAt(i) & 0xff;
  r.sa.set(0x400, sa);
  r.addrs |= 0x400;
}

export function newroute(c: RouteCtx, argv: string[]): number {
  const k = c.session.kernel;
  const ifindex = (n: string) => k.ifconfig.indexOf(n);
  const cmd = argv[0]!;
  if (c.session.uid !== 0 && cmd[0] !== 'g') errx(c, 'must be root to alter routing table');
  if (cmd[0] !== 'g') c.sock?.shutdown(SHUT_RD);
  const r = newRequest();
  let dest = '', gateway = '';
  let ishost = false;
  let flags = RTF_STATIC, fmask = 0, af = AF_UNSPEC, prio = 0, iflag = 0, sawdest = false;
  let locking = false, lockrest = false;
  const m: Metrics = { mtu: 0, expire: 0, locks: 0, inits: 0 };
  const setMetric = (value: string, key: string) => {
    let flag = 0;
    if (key === 'mtu') {
      const v = strtonum(value, 0, 0xffffffff);
      if (typeof v === 'string') errx(c, `set_metric mtu: ${value} is ${v}`);
      m.mtu = v;
      flag = RTV_MTU;
    } else if (key === 'expire') {
      const v = strtonum(value, 0, 0x7fffffff);
      if (typeof v === 'string') errx(c, `set_metric expire: ${value} is ${v}`);
      m.expire = v ? v + Math.floor(Date.now() / 1000) : 0;
      flag = RTV_EXPIRE;
    } else return; // hopcount & co: accepted, no longer used
    m.inits |= flag;
    if (lockrest || locking) m.locks |= flag;
    locking = false;
  };
  let i = 1;
  const next = (word: string): string => {
    if (i + 1 >= argv.length) usage(c, word.slice(1));
    return argv[++i]!;
  };
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (word.startsWith('-')) {
      const key = keyword(word.slice(1));
      switch (key) {
        case 'link': af = AF_LINK; r.aflen = 32; break;
        case 'inet': af = AF_INET; r.aflen = 16; break;
        case 'inet6': af = AF_INET6; r.aflen = 28; break;
        case 'sa': af = PF_ROUTE; r.aflen = 127; break;
        case 'mpls': af = AF_MPLS; r.aflen = 16; fmask |= RTF_MPLS; break;
        case 'mplslabel': case 'in': case 'out': case 'pop': case 'push': case 'swap':
          if (af !== AF_MPLS && key !== 'mplslabel') errx(c, `-${key} requires -mpls`);
          if (key === 'mplslabel' && af !== AF_INET && af !== AF_INET6) errx(c, '-mplslabel requires -inet or -inet6');
          errx(c, `-${key}: MPLS routes are not modelled by rtsock`);
          break;
        case 'iface': case 'interface': iflag++; break;
        case 'nostatic': flags &= ~RTF_STATIC; break;
        case 'llinfo': flags |= RTF_LLINFO; break;
        case 'lock': locking = true; break;
        case 'lockrest': lockrest = true; break;
        case 'host': r.forcehost++; break;
        case 'reject': flags |= RTF_REJECT; break;
        case 'blackhole': flags |= RTF_BLACKHOLE; break;
        case 'proto1': flags |= RTF_PROTO1; break;
        case 'proto2': flags |= RTF_PROTO2; break;
        case 'cloning': flags |= RTF_CLONING; break;
        case 'static': flags |= RTF_STATIC; break;
        case 'ifa': getaddr(c, r, RTA_IFA, af, next(word), ifindex); break;
        case 'ifp': getaddr(c, r, RTA_IFP, AF_LINK, next(word), ifindex); break;
        case 'gateway': gateway = next(word); getaddr(c, r, RTA_GATEWAY, af, gateway, ifindex); break;
        case 'dst': dest = next(word); ishost = getaddr(c, r, RTA_DST, af, dest, ifindex); sawdest = true; break;
        case 'label': getlabel(c, r, next(word)); break;
        case 'netmask':
          if (!sawdest) errx(c, '-netmask must follow destination parameter');
          getaddr(c, r, RTA_NETMASK, af, next(word), ifindex);
          r.forcenet++;
          break;
        case 'net': r.forcenet++; break;
        case 'prefixlen':
          if (!sawdest) errx(c, '-prefixlen must follow destination parameter');
          ishost = prefixlen(c, r, af, next(word));
          break;
        case 'mpath': flags |= RTF_MPATH; break;
        case 'mtu': case 'hopcount': case 'expire': case 'recvpipe': case 'sendpipe': case 'ssthresh': case 'rtt': case 'rttvar':
          setMetric(next(word), key);
          break;
        case 'priority': prio = getpriority(c, next(word)); break;
        case 'bfd': flags |= RTF_BFD; fmask |= RTF_BFD; break;
        case 'nobfd': flags &= ~RTF_BFD; fmask |= RTF_BFD; break;
        default: usage(c, word.slice(1));
      }
    } else if ((r.addrs & RTA_DST) === 0) {
      dest = word;
      sawdest = true;
      ishost = getaddr(c, r, RTA_DST, af, word, ifindex);
    } else if ((r.addrs & RTA_GATEWAY) === 0) {
      gateway = word;
      getaddr(c, r, RTA_GATEWAY, af, word, ifindex);
    } else usage(c);
  }
  if (r.forcehost) ishost = true;
  if (r.forcenet) ishost = false;
  if (r.forcenet && (r.addrs & RTA_NETMASK) === 0) errx(c, 'netmask missing');
  flags |= RTF_UP;
  if (ishost) flags |= RTF_HOST;
  if (iflag === 0) flags |= RTF_GATEWAY;
  const type = cmd[0] === 'a' ? RTM_ADD : cmd[0] === 'c' ? RTM_CHANGE : cmd[0] === 'g' ? RTM_GET : RTM_DELETE;
  const res = rtmsg(c, r, type, flags, fmask, prio, m);
  if (type === RTM_GET && res.ret === 0 && res.reply) printGetmsg(c, r, res.reply);
  if (!c.qflag && (type !== RTM_GET || res.ret !== 0)) {
    let line = `${cmd} ${ishost ? 'host' : 'net'} ${dest}`;
    if (gateway) line += `: gateway ${gateway}`;
    if (res.ret === 0) line += '\n';
    else {
      const e = res.errno;
      line += `: ${e === 3 ? 'not in table' : e === 16 ? 'entry in use' : e === 55 ? 'routing table overflow' : strerror(e)}\n`;
    }
    c.out.push(line);
  }
  return res.ret !== 0 ? 1 : 0;
}

/** print_getmsg(). */
function printGetmsg(c: RouteCtx, r: Request, reply: Uint8Array): void {
  const out: string[] = [];
  out.push(`   route to: ${routename(c.names, image(r, RTA_DST)!)}\n`);
  const h = readHeader(c.dialect, reply);
  if (h.errno) {
    c.out.push(...out);
    c.err.push(`route: RTM_GET: ${strerror(h.errno)} (errno ${h.errno})\n`);
    return;
  }
  const sas = rtaddrs(c.dialect, reply, 0, h);
  const dst = sas[RTAX_DST], gate = sas[RTAX_GATEWAY], mask = sas[RTAX_NETMASK], ifa = sas[RTAX_IFA];
  const ifpSa = sas[RTAX_IFP];
  const ifp = ifpSa && ifpSa[1] === AF_LINK && ifpSa[5] ? ifpSa : undefined;
  const label = sas[RTAX_LABEL];
  if (dst) out.push(`destination: ${routename(c.names, dst)}\n`);
  if (mask) out.push(`       mask: ${routename(c.names, mask, dst ? dst[1] : mask[1])}\n`);
  if (gate && h.flags & RTF_GATEWAY) out.push(`    gateway: ${routename(c.names, gate)}\n`);
  if (ifp) out.push(`  interface: ${String.fromCharCode(...ifp.subarray(8, 8 + ifp[5]!))}\n`);
  if (ifa) out.push(` if address: ${routename(c.names, ifa)}\n`);
  out.push(`   priority: ${h.priority} (${priorityName(h.priority)})\n`);
  out.push(`      flags: ${routeFlagNames(h.flags, c.names.old)}\n`);
  if (label) out.push(`      label: ${labelText(label)}\n`);
  const lock = (bit: number) => (h.locks & bit ? 'L' : ' ');
  const rel = h.expire ? h.expire - BigInt(Math.floor(Date.now() / 1000)) : 0n;
  out.push('     use       mtu    expire\n');
  out.push(`${String(h.pksent).padStart(8)}  ${String(h.mtu).padStart(8)}${lock(RTV_MTU)} ${String(rel).padStart(8)}${lock(RTV_EXPIRE)}\n`);
  const IGN = RTA_DST | RTA_GATEWAY | RTA_NETMASK | RTA_IFP | RTA_IFA | 0x80;
  if (c.verbose) {
    const text = renderMessage(decodeMessage(reply, { dialect: c.dialect.name }), { ifname: c.names.ifname });
    const at = text.indexOf('\nlocks: ');
    out.push(at >= 0 ? text.slice(at) : '\n');
  } else if (h.addrs & ~IGN) {
    out.push(`sockaddrs: ${addrNames(h.addrs)}\n`);
  }
  c.out.push(...out);
}
