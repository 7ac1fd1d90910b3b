/**
 * ifconfig's keywords that go through setifxflags (SIOCGIFXFLAGS, then SIOCSIFXFLAGS with one
 * flag set or cleared, each failure only warned about): current's `autoconf` (setautoconf: by
 * the address family, IFXF_AUTOCONF4 or IFXF_AUTOCONF6 with AUTOCONF6TEMP; `-autoconf` clears
 * AUTOCONF6 alone), `temporary`, `soii`, `monitor`, `mpls`, `wol` and `tcplro` (ifconfig.c 1.476); 4.9's
 * `autoconfprivacy` and `-inet6`, and its family word `inet6` clearing IFXF_NOINET6 (1.232).
 * Which keywords a dialect has and their texts are data here.
 */
import type { DialectName } from '../../abi/dialect.js';
import {
  IFXF_AUTOCONF4, IFXF_AUTOCONF6, IFXF_AUTOCONF6TEMP, IFXF_INET6_NOSOII, IFXF_INET6_PRIVACY_49, IFXF_LRO, IFXF_MONITOR, IFXF_MPLS,
  IFXF_NOINET6_49, IFXF_WOL,
} from '../../kernel/constants.js';

type Family = 'inet' | 'inet6';

/** The signed flag a keyword asks for in the address family of the moment, or errx's text. */
type XflagWord = (af: Family) => number | { readonly errx: string };

interface XflagRules {
  readonly words: Readonly<Record<string, XflagWord>>;
  /** warn()'s texts for the two ioctls. */
  readonly get: (ifname: string) => string;
  readonly set: (ifname: string) => string;
  /**
   * The signed flag the family word `inet6` with parameters after it asks for: 4.9's main runs
   * setifxflags("inet6", -IFXF_NOINET6) before them (1.232); current runs addaf instead.
   */
  readonly inet6Word?: number;
}

const inet6Only = (flag: number, text: (af: Family) => string): XflagWord =>
  (af) => (af === 'inet6' ? flag : { errx: text(af) });

const XFLAG_RULES: Readonly<Record<DialectName, XflagRules>> = {
  openbsd: {
    words: {
      autoconf: (af) => (af === 'inet' ? IFXF_AUTOCONF4 : IFXF_AUTOCONF6 | IFXF_AUTOCONF6TEMP),
      '-autoconf': (af) => (af === 'inet' ? -IFXF_AUTOCONF4 : -IFXF_AUTOCONF6),
      temporary: inet6Only(IFXF_AUTOCONF6TEMP, () => 'temporary not allowed for this address family'),
      '-temporary': inet6Only(-IFXF_AUTOCONF6TEMP, () => 'temporary not allowed for this address family'),
      soii: () => -IFXF_INET6_NOSOII,
      '-soii': () => IFXF_INET6_NOSOII,
      monitor: () => IFXF_MONITOR,
      '-monitor': () => -IFXF_MONITOR,
      mpls: () => IFXF_MPLS,
      '-mpls': () => -IFXF_MPLS,
      wol: () => IFXF_WOL,
      '-wol': () => -IFXF_WOL,
      tcplro: () => IFXF_LRO,
      '-tcplro': () => -IFXF_LRO,
    },
    get: (ifname) => `${ifname}: SIOCGIFXFLAGS`,
    set: (ifname) => `${ifname}: SIOCSIFXFLAGS`,
  },
  'openbsd-4.9': {
    words: {
      autoconfprivacy: inet6Only(IFXF_INET6_PRIVACY_49, (af) => `autoconfprivacy needs AF inet6, current AF is \`${af}'`),
      '-autoconfprivacy': inet6Only(-IFXF_INET6_PRIVACY_49, (af) => `autoconfprivacy needs AF inet6, current AF is \`${af}'`),
      // 1.232's `-inet6` is setifxflags(IFXF_NOINET6): the kernel's in6_ifdetach, then RTM_IFINFO.
      '-inet6': () => IFXF_NOINET6_49,
    },
    get: () => 'SIOCGIFXFLAGS',
    set: () => 'SIOCSIFXFLAGS',
    inet6Word: -IFXF_NOINET6_49,
  },
};

/** The rules of `word` in the dialect's ifconfig, undefined when it is no xflags keyword there. */
export function xflagWord(dialect: DialectName, word: string): XflagWord | undefined {
  return Object.hasOwn(XFLAG_RULES[dialect].words, word) ? XFLAG_RULES[dialect].words[word] : undefined;
}

/** What the family word `inet6` followed by parameters asks setifxflags for, if it goes through it in the dialect. */
export function inet6WordXflag(dialect: DialectName): number | undefined {
  return XFLAG_RULES[dialect].inet6Word;
}

/** setifxflags's warn() texts (without "ifconfig: "). */
export function xflagIoctls(dialect: DialectName, ifname: string): { get: string; set: string } {
  const r = XFLAG_RULES[dialect];
  return { get: r.get(ifname), set: r.set(ifname) };
}
