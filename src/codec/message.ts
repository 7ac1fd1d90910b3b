/**
 * One routing message: decodeMessage / encodeMessage / encodingLength (dns-packet style).
 * The header layout comes from the dialect (chosen by rtm_version unless forced) and the
 * message type; sockaddrs follow at hdrlen in RTAX order, each ROUNDUP(sa_len) bytes.
 */
import {
  DEFAULT_ARCH, DEFAULT_DIALECT, dialectForVersion, getDialect,
  type ArchName, type Dialect, type DialectName, type HeaderKind,
} from '../abi/dialect.js';
import { valueOf } from '../abi/constants.js';
import { headerCodec, type Framing, type HeaderCodec, type HeaderValue } from './header.js';
import { RtsockDecodeError, RtsockEncodeError } from './errors.js';
import {
  AF_INET, AF_INET6, MAX_SOCKADDR_IMAGE, writeSockaddr,
  type Sockaddr, type SockaddrInput,
} from './sockaddr.js';
import { bytesToHex, hexToBytes, isAllZero } from './bytes.js';
import { decodeSockaddrs } from './sockaddr-list.js';
import { fastRoute, fastRouteSwitch, type FastEncode, type FastRoute } from './fast-route.js';

/** Sockaddrs by lowercase RTAX slot name (`dst`, `gateway`, `netmask`, ...). */
export type Sockaddrs = Partial<Record<string, Sockaddr>>;
export type SockaddrsInput = Partial<Record<string, SockaddrInput>>;

export interface CodecOptions {
  /** Force a dialect (decode) or choose it (encode; default `openbsd-4.9`). `openbsd-current` is accepted. */
  dialect?: DialectName | 'openbsd-current';
  /** amd64 (default), i386 or sparc64. */
  arch?: ArchName;
  /** Decode types the dialect does not define as plain rt_msghdr messages instead of failing. */
  anyType?: boolean;
}

/** Fields every decoded message has. Header fields use the C names without struct prefix. */
export interface MessageBase {
  dialect: DialectName;
  /** Present when not amd64. */
  arch?: ArchName;
  hdr: HeaderKind;
  msglen: number;
  version: number;
  type: number;
  hdrlen: number;
  /** Non-zero bytes between the header struct and hdrlen (hex). */
  hdrpad?: string;
  /** Non-zero bytes after the last sockaddr, up to msglen (hex). */
  trailer?: string;
  [field: string]: unknown;
}

export interface RtMetrics {
  pksent: bigint; locks: number; mtu: number; expire: number | bigint; refcnt: number; hopcount: number;
  recvpipe: number; sendpipe: number; ssthresh: number; rtt: number; rttvar: number; pad?: number;
}

export interface RouteMessage extends MessageBase {
  hdr: 'rt_msghdr';
  index: number; tableid: number; priority: number; mpls: number; addrs: number; flags: number;
  fmask: number; pid: number; seq: number; errno: number; inits: number; rmx: RtMetrics;
  sockaddrs: Sockaddrs;
}
export interface InterfaceMessage extends MessageBase {
  hdr: 'if_msghdr';
  index: number; tableid: number; pad1: number; pad2: number; addrs: number; flags: number; xflags: number;
  data: Record<string, unknown>;
  sockaddrs: Sockaddrs;
}
export interface AddressMessage extends MessageBase {
  hdr: 'ifa_msghdr';
  index: number; tableid: number; pad1: number; pad2: number; addrs: number; flags: number; metric: number;
  sockaddrs: Sockaddrs;
}
export interface AnnounceMessage extends MessageBase {
  hdr: 'if_announcemsghdr';
  index: number; what: number; name: string;
}
export interface Ieee80211Message extends MessageBase {
  hdr: 'if_ieee80211_msghdr';
  index: number; tableid: number; ifie: Record<string, unknown>;
}
export interface BfdMessage extends MessageBase {
  hdr: 'bfd_msghdr';
  index: number; tableid: number; priority: number; mpls: number; addrs: number; flags: number; pad0: number;
  sa: Record<string, unknown>;
  sockaddrs: Sockaddrs;
}

