/**
 * Allocation-free IPv4/IPv6 address text parsing and formatting, shared by the codec, the
 * table's string lookups and the kernel (hand-rolled: a regex or split() costs more than a
 * lookup). A leaf module: it imports nothing.
 */

/** Dotted-quad IPv4 text to an unsigned 32-bit integer, or -1 when malformed. */
export function parseV4(s: string): number {
  return parseV4At(s, 0, s.length);
}

/**
 * Dotted-quad IPv4 text in `s[begin..end)` to an unsigned 32-bit integer, or -1 when malformed
 * (each octet one to three decimal digits, at most 255). Parsed an octet at a time, its digits
 * read in straight-line code: a single loop branching on "dot or digit" per character
 * mispredicts on every octet's varying length (~20% slower on random addresses, A/B in one process).
 */
export function parseV4At(s: string, begin: number, end: number): number {
  let i = begin;
  let value = 0;
  for (let k = 0; ; k++) {
    if (i >= end) return -1;
    let d = s.charCodeAt(i++) - 48;
    if (d < 0 || d > 9) return -1;
    let octet = d;
    if (i < end) {
      d = s.charCodeAt(i) - 48;
      if (d >= 0 && d <= 9) {
        octet = octet * 10 + d;
        i++;
        if (i < end) {
          d = s.charCodeAt(i) - 48;
          if (d >= 0 && d <= 9) {
            octet = octet * 10 + d;
            i++;
            if (octet > 255) return -1;
          }
        }
      }
    }
    value = (value << 8) | octet;
    if (k === 3) return i === end ? value >>> 0 : -1;
    if (i >= end || s.charCodeAt(i) !== 46) return -1;
    i++;
  }
}

/**
 * Hex digit values by character code (0-9, a-f, A-F), -1 for every other code. One entry for
 * every code charCodeAt can return (64 KB, of which a lookup touches two cache lines): indexing
 * it needs neither a range test nor, for V8, a bounds check. Against a 256-entry table behind
 * `c > 255 ?`, an eight-group IPv6 text parses in ~86 ns instead of ~121.
 */
export const HEX_DIGIT = new Int8Array(0x10000).fill(-1);
for (let c = 0; c < 10; c++) HEX_DIGIT[48 + c] = c;
for (let c = 0; c < 6; c++) HEX_DIGIT[97 + c] = HEX_DIGIT[65 + c] = 10 + c;

/** Longest IPv6 text: six groups of four, then a dotted quad (45 characters). */
const V6_TEXT_MAX = 45;

/**
 * IPv6 text (with at most one "::" and an optional dotted-quad tail) into `out[off..off+16)`.
 * Returns false when malformed (then `out` holds garbage). Allocates nothing and calls no
 * typed-array builtins (copyWithin/fill cost more than the whole parse on 16 bytes). Digits are
 * looked up in a table (16% faster than computing their value on the full table's addresses).
 */
export function parseV6(s: string, out: Uint8Array, off = 0): boolean {
  const n = s.length;
  if (n < 2 || n > V6_TEXT_MAX) return false;
  let groups = 0;
  let gap = -1;
  let i = 0;
  let o = off;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    let v = 0;
    let c = 0;
    const begin = i;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      const d = HEX_DIGIT[c]!;
      if (d < 0) break;
      v = (v << 4) | d;
    }
    const digits = i - begin;
    if (digits > 4) return false;
    if (i < n && c === 46) {
      // Embedded IPv4 tail: must be the last 32 bits.
      if (groups > 6) return false;
      const v4 = parseV4At(s, begin, n);
      if (v4 < 0) return false;
      out[o] = v4 >>> 24;
      out[o + 1] = (v4 >>> 16) & 0xff;
      out[o + 2] = (v4 >>> 8) & 0xff;
      out[o + 3] = v4 & 0xff;
      groups += 2;
      break;
    }
    if (digits === 0 || groups === 8) return false;
    out[o] = v >>> 8;
    out[o + 1] = v & 0xff;
    o += 2;
    groups++;
    if (i === n) break;
    if (c !== 58) return false;
    i++;
    if (i < n && s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = groups;
      i++;
    } else if (i === n) return false;
  }
  if (gap < 0) return groups === 8;
  if (groups > 7) return false;
  // Slide the groups after "::" to the end (back to front: the ranges may overlap), zero the gap.
  const from = off + gap * 2;
  const shift = 16 - groups * 2;
  for (let b = off + groups * 2 - 1; b >= from; b--) out[b + shift] = out[b]!;
  for (let b = from, e = from + shift; b < e; b++) out[b] = 0;
  return true;
}

/**
 * RFC 5952 text of the 16 bytes at `o`: lowercase hex, the longest run of two or more zero
 * groups shortened to `::` (the first such run on ties), no dotted-quad tail.
 */
export function formatV6(b: Uint8Array, o: number): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (b[o + 2 * i] !== 0 || b[o + 2 * i + 1] !== 0) { i++; continue; }
    let j = i + 1;
    while (j < 8 && b[o + 2 * j] === 0 && b[o + 2 * j + 1] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += ((b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!).toString(16);
    if (i < 7) s += ':';
  }
  return s;
}

/** An Ethernet address as six colon-separated hex octets (1 or 2 digits each), or undefined. */
export function parseMac(s: string): Uint8Array | undefined {
  const parts = s.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}
