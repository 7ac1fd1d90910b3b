/** Test helpers: prefix text <-> bytes, a flat-list LPM reference, and fast-check run counts. */
import fc from 'fast-check';

/** fast-check runs: modest by default, scaled by FUZZ_RUNS. */
export function runs(base: number): number {
  const env = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(env) && env > 0 ? Math.max(base, env) : base;
}

export function v4(text: string): Uint8Array {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4) throw new Error(`bad IPv4 ${text}`);
  return Uint8Array.from(parts);
}

export function v6(text: string): Uint8Array {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** "10.8.0.0/16" or "2001:db8::/33" -> [bytes, plen]. */
export function prefix(text: string): [Uint8Array, number] {
  const [addr, len] = text.split('/');
  return [addr!.includes(':') ? v6(addr!) : v4(addr!), Number(len)];
}

/** Compact canonical text: dotted quad for 4 bytes, hex groups for 16. */
export function show(addr: Uint8Array, plen: number): string {
  if (addr.length === 4) return `${[...addr].join('.')}/${plen}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((addr[i]! << 8) | addr[i + 1]!).toString(16));
  return `${groups.join(':')}/${plen}`;
}

export function bitAt(addr: Uint8Array, bit: number): number {
  return (addr[bit >> 3]! >> (7 - (bit & 7))) & 1;
}

export function masked(addr: Uint8Array, plen: number): Uint8Array {
  const out = new Uint8Array(addr.length);
  for (let b = 0; b < plen; b++) if (bitAt(addr, b)) out[b >> 3]! |= 0x80 >> (b & 7);
  return out;
}

export function covers(net: Uint8Array, plen: number, addr: Uint8Array): boolean {
  for (let b = 0; b < plen; b++) if (bitAt(net, b) !== bitAt(addr, b)) return false;
  return true;
}

/** Flat reference table: exact map plus a linear scan for the longest match. */
export class FlatTable<V> {
  readonly items = new Map<string, { addr: Uint8Array; plen: number; value: V }>();
  key(addr: Uint8Array, plen: number): string {
    return show(masked(addr, plen), plen);
  }
  insert(addr: Uint8Array, plen: number, value: V): V {
    const k = this.key(addr, plen);
    const found = this.items.get(k);
    if (found) return found.value;
    this.items.set(k, { addr: masked(addr, plen), plen, value });
    return value;
  }
  delete(addr: Uint8Array, plen: number): boolean {
    return this.items.delete(this.key(addr, plen));
  }
  get(addr: Uint8Array, plen: number): V | undefined {
    return this.items.get(this.key(addr, plen))?.value;
  }
  match(addr: Uint8Array): { value: V; plen: number } | undefined {
    let best: { value: V; plen: number } | undefined;
    for (const it of this.items.values()) {
      if ((best === undefined || it.plen > best.plen) && covers(it.addr, it.plen, addr)) best = { value: it.value, plen: it.plen };
    }
    return best;
  }
}

/** Heap indices of the non-fringe slots of a stride-s table in walk order (reference for the spec text). */
export function nonFringeOrder(s: number): number[] {
  const order: number[] = [];
  for (let j = 1; j < 1 << s; j += 2) for (let i = j === 1 ? 2 : j; i < 1 << s; i *= 2) order.push(i);
  return order;
}

/**
 * Sort key of a prefix in the spec's walk order, computed from the prefix alone: per table on the
 * way down, [2, fringe value, 1] ("inside that fringe slot's subtable"); in its own table,
 * [2, value, 0] when fringe (the slot's own entry precedes its subtable) or [1, rank] otherwise.
 * The default route has the empty key, which sorts first.
 */
export function walkKey(addr: Uint8Array, plen: number, strides: readonly number[]): number[] {
  const key: number[] = [];
  let offset = 0;
  for (const s of strides) {
    if (plen === 0) break;
    let bits = 0;
    const take = Math.min(plen - offset, s);
    for (let b = 0; b < take; b++) bits = (bits << 1) | bitAt(addr, offset + b);
    if (plen > offset + s) key.push(2, bits, 1);
    else if (plen === offset + s) {
      key.push(2, bits, 0);
      break;
    } else {
      key.push(1, nonFringeOrder(s).indexOf(bits + (1 << take)));
      break;
    }
    offset += s;
  }
  return key;
}

export function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const v4Firsts = [0, 10, 192, 255];
const v4Seconds = [0, 8, 168, 255];

/** IPv4 addresses concentrated in a few ranges so random prefixes overlap. */
export const arbV4 = fc
  .tuple(fc.constantFrom(...v4Firsts), fc.oneof(fc.constantFrom(...v4Seconds), fc.nat(255)), fc.nat(3), fc.nat(255))
  .map(([a, b, c, d]) => Uint8Array.from([a, b, c, d]));

export const arbV4Plen = fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(0, 8, 12, 16, 20, 24, 28, 32));

/** IPv6 addresses: a few /16s, a few next words, sparse middle, random tail. */
export const arbV6 = fc
  .tuple(
    fc.constantFrom([0x20, 0x01], [0x26, 0x00], [0xfe, 0x80], [0, 0]),
    fc.constantFrom(0, 0x0d, 0xb8),
    fc.nat(3),
    fc.option(fc.uint8Array({ minLength: 11, maxLength: 11 }), { freq: 3 }),
    fc.nat(255),
  )
  .map(([head, b2, b3, mid, last]) => {
    const out = new Uint8Array(16);
    out.set(head, 0);
    out[2] = b2;
    out[3] = b3;
    if (mid) out.set(mid, 4);
    out[15] = last;
    return out;
  });

export const arbV6Plen = fc.oneof(
  fc.integer({ min: 0, max: 128 }),
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: 120, max: 128 }),
  fc.constantFrom(0, 16, 32, 48, 64, 127, 128),
);
