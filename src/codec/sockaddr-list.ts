/**
 * The sockaddrs after a message header, in RTAX order: the general walk shared by the
 * message decoder and the fast route decoder (for what its inet-only reader leaves).
 */
import { DEFAULT_ARCH, DEFAULT_DIALECT, SlotMode, getDialect, roundup, type Dialect } from '../abi/dialect.js';
import { RtsockDecodeError } from './errors.js';
import { decodeSockaddr, type Sockaddr, type SockaddrContext } from './sockaddr.js';
import type { Sockaddrs } from './message.js';

const sharedContext: { -readonly [K in keyof SockaddrContext]: SockaddrContext[K] } = {
  dialect: getDialect(DEFAULT_DIALECT, DEFAULT_ARCH), mode: SlotMode.ByFamily, routeFamily: 0,
};

/** Decodes the sockaddrs of `addrs` from `pos` into `out`; returns where they end. Throws RtsockDecodeError. */
export function decodeSockaddrs(
  b: Uint8Array, dv: DataView, msgStart: number, pos: number, end: number, addrs: number, d: Dialect, out: Sockaddrs,
): number {
  const slots = d.rtaxSlots;
  const modes = d.slotModes;
  // One context object reused for every message (decoding never re-enters itself).
  const ctx = sharedContext;
  ctx.dialect = d;
  ctx.routeFamily = routeFamily(b, pos, end, addrs, d);
  // Visit the set bits only, lowest (RTAX order) first; bits past the dialect's slots are ignored.
  for (let bits = addrs & ((1 << slots.length) - 1); bits !== 0; bits &= bits - 1) {
    const i = 31 - Math.clz32(bits & -bits);
    if (end - pos < 2) {
      throw new RtsockDecodeError('BAD_SOCKADDR', pos, `sockaddr ${slots[i]} starts past the end of the ${end - msgStart}-byte message`);
    }
    const size = roundup(b[pos]!, d.roundup);
    ctx.mode = modes[i]! as SlotMode;
    if (pos + size > end) {
      // rtm_xaddrs wants only sa_len bytes of a sockaddr inside the message, so the last one's
      // padding may be cut short by msglen: the kernel takes such a request and echoes it as it
      // is. Read from a zero-padded copy, so that nothing past msglen is looked at.
      if ((bits & (bits - 1)) !== 0 || pos + Math.max(b[pos]!, 2) > end) {
        throw new RtsockDecodeError('BAD_SOCKADDR', pos, `sockaddr ${slots[i]} (sa_len ${b[pos]}, ${size} bytes) runs past msglen`);
      }
      storeSlot(out, i, slots[i]!, decodeSockaddr(cutCopy(b, pos, end, size), cutView, 0, ctx));
      return end;
    }
    storeSlot(out, i, slots[i]!, decodeSockaddr(b, dv, pos, ctx));
    pos += size;
  }
  return pos;
}

/** The largest ROUNDUP(sa_len): 255 rounded up to 8. */
const cutBytes = new Uint8Array(256);
const cutView = new DataView(cutBytes.buffer);

/** b[pos..end) followed by zeros up to `size` bytes, in a scratch array (valid until the next call). */
function cutCopy(b: Uint8Array, pos: number, end: number, size: number): Uint8Array {
  cutBytes.fill(0, 0, size);
  cutBytes.set(b.subarray(pos, end));
  return cutBytes;
}

/**
 * out[slot] = sa with a named store per RTAX index: a computed-key store on a fresh object
 * is several times slower, and this runs for every sockaddr of every message.
 */
function storeSlot(out: Sockaddrs, i: number, slot: string, sa: Sockaddr): void {
  switch (i) {
    case 0: out.dst = sa; break;
    case 1: out.gateway = sa; break;
    case 2: out.netmask = sa; break;
    case 3: out.genmask = sa; break;
    case 4: out.ifp = sa; break;
    case 5: out.ifa = sa; break;
    default: out[slot] = sa;
  }
}

/** Family that masks are read in: DST's, else (address messages) IFA's. */
function routeFamily(b: Uint8Array, pos: number, end: number, addrs: number, d: Dialect): number {
  if (addrs & 1) return pos + 1 < end ? b[pos + 1]! : 0;
  const IFA = 5;
  if ((addrs & (1 << IFA)) === 0) return 0;
  for (let i = 0; i < IFA; i++) {
    if ((addrs & (1 << i)) === 0) continue;
    if (pos >= end) return 0;
    pos += roundup(b[pos]!, d.roundup);
  }
  return pos + 1 < end ? b[pos + 1]! : 0;
}

