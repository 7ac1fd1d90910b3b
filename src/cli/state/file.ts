/**
 * The state file on disk: where it lives, an exclusive lock so concurrent invocations take
 * turns, validation on load (a bad file is reported and never overwritten) and atomic saves
 * (temporary file, fsync, rename).
 */
import {
  closeSync, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, statSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const STATE_FORMAT = 'rtsock-kernel';
/** 2: routes as packed records (kernel/route-records.ts); version 1 files (tuples) still load. */
export const STATE_VERSION = 2;

/** A problem with the state file or its lock: reported as one line, exit 1. */
export class StateError extends Error {}

/** RTSOCK_STATE, else $XDG_STATE_HOME/rtsock/kernel.json, else ~/.local/state/rtsock/kernel.json. */
export function statePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['RTSOCK_STATE']) return env['RTSOCK_STATE'];
  const base = env['XDG_STATE_HOME'] || join(env['HOME'] || homedir(), '.local', 'state');
  return join(base, 'rtsock', 'kernel.json');
}

/** The parsed top level of a state file (the kernel part is checked by the loader). */
export interface StateDocument {
  format: string;
  version: number;
  journal: JournalData;
  kernel: unknown;
}

/** Messages the kernel emitted, newest last; `next` is the sequence number of the next one. */
export interface JournalData {
  next: number;
  /** [sequence number, time in ms, message bytes as hex] */
  entries: [number, number, string][];
}

/** Reads and validates the state file; undefined when there is none (a freshly booted kernel). */
export function readState(path: string): StateDocument | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateError(`cannot read state file ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new StateError(`state file ${path} is corrupt or truncated (${(e as Error).message}); leaving it untouched`);
  }
  const d = doc as Partial<StateDocument> | null;
  if (typeof d !== 'object' || d === null || Array.isArray(d) || d.format !== STATE_FORMAT) {
    throw new StateError(`${path} is not an rtsock kernel state file; leaving it untouched`);
  }
  if (typeof d.version !== 'number' || !Number.isInteger(d.version) || d.version < 1) {
    throw new StateError(`state file ${path} has an invalid format version; leaving it untouched`);
  }
  if (d.version > STATE_VERSION) {
    throw new StateError(`state file ${path} has format version ${d.version}, newer than this rtsock understands (${STATE_VERSION}); leaving it untouched`);
  }
  const j = d.journal as Partial<JournalData> | undefined;
  if (typeof d.kernel !== 'object' || d.kernel === null || !j || !Array.isArray(j.entries) || typeof j.next !== 'number') {
    throw new StateError(`state file ${path} is incomplete; leaving it untouched`);
  }
  return d as StateDocument;
}

/** Atomic replace: write a temporary file next to it, fsync, rename over, fsync the directory. */
export function writeState(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dfd = openSync(dir, 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  } catch {
    // Some filesystems cannot fsync a directory; the rename itself is still atomic.
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the exclusive lock `<path>.lock` (O_EXCL create holding our pid), waiting for other
 * invocations; a lock left by a process that no longer exists is taken over. Returns the release.
 */
export function lockState(path: string, timeoutMs = 60000): () => void {
  mkdirSync(dirname(path), { recursive: true });
  const lock = `${path}.lock`;
  const deadline = Date.now() + timeoutMs;
  let wait = 2;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o644);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try { unlinkSync(lock); } catch { /* already gone */ }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StateError(`cannot lock state file ${path}: ${(e as Error).message}`);
      }
    }
    if (clearStaleLock(lock)) continue;
    if (Date.now() > deadline) throw new StateError(`timed out waiting for the lock on ${path} (held: ${lock})`);
    sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 50);
  }
}

/** How long a lock whose holder is gone must stay unchanged before it is taken over. */
const STALE_MS = 1000;
/** The same for a lock still empty (its holder died between creating it and writing its pid). */
const STALE_EMPTY_MS = 10000;

/**
 * Removes `lock` if it is stale: the pid in it is gone and the file has not changed for a while.
 * The age matters: a holder that released normally has unlinked its file and exited, and the
 * file read here may be that one, or the fresh lock of the next holder at the same path; taking
 * over on "pid gone" alone once removed a live lock and let two invocations save over each
 * other. The takeover renames the path away and checks it moved the very file it judged; if not
 * (a new lock appeared meanwhile), it puts that lock back.
 */
function clearStaleLock(lock: string): boolean {
  let fd: number;
  try {
    fd = openSync(lock, 'r');
  } catch {
    return false; // released meanwhile: try again
  }
  let text: string;
  let ino: number;
  let age: number;
  try {
    const st = fstatSync(fd);
    ino = st.ino;
    age = Date.now() - st.mtimeMs;
    text = readFileSync(fd, 'utf8');
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
  const pid = Number(text);
  const written = text !== '' && Number.isInteger(pid) && pid > 0;
  if (written ? alive(pid) || age < STALE_MS : age < STALE_EMPTY_MS) return false;
  const grave = `${lock}.${process.pid}.stale`;
  try {
    renameSync(lock, grave);
  } catch {
    return false; // someone else cleared it
  }
  try {
    if (statSync(grave).ino !== ino) linkSync(grave, lock);
  } catch {
    /* a newer lock already stands at the path */
  }
  try { unlinkSync(grave); } catch { /* already gone */ }
  return true;
}
