/** ifconfig(8)'s status output for one interface (ifconfig.c status()/in_status()/in6_status()). */
import { IFG_ALL } from '../../kernel/groups.js';
import type { IfAddr, Interface } from '../../kernel/interface.js';
import type { Kernel } from '../../kernel/kernel.js';
import { inet6Text } from '../route/names.js';
import { hdrPrioWord } from './hdrprio.js';
import { inet6FlagWords, inet6Lifetimes } from './inet6-attrs.js';

const IFF_BITS: [number, string][] = [
  [1, 'UP'], [2, 'BROADCAST'], [3, 'DEBUG'], [4, 'LOOPBACK'], [5, 'POINTOPOINT'], [6, 'STATICARP'], [7, 'RUNNING'],
  [8, 'NOARP'], [9, 'PROMISC'], [10, 'ALLMULTI'], [11, 'OACTIVE'], [12, 'SIMPLEX'], [13, 'LINK0'], [14, 'LINK1'],
  [15, 'LINK2'], [16, 'MULTICAST'], [19, 'AUTOCONF6TEMP'], [20, 'MPLS'], [21, 'WOL'], [22, 'AUTOCONF6'],
  [23, 'INET6_NOSOII'], [24, 'AUTOCONF4'], [25, 'MONITOR'], [26, 'LRO'],
];

