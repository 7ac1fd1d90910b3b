/**
 * Parsed address texts, remembered per sockaddr slot. Route messages repeat the same gateways
 * and masks over and over, and parsing a dotted quad (60-90 ns on a 2 GHz core) or an IPv6
 * text (~250 ns) is most of what encoding an inet or inet6 sockaddr costs; comparing the text
 * with a remembered one is much cheaper. Destinations (each one new) are never looked up, and
 * any other slot whose texts keep missing stops looking for a while, so it pays little more
 * than the parse itself.
 */
import { ipv4Word, parseIPv4Word, parseIPv6, writeWord } from './bytes.js';

/** Slots: one per RTAX index (up to 15) plus one shared by every other caller. */
export const SHARED_SLOT = 15;
/** RTAX_DST's slot: never cached. */
const DST_SLOT = 0;

/**
 * Whether the texts of `slot` go through the cache. Destinations are parsed: in a run of route
 * messages (a dump, a table load) each one is new, and even a paused slot cost ~20 ns a message
 * more than the parser. (Code generated per slot calls the parser itself for such a slot: an
 * inlined ipv4TextWord would spend the inliner's budget on the cache code it skips.)
 */
export function isCachedSlot(slot: number): boolean {
  // (Not called by the lookups themselves: a call costs the inliner more than a comparison.)
  return slot !== DST_SLOT;
}
const SLOTS = 16;
/** Texts remembered per slot, direct-mapped by their last characters and length. */
const WAYS = 8;
/** Misses in a row after which a slot stops looking, and for how many lookups. */
const GIVE_UP_AFTER = 16;
const PAUSE = 256;

const texts: (string | undefined)[] = new Array<string | undefined>(SLOTS * WAYS).fill(undefined);
const values = new Int32Array(SLOTS * WAYS);
const misses = new Uint8Array(SLOTS);
const paused = new Uint16Array(SLOTS);

/**
 * parseIPv4Word (a strict dotted quad, left in {@link ipv4Word}; false if invalid) through
 * the cache of `slot`. Only valid texts are remembered.
 */
export function ipv4TextWord(s: string, slot: number): boolean {
  if (slot === DST_SLOT) return parseIPv4Word(s);
  if (paused[slot] !== 0) {
    paused[slot]--;
    return parseIPv4Word(s);
  }
  // One comparison per lookup: a text can only sit in the way its hash picks (dotted quads
  // differ mostly in their last digits). Comparing with every way costs a string compare each.
  const n = s.length;
  const w = slot * WAYS + (n > 1 ? (s.charCodeAt(n - 1) + (s.charCodeAt(n - 2) << 1) + n) & (WAYS - 1) : 0);
  if (texts[w] === s) {
    ipv4Word[0] = values[w]!;
    misses[slot] = 0;
    return true;
  }
  if (!parseIPv4Word(s)) return false;
  texts[w] = s;
  values[w] = ipv4Word[0]!;
  countMiss(misses, paused, slot);
  return true;
}

/** ipv4TextWord writing the 4 bytes at `out[o]` instead (nothing written if invalid). */
export function writeIPv4Text(s: string, out: Uint8Array, o: number, slot: number): boolean {
  if (!ipv4TextWord(s, slot)) return false;
  writeWord(ipv4Word[0]!, out, o);
  return true;
}

/** A miss of `slot`: after GIVE_UP_AFTER in a row the slot stops looking for PAUSE lookups. */
function countMiss(missCounts: Uint8Array, pauses: Uint16Array, slot: number): void {
  const m = missCounts[slot]! + 1;
  missCounts[slot] = m;
  if (m >= GIVE_UP_AFTER) {
    missCounts[slot] = 0;
    pauses[slot] = PAUSE;
  }
}

/**
 * IPv6 texts: more ways, and a hash over characters inside the text as well as its end, since
 * masks ("ffff:ffff:fe00::", "ffff:ffff:ffff::") differ in the middle and end alike.
 */
const WAYS6 = 32;
const texts6: (string | undefined)[] = new Array<string | undefined>(SLOTS * WAYS6).fill(undefined);
const bytes6 = new Uint8Array(SLOTS * WAYS6 * 16);
const misses6 = new Uint8Array(SLOTS);
const paused6 = new Uint16Array(SLOTS);

/** parseIPv6 (16 bytes at `out[o]`; false if invalid), through the cache of `slot`. */
export function writeIPv6Text(s: string, out: Uint8Array, o: number, slot: number): boolean {
  const n = s.length;
  // As writeIPv4Text; texts shorter than the hash's reach are parsed.
  if (!isCachedSlot(slot) || n < 6) return parseIPv6(s, out, o) !== undefined;
  if (paused6[slot] !== 0) {
    paused6[slot]--;
    return parseIPv6(s, out, o) !== undefined;
  }
  const h = s.charCodeAt(n - 1) + 3 * s.charCodeAt(n - 3) + 5 * s.charCodeAt(n - 5) + 7 * s.charCodeAt(n >> 1) + n;
  const w = slot * WAYS6 + (h & (WAYS6 - 1));
  const at = w << 4;
  if (texts6[w] === s) {
    for (let i = 0; i < 16; i++) out[o + i] = bytes6[at + i]!;
    misses6[slot] = 0;
    return true;
  }
  if (parseIPv6(s, out, o) === undefined) return false;
  texts6[w] = s;
  for (let i = 0; i < 16; i++) bytes6[at + i] = out[o + i]!;
  countMiss(misses6, paused6, slot);
  return true;
}
