/** route(8)'s keyword table (keywords.h): exact words, no abbreviations. */
import { AF } from '../../abi/constants.js';
const WORDS = [
  'add', 'blackhole', 'bfd', 'bgp', 'change', 'cloning', 'connected', 'del', 'delete', 'dst', 'exec', 'expire',
  'flush', 'gateway', 'get', 'host', 'hopcount', 'iface', 'interface', 'ifa', 'ifp', 'in', 'inet', 'inet6',
  'jumbo', 'label', 'link', 'llinfo', 'local', 'lock', 'lockrest', 'monitor', 'mpath', 'mpls', 'mplslabel', 'mtu',
  'nameserver', 'net', 'netmask', 'nobfd', 'nojumbo', 'nostatic', 'ospf', 'out', 'pop', 'prefixlen', 'priority',
  'proto1', 'proto2', 'push', 'recvpipe', 'reject', 'rip', 'rtt', 'rttvar', 'sa', 'sendpipe', 'show', 'sourceaddr',
  'ssthresh', 'static', 'swap',
] as const;

export type Keyword = (typeof WORDS)[number];

const SET: ReadonlySet<string> = new Set(WORDS);

/** keyword(): the word if it is one, else undefined (route.c's 0). */
export function keyword(word: string): Keyword | undefined {
  return SET.has(word) ? (word as Keyword) : undefined;
}

/** The address family a `-inet`/`-inet6`/`-link`/`-mpls` modifier selects, or undefined. */
export function familyKeyword(kw: Keyword | undefined): number | undefined {
  switch (kw) {
    case 'inet': return AF.AF_INET;
    case 'inet6': return AF.AF_INET6;
    case 'link': return AF.AF_LINK;
    case 'mpls': return AF.AF_MPLS;
    default: return undefined;
  }
}
