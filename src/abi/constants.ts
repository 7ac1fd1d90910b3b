/**
 * Symbolic constants (RTM, RTF, RTA, RTAX, RTV, AF, IFF, RTP, IFAN, LINK_STATE, ...) with
 * name <-> number lookups. Values differ between dialects (RTF 0x200 is XRESOLVE in 4.9,
 * MULTICAST in current), so lookups take a dialect; the plain objects hold current's
 * values plus the names only 4.9 has.
 */
import { ABI_DATA } from './generated.js';
import { normalizeDialectName, type DialectName } from './dialect.js';

export type ConstantGroup =
  | 'RTM' | 'RTF' | 'RTV' | 'RTA' | 'RTAX' | 'ROUTE' | 'RTP' | 'IFAN' | 'AF' | 'IFF' | 'IFXF'
  | 'LINK_STATE' | 'IFT' | 'MPLS_OP' | 'NET_RT' | 'SOCKET' | 'BFD' | 'MISC';

type Table = Readonly<Record<string, number>>;

function merged(group: ConstantGroup): Table {
  const old = ABI_DATA['openbsd-4.9'].constants[group] ?? {};
  const cur = ABI_DATA.openbsd.constants[group] ?? {};
  return Object.freeze({ ...old, ...cur });
}

export const RTM = merged('RTM');
export const RTF = merged('RTF');
export const RTV = merged('RTV');
export const RTA = merged('RTA');
export const RTAX = merged('RTAX');
export const RTP = merged('RTP');
export const IFAN = merged('IFAN');
export const AF = merged('AF');
export const IFF = merged('IFF');
export const IFXF = merged('IFXF');
export const IFT = merged('IFT');
export const LINK_STATE = merged('LINK_STATE');
export const ROUTE = merged('ROUTE');
export const MPLS_OP = merged('MPLS_OP');
export const NET_RT = merged('NET_RT');

/** The constants of one group as one dialect defines them. */
export function constantsOf(group: ConstantGroup, dialect: DialectName | string = 'openbsd'): Table {
  return ABI_DATA[normalizeDialectName(dialect)].constants[group] ?? {};
}

const nameCache = new Map<string, Map<number, string>>();

/**
 * The name of `value` in `group` (e.g. `nameOf('RTM', 1)` = `RTM_ADD`), or undefined.
 * Aliases resolve to the first name the header lists (AF_LOCAL before AF_UNIX).
 */
export function nameOf(group: ConstantGroup, value: number, dialect: DialectName | string = 'openbsd'): string | undefined {
  const dn = normalizeDialectName(dialect);
  const key = `${dn}/${group}`;
  let m = nameCache.get(key);
  if (!m) {
    m = new Map();
    for (const [n, v] of Object.entries(constantsOf(group, dn))) {
      if (group === 'RTM' && (n === 'RTM_VERSION' || n === 'RTM_MAXSIZE')) continue;
      if (group === 'RTF' && n === 'RTF_FMASK') continue;
      if (group === 'RTAX' && n === 'RTAX_MAX') continue;
      if (group === 'AF' && n === 'AF_MAX') continue;
      if (!m.has(v)) m.set(v, n);
    }
    nameCache.set(key, m);
  }
  return m.get(value);
}

/** The value of a constant by name (`RTM_ADD` or, within a group, `ADD`), or undefined. */
export function valueOf(group: ConstantGroup, name: string, dialect: DialectName | string = 'openbsd'): number | undefined {
  const t = constantsOf(group, dialect);
  return t[name] ?? t[`${group}_${name}`];
}

/** Names of the bits set in `value` (e.g. RTF flags), lowest bit first; unknown bits as hex. */
export function bitNames(group: ConstantGroup, value: number, dialect: DialectName | string = 'openbsd'): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    const v = (1 << bit) >>> 0;
    if (((value >>> 0) & v) === 0) continue;
    out.push(nameOf(group, v, dialect) ?? `0x${v.toString(16)}`);
  }
  return out;
}
