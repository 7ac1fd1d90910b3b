/**
 * Fuzzing route_output's error contract: whatever bytes are written to a routing socket, write()
 * returns their length or throws RtsockErrno (an errno of the table, with its code), never any
 * other exception, and the kernel stays whole: every message it queues is framed (rtm_msglen is
 * its length, rtm_version the dialect's) and decodes (4.9's echoes of requests it did not check
 * may instead fail with RtsockDecodeError), its table dump decodes record by record, its routes
 * list, and a snapshot of it restores to the same snapshot. Inputs: random bytes, and route
 * requests built from random parts (every request type, flags, priorities, tables, sockaddrs of
 * any family and sa_len) then mutated a few bytes at a time, between interface changes, ARP and ND
 * packets, lookups, time passing, and a third socket's options, shutdown and close (whose refusals
 * must be RtsockErrno too). Runs scale with FUZZ_RUNS (npm run fuzz sets 200000: 4,000 sequences
 * per dialect and arch; default 20), which also prints what the writes came to (FUZZ_WHY=1: with
 * the reasons).
 */
import fc from 'fast-check';
import type { ArchName } from '../../src/abi/dialect.js';
import { decodeMessage, encodeMessage, type MessageInput } from '../../src/codec/message.js';
import { decodeMessages } from '../../src/codec/dump.js';
import { RtsockDecodeError } from '../../src/codec/errors.js';
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import { ERRNO, RtsockErrno } from '../../src/kernel/errno.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import {
  AF_ROUTE, RTABLE_ANY, ROUTE_FLAGFILTER, ROUTE_MSGFILTER, ROUTE_PRIOFILTER, ROUTE_TABLEFILTER, SOL_SOCKET, SO_RCVBUF, SO_RTABLE,
  SO_USELOOPBACK,
} from '../../src/kernel/constants.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';

const TOTAL = Number(process.env['FUZZ_RUNS'] ?? 300);
/** Sequences per property: a sequence is several writes into one kernel, so fewer than the codec's cases. */
const RUNS = Math.max(20, Math.ceil(TOTAL / 50));

type DialectName = 'openbsd-4.9' | 'openbsd';
const COMBOS: { dialect: DialectName; arch: ArchName }[] = [];
for (const dialect of ['openbsd-4.9', 'openbsd'] as const) for (const arch of ['amd64', 'i386', 'sparc64'] as const) COMBOS.push({ dialect, arch });

const KNOWN_ERRNOS = new Set<number>(Object.values(ERRNO));

