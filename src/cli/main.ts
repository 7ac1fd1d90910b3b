#!/usr/bin/env node
/**
 * The `rtsock` command: `decode` and `encode` routing messages. Errors are one line on
 * stderr and a non-zero status, never a stack trace.
 */
import { decodeCommand } from './decode.js';
import { encodeCommand } from './encode.js';
import { complain } from './io.js';

const USAGE = `usage: rtsock decode [--hex] [--json] [--dialect D] [--arch A] [FILE|-]
       rtsock encode [--hex] [--dialect D] [--arch A] [FILE|-]
       rtsock route [-dnqtv] [-T rtable] command [[modifier ...] arg ...]
       rtsock ifconfig [interface [parameters]]`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  decode: decodeCommand,
  encode: encodeCommand,
  // The kernel front ends are loaded only when used, keeping decode/encode start-up lean.
  route: async (argv) => (await import('./route/main.js')).routeCommand(argv),
  ifconfig: async (argv) => (await import('./ifconfig/main.js')).ifconfigCommand(argv),
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const run = cmd ? COMMANDS[cmd] : undefined;
  if (!run) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  return run(rest);
}

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status; },
  (e: unknown) => {
    // Bad flags, unreadable files and the like: say what, not where in our code.
    complain(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  },
);
