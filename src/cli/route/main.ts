/**
 * `rtsock route [-dnqtv] [-T rtable] command [[modifier ...] arg ...]`: OpenBSD's route(8)
 * against the persistent simulated kernel (route.c main()).
 */
import { getDialect } from '../../abi/dialect.js';
import { AF_ROUTE, RTABLE_ANY, ROUTE_MSGFILTER, ROUTE_TABLEFILTER } from '../../kernel/constants.js';
import { getopt } from '../getopt.js';
import { buffered } from '../command.js';
import { loadReadOnly, withKernel, type Session } from '../state/session.js';
import { errx, strtonum, usage, type RouteCtx } from './context.js';
import { flush } from './flush.js';
import { keyword } from './keywords.js';
import { monitor, type MonitorOptions } from './monitor.js';
import { newroute } from './newroute.js';
import { show } from './show.js';
import { nameserver, sourceaddr } from './source.js';

interface Global {
  nflag: boolean; qflag: boolean; tflag: boolean; verbose: boolean; debugonly: boolean; Tflag: boolean; tableid: number;
}

/** getopt("dnqtT:v"), stopping at the first operand. */
function options(argv: string[], err: string[]): { g: Global; rest: string[] } {
  const g: Global = {
    nflag: false, qflag: false, tflag: false, verbose: false, debugonly: false, Tflag: false,
    tableid: Number(process.env['RTSOCK_RTABLE'] ?? 0) || 0,
  };
  const at = getopt(argv, 'dnqtT:v', (ch, arg) => {
    switch (ch) {
      case 'n': g.nflag = true; break;
      case 'q': g.qflag = true; break;
      case 'v': g.verbose = true; break;
      case 't': g.tflag = true; break;
      case 'd': g.debugonly = true; break;
      case 'T': {
        if (arg === undefined) {
          err.push('route: option requires an argument -- T\n');
          usage({ err });
        }
        const v = strtonum(arg, 0, 255);
        if (typeof v === 'string') errx({ err }, `invalid table id: ${v}`);
        g.tableid = v;
        g.Tflag = true;
        break;
      }
      default:
        err.push(`route: unknown option -- ${ch}\n`);
        usage({ err });
    }
  });
  return { g, rest: argv.slice(at) };
}

const WRITERS = new Set(['add', 'change', 'delete', 'del', 'get', 'flush', 'sourceaddr', 'nameserver']);

export function routeCommand(argv: string[]): Promise<number> {
  return buffered(async (out, err) => {
    if (argv.length < 1) usage({ err });
    const { g, rest } = options(argv, err);
    if (rest.length === 0) usage({ err });
    const kw = keyword(rest[0]!);
    const run = (session: Session) => dispatch({ ...g, out, err, session, rest, kw: kw ?? '' });
    return kw && WRITERS.has(kw) && !g.tflag && !g.debugonly ? await withKernel(run) : await run(loadReadOnly());
  });
}

async function dispatch(a: Global & { out: string[]; err: string[]; session: Session; rest: string[]; kw: string }): Promise<number> {
  const k = a.session.kernel;
  const dialect = getDialect(k.dialect);
  const c: RouteCtx = {
    nflag: a.nflag, qflag: a.qflag, tflag: a.tflag, verbose: a.verbose || a.debugonly, debugonly: a.debugonly,
    Tflag: a.Tflag, tableid: a.tableid, out: a.out, err: a.err, session: a.session, dialect, sock: undefined,
    names: {
      ifname: (i) => k.interfaceByIndex(i)?.name, le: dialect.littleEndian, old: dialect.name === 'openbsd-4.9',
    },
  };
  const argv = a.rest;
  const kw = a.kw;
  const Terr = !k.tableExists(c.tableid);
  if (c.Tflag && Terr && kw !== 'add') errx(c, `routing table ${c.tableid}: No such file or directory`);
  if (kw === 'exec') return await exec(c, argv.slice(1));
  const mon: MonitorOptions = { af: 0, msgFilter: 0 };
  if (kw === 'monitor') {
    for (const word of argv.slice(1)) {
      if (!word.startsWith('-')) usage(c, word);
      switch (keyword(word.slice(1))) {
        case 'inet': mon.af = 2; break;
        case 'inet6': mon.af = 24; break;
        case 'mpls': mon.af = 33; break;
        case 'iface': case 'interface': mon.msgFilter = (1 << 0xe) | (1 << 0xf) | (1 << 0x15); break;
        default: usage(c, word);
      }
    }
  }
  if (!c.tflag) {
    const s = k.socket({ family: mon.af, uid: a.session.uid, pid: a.session.pid, rtable: 0 });
    if (mon.msgFilter) s.setsockopt(AF_ROUTE, ROUTE_MSGFILTER, mon.msgFilter);
    s.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, c.Tflag && !Terr ? c.tableid : RTABLE_ANY);
    c.sock = s;
  }
  try {
    switch (kw) {
      case 'show': return show(c, argv);
      case 'flush': return flush(c, argv);
      case 'get': case 'change': case 'add': case 'del': case 'delete': return newroute(c, argv);
      case 'monitor':
        c.nflag = true;
        return await monitor(c, mon);
      // 4.9's route(8) had neither command: its keyword table did not know the words.
      case 'sourceaddr': return c.names.old ? usage(c, argv[0]) : sourceaddr(c, argv);
      case 'nameserver': return c.names.old ? usage(c, argv[0]) : nameserver(c, argv);
      default: return usage(c, argv[0]);
    }
  } finally {
    c.sock?.close();
  }
}

/** `route exec`: run a command "in" the table (RTSOCK_RTABLE tells nested invocations). */
async function exec(c: RouteCtx, argv: string[]): Promise<number> {
  if (argv.length === 0) usage(c);
  // Loaded here: child_process is a measurable part of every other command's start-up.
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit', env: { ...process.env, RTSOCK_RTABLE: String(c.tableid) } });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    c.err.push(`route: ${argv[0]}: ${code === 'ENOENT' ? 'No such file or directory' : 'Permission denied'}\n`);
    return code === 'ENOENT' ? 127 : 126;
  }
  return r.status ?? 1;
}
