/**
 * `route sourceaddr` (route.c setsource, pushsrc, show.c printsource) and `route nameserver`
 * (route.c nameserver): current route(8)'s two commands that write RTM_SOURCE and RTM_PROPOSAL.
 */
import { encodeMessage } from '../../codec/message.js';
import { RtsockErrno, strerror } from '../../kernel/errno.js';
import { AF_INET, AF_INET6, AF_UNSPEC, RTA_IFA, getaddr, inetPton, newRequest } from './addr.js';
import { errx, usage, warnx, type RouteCtx } from './context.js';
import { keyword } from './keywords.js';
import { inet6Text, routename } from './names.js';
import { RTM_SOURCE, rtmsg } from './rtsend.js';
import { column } from './show.js';

const RTM_PROPOSAL = 0x13;
const RTP_PROPOSAL_STATIC = 57;
const RTF_UP = 0x1;
/** sizeof(struct sockaddr_rtdns): sr_len, sr_family, 128 bytes of addresses. */
const RTDNS_SIZE = 130;
/** How many name servers one `route nameserver` sends (route.c's ns4[5] / ns6[5]). */
const MAX_NAMESERVERS = 5;

/** `sourceaddr [-inet|-inet6] [-ifp IF] [addr]`; with no argument, print the table's sources. */
export function sourceaddr(c: RouteCtx, argv: string[]): number {
  if (argv.length === 1) return printsource(c);
  let af = AF_UNSPEC;
  let ifindex = 0;
  let i = 1;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    switch (keyword(argv[i]!.slice(1))) {
      case 'inet': af = AF_INET; break;
      case 'inet6': af = AF_INET6; break;
      case 'ifp': {
        if (i + 1 >= argv.length) usage(c, argv[i]!.slice(1));
        const name = argv[++i]!;
        ifindex = c.session.kernel.ifconfig.indexOf(name);
        if (ifindex === 0) errx(c, `no such interface ${name}`);
        break;
      }
      default: usage(c);
    }
  }
  const left = argv.length - i;
  if (!(left === 1 && ifindex === 0) && !(left === 0 && ifindex !== 0)) usage(c);
  if (c.session.uid !== 0) errx(c, 'must be root to alter source address');
  if (ifindex === 0) return pushsrc(c, argv[i]!, af) ? 1 : 0;
  // -ifp: each usable address of the interface in configuration order, until one fails.
  const ifp = c.session.kernel.interfaceByIndex(ifindex)!;
  for (const ifa of ifp.addrs) {
    if (af === AF_INET && ifa.af !== 'inet') continue;
    if (af === AF_INET6 && ifa.af !== 'inet6') continue;
    const a = ifa.addr;
    if (ifa.af === 'inet6' && ((a[0] === 0xfe && (a[1]! & 0xc0) === 0x80) || a[0] === 0xff)) continue;
    const text = ifa.af === 'inet' ? Array.from(a).join('.') : inet6Text(a);
    if (pushsrc(c, text, ifa.af === 'inet' ? AF_INET : AF_INET6)) return 1;
  }
  return 0;
}

/** One RTM_SOURCE carrying only RTA_IFA; true when the write failed. */
function pushsrc(c: RouteCtx, src: string, af: number): boolean {
  const r = newRequest();
  getaddr(c, r, RTA_IFA, af, src, (n) => c.session.kernel.ifconfig.indexOf(n));
  const { ret, errno } = rtmsg(c, r, RTM_SOURCE, 0, 0, 0, { mtu: 0, expire: 0, locks: 0, inits: 0 });
  if (!c.qflag && ret !== 0) c.out.push(`sourceaddr ${src}: ${strerror(errno)}\n`);
  return ret !== 0;
}

