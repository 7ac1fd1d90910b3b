/**
 * ifconfig(8)'s IPv6 address attributes: setia6flags (`anycast`, `-anycast`, `tentative`,
 * `-tentative`), setia6pltime / setia6vltime (setia6lifetime) and setia6eui64, which fill
 * in6_addreq's ifra_flags, ifra_lifetime and ifra_addr as they are parsed for the
 * SIOCAIFADDR_IN6 at the end; and what in6_alias prints of an address's flags and lifetimes.
 * Current: ifconfig.c 1.476. 4.9: ifconfig.c 1.232 (the keywords as 1.246's cmds[] has them).
 */
import type { DialectName } from '../../abi/dialect.js';
import { parseIPv6 } from '../../codec/bytes.js';
import {
  IN6_IFF_ANYCAST, IN6_IFF_AUTOCONF, IN6_IFF_DEPRECATED, IN6_IFF_DETACHED, IN6_IFF_DUPLICATED, IN6_IFF_TEMPORARY, IN6_IFF_TENTATIVE,
} from '../../kernel/constants.js';
import { ND6_INFINITE_LIFETIME } from '../../kernel/in6-lifetime.js';
import { isLinkLocal6 } from '../../kernel/sockaddr-bytes.js';
import type { IfAddr } from '../../kernel/interface.js';
import type { Kernel } from '../../kernel/kernel.js';
import { strtonum } from '../route/context.js';
import { inet6Text } from '../route/names.js';

interface Inet6AttrRules {
  /** setia6lifetime's and setia6eui64's errx when the command's family is not inet6. */
  readonly notAllowed: (cmd: string) => string;
  /** setia6eui64 attaches IPv6 to the interface first (addaf, current). */
  readonly eui64Attaches: boolean;
  /** SIOCGIFAFLAG_IN6's bits as in6_alias names them, in its order (4.9's 0x80 is IN6_IFF_PRIVACY). */
  readonly flagNames: readonly (readonly [number, string])[];
}

const NAMES_COMMON: readonly (readonly [number, string])[] = [
  [IN6_IFF_ANYCAST, 'anycast'], [IN6_IFF_TENTATIVE, 'tentative'], [IN6_IFF_DUPLICATED, 'duplicated'],
  [IN6_IFF_DETACHED, 'detached'], [IN6_IFF_DEPRECATED, 'deprecated'], [IN6_IFF_AUTOCONF, 'autoconf'],
];

const RULES: Readonly<Record<DialectName, Inet6AttrRules>> = {
  openbsd: {
    notAllowed: (cmd) => `${cmd} not allowed for this address family`,
    eui64Attaches: true,
    flagNames: [...NAMES_COMMON, [IN6_IFF_TEMPORARY, 'temporary']],
  },
  'openbsd-4.9': {
    notAllowed: (cmd) => `${cmd} not allowed for the AF`,
    eui64Attaches: false,
    flagNames: [...NAMES_COMMON, [IN6_IFF_TEMPORARY, 'autoconfprivacy']],
  },
};

/** cmds[]'s setia6flags words and the flag each sets (or, with '-', clears). */
const FLAG_WORDS: Readonly<Record<string, number>> = { anycast: IN6_IFF_ANYCAST, tentative: IN6_IFF_TENTATIVE };

export function isInet6AttrKeyword(word: string): boolean {
  const bare = word.startsWith('-') ? word.slice(1) : word;
  return Object.hasOwn(FLAG_WORDS, bare) || word === 'pltime' || word === 'vltime' || word === 'eui64';
}

/** What an attribute keyword needs from ifconfig's command loop. */
export interface Inet6AttrContext {
  k: Kernel;
  name: string;
  /** afp: the command's address family (`inet6` given or not). */
  af: 'inet' | 'inet6';
  /** The address given so far (setifaddr), IPv6 ones as text, `%scope` kept. */
  address: () => { af: 'inet' | 'inet6'; addr: string } | undefined;
  /** An ioctl whose failure is warn()ed (addaf). */
  soft: (ioc: string, fn: () => void) => void;
  /** errx(1). */
  errx: (text: string) => never;
}

