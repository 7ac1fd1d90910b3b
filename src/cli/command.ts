/** What the OpenBSD-style commands (route, arp) share: exiting with a status, buffered output. */
import { emit } from './io.js';

/** Ends the command with a status (after the buffered output is written). */
export class Exit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

/**
 * Runs `body` with stdout and stderr collected in order, as the C tools' buffered stdio
 * would leave them; an {@link Exit} thrown anywhere ends it with its status. The output is
 * written afterwards, stdout first.
 */
export async function buffered(body: (out: string[], err: string[]) => Promise<number>): Promise<number> {
  const out: string[] = [];
  const err: string[] = [];
  let status: number;
  try {
    status = await body(out, err);
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
    status = e.status;
  }
  if (out.length) emit(1, out.join(''));
  if (err.length) emit(2, err.join(''));
  return status;
}
