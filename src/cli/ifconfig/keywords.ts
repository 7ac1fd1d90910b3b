/**
 * Words of ifconfig's command loop (src/cli/ifconfig/main.ts's switch) that a dialect's cmds[]
 * has no entry for. ifconfig.c's main looks a word up in cmds[] and, finding nothing, hands it
 * to setifaddr (then setifdstaddr, then "bad value"): in that dialect the word is an address
 * like any other. Keywords that other tables already gate (xflags.ts, hdrprio.ts, tunnel.ts,
 * the flag words by IfFlagsPolicy.settable) are not repeated here.
 *
 * 4.9: 1.246's cmds[] (2011/03/23), in agreement with 1.232's (2010/05/06): no `llprio`
 * (SIOCSIFLLPRIO came with OpenBSD 6.1), no `-rdomain` (only `rdomain`, setinstance), no `-inet`
 * (only `-inet6`, setifxflags IFXF_NOINET6). Current: 1.476's cmds[], which has them all.
 */
import type { DialectName } from '../../abi/dialect.js';

const ABSENT: Readonly<Record<DialectName, ReadonlySet<string>>> = {
  'openbsd-4.9': new Set(['llprio', '-rdomain', '-inet']),
  openbsd: new Set(),
};

/** `word` as the command loop should take it: '' (no keyword, an address) where the dialect's cmds[] lacks it. */
export function commandWord(dialect: DialectName, word: string): string {
  return ABSENT[dialect].has(word) ? '' : word;
}
