/**
 * What ifconfig(8) shows rather than changes: its leading options (-a, -A, -g, -C and current's
 * -M), printif (an interface, every interface, a group's members, or the interfaces whose name
 * is the word and a unit number), printgroupattribs / setgroupattribs (`-g GROUP`) and
 * list_cloners (`-C`). From ifconfig.c 1.476 (current) and 1.232, the nearest stored revision to
 * 4.9's; where they differ, the difference is data ({@link SHOW_RULES}).
 */
import type { DialectName } from '../../abi/dialect.js';
import { IFT_ETHER } from '../../kernel/constants.js';
import { RtsockErrno, fail, strerror } from '../../kernel/errno.js';
import type { Interface } from '../../kernel/interface.js';
import type { Kernel } from '../../kernel/kernel.js';
import { strtonum } from '../route/context.js';
import { Fail } from './fail.js';
import { addressLine, interfaceHead, type StatusFormat } from './print.js';
import { tunnelStatus } from './tunnel.js';

type Family = 'inet' | 'inet6';

interface ShowRules {
  readonly usage: string;
  /** The option letters main's switch knows. */
  readonly letters: string;
  /** How err/errx name a group command's failure: current puts the group's name first. */
  readonly named: (group: string, text: string) => string;
  /** list_cloners sorts the names (current); 4.9 prints them in the kernel's order. */
  readonly sortCloners: boolean;
  /** How status() prints an interface and its addresses. */
  readonly format: StatusFormat;
}

const SHOW_RULES: Readonly<Record<DialectName, ShowRules>> = {
  openbsd: {
    usage: 'usage: ifconfig [-AaC] [-M lladdr] [interface] [address_family]\n\t\t[address [dest_address]] [parameters]\n',
    letters: 'aAgCM',
    named: (group, text) => `${group}: ${text}`,
    sortCloners: true,
    format: { showsXflags: true, indexLine: true, vlanEncap: true, inet6Arrow: ' --> ', vlanMedia: 'parent' },
  },
  'openbsd-4.9': {
    usage: 'usage: ifconfig [-AaC] [interface] [address_family] [address [dest_address]]\n\t\t[parameters]\n',
    letters: 'aAgC',
    named: (_group, text) => text,
    sortCloners: false,
    format: { showsXflags: false, indexLine: false, vlanEncap: false, inet6Arrow: ' -> ', vlanMedia: 'none' },
  },
};

export function usage(dialect: DialectName): never {
  throw new Fail(SHOW_RULES[dialect].usage);
}

/** main's reading of its leading option word and the words after it. */
export interface IfconfigArgs {
  /** -a or -A: every interface (ifname unset). */
  readonly aflag: boolean;
  /** -A: every IPv4 address of each (printif's ifaliases). */
  readonly ifaliases: boolean;
  readonly gflag: boolean;
  readonly cflag: boolean;
  /** -M's link-layer address (current). */
  readonly mac?: string;
  /** The interface (or group) named; '' under -a, -A, -C. */
  readonly name: string;
  /** The words after it. */
  readonly rest: readonly string[];
}

const IFNAMSIZ = 16;

/**
 * main: the option letters, then the interface name unless a letter said there is none.
 * `dialectOf` is asked only for an option word (it may load the stored kernel).
 */
export function parseArgs(argv: readonly string[], dialectOf: () => DialectName): IfconfigArgs {
  let aflag = false;
  let ifaliases = false;
  let gflag = false;
  let cflag = false;
  let nomore = false;
  let i = 0;
  let name = '';
  if (argv[0]!.startsWith('-')) {
    const dialect = dialectOf();
    const rules = SHOW_RULES[dialect];
    for (const c of argv[0]!.slice(1)) {
      if (!rules.letters.includes(c)) usage(dialect);
      if (c === 'a' || c === 'A') {
        aflag = true;
        ifaliases ||= c === 'A';
        nomore = true;
      } else if (c === 'g') gflag = true;
      else if (c === 'C') {
        cflag = true;
        nomore = true;
      } else {
        // -M: findmac at once, with the next word.
        if (argv[1] === undefined) usage(dialect);
        return { aflag, ifaliases, gflag, cflag, mac: argv[1], name, rest: [] };
      }
    }
    if (!nomore) {
      i++;
      if (i >= argv.length) usage(dialect);
      name = argv[i]!;
    }
  } else name = argv[0]!;
  if (Buffer.byteLength(name) >= IFNAMSIZ) throw new Fail(`ifconfig: interface name '${name}' too long\n`);
  return { aflag, ifaliases, gflag, cflag, name, rest: argv.slice(i + 1) };
}

/** The address family word main takes after the name (afs[]), if the first word is one. */
export function familyWord(rest: readonly string[]): Family | undefined {
  return rest[0] === 'inet' || rest[0] === 'inet6' ? rest[0] : undefined;
}