/** in6_addreq as the attribute keywords fill it. */
export class In6AddReq {
  flags = 0;
  pltime = ND6_INFINITE_LIFETIME;
  vltime = ND6_INFINITE_LIFETIME;
  /** ifra_addr's interface identifier while no address was given (setia6eui64 may fill it; the address replaces it). */
  private identifier = new Uint8Array(8);

  /** The keyword at params[i] (isInet6AttrKeyword); returns the index of the last word it took. */
  keyword(c: Inet6AttrContext, params: readonly string[], i: number): number {
    const w = params[i]!;
    if (w === 'pltime' || w === 'vltime') {
      if (i + 1 >= params.length) c.errx(`'${w}' requires argument`);
      this.lifetime(c, w, params[i + 1]!);
      return i + 1;
    }
    if (w === 'eui64') {
      this.eui64(c);
      return i;
    }
    // setia6flags: only in6_addreq changes; nothing is checked.
    const bit = FLAG_WORDS[w.replace(/^-/, '')]!;
    this.flags = w.startsWith('-') ? this.flags & ~bit : this.flags | bit;
    return i;
  }

  /** setia6lifetime: strtonum 0..1000000, then the address family. */
  private lifetime(c: Inet6AttrContext, cmd: 'pltime' | 'vltime', val: string): void {
    const v = strtonum(val, 0, 1000000);
    if (typeof v === 'string') c.errx(`invalid ${cmd} ${val}: ${v}`);
    if (c.af !== 'inet6') c.errx(RULES[c.k.policy.name].notAllowed(cmd));
    this[cmd] = v as number;
  }

  /**
   * setia6eui64: ifra_addr's last 64 bits, which must be zero, become those of the interface's
   * first link-local address (getifaddrs order). The address given so far takes them; with none
   * yet they wait in in6_addreq, where a later address overwrites them.
   */
  private eui64(c: Inet6AttrContext): void {
    const rules = RULES[c.k.policy.name];
    if (c.af !== 'inet6') c.errx(rules.notAllowed('eui64'));
    if (rules.eui64Attaches) c.soft(`${c.name}: SIOCIFAFATTACH`, () => c.k.ifconfig.enableInet6(c.name));
    const op = c.address();
    const addr = new Uint8Array(16);
    const scope = op?.af === 'inet6' ? /%.*$/.exec(op.addr)?.[0] ?? '' : '';
    if (op?.af === 'inet6') parseIPv6(op.addr.replace(/%.*$/, ''), addr, 0);
    else addr.set(this.identifier, 8);
    if (addr.subarray(8).some((b) => b !== 0)) c.errx('interface index is already filled');
    const ifp = c.k.ifconfig.interfaceNamed(c.name);
    const ll = ifp?.addrs.find((a) => a.af === 'inet6' && isLinkLocal6(a.addr));
    if (!ll) c.errx('could not determine link local address');
    addr.set(ll.addr.subarray(8), 8);
    if (op?.af === 'inet6') op.addr = `${inet6Text(addr)}${scope}`;
    else this.identifier = addr.slice(8);
  }
}

/** in6_alias's flag words for an address (SIOCGIFAFLAG_IN6). */
export function inet6FlagWords(k: Kernel, a: IfAddr): string {
  let s = '';
  for (const [bit, name] of RULES[k.policy.name].flagNames) if ((a.flags6 ?? 0) & bit) s += ` ${name}`;
  return s;
}

/**
 * in6_alias's lifetimes (SIOCGIFALIFETIME_IN6, printed as Lflag is set): when either is finite,
 * the seconds left of each (0 once past) or `infty`; nothing when both are infinite.
 */
export function inet6Lifetimes(k: Kernel, a: IfAddr): string {
  const l = a.lifetime;
  if (!l || (l.pltime === ND6_INFINITE_LIFETIME && l.vltime === ND6_INFINITE_LIFETIME)) return '';
  const now = k.now();
  const left = (v: number) => (v === ND6_INFINITE_LIFETIME ? 'infty' : String(Math.max(0, l.updated + v - now)));
  return ` pltime ${left(l.pltime)} vltime ${left(l.vltime)}`;
}
