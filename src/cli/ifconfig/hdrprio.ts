/**
 * ifconfig(8)'s header priorities, current only (ifconfig.c 1.476): the `txprio` and `rxprio`
 * keywords (settxprio, setrxprio: a source's name, else strtonum IF_HDRPRIO_MIN..IF_HDRPRIO_MAX
 * with errx(1, "tx prio %s: %s") / "rx prio"; the ioctl's failure is a warn()) and their words
 * in getencap's `encap:` line. 4.9's ifconfig (1.246's cmds[]) has neither keyword: there they
 * are addresses like any other unknown word.
 */
import type { DialectName } from '../../abi/dialect.js';
import {
  IF_HDRPRIO_MAX, IF_HDRPRIO_MIN, IF_HDRPRIO_OUTER, IF_HDRPRIO_PACKET, IF_HDRPRIO_PAYLOAD, type HdrPrioDirection,
} from '../../kernel/hdrprio.js';
import { strtonum } from '../route/context.js';

/**
 * The sources each direction names, in settxprio's / setrxprio's order; getencap prints the
 * same names (any other value as a number).
 */
const NAMES: Readonly<Record<HdrPrioDirection, readonly (readonly [string, number])[]>> = {
  tx: [['packet', IF_HDRPRIO_PACKET], ['payload', IF_HDRPRIO_PAYLOAD]],
  rx: [['packet', IF_HDRPRIO_PACKET], ['payload', IF_HDRPRIO_PAYLOAD], ['outer', IF_HDRPRIO_OUTER]],
};

/** cmds[]'s header priority keywords, by dialect. */
const KEYWORDS: Readonly<Record<DialectName, ReadonlyMap<string, HdrPrioDirection>>> = {
  'openbsd-4.9': new Map(),
  openbsd: new Map([['txprio', 'tx'], ['rxprio', 'rx']]),
};

/** The direction a keyword sets, where the dialect's ifconfig has it. */
export function hdrPrioKeyword(dialect: DialectName, word: string): HdrPrioDirection | undefined {
  return KEYWORDS[dialect].get(word);
}

/** settxprio / setrxprio's value for `arg`, or the text of its errx. */
export function hdrPrioArgument(dir: HdrPrioDirection, arg: string): number | { errx: string } {
  const named = NAMES[dir].find(([n]) => n === arg);
  if (named) return named[1];
  const n = strtonum(arg, IF_HDRPRIO_MIN, IF_HDRPRIO_MAX);
  return typeof n === 'number' ? n : { errx: `${dir} prio ${arg}: ${n}` };
}

/** getencap's word for a header priority. */
export function hdrPrioWord(dir: HdrPrioDirection, prio: number): string {
  return NAMES[dir].find(([, v]) => v === prio)?.[0] ?? String(prio);
}
