/**
 * A dialect is data: the message version, constants, struct layouts, sockaddr rounding
 * and byte order of one OpenBSD release on one arch. Everything the codec does
 * differently between `openbsd-4.9` and `openbsd` (current) is looked up here.
 */
import { ABI_DATA, type DialectData } from './generated.js';
import { buildLayout, type StructLayout } from './layout.js';

export type DialectName = 'openbsd-4.9' | 'openbsd';
export type ArchName = 'amd64' | 'i386' | 'sparc64';

export const DIALECTS: readonly DialectName[] = ['openbsd-4.9', 'openbsd'];
export const ARCHES: readonly ArchName[] = ['amd64', 'i386', 'sparc64'];
/** The seed's dialect: what encoding uses when the caller names none. */
export const DEFAULT_DIALECT: DialectName = 'openbsd-4.9';
export const DEFAULT_ARCH: ArchName = 'amd64';

/** Which header struct a message type uses. */
export type HeaderKind =
  | 'rt_msghdr' | 'if_msghdr' | 'ifa_msghdr' | 'if_announcemsghdr'
  | 'if_ieee80211_msghdr' | 'bfd_msghdr';

export const HEADER_KINDS: readonly HeaderKind[] = [
  'rt_msghdr', 'if_msghdr', 'ifa_msghdr', 'if_announcemsghdr', 'if_ieee80211_msghdr', 'bfd_msghdr',
];

/** Per dialect: header by type name; types not listed use rt_msghdr (the kernel's default). */
const HEADER_FOR_TYPE: Record<DialectName, Record<string, HeaderKind>> = {
  'openbsd-4.9': {
    RTM_NEWADDR: 'ifa_msghdr', RTM_DELADDR: 'ifa_msghdr', RTM_IFINFO: 'if_msghdr', RTM_IFANNOUNCE: 'if_announcemsghdr',
  },
  openbsd: {
    RTM_NEWADDR: 'ifa_msghdr', RTM_DELADDR: 'ifa_msghdr', RTM_CHGADDRATTR: 'ifa_msghdr', RTM_IFINFO: 'if_msghdr',
    RTM_IFANNOUNCE: 'if_announcemsghdr', RTM_BFD: 'bfd_msghdr', RTM_80211INFO: 'if_ieee80211_msghdr',
  },
};

/**
 * Types whose kernel-written hdrlen is not the size of their own header: current's
 * rtm_addr() writes RTM_CHGADDRATTR as an ifa_msghdr but rtm_msg1 sizes it as rt_msghdr.
 */
const HDRLEN_AS: Record<DialectName, Record<string, HeaderKind>> = {
  'openbsd-4.9': {},
  openbsd: { RTM_CHGADDRATTR: 'rt_msghdr' },
};

/** sockaddr slots in RTAX order (bit i of *_addrs <-> slot i), lowercase RTAX names. */
const RTAX_SLOTS: Record<DialectName, readonly string[]> = {
  'openbsd-4.9': ['dst', 'gateway', 'netmask', 'genmask', 'ifp', 'ifa', 'author', 'brd', 'src', 'srcmask', 'label'],
  openbsd: ['dst', 'gateway', 'netmask', 'genmask', 'ifp', 'ifa', 'author', 'brd', 'src', 'srcmask', 'label',
    'bfd', 'dns', 'static', 'search'],
};

/** How a slot's sockaddr is read, beyond its own family byte. */
export const SlotMode = { ByFamily: 0, Mask: 1, Label: 2, Dns: 3, Static: 4, Search: 5, Bfd: 6 } as const;
export type SlotMode = (typeof SlotMode)[keyof typeof SlotMode];

const SLOT_MODES: Record<string, SlotMode> = {
  netmask: SlotMode.Mask, genmask: SlotMode.Mask, srcmask: SlotMode.Mask, label: SlotMode.Label,
  dns: SlotMode.Dns, static: SlotMode.Static, search: SlotMode.Search, bfd: SlotMode.Bfd,
};

function slotModes(slots: readonly string[]): Uint8Array {
  return Uint8Array.from(slots, (s) => SLOT_MODES[s] ?? SlotMode.ByFamily);
}

export interface Dialect {
  readonly name: DialectName;
  readonly arch: ArchName;
  readonly rtmVersion: number;
  readonly littleEndian: boolean;
  /** sizeof(long): sockaddrs are rounded to it and a zero sa_len still takes it. */
  readonly roundup: number;
  /** ALIGN() applied to msglen of rt_msg2/sysctl records (16 on sparc64). */
  readonly msg2Align: number;
  readonly constants: DialectData['constants'];
  /** Header layouts by kind (only those the dialect has). */
  readonly headers: Readonly<Partial<Record<HeaderKind, StructLayout>>>;
  /** Sockaddr and embedded struct layouts (sockaddr_dl, sockaddr_bfd, ...). */
  readonly structs: Readonly<Record<string, StructLayout>>;
  readonly rtaxSlots: readonly string[];
  /** How each slot's sockaddr is read (SlotMode values), by RTAX index. */
  readonly slotModes: Uint8Array;
  /** Header kind by numeric message type. */
  headerFor(type: number): HeaderKind;
  /** hdrlen the kernel writes for this type. */
  kernelHdrlen(type: number): number;
  /** Whether `type` is a message type this dialect defines. */
  knowsType(type: number): boolean;
}

