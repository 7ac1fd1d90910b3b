/**
 * Fixed-size header structs (rt_msghdr, if_msghdr + if_data, ifa_msghdr, ...) compiled
 * from a dialect's layout tree: binary-parser reads them, a generated writer writes them.
 * Field values: integers as numbers, 64-bit integers as bigint, char arrays as latin1
 * strings (trailing NULs dropped), byte arrays as lowercase hex, nested structs as objects.
 * Compiler padding (`_pad<off>` gap fields) is kept only when it is not all zero.
 */
import { Parser } from 'binary-parser';
import type { LayoutField, StructLayout } from '../abi/layout.js';
import { RtsockEncodeError } from './errors.js';
import { bytesToHex, hexToBytes, latin1FromBytes } from './bytes.js';

export type HeaderValue = Record<string, unknown>;

/** Top-level header fields the message encoder computes (msglen, hdrlen, addrs...). */
export interface Framing { msglen: number; version: number; type: number; hdrlen: number; addrs: number }
const FRAMING_FIELDS = new Set(['msglen', 'version', 'type', 'hdrlen', 'addrs']);

export interface HeaderCodec {
  readonly layout: StructLayout;
  /**
   * Decodes `layout.size` bytes at `offset` of `bytes` (the caller checked the length);
   * `view` is a DataView over exactly `bytes`.
   */
  decode(bytes: Uint8Array, view: DataView, offset: number): HeaderValue;
  /**
   * Writes `value` at `offset` of a zero-filled buffer; absent fields stay zero. Framing
   * fields named in FRAMING_FIELDS are taken from `framing` instead (the encoder computes them).
   */
  encode(value: HeaderValue, view: DataView, bytes: Uint8Array, offset: number, framing?: Framing): void;
}

const cache = new WeakMap<StructLayout, Map<boolean, HeaderCodec>>();

export function headerCodec(layout: StructLayout, littleEndian: boolean): HeaderCodec {
  let byEndian = cache.get(layout);
  if (!byEndian) cache.set(layout, (byEndian = new Map()));
  let codec = byEndian.get(littleEndian);
  if (!codec) byEndian.set(littleEndian, (codec = compile(layout, littleEndian)));
  return codec;
}

function hasGaps(layout: StructLayout): boolean {
  return layout.fields.some((f) => f.kind === 'gap' || (f.struct !== undefined && hasGaps(f.struct)));
}

const charFormatter = (b: Uint8Array) => latin1FromBytes(b, true);
const hexFormatter = (b: Uint8Array) => bytesToHex(b);

function buildParser(layout: StructLayout, le: boolean): Parser {
  let p = new Parser().endianness(le ? 'little' : 'big');
  for (const f of layout.fields) {
    switch (f.kind) {
      case 'u8': p = p.uint8(f.name); break;
      case 'u16': p = p.uint16(f.name); break;
      case 'u32': p = p.uint32(f.name); break;
      case 'i32': p = p.int32(f.name); break;
      case 'u64': p = p.uint64(f.name); break;
      case 'i64': p = p.int64(f.name); break;
      case 'char': p = p.buffer(f.name, { length: f.size, formatter: charFormatter }); break;
      case 'bytes': case 'gap': p = p.buffer(f.name, { length: f.size, formatter: hexFormatter }); break;
      case 'struct': p = p.nest(f.name, { type: buildParser(f.struct!, le) }); break;
      case 'structArray': p = p.array(f.name, { type: buildParser(f.struct!, le), length: f.count! }); break;
    }
  }
  return p;
}

/** Removes all-zero compiler padding so values stay minimal; non-zero padding is kept. */
function dropZeroGaps(value: HeaderValue, layout: StructLayout): void {
  for (const f of layout.fields) {
    if (f.kind === 'gap') {
      if (/^0*$/.test(value[f.name] as string)) delete value[f.name];
    } else if (f.kind === 'struct') {
      dropZeroGaps(value[f.name] as HeaderValue, f.struct!);
    } else if (f.kind === 'structArray') {
      for (const el of value[f.name] as HeaderValue[]) dropZeroGaps(el, f.struct!);
    }
  }
}

