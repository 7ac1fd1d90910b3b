/**
 * One invocation against the persistent kernel: lock, load (or boot), attach the journal
 * listener, act, then save kernel and journal atomically and unlock. Read-only commands skip
 * the lock and the save: saves replace the file atomically, so a reader sees one whole state.
 */
import { normalizeDialectName } from '../../abi/dialect.js';
import { createKernel, type Kernel } from '../../kernel/kernel.js';
import { restoreKernel, snapshotKernel, type KernelSnapshot } from '../../kernel/state.js';
import type { RoutingSocket } from '../../kernel/socket.js';
import { AF_ROUTE, RTABLE_ANY, ROUTE_TABLEFILTER } from '../../kernel/constants.js';
import {
  STATE_FORMAT, STATE_VERSION, StateError, lockState, readState, statePath, writeState, type JournalData,
} from './file.js';

/** How many emitted messages the state keeps for `route monitor`. */
export const JOURNAL_MAX = 4096;

export interface Session {
  readonly kernel: Kernel;
  readonly path: string;
  /** The simulated user (RTSOCK_UID, default root). */
  readonly uid: number;
  /** The pid messages carry (RTSOCK_PID, default the real one). */
  readonly pid: number;
  /** Set by commands that change state without emitting a message. */
  changed: boolean;
}

export function simulatedUid(env: NodeJS.ProcessEnv = process.env): number {
  const v = env['RTSOCK_UID'];
  if (v === undefined || v === '') return 0;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 0xffffffff) throw new StateError(`RTSOCK_UID=${v} is not a uid`);
  return n;
}

export function simulatedPid(env: NodeJS.ProcessEnv = process.env): number {
  const v = env['RTSOCK_PID'];
  if (v === undefined || v === '') return process.pid;
  if (!/^\d+$/.test(v) || Number(v) > 0x7fffffff) throw new StateError(`RTSOCK_PID=${v} is not a pid`);
  return Number(v);
}

/**
 * RTSOCK_CLOCK: the kernel clock for this invocation, whole seconds since the epoch (default
 * the host's). Timers (ARP and ND expiry, DAD's one-second verdict, IPv6 address lifetimes)
 * then run by it, so a test or a scripted demonstration can say when each command happens.
 */
export function simulatedClock(env: NodeJS.ProcessEnv = process.env): (() => number) | undefined {
  const v = env['RTSOCK_CLOCK'];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new StateError(`RTSOCK_CLOCK=${v} is not a time in seconds`);
  const now = Number(v);
  return () => now;
}

function bootDialect(env: NodeJS.ProcessEnv): string {
  const v = env['RTSOCK_DIALECT'] || 'openbsd-4.9';
  try {
    return normalizeDialectName(v);
  } catch {
    throw new StateError(`RTSOCK_DIALECT=${v}: not a dialect (use openbsd-4.9 or openbsd)`);
  }
}

interface Loaded {
  kernel: Kernel;
  journal: JournalData;
}

function load(path: string): Loaded {
  const doc = readState(path);
  const clock = simulatedClock();
  if (!doc) {
    const kernel = createKernel({ dialect: bootDialect(process.env) as 'openbsd', ...(clock ? { clock } : {}) });
    return { kernel, journal: { next: 1, entries: [] } };
  }
  try {
    return { kernel: restoreKernel(doc.kernel as KernelSnapshot, clock ? { clock } : {}), journal: doc.journal };
  } catch (e) {
    throw new StateError(`state file ${path} cannot be loaded (${(e as Error).message}); leaving it untouched`);
  }
}

/** Reads the state without locking (for show/get-style readers that change nothing). */
export function loadReadOnly(): Session {
  const path = statePath();
  const { kernel } = load(path);
  // What the kernel's timers did while no command ran (not saved: the next writer redoes it).
  catchUp(kernel);
  return { kernel, path, uid: simulatedUid(), pid: simulatedPid(), changed: false };
}

/** Reads only the journal part (route monitor polls this). */
export function readJournal(path: string): { journal: JournalData; kernel: KernelSnapshot } | undefined {
  const doc = readState(path);
  return doc ? { journal: doc.journal, kernel: doc.kernel as KernelSnapshot } : undefined;
}

/**
 * Runs `act` on the kernel under the lock and saves afterwards if anything happened (a
 * message was emitted or the command said so). The result of `act` is returned.
 */
export async function withKernel<T>(act: (s: Session) => T | Promise<T>): Promise<T> {
  const path = statePath();
  const uid = simulatedUid();
  const pid = simulatedPid();
  const release = lockState(path);
  try {
    const { kernel, journal } = load(path);
    const listener = attachJournal(kernel);
    // The timers that fell due while the state was stored run first (their RTM_DELETEs are
    // journalled, and a later command sees the kernel as it is now).
    const session: Session = { kernel, path, uid, pid, changed: catchUp(kernel) };
    let result: T;
    try {
      result = await act(session);
    } finally {
      const now = Date.now();
      let emitted = 0;
      for (const m of listener.messages) {
        journal.entries.push([journal.next++, now, Buffer.from(m.buffer, m.byteOffset, m.byteLength).toString('hex')]);
        emitted++;
      }
      listener.socket.close();
      if (journal.entries.length > JOURNAL_MAX) journal.entries.splice(0, journal.entries.length - JOURNAL_MAX);
      if (emitted > 0 || session.changed) save(path, kernel, journal);
    }
    return result;
  } finally {
    release();
  }
}

/** Runs the timers that fell due by the clock; whether any ran (the state then needs saving). */
function catchUp(k: Kernel): boolean {
  const timers = () => [k.arpTimerAt, k.neighbours.nd6.timerAt, k.dad.timerAt, k.lifetimes.timerAt];
  const before = timers();
  k.runTimers();
  return timers().some((at, i) => at !== before[i]);
}

/**
 * A listener that sees what a `route monitor` on every table would see. It takes messages as
 * 'message' events (no receive buffer, so no sb_max: one command may emit any number).
 */
function attachJournal(k: Kernel): { socket: RoutingSocket; messages: Uint8Array[] } {
  const socket = k.socket({ rtable: 0, pid: 0 });
  socket.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  const messages: Uint8Array[] = [];
  socket.on('message', (m: Uint8Array) => messages.push(m));
  return { socket, messages };
}

function save(path: string, kernel: Kernel, journal: JournalData): void {
  // The journal goes first so a reader interested only in it finds it early in the file.
  const text = JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, journal, kernel: snapshotKernel(kernel) });
  writeState(path, text);
}
