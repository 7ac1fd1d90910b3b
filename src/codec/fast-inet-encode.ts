/**
 * The sockaddrs of the commonest routing message as the generated rt_msghdr encoder
 * (fast-route-encode.ts) writes them: DST, GATEWAY and NETMASK as plain sockaddr_in (the
 * netmask also in 4.9's trimmed radix form) or plain sockaddr_in6. Anything else answers
 * "not sure" (-1) and the caller takes the general path, which produces the same bytes or
 * raises the error.
 *
 * The IPv4 case is generated straight into the encoder, in three passes over the slots: the
 * property reads and checks (no calls between them, so the object shape checks are shared),
 * the address texts, then, once everything is known to fit, the stores. Each image is kept in
 * the encoder's locals (first word, address word, size) rather than module-level arrays, and
 * nothing is written before the whole message is known good: a caller can encode straight into
 * a buffer it does not own and fall back to the general path untouched.
 */
import { AF_INET, AF_INET6, type SockaddrInput } from './sockaddr.js';
import { isCachedSlot, writeIPv6Text } from './addr-text-cache.js';
import { roundup } from '../abi/dialect.js';

/** Whether this host stores typed array elements little-endian. */
export const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** How the generated encoder stores 32-bit words (fast-route-encode.ts's flavours). */
export interface StoreFlavour {
  /** The encoder's parameter naming the target (a DataView or an Int32Array). */
  readonly target: string;
  /**
   * Statement: stores the int32 `value` at `delta` bytes (a multiple of 4) past position
   * `pos`; `network`: its bytes are in network order (big-endian), else the dialect's.
   */
  put(pos: string, delta: number, value: string, network: boolean): string;
  /** Statement: advances position local `pos` by `bytes` (an expression, a multiple of 4). */
  advance(pos: string, bytes: string): string;
  /**
   * Expression: whether `len` bytes from the start overrun the target itself (not only
   * `room`): a cached view that no longer covers the buffer (a resizable ArrayBuffer shrunk
   * since) must not take partial stores.
   */
  overruns(len: string): string;
  /** The helper storing a staged sockaddr_in6 image: (target, pos, slot, size). */
  readonly copyInet6: string;
}

/** The generated statements, in the order the encoder runs them. */
export interface InetSockaddrsSource {
  /** Reads and checks the slots of `sas` (a non-null object); no calls. */
  readonly scan: string;
  /** Parses the address texts (calls), after the key count. */
  readonly parse: string;
  /** Expression: the bytes the images take. */
  readonly size: string;
  /** Expression: how many slots are present. */
  readonly count: string;
  /** Expression: the rtm_addrs bits. */
  readonly addrs: string;
  /** Stores every image from `p`, a position local the statements advance. */
  readonly store: string;
}

/**
 * The encoder's statements for slots `names` (RTAX_DST, RTAX_GATEWAY, RTAX_NETMASK in that
 * order). `unit`: the dialect's ROUNDUP; `le`: its byte order (sin6_flowinfo is host order);
 * `ontoZeros`: the bytes are known to be zero, so sin_zero is not stored.
 */
export function inetSockaddrsSource(names: readonly string[], unit: number, le: boolean, flavour: StoreFlavour, ontoZeros: boolean): InetSockaddrsSource {
  const scan: string[] = [];
  const parse: string[] = [];
  const store: string[] = [];
  const put = (delta: number, value: string) => flavour.put('p', delta, value, true);
  names.forEach((name, i) => {
    // Per slot: sa (the value), k (0 absent, 1 sockaddr_in, 2 sockaddr_in6), z (ROUNDUP(sa_len),
    // never 0 when present), w (len, family, port: the image's first word), a (the address word), t (its text).
    const [sa, k, z, w, a, t] = ['sa', 'k', 'z', 'w', 'a', 't'].map((x) => `${x}${i}`);
    scan.push(
      `const ${sa} = sas[${JSON.stringify(name)}];`,
      `let ${k} = 0, ${z} = 0, ${w} = 0, ${a} = 0, ${t} = '';`,
      `if (${sa} !== undefined) {`,
      `if (typeof ${sa} !== 'object' || ${sa} === null) return -1;`,
      `const kind${i} = ${sa}.kind;`,
      `if (kind${i} === 'inet') {`,
      `if (${sa}.zero !== undefined || ${sa}.tail !== undefined || ${sa}.pad !== undefined) return -1;`,
      // One comparison each checks type, integrality and range (as the header fields).
      `const port${i} = ${sa}.port === undefined ? 0 : ${sa}.port, len${i} = ${sa}.len === undefined ? 16 : ${sa}.len;`,
      `const family${i} = ${sa}.family === undefined ? ${AF_INET} : ${sa}.family;`,
      `if ((port${i} & 0xffff) !== port${i} || (len${i} & 0x1f) !== len${i} || len${i} > 16 || (family${i} & 0xff) !== family${i}) return -1;`,
      `${t} = ${sa}.addr;`,
      `if (typeof ${t} !== 'string') return -1;`,
      `${w} = (len${i} << 24) | (family${i} << 16) | port${i};`,
      `${z} = len${i} > 0 ? 1 + ((len${i} - 1) | ${unit - 1}) : ${unit};`,
      `${k} = 1;`,
      `} else if (kind${i} === 'inet6') ${k} = 2;`,
      'else return -1;',
      '}',
    );
    parse.push(
      `if (${k} === 1) {`,
      `if (!${isCachedSlot(i) ? `h.ipv4TextWord(${t}, ${i})` : `h.parseIPv4Word(${t})`}) return -1;`,
      `${a} = h.ipv4Word[0];`,
      // A trimmed sockaddr (sa_len < 8) must not cut off non-zero port or address bytes.
      `if (${w} < ${8 << 24} && !h.trimmedTailIsZero(${w}, ${a}, ${w} >>> 24)) return -1;`,
      `} else if (${k} === 2 && (${z} = h.scanInet6(${sa}, ${i}, ${unit}, ${le})) < 0) return -1;`,
    );
    // Sizes are 4, 8, 12 or 16 (ROUNDUP of a length <= 16); bytes 8-15 are sin_zero.
    const zeros = ontoZeros ? '' : ` if (${z} > 8) { ${put(8, '0')} if (${z} > 12) ${put(12, '0')} }`;
    store.push(
      `if (${k} === 1) { ${put(0, w)} if (${z} > 4) { ${put(4, a)}${zeros} } }`,
      `else if (${k} === 2) ${flavour.copyInet6}(${flavour.target}, p, ${i}, ${z});`,
      flavour.advance('p', z),
    );
  });
  const present = (i: number, bit: number) => `(k${i} === 0 ? 0 : ${bit})`;
  return {
    scan: scan.join('\n  '),
    parse: parse.join('\n  '),
    size: names.map((_, i) => `z${i}`).join(' + '),
    count: names.map((_, i) => present(i, 1)).join(' + '),
    addrs: names.map((_, i) => present(i, 1 << i)).join(' | '),
    store: store.join('\n  '),
  };
}

/** Whether bytes [max(len, 2), 8) of the image (head word, address word) are zero. */
export function trimmedTailIsZero(head: number, addr: number, len: number): boolean {
  const from = len > 2 ? len : 2;
  // Byte k of the 8-byte image sits (7 - k) bytes from the low end of (head:addr).
  const headMask = from >= 4 ? 0 : 0xffffffff >>> (from * 8);
  const addrMask = from >= 8 ? 0 : from <= 4 ? 0xffffffff : 0xffffffff >>> ((from - 4) * 8);
  return (head & headMask) === 0 && (addr & addrMask) === 0;
}

// sockaddr_in6 images are staged here, byte for byte, between scanInet6 and the store (16
// address bytes do not fit the encoder's word locals); IPv6 requests are rare next to IPv4
// dumps. A slot's image is 32 bytes (ROUNDUP(28) at most); bytes 24-31 stay zero.
const IMAGE6 = 32;
const image6 = new Uint8Array(3 * IMAGE6);
const image6View = new DataView(image6.buffer);
const image6Words = new Int32Array(image6.buffer);

/**
 * Validates a plain sockaddr_in6 value for slot `i` and stages its image (`le`: the dialect's
 * byte order, sin6_flowinfo's): sa_len 28 (given or not), no tail or pad, and scope id 0;
 * returns ROUNDUP(28), or -1. A non-zero scope id may have to be embedded in the address
 * (KAME), which the general writer decides; with 0 nothing is embedded and bytes 24-27 stay
 * zero (scope_embedded is then unread).
 */
export function scanInet6(sa: Extract<SockaddrInput, { kind: 'inet6' }>, i: number, unit: number, le: boolean): number {
  if (sa.tail !== undefined || sa.pad !== undefined || (sa.scope_id !== undefined && sa.scope_id !== 0)) return -1;
  const port = sa.port === undefined ? 0 : sa.port;
  const flow = sa.flowinfo === undefined ? 0 : sa.flowinfo;
  const family = sa.family === undefined ? AF_INET6 : sa.family;
  if ((sa.len !== undefined && sa.len !== 28) || (port & 0xffff) !== port || (flow >>> 0) !== flow || (family & 0xff) !== family) return -1;
  const at = i * IMAGE6;
  if (typeof sa.addr !== 'string' || !writeIPv6Text(sa.addr, image6, at + 8, i)) return -1;
  image6View.setInt32(at, (28 << 24) | (family << 16) | port);
  image6View.setUint32(at + 4, flow, le);
  return roundup(28, unit);
}

/** Stores the image scanInet6 staged for slot `i` at byte `p` of `dv` (`size`: its ROUNDUP). */
export function copyInet6(dv: DataView, p: number, i: number, size: number): void {
  // Host-order words stored in host order: the bytes as staged.
  for (let k = 0, from = i * (IMAGE6 >> 2); k < size; k += 4) dv.setInt32(p + k, image6Words[from++]!, HOST_LE);
}

/** copyInet6 into word `p` of `w`. */
export function copyInet6Words(w: Int32Array, p: number, i: number, size: number): void {
  for (let k = 0, from = i * (IMAGE6 >> 2); k < size; k += 4) w[p++] = image6Words[from++]!;
}
