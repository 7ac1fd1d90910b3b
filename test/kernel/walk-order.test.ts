/**
 * Table walk order by dialect (issue: "in openbsd-4.9 ... the table walks in radix order"): what
 * route show, flush and dumps list, and the order in which a walk's messages go out. 4.9's
 * radix tree (rn_walktree) lists masked keys ascending and a key's more specific prefixes first;
 * current's ART (semantics.md §A.12) a covering prefix first and non-fringe prefixes before
 * their table's fringe entries.
 */
import { RTM_DELETE } from '../../src/kernel/constants.js';
import { decodeMessages } from '../../src/codec/dump.js';
import { drain, loopbackKernel, routeMsg, type DialectArg } from './helpers.js';

const PREFIXES: [string, number][] = [['10.0.0.0', 8], ['10.0.0.0', 16], ['10.0.0.0', 10], ['10.8.0.0', 16], ['10.8.0.0', 24], ['10.8.1.0', 24], ['10.0.0.1', 32]];

const EXPECTED: Record<DialectArg, string[]> = {
  'openbsd-4.9': ['10.0.0.0/16', '10.0.0.0/10', '10.0.0.0/8', '10.0.0.1/32', '10.8.0.0/24', '10.8.0.0/16', '10.8.1.0/24'],
  openbsd: ['10.0.0.0/8', '10.0.0.0/10', '10.0.0.0/16', '10.0.0.1/32', '10.8.0.0/16', '10.8.0.0/24', '10.8.1.0/24'],
};

/** The kernel's test setup with the prefixes above routed via lo1's 192.0.2.1, in a table big enough (fastPathAt) or not. */
function setup(d: DialectArg, fastPathAt?: number) {
  const { k, s } = loopbackKernel(d, fastPathAt);
  for (const [dst, plen] of PREFIXES) s.write(routeMsg(d, { dst, plen, gw: '192.0.2.1' }));
  drain(d, s);
  return { k, s };
}

const tens = (rows: { dst: string; plen: number }[]) => rows.filter((r) => r.dst.startsWith('10.')).map((r) => `${r.dst}/${r.plen}`);

describe.each(['openbsd-4.9', 'openbsd'] as const)('table walk order (%s)', (d) => {
  it.each([undefined, 0, 3])('kernel.routes and the NET_RT_DUMP records list the dialect\'s order (fastPathAt %s: a table that grows into the fast path keeps it)', (fastPathAt) => {
    const { k } = setup(d, fastPathAt);
    expect(tens(k.routes(0, 'inet'))).toEqual(EXPECTED[d]);
    const { messages, skipped } = decodeMessages(k.dump(0, 'inet'), { dialect: d });
    expect(skipped).toEqual([]);
    const dumped = messages.map((m) => (m as { sockaddrs: { dst?: { addr: string } } }).sockaddrs.dst!.addr);
    expect(dumped.filter((a) => a.startsWith('10.'))).toEqual(EXPECTED[d].map((p) => p.split('/')[0]));
  });

  it('rt_ifa_purge announces the address\'s routes in walk order', () => {
    const { k, s } = setup(d);
    k.ifconfig.deleteAddress('lo1', '192.0.2.1');
    const deleted = drain(d, s).filter((m) => m.type === RTM_DELETE).map((m) => m.sockaddrs.dst);
    const order = deleted.map((sa) => (sa && 'addr' in sa ? sa.addr : '')).filter((a) => a.startsWith('10.'));
    expect(order).toEqual(EXPECTED[d].map((p) => p.split('/')[0]));
  });
});
