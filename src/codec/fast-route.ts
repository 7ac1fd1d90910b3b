/**
 * A specialised decoder and encoder for the commonest routing message: an rt_msghdr whose
 * sockaddrs are plain sockaddr_in in DST, GATEWAY and NETMASK (every IPv4 route of a dump;
 * the encoder takes plain sockaddr_in6 there too, as in a request for an IPv6 route). The
 * header is read and written by straight-line code generated from the
 * dialect's layout table (no offsets written here), the sockaddrs by fast-inet.ts. The
 * decoder also reads every other rt_msghdr with hdrlen = sizeof (replies with IFP and IFA,
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
import { FAST_ADDRS, decodeInetSockaddrs, scanInetSockaddrs, writeInetSockaddrs } from './fast-inet.js';
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
 * Encodes at `o` of `out` (`dv` views the same bytes at the same offsets), storing every byte
 * of the message, zeros included (whatever the bytes held before); returns msglen, or -1
 * having written nothing (not this path's message, or it would not end by `limit`).
 */
export type FastEncode = (v: MessageInput, out: Uint8Array, dv: DataView, o: number, type: number, limit: number) => number;

export interface FastRoute {
  readonly decode: FastDecode;
  readonly encode: FastEncode;
  /** {@link encode} for bytes known to be zero (fresh slab memory): absent fields are not stored. */
  readonly encodeOntoZeros: FastEncode;
  /** Longest message `encode` produces. */
  readonly maxLength: number;
}

/**
 * Whether the codec entry points try the fast path first. Only tests turn it off, to
 * compare the fast path with the general one on the same inputs.
 */
export const fastRouteSwitch = { enabled: true };

const FRAMING = ['msglen', 'version', 'type', 'hdrlen', 'addrs'];
/** A 64-bit field's number local when its value does not fit one word (see fieldLines). */
const SLOW = 2 ** 53;

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
  const h = { readU64, readI64, small: SMALL_BIGINTS, decodeInetSockaddrs, decodeReplySockaddrs, decodeSockaddrs, isAllZero, dialect: d, scanInetSockaddrs, writeInetSockaddrs };
  // Generated from our own ABI layout tables, never from input.
  const decode = new Function('h', decoderSource(d, l, le))(h) as FastDecode;
  const encode = new Function('h', encoderSource(d, l, le, false))(h) as FastEncode;
  const encodeOntoZeros = new Function('h', encoderSource(d, l, le, true))(h) as FastEncode;
  // At most three sockaddr_in6 of ROUNDUP(28) bytes each.
  return { decode, encode, encodeOntoZeros, maxLength: l.size + 3 * roundup(28, d.roundup) };
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

/** One field's store: its local, and the statement storing an expression at its offset. */
interface FieldStore { readonly t: string; readonly put: (value: string) => string; readonly wide: boolean; readonly at: string }

/**
 * Straight-line checks of `obj`'s fields into locals (a value the general writer would not
 * store as is bails out), and each field's store.
 */
