/**
 * Model-based test of tun(4) beside the vethers (T4, T6: tun0 where P4/P6 have gif0): its
 * addresses with a destination, routes via it and to it (p2pOps), up/down, destroy and
 * re-creation, RTM_CHANGE and route attributes — and its character device (devOps): open(2)
 * and close(2) of /dev/tun0 (EBUSY while open, ENXIO unless open; the open of a destroyed tun0
 * clones it, and its close destroys it again; ENXIO for a vether's, which no driver has) and
 * SIOCGIFMEDIA (4.9's settles the link). The routes on tun0 follow IFF_UP and its link state
 * (rt_if_track, §E.5), which the device moves: 4.9 (if_tun.c 1.104) starts it UNKNOWN, sets
 * IFF_RUNNING and the link UP on open and then calls if_up, takes IFF_RUNNING and the link down
 * on close; current (1.252) starts it DOWN, sets IFF_UP|IFF_RUNNING and the link FULL_DUPLEX on
 * open, clears both flags on close and takes the link down unless it destroys the interface.
 * Destroying tun0 while open leaves the process a descriptor: current revokes it (its close
 * does nothing), 4.9 leaves it on the device (its close runs tunclose on whatever tun0 is there).
 * Checked after every step against the reference model (model-reference.ts: errno, messages,
 * table, lookups, and every RTM_IFINFO of a device operation, tun0's flags, link and device:
 * see model-harness.ts). FUZZ_RUNS scales the run count (npm run fuzz).
 */
import fc from 'fast-check';
import { DIALECTS } from './helpers.js';
import {
  A4, A6, P2P4, P2P6, RUNS, T4, T6, agreesWithModel, attrOps, changeOps, devOps, ifaceOps, ifaddrOps, inet6Ops, linkOps, p2pOps, sequences,
  type Op, type P2pSet, type Universe, type Weighted,
} from './model-harness.js';

/** tun0 is T4's third interface, T6's fourth; tap0 is A4's third, A6's fourth. */
const T4_OPS = [...ifaddrOps(T4), ...changeOps(T4), ...attrOps(T4), ...linkOps(T4), ...p2pOps(T4, 2), ...ifaceOps(T4), ...devOps(T4, 2, 12)];
const T6_OPS = [...ifaddrOps(T6), ...inet6Ops(T6), ...changeOps(T6), ...attrOps(T6), ...p2pOps(T6, 3, P2P6), ...ifaceOps(T6), ...devOps(T6, 3, 12)];
const A4_OPS = [...ifaddrOps(A4), ...changeOps(A4), ...attrOps(A4), ...linkOps(A4), ...ifaceOps(A4), ...devOps(A4, 2, 12)];
const A6_OPS = [...ifaddrOps(A6), ...inet6Ops(A6), ...changeOps(A6), ...attrOps(A6), ...linkOps(A6), ...ifaceOps(A6), ...devOps(A6, 3, 12)];
/** tap0's first address: one of the universe's (an Ethernet-like interface takes no destination). */
const tapAddress = (u: Universe, i: number) => fc.record({ kind: fc.constant('addaddr' as const), i: fc.constant(i), a: fc.constantFrom(...u.addresses) });

/**
 * The harness's sequences, most of them after an address on tun0 (with a destination or not),
 * its device opened or not — or tun0 destroyed first, so that the open clones it and the
 * close will destroy it: the routes on tun0 then live through the device's open and close,
 * which are otherwise seldom drawn in that order in one (short) sequence — or tun0 destroyed
 * while open, leaving a descriptor whose close the rest may draw (before or after tun0 is
 * cloned or created again) — or opened and then taken down: the link is up, and the next
 * address brings IFF_UP back without a link-state task (tun_ioctl sets the flags itself), so
 * the routes already there stay down.
 */
function tunSequences(u: Universe, i: number, p: P2pSet, ops: readonly Weighted<Op>[]): fc.Arbitrary<Op[]> {
  return deviceSequences(u, i, ops, fc.record({
    kind: fc.constant('addaddr' as const), i: fc.constant(i), a: fc.constantFrom(...p.addresses), dest: fc.option(fc.constantFrom(...p.dests), { nil: undefined }),
  }));
}

/** tunSequences for the device interface at `i`, `addr` its first address. */
function deviceSequences(u: Universe, i: number, ops: readonly Weighted<Op>[], addr: fc.Arbitrary<Op>): fc.Arbitrary<Op[]> {
  const open: Op = { kind: 'devopen', i };
  const first = fc.tuple(fc.option(addr, { freq: 4 }), fc.constantFrom('closed', 'open', 'cloned', 'stranded', 'down'))
    .map(([a, how]): Op[] => {
      const address = a ? [a] : [];
      if (how === 'closed') return address;
      if (how === 'stranded') return [...address, open, { kind: 'destroy', i }];
      if (how === 'down') return [...address, open, { kind: 'down', i }];
      return how === 'open' ? [...address, open] : [{ kind: 'destroy', i }, open, ...address];
    });
  return fc.tuple(first, sequences(u, ops)).map(([a, b]) => [...a, ...b]);
}

describe.each(DIALECTS)('tun(4) and its device vs reference model (%s)', (d) => {
  it('IPv4 with a point-to-point tun0: agree on errnos, messages, tables, lookups and tun0', () => {
    fc.assert(agreesWithModel(d, T4_OPS, T4, tunSequences(T4, 2, P2P4, T4_OPS)), { numRuns: RUNS * 2 });
  });

  it('IPv6 with a point-to-point tun0: agree on errnos, messages, tables, lookups and tun0', () => {
    fc.assert(agreesWithModel(d, T6_OPS, T6, tunSequences(T6, 3, P2P6, T6_OPS)), { numRuns: RUNS * 2 });
  });
});

describe('tap(4) and its device vs reference model (openbsd)', () => {
  const d = 'openbsd';

  it('IPv4 with an Ethernet-like tap0: agree on errnos, messages, tables, lookups and tap0', () => {
    fc.assert(agreesWithModel(d, A4_OPS, A4, deviceSequences(A4, 2, A4_OPS, tapAddress(A4, 2))), { numRuns: RUNS * 2 });
  });

  it('IPv6 with an Ethernet-like tap0: agree on errnos, messages, tables, lookups and tap0', () => {
    fc.assert(agreesWithModel(d, A6_OPS, A6, deviceSequences(A6, 3, A6_OPS, tapAddress(A6, 3))), { numRuns: RUNS * 2 });
  });
});