export type Message = RouteMessage | InterfaceMessage | AddressMessage | AnnounceMessage | Ieee80211Message | BfdMessage;

/** What encodeMessage takes: any message, with the computed fields optional and `type` as number or RTM_ name. */
export interface MessageInput {
  dialect?: DialectName | 'openbsd-current';
  arch?: ArchName;
  hdr?: HeaderKind;
  type: number | string;
  msglen?: number;
  version?: number;
  hdrlen?: number;
  addrs?: number;
  hdrpad?: string;
  trailer?: string;
  sockaddrs?: SockaddrsInput;
  [field: string]: unknown;
}

function hostU16(b: Uint8Array, off: number, le: boolean): number {
  return le ? b[off]! | (b[off + 1]! << 8) : (b[off]! << 8) | b[off + 1]!;
}

/** amd64 dialects by rtm_version: the common case skips the name/arch lookups. */
const amd64ByVersion: (Dialect | undefined)[] = [];

function resolveDecodeDialect(b: Uint8Array, off: number, opts: CodecOptions | undefined): Dialect {
  if (opts === undefined || (opts.dialect === undefined && (opts.arch === undefined || opts.arch === DEFAULT_ARCH))) {
    const hit = amd64ByVersion[b[off + 2]!];
    if (hit) return hit;
  }
  const arch = opts?.arch ?? DEFAULT_ARCH;
  if (opts?.dialect) return getDialect(opts.dialect, arch);
  const version = b[off + 2]!;
  const name = dialectForVersion(version);
  if (!name) throw new RtsockDecodeError('UNKNOWN_VERSION', off + 2, `routing message version ${version} not understood`);
  const d = getDialect(name, arch);
  if (arch === DEFAULT_ARCH) amd64ByVersion[version] = d;
  return d;
}

/** Reads the msglen field at `off` in the byte order of `opts.arch` (no other checks). */
export function peekMsglen(b: Uint8Array, off: number, opts?: CodecOptions): number {
  return hostU16(b, off, getDialect(DEFAULT_DIALECT, opts?.arch ?? DEFAULT_ARCH).littleEndian);
}

/**
 * Decodes the message at `offset` of `bytes` (default 0). Reads exactly msglen bytes; the
 * buffer may hold more (use decodeMessages for a whole dump). Throws RtsockDecodeError.
 */
export function decodeMessage(bytes: Uint8Array, opts?: CodecOptions, offset = 0): Message {
  // Decode through a view of the whole ArrayBuffer, cached: building a DataView costs more
  // than decoding a small message, and messages often share one (Buffer pools, kernel slabs).
  const whole = wholeBuffer(bytes.buffer);
  const base = bytes.byteOffset;
  try {
    return decodeMessageAt(whole.bytes, whole.view, base + offset, opts, base + bytes.length);
  } catch (e) {
    throw e instanceof RtsockDecodeError ? e.shifted(-base) : e;
  }
}

interface WholeBuffer { readonly bytes: Uint8Array; readonly view: DataView }

// Views of the buffers decoded from lately, held only until the current job ends, so that the
// cache never keeps a buffer alive: the last one (runs of messages share a buffer: one
// comparison) and a few before it (a caller alternating between buffers). Not a WeakMap: an
// entry kept its key alive through the next scavenges, so nearly every kernel slab decoded from
// was promoted and then freed only by a mark-compact, which its external memory brought on:
// bench:table's load ran 6 mark-compacts with the WeakMap and 3 without.
const RECENT = 4;
const recentBuffers: (ArrayBufferLike | undefined)[] = new Array<ArrayBufferLike | undefined>(RECENT).fill(undefined);
const recentWholes: (WholeBuffer | undefined)[] = new Array<WholeBuffer | undefined>(RECENT).fill(undefined);
let recentNext = 0;
let lastBuffer: ArrayBufferLike | undefined;
let lastWhole: WholeBuffer | undefined;

function forgetBuffers(): void {
  lastBuffer = undefined;
  lastWhole = undefined;
  recentBuffers.fill(undefined);
  recentWholes.fill(undefined);
}

