/** The state lock: stale locks are taken over only when they really are stale. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockState, StateError } from '../../src/cli/state/file.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('state lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtsock-lock-'));
  const state = join(dir, 'kernel.json');
  const lock = `${state}.lock`;
  const age = (seconds: number) => {
    const t = Date.now() / 1000 - seconds;
    utimesSync(lock, t, t);
  };

  it('takes over a lock whose holder is gone once it has aged, and releases its own', () => {
    writeFileSync(lock, String(deadPid()));
    age(5);
    const release = lockState(state, 2000);
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(lock)).toBe(false);
  });

  it('does not take over a fresh lock of a gone holder at once (it may be the next holder\'s)', () => {
    writeFileSync(lock, String(deadPid()));
    const t0 = Date.now();
    const release = lockState(state, 5000);
    // Taken over only after the lock file had stayed unchanged for a second.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    release();
  });

  it('never takes over the lock of a live holder', () => {
    writeFileSync(lock, String(process.ppid));
    age(60);
    expect(() => lockState(state, 300)).toThrow(StateError);
    expect(readFileSync(lock, 'utf8')).toBe(String(process.ppid));
  });
});
