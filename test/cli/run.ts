/** Runs the built CLI as a user would: the package bin (dist/cli/bin.cjs and its bundle, built by `pretest`). */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = `${ROOT}dist/cli/bin.cjs`;

export interface RunResult { status: number | null; stdout: string; stderr: string; stdoutBytes: Buffer }

export function rtsock(args: string[], input?: string | Buffer, env?: NodeJS.ProcessEnv): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), stdoutBytes: r.stdout };
}
