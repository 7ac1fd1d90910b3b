/**
 * A specialised decoder and encoder for the commonest routing message: an rt_msghdr whose
 * sockaddrs are plain sockaddr_in in DST, GATEWAY and NETMASK (every IPv4 route of a dump;
 * the encoder takes plain sockaddr_in6 there too, as in a request for an IPv6 route). The
 * header is read and written by straight-line code generated from the dialect's layout table
 * (no offsets written here): the decoder's here, with the sockaddrs read by fast-inet.ts; the
 * encoder's in fast-route-encode.ts, sockaddrs included. The decoder also reads every other rt_msghdr with hdrlen = sizeof (replies with IFP and IFA,
 * IPv6 routes), taking the general sockaddr walk for them.
 *
 * Both halves only answer when they are sure: the decoder returns undefined and the
 * encoder -1 for anything else (other sockaddr forms, a value the general writer would
 * reject or convert, hdrpad, trailers, caller-set framing fields), and the caller then
 * takes the general path, which gives the same result or raises the error. The results
 * are identical to the general path's: same keys in the same order, same bytes.
 */
import { DEFAULT_ARCH, roundup, type Dialect } from '../abi/dialect.js';
import type { LayoutField, StructLayout } from '../abi/layout.js';
import { SMALL_BIGINTS, readI64, readU64 } from './header.js';
import { FAST_ADDRS, decodeInetSockaddrs } from './fast-inet.js';
import { FRAMING, compileEncoder } from './fast-route-encode.js';
import { REPLY_ADDRS, decodeReplySockaddrs } from './fast-reply.js';
import { decodeSockaddrs } from './sockaddr-list.js';
import { isAllZero } from './bytes.js';
import type { Message, MessageInput } from './message.js';

/**
 * Decodes the message at `o` (msglen, type and bounds already checked), or undefined; throws
 * the general decoder's RtsockDecodeError for sockaddrs it would reject.
 */
export type FastDecode = (b: Uint8Array, dv: DataView, o: number, end: number) => Message | undefined;
/**
 * Encodes at `at` of `target` (a byte offset of a DataView, or a word index of an Int32Array
 * over 4-aligned memory), storing every byte of the message, zeros included (whatever the
 * bytes held before); returns msglen, or -1 having written nothing (not this path's message,
 * or longer than `room` bytes).
 */
export type FastEncode<T extends DataView | Int32Array> = (v: MessageInput, target: T, at: number, type: number, room: number) => number;

export interface FastRoute {
  readonly decode: FastDecode;
  /** Into a DataView, at any byte offset. */
  readonly encode: FastEncode<DataView>;
  /** Into host-order words: the faster stores, for a target at a 4-aligned address. */
  readonly encodeWords: FastEncode<Int32Array>;
  /** {@link encodeWords} for bytes known to be zero (fresh slab memory): absent fields are not stored. */
  readonly encodeWordsOntoZeros: FastEncode<Int32Array>;
  /** Longest message the encoders produce. */
  readonly maxLength: number;
}

/**
 * Whether the codec entry points try the fast path first. Only tests turn it off, to
 * compare the fast path with the general one on the same inputs.
 */
export const fastRouteSwitch = { enabled: true };

const built = new WeakMap<Dialect, FastRoute | null>();

/** The fast path of a dialect, or undefined if its rt_msghdr has a shape this does not handle. */
export function fastRoute(d: Dialect): FastRoute | undefined {
  let f = built.get(d);
  if (f === undefined) built.set(d, (f = compile(d) ?? null));
  return f ?? undefined;
}

function scalar(l: StructLayout): boolean {
  return l.fields.every((f) => (f.kind === 'struct' ? scalar(f.struct!) : ['u8', 'u16', 'u32', 'i32', 'u64', 'i64'].includes(f.kind)));
}

const WIDTH: Record<string, number> = { u8: 1, u16: 2, u32: 4, i32: 4, u64: 8, i64: 8 };

/** Whether the fields cover every byte of the struct (the encoder stores fields only). */
function gapless(l: StructLayout): boolean {
  let at = 0;
  for (const f of l.fields) {
    if (f.offset !== at) return false;
    if (f.kind === 'struct' && !gapless(f.struct!)) return false;
    at += f.kind === 'struct' ? f.struct!.size : WIDTH[f.kind]!;
  }
  return at === l.size;
}

