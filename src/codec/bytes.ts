/** Byte-level helpers shared by the codec: hex, latin1 and IP address text. */
import { formatV6, parseV6 } from '../addr/parse.js';

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
// IPv4 texts saves building (and later collecting) the same string again.
const V4_CACHE_BITS = 12;
const v4Keys = new Int32Array(1 << V4_CACHE_BITS).fill(-1);
const v4Texts: string[] = new Array<string>(1 << V4_CACHE_BITS).fill('');

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
  const v = ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) | 0;
  // 0xffffffff (-1) collides with the empty-slot marker: keep it out of the cache.
  if (v === -1) return '255.255.255.255';
  const slot = (v ^ (v >>> 12) ^ (v >>> 24)) & ((1 << V4_CACHE_BITS) - 1);
  if (v4Keys[slot] === v) return v4Texts[slot]!;
  // A command formatting a handful of addresses should not pay for the 4 MB table: build it
  // once formatting is clearly bulk work.
  const halves = v4Halves ?? (++v4Misses > 4096 ? buildV4Halves() : undefined);
  const text = halves
    ? halves.high[(v >>> 16) & 0xffff]! + halves.low[v & 0xffff]!
    : `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  v4Keys[slot] = v;
  v4Texts[slot] = text;
  return text;
}

/** Strict dotted quad (four decimal octets of 1-3 digits); undefined otherwise. */
export function parseIPv4(s: string, out?: Uint8Array, o = 0): Uint8Array | undefined {
  const n = s.length;
  if (n < 7 || n > 15) return undefined;
  const b = out ?? new Uint8Array(4);
  let part = 0, v = 0, digits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || v > 255 || part > 3) return undefined;
      b[o + part++] = v;
      v = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      v = v * 10 + (c - 48);
      digits++;
    } else {
      return undefined;
    }
  }
  return part === 4 ? b : undefined;
}

/** RFC 5952 text of 16 bytes at `o` (longest run of >= 2 zero groups shortened). */
export function formatIPv6(b: Uint8Array, o: number): string {
  return formatV6(b, o);
}

/** Parses IPv6 text (with `::` and an optional trailing dotted quad); undefined if invalid. */
export function parseIPv6(s: string, out?: Uint8Array, o = 0): Uint8Array | undefined {
  if (s.length < 2 || s.length > 45) return undefined;
  const b = out ?? new Uint8Array(16);
  return parseV6(s, b, o) ? b : undefined;
}