/** status(1, ...) of one interface and the address entries printif shows after it. */
function printOne(k: Kernel, ifp: Interface, ifaliases: boolean, af: Family | undefined): string {
  // status's SIOCGIFMEDIA may change the interface first (4.9's tun settles its link state).
  k.ifconfig.queryMedia(ifp.name);
  const format = SHOW_RULES[k.policy.name].format;
  const parent = ifp.parent ? k.ifconfig.interfaceNamed(ifp.parent) : undefined;
  let s = interfaceHead(ifp, format, parent) + tunnelStatus(k, ifp);
  // printif: without ifaliases only an interface's first IPv4 address is shown (noinet).
  let noinet = true;
  for (const a of ifp.addrs) {
    if (a.af === 'inet' && !ifaliases && !noinet) continue;
    if (af === undefined || a.af === af) s += addressLine(k, a, ifp, format);
    if (a.af === 'inet') noinet = false;
  }
  return s;
}

/**
 * printif(name, ifaliases): every interface (name undefined); a name not ending in a digit is a
 * group first (printgroup: its members in the order they joined), then the interfaces whose
 * name is it and a unit number; otherwise the interface itself. None: "NAME: no such interface".
 */
export function printif(k: Kernel, name: string | undefined, ifaliases: boolean, af: Family | undefined): string {
  const last = name?.at(-1);
  const digit = last !== undefined && last >= '0' && last <= '9';
  if (name !== undefined && name !== '' && !digit) {
    // printgroup: printif of each member, whose name (ending in its unit) matches it alone.
    const members = groupMembers(k, name);
    if (members) return members.map((m) => printOne(k, k.ifconfig.interfaceNamed(m)!, ifaliases, af)).join('');
  }
  // getifaddrs: the interfaces in attach order (their indexes grow with it).
  const all = [...k.interfaces.values()].sort((a, b) => a.index - b.index);
  const shown = all.filter((ifp) => name === undefined || (digit ? ifp.name === name : ifp.name.startsWith(name) && /^[0-9]/.test(ifp.name.slice(name.length))));
  if (shown.length === 0) throw new Fail(`${name}: no such interface\n`);
  return shown.map((ifp) => printOne(k, ifp, ifaliases, af)).join('');
}

/** SIOCGIFGMEMB: the members' names, undefined for no such group (printgroup's -1). */
function groupMembers(k: Kernel, group: string): string[] | undefined {
  try {
    return k.ifconfig.groupMembers(group);
  } catch (e) {
    if (e instanceof RtsockErrno) return undefined;
    throw e;
  }
}

/** printgroupattribs: "GROUP: carp demote count N"; err(1) on SIOCGIFGATTR's failure. */
export function groupAttributes(k: Kernel, group: string): string {
  const rules = SHOW_RULES[k.policy.name];
  try {
    return `${group}: carp demote count ${k.ifconfig.groupDemotion(group)}\n`;
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    throw new Fail(`ifconfig: ${rules.named(group, 'SIOCGIFGATTR')}: ${strerror(e.errno)}\n`);
  }
}

/**
 * setgroupattribs: `carpdemote [N]` adds N (default 1, strtonum 0..128), `-carpdemote [N]`
 * takes it away; any other word is usage. SIOCSIFGATTR needs root (EPERM); err(1) on failure.
 */
export function setGroupAttributes(k: Kernel, root: boolean, group: string, args: readonly string[]): void {
  const rules = SHOW_RULES[k.policy.name];
  let n = 1;
  if (args.length > 1) {
    const v = strtonum(args[1]!, 0, 128);
    if (typeof v === 'string') throw new Fail(`ifconfig: ${rules.named(group, `invalid carp demotion: ${v}`)}\n`);
    n = v;
  }
  let word = args[0]!;
  if (word.startsWith('-')) {
    n = -n;
    word = word.slice(1);
  }
  if (word !== 'carpdemote') usage(k.policy.name);
  try {
    if (!root) fail('EPERM');
    k.ifconfig.demoteGroup(group, n);
  } catch (e) {
    if (!(e instanceof RtsockErrno)) throw e;
    throw new Fail(`ifconfig: ${rules.named(group, 'SIOCSIFGATTR')}: ${strerror(e.errno)}\n`);
  }
}

/** list_cloners: the cloners' names on one line (sorted in current). */
export function listCloners(k: Kernel): string {
  const names = k.ifconfig.cloners();
  if (SHOW_RULES[k.policy.name].sortCloners) names.sort();
  return `${names.join(' ')}\n`;
}

/**
 * findmac (current): the one interface whose Ethernet address ether_ntoa prints as `mac`, MACs
 * of cloned interfaces ignored; exit status 1 when two have it. Every interface of the model is
 * a clone, so it never names one, as on a machine with only cloned interfaces.
 */
export function findMac(k: Kernel, mac: string): { text: string; status: number } {
  const cloners = k.ifconfig.cloners();
  const found: string[] = [];
  for (const ifp of [...k.interfaces.values()].sort((a, b) => a.index - b.index)) {
    if (ifp.lladdr.length !== 6 || ifp.type !== IFT_ETHER) continue;
    if ([...ifp.lladdr].map((b) => b.toString(16).padStart(2, '0')).join(':') !== mac) continue;
    const stem = ifp.name.replace(/[0-9].*$/, '');
    if (cloners.some((c) => c.startsWith(stem))) continue;
    found.push(ifp.name);
  }
  if (found.length > 1) return { text: '', status: 1 };
  return { text: found.length === 1 ? `${found[0]}\n` : '', status: 0 };
}
