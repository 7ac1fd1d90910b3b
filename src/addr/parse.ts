/**
 * Allocation-free IPv4/IPv6 address text parsing and formatting, shared by the codec, the
 * table's string lookups and the kernel (hand-rolled: a regex or split() costs more than a
 * lookup). A leaf module: it imports nothing.
 */

/** Dotted-quad IPv4 text to an unsigned 32-bit integer, or -1 when malformed. */
export function parseV4(s: string): number {
  const n = s.length;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = (value << 8) | octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      const d = c - 48;
      if (d < 0 || d > 9 || digits === 3) return -1;
      octet = octet * 10 + d;
      if (octet > 255) return -1;
      digits++;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return ((value << 8) | octet) >>> 0;
}

/**
 * IPv6 text (with at most one "::" and an optional dotted-quad tail) into `out[off..off+16)`.
 * Returns false when malformed (then `out` holds garbage).
 */
export function parseV6(s: string, out: Uint8Array, off = 0): boolean {
  const n = s.length;
  let groups = 0;
  let gap = -1;
  let i = 0;
  if (n >= 2 && s.charCodeAt(0) === 58 && s.charCodeAt(1) === 58) {
    gap = 0;
    i = 2;
    if (n === 2) {
      out.fill(0, off, off + 16);
      return true;
    }
  }
  while (i < n) {
    if (groups === 8) return false;
    let v = 0;
    let digits = 0;
    const begin = i;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else break;
      if (++digits > 4) return false;
      v = (v << 4) | d;
    }
    if (i < n && s.charCodeAt(i) === 46) {
      // Embedded IPv4 tail: must be the last 32 bits.
      if (groups > 6) return false;
      const v4 = parseV4(s.slice(begin));
      if (v4 < 0) return false;
      out[off + 2 * groups] = v4 >>> 24;
      out[off + 2 * groups + 1] = (v4 >>> 16) & 0xff;
      out[off + 2 * groups + 2] = (v4 >>> 8) & 0xff;
      out[off + 2 * groups + 3] = v4 & 0xff;
      groups += 2;
      i = n;
      break;
    }
    if (digits === 0) return false;
    out[off + 2 * groups] = v >>> 8;
    out[off + 2 * groups + 1] = v & 0xff;
    groups++;
    if (i === n) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < n && s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = groups;
      i++;
    } else if (i === n) return false;
  }
  if (gap < 0) return groups === 8;
  if (groups > 7) return false;
  // Slide the groups after "::" to the end and zero the gap.
  const tail = (groups - gap) * 2;
  out.copyWithin(off + 16 - tail, off + gap * 2, off + groups * 2);
  out.fill(0, off + gap * 2, off + 16 - tail);
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
