/**
 * Model-based test of interfaces holding IPv4 and IPv6 addresses at once: vether0, vether1 and
 * lo0 get and lose addresses of both families, go up and down (rt_if_track walks AF_INET's routes,
 * then AF_INET6's), are destroyed (in_ifdetach, then in6_ifdetach) and re-created, labelled
 * (`ifconfig rtlabel`) and given priorities (`ifconfig priority`, both families' routes), while RTM_ADD/DELETE/GET/CHANGE and lookups of both families interleave
 * — RTM_ADD and RTM_CHANGE with RTA_IFP and RTA_IFA of either family among them: an IPv4 route
 * may get an IPv6 address (and the reverse), which rt_ifa_purge, walking only its address's
 * family, leaves in place — and gateways of the other family (an IPv4 route via an IPv6 next hop,
 * resolved and cached in the IPv6 table, and the reverse), and IPv4 addresses on lo0 (its local
 * routes only; 127.0.0.1 deleted too), interface routes via link-layer gateways (linkOps),
 * each family's preferred source (RTM_SOURCE in current: sourceOps); in a run of its own, a
 * point-to-point gif0 beside them with both families' p2pOps (addresses with a destination,
 * routes via it, host routes to it) and its destruction and re-creation; in another, a tun0 in
 * its place, its character device opened and closed (devOps: the link, and with it both
 * families' routes on tun0, follows the device). The reference is two model-reference.ts Models sharing the interfaces
 * (model-harness.ts agreesWithDual); checked after every step: the errno, every message in order,
 * both tables, the labels and lookups. FUZZ_RUNS scales the run count (npm run fuzz).
 */
import fc from 'fast-check';
import { DIALECTS } from './helpers.js';
import {
  D4, D6, DP4, DP6, DT6, P2P4, P2P6, RUNS, agreesWithDual, attrOps, changeOps, crossOps, devOps, dualSequences, foreignGwOps, ifaceOps, ifaddrOps,
  inet6Ops, ifprioOps, linkOps, loopbackOps, on, p2pOps, pick, rtlabelOps, sourceOps, w, type DualOp, type Op, type Universe, type Weighted,
} from './model-harness.js';

/** Address deletion twice as likely as in ifaddrOps: the routes given a deleted address are the point. */
const deladdr = [w(2, fc.record({ kind: fc.constant('deladdr' as const), pick }))];
/** Gateways of the other family: IPv6 next hops for IPv4 routes (one nothing covers) and the reverse. */
const GW6 = [...D6.changeGateways, 'fe80:3::5'];
const GW4 = D4.changeGateways;
const OPS = [
  // lo0 is the interfaces' third (D6.ifnames).
  ...on(4, [...ifaddrOps(D4), ...changeOps(D4), ...attrOps(D4), ...crossOps(D4), ...foreignGwOps(D4, GW6), ...loopbackOps(D4, 2), ...linkOps(D4), ...sourceOps(D4), ...deladdr]),
  ...on(6, [
    ...ifaddrOps(D6), ...inet6Ops(D6), ...changeOps(D6), ...attrOps(D6), ...crossOps(D6), ...foreignGwOps(D6, GW4), ...linkOps(D6), ...rtlabelOps(D6), ...ifprioOps(D6, 4), ...sourceOps(D6), ...deladdr,
  ]),
  // Destroy and create purge and announce both families: through the IPv4 model, whose
  // families() are both (one interface index counter).
  ...on(4, ifaceOps(D6, 2)),
];

/**
 * With a point-to-point interface (gif0 or tun0: the fourth interface, index 4; `u6` names it):
 * each family's P4/P6 operations on it (addresses with a destination or not, routes via the
 * destination, host routes to it), its destruction and re-creation among the others' — and
 * `extra`, through IPv4's model.
 */
const p2pRun = (u6: Universe, extra: readonly Weighted<Op>[] = []) => [
  ...on(4, [
    ...ifaddrOps(DP4), ...changeOps(DP4), ...attrOps(DP4), ...crossOps(DP4), ...foreignGwOps(DP4, GW6), ...loopbackOps(DP4, 2), ...linkOps(DP4),
    ...p2pOps(DP4, 3, P2P4), ...deladdr,
  ]),
  ...on(6, [...ifaddrOps(u6), ...inet6Ops(u6), ...changeOps(u6), ...attrOps(u6), ...crossOps(u6), ...linkOps(u6), ...p2pOps(u6, 3, P2P6), ...deladdr]),
  ...on(4, [...ifaceOps(u6, 2), ...extra]),
];
const P2P_OPS = p2pRun(DP6);
/** tun0's run: its device too (devOps, through IPv4's model; its routes of both families follow the link). */
const TUN_OPS = p2pRun(DT6, devOps(DT6, 3, 6));

/**
 * tun0's run starts with an address of each family on it (p2pOps' addaddr: with a destination or
 * not), its device opened or not — or opened and closed again (the link DOWN in current, whose
 * tun starts with it DOWN anyway) — so that the device's link moves both families' routes.
 */
const TUN_START = fc.tuple(p2pOps(DP4, 3, P2P4)[0].arbitrary, p2pOps(DT6, 3, P2P6)[0].arbitrary, fc.constantFrom(0, 1, 2))
  .map(([a4, a6, opens]): DualOp[] => [
    { fam: 4, op: a4 }, { fam: 6, op: a6 },
    ...(opens > 0 ? [{ fam: 4 as const, op: { kind: 'devopen' as const, i: 3 } }] : []),
    ...(opens > 1 ? [{ fam: 4 as const, op: { kind: 'devclose' as const, i: 3 } }] : []),
  ]);

/** Twice the usual runs: every sequence splits its steps between two families. */
const DUAL_RUNS = RUNS * 2;

describe.each(DIALECTS)('interfaces with both families vs reference model (%s)', (d) => {
  it('agree on errnos, messages, both tables and lookups', () => {
    fc.assert(agreesWithDual(d, dualSequences(OPS, 30)), { numRuns: DUAL_RUNS });
  });

  it('with a point-to-point gif0: agree on errnos, messages, both tables and lookups', () => {
    fc.assert(agreesWithDual(d, dualSequences(P2P_OPS, 30), [DP4, DP6]), { numRuns: DUAL_RUNS });
  });

  it('with a point-to-point tun0 and its device: agree on errnos, messages, both tables, lookups and tun0', () => {
    fc.assert(agreesWithDual(d, fc.tuple(TUN_START, dualSequences(TUN_OPS, 30)).map(([a, b]) => [...a, ...b]), [DP4, DT6]), { numRuns: DUAL_RUNS });
  });
});

