/**
 * getopt(3) as BSD's has it, for the OpenBSD-style commands: options up to the first operand
 * (no reordering) or `--`; a letter followed by ':' in `spec` takes an argument, the rest of
 * its word or else the next word (undefined when there is none). Unknown letters reach `on`
 * too: each command answers them its own way (a usage message, a complaint).
 */
export function getopt(argv: string[], spec: string, on: (ch: string, arg: string | undefined) => void): number {
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return i + 1;
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const ch = a[j]!;
      if (!spec.includes(`${ch}:`)) {
        on(ch, undefined);
        continue;
      }
      on(ch, j + 1 < a.length ? a.slice(j + 1) : argv[++i]);
      break;
    }
  }
  return i;
}
