/** `route flush`: delete every gateway/static/llinfo route of the table, as route.c's flushroutes(). */
import { decodeMessage } from '../../codec/message.js';
import { renderMessage } from '../../codec/monitor.js';
import { RtsockErrno, strerror } from '../../kernel/errno.js';
import { SHUT_RD } from '../../kernel/constants.js';
import { errx, usage, type RouteCtx } from './context.js';
import { familyKeyword, keyword } from './keywords.js';
import { sockaddrText } from './names.js';
import { getpriority } from './newroute.js';
import { RTAX_DST, RTAX_GATEWAY, RTAX_NETMASK } from './rtmsg.js';
import { column, dumpTable } from './show.js';

const RTF_GATEWAY = 0x2, RTF_STATIC = 0x800, RTF_LLINFO = 0x400, RTF_LOCAL = 0x200000, RTF_BROADCAST = 0x400000;

export function flush(c: RouteCtx, argv: string[]): number {
  if (c.session.uid !== 0) errx(c, 'must be root to alter routing table');
  c.sock?.shutdown(SHUT_RD);
  let af = 0, prio = 0, ifindex = 0;
  let lastWord = '';
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('-')) usage(c, word);
    lastWord = word;
    const kw = keyword(word.slice(1));
    const family = familyKeyword(kw);
    if (family !== undefined) {
      af = family;
      continue;
    }
    switch (kw) {
      case 'iface': case 'interface': {
        if (i + 1 >= argv.length) usage(c, word.slice(1));
        const name = argv[++i]!;
        ifindex = c.session.kernel.ifconfig.indexOf(name);
        if (ifindex === 0) errx(c, `no such interface ${name}`);
        break;
      }
      case 'priority':
        if (i + 1 >= argv.length) usage(c, word.slice(1));
        prio = getpriority(c, argv[++i]!);
        break;
      default: usage(c, word);
    }
  }
  const { buf, entries } = dumpTable(c, af, prio);
  if (c.verbose) {
    c.out.push('Examining routing table from sysctl\n');
    if (af) c.out.push(`(address family ${lastWord.slice(1)})\n`);
  }
  if (entries.length === 0) return 1;
  const le = c.dialect.littleEndian;
  let seqno = 0;
  const render = (b: Uint8Array) => renderMessage(decodeMessage(b, { dialect: c.dialect.name }), { ifname: c.names.ifname });
  for (const { off, h, sas } of entries) {
    const msg = buf.slice(off, off + h.msglen);
    if (c.verbose) c.out.push(render(msg));
    if ((h.flags & (RTF_GATEWAY | RTF_STATIC | RTF_LLINFO)) === 0) continue;
    if (h.flags & (RTF_LOCAL | RTF_BROADCAST)) continue;
    if (ifindex && h.index !== ifindex) continue;
    if (c.debugonly) continue;
    const dv = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
    msg[3] = 2; // RTM_DELETE
    dv.setInt32(28, seqno, le); // rtm_seq
    dv.setUint16(8, c.tableid, le); // rtm_tableid
    if (c.sock) {
      try {
        c.sock.write(msg);
      } catch (e) {
        if (!(e instanceof RtsockErrno)) throw e;
        c.err.push(`route: write to routing socket: ${strerror(e.errno)}\n`);
        c.out.push('got only -1 for rlen\n');
        break;
      }
    }
    seqno++;
    if (c.qflag) continue;
    if (c.verbose) c.out.push(render(msg));
    else {
      c.out.push(column(c, sockaddrText(c.names, sas[RTAX_DST]!, sas[RTAX_NETMASK], h.flags), 20)
        + column(c, sockaddrText(c.names, sas[RTAX_GATEWAY]!, undefined, 0x4), 20) + 'done\n');
    }
  }
  return 0;
}
