/**
 * Struct layouts as trees of typed fields, built from the compiler-verified tables in
 * generated.ts. The codec compiles its readers and writers from these trees, so a
 * dialect or arch difference is a different tree, never an `if` in the codec.
 */
import type { StructLayoutData } from './generated.js';

/** How a field's bytes are interpreted. `gap` is padding the C compiler inserted. */
export type FieldKind =
  | 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | 'i64'
  | 'char' | 'bytes' | 'gap' | 'struct' | 'structArray';

export interface LayoutField {
  /** JSON / value name: the C member name without its struct prefix (`rtm_msglen` -> `msglen`). */
  readonly name: string;
  readonly cname: string;
  readonly offset: number;
  readonly size: number;
  readonly kind: FieldKind;
  /** Element layout for `struct` / `structArray`. */
  readonly struct?: StructLayout;
  readonly count?: number;
}

export interface StructLayout {
  readonly name: string;
  readonly size: number;
  readonly fields: readonly LayoutField[];
}

const PREFIXES = ['rtm_', 'rmx_', 'ifm_', 'ifi_', 'ifam_', 'ifan_', 'ifim_', 'ifie_', 'bm_', 'bs_', 'tv_', 'mcl_'];

function stripPrefix(cname: string): string {
  for (const p of PREFIXES) if (cname.startsWith(p)) return cname.slice(p.length);
  return cname;
}

const SIGNED = new Set(['int', 'pid_t', 'int64_t', 'time_t', 'long', 'suseconds_t', 'int32_t']);

function scalarKind(ctype: string, size: number): FieldKind {
  const signed = SIGNED.has(ctype);
  switch (size) {
    case 1: return 'u8';
    case 2: return 'u16';
    case 4: return signed ? 'i32' : 'u32';
    case 8: return signed ? 'i64' : 'u64';
    default: throw new Error(`abi: no scalar of ${size} bytes (${ctype})`);
  }
}

/**
 * Builds the field tree of `name` from the struct tables of one arch. Bytes no member
 * covers become `gap` fields (`_pad<offset>`) so that decode/encode stay byte-exact.
 */
export function buildLayout(name: string, structs: Readonly<Record<string, StructLayoutData>>): StructLayout {
  const data = structs[name];
  if (!data) throw new Error(`abi: no struct ${name}`);
  const fields: LayoutField[] = [];
  let cursor = 0;
  const pushGap = (to: number) => {
    if (to > cursor) fields.push({ name: `_pad${cursor}`, cname: '', offset: cursor, size: to - cursor, kind: 'gap' });
  };
  for (const [cname, offset, size, ctype] of data.fields) {
    pushGap(offset);
    const fname = stripPrefix(cname);
    const arr = /^(?:struct )?([\w ]+?)\[(\d+)\]$/.exec(ctype);
    if (ctype.startsWith('struct ') && !arr) {
      const inner = buildLayout(ctype.slice(7), structs);
      fields.push({ name: fname, cname, offset, size, kind: 'struct', struct: inner });
    } else if (arr && ctype.startsWith('struct ')) {
      const inner = buildLayout(arr[1]!, structs);
      fields.push({ name: fname, cname, offset, size, kind: 'structArray', struct: inner, count: Number(arr[2]) });
    } else if (arr) {
      fields.push({ name: fname, cname, offset, size, kind: arr[1] === 'char' ? 'char' : 'bytes' });
    } else {
      fields.push({ name: fname, cname, offset, size, kind: scalarKind(ctype, size) });
    }
    cursor = offset + size;
  }
  pushGap(data.size);
  return { name, size: data.size, fields };
}