/** printsource(): sysctl NET_RT_SOURCE of the table, `default` for a family with none. */
function printsource(c: RouteCtx): number {
  const t = c.session.kernel.table(c.tableid);
  if (!t) errx(c, 'sysctl: No such file or directory');
  const line = (af: number, addr: Uint8Array | undefined): string => {
    if (!addr) return 'default';
    const sa = new Uint8Array(af === AF_INET ? 16 : 28);
    sa[0] = sa.length;
    sa[1] = af;
    sa.set(addr, af === AF_INET ? 4 : 8);
    return column(c, routename(c.names, sa), af === AF_INET6 ? 43 : 18);
  };
  c.out.push(`Preferred source address set for rdomain ${c.tableid}\n`);
  c.out.push(`IPv4: ${line(AF_INET, t.source.inet)}\n`);
  c.out.push(`IPv6: ${line(AF_INET6, t.source.inet6)}\n`);
  return 0;
}

/**
 * `nameserver IF addr...`: up to five numeric addresses, sent as two RTM_PROPOSAL messages
 * (static source) for IF: the IPv4 list, then the IPv6 list; an empty list withdraws that
 * family's servers. Each message carries a whole sockaddr_rtdns (sr_len counts only the
 * addresses) plus its ROUNDUP padding, as route(8) writes it with writev.
 */
export function nameserver(c: RouteCtx, argv: string[]): number {
  if (argv.length < 2) usage(c);
  const ifName = argv[1]!;
  const index = c.session.kernel.ifconfig.indexOf(ifName);
  if (index === 0) errx(c, `unknown interface: ${ifName}`);
  const ns4: string[] = [];
  const ns6: string[] = [];
  let i = 2;
  for (; i < argv.length && ns4.length + ns6.length < MAX_NAMESERVERS; i++) {
    const s = argv[i]!;
    if (inetPton(s) !== undefined && /^\d+\.\d+\.\d+\.\d+$/.test(s)) ns4.push(s);
    else if (s.includes(':') && isNumericV6(c, s)) ns6.push(s);
    else errx(c, 'name or service is not known');
  }
  if (i < argv.length) warnx(c, 'ignoring additional nameservers');
  if (c.verbose) {
    for (const a of ns4) warnx(c, `v4: ${a}`);
    for (const a of ns6) warnx(c, `v6: ${inet6Text(v6Bytes(c, a))}`);
  }
  if (c.debugonly) return 0;
  let error = 0;
  const unit = c.dialect.roundup;
  const body = RTDNS_SIZE + ((unit - (RTDNS_SIZE % unit)) % unit);
  for (const [seq, family, list] of [[1, AF_INET, ns4], [2, AF_INET6, ns6]] as const) {
    const addrs = family === AF_INET ? [...list] : list.map((a) => inet6Text(v6Bytes(c, a)));
    const used = Math.ceil((2 + (family === AF_INET ? 4 : 16) * addrs.length) / unit) * unit;
    const bytes = encodeMessage({
      type: RTM_PROPOSAL, flags: RTF_UP, seq, index, tableid: c.tableid, priority: RTP_PROPOSAL_STATIC,
      sockaddrs: { dns: { kind: 'dns', family, addrs } },
      trailer: '00'.repeat(body - used),
    }, { dialect: c.dialect.name });
    if (!send(c, bytes)) error = 1;
  }
  return error;
}

function send(c: RouteCtx, bytes: Uint8Array): boolean {
  if (!c.sock) return true; // -t: /dev/null takes everything
  try {
    c.sock.write(bytes);
    return true;
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    warnx(c, `failed to send route message: ${strerror(e.errno)}`);
    return false;
  }
}

function v6Bytes(c: RouteCtx, s: string): Uint8Array {
  const r = newRequest();
  getaddr(c, r, RTA_IFA, AF_INET6, s, () => 0);
  return r.sa.get(RTA_IFA)!.subarray(8, 24);
}

function isNumericV6(c: RouteCtx, s: string): boolean {
  try {
    v6Bytes({ ...c, err: [] }, s);
    return true;
  } catch {
    return false;
  }
}
