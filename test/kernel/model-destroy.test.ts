/**
 * Model-based test of interface destroy and re-creation among addresses and routes: the
 * operations of model-change (model-inet6's for IPv6) build up addresses, static routes (some
 * moved by RTM_CHANGE), clones and cached next hops; then `ifconfig X destroy` of one interface —
 * if_down when up, in_ifdetach / in6_ifdetach purging every address after the interface left the
 * index map (rtm_send without IFP, its clones left to rt_ifa_purge), every route on it deleted
 * with its address, in6_ifdetach's ff01/ff02 lookups, RTM_IFANNOUNCE departure — and more
 * operations, among them further destroys and `ifconfig X create` (EEXIST while it exists, else
 * back with a new index). Checked after every step against the reference model
 * (model-reference.ts; errno, messages, table with Use, lookups: see model-harness.ts).
 * FUZZ_RUNS scales the run count (npm run fuzz).
 */
import fc from 'fast-check';
import { DIALECTS, type DialectArg } from './helpers.js';
import {
  CHANGE_OPS, IFADDR_OPS, RUNS, V4, V6, agreesWithModel, changeOps, ifaceOps, ifaddrOps, inet6Ops, sequences,
  type Op, type Universe, type Weighted,
} from './model-harness.js';

/** Steps after the first destroy: re-creation and further destroys among the other operations. */
const AFTER = 12;

/** A sequence of `ops`, one interface destroyed, then `ops` with destroy and create (three times as likely as usual). */
function property(d: DialectArg, u: Universe, ops: readonly Weighted<Op>[]) {
  const after = [...ops, ...ifaceOps(u, 3)];
  const seqs = fc.tuple(sequences(u, ops), fc.nat(u.ifnames.length - 1), fc.array(fc.oneof(...after), { maxLength: AFTER }))
    .map(([before, i, rest]): Op[] => [...before, { kind: 'destroy', i }, ...rest]);
  return agreesWithModel(d, after, u, seqs);
}

describe.each(DIALECTS)('interface destroy and re-creation vs reference model (%s)', (d) => {
  it('IPv4: agree on errnos, messages, tables and lookups', () => {
    fc.assert(property(d, V4, [...IFADDR_OPS, ...CHANGE_OPS]), { numRuns: RUNS });
  });

  it('IPv6: agree on errnos, messages, tables and lookups', () => {
    fc.assert(property(d, V6, [...ifaddrOps(V6), ...inet6Ops(V6), ...changeOps(V6)]), { numRuns: RUNS });
  });
});
