/**
 * Parsed IPv4 texts, remembered per sockaddr slot. Route messages repeat the same gateways
 * and masks over and over, and parsing a dotted quad (60-90 ns on a 2 GHz core) is most of
 * what encoding an inet sockaddr costs; comparing the text with a few remembered ones is
 * much cheaper. Destinations (each one new) are never looked up, and any other slot whose
 * texts keep missing stops looking for a while, so it pays little more than the parse itself.
 */
import { parseIPv4Into } from './bytes.js';

/** Slots: one per RTAX index (up to 15) plus one shared by every other caller. */
export const SHARED_SLOT = 15;
/** RTAX_DST's slot: never cached. */
const DST_SLOT = 0;
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
 * parseIPv4Into (a strict dotted quad written as 4 bytes at `out[o]`; false if invalid),
 * through the cache of `slot`. Only valid texts are remembered.
 */
export function writeIPv4Text(s: string, out: Uint8Array, o: number, slot: number): boolean {
  // Destinations are parsed: in a run of route messages (a dump, a table load) each one is
  // new, and even a paused slot cost ~20 ns a message more than the parser.
  if (slot === DST_SLOT) return parseIPv4Into(s, out, o);
  if (paused[slot] !== 0) {
    paused[slot]--;
    return parseIPv4Into(s, out, o);
  }
  // One comparison per lookup: a text can only sit in the way its hash picks (dotted quads
  // differ mostly in their last digits). Comparing with every way costs a string compare each.
  const n = s.length;
  const w = slot * WAYS + (n > 1 ? (s.charCodeAt(n - 1) + (s.charCodeAt(n - 2) << 1) + n) & (WAYS - 1) : 0);
  if (texts[w] === s) {
    const v = values[w]!;
    out[o] = v >>> 24;
    out[o + 1] = (v >>> 16) & 255;
    out[o + 2] = (v >>> 8) & 255;
    out[o + 3] = v & 255;
    misses[slot] = 0;
    return true;
  }
  if (!parseIPv4Into(s, out, o)) return false;
  texts[w] = s;
  values[w] = (out[o]! << 24) | (out[o + 1]! << 16) | (out[o + 2]! << 8) | out[o + 3]!;
  const m = misses[slot]! + 1;
  misses[slot] = m;
  if (m >= GIVE_UP_AFTER) {
    misses[slot] = 0;
    paused[slot] = PAUSE;
  }
  return true;
}
