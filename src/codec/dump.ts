/**
 * Dumps and streams: many messages back to back (a sysctl NET_RT_DUMP / NET_RT_IFLIST
 * buffer, or what routing-socket reads returned), split by msglen. As route(4) says,
 * a message whose version or type is not understood is skipped by its msglen; each skip
 * is reported, and its raw bytes are kept so nothing is lost.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { DEFAULT_ARCH, getDialect, dialectForVersion } from '../abi/dialect.js';
import { RtsockDecodeError } from './errors.js';
import { decodeMessageAt, type CodecOptions, type Message } from './message.js';

/** A message that was skipped: why, where, and its bytes. */
export interface SkippedMessage {
  readonly offset: number;
  readonly error: RtsockDecodeError;
  readonly bytes: Uint8Array;
}

export type DumpItem = { readonly offset: number; readonly message: Message } | { readonly offset: number; readonly skipped: SkippedMessage };

export interface DumpResult {
  readonly messages: Message[];
  readonly skipped: SkippedMessage[];
}

function hostU16(b: Uint8Array, off: number, le: boolean): number {
  return le ? b[off]! | (b[off + 1]! << 8) : (b[off]! << 8) | b[off + 1]!;
}

/**
 * Decodes the message at `off` of a dump, or explains why it is skipped (unknown version or
 * type: route(4) says to skip those by msglen). Framing errors throw.
 */
function decodeOrSkip(bytes: Uint8Array, dv: DataView, off: number, msglen: number, opts?: CodecOptions): Message | SkippedMessage {
  const version = bytes[off + 2]!;
  if (!opts?.dialect && dialectForVersion(version) === undefined) {
    const error = new RtsockDecodeError('UNKNOWN_VERSION', off + 2, `routing message version ${version} not understood`);
    return { offset: off, error, bytes: bytes.subarray(off, off + msglen) };
  }
  try {
    return decodeMessageAt(bytes, dv, off, opts);
  } catch (e) {
    if (!(e instanceof RtsockDecodeError) || e.code !== 'UNKNOWN_TYPE') throw e;
    return { offset: off, error: e, bytes: bytes.subarray(off, off + msglen) };
  }
}

function isSkipped(x: Message | SkippedMessage): x is SkippedMessage {
  return (x as SkippedMessage).error instanceof RtsockDecodeError;
}

/**
 * Iterates the messages of a dump. Skippable problems (unknown version or type) yield a
 * `skipped` item and go on; framing problems (msglen 0, shorter than a header, or past the
 * end) make the rest unreadable and throw RtsockDecodeError with the offset.
 */
export function* iterateMessages(bytes: Uint8Array, opts?: CodecOptions): Generator<DumpItem> {
  const le = getDialect(undefined, opts?.arch ?? DEFAULT_ARCH).littleEndian;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let off = 0; off < bytes.length;) {
    const msglen = frame(bytes, off, le);
    const x = decodeOrSkip(bytes, dv, off, msglen, opts);
    yield isSkipped(x) ? { offset: off, skipped: x } : { offset: off, message: x };
    off += msglen;
  }
}

/**
 * Calls `onMessage` for each message of a dump and `onSkip` for each skipped one, in order,
 * without building intermediate items: the fastest way through a large dump.
 * See iterateMessages for what is skipped and what throws.
 */
export function forEachMessage(
  bytes: Uint8Array, onMessage: (m: Message, offset: number) => void, onSkip?: (s: SkippedMessage) => void, opts?: CodecOptions,
): void {
  const le = getDialect(undefined, opts?.arch ?? DEFAULT_ARCH).littleEndian;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let off = 0; off < bytes.length;) {
    const msglen = frame(bytes, off, le);
    const x = decodeOrSkip(bytes, dv, off, msglen, opts);
    if (isSkipped(x)) onSkip?.(x);
    else onMessage(x, off);
    off += msglen;
  }
}

/** The msglen of the message at `off`, checked to frame a message inside the buffer. */
function frame(bytes: Uint8Array, off: number, le: boolean): number {
  const left = bytes.length - off;
  if (left < 4) throw new RtsockDecodeError('SHORT_BUFFER', off, `${left} trailing bytes cannot hold a message header`);
  const msglen = hostU16(bytes, off, le);
  if (msglen < 4) throw new RtsockDecodeError('BAD_MSGLEN', off, `msglen ${msglen} cannot frame a message`);
  if (msglen > left) throw new RtsockDecodeError('BAD_MSGLEN', off, `msglen ${msglen} runs past the ${left} bytes left`);
  return msglen;
}

/** Decodes a whole dump; see iterateMessages for what is skipped and what throws. */
export function decodeMessages(bytes: Uint8Array, opts?: CodecOptions): DumpResult {
  const messages: Message[] = [];
  const skipped: SkippedMessage[] = [];
  forEachMessage(bytes, (m) => messages.push(m), (s) => skipped.push(s), opts);
  return { messages, skipped };
}

/**
 * Reassembles messages from chunks of any size (a file or socket read in pieces) and
 * yields them decoded; memory is bounded by one message (at most 65535 bytes) plus a chunk.
 */
export async function* messagesFrom(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts?: CodecOptions): AsyncGenerator<DumpItem> {
  const framer = new MessageFramer(opts);
  for await (const chunk of chunks) yield* framer.push(chunk);
  framer.end();
}

/** Splits a byte stream into whole messages; the framing half of messagesFrom and the Transform. */
export class MessageFramer {
  private pending: Uint8Array = new Uint8Array(0);
  private consumed = 0;
  private readonly le: boolean;

  constructor(private readonly opts?: CodecOptions) {
    this.le = getDialect(undefined, opts?.arch ?? DEFAULT_ARCH).littleEndian;
  }

  /** Feeds a chunk; yields every message it completes (offsets count from the stream start). */
  *push(chunk: Uint8Array): Generator<DumpItem> {
    const buf = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const base = this.consumed;
    let off = 0;
    while (buf.length - off >= 4) {
      const msglen = hostU16(buf, off, this.le);
      if (msglen < 4) throw new RtsockDecodeError('BAD_MSGLEN', base + off, `msglen ${msglen} cannot frame a message`);
      if (buf.length - off < msglen) break;
      let x: Message | SkippedMessage;
      try {
        x = decodeOrSkip(buf, dv, off, msglen, this.opts);
      } catch (e) {
        throw e instanceof RtsockDecodeError ? e.shifted(base) : e;
      }
      yield isSkipped(x)
        ? { offset: base + off, skipped: { offset: base + off, error: x.error.shifted(base), bytes: x.bytes } }
        : { offset: base + off, message: x };
      off += msglen;
    }
    this.consumed = base + off;
    this.pending = buf.slice(off);
  }

  /** Ends the stream: leftover bytes are a truncated message. */
  end(): void {
    if (this.pending.length > 0) {
      throw new RtsockDecodeError('SHORT_BUFFER', this.consumed, `stream ended inside a message (${this.pending.length} bytes)`);
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * A Node Transform: bytes in, DumpItem objects out (readable side in object mode).
 * Decode errors are emitted as 'error' with the stream offset.
 */
export class MessageDecoderStream extends Transform {
  private readonly framer: MessageFramer;

  constructor(opts?: CodecOptions) {
    super({ readableObjectMode: true });
    this.framer = new MessageFramer(opts);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      for (const item of this.framer.push(chunk)) this.push(item);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.framer.end();
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }
}
