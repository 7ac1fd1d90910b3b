/**
 * Bit-field helpers over network-order address bytes. Bit 0 is the most significant bit of
 * byte 0, as in a prefix: bits [0, plen) are the network part.
 */

/**
 * Reads `count` bits (1..16) starting at bit `offset` as an unsigned integer. Reads at most three
 * bytes so it stays monomorphic and allocation-free on the lookup path.
 */
export function readBits(addr: Uint8Array, offset: number, count: number): number {
  const byte = offset >>> 3;
  const len = addr.length;
  let word = addr[byte]! << 16;
  if (byte + 1 < len) word |= addr[byte + 1]! << 8;
  if (byte + 2 < len) word |= addr[byte + 2]!;
  return (word >>> (24 - (offset & 7) - count)) & ((1 << count) - 1);
}

/**
 * {@link readBits} on the `bytes`-byte key that starts at `start` of a flat buffer of keys
 * (bulk builds read their input in place instead of copying each key out).
 */
export function readKeyBits(buf: Uint8Array, start: number, bytes: number, offset: number, count: number): number {
  const byte = offset >>> 3;
  let word = buf[start + byte]! << 16;
  if (byte + 1 < bytes) word |= buf[start + byte + 1]! << 8;
  if (byte + 2 < bytes) word |= buf[start + byte + 2]!;
  return (word >>> (24 - (offset & 7) - count)) & ((1 << count) - 1);
}

/** Writes the low `count` bits of `value` at bit `offset` (used only when rebuilding keys). */
export function writeBits(addr: Uint8Array, offset: number, count: number, value: number): void {
  for (let n = 0; n < count; n++) {
    const bit = offset + n;
    const mask = 0x80 >>> (bit & 7);
    if ((value >>> (count - 1 - n)) & 1) addr[bit >>> 3]! |= mask;
    else addr[bit >>> 3]! &= ~mask;
  }
}

/** Clears every bit at or after `plen`, leaving the network part of a prefix. */
export function maskFrom(addr: Uint8Array, plen: number): void {
  let byte = plen >>> 3;
  if (byte >= addr.length) return;
  const keep = plen & 7;
  if (keep !== 0) addr[byte++]! &= (0xff00 >>> keep) & 0xff;
  addr.fill(0, byte);
}