/**
 * binary-parser generates the field reads, but its compiled parse() builds a DataView per
 * call (about 200 ns on Node 20, more than a whole rt_msghdr decode may cost) and leaves
 * the result in V8's slow dictionary mode ($parent/$root added then deleted). We take the
 * code it generates and bind it to the caller's DataView and start offset instead. The
 * dependency is pinned; if its generated prologue ever changes, this fails loudly at load.
 */
type CompiledRead = (buffer: Uint8Array, dataView: DataView, start: number) => HeaderValue;

const PROLOGUE: ReadonlyArray<readonly [string, string]> = [
  ['var dataView = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);', ''],
  ['var offset = 0;', 'var offset = start;'],
  ['vars.$parent = null;', ''],
  ['vars.$root = vars;', ''],
  ['delete vars.$parent;', ''],
  ['delete vars.$root;', ''],
];

/**
 * A constructor that creates a struct's value object with every field already in place, so
 * V8 gives it one fixed shape with in-object fields: objects grown one property at a time
 * from `{}` spill into extra property arrays, and decoding a dump makes millions of them.
 * `extras` are the fields the message decoder adds afterwards (dialect, hdr, sockaddrs).
 */
function valueConstructor(layout: StructLayout, extras: readonly string[]): new () => HeaderValue {
  const init = (f: LayoutField) => {
    switch (f.kind) {
      case 'u64': case 'i64': return '0n';
      case 'char': case 'bytes': case 'gap': return "''";
      case 'struct': case 'structArray': return 'null';
      default: return '0';
    }
  };
  const body = layout.fields.filter((f) => f.kind !== 'gap').map((f) => `this[${JSON.stringify(f.name)}] = ${init(f)};`)
    .concat(extras.map((e) => `this[${JSON.stringify(e)}] = undefined;`));
  // Generated from our own ABI layout tables, never from input.
  return new Function(body.join('\n')) as new () => HeaderValue;
}

/** Paths (`vars.rmx`, `vars.data.lastchange`) of nested structs binary-parser builds as `{}`. */
function nestedStructs(layout: StructLayout, path: string, out: Map<string, StructLayout>): Map<string, StructLayout> {
  for (const f of layout.fields) {
    if (f.kind !== 'struct') continue;
    const p = `${path}.${f.name}`;
    out.set(p, f.struct!);
    nestedStructs(f.struct!, p, out);
  }
  return out;
}

// 64-bit counters are mostly zero or small in practice: return a shared bigint for those
// instead of allocating a fresh one per field (bigints are immutable values, so sharing is
// invisible to callers).
export const SMALL_BIGINTS: (bigint | undefined)[] = new Array<bigint | undefined>(1024).fill(undefined);
/** The shared bigint for 0..1023, made on first use (start-up should not build 1024 of them). */
function smallBigint(n: number): bigint {
  return SMALL_BIGINTS[n] ?? (SMALL_BIGINTS[n] = BigInt(n));
}

export function readU64(dv: DataView, o: number, le: boolean): bigint {
  const hi = dv.getUint32(le ? o + 4 : o, le);
  const lo = dv.getUint32(le ? o : o + 4, le);
  return hi === 0 && lo < 1024 ? smallBigint(lo) : dv.getBigUint64(o, le);
}

export function readI64(dv: DataView, o: number, le: boolean): bigint {
  const hi = dv.getUint32(le ? o + 4 : o, le);
  const lo = dv.getUint32(le ? o : o + 4, le);
  return hi === 0 && lo < 1024 ? smallBigint(lo) : dv.getBigInt64(o, le);
}

