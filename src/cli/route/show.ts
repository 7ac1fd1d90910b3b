/** `route show` (show.c p_rttables / p_rtentry) and the dump both show and flush read. */
import { errx, usage, type RouteCtx } from './context.js';
import { familyKeyword, keyword } from './keywords.js';
import { flagLetters, labelText, sockaddrText } from './names.js';
import { getpriority } from './newroute.js';
import { RTAX_DST, RTAX_GATEWAY, RTAX_LABEL, RTAX_NETMASK, readHeader, rtaddrs, type RtHeader } from './rtmsg.js';

const AF_INET = 2, AF_LINK = 18, AF_INET6 = 24, AF_MPLS = 33;
const RTV_MTU = 1;

export interface DumpEntry {
  off: number;
  h: RtHeader;
  sas: (Uint8Array | undefined)[];
}

/** sysctl NET_RT_DUMP of the request's table: af 0 = all, prio 0 = all, negative = all but. */
export function dumpTable(c: RouteCtx, af: number, prio: number): { buf: Uint8Array; entries: DumpEntry[] } {
  const k = c.session.kernel;
  if (!k.tableExists(c.tableid)) errx(c, `routing table ${c.tableid}: No such file or directory`);
  const family = af === AF_INET ? 'inet' : af === AF_INET6 ? 'inet6' : undefined;
  const buf = af === 0 || family ? k.dump(c.tableid, family) : new Uint8Array(0);
  const entries: DumpEntry[] = [];
  const sprio = prio > 127 ? prio - 256 : prio;
  for (let off = 0; off < buf.length;) {
    const h = readHeader(c.dialect, buf, off);
    if (h.msglen === 0) break;
    const keep = sprio === 0 || (sprio < 0 ? h.priority !== -sprio : h.priority === sprio);
    if (keep && h.version === c.dialect.rtmVersion) entries.push({ off, h, sas: rtaddrs(c.dialect, buf, off, h) });
    off += h.msglen;
  }
  return { buf, entries };
}

function familyName(af: number): string {
  return af === AF_INET ? 'Internet' : af === AF_INET6 ? 'Internet6' : af === AF_MPLS ? 'MPLS' : `Protocol Family ${af}`;
}

// Column widths (WID_DST / WID_GW). Current show.c widens IPv6 to 43/39 for scoped names;
// older revisions, 4.9's among them, used 34/30 with -n and 18 without (semantics.md §D.1).
const widDst = (c: RouteCtx, af: number) => (af !== AF_INET6 ? 18 : !c.names.old ? 43 : c.nflag ? 34 : 18);
const widGw = (c: RouteCtx, af: number) => (af !== AF_INET6 ? 18 : !c.names.old ? 39 : c.nflag ? 30 : 18);

function header(c: RouteCtx, af: number): string {
  const pad = (s: string, w: number) => s.slice(0, w).padEnd(w);
  let s = `${pad('Destination', widDst(c, af))} ${pad('Gateway', widGw(c, af))} ${pad('Flags', 6)} ${'Refs'.padStart(5)} `
    + `${'Use'.padStart(8)} ${'Mtu'.padStart(5)}  ${'Prio'.padStart(4)} Iface`;
  if (c.verbose) s += ' Label';
  return `${s}\n`;
}

/** p_sockaddr() with its column: `%-W.Ws ` (or `%-Ws ` with -n). */
export function column(c: RouteCtx, text: string, width: number): string {
  return `${(c.nflag ? text : text.slice(0, width)).padEnd(width)} `;
}

export function show(c: RouteCtx, argv: string[]): number {
  let af = 0, prio = 0, gatewayOnly = false;
  let label: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('-')) usage(c, word);
    const kw = keyword(word.slice(1));
    const family = familyKeyword(kw);
    if (family !== undefined) {
      af = family;
      continue;
    }
    switch (kw) {
      case 'gateway': gatewayOnly = true; break;
      case 'label':
        if (i + 1 >= argv.length) usage(c, word.slice(1));
        label = argv[++i]!;
        if (Buffer.byteLength(label, 'latin1') >= 32) errx(c, 'label too long');
        break;
      case 'priority':
        if (i + 1 >= argv.length) usage(c, word.slice(1));
        prio = getpriority(c, argv[++i]!);
        break;
      default: usage(c, word);
    }
  }
  const { entries } = dumpTable(c, af, prio);
  const out = c.out;
  out.push('Routing tables\n');
  let oldAf = -1;
  const ifname = c.names.ifname;
  for (const { h, sas } of entries) {
    const dst = sas[RTAX_DST];
    if (!dst) continue;
    const fam = dst[1]!;
    const gw = sas[RTAX_GATEWAY];
    if (gatewayOnly && gw?.[1] !== fam) continue;
    const lab = sas[RTAX_LABEL];
    if (label) {
      if (!lab || labelText(lab) !== label) continue;
    }
    if (oldAf !== fam) {
      oldAf = fam;
      out.push(`\n${familyName(fam)}:\n`);
      out.push(header(c, fam));
    }
    let line = column(c, sockaddrText(c.names, dst, sas[RTAX_NETMASK], h.flags), widDst(c, fam));
    line += column(c, gw ? sockaddrText(c.names, gw, undefined, 0x4) : '', widGw(c, fam));
    line += `${flagLetters(h.flags).slice(0, 6).padEnd(6)} `;
    line += `${String(h.refcnt).padStart(5)} ${String(h.pksent).padStart(8)} `;
    line += `${(h.mtu ? String(h.mtu) : '-').padStart(5)} `;
    line += h.locks & RTV_MTU ? 'L' : ' ';
    line += `  ${String(h.priority).padStart(2)} ${(ifname(h.index) ?? '(null)').slice(0, 16).padEnd(5)}`;
    if (c.verbose && lab) line += ` ${labelText(lab)}`;
    out.push(`${line}\n`);
  }
  return 0;
}
