/**
 * Model-based test of route attributes among interfaces, addresses and routes: the operations of
 * model-change (model-inet6's for IPv6) plus RTM_ADD with RTA_LABEL, RTA_IFP and RTA_IFA, and
 * RTM_CHANGE with RTA_IFP (an interface, or an index none has: 99, or route(8)'s 0 for an
 * unknown name), RTA_IFA (local or not, this interface's or another's) and RTA_LABEL (replaced,
 * removed with '', or kept when absent) — rtm_getifa's choice of address, the move to it with
 * the old interface's route hooks (ARP/ND state, loopback MTU) —, `ifconfig X rtlabel` (the
 * label rt_ifa_add gives address routes, not in6_update_ifa's multicast routes), labels
 * inherited by clones and shown in replies, kernel messages and the table, label counting — and
 * interface routes (RTM_ADD without RTF_GATEWAY via a link-layer gateway or an address, host or
 * not, with RTA_IFP/RTA_IFA or not: linkOps), RTM_CHANGE to a link-layer gateway
 * (changeLinkOps), RTM_SOURCE (current: sourceOps), and, in a run of its own, a point-to-point
 * gif0 beside the vethers (P4 and P6: addresses with a destination, ifa_ifwithdstaddr; IPv6's
 * link-local address borrowed from a vether, in6_update_ifa's destination checks and connected
 * routes that clone or not by dialect; gif0 and the vethers destroyed and re-created: p2pOps,
 * ifaceOps). Interface labels are set with
 * SIOCSIFRTLABEL (ifconfig.setRtlabel), whose references the label count includes, and
 * interface priorities with SIOCSIFPRIORITY (ifconfig.setPriority: RTM_ADD's default priority,
 * current's address routes, and their deletion after a change, left to rt_ifa_purge).
 * Checked after every step against the reference model (model-reference.ts; errno, messages,
 * table with Use and labels, lookups: see model-harness.ts). FUZZ_RUNS scales the run count
 * (npm run fuzz).
 */
import fc from 'fast-check';
import { DIALECTS } from './helpers.js';
import {
  CHANGE_OPS, IFADDR_OPS, P2P6, P4, P6, RUNS, V4, V6, agreesWithModel, attrOps, changeLinkOps, changeOps, ifaceOps, ifaddrOps, inet6Ops,
  ifprioOps, linkOps, p2pOps, rtlabelOps, sourceOps, type Universe,
} from './model-harness.js';

/** Three times the usual runs: a label needs an RTM_ADD or RTM_CHANGE that sets it before one that removes it. */
const ATTR_RUNS = RUNS * 3;

/** What every universe draws beyond its base operations. */
const attrs = (u: Universe) => [...attrOps(u), ...rtlabelOps(u), ...ifprioOps(u), ...linkOps(u), ...sourceOps(u), ...changeLinkOps(u)];
const V4_OPS = [...IFADDR_OPS, ...CHANGE_OPS, ...attrs(V4)];
/** gif0 is P4's third interface. */
const P4_OPS = [...ifaddrOps(P4), ...changeOps(P4), ...attrs(P4), ...p2pOps(P4, 2), ...ifaceOps(P4)];
const V6_OPS = [...ifaddrOps(V6), ...inet6Ops(V6), ...changeOps(V6), ...attrs(V6)];
/** gif0 is P6's fourth interface. */
const P6_OPS = [...ifaddrOps(P6), ...inet6Ops(P6), ...changeOps(P6), ...attrs(P6), ...p2pOps(P6, 3, P2P6), ...ifaceOps(P6)];

describe.each(DIALECTS)('route labels, RTA_IFP and RTA_IFA vs reference model (%s)', (d) => {
  it('IPv4: agree on errnos, messages, tables and lookups', () => {
    fc.assert(agreesWithModel(d, V4_OPS), { numRuns: ATTR_RUNS });
  });

  it('IPv4 with a point-to-point gif0: agree on errnos, messages, tables and lookups', () => {
    fc.assert(agreesWithModel(d, P4_OPS, P4), { numRuns: ATTR_RUNS });
  });

  it('IPv6: agree on errnos, messages, tables and lookups', () => {
    fc.assert(agreesWithModel(d, V6_OPS, V6), { numRuns: ATTR_RUNS });
  });

  it('IPv6 with a point-to-point gif0: agree on errnos, messages, tables and lookups', () => {
    fc.assert(agreesWithModel(d, P6_OPS, P6), { numRuns: ATTR_RUNS });
  });
});