function wholeBuffer(ab: ArrayBufferLike): WholeBuffer {
  if (ab === lastBuffer) return lastWhole!;
  let w: WholeBuffer | undefined;
  for (let i = 0; i < RECENT; i++) {
    if (recentBuffers[i] === ab) {
      w = recentWholes[i];
      break;
    }
  }
  if (w === undefined) {
    w = { bytes: new Uint8Array(ab), view: new DataView(ab) };
    recentBuffers[recentNext] = ab;
    recentWholes[recentNext] = w;
    recentNext = (recentNext + 1) % RECENT;
  }
  if (lastBuffer === undefined) queueMicrotask(forgetBuffers);
  lastBuffer = ab;
  lastWhole = w;
  return w;
}

/** Per dialect and type: the header to read and its compiled codec (one array index per message). */
interface TypePlan {
  readonly hdr: HeaderKind; readonly size: number; readonly codec: HeaderCodec; readonly hasAddrs: boolean;
  readonly known: boolean; readonly kernelHdrlen: number;
  /** The specialised rt_msghdr path (fast-route.ts) once compiled (see {@link warmUp}). */
  fast: FastRoute | undefined;
  /** Whether the type may take it: an rt_msghdr type whose kernel hdrlen is the header size. */
  readonly fastEligible: boolean;
}
const plans = new WeakMap<Dialect, (TypePlan | undefined)[]>();

/**
 * Messages a dialect codes the general way before its fast path is compiled: generating it
 * costs a few milliseconds, more than a short-lived process (one CLI command) would save.
 */
const FAST_AFTER = 256;
const untilFast = new WeakMap<Dialect, number>();

/** Counts one eligible message; the one that ends the warm-up compiles the fast path. */
function warmUp(d: Dialect): void {
  const left = (untilFast.get(d) ?? FAST_AFTER) - 1;
  untilFast.set(d, left);
  if (left !== 0) return;
  const fast = fastRoute(d);
  for (const plan of plans.get(d) ?? []) if (plan?.fastEligible) plan.fast = fast;
}
let lastDialect: Dialect | undefined;
let lastPlans: (TypePlan | undefined)[] = [];

/** The plan of message type `type` (0..255) in dialect `d`, built on first use. */
function typePlan(d: Dialect, type: number): TypePlan {
  let p: (TypePlan | undefined)[];
  if (d === lastDialect) p = lastPlans;
  else {
    p = plans.get(d) ?? [];
    if (p.length === 0) {
      // Per type and on demand: a short process codes a few types, and building all 256 plans
      // up front was a measurable part of a CLI command.
      p = new Array<TypePlan | undefined>(256).fill(undefined);
      plans.set(d, p);
    }
    lastDialect = d;
    lastPlans = p;
  }
  return p[type] ?? (p[type] = buildPlan(d, type));
}

function buildPlan(d: Dialect, t: number): TypePlan {
  const hdr = d.headerFor(t);
  const kernelHdrlen = d.kernelHdrlen(t);
  const plan = headerPlan(d, hdr);
  const fastEligible = hdr === 'rt_msghdr' && kernelHdrlen === plan.size;
  // A dialect already past its warm-up gives new plans the compiled fast path at once.
  const fast = fastEligible && untilFast.get(d) === 0 ? fastRoute(d) : undefined;
  return { ...plan, known: d.knowsType(t), kernelHdrlen, fast, fastEligible };
}

function headerPlan(d: Dialect, hdr: HeaderKind): Omit<TypePlan, 'known' | 'kernelHdrlen' | 'fast' | 'fastEligible'> {
  const layout = d.headers[hdr]!;
  return { hdr, size: layout.size, codec: headerCodec(layout, d.littleEndian), hasAddrs: layout.fields.some((f) => f.name === 'addrs') };
}

/** The plan for a header the caller forced (`hdr` differing from the type's own). */
function otherHeader(d: Dialect, hdr: HeaderKind): TypePlan {
  if (!d.headers[hdr]) bad('hdr', `${JSON.stringify(hdr)} is not a header of ${d.name}`);
  const p = headerPlan(d, hdr);
  return { ...p, known: true, kernelHdrlen: p.size, fast: undefined, fastEligible: false };
}