function compile(d: Dialect): FastRoute | undefined {
  const l = d.headers.rt_msghdr;
  // Gaps, char arrays and struct arrays need the general reader's conversions.
  if (!l || !scalar(l) || !gapless(l) || roundup(16, d.roundup) !== 16) return undefined;
  const field = (n: string) => l.fields.find((f) => f.name === n);
  if (FRAMING.some((n) => field(n) === undefined) || field('hdrlen')!.kind !== 'u16' || field('addrs')!.kind !== 'i32') return undefined;
  const le = d.littleEndian;
  const h = { readU64, readI64, small: SMALL_BIGINTS, decodeInetSockaddrs, decodeReplySockaddrs, decodeSockaddrs, isAllZero, dialect: d };
  // Generated from our own ABI layout tables, never from input.
  const decode = new Function('h', decoderSource(d, l, le))(h) as FastDecode;
  const encode = compileEncoder<DataView>(d, l, 'dataView', false);
  const encodeWords = compileEncoder<Int32Array>(d, l, 'words', false);
  const encodeWordsOntoZeros = compileEncoder<Int32Array>(d, l, 'words', true);
  if (!encode || !encodeWords || !encodeWordsOntoZeros) return undefined;
  // At most three sockaddr_in6 of ROUNDUP(28) bytes each.
  return { decode, encode, encodeWords, encodeWordsOntoZeros, maxLength: l.size + 3 * roundup(28, d.roundup) };
}

function readExpr(f: LayoutField, at: string, le: boolean): string {
  switch (f.kind) {
    case 'u8': return `b[${at}]`;
    case 'u16': return `dv.getUint16(${at}, ${le})`;
    case 'u32': return `dv.getUint32(${at}, ${le})`;
    case 'i32': return `dv.getInt32(${at}, ${le})`;
    // Shared small bigints, as the general reader returns; the common case (a small value
    // seen before) read inline: two word reads and an array load.
    case 'u64':
    case 'i64': {
      const [hi, lo] = le ? [`${at} + 4`, at] : [at, `${at} + 4`];
      const read = `h.${f.kind === 'u64' ? 'readU64' : 'readI64'}(dv, ${at}, ${le})`;
      return `(dv.getUint32(${hi}, ${le}) === 0 ? (h.small[dv.getUint32(${lo}, ${le})] ?? ${read}) : ${read})`;
    }
    default: return `{ ${fieldsLiteral(f.struct!, at, le)} }`;
  }
}

/** `name: read, ...` in layout order: the key order of the general reader's objects. */
function fieldsLiteral(l: StructLayout, base: string, le: boolean): string {
  return l.fields.map((f) => `${JSON.stringify(f.name)}: ${readExpr(f, `${base} + ${f.offset}`, le)}`).join(', ');
}

function decoderSource(d: Dialect, l: StructLayout, le: boolean): string {
  const off = (n: string) => l.fields.find((f) => f.name === n)!.offset;
  // The general decoder adds dialect, hdr and sockaddrs after the fields, arch (not amd64) last.
  const arch = d.arch === DEFAULT_ARCH ? '' : `, arch: ${JSON.stringify(d.arch)}`;
  return `return function fastDecodeRoute(b, dv, o, end) {
  if (dv.getUint16(o + ${off('hdrlen')}, ${le}) !== ${l.size}) return undefined;
  const addrs = dv.getInt32(o + ${off('addrs')}, ${le});
  let sockaddrs;
  if ((addrs & 1) !== 0 && (addrs & ~${REPLY_ADDRS}) === 0) {
    // IPv4 DST/GATEWAY/NETMASK (dumps, requests) first; then the kernel's reply shapes, IPv6 too.
    if ((addrs & ~${FAST_ADDRS}) === 0) sockaddrs = h.decodeInetSockaddrs(b, dv, o + ${l.size}, end, addrs, ${d.roundup});
    if (sockaddrs === undefined) sockaddrs = h.decodeReplySockaddrs(b, dv, o + ${l.size}, end, addrs, h.dialect);
  }
  if (sockaddrs === undefined) {
    // Other sockaddrs (IFP, IFA, IPv6, labels...): the general walk, which throws what the
    // general path would; a message with a trailer is left to the general path.
    sockaddrs = {};
    const pos = addrs === 0 ? o + ${l.size} : h.decodeSockaddrs(b, dv, o, o + ${l.size}, end, addrs, h.dialect, sockaddrs);
    if (pos < end && !h.isAllZero(b, pos, end)) return undefined;
  }
  return { ${fieldsLiteral(l, 'o', le)}, dialect: ${JSON.stringify(d.name)}, hdr: 'rt_msghdr', sockaddrs${arch} };
};`;
}
