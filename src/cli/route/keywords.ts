/** route(8)'s keyword table (keywords.h): exact words, no abbreviations. */
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