function printb(v: number, bits: [number, string][]): string {
  const names = bits.filter(([b]) => (v >>> (b - 1)) & 1).map(([, n]) => n);
  return `${(v >>> 0).toString(16)}${names.length ? `<${names.join(',')}>` : ''}`;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** in_status's `netmask 0x%x`: unpadded, so a /0 is `0x0`. */
function maskHex(plen: number): string {
  return `0x${(plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0).toString(16)}`;
}

function linkState(ifp: Interface): string {
  if (ifp.linkState === 4 || ifp.linkState === 5 || ifp.linkState === 6) return 'active';
  if (ifp.linkState === 2) return ifp.type === 6 ? 'no carrier' : 'down';
  return ifp.linkState === 0 ? 'unknown' : `[#${ifp.linkState}]`;
}

/**
 * 4.9's tun_media_status (if_tun.c 1.104): IFM_ACTIVE while the link is up and the interface is
 * IFF_UP; ifconfig names an Ethernet medium that is not active `no carrier`.
 */
function tunMediaStatus(ifp: Interface): string {
  return ifp.running ? 'active' : 'no carrier';
}

/** Where ifconfig.c 1.476 (current) and 1.232 (the nearest to 4.9's) print an interface differently. */
export interface StatusFormat {
  /** getinfo reads if_xflags too and status prints both words as one (current); 1.232 the flags alone. */
  readonly showsXflags: boolean;
  /** `\tindex N priority P llprio L` (current), or 1.232's `\tpriority: P`. */
  readonly indexLine: boolean;
  /**
   * Current's getencap: `\tencap:` with a vlan's `vnetid ... parent ...`, then `txprio ...
   * rxprio ...` for a driver that answers SIOCGTXHPRIO (a vlan's, a gif's); or 1.232's
   * vlan_status: `\tvlan: TAG priority: PRIO parent interface: NAME` (`<none>`), only when a tag
   * or a parent is set.
   */
  readonly vlanEncap: boolean;
  /** in6_alias's arrow before a point-to-point destination: ` --> ` (current) or ` -> ` (1.232). */
  readonly inet6Arrow: string;
  /**
   * A vlan's SIOCGIFMEDIA: its parent's (current's vlan_media_get; ENOTTY without a parent) or
   * none (if_vlan.c's 2014 revision, the nearest to 4.9's, has no such case: ENOTTY).
   */
  readonly vlanMedia: 'parent' | 'none';
}

/**
 * status() with `link` set, as printif calls it for an interface's AF_LINK entry: the interface's
 * own lines (flags to status), without its addresses, which printif prints from the entries
 * that follow ({@link addressLine}); the caller adds phys_status's tunnel line. `parent` is a
 * vlan's parent interface, if it has one that exists.
 */
export function interfaceHead(ifp: Interface, f: StatusFormat, parent?: Interface): string {
  let s = `${ifp.name}: flags=${printb(ifp.flags | (f.showsXflags ? ifp.xflags << 16 : 0), IFF_BITS)}`;
  if (ifp.rdomain > 0) s += ` rdomain ${ifp.rdomain}`;
  if (ifp.metric !== 0) s += ` metric ${ifp.metric}`;
  s += ` mtu ${ifp.mtu}\n`;
  if (ifp.lladdr.length === 6) s += `\tlladdr ${[...ifp.lladdr].map(hex2).join(':')}\n`;
  if (ifp.description) s += `\tdescription: ${ifp.description}\n`;
  s += f.indexLine ? `\tindex ${ifp.index} priority ${ifp.priority} llprio ${ifp.llprio}\n` : `\tpriority: ${ifp.priority}\n`;
  if (f.vlanEncap) {
    s += encapLine(ifp);
  } else if (ifp.kind.encap !== undefined && (ifp.vnetid > 0 || ifp.parent)) {
    s += `\tvlan: ${Math.max(0, ifp.vnetid)} priority: 0 parent interface: ${ifp.parent || '<none>'}\n`;
  }
  // getifgroups: every group but `all`, the line only when there is one.
  const groups = ifp.groups.filter((g) => g !== IFG_ALL);
  if (groups.length > 0) s += `\tgroups: ${groups.join(' ')}\n`;
  // SIOCGIFMEDIA: the driver's, a vlan's its parent's (or none); without it, `status:` only
  // for a known link state.
  const media = ifp.kind.encap === undefined ? ifp : f.vlanMedia === 'parent' ? parent : undefined;
  if (media?.kind.hasMedia) {
    s += '\tmedia: Ethernet autoselect\n';
    s += `\tstatus: ${media.kind.device ? tunMediaStatus(media) : linkState(media)}\n`;
  } else if (ifp.linkState !== 0) s += `\tstatus: ${linkState(ifp)}\n`;
  return s;
}

/**
 * getencap (ifconfig.c 1.476): what SIOCGVNETID, SIOCGIFPARENT, SIOCGTXHPRIO and SIOCGRXHPRIO
 * answer, each left out where the driver knows no such ioctl; no line when none answers.
 */
function encapLine(ifp: Interface): string {
  const words: string[] = [];
  if (ifp.kind.encap !== undefined) words.push(`vnetid ${ifp.vnetid === -1 ? 'none' : ifp.vnetid}`, `parent ${ifp.parent || 'none'}`);
  if (ifp.hdrPrio) words.push(`txprio ${hdrPrioWord('tx', ifp.hdrPrio.tx)}`, `rxprio ${hdrPrioWord('rx', ifp.hdrPrio.rx)}`);
  return words.length > 0 ? `\tencap: ${words.join(' ')}\n` : '';
}

/** in_status / in6_status: one address's line (in6_alias: flags, scope id, then lifetimes). */
export function addressLine(k: Kernel, a: IfAddr, ifp: Interface, f: StatusFormat): string {
  if (a.af === 'inet') {
    let s = `\tinet ${[...a.addr].join('.')}`;
    // SIOCGIFDSTADDR: the destination, 0.0.0.0 while none is set.
    if (ifp.isPointToPoint) s += ` --> ${a.dstaddr ? [...a.dstaddr].join('.') : '0.0.0.0'}`;
    s += ` netmask ${maskHex(a.plen)}`;
    if (a.dstaddr && ifp.flags & 0x2) s += ` broadcast ${[...a.dstaddr].join('.')}`;
    return `${s}\n`;
  }
  const { text, scoped } = inet6Name(a.addr, ifp);
  let s = `\tinet6 ${text}`;
  // SIOCGIFDSTADDR_IN6: the destination; while none is set its sockaddr is all zeros
  // (sin6_len 0), which getnameinfo cannot name: nothing after the arrow.
  if (ifp.isPointToPoint) s += `${f.inet6Arrow}${a.dstaddr ? inet6Name(a.dstaddr, ifp).text : ''}`;
  const scope = scoped ? ` scopeid 0x${ifp.index.toString(16)}` : '';
  return `${s} prefixlen ${a.plen}${inet6FlagWords(k, a)}${scope}${inet6Lifetimes(k, a)}\n`;
}

/** getnameinfo(NI_NUMERICHOST) of an interface's IPv6 address, its KAME scope as `%ifname` (in6_fillscopeid). */
function inet6Name(bytes: Uint8Array, ifp: Interface): { text: string; scoped: boolean } {
  const addr = bytes.slice();
  const scoped = (addr[0] === 0xfe && (addr[1]! & 0xc0) === 0x80) || (addr[0] === 0xff && ((addr[1]! & 0x0f) <= 2));
  if (!scoped) return { text: inet6Text(addr), scoped };
  addr[2] = addr[3] = 0;
  return { text: `${inet6Text(addr)}%${ifp.name}`, scoped };
}
