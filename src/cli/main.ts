#!/usr/bin/env node
/**
 * The `rtsock` command: `decode`/`encode` routing messages, `route`/`ifconfig`/`arp`/`ndp` a
 * simulated kernel. Errors are one line on stderr and a non-zero status, never a stack trace.
 */
import { complain } from './io.js';

const USAGE = `usage: rtsock decode [--hex] [--json] [--dialect D] [--arch A] [FILE|-]
       rtsock encode [--hex] [--dialect D] [--arch A] [FILE|-]
       rtsock route [-dnqtv] [-T rtable] command [[modifier ...] arg ...]
       rtsock ifconfig [interface [parameters]]
       rtsock arp [-adn] [-V rdomain] hostname | -s hostname ether_addr ...
       rtsock ndp [-acnt] [-A wait] [-d hostname] [-f filename] [-i interface]
                  [-s nodename ether_addr [temp] [proxy]] [-V rdomain] [hostname]
       rtsock device [-T rtable] open | close name   (rtsock's stand-in for open(2)/close(2) of /dev/tunN, /dev/tapN)`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  // Each command's modules load only when it runs: start-up time is most of a short command.
  decode: async (argv) => (await import('./decode.js')).decodeCommand(argv),
  encode: async (argv) => (await import('./encode.js')).encodeCommand(argv),
  route: async (argv) => (await import('./route/main.js')).routeCommand(argv),
  ifconfig: async (argv) => (await import('./ifconfig/main.js')).ifconfigCommand(argv),
  arp: async (argv) => (await import('./arp/main.js')).arpCommand(argv),
  ndp: async (argv) => (await import('./ndp/main.js')).ndpCommand(argv),
  device: async (argv) => (await import('./device.js')).deviceCommand(argv),
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