function fieldLines(l: StructLayout, obj: string, base: string, le: boolean, top: boolean, check: string[], store: FieldStore[], nested: string[], n = { i: 0 }): void {
  for (const f of l.fields) {
    if (top && FRAMING.includes(f.name)) continue;
    const at = `${base} + ${f.offset}`;
    const t = `x${n.i++}`;
    // Nested fields are locals of the whole function (declared first): their struct may be absent.
    if (!top) nested.push(t);
    check.push(`${top ? 'const ' : ''}${t} = ${obj}[${JSON.stringify(f.name)}];`);
    const bail = (bad: string) => check.push(`if (${t} !== undefined && (${bad})) return -1;`);
    const field = (put: (value: string) => string, wide = false) => store.push({ t, put, wide, at });
    switch (f.kind) {
      case 'u8': bail(`(${t} & 0xff) !== ${t}`); field((v) => `out[${at}] = ${v};`); break;
      case 'u16': bail(`(${t} & 0xffff) !== ${t}`); field((v) => `dv.setUint16(${at}, ${v}, ${le});`); break;
      case 'u32': bail(`(${t} >>> 0) !== ${t}`); field((v) => `dv.setUint32(${at}, ${v}, ${le});`); break;
      case 'i32': bail(`(${t} | 0) !== ${t}`); field((v) => `dv.setInt32(${at}, ${v}, ${le});`); break;
      // A 64-bit counter nearly always fits 32 bits: one Number() conversion tells, and two
      // word stores follow. BigInt comparisons and setBig*64 are calls each (about 12 ns a
      // counter more); they stay for the rest. Not BigInt.asUintN: that allocates a bigint.
      case 'u64':
      case 'i64': {
        const u = f.kind === 'u64';
        const [min, max] = u ? [0n, (1n << 64n) - 1n] : [-(1n << 63n), (1n << 63n) - 1n];
        // n: the value as a number when it fits the low word (sign-extended for i64), else SLOW.
        const n = `n${t}`;
        nested.push(n);
        const fits = u ? `${n} >= 0 && ${n} < 4294967296` : `${n} >= -2147483648 && ${n} < 2147483648`;
        check.push(
          `if (${t} !== undefined) {`,
          `if (typeof ${t} !== 'bigint') return -1;`,
          `${n} = Number(${t});`,
          `if (!(${fits})) { if (${t} < ${min}n || ${t} > ${max}n) return -1; ${n} = ${SLOW}; }`,
          '}',
        );
        const [lo, hi] = le ? [at, `${at} + 4`] : [`${at} + 4`, at];
        const high = u ? '0' : `${n} < 0 ? -1 : 0`;
        const set = u ? 'setBigUint64' : 'setBigInt64';
        field((v) => `{ if (${n} !== ${SLOW}) { dv.setInt32(${lo}, ${n}, ${le}); dv.setInt32(${hi}, ${high}, ${le}); } else dv.${set}(${at}, ${v}, ${le}); }`, true);
        break;
      }
      default: {
        const inner: string[] = [];
        fieldLines(f.struct!, t, at, le, false, inner, store, nested, n);
        check.push(`if (${t} !== undefined) {`, `if (typeof ${t} !== 'object' || ${t} === null || Array.isArray(${t})) return -1;`, ...inner, '}');
      }
    }
  }
}

/**
 * The statements storing the fields. `ontoZeros`: the bytes are known to be zero (fresh slab
 * memory), so absent fields are skipped; otherwise every byte is stored, 0 for an absent
 * field, and the caller's bytes need no clearing first (a `fill` call costs more).
 */
function storeLines(store: readonly FieldStore[], ontoZeros: boolean): string[] {
  return store.map(({ t, put, wide, at }) => {
    if (ontoZeros) return `if (${t} !== undefined) ${put(t)}`;
    // An absent 64-bit counter is two word stores: a bigint store is a call.
    return wide ? `if (${t} !== undefined) ${put(t)} else { dv.setInt32(${at}, 0); dv.setInt32(${at} + 4, 0); }` : put(`${t} === undefined ? 0 : ${t}`);
  });
}

function encoderSource(d: Dialect, l: StructLayout, le: boolean, ontoZeros: boolean): string {
  const f = (n: string) => l.fields.find((x) => x.name === n)!;
  const put = (n: string, v: string) => {
    const x = f(n);
    return x.kind === 'u8' ? `out[o + ${x.offset}] = ${v};` : `dv.${x.kind === 'u16' ? 'setUint16' : 'setInt32'}(o + ${x.offset}, ${v}, ${le});`;
  };
  if (f('version').kind !== 'u8' || f('type').kind !== 'u8' || f('msglen').kind !== 'u16') throw new Error('abi: unexpected rt_msghdr framing');
  const check: string[] = [];
  const store: FieldStore[] = [];
  const nested: string[] = [];
  fieldLines(l, 'v', 'o', le, true, check, store, nested);
  if (nested.length > 0) check.unshift(`let ${nested.join(', ')};`);
  return `return function fastEncodeRoute(v, out, dv, o, type, limit) {
  if ((v.hdr !== undefined && v.hdr !== 'rt_msghdr') || v.msglen !== undefined || v.version !== undefined || v.hdrlen !== undefined
    || v.addrs !== undefined || v.hdrpad !== undefined || v.trailer !== undefined) return -1;
  const r = h.scanInetSockaddrs(v.sockaddrs, ${d.roundup});
  if (r < 0) return -1;
  ${check.join('\n  ')}
  const msglen = ${l.size} + (r >>> 3);
  if (o + msglen > limit) return -1;
  ${storeLines(store, ontoZeros).join('\n  ')}
  ${put('msglen', 'msglen')}
  ${put('version', String(d.rtmVersion))}
  ${put('type', 'type')}
  ${put('hdrlen', String(l.size))}
  ${put('addrs', 'r & 7')}
  h.writeInetSockaddrs(dv, o + ${l.size}, ${le});
  return msglen;
};`;
}
