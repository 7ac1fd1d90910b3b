/**
 * A PF_ROUTE socket: write(2) into route_output, a bounded receive buffer with RTM_DESYNC on
 * overflow (raw(7F)-style counters), socket options and shutdown. Reading: `read()`, an async
 * iterator, or 'message' events (with a 'message' listener the socket is in flowing mode and
 * nothing is buffered).
 */
import { EventEmitter } from 'node:events';
import {
  AF_ROUTE, DEFAULT_RCVBUF, ROUTE_FLAGFILTER, ROUTE_MSGFILTER, ROUTE_PRIOFILTER, ROUTE_TABLEFILTER, RTABLE_ANY, RTP_MAX,
  SHUT_RD, SHUT_RDWR, SHUT_WR, SOL_SOCKET, SO_RCVBUF, SO_RTABLE, SO_USELOOPBACK,
} from './constants.js';
import type { Listener } from './delivery.js';
import { fail } from './errno.js';

/** What a socket needs from its kernel. */
export interface SocketHost {
  output(sock: RoutingSocket, bytes: Uint8Array): number;
  detach(sock: RoutingSocket): void;
  tableExists(id: number): boolean;
  desyncMessage(): Uint8Array;
  /** RTM_DESYNC is queued only while this says the socket still needs it. */
  readonly lowWater: number;
  readonly routeOptions: ReadonlySet<number>;
  /** sb_max: the largest SO_RCVBUF. */
  readonly socketBufferMax: number;
  /** The arch's byte order, in which option values given as bytes are read. */
  readonly littleEndian: boolean;
}

export interface SocketOptions {
  /** Address-family filter (the socket(2) protocol); 0 = all. */
  family?: number;
  uid?: number;
  pid?: number;
  /** The process's routing table (default table filter and SO_RTABLE). */
  rtable?: number;
}

export interface SocketStats {
  /** Messages appended to the receive buffer (or handed to 'message' listeners). */
  delivered: number;
  /** Messages dropped because the receive buffer was full (or FLUSH was pending). */
  droppedNoBuffer: number;
  /** RTM_DESYNC messages queued. */
  desyncs: number;
}

export class RoutingSocket extends EventEmitter implements Listener, AsyncIterable<Uint8Array> {
  readonly family: number;
  readonly uid: number;
  readonly pid: number;
  rtable: number;
  useLoopback = true;
  receiveShut = false;
  sendShut = false;
  msgFilter = 0;
  flagFilter = 0;
  prioFilter = 0;
  tableFilter: number;
  flushing = false;
  rcvbuf = DEFAULT_RCVBUF;
  closed = false;
  readonly stats: SocketStats = { delivered: 0, droppedNoBuffer: 0, desyncs: 0 };
  private readonly queue: Uint8Array[] = [];
  private head = 0;
  private queued = 0;
  private desyncPending = false;
  private waiters: ((m: Uint8Array | null) => void)[] = [];

  constructor(private readonly host: SocketHost, opts: SocketOptions) {
    super();
    this.family = opts.family ?? 0;
    this.uid = opts.uid ?? 0;
    this.pid = opts.pid ?? process.pid;
    this.rtable = opts.rtable ?? 0;
    this.tableFilter = this.rtable;
  }

  /**
   * write(2): returns the byte count, or throws RtsockErrno like route_output. A closed socket
   * has no descriptor (EBADF); after shutdown(SHUT_WR) sosend refuses with EPIPE (the SIGPIPE
   * that comes with it is not modelled).
   */
  write(bytes: Uint8Array): number {
    if (this.closed) fail('EBADF', 'socket closed');
    if (this.sendShut) fail('EPIPE', 'send side shut down');
    return this.host.output(this, bytes);
  }

  /** Bytes waiting in the receive buffer. */
  get bufferedBytes(): number {
    return this.queued;
  }

  /** Next message, or null when none is buffered. */
  read(): Uint8Array | null {
    if (this.head >= this.queue.length) return null;
    const m = this.queue[this.head]!;
    this.queue[this.head++] = undefined as unknown as Uint8Array;
    this.queued -= m.length;
    if (this.head === this.queue.length) {
      // Every slot is already cleared; pop() is much cheaper than a length write for the
      // common one-message queue.
      if (this.queue.length === 1) this.queue.pop();
      else this.queue.length = 0;
      this.head = 0;
      // Drained completely: the kernel leaves FLUSH state and may now deliver again.
      this.flushing = false;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.desyncPending) this.tryDesync();
    return m;
  }

  /** Called by delivery for each accepted message. */
  enqueue(bytes: Uint8Array): void {
    if (this.listenerCount('message') > 0 && this.queued === 0) {
      this.stats.delivered++;
      this.emit('message', bytes);
      return;
    }
    const space = this.rcvbuf - this.queued;
    if (space < this.host.lowWater || space < bytes.length) {
      this.stats.droppedNoBuffer++;
      this.flushing = true;
      this.desyncPending = true;
      this.tryDesync();
      return;
    }
    this.append(bytes);
    this.stats.delivered++;
  }

  private append(bytes: Uint8Array): void {
    // Checked first: shift() on the (usually) empty waiter list is a call per message.
    const w = this.waiters.length > 0 ? this.waiters.shift() : undefined;
    if (w) {
      w(bytes);
      return;
    }
    this.queue.push(bytes);
    this.queued += bytes.length;
  }