function compileReader(parser: Parser, layout: StructLayout, extras: readonly string[]): CompiledRead {
  const ctx = (parser as unknown as { getContext(p: string): { code: string; imports: unknown[] } }).getContext('imports');
  let code = ctx.code;
  for (const [from, to] of PROLOGUE) {
    if (!code.includes(from)) throw new Error(`binary-parser generated code changed (no "${from}"): check its version`);
    code = code.replace(from, to);
  }
  const imports = [...ctx.imports];
  const use = (ctor: unknown) => `new imports[${imports.push(ctor) - 1}]()`;
  const u64 = imports.push(readU64) - 1;
  const i64 = imports.push(readI64) - 1;
  code = code.replace(/dataView\.getBigUint64\(offset, (true|false)\)/g, (_m, le: string) => `imports[${u64}](dataView, offset, ${le})`)
    .replace(/dataView\.getBigInt64\(offset, (true|false)\)/g, (_m, le: string) => `imports[${i64}](dataView, offset, ${le})`);
  code = code.replace('var vars = {};', () => `var vars = ${use(valueConstructor(layout, extras))};`);
  for (const [path, inner] of nestedStructs(layout, 'vars', new Map())) {
    code = code.replace(`${path} = {};`, () => `${path} = ${use(valueConstructor(inner, []))};`);
  }
  // The code is binary-parser's, generated from our own ABI layout tables, never from input.
  return new Function('imports', 'TextDecoder', `return function (buffer, dataView, start) { ${code} };`)(
    imports, TextDecoder,
  ) as CompiledRead;
}

function compile(layout: StructLayout, le: boolean): HeaderCodec {
  // Message headers get the fields the message decoder adds; embedded structs do not.
  const isHeader = layout.fields.some((f) => f.name === 'msglen');
  const extras = isHeader ? ['dialect', 'hdr', ...(layout.fields.some((f) => f.name === 'addrs') ? ['sockaddrs'] : [])] : [];
  const gaps = hasGaps(layout);
  // Reader and writer are generated on first use: a command that touches one header kind
  // should not pay for compiling all of them at start-up.
  let read: CompiledRead | undefined;
  let write: Writer | undefined;
  return {
    layout,
    decode: (bytes, view, offset) => {
      const v = (read ??= compileReader(buildParser(layout, le), layout, extras))(bytes, view, offset);
      if (gaps) dropZeroGaps(v, layout);
      return v;
    },
    encode: (value, view, bytes, offset, framing) =>
      (write ??= compileWriter(layout, le))(value, view, bytes, offset, helpers, framing ?? value),
  };
}

type Writer = (v: HeaderValue, dv: DataView, bytes: Uint8Array, o: number, h: typeof helpers, fr: object) => void;

const LIMITS: Record<string, [number, number]> = {
  u8: [0, 0xff], u16: [0, 0xffff], u32: [0, 0xffffffff], i32: [-0x80000000, 0x7fffffff],
};
const FITS: Record<string, (t: string) => string> = {
  u8: (t) => `(${t} & 0xff)`, u16: (t) => `(${t} & 0xffff)`, u32: (t) => `(${t} >>> 0)`, i32: (t) => `(${t} | 0)`,
};
const SETTER: Record<string, string> = { u8: 'setUint8', u16: 'setUint16', u32: 'setUint32', i32: 'setInt32' };

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** Runtime helpers the generated writers call for the rare, non-numeric fields. */
const helpers = {
  bad(path: string, v: unknown, what: string): never {
    throw new RtsockEncodeError('BAD_VALUE', path, `${JSON.stringify(typeof v === 'bigint' ? String(v) : v)} is not ${what}`);
  },
  big(path: string, v: unknown, signed: boolean): bigint {
    let b: bigint;
    try {
      b = typeof v === 'bigint' ? v : v === undefined ? 0n : BigInt(v as string | number);
    } catch {
      return helpers.bad(path, v, 'an integer');
    }
    const ok = signed ? b >= I64_MIN && b <= I64_MAX : b >= 0n && b <= U64_MAX;
    return ok ? b : helpers.bad(path, v, signed ? 'a 64-bit signed integer' : 'a 64-bit unsigned integer');
  },
  chars(path: string, v: unknown, bytes: Uint8Array, at: number, size: number): void {
    if (v === undefined) return;
    if (typeof v !== 'string' || v.length > size) return helpers.bad(path, v, `a string of at most ${size} characters`);
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c > 0xff) helpers.bad(path, v, 'a latin1 string');
      bytes[at + i] = c;
    }
  },
  hex(path: string, v: unknown, bytes: Uint8Array, at: number, size: number): void {
    if (v === undefined) return;
    const b = typeof v === 'string' ? hexToBytes(v) : undefined;
    if (!b || b.length > size) return helpers.bad(path, v, `hex of at most ${size} bytes`);
    bytes.set(b, at);
  },
  obj(path: string, v: unknown): HeaderValue {
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) helpers.bad(path, v, 'an object');
    return v as HeaderValue;
  },
  arr(path: string, v: unknown, count: number): HeaderValue[] {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.length > count) helpers.bad(path, v, `an array of at most ${count} items`);
    return v as HeaderValue[];
  },
};