/** decodeMessage with a caller-held DataView over `b` (dumps reuse one for every message). */
export function decodeMessageAt(b: Uint8Array, dv: DataView, offset: number, opts?: CodecOptions, limit = b.length): Message {
  const avail = limit - offset;
  if (avail < 4) throw new RtsockDecodeError('SHORT_BUFFER', offset, `${avail} bytes cannot hold a routing message header`);
  const d = resolveDecodeDialect(b, offset, opts);
  const le = d.littleEndian;
  const msglen = hostU16(b, offset, le);
  const type = b[offset + 3]!;
  const plan = typePlan(d, type);
  if (!plan.known && !opts?.anyType) {
    throw new RtsockDecodeError('UNKNOWN_TYPE', offset + 3, `message type ${type} not understood by ${d.name}`);
  }
  const size = plan.size;
  if (msglen < size) {
    throw new RtsockDecodeError('BAD_MSGLEN', offset, `msglen ${msglen} is shorter than the ${size}-byte ${plan.hdr}`);
  }
  if (msglen > avail) throw new RtsockDecodeError('BAD_MSGLEN', offset, `msglen ${msglen} runs past the ${avail} bytes left`);
  const end = offset + msglen;
  if (plan.fast !== undefined) {
    if (fastRouteSwitch.enabled) {
      const m = plan.fast.decode(b, dv, offset, end);
      if (m !== undefined) return m;
    }
  } else if (plan.fastEligible) warmUp(d);
  const msg = plan.codec.decode(b, dv, offset) as MessageBase;
  msg.dialect = d.name;
  if (d.arch !== DEFAULT_ARCH) msg.arch = d.arch;
  msg.hdr = plan.hdr;
  const hdrlen = msg.hdrlen;
  const start = hdrlen === 0 ? size : hdrlen;
  if (start < size || start > msglen) {
    throw new RtsockDecodeError('BAD_HDRLEN', offset + 4, `hdrlen ${hdrlen} is outside ${size}..${msglen}`);
  }
  if (start > size && !isAllZero(b, offset + size, offset + start)) {
    msg.hdrpad = bytesToHex(b, offset + size, offset + start);
  }
  let pos = offset + start;
  if (plan.hasAddrs) {
    const sockaddrs: Sockaddrs = {};
    msg['sockaddrs'] = sockaddrs;
    const addrs = msg['addrs'] as number;
    if (addrs !== 0) pos = decodeSockaddrs(b, dv, offset, pos, end, addrs, d, sockaddrs);
  }
  if (pos < end && !isAllZero(b, pos, end)) msg.trailer = bytesToHex(b, pos, end);
  return msg as Message;
}

// ---------------------------------------------------------------------------------------
// Encoding runs in one pass (sockaddrs first, then the header with the computed framing)
// straight into fresh zeroed slab memory: encodeMessage returns a view of what it wrote, with
// no copy and no ArrayBuffer per message (both cost more than encoding on Node 20). Writers
// assume zeroed memory; a successful encode leaves everything past msglen zero (sockaddr
// images past sa_len are checked to be zero), a failed one is wiped.

function bad(path: string, why: string): never {
  throw new RtsockEncodeError('BAD_VALUE', path, why);
}

const typeNames = new WeakMap<Dialect, Map<string, number>>();

let lastTypeDialect: Dialect | undefined;
let lastTypeNames = new Map<string, number>();

let lastTypeName = '';
let lastTypeValue = 0;
let lastTypeNameDialect: Dialect | undefined;

