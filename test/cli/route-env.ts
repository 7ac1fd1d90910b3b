/** Fresh state files for CLI end-to-end tests, and a runner bound to one. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rtsock, type RunResult } from './run.js';

export interface Machine {
  state: string;
  env: NodeJS.ProcessEnv;
  run(...args: string[]): RunResult;
  /** Runs a shell-like line split on spaces. */
  sh(line: string): RunResult;
}

export function machine(dialect: 'openbsd' | 'openbsd-4.9', extra: NodeJS.ProcessEnv = {}): Machine {
  const dir = mkdtempSync(join(tmpdir(), 'rtsock-cli-'));
  const state = join(dir, 'kernel.json');
  const env = { RTSOCK_STATE: state, RTSOCK_DIALECT: dialect, RTSOCK_PID: '4242', RTSOCK_UID: '', ...extra };
  const run = (...args: string[]) => rtsock(args, undefined, env);
  return { state, env, run, sh: (line) => run(...line.split(/\s+/).filter(Boolean)) };
}

/** The route regress setup: lo10001..lo10004 up in rdomain 5 with 192.0.2.N/32. */
export function regressSetup(m: Machine): void {
  for (const n of [1, 2, 3, 4]) {
    const r = m.sh(`ifconfig lo1000${n} up rdomain 5 192.0.2.${n}/32`);
    if (r.status !== 0) throw new Error(`setup failed: ${r.stderr}`);
  }
}
