/**
 * The routing socket's own API: getsockopt/setsockopt as sogetopt/sosetopt and route_ctloutput
 * answer them (values, byte order, sizes, errnos), and the three ways of reading (read(), the
 * async iterator, 'message' events) with the receive queue behind them.
 */
import {
  AF_ROUTE, DEFAULT_RCVBUF, ROUTE_FILTER, ROUTE_FLAGFILTER, ROUTE_MSGFILTER, ROUTE_PRIOFILTER, ROUTE_TABLEFILTER,
  RTABLE_ANY, RTM_ADD, RTM_GET, SHUT_RD, SHUT_WR, SOL_SOCKET, SO_RCVBUF, SO_RTABLE, SO_USELOOPBACK,
} from '../../src/kernel/constants.js';
import { createKernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { DIALECTS, decode, drain, errnoOf, loopbackKernel, routeMsg } from './helpers.js';

/** sb_max of each dialect (SO_RCVBUF above it is ENOBUFS). */
const SB_MAX = { 'openbsd-4.9': 256 * 1024, openbsd: 2 * 1024 * 1024 } as const;

describe.each(DIALECTS)('socket options (%s)', (d) => {
  const current = d === 'openbsd';

  it('getsockopt reads the defaults: loopback as its option bit, the buffer size, filters off, the table filter', () => {
    const k = createKernel({ dialect: d });
    k.addTable(3, 0);
    const s = k.socket();
    expect(s.getsockopt(SOL_SOCKET, SO_USELOOPBACK)).toBe(SO_USELOOPBACK);
    expect(s.getsockopt(SOL_SOCKET, SO_RCVBUF)).toBe(DEFAULT_RCVBUF);
    expect(s.getsockopt(AF_ROUTE, ROUTE_MSGFILTER)).toBe(0);
    expect(s.getsockopt(AF_ROUTE, ROUTE_TABLEFILTER)).toBe(0);
    expect(k.socket({ rtable: 3 }).getsockopt(AF_ROUTE, ROUTE_TABLEFILTER)).toBe(3);
    for (const o of [ROUTE_PRIOFILTER, ROUTE_FLAGFILTER]) {
      if (current) expect(s.getsockopt(AF_ROUTE, o)).toBe(0);
      else expect(errnoOf(() => s.getsockopt(AF_ROUTE, o))).toBe(ERRNO.ENOPROTOOPT);
    }
  });

  it('what setsockopt stores, getsockopt returns', () => {
    const { s } = loopbackKernel(d);
    s.setsockopt(AF_ROUTE, ROUTE_MSGFILTER, ROUTE_FILTER(RTM_ADD) | ROUTE_FILTER(RTM_GET));
    expect(s.getsockopt(AF_ROUTE, ROUTE_MSGFILTER)).toBe((1 << RTM_ADD) | (1 << RTM_GET));
    expect(s.getsockopt(AF_ROUTE, ROUTE_TABLEFILTER)).toBe(RTABLE_ANY);
    s.setsockopt(SOL_SOCKET, SO_USELOOPBACK, 0);
    expect(s.getsockopt(SOL_SOCKET, SO_USELOOPBACK)).toBe(0);
    s.setsockopt(SOL_SOCKET, SO_USELOOPBACK, 5);
    expect(s.getsockopt(SOL_SOCKET, SO_USELOOPBACK)).toBe(SO_USELOOPBACK);
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096);
    expect(s.getsockopt(SOL_SOCKET, SO_RCVBUF)).toBe(4096);
    if (current) {
      s.setsockopt(AF_ROUTE, ROUTE_PRIOFILTER, 8);
      s.setsockopt(AF_ROUTE, ROUTE_FLAGFILTER, 0x800);
      expect([s.getsockopt(AF_ROUTE, ROUTE_PRIOFILTER), s.getsockopt(AF_ROUTE, ROUTE_FLAGFILTER)]).toEqual([8, 0x800]);
    }
  });

  it('values given as bytes are read in the arch byte order', () => {
    const bytes = new Uint8Array([0, 0, 0, 1 << 2]);
    const le = createKernel({ dialect: d, arch: 'amd64' }).socket();
    const be = createKernel({ dialect: d, arch: 'sparc64' }).socket();
    le.setsockopt(AF_ROUTE, ROUTE_MSGFILTER, bytes);
    be.setsockopt(AF_ROUTE, ROUTE_MSGFILTER, bytes);
    expect(le.getsockopt(AF_ROUTE, ROUTE_MSGFILTER)).toBe(0x04000000);
    expect(be.getsockopt(AF_ROUTE, ROUTE_MSGFILTER)).toBe(4);
  });

  it('socket-level values need at least an int, route options exactly 4 bytes', () => {
    const { s } = loopbackKernel(d);
    const eight = new Uint8Array(8);
    new DataView(eight.buffer).setUint32(0, 2048, true);
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, eight);
    expect(s.getsockopt(SOL_SOCKET, SO_RCVBUF)).toBe(2048);
    expect(errnoOf(() => s.setsockopt(SOL_SOCKET, SO_USELOOPBACK, new Uint8Array(3)))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => s.setsockopt(AF_ROUTE, ROUTE_MSGFILTER, eight))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => s.setsockopt(AF_ROUTE, ROUTE_MSGFILTER, 1.5))).toBe(ERRNO.EINVAL);
    expect(s.getsockopt(AF_ROUTE, ROUTE_MSGFILTER)).toBe(0);
  });

  it('SO_RCVBUF: zero or negative reserves 1 byte, above sb_max is ENOBUFS, none after SHUT_RD', () => {
    const { s } = loopbackKernel(d);
    for (const v of [0, -5, 0xffffffff]) {
      s.setsockopt(SOL_SOCKET, SO_RCVBUF, v);
      expect(s.getsockopt(SOL_SOCKET, SO_RCVBUF)).toBe(1);
    }
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, SB_MAX[d]);
    expect(s.getsockopt(SOL_SOCKET, SO_RCVBUF)).toBe(SB_MAX[d]);
    expect(errnoOf(() => s.setsockopt(SOL_SOCKET, SO_RCVBUF, SB_MAX[d] + 1))).toBe(ERRNO.ENOBUFS);
    expect(s.getsockopt(SOL_SOCKET, SO_RCVBUF)).toBe(SB_MAX[d]);
    s.shutdown(SHUT_RD);
    expect(errnoOf(() => s.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096))).toBe(ERRNO.EINVAL);
    expect(s.getsockopt(SOL_SOCKET, SO_RCVBUF)).toBe(SB_MAX[d]);
  });

  it('a 1-byte buffer takes nothing: every message is dropped and counted', () => {
    const { k, s } = loopbackKernel(d);
    const w = k.socket();
    w.shutdown(SHUT_RD);
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, 0);
    w.write(routeMsg(d, { dst: '10.0.0.0', plen: 8, gw: '192.0.2.1' }));
    expect(s.read()).toBeNull();
    expect(s.stats.droppedNoBuffer).toBe(1);
    expect(s.stats.delivered).toBe(0);
  });

  it('SO_RTABLE is EINVAL on a routing socket, set or get, even for root and an existing table', () => {
    const k = createKernel({ dialect: d });
    const s = k.socket({ uid: 0 });
    expect(errnoOf(() => s.setsockopt(SOL_SOCKET, SO_RTABLE, 0))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => s.getsockopt(SOL_SOCKET, SO_RTABLE))).toBe(ERRNO.EINVAL);
    expect(s.getsockopt(AF_ROUTE, ROUTE_TABLEFILTER)).toBe(0);
  });

  it('unknown options are ENOPROTOOPT at either level; other levels are EINVAL', () => {
    const { s } = loopbackKernel(d);
    expect(errnoOf(() => s.setsockopt(SOL_SOCKET, 0x9999, 1))).toBe(ERRNO.ENOPROTOOPT);
    expect(errnoOf(() => s.getsockopt(SOL_SOCKET, 0x9999))).toBe(ERRNO.ENOPROTOOPT);
    expect(errnoOf(() => s.getsockopt(AF_ROUTE, 77))).toBe(ERRNO.ENOPROTOOPT);
    expect(errnoOf(() => s.getsockopt(6, ROUTE_MSGFILTER))).toBe(ERRNO.EINVAL);
  });
});