function resolveType(t: unknown, d: Dialect): number {
  if (typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 255) return t;
  // Callers encode runs of one type: the same name as last time skips the map lookup.
  if (t === lastTypeName && d === lastTypeNameDialect) return lastTypeValue;
  if (typeof t === 'string') {
    let names = d === lastTypeDialect ? lastTypeNames : typeNames.get(d);
    if (!names) typeNames.set(d, (names = new Map()));
    lastTypeDialect = d;
    lastTypeNames = names;
    let v = names.get(t);
    if (v === undefined) {
      v = valueOf('RTM', t, d.name) ?? bad('type', `${JSON.stringify(t)} is not a message type of ${d.name}`);
      names.set(t, v);
    }
    lastTypeName = t;
    lastTypeValue = v;
    lastTypeNameDialect = d;
    return v;
  }
  return bad('type', `${JSON.stringify(t)} is not a message type`);
}

const MAX_MSGLEN = 0xffff;
/** Room one encode may touch past its start. */
const WINDOW = MAX_MSGLEN + 1 + MAX_SOCKADDR_IMAGE;
const SLAB_SIZE = 8 * WINDOW;
// Empty until the first encode: a process that never encodes (or encodes one message)
// should not zero half a megabyte at start-up.
let slab = new Uint8Array(0);
// The slab's ArrayBuffer, held directly: the typed array `.buffer` getter is a builtin call
// that costs about half as much again as making the result view.
let slabBuffer = slab.buffer;
let slabView = new DataView(slabBuffer);
/** The slab as words, for the fast path (base stays 8-aligned). */
let slabWords = new Int32Array(slabBuffer);
/** Where the next message is encoded. */
let base = 0;
/** End (relative to base) of what the current encode may have made non-zero. */
let dirtyEnd = 0;

function ensureWindow(room = WINDOW): void {
  if (base + room <= slab.length) return;
  slab = new Uint8Array(SLAB_SIZE);
  slabBuffer = slab.buffer;
  slabView = new DataView(slabBuffer);
  slabWords = new Int32Array(slabBuffer);
  base = 0;
}

/** Error paths of a dialect's sockaddr slots, built once per dialect on first encode. */
const slotPathCache = new WeakMap<Dialect, readonly string[]>();
function slotPaths(d: Dialect): readonly string[] {
  let p = slotPathCache.get(d);
  if (!p) slotPathCache.set(d, (p = d.rtaxSlots.map((s) => `sockaddrs.${s}`)));
  return p;
}

/** sas[slot] with named loads for the common slots (see storeSlot). */
function loadSlot(sas: SockaddrsInput, i: number, slot: string): SockaddrInput | undefined {
  switch (i) {
    case 0: return sas.dst;
    case 1: return sas.gateway;
    case 2: return sas.netmask;
    case 3: return sas.genmask;
    case 4: return sas.ifp;
    case 5: return sas.ifa;
    case 6: return sas.author;
    case 7: return sas.brd;
    case 8: return sas.src;
    case 9: return sas.srcmask;
    case 10: return sas.label;
    case 11: return sas.bfd;
    case 12: return sas.dns;
    case 13: return sas.static;
    case 14: return sas.search;
    default: return sas[slot];
  }
}

/**
 * Whether a msglen below the `needed` bytes only cuts the zero padding after the last sockaddr
 * (at `last`, -1 when none), leaving its sa_len bytes: what decoding such a message gives back.
 */
function cutsPadding(out: Uint8Array, o: number, msglen: number, needed: number, last: number): boolean {
  if (last < 0 || msglen < last + Math.max(out[o + last]!, 2)) return false;
  for (let i = o + msglen; i < o + needed; i++) if (out[i] !== 0) return false;
  return true;
}

function hexField(path: string, v: string | undefined, out: Uint8Array, at: number, max: number): number {
  if (v === undefined) return 0;
  const b = hexToBytes(v) ?? bad(path, 'not hex');
  if (b.length > max) bad(path, `${b.length} bytes, only ${max} fit`);
  out.set(b, at);
  return b.length;
}

/** The computed header fields, one object reused by every encode (encoding never re-enters). */
const framing: Framing = { msglen: 0, version: 0, type: 0, hdrlen: 0, addrs: 0 };