/**
 * Generates straight-line writer code for a layout (the mirror of what binary-parser
 * generates for reading), so encoding a header costs a few DataView stores.
 */
function compileWriter(layout: StructLayout, le: boolean): Writer {
  let n = 0;
  const lines: string[] = [];
  const emit = (l: StructLayout, obj: string, base: string, path: string) => {
    for (const f of l.fields) emitField(f, obj, base, path);
  };
  const emitField = (f: LayoutField, obj: string, base: string, path: string) => {
    const p = path ? `${path}.${f.name}` : f.name;
    const at = `${base} + ${f.offset}`;
    const val = `${obj === 'v' && FRAMING_FIELDS.has(f.name) ? 'fr' : obj}[${JSON.stringify(f.name)}]`;
    switch (f.kind) {
      case 'u8': case 'u16': case 'u32': case 'i32': {
        const [lo, hi] = LIMITS[f.kind]!;
        const t = `x${n++}`;
        // Absent fields stay zero: the output is zero-filled, so skip them entirely.
        // One comparison checks type, integrality and range: the value survives its own
        // truncation to the field's width only if it is an integer number that fits.
        lines.push(`{ const ${t} = ${val}; if (${t} !== undefined) {`,
          `if (${FITS[f.kind]!(t)} !== ${t}) h.bad(${JSON.stringify(p)}, ${t}, 'an integer in ${lo}..${hi}');`,
          f.kind === 'u8' ? `dv.setUint8(${at}, ${t}); } }` : `dv.${SETTER[f.kind]}(${at}, ${t}, ${le}); } }`);
        break;
      }
      case 'u64': case 'i64': {
        const t = `x${n++}`;
        const [lo, hi] = f.kind === 'u64' ? ['0n', `${U64_MAX}n`] : [`${I64_MIN}n`, `${I64_MAX}n`];
        // An in-range bigint (what decoding yields) is written without the helper call.
        lines.push(`{ const ${t} = ${val}; if (${t} !== undefined) dv.${f.kind === 'u64' ? 'setBigUint64' : 'setBigInt64'}(${at},`,
          `typeof ${t} === 'bigint' && ${t} >= ${lo} && ${t} <= ${hi} ? ${t} : h.big(${JSON.stringify(p)}, ${t}, ${f.kind === 'i64'}), ${le}); }`);
        break;
      }
      case 'char':
        lines.push(`h.chars(${JSON.stringify(p)}, ${val}, bytes, ${at}, ${f.size});`);
        break;
      case 'bytes': case 'gap':
        lines.push(`h.hex(${JSON.stringify(p)}, ${val}, bytes, ${at}, ${f.size});`);
        break;
      case 'struct': {
        const t = `s${n++}`;
        lines.push(`if (${val} !== undefined) { const ${t} = h.obj(${JSON.stringify(p)}, ${val});`);
        emit(f.struct!, t, at, p);
        lines.push('}');
        break;
      }
      case 'structArray': {
        const t = `a${n++}`;
        const i = `i${n++}`;
        lines.push(`{ const ${t} = h.arr(${JSON.stringify(p)}, ${val}, ${f.count});`,
          `for (let ${i} = 0; ${i} < ${t}.length; ${i}++) { const e${i} = h.obj(${JSON.stringify(p)} + '[' + ${i} + ']', ${t}[${i}]);`);
        emit(f.struct!, `e${i}`, `${at} + ${i} * ${f.struct!.size}`, `${p}[]`);
        lines.push('} }');
        break;
      }
    }
  };
  emit(layout, 'v', 'o', '');
  // The layout comes from our own generated ABI tables, never from input.
  return new Function('v', 'dv', 'bytes', 'o', 'h', 'fr', lines.join('\n')) as Writer;
}
