/**
 * The generated encoder of fast-route.ts: one straight-line function per dialect and store
 * flavour, built from the dialect's rt_msghdr layout table (no offsets written here) and the
 * sockaddr code of fast-inet-encode.ts. It reads and checks every input value into locals
 * first; then, when all of them are values the general writer would store as they are and
 * the message fits, it stores every byte, as 32-bit words; otherwise it returns -1 having
 * written nothing.
 *
 * Words, not fields: the 1- and 2-byte fields sharing a word are combined into one store,
 * and a word store into an Int32Array (the "words" flavour, for 4-aligned targets) costs
 * about half a DataView store, which re-checks the view at every call. Unaligned targets
 * take the DataView flavour.
 */
import type { Dialect } from '../abi/dialect.js';
import type { StructLayout } from '../abi/layout.js';
import { ipv4Word, parseIPv4Word } from './bytes.js';
import { ipv4TextWord } from './addr-text-cache.js';
import { HOST_LE, copyInet6, copyInet6Words, inetSockaddrsSource, scanInet6, trimmedTailIsZero, type StoreFlavour } from './fast-inet-encode.js';
import type { FastEncode } from './fast-route.js';

/** rt_msghdr fields the encoder computes (a message setting one takes the general path). */
export const FRAMING = ['msglen', 'version', 'type', 'hdrlen', 'addrs'];

/** The sockaddr slots handled (RTAX_DST, RTAX_GATEWAY, RTAX_NETMASK). */
const INET_SLOTS = 3;

// 64-bit counters are checked and split into words through a one-element BigInt typed array
// aliased by two int32s (see fieldLines).
const big = new ArrayBuffer(8);
const bigWords = { u64: new BigUint64Array(big), i64: new BigInt64Array(big), words: new Int32Array(big) };
/** Index in bigWords.words of the low word: typed arrays are in host byte order. */
const HOST_LO = HOST_LE ? 0 : 1;

/** What the generated code calls (`h`). */
const helpers = { ...bigWords, ipv4Word, parseIPv4Word, ipv4TextWord, trimmedTailIsZero, scanInet6, copyInet6, copyInet6Words };

/**
 * How the generated function stores: `dataView` takes (v, dv, o, type, room) with `o` a byte
 * offset of `dv`; `words` takes (v, w, i, type, room) with `w` an Int32Array and `i` a word
 * index. `room`: the bytes the message may take from there. Both return msglen or -1.
 */
export type Flavour = 'dataView' | 'words';

/**
 * The encoder of dialect `d` (rt_msghdr layout `l`, already checked to be scalar and gapless
 * with u8/u16 framing), or undefined if a field straddles a 32-bit word. `ontoZeros`: for
 * bytes known to be zero (fresh slab memory), where words of absent fields are not stored.
 */
export function compileEncoder<T extends DataView | Int32Array>(d: Dialect, l: StructLayout, flavour: Flavour, ontoZeros: boolean): FastEncode<T> | undefined {
  const source = encoderSource(d, l, flavour, ontoZeros);
  // Generated from our own ABI layout tables, never from input.
  return source === undefined ? undefined : (new Function('h', source)(helpers) as FastEncode<T>);
}

/**
 * A field's bytes within the header: its value as a number (0 when absent) and, for the
 * ontoZeros encoder, the condition under which it is present (undefined: always).
 */
interface Piece { readonly at: number; readonly width: number; readonly value: string; readonly present: string | undefined }

const WIDTH: Record<string, number> = { u8: 1, u16: 2, u32: 4, i32: 4 };

/**
 * Straight-line checks of `obj`'s fields into locals (a value the general writer would not
 * store as is bails out), the checks that must wait until every property is read (`late`),
 * and the pieces they store.
 */
function fieldLines(l: StructLayout, obj: string, base: number, le: boolean, top: boolean, check: string[], late: string[], pieces: Piece[], nested: string[], n = { i: 0 }): void {
  for (const f of l.fields) {
    if (top && FRAMING.includes(f.name)) continue;
    const at = base + f.offset;
    const t = `x${n.i++}`;
    // Nested fields are locals of the whole function (declared first): their struct may be absent.
    if (!top) nested.push(t);
    check.push(`${top ? 'const ' : ''}${t} = ${obj}[${JSON.stringify(f.name)}];`);
    const present = `${t} !== undefined`;
    const bail = (bad: string) => check.push(`if (${present} && (${bad})) return -1;`);
    const piece = (bad: string) => {
      bail(bad);
      pieces.push({ at, width: WIDTH[f.kind]!, value: `(${t} === undefined ? 0 : ${t})`, present });
    };
    switch (f.kind) {
      case 'u8': piece(`(${t} & 0xff) !== ${t}`); break;
      case 'u16': piece(`(${t} & 0xffff) !== ${t}`); break;
      case 'u32': piece(`(${t} >>> 0) !== ${t}`); break;
      case 'i32': piece(`(${t} | 0) !== ${t}`); break;
      // The element store wraps the value to 64 bits, so reading it back equal means it is in
      // range; its words are then stored like any others. Number(), BigInt comparisons and
      // setBig*64 are runtime or builtin calls each (Number() took ~20 ns a counter). Late:
      // between property reads, the element store and read-back made TurboFan check the
      // objects' shapes again (~30 instructions a message more).
      case 'u64':
      case 'i64': {
        const [lo, hi] = [`l${t}`, `h${t}`];
        // Zero for an absent field.
        nested.push(`${lo} = 0`, `${hi} = 0`);
        const arr = f.kind === 'u64' ? 'h.u64' : 'h.i64';
        bail(`typeof ${t} !== 'bigint'`);
        late.push(`if (${present}) {`, `${arr}[0] = ${t};`, `if (${arr}[0] !== ${t}) return -1;`, `${lo} = h.words[${HOST_LO}]; ${hi} = h.words[${1 - HOST_LO}];`, '}');
        const [atLo, atHi] = le ? [at, at + 4] : [at + 4, at];
        pieces.push({ at: atLo, width: 4, value: lo, present }, { at: atHi, width: 4, value: hi, present });
        break;
      }
      default: {
        const inner: string[] = [];
        fieldLines(f.struct!, t, at, le, false, inner, late, pieces, nested, n);
        check.push(`if (${present}) {`, `if (typeof ${t} !== 'object' || ${t} === null || Array.isArray(${t})) return -1;`, ...inner, '}');
      }
    }
  }
}