/** Encodes at `base` of the slab; returns msglen. Callers pair it with ensureWindow and endWindow. */
function encodeAtBase(msg: MessageInput, opts: CodecOptions | undefined): number {
  const out = slab;
  const view = slabView;
  const o = base;
  dirtyEnd = 0;
  if (typeof msg !== 'object' || msg === null) bad('', 'a message must be an object');
  let d: Dialect;
  try {
    d = getDialect(opts?.dialect ?? msg.dialect ?? DEFAULT_DIALECT, opts?.arch ?? msg.arch ?? DEFAULT_ARCH);
  } catch (e) {
    const msgText = (e as Error).message;
    throw new RtsockEncodeError('BAD_DIALECT', msgText.startsWith('unknown arch') ? 'arch' : 'dialect', msgText);
  }
  const type = resolveType(msg.type, d);
  let plan = typePlan(d, type);
  if (msg.hdr !== undefined && msg.hdr !== plan.hdr) plan = otherHeader(d, msg.hdr);
  const size = plan.size;
  const hdrlen = msg.hdrlen ?? plan.kernelHdrlen;
  const start = hdrlen === 0 ? size : hdrlen;
  if (!Number.isInteger(hdrlen) || start < size || hdrlen > MAX_MSGLEN) {
    bad('hdrlen', `${hdrlen} is inside the ${size}-byte ${plan.hdr}`);
  }
  if (msg.hdrpad !== undefined) hexField('hdrpad', msg.hdrpad, out, o + size, start - size);
  let pos = start;
  let bits = 0;
  let lastSockaddr = -1;
  const sas = msg.sockaddrs;
  if (sas !== undefined && sas !== null) {
    if (typeof sas !== 'object') bad('sockaddrs', 'not an object');
    const slots = d.rtaxSlots;
    const paths = slotPaths(d);
    // Count the keys first: the slot walk can then stop at the last sockaddr present instead
    // of probing every RTAX name (most messages carry dst, gateway and netmask only).
    let keys = 0;
    for (const k in sas) if (sas[k] !== undefined) keys++;
    let seen = 0;
    for (let i = 0; i < slots.length && seen < keys; i++) {
      const sa = loadSlot(sas, i, slots[i]!);
      if (sa === undefined) continue;
      seen++;
      if (pos > MAX_MSGLEN) bad('sockaddrs', 'message longer than 65535 bytes');
      dirtyEnd = pos + MAX_SOCKADDR_IMAGE;
      lastSockaddr = pos;
      pos += writeSockaddr(sa, d, out, view, o + pos, paths[i]!, i);
      bits |= 1 << i;
    }
    if (seen !== keys) {
      for (const k of Object.keys(sas)) if (!slots.includes(k)) bad(`sockaddrs.${k}`, `not an RTAX slot of ${d.name}`);
    }
    if (bits !== 0 && !plan.hasAddrs) bad('sockaddrs', `${plan.hdr} carries no sockaddrs`);
  }
  const payloadEnd = pos;
  if (payloadEnd > MAX_MSGLEN) bad('sockaddrs', 'message longer than 65535 bytes');
  const needed = payloadEnd + hexField('trailer', msg.trailer, out, o + payloadEnd, MAX_MSGLEN - payloadEnd);
  const msglen = msg.msglen ?? needed;
  if (!Number.isInteger(msglen) || msglen > MAX_MSGLEN || (msglen < needed && !cutsPadding(out, o, msglen, needed, lastSockaddr))) {
    bad('msglen', `${msglen} cannot hold the ${needed} bytes of this message`);
  }
  const fr = framing;
  fr.msglen = msglen;
  fr.version = msg.version ?? d.rtmVersion;
  fr.type = type;
  fr.hdrlen = hdrlen;
  fr.addrs = typeof msg.addrs === 'number' ? msg.addrs : bits;
  plan.codec.encode(msg as HeaderValue, view, out, o, fr);
  dirtyEnd = Math.max(dirtyEnd, msglen);
  return msglen;
}

/**
 * Ends one encode at `base`. `keep`: the bytes stay as the result (the caller moves base past
 * them); otherwise they are wiped for the next encode. A failed encode is always wiped.
 * (Each entry point inlines its try/finally: a closure per call would cost an allocation.)
 */