/** What the writes came to, over every run: the inputs must reach route semantics, not only the framing checks. */
const outcomes = new Map<string, number>();
const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
afterAll(() => {
  // eslint-disable-next-line no-console
  if (process.env['FUZZ_RUNS']) console.log(`kernel writes: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
  expect(outcomes.get('taken') ?? 0).toBeGreaterThan(0);
  // Refusals from every stage of route_output: framing, privilege, sockaddrs, route semantics.
  for (const code of ['EINVAL', 'EACCES', 'ESRCH', 'EAFNOSUPPORT']) expect(outcomes.get(code) ?? 0).toBeGreaterThan(0);
});
const VERSION: Record<DialectName, number> = { 'openbsd-4.9': 4, openbsd: 5 };

/** A kernel with somewhere for routes to go: lo1 and an Ethernet-like vether0 holding both families. */
function boot(dialect: DialectName, arch: ArchName, clock: { now: number }): Kernel {
  const k = createKernel({ dialect, arch, clock: () => clock.now });
  k.ifconfig.create('lo1');
  k.ifconfig.up('lo1');
  k.ifconfig.addAddress('lo1', '192.0.2.1/32');
  k.ifconfig.addAddress('lo1', '2001:db8::1/128');
  k.ifconfig.create('vether0');
  k.ifconfig.up('vether0');
  k.ifconfig.addAddress('vether0', '10.0.0.1/24');
  k.ifconfig.addAddress('vether0', '2001:db8:1::1/64');
  return k;
}

// ---------------------------------------------------------------- inputs

const v4 = fc.constantFrom('10.0.0.0', '10.0.0.7', '10.1.0.0', '192.0.2.1', '192.0.2.0', '0.0.0.0', '127.0.0.1', '224.0.0.1', '255.255.255.255');
const v6 = fc.constantFrom('2001:db8::', '2001:db8::1', '2001:db8:1::5', 'fe80::1', '::', '::1', 'ff02::1');
/** sa_len left alone (undefined) most of the time, else anything a byte holds. */
const saLen = fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined, freq: 4 });
const withLen = <T extends object>(sa: T, len: number | undefined): T => (len === undefined ? sa : { ...sa, len });

const sockaddrArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.tuple(v4, saLen).map(([addr, len]) => withLen({ kind: 'inet', addr, port: 0 }, len)),
  fc.tuple(v6, fc.integer({ min: 0, max: 3 }), saLen).map(([addr, scope_id, len]) => withLen({ kind: 'inet6', addr, port: 0, flowinfo: 0, scope_id }, len)),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.constantFrom('', 'lo1', 'vether0'), saLen).map(([index, name, len]) =>
    withLen({ kind: 'link', index, type: 6, name, lladdr: '' }, len)),
  fc.tuple(fc.constantFrom('', 'a', 'some label'), saLen).map(([label, len]) => withLen({ kind: 'label', label }, len)),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 30 })).map(([family, data]) => ({
    kind: 'unknown', family, data: Buffer.from(data).toString('hex'),
  })),
);

const SLOTS = ['dst', 'gateway', 'netmask', 'genmask', 'ifp', 'ifa', 'author', 'brd', 'label'] as const;
/** Any slots holding any sockaddrs: mostly refused, by the sockaddr checks. */
const anySlotsArb = fc.dictionary(fc.constantFrom(...SLOTS), sockaddrArb, { maxKeys: 6 });

function mask4(plen: number): string {
  const m = plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
  return [m >>> 24, (m >>> 16) & 255, (m >>> 8) & 255, m & 255].join('.');
}
function mask6(plen: number): string {
  const g: string[] = [];
  for (let i = 0; i < 8; i++) g.push(((0xffff0000 >>> Math.min(16, Math.max(0, plen - i * 16))) & 0xffff).toString(16));
  return g.join(':');
}
const inetSa = (addr: string) => ({ kind: 'inet', addr, port: 0 });
const inet6Sa = (addr: string) => ({ kind: 'inet6', addr, port: 0, flowinfo: 0, scope_id: 0 });
const extrasArb = fc.record({
  label: fc.option(fc.constantFrom('', 'blue', 'red'), { nil: undefined, freq: 4 }),
  ifp: fc.option(fc.constantFrom(1, 2, 3, 9), { nil: undefined, freq: 6 }),
  ifa: fc.option(fc.constantFrom('10.0.0.1', '192.0.2.1', '2001:db8:1::1'), { nil: undefined, freq: 6 }),
});
/** The slots route(8) fills: a destination, often a gateway (an address or the interface's link) and a mask. */
const routeSlotsArb = fc.oneof(
  fc.record({
    dst: fc.constantFrom('10.0.0.0', '10.0.0.7', '10.1.0.0', '10.2.3.0', '172.16.0.0', '0.0.0.0', '192.0.2.0', '10.0.0.5'),
    gw: fc.option(fc.constantFrom('10.0.0.5', '10.0.0.1', '192.0.2.1', '127.0.0.1', '10.9.9.9', 'link'), { nil: undefined, freq: 8 }),
    plen: fc.option(fc.constantFrom(0, 8, 16, 24, 30, 32), { nil: undefined, freq: 6 }),
    extras: extrasArb,
  }).map(({ dst, gw, plen, extras }) => ({ v6: false, dst, gw, plen, extras })),
  fc.record({
    dst: fc.constantFrom('2001:db8:2::', '2001:db8:1::5', '::', '2001:db8::1', '2001:db8:1::'),
    gw: fc.option(fc.constantFrom('2001:db8:1::5', '2001:db8::1', '2001:db8:ffff::1', 'link'), { nil: undefined, freq: 8 }),
    plen: fc.option(fc.constantFrom(0, 48, 64, 128), { nil: undefined, freq: 6 }),
    extras: extrasArb,
  }).map(({ dst, gw, plen, extras }) => ({ v6: true, dst, gw, plen, extras })),
).map(({ v6, dst, gw, plen, extras }) => {
  const sa = v6 ? inet6Sa : inetSa;
  const slots: Record<string, unknown> = { dst: sa(dst) };
  if (gw === 'link') slots['gateway'] = { kind: 'link', index: 3, type: 6, name: '', lladdr: '' };
  else if (gw !== undefined) slots['gateway'] = sa(gw);
  if (plen !== undefined) slots['netmask'] = v6 ? inet6Sa(mask6(plen)) : inetSa(mask4(plen));
  if (extras.ifp !== undefined) slots['ifp'] = { kind: 'link', index: extras.ifp, type: 6, name: '', lladdr: '' };
  if (extras.ifa !== undefined) slots['ifa'] = extras.ifa.includes(':') ? inet6Sa(extras.ifa) : inetSa(extras.ifa);
  if (extras.label !== undefined) slots['label'] = { kind: 'label', label: extras.label };
  return slots;
});

// RTF_GATEWAY|RTF_STATIC|RTF_UP, RTF_HOST, RTF_CLONING, RTF_MPATH, RTF_BLACKHOLE, RTF_REJECT, RTF_LOCAL, RTF_LLINFO...
const FLAGS = [0x803, 0x803, 0x801, 0x805, 0x901, 0x40803, 0x40801, 0x1803, 0x80b, 0x200801, 0xc01, 0x400801];
/** Request types by weight: mostly the four operations, on routes the sequence may have made. */
const TYPES = [
  ...Array<string>(8).fill('RTM_ADD'), ...Array<string>(4).fill('RTM_DELETE'), ...Array<string>(4).fill('RTM_CHANGE'),
  ...Array<string>(3).fill('RTM_GET'), 'RTM_LOCK', 'RTM_RESOLVE', 'RTM_MISS',
];
const requestArb: fc.Arbitrary<MessageInput> = fc.record({
  type: fc.constantFrom(...TYPES),
  flags: fc.oneof({ weight: 19, arbitrary: fc.constantFrom(...FLAGS) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x7fffffff }) }),
  priority: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: fc.constantFrom(1, 8, 32, 48, 63) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
  tableid: fc.oneof({ weight: 16, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.constantFrom(1, 5) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 300 }) }),
  seq: fc.integer({ min: 0, max: 1000 }),
  slots: fc.oneof({ weight: 9, arbitrary: routeSlotsArb }, { weight: 1, arbitrary: anySlotsArb }),
}).map(({ slots, ...h }) => ({ ...h, sockaddrs: slots } as unknown as MessageInput));

/** The socket a write goes to: root's, a user's (EACCES but for RTM_GET), or a third one the socket calls below act on. */
type Via = 'root' | 'user' | 'listener';

/** A mutation of an encoded message: bytes overwritten, the end cut or extended, rtm_msglen refitted or not. */
const mutationArb = fc.record({
  writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
  resize: fc.oneof(fc.constant(0), fc.integer({ min: -16, max: 16 })),
  refit: fc.boolean(),
});

function mutate(b: Uint8Array, m: { writes: [number, number][]; resize: number; refit: boolean }, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(Math.max(0, b.length + m.resize));
  out.set(b.subarray(0, out.length));
  for (const [at, v] of m.writes) if (out.length > 0) out[at % out.length] = v;
  if (m.refit && out.length >= 2) {
    out[littleEndian ? 0 : 1] = out.length & 0xff;
    out[littleEndian ? 1 : 0] = (out.length >> 8) & 0xff;
  }
  return out;
}

/** One write: random bytes, or a request (encodable or not) and its mutation. */
const writeArb = fc.oneof(
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bytes, request: undefined, mutation: undefined, via: 'root' as Via })) },
  {
    weight: 12,
    arbitrary: fc.record({ request: requestArb, mutation: fc.option(mutationArb, { nil: undefined, freq: 5 }), via: fc.constantFrom<Via>('root', 'root', 'root', 'root', 'root', 'root', 'root', 'root', 'user', 'listener') })
      .map((w) => ({ ...w, bytes: undefined })),
  },
);

/**
 * What else happens to a kernel between writes, so that writes meet (and snapshots hold) the
 * state those make: interfaces going down and up, addresses leaving and coming back, an
 * interface made and destroyed, ARP replies and neighbour advertisements, lookups that clone,
 * and time passing with the timers run. Refusals must be RtsockErrno too.
 */
const kernelStepArb = fc.oneof(
  fc.constantFrom(
    (k: Kernel) => k.ifconfig.down('vether0'),
    (k: Kernel) => k.ifconfig.up('vether0'),
    (k: Kernel) => k.ifconfig.deleteAddress('vether0', '10.0.0.1'),
    (k: Kernel) => k.ifconfig.addAddress('vether0', '10.0.0.1/24'),
    (k: Kernel) => k.ifconfig.addAddress('vether0', '10.0.1.1/24'),
    (k: Kernel) => k.ifconfig.deleteAddress('vether0', '2001:db8:1::1'),
    (k: Kernel) => k.ifconfig.addAddress('vether0', '2001:db8:1::1/64'),
    (k: Kernel) => k.ifconfig.create('vether1'),
    (k: Kernel) => k.ifconfig.destroy('vether1'),
    (k: Kernel) => k.ifconfig.up('vether1'),
    (k: Kernel) => k.ifconfig.addAddress('vether1', '10.0.0.2/24'),
    (k: Kernel) => k.arpResolve('10.0.0.5'),
    (k: Kernel) => k.ndResolve('2001:db8:1::5'),
  ),
  fc.tuple(fc.constantFrom('10.0.0.5', '10.0.0.7', '10.0.1.9'), fc.constantFrom('00:11:22:33:44:55', '00:11:22:33:44:66'))
    .map(([spa, sha]) => (k: Kernel) => k.arpInput('vether0', { op: 'reply', sha, spa, tpa: '10.0.0.1' })),
  fc.tuple(fc.constantFrom('2001:db8:1::5', '2001:db8:1::7'), fc.boolean())
    .map(([target, solicited]) => (k: Kernel) => k.ndInput('vether0', { type: 'na', target, tllao: '00:11:22:33:44:55', solicited, override: true })),
  fc.constantFrom('10.0.0.9', '10.0.1.3', '2001:db8:1::9', '192.0.2.77').map((a) => (k: Kernel) => k.lookup(a)),
  fc.constantFrom(1, 30, 400, 1300).map((dt) => (k: Kernel, clock: { now: number }) => {
    clock.now += dt;
    k.runTimers();
  }),
  // The third socket's calls, with levels, names and values right and wrong: options as numbers
  // or as bytes, shutdown of either side, close.
  fc.tuple(
    fc.constantFrom(SOL_SOCKET, AF_ROUTE, 0, 17),
    fc.constantFrom(SO_USELOOPBACK, SO_RCVBUF, SO_RTABLE, ROUTE_MSGFILTER, ROUTE_TABLEFILTER, ROUTE_PRIOFILTER, ROUTE_FLAGFILTER, 99),
    fc.oneof(fc.constantFrom(0, 1, -1, 64, 200, 2048, 0x7fffffff, 2 ** 32, 1.5, RTABLE_ANY), fc.uint8Array({ maxLength: 8 })),
    fc.boolean(),
  ).map(([level, name, value, get]) => (_k: Kernel, _c: { now: number }, s: RoutingSocket) => (get ? s.getsockopt(level, name) : s.setsockopt(level, name, value))),
  fc.constantFrom(0, 1, 2, 3).map((how) => (_k: Kernel, _c: { now: number }, s: RoutingSocket) => s.shutdown(how)),
  fc.constant((_k: Kernel, _c: { now: number }, s: RoutingSocket) => s.close()),
);

/** A step of a sequence: a write (most of them) or something else happening to the kernel. */
const stepArb = fc.oneof(
  { weight: 4, arbitrary: writeArb.map((write) => ({ write, kernel: undefined })) },
  { weight: 1, arbitrary: kernelStepArb.map((kernel) => ({ write: undefined, kernel })) },
);

// ---------------------------------------------------------------- checks

function bytesOf(w: { bytes?: Uint8Array; request?: MessageInput; mutation?: { writes: [number, number][]; resize: number; refit: boolean } }, dialect: DialectName, arch: ArchName): Uint8Array | undefined {
  if (w.bytes) return w.bytes;
  let b: Uint8Array;
  try {
    b = encodeMessage(w.request!, { dialect, arch });
  } catch {
    return undefined; // a sockaddr the encoder refuses (an sa_len too short to hold its fields)
  }
  return w.mutation ? mutate(b, w.mutation, arch !== 'sparc64') : b;
}

/** write(2)'s contract: the length, or an RtsockErrno of the table. */
function writeChecked(s: RoutingSocket, b: Uint8Array): void {
  try {
    expect(s.write(b)).toBe(b.length);
    count('taken');
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw new Error(`write threw ${String(e)} for ${Buffer.from(b).toString('hex')}`);
    expect(KNOWN_ERRNOS.has(e.errno)).toBe(true);
    expect(ERRNO[e.code]).toBe(e.errno);
    count(e.code);
    if (process.env['FUZZ_WHY']) count(`${e.code}: ${e.message}`);
  }
}

/** A kernel call's contract: it returns, or throws an RtsockErrno of the table. */
function kernelStepChecked(
  step: (k: Kernel, clock: { now: number }, s: RoutingSocket) => unknown, k: Kernel, clock: { now: number }, s: RoutingSocket,
): void {
  try {
    step(k, clock, s);
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw new Error(`a kernel call threw ${String(e)}: ${step.toString()}`);
    expect(KNOWN_ERRNOS.has(e.errno)).toBe(true);
  }
}

/** Every queued message: framed, of the dialect's version, and decodable (4.9: or a typed decode error). */
function drainChecked(s: RoutingSocket, dialect: DialectName, arch: ArchName): void {
  const le = arch !== 'sparc64';
  for (let m = s.read(); m; m = s.read()) {
    expect(m.length).toBeGreaterThanOrEqual(4);
    expect(le ? m[0]! | (m[1]! << 8) : (m[0]! << 8) | m[1]!).toBe(m.length);
    expect(m[2]).toBe(VERSION[dialect]);
    try {
      decodeMessage(m, { dialect, arch });
    } catch (e) {
      // Current's rtm_xaddrs refuses a sockaddr past the end of a request, so all it sends
      // decodes; 4.9's rt_xaddrs checks nothing, and echoes such a request as it was written.
      if (!(e instanceof RtsockDecodeError) || dialect === 'openbsd') throw e;
      if (process.env['FUZZ_WHY']) count(`undecodable type ${m[3]} (${dialect}): ${e.message}`);
    }
  }
}

/** After the writes: the dump decodes, the routes list, a snapshot restores to itself. */
function kernelWhole(k: Kernel, dialect: DialectName, arch: ArchName, clock: { now: number }): void {
  for (const id of k.tableIds()) {
    const dump = k.dump(id);
    const { messages, skipped } = decodeMessages(dump, { dialect, arch });
    expect(skipped).toEqual([]);
    expect(messages.length).toBe(k.routes(id).length);
  }
  const snap = snapshotKernel(k);
  const again = snapshotKernel(restoreKernel(JSON.parse(JSON.stringify(snap)), { clock: () => clock.now }));
  expect(again).toEqual(snap);
}

describe('kernel write fuzz: any bytes give a length or an RtsockErrno, and the kernel stays whole', () => {
  for (const { dialect, arch } of COMBOS) {
    it(`${dialect} ${arch}`, () => {
      fc.assert(
        fc.property(fc.array(stepArb, { minLength: 1, maxLength: 24 }), (steps) => {
          const clock = { now: 1_800_000_000 };
          const k = boot(dialect, arch, clock);
          const root = k.socket();
          root.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
          const user = k.socket({ uid: 1000 });
          const listener = k.socket();
          const via = { root, user, listener };
          for (const { write: w, kernel } of steps) {
            if (kernel) kernelStepChecked(kernel, k, clock, listener);
            else {
              const b = bytesOf(w!, dialect, arch);
              if (!b) continue;
              writeChecked(via[w!.via], b);
            }
            for (const s of [root, user, listener]) drainChecked(s, dialect, arch);
            k.lookup('10.0.0.7');
            k.lookup('2001:db8::1');
          }
          kernelWhole(k, dialect, arch, clock);
        }),
        { numRuns: RUNS },
      );
    });
  }
});
