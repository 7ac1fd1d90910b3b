/** What every route(8) command shares: flags, output buffers, the kernel session and errx/usage. */
import type { Dialect } from '../../abi/dialect.js';
import type { RoutingSocket } from '../../kernel/socket.js';
import type { Session } from '../state/session.js';
import type { NameCtx } from './names.js';

import { Exit } from '../command.js';

export { Exit };

export interface RouteCtx {
  nflag: boolean;
  qflag: boolean;
  tflag: boolean;
  verbose: boolean;
  debugonly: boolean;
  Tflag: boolean;
  tableid: number;
  out: string[];
  err: string[];
  session: Session;
  dialect: Dialect;
  names: NameCtx;
  /** The routing socket (absent with -t, which writes to /dev/null). */
  sock: RoutingSocket | undefined;
}

export const USAGE = 'usage: route [-dnqtv] [-T rtable] command [[modifier ...] arg ...]\n';

export function errx(c: Pick<RouteCtx, 'err'>, msg: string): never {
  c.err.push(`route: ${msg}\n`);
  throw new Exit(1);
}

export function warnx(c: Pick<RouteCtx, 'err'>, msg: string): void {
  c.err.push(`route: ${msg}\n`);
}

export function usage(c: Pick<RouteCtx, 'err'>, cp?: string): never {
  if (cp !== undefined) c.err.push(`route: botched keyword: ${cp}\n`);
  c.err.push(USAGE);
  throw new Exit(1);
}

/** strtonum(3): the value, or its error string (`invalid`, `too small`, `too large`). */
export function strtonum(s: string, min: number, max: number): number | string {
  if (!/^\s*[-+]?\d+$/.test(s)) return 'invalid';
  const v = Number(s.trim());
  if (v < min) return 'too small';
  if (v > max) return 'too large';
  return v;
}