function endWindow(ok: boolean, keep: boolean): void {
  if (!ok) slab.fill(0, base, base + WINDOW);
  else if (!keep) slab.fill(0, base, base + dirtyEnd);
  dirtyEnd = 0;
}

/** The message type fastEncoder resolved (set with each fast path it returns). */
let fastType = 0;

// The inputs fastEncoder last resolved to a compiled fast path (dialect and arch as given,
// undefined for the default, and the type), and what they resolved to. Keyed on the values,
// read afresh at every call, never on the objects holding them: a mutated opts or message
// misses. A fast path, once compiled for a dialect, stays (see warmUp), so a hit cannot be
// stale. Resolving costs ~40 ns a message (dialect, type name, plan: each cached alone).
let lastFastName: unknown = null;
let lastFastArch: unknown = null;
let lastFastTypeIn: unknown = null;
let lastFast: FastRoute | undefined;
let lastFastType = 0;

/**
 * The fast path (fast-route.ts) for `msg`'s dialect and type, or undefined when the general
 * path must run (not warmed up yet, not a route message, a value it cannot resolve...).
 */
function fastEncoder(msg: MessageInput, opts: CodecOptions | undefined): FastRoute | undefined {
  if (typeof msg !== 'object' || msg === null || !fastRouteSwitch.enabled) return undefined;
  const name = opts?.dialect ?? msg.dialect;
  const arch = opts?.arch ?? msg.arch;
  const type = msg.type;
  if (name === lastFastName && arch === lastFastArch && type === lastFastTypeIn) {
    fastType = lastFastType;
    return lastFast;
  }
  return resolveFastEncoder(name, arch, type);
}

/** fastEncoder past its last-inputs check (kept apart so that the check inlines). */
function resolveFastEncoder(name: MessageInput['dialect'], arch: ArchName | undefined, type: unknown): FastRoute | undefined {
  try {
    const d = getDialect(name ?? DEFAULT_DIALECT, arch ?? DEFAULT_ARCH);
    fastType = resolveType(type, d);
    const plan = typePlan(d, fastType);
    if (plan.fast === undefined && plan.fastEligible) warmUp(d);
    if (plan.fast !== undefined) {
      lastFastName = name;
      lastFastArch = arch;
      lastFastTypeIn = type;
      lastFast = plan.fast;
      lastFastType = fastType;
    }
    return plan.fast;
  } catch {
    return undefined;
  }
}

/** Runs fast encoder `encode` at `at` of `target`: msglen, or -1 having written nothing. */
function encodeFastAt<T extends DataView | Int32Array>(encode: FastEncode<T>, msg: MessageInput, target: T, at: number, room: number): number {
  try {
    return encode(msg, target, at, fastType, room);
  } catch {
    // Odd values (a bigint where a number belongs...) can throw inside the fast path's
    // checks, before it stores anything: the general path decides what error that is.
    return -1;
  }
}

// encodeMessageInto's views of the caller's buffer, kept while a caller fills one buffer
// message after message (a view per call costs as much as encoding). Keyed by the array, not
// its ArrayBuffer as decodeMessage's wholeBuffer is: reading .buffer and .byteOffset per call
// made encoding 20% slower (2.1 -> 1.7M msgs/s). Kept only until the current job ends: a dump
// encoded earlier must not stay alive through this cache (a WeakRef would do that too, but
// its deref costs about a fifth of an encode). Each view is made on first use.
let intoTarget: Uint8Array | undefined;
/** intoTarget.byteOffset. */
let intoOffset = 0;
/** Over intoTarget's bytes. */
let intoView: DataView | undefined;
/** Over intoTarget's whole ArrayBuffer, from its start (4-aligned messages). */
let intoWords: Int32Array | undefined;

function forgetIntoViews(): void {
  intoTarget = undefined;
  intoView = undefined;
  intoWords = undefined;
}