describe.each(DIALECTS)('reading a socket (%s)', (d) => {
  /** A reader, and a writer that reads nothing (its replies still reach the reader). */
  function pair(): { s: RoutingSocket; write: (n: number) => void } {
    const { k, s } = loopbackKernel(d);
    const w = k.socket();
    w.shutdown(SHUT_RD);
    return { s, write: (n) => void w.write(routeMsg(d, { type: 'RTM_GET', dst: '192.0.2.1', seq: n })) };
  }
  const seqs = (ms: Uint8Array[]) => ms.map((m) => decode(d, m).seq);

  it("'message' listeners get each message as it comes, and nothing is buffered", () => {
    const { s, write } = pair();
    const got: Uint8Array[] = [];
    s.on('message', (m: Uint8Array) => got.push(m));
    write(1);
    write(2);
    expect(seqs(got)).toEqual([1, 2]);
    expect(s.read()).toBeNull();
    expect(s.bufferedBytes).toBe(0);
    expect(s.stats.delivered).toBe(2);
  });

  it('messages buffered before a listener came are read first, in order; events resume once drained', () => {
    const { s, write } = pair();
    write(1);
    const got: Uint8Array[] = [];
    s.on('message', (m: Uint8Array) => got.push(m));
    write(2);
    expect(got).toHaveLength(0);
    expect(seqs([s.read()!, s.read()!])).toEqual([1, 2]);
    write(3);
    expect(seqs(got)).toEqual([3]);
  });

  it('the async iterator yields what is buffered, then waits for the next message', async () => {
    const { s, write } = pair();
    write(1);
    const it = s[Symbol.asyncIterator]();
    expect(seqs([(await it.next()).value as Uint8Array])).toEqual([1]);
    const pending = it.next();
    write(2);
    // Handed straight to the waiting reader: never in the buffer.
    expect(s.bufferedBytes).toBe(0);
    expect(seqs([(await pending).value as Uint8Array])).toEqual([2]);
    expect(s.stats.delivered).toBe(2);
  });

  it('the async iterator ends on shutdown(SHUT_RD) and on close, also while it waits', async () => {
    const a = pair();
    const waiting = a.s[Symbol.asyncIterator]().next();
    a.s.shutdown(SHUT_RD);
    expect((await waiting).done).toBe(true);
    const b = pair();
    b.write(1);
    b.s.close();
    const out: Uint8Array[] = [];
    for await (const m of b.s) out.push(m);
    expect(out).toHaveLength(0);
  });

  it('after shutdown(SHUT_WR) a write is EPIPE; a closed socket is EBADF for every call but read and close', () => {
    const { s } = pair();
    const get = routeMsg(d, { type: 'RTM_GET', dst: '192.0.2.1' });
    s.shutdown(SHUT_WR);
    expect(errnoOf(() => s.write(get))).toBe(ERRNO.EPIPE);
    s.close();
    expect(errnoOf(() => s.write(get))).toBe(ERRNO.EBADF);
    expect(errnoOf(() => s.setsockopt(AF_ROUTE, ROUTE_MSGFILTER, 0))).toBe(ERRNO.EBADF);
    expect(errnoOf(() => s.getsockopt(SOL_SOCKET, SO_RCVBUF))).toBe(ERRNO.EBADF);
    expect(errnoOf(() => s.shutdown(SHUT_RD))).toBe(ERRNO.EBADF);
    expect(s.read()).toBeNull();
    s.close();
  });

  it('a long queue read mostly through keeps its order (the read part is dropped from the front)', () => {
    const { s, write } = pair();
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, SB_MAX[d]);
    for (let n = 1; n <= 1200; n++) write(n);
    expect(s.stats.droppedNoBuffer).toBe(0);
    const first: Uint8Array[] = [];
    for (let i = 0; i < 1100; i++) first.push(s.read()!);
    for (let n = 1201; n <= 1250; n++) write(n);
    const rest = drain(d, s).map((m) => m.seq);
    expect(seqs(first.slice(-2))).toEqual([1099, 1100]);
    expect(rest).toEqual(Array.from({ length: 150 }, (_, i) => 1101 + i));
    expect(s.bufferedBytes).toBe(0);
  });
});
