/** Byte-level helpers shared by the codec: hex, latin1 and IP address text. */
import { formatV6, parseV4At, parseV6 } from '../addr/parse.js';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bytesToHex(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[b[i]!];
  return s;
}

/** Parses an even-length hex string; undefined if it is not one. */
export function hexToBytes(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
  return out;
}

export function isAllZero(b: Uint8Array, start = 0, end = b.length): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0) return false;
  return true;
}

/** latin1 text of `b`; with `trimNul`, trailing NUL bytes are dropped (C char arrays). */
export function latin1FromBytes(b: Uint8Array, trimNul: boolean, start = 0, end = b.length): string {
  if (trimNul) while (end > start && b[end - 1] === 0) end--;
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

// Dumps repeat the same gateways and masks over and over: a small direct-mapped cache of
// IPv4 texts saves building (and later collecting) the same string again. A text is kept only
// when its address comes back while its key still holds the slot: caching every destination
// (each one new) would pin thousands of young strings from an old-space array, which every
// scavenge then has to copy.
const V4_CACHE_BITS = 12;
const v4Keys = new Int32Array(1 << V4_CACHE_BITS).fill(-1);
const v4Texts: (string | undefined)[] = new Array<string | undefined>(1 << V4_CACHE_BITS).fill(undefined);

// "a.b" and ".c.d" for every pair of octets, built on first use (about 4 MB): joining two
// halves is about 3x faster than formatting four numbers, and decoding dumps is hot.
let v4Halves: { high: string[]; low: string[] } | undefined;
let v4Misses = 0;

function buildV4Halves(): { high: string[]; low: string[] } {
  const high = new Array<string>(65536);
  const low = new Array<string>(65536);
  for (let i = 0; i < 65536; i++) {
    high[i] = `${i >>> 8}.${i & 255}`;
    low[i] = `.${i >>> 8}.${i & 255}`;
  }
  return (v4Halves = { high, low });
}

export function formatIPv4(b: Uint8Array, o: number): string {
  return formatIPv4Value((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}

/** Dotted quad of an address held as a 32-bit integer (network order, signed or not). */
export function formatIPv4Value(value: number): string {
  const v = value | 0;
  // 0xffffffff (-1) collides with the empty-slot marker: keep it out of the cache.
  if (v === -1) return '255.255.255.255';
  const slot = (v ^ (v >>> 12) ^ (v >>> 24)) & ((1 << V4_CACHE_BITS) - 1);
  const known = v4Keys[slot] === v;
  if (known) {
    const hit = v4Texts[slot];
    if (hit !== undefined) return hit;
  }
  // A command formatting a handful of addresses should not pay for the 4 MB table: build it
  // once formatting is clearly bulk work.
  const halves = v4Halves ?? (++v4Misses > 4096 ? buildV4Halves() : undefined);
  const text = halves
    ? halves.high[v >>> 16]! + halves.low[v & 0xffff]!
    : `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  if (known) {
    v4Texts[slot] = text;
  } else {
    v4Keys[slot] = v;
    v4Texts[slot] = undefined;
  }
  return text;
}

/**
 * Where parseIPv4Word leaves the address (big-endian, as a signed word). A typed array, not a
 * return value: a number returned from a call that is not inlined is boxed (a heap number)
 * unless it fits 31 bits, and half of all addresses do not.
 */
export const ipv4Word = new Int32Array(1);

/**
 * Parses a strict dotted quad (four decimal octets of 1-3 digits, each at most 255) into
 * {@link ipv4Word}; false (nothing written) if `s` is not one. The parse is the table's
 * ({@link parseV4At}): one IPv4 text grammar across the codec, kernel and table.
 */
export function parseIPv4Word(s: string): boolean {
  const v = parseV4At(s, 0, s.length);
  if (v < 0) return false;
  ipv4Word[0] = v;
  return true;
}

/** parseIPv4Word writing the 4 bytes at `out[o]` instead (nothing written if invalid). */
export function parseIPv4Into(s: string, out: Uint8Array, o: number): boolean {
  if (!parseIPv4Word(s)) return false;
  writeWord(ipv4Word[0]!, out, o);
  return true;
}

/** The big-endian bytes of `v` at `out[o]`. */
export function writeWord(v: number, out: Uint8Array, o: number): void {
  out[o] = v >>> 24;
  out[o + 1] = (v >>> 16) & 255;
  out[o + 2] = (v >>> 8) & 255;
  out[o + 3] = v & 255;
}

/** Strict dotted quad (see parseIPv4Into) as 4 bytes; undefined if invalid. */
export function parseIPv4(s: string, out?: Uint8Array, o = 0): Uint8Array | undefined {
  const b = out ?? new Uint8Array(4);
  return parseIPv4Into(s, b, o) ? b : undefined;
}

/** RFC 5952 text of 16 bytes at `o` (longest run of >= 2 zero groups shortened). */
// IPv6 texts, cached like IPv4's (above): gateways, masks and interface addresses repeat, and
// RFC 5952 formatting costs several times a lookup. Keys are the address's four words.
const V6_CACHE_BITS = 10;
const v6Keys = new Int32Array(4 << V6_CACHE_BITS);
const v6Texts: (string | undefined)[] = new Array<string | undefined>(1 << V6_CACHE_BITS).fill(undefined);

export function formatIPv6(b: Uint8Array, o: number): string {
  const w0 = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
  const w1 = (b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!;
  const w2 = (b[o + 8]! << 24) | (b[o + 9]! << 16) | (b[o + 10]! << 8) | b[o + 11]!;
  const w3 = (b[o + 12]! << 24) | (b[o + 13]! << 16) | (b[o + 14]! << 8) | b[o + 15]!;
  const slot = Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca6b) ^ Math.imul(w3, 0xc2b2ae35), 0x27d4eb2f) >>> (32 - V6_CACHE_BITS);
  const k = slot << 2;
  const known = v6Keys[k] === w0 && v6Keys[k + 1] === w1 && v6Keys[k + 2] === w2 && v6Keys[k + 3] === w3;
  if (known) {
    const hit = v6Texts[slot];
    if (hit !== undefined) return hit;
  }
  const text = formatV6(b, o);
  // Kept only when the address comes back while it still holds the slot (see the IPv4 cache).
  if (known) {
    v6Texts[slot] = text;
  } else {
    v6Keys[k] = w0;
    v6Keys[k + 1] = w1;
    v6Keys[k + 2] = w2;
    v6Keys[k + 3] = w3;
    v6Texts[slot] = undefined;
  }
  return text;
}

/** Parses IPv6 text (with `::` and an optional trailing dotted quad); undefined if invalid. */
export function parseIPv6(s: string, out?: Uint8Array, o = 0): Uint8Array | undefined {
  if (s.length < 2 || s.length > 45) return undefined;
  const b = out ?? new Uint8Array(16);
  return parseV6(s, b, o) ? b : undefined;
}
