/**
 * Model-based test of IPv6 interfaces, addresses and routes: random sequences of ifconfig
 * up/down, `inet6` (link-local attach), IPv6 address add/delete (colliding prefixes, a /128
 * inside a /64, a /56), RTM_ADD/DELETE/GET/CHANGE of IPv6 routes (priorities, multipath, on-link,
 * link-local and unreachable gateways) and lookups (connected /64s clone, as nd6_rtrequest
 * does) on vether0, vether1 and lo0, checked after every step against the reference model
 * (model-reference.ts; errno, messages, table, lookups: see model-harness.ts). FUZZ_RUNS scales
 * the run count (npm run fuzz).
 */
import fc from 'fast-check';
import { DIALECTS } from './helpers.js';
import { RUNS, V6, agreesWithModel, changeOps, ifaddrOps, inet6Ops } from './model-harness.js';

describe.each(DIALECTS)('IPv6 interfaces, addresses and routes vs reference model (%s)', (d) => {
  it('agree on errnos, messages, tables and lookups', () => {
    fc.assert(agreesWithModel(d, [...ifaddrOps(V6), ...inet6Ops(V6), ...changeOps(V6)], V6), { numRuns: RUNS });
  });
});
