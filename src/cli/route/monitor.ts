/**
 * `route monitor`: prints, in monitor form, the messages other invocations make the kernel emit
 * while it runs. They are read from the state's journal (polled), filtered the way the kernel
 * filters a socket with this family, message filter and table filter.
 */
import { statSync } from 'node:fs';
import { decodeMessage, messageFamily } from '../../codec/message.js';
import { renderMonitorEntry } from '../../codec/monitor.js';
import { accepts, metaOf, type Listener } from '../../kernel/delivery.js';
import { RTABLE_ANY } from '../../kernel/constants.js';
import type { KernelSnapshot } from '../../kernel/state.js';
import { readJournal } from '../state/session.js';
import type { RouteCtx } from './context.js';

const POLL_MS = 50;

export interface MonitorOptions {
  af: number;
  msgFilter: number;
}

function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch {
    return 'none';
  }
}

export async function monitor(c: RouteCtx, o: MonitorOptions): Promise<number> {
  const path = c.session.path;
  const listener: Listener = {
    family: o.af, useLoopback: true, receiveShut: false, msgFilter: o.msgFilter, flagFilter: 0, prioFilter: 0,
    tableFilter: c.Tflag ? c.tableid : RTABLE_ANY, flushing: false, enqueue: () => undefined,
  };
  const dialect = c.dialect.name;
  let seen = readJournal(path)?.journal.next ?? 1;
  let last = stamp(path);
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  const onSignal = () => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const poll = () => {
    const now = stamp(path);
    if (now === last) return;
    last = now;
    let state: ReturnType<typeof readJournal>;
    try {
      state = readJournal(path);
    } catch {
      return; // a half-visible file cannot happen (atomic renames); a bad one is someone else's to report
    }
    if (!state) return;
    const names = new Map(state.kernel.interfaces.map((i) => [i.index, i.name]));
    const rdomains = new Map((state.kernel as KernelSnapshot).tables.map((t) => [t.id, t.rdomain]));
    let text = '';
    for (const [seq, time, hex] of state.journal.entries) {
      if (seq < seen) continue;
      seen = seq + 1;
      const bytes = Buffer.from(hex, 'hex');
      let msg;
      try {
        msg = decodeMessage(bytes, { dialect });
      } catch {
        continue;
      }
      const meta = metaOf(bytes, messageFamily(msg), c.dialect.littleEndian);
      if (!accepts(listener, meta, undefined, (t) => rdomains.get(t))) continue;
      text += renderMonitorEntry(msg, { ifname: (i) => names.get(i), now: () => time });
    }
    if (text) process.stdout.write(text);
  };
  const timer = setInterval(poll, POLL_MS);
  await stopped;
  clearInterval(timer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return 0;
}