  /** Appends the pending RTM_DESYNC if it fits (it skips the low-water check). */
  private tryDesync(): void {
    const d = this.host.desyncMessage();
    if (this.rcvbuf - this.queued < d.length) return;
    this.desyncPending = false;
    this.stats.desyncs++;
    this.append(d);
  }

  /**
   * setsockopt(2). SOL_SOCKET options are sosetopt's (values of at least an int); AF_ROUTE
   * options are route_ctloutput's (exactly 4 bytes, options the dialect knows).
   */
  setsockopt(level: number, name: number, value: number | Uint8Array): void {
    if (this.closed) fail('EBADF', 'socket closed');
    if (level === SOL_SOCKET) {
      this.setSocketOption(name, value);
      return;
    }
    if (level !== AF_ROUTE) fail('EINVAL', 'level must be AF_ROUTE');
    if (!this.host.routeOptions.has(name)) fail('ENOPROTOOPT');
    const v = optionValue(value, true, this.host.littleEndian);
    switch (name) {
      case ROUTE_MSGFILTER: this.msgFilter = v; return;
      case ROUTE_TABLEFILTER:
        if (v !== RTABLE_ANY && !this.host.tableExists(v)) fail('ENOENT', 'no such table');
        this.tableFilter = v;
        return;
      case ROUTE_PRIOFILTER:
        if (v > RTP_MAX) fail('EINVAL', 'priority filter above RTP_MAX');
        this.prioFilter = v;
        return;
      case ROUTE_FLAGFILTER: this.flagFilter = v; return;
    }
  }

  private setSocketOption(name: number, value: number | Uint8Array): void {
    switch (name) {
      case SO_USELOOPBACK: this.useLoopback = optionValue(value, false, this.host.littleEndian) !== 0; return;
      case SO_RCVBUF: {
        // The value is a C int: zero or negative reserves 1 byte (sosetopt), beyond sb_max is
        // ENOBUFS (sbreserve), and a socket shut for reading takes no new size.
        const v = optionValue(value, false, this.host.littleEndian) | 0;
        if (this.receiveShut) fail('EINVAL', 'SO_RCVBUF after shutdown(SHUT_RD)');
        const size = v <= 0 ? 1 : v;
        if (size > this.host.socketBufferMax) fail('ENOBUFS', `SO_RCVBUF above sb_max (${this.host.socketBufferMax})`);
        this.rcvbuf = size;
        return;
      }
      case SO_RTABLE: return rtableOption();
      default: fail('ENOPROTOOPT');
    }
  }

  /** getsockopt(2), as sogetopt and route_ctloutput answer it. */
  getsockopt(level: number, name: number): number {
    if (this.closed) fail('EBADF', 'socket closed');
    if (level === SOL_SOCKET) {
      switch (name) {
        // so_options & SO_USELOOPBACK: the option's bit, not 1.
        case SO_USELOOPBACK: return this.useLoopback ? SO_USELOOPBACK : 0;
        case SO_RCVBUF: return this.rcvbuf;
        case SO_RTABLE: return rtableOption();
        default: fail('ENOPROTOOPT');
      }
    }
    if (level !== AF_ROUTE) fail('EINVAL', 'level must be AF_ROUTE');
    if (!this.host.routeOptions.has(name)) fail('ENOPROTOOPT');
    switch (name) {
      case ROUTE_MSGFILTER: return this.msgFilter;
      case ROUTE_TABLEFILTER: return this.tableFilter;
      case ROUTE_PRIOFILTER: return this.prioFilter;
      default: return this.flagFilter;
    }
  }

  shutdown(how: number): void {
    if (this.closed) fail('EBADF', 'socket closed');
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) fail('EINVAL', 'shutdown how');
    if (how !== SHUT_WR) {
      this.receiveShut = true;
      this.queue.length = 0;
      this.head = 0;
      this.queued = 0;
      this.wakeAll();
    }
    if (how !== SHUT_RD) this.sendShut = true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.receiveShut = true;
    this.host.detach(this);
    this.queue.length = 0;
    this.head = 0;
    this.queued = 0;
    this.wakeAll();
  }

  private wakeAll(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w(null);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const m = this.read();
      if (m) {
        yield m;
        continue;
      }
      if (this.receiveShut) return;
      const next = await new Promise<Uint8Array | null>((resolve) => this.waiters.push(resolve));
      if (next === null) return;
      yield next;
    }
  }
}

/**
 * SO_RTABLE, set or get: sosetopt/sogetopt hand it to the protocol with the domain's protocol
 * number as level; routesw has none (0), and route_ctloutput refuses every level but AF_ROUTE.
 */
function rtableOption(): never {
  return fail('EINVAL', 'SO_RTABLE on a routing socket (route_ctloutput: level is not AF_ROUTE)');
}

/**
 * An option value as the kernel reads it: a number (an integer, taken modulo 2^32) or its bytes
 * in the arch's byte order. route_ctloutput wants exactly 4 bytes (`exact`), sosetopt at least
 * an int and reads the first 4.
 */
function optionValue(value: number | Uint8Array, exact: boolean, littleEndian: boolean): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) fail('EINVAL', 'option value');
    return value >>> 0;
  }
  if (exact ? value.length !== 4 : value.length < 4) fail('EINVAL', `option value must be ${exact ? '' : 'at least '}4 bytes`);
  return new DataView(value.buffer, value.byteOffset, 4).getUint32(0, littleEndian);
}