/**
 * The statements storing the header's words, each the OR of its pieces shifted into place
 * (values are range-checked, so no masks); undefined if a piece straddles two words.
 * `ontoZeros`: a word none of whose fields is present is skipped.
 */
function wordLines(pieces: readonly Piece[], size: number, le: boolean, store: StoreFlavour, ontoZeros: boolean): string[] | undefined {
  const lines: string[] = [];
  for (let k = 0; k < size; k += 4) {
    const mine = pieces.filter((p) => p.at >= k && p.at < k + 4);
    if (mine.some((p) => p.at + p.width > k + 4)) return undefined;
    const value = mine.map((p) => {
      const shift = 8 * (le ? p.at - k : k + 4 - p.at - p.width);
      return shift === 0 ? p.value : `(${p.value} << ${shift})`;
    }).join(' | ') || '0';
    const line = store.put('at', k, value, false);
    const when = mine.some((p) => p.present === undefined) ? undefined : mine.map((p) => p.present).join(' || ');
    lines.push(ontoZeros && when !== undefined ? `if (${when}) ${line}` : line);
  }
  return lines;
}

/** The store flavour's code generator (see {@link Flavour}). */
function storeFlavour(flavour: Flavour, le: boolean): StoreFlavour {
  if (flavour === 'dataView') {
    return {
      target: 'dv',
      put: (pos, delta, value, network) => `dv.setInt32(${pos} + ${delta}, ${value}, ${network ? false : le});`,
      advance: (pos, bytes) => `${pos} += ${bytes};`,
      overruns: (len) => `${len} > dv.byteLength - at`,
      copyInet6: 'h.copyInet6',
    };
  }
  // The words are stored in host order: a dialect (or network) order that is not the host's
  // takes a byte swap, a few register operations on local sw. Written out, not a helper
  // call: TurboFan would inline it, but its inlining budget is better spent on the address
  // text lookups.
  return {
    target: 'w',
    put: (pos, delta, value, network) => {
      // Truncated (| 0): indices stay far below 2^31, and TurboFan then checks no overflow.
      const at = delta === 0 ? `w[${pos}]` : `w[(${pos} + ${delta >> 2}) | 0]`;
      if (value === '0' || !(network ? HOST_LE : le !== HOST_LE)) return `${at} = ${value};`;
      return `{ sw = ${value}; ${at} = (sw << 24) | ((sw & 0xff00) << 8) | ((sw >>> 8) & 0xff00) | (sw >>> 24); }`;
    },
    advance: (pos, bytes) => `${pos} += ${bytes} >> 2;`,
    overruns: (len) => `${len} >> 2 > w.length - at`,
    copyInet6: 'h.copyInet6Words',
  };
}

function encoderSource(d: Dialect, l: StructLayout, flavour: Flavour, ontoZeros: boolean): string | undefined {
  const le = d.littleEndian;
  const check: string[] = [];
  const late: string[] = [];
  const pieces: Piece[] = [];
  const nested: string[] = [];
  fieldLines(l, 'v', 0, le, true, check, late, pieces, nested);
  if (nested.length > 0) check.unshift(`let ${nested.join(', ')};`);
  const store = storeFlavour(flavour, le);
  const sa = inetSockaddrsSource(d.rtaxSlots.slice(0, INET_SLOTS), d.roundup, le, store, ontoZeros);
  const f = (n: string) => l.fields.find((x) => x.name === n)!;
  const framing = { msglen: 'msglen', version: String(d.rtmVersion), type: 'type', hdrlen: String(l.size), addrs: sa.addrs };
  for (const [name, value] of Object.entries(framing)) {
    const x = f(name);
    pieces.push({ at: x.offset, width: WIDTH[x.kind]!, value, present: undefined });
  }
  const words = wordLines(pieces, l.size, le, store, ontoZeros);
  if (words === undefined) return undefined;
  return `return function fastEncodeRoute(v, ${store.target}, at, type, room) {
  if ((v.hdr !== undefined && v.hdr !== 'rt_msghdr') || v.msglen !== undefined || v.version !== undefined || v.hdrlen !== undefined
    || v.addrs !== undefined || v.hdrpad !== undefined || v.trailer !== undefined) return -1;
  const sas = v.sockaddrs;
  if (typeof sas !== 'object' || sas === null) return -1;
  let sw = 0;
  ${check.join('\n  ')}
  ${sa.scan}
  // Counting keys, not defined values (no keyed load per key): a key holding undefined or
  // naming another slot makes the counts differ, and the general path decides.
  let keys = 0;
  for (const _ in sas) keys++;
  if (keys !== ${sa.count}) return -1;
  ${sa.parse}
  ${late.join('\n  ')}
  const msglen = ${l.size} + ${sa.size};
  if (msglen > room || ${store.overruns('msglen')}) return -1;
  ${words.join('\n  ')}
  let p = at;
  ${store.advance('p', String(l.size))}
  ${sa.store}
  return msglen;
};`;
}
