/**
 * Model-based test of RTM_CHANGE (§A.8) among interfaces, addresses and routes: the operations
 * of model-ifaddr plus RTM_CHANGE of static routes, clones, connected, local and broadcast
 * routes and of names that find nothing or a multipath set — new, same, unreachable or local
 * gateways, flag toggles through rtm_fmask (RTF_FMASK), the MTU and its lock — checked after
 * every step against the reference model (model-reference.ts): errno, the reply or echoed
 * failure, kernel messages (clones made by address selection or next-hop resolution), the
 * table (next hops re-resolved: RTF_CACHED and Refs; MTU) and lookups. FUZZ_RUNS scales the
 * run count (npm run fuzz).
 */
import fc from 'fast-check';
import { DIALECTS } from './helpers.js';
import { CHANGE_OPS, IFADDR_OPS, RUNS, agreesWithModel } from './model-harness.js';

describe.each(DIALECTS)('RTM_CHANGE among interfaces, addresses and routes vs reference model (%s)', (d) => {
  it('agree on errnos, messages, tables and lookups', () => {
    fc.assert(agreesWithModel(d, [...IFADDR_OPS, ...CHANGE_OPS]), { numRuns: RUNS });
  });
});