/** The fast path's encode of `msg` at `offset` (>= 0) of `buf`: msglen, or -1 having written nothing. */
function encodeFastInto(fast: FastRoute, msg: MessageInput, buf: Uint8Array, offset: number): number {
  if (buf !== intoTarget) {
    if (intoTarget === undefined) queueMicrotask(forgetIntoViews);
    intoTarget = buf;
    intoOffset = buf.byteOffset;
    intoView = undefined;
    intoWords = undefined;
  }
  const room = buf.length - offset;
  const at = intoOffset + offset;
  if ((at & 3) === 0) return encodeFastAt(fast.encodeWords, msg, intoWords ?? wordsOf(buf), at >> 2, room);
  return encodeFastAt(fast.encode, msg, (intoView ??= new DataView(buf.buffer, intoOffset, buf.byteLength)), offset, room);
}

/** intoWords for `buf`, made. */
function wordsOf(buf: Uint8Array): Int32Array {
  const ab = buf.buffer;
  return (intoWords = new Int32Array(ab, 0, ab.byteLength >> 2));
}

/** Bytes encodeMessage would produce for `msg`. */
export function encodingLength(msg: MessageInput, opts?: CodecOptions): number {
  ensureWindow();
  let ok = false;
  try {
    const n = encodeAtBase(msg, opts);
    ok = true;
    return n;
  } finally {
    endWindow(ok, false);
  }
}

/**
 * Encodes a message. msglen, hdrlen, version and the addrs bitmask are computed unless
 * the message sets them; absent header fields are zero. Throws RtsockEncodeError.
 * The result is a view into a shared slab (like Node's pooled Buffers): mind its byteOffset
 * when looking at `.buffer`.
 */
export function encodeMessage(msg: MessageInput, opts?: CodecOptions): Uint8Array {
  const fast = fastEncoder(msg, opts);
  if (fast !== undefined) {
    ensureWindow(fast.maxLength);
    const n = encodeFastAt(fast.encodeWordsOntoZeros, msg, slabWords, base >> 2, slab.length - base);
    if (n > 0) {
      const out = new Uint8Array(slabBuffer, base, n);
      base += (n + 7) & ~7;
      return out;
    }
  }
  ensureWindow();
  let ok = false;
  try {
    const n = encodeAtBase(msg, opts);
    const out = new Uint8Array(slabBuffer, base, n);
    ok = true;
    base += (n + 7) & ~7;
    return out;
  } finally {
    endWindow(ok, true);
  }
}

/**
 * Encodes `msg` into `buf` at `offset` (dns-packet style, no allocation): returns the
 * bytes written. Throws RtsockEncodeError, also when the message does not fit.
 */
export function encodeMessageInto(msg: MessageInput, buf: Uint8Array, offset = 0, opts?: CodecOptions): number {
  const fast = fastEncoder(msg, opts);
  // intoTarget passed this check before; (x >>> 0) === x: an integer in 0..2^32-1.
  if (fast !== undefined && (buf === intoTarget || buf instanceof Uint8Array) && (offset >>> 0) === offset) {
    // Straight into the caller's buffer: the fast path stores every byte or none.
    const n = encodeFastInto(fast, msg, buf, offset);
    if (n > 0) return n;
  }
  ensureWindow();
  let ok = false;
  try {
    const n = encodeAtBase(msg, opts);
    if (offset < 0 || offset + n > buf.length) {
      throw new RtsockEncodeError('TOO_LONG', '', `${n} bytes do not fit at offset ${offset} of a ${buf.length}-byte buffer`);
    }
    buf.set(slab.subarray(base, base + n), offset);
    ok = true;
    return n;
  } finally {
    endWindow(ok, false);
  }
}

/** Family of a message for delivery filters: its DST's, or (address messages) its IFA's; 0 if none. */
export function messageFamily(msg: Message): number {
  const sas = (msg as { sockaddrs?: Sockaddrs }).sockaddrs;
  const sa = sas?.['dst'] ?? (msg.hdr === 'ifa_msghdr' ? sas?.['ifa'] : undefined);
  if (!sa) return 0;
  if (sa.kind === 'inet') return AF_INET;
  if (sa.kind === 'inet6') return AF_INET6;
  return sa.family;
}