/** Dialects by name (aliases included) then arch; getDialect is on every decode's path. */
const cache: Record<string, Record<string, Dialect> | undefined> = Object.create(null);

/** Accepts `openbsd-current` as an alias of `openbsd` (abi.json's name). */
export function normalizeDialectName(name: string): DialectName {
  if (name === 'openbsd-current' || name === 'current') return 'openbsd';
  if (name === '4.9') return 'openbsd-4.9';
  if (name === 'openbsd' || name === 'openbsd-4.9') return name;
  throw new RangeError(`unknown dialect "${name}" (expected openbsd-4.9 or openbsd)`);
}

export function normalizeArchName(name: string): ArchName {
  if (name === 'amd64' || name === 'i386' || name === 'sparc64') return name;
  if (name === 'x86_64') return 'amd64';
  throw new RangeError(`unknown arch "${name}" (expected amd64, i386 or sparc64)`);
}

/** The dialect for a name and arch; built once and cached. */
let lastName = '';
let lastArch = '';
let lastDialect: Dialect | undefined;

export function getDialect(name: string = DEFAULT_DIALECT, arch: string = DEFAULT_ARCH): Dialect {
  // Encoders call this per message, nearly always with the same pair as last time.
  if (name === lastName && arch === lastArch) return lastDialect!;
  const hit = cache[name]?.[arch];
  if (hit) {
    lastName = name;
    lastArch = arch;
    lastDialect = hit;
  }
  if (hit) return hit;
  const d = buildDialect(normalizeDialectName(name), normalizeArchName(arch));
  (cache[name] ??= Object.create(null) as Record<string, Dialect>)[arch] = d;
  return d;
}

/** The dialect whose RTM_VERSION is `version`, or undefined. */
export function dialectForVersion(version: number): DialectName | undefined {
  return BY_VERSION[version];
}
const BY_VERSION: (DialectName | undefined)[] = [];
for (const name of DIALECTS) BY_VERSION[ABI_DATA[name].rtmVersion] = name;

const built = new Map<string, Dialect>();

function buildDialect(name: DialectName, arch: ArchName): Dialect {
  const key = `${name}/${arch}`;
  let d = built.get(key);
  if (!d) built.set(key, (d = makeDialect(name, arch)));
  return d;
}

function makeDialect(name: DialectName, arch: ArchName): Dialect {
  const data = ABI_DATA[name];
  const archData = data.arches[arch];
  const headers: Partial<Record<HeaderKind, StructLayout>> = {};
  for (const kind of HEADER_KINDS) {
    if (archData.structs[kind]) headers[kind] = buildLayout(kind, archData.structs);
  }
  const structs: Record<string, StructLayout> = {};
  // sockaddr_in/in6 refer to in_addr/in6_addr, which the codec reads by hand: skip them.
  for (const sname of Object.keys(archData.structs)) {
    if (sname !== 'sockaddr_in' && sname !== 'sockaddr_in6') structs[sname] = buildLayout(sname, archData.structs);
  }
  const rtm = data.constants['RTM']!;
  const byType = new Map<number, HeaderKind>();
  const hdrlenByType = new Map<number, number>();
  for (const [tname, kind] of Object.entries(HEADER_FOR_TYPE[name])) {
    const t = rtm[tname];
    if (t !== undefined) byType.set(t, kind);
  }
  for (const [tname, kind] of Object.entries(HDRLEN_AS[name])) {
    const t = rtm[tname];
    if (t !== undefined) hdrlenByType.set(t, headers[kind]!.size);
  }
  const known = new Set(Object.entries(rtm).filter(([k]) => k !== 'RTM_VERSION' && k !== 'RTM_MAXSIZE').map(([, v]) => v));
  const rtSize = headers.rt_msghdr!.size;
  return {
    name,
    arch,
    rtmVersion: data.rtmVersion,
    littleEndian: archData.littleEndian,
    roundup: archData.sockaddrRoundup,
    msg2Align: archData.msg2Align,
    constants: data.constants,
    headers,
    structs,
    rtaxSlots: RTAX_SLOTS[name],
    slotModes: slotModes(RTAX_SLOTS[name]),
    headerFor: (type) => byType.get(type) ?? 'rt_msghdr',
    kernelHdrlen: (type) => hdrlenByType.get(type) ?? (byType.has(type) ? headers[byType.get(type)!]!.size : rtSize),
    knowsType: (type) => known.has(type),
  };
}

/** ROUNDUP(sa_len) of rtsock.c: a multiple of sizeof(long); 0 still takes sizeof(long). */
export function roundup(len: number, unit: number): number {
  return len > 0 ? 1 + ((len - 1) | (unit - 1)) : unit;
}
