/**
 * ifconfig's `group NAME` and `-group NAME` (setifgroup, unsetifgroup): the name checks and
 * error texts differ between the dialects' ifconfig.c, so they are data here. Current is
 * ifconfig.c 1.476; 4.9 follows 1.232, the nearest stored revision (4.9's 1.246 is not).
 */
import type { DialectName } from '../../abi/dialect.js';

/** What one of the two commands checks, in order, before its ioctl, and how a failing ioctl is named. */
interface GroupCommand {
  /** errx texts for the checks it makes, in its order: empty name, too long, ending in a digit. */
  readonly checks: readonly ('empty' | 'long' | 'digit')[];
  /** err(1, ...)'s text before ": strerror" for a failing ioctl. */
  readonly ioctl: (group: string) => string;
  /** Errnos of the ioctl that are let pass silently. */
  readonly ignored: readonly string[];
}

interface GroupCommands { readonly add: GroupCommand; readonly del: GroupCommand }

const GROUP_COMMANDS: Readonly<Record<DialectName, GroupCommands>> = {
  openbsd: {
    add: { checks: ['empty', 'long', 'digit'], ioctl: (g) => `${g}: SIOCAIFGROUP`, ignored: ['EEXIST'] },
    del: { checks: ['long'], ioctl: (g) => `${g}: SIOCDIFGROUP`, ignored: [] },
  },
  'openbsd-4.9': {
    // err(1," SIOCAIFGROUP"): the space is in the source.
    add: { checks: ['digit', 'long'], ioctl: () => ' SIOCAIFGROUP', ignored: ['EEXIST'] },
    del: { checks: ['digit', 'long'], ioctl: () => 'SIOCDIFGROUP', ignored: [] },
  },
};

const CHECK_TEXT = {
  empty: 'group name empty', long: 'group name too long', digit: 'group names may not end in a digit',
} as const;

/** The command's first failing check as errx prints it (without "ifconfig: "), or undefined. */
export function groupNameProblem(dialect: DialectName, remove: boolean, group: string): string | undefined {
  const c = remove ? GROUP_COMMANDS[dialect].del : GROUP_COMMANDS[dialect].add;
  for (const check of c.checks) {
    const bad = check === 'empty' ? group.length === 0 : check === 'long' ? group.length >= 16 : /[0-9]$/.test(group);
    if (bad) return `${remove ? 'unsetifgroup' : 'setifgroup'}: ${CHECK_TEXT[check]}`;
  }
  return undefined;
}

/** The command's ioctl description for err(), and whether an errno code is let pass. */
export function groupIoctl(dialect: DialectName, remove: boolean, group: string): { name: string; ignores: (code: string) => boolean } {
  const c = remove ? GROUP_COMMANDS[dialect].del : GROUP_COMMANDS[dialect].add;
  return { name: c.ioctl(group), ignores: (code) => c.ignored.includes(code) };
}
