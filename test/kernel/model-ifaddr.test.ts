/**
 * Model-based test of interfaces, IPv4 addresses and routes together (issue #3): random
 * sequences of ifconfig up/down, address add/delete, RTM_ADD/DELETE/GET and lookups on two
 * Ethernet-like interfaces, checked after every step against the reference model of
 * model-reference.ts (errno, messages, table, lookups; see model-harness.ts). FUZZ_RUNS scales
 * the run count (npm run fuzz).
 */
import fc from 'fast-check';
import { DIALECTS } from './helpers.js';
import { IFADDR_OPS, RUNS, agreesWithModel } from './model-harness.js';

describe.each(DIALECTS)('interfaces, addresses and routes vs reference model (%s)', (d) => {
  it('agree on errnos, messages, tables and lookups', () => {
    fc.assert(agreesWithModel(d, IFADDR_OPS), { numRuns: RUNS });
  });
});
