/**
 * Expected texts are written out from route.c's printf formats (print_rtmsg, pmsg_common,
 * pmsg_addrs, bprintf; show.c routename) — not captured from the renderer.
 */
import { decodeMessage, encodeMessage, type Message, type MessageInput } from '../../src/codec/message.js';
import { ctime, renderMessage, renderMonitorEntry, type RenderOptions } from '../../src/codec/monitor.js';

const NOW = Date.UTC(2026, 10, 22, 14, 59, 49);
const NOW_S = NOW / 1000;
const names: Record<number, string> = { 1: 'em0', 2: 'lo0', 4: 'iwm0' };
const opts: RenderOptions = { ifname: (i) => names[i], now: () => NOW };

function msg(m: MessageInput): Message {
  return decodeMessage(encodeMessage(m), { anyType: true });
}
const cur = (m: MessageInput) => msg({ ...m, dialect: 'openbsd' });
const old = (m: MessageInput) => msg({ ...m, dialect: 'openbsd-4.9' });
const inet = (addr: string, extra: object = {}) => ({ kind: 'inet' as const, addr, port: 0, ...extra });
const inet6 = (addr: string, scope_id = 0) => ({ kind: 'inet6' as const, addr, port: 0, flowinfo: 0, scope_id });
const link = (index: number, type: number, name = '', lladdr = '') => ({ kind: 'link' as const, index, type, name, lladdr });
const MAC = 'fe:e1:ba:d4:c8:1d';
const USE0 = 'use:        0   mtu:        0    expire:        0 ';

describe('openbsd (current) route(8)', () => {
  test('RTM_ADD', () => {
    const m = cur({ type: 'RTM_ADD', priority: 8, index: 1, flags: 0x803, pid: 1234, seq: 1,
      sockaddrs: { dst: inet('10.0.0.0'), gateway: inet('192.168.1.1'), netmask: inet('255.255.0.0') } });
    expect(renderMessage(m, opts)).toBe(
      'RTM_ADD: Add Route: len 144, priority 8, table 0, if# 1, name em0, pid: 1234, seq 1, errno 0\n'
      + 'flags:<UP,GATEWAY,STATIC>\nfmask:\n' + USE0 + '\nlocks:  inits: \n'
      + 'sockaddrs: <DST,GATEWAY,NETMASK>\n 10.0.0.0 192.168.1.1 255.255.0.0\n');
  });

  test('RTM_DELETE: metrics, locks, scoped inet6, link#N', () => {
    const m = cur({ type: 'RTM_DELETE', priority: 1, index: 3, flags: 0x845, pid: -1, seq: 7,
      inits: 1, rmx: { pksent: 42n, mtu: 1500, locks: 5, expire: BigInt(NOW_S + 100) },
      sockaddrs: { dst: inet6('fe80::1', 1), gateway: link(1, 6) } });
    expect(renderMessage(m, opts)).toBe(
      'RTM_DELETE: Delete Route: len 160, priority 1, table 0, if# 3, pid: -1, seq 7, errno 0\n'
      + 'flags:<UP,HOST,DONE,STATIC>\nfmask:\n'
      + 'use:       42   mtu:     1500L   expire:      100L\nlocks: <expire,mtu> inits: <mtu>\n'
      + 'sockaddrs: <DST,GATEWAY>\n fe80::1%em0 link#1\n');
  });

  test('RTM_CHANGE: fmask, table, mask family from DST', () => {
    const m = cur({ type: 'RTM_CHANGE', priority: 48, tableid: 3, flags: 0x8803, fmask: 0x8800, pid: 9, seq: 2,
      sockaddrs: { dst: inet('10.1.0.0'), gateway: inet('10.0.0.1'), netmask: inet('255.255.0.0', { len: 8, family: 0 }) } });
    expect(renderMessage(m, opts)).toBe(
      'RTM_CHANGE: Change Metrics or flags: len 136, priority 48, table 3, if# 0, pid: 9, seq 2, errno 0\n'
      + 'flags:<UP,GATEWAY,STATIC,PROTO1>\nfmask:<STATIC,PROTO1>\n' + USE0 + '\nlocks:  inits: \n'
      + 'sockaddrs: <DST,GATEWAY,NETMASK>\n 10.1.0.0 10.0.0.1 255.255.0.0\n');
  });

  test('RTM_GET: IFP as MAC and name, IFA, quoted label, 0.0.0.0 numeric', () => {
    const m = cur({ type: 'RTM_GET', priority: 56, index: 1, flags: 0x843, pid: 5, seq: 3,
      sockaddrs: { dst: inet('0.0.0.0'), gateway: inet('10.0.0.1'), netmask: inet('0.0.0.0'),
        ifp: link(1, 6, 'em0', MAC), ifa: inet('10.0.0.2'), label: { kind: 'label', label: 'mylabel' } } });
    expect(renderMessage(m, opts)).toBe(
      `RTM_GET: Report Metrics: len ${m.msglen}, priority 56, table 0, if# 1, name em0, pid: 5, seq 3, errno 0\n`
      + 'flags:<UP,GATEWAY,DONE,STATIC>\nfmask:\n' + USE0 + '\nlocks:  inits: \n'
      + 'sockaddrs: <DST,GATEWAY,NETMASK,IFP,IFA,LABEL>\n 0.0.0.0 10.0.0.1 0.0.0.0 fe:e1:ba:d4:c8:1d 10.0.0.2 "mylabel"\n');
  });

  test('RTM_MISS: errno, only DST; MPLS and unknown families', () => {
    const m = cur({ type: 'RTM_MISS', flags: 0x40, errno: 3,
      sockaddrs: { dst: inet('10.9.9.9'), gateway: { kind: 'unknown', family: 99, data: '0102' }, src: { kind: 'mpls', label: 100 } } });
    expect(renderMessage(m, opts)).toBe(
      `RTM_MISS: Lookup failed on this address: len ${m.msglen}, priority 0, table 0, if# 0, pid: 0, seq 0, errno 3\n`
      + 'flags:<DONE>\nfmask:\n' + USE0 + '\nlocks:  inits: \n'
      + 'sockaddrs: <DST,GATEWAY,SRC>\n 10.9.9.9 (99) Q01.02 100\n');
  });

  test('RTM_RESOLVE: loopback IFP prints its name, v4-mapped inet6', () => {
    const m = cur({ type: 'RTM_RESOLVE', priority: 1, index: 2, flags: 0x10405,
      sockaddrs: { dst: inet6('::ffff:1.2.3.4'), gateway: link(2, 24, 'lo0'), ifp: link(2, 24, 'lo0') } });
    expect(renderMessage(m, opts)).toBe(
      `RTM_RESOLVE: Route created by cloning: len ${m.msglen}, priority 1, table 0, if# 2, name lo0, pid: 0, seq 0, errno 0\n`
      + 'flags:<UP,HOST,LLINFO,CLONED>\nfmask:\n' + USE0 + '\nlocks:  inits: \n'
      + 'sockaddrs: <DST,GATEWAY,IFP>\n ::ffff:1.2.3.4 lo0 lo0\n');
  });

  test('RTM_NEWADDR / RTM_DELADDR / RTM_CHGADDRATTR: netmask takes IFA family', () => {
    const sas = { netmask: inet('255.255.255.0', { len: 8, family: 0 }), ifp: link(1, 6, 'em0', MAC),
      ifa: inet('10.0.0.1'), brd: inet('10.0.0.255') };
    const tail = 'sockaddrs: <NETMASK,IFP,IFA,BRD>\n 255.255.255.0 fe:e1:ba:d4:c8:1d 10.0.0.1 10.0.0.255\n';
    const add = cur({ type: 'RTM_NEWADDR', index: 1, metric: 0, flags: 1, sockaddrs: sas });
    expect(renderMessage(add, opts)).toBe(
      `RTM_NEWADDR: address being added to iface: len ${add.msglen}, if# 1, name em0, metric 0, flags:<UP>\n` + tail);
    const del = cur({ type: 'RTM_DELADDR', index: 9, metric: 2, flags: 0, sockaddrs: sas });
    expect(renderMessage(del, opts)).toBe(
      `RTM_DELADDR: address being removed from iface: len ${del.msglen}, if# 9, metric 2, flags:\n` + tail);
    const chg = cur({ type: 'RTM_CHGADDRATTR', index: 1, flags: 0x200000, sockaddrs: { ifa: inet6('2001:db8::1') } });
    expect(chg.hdrlen).toBe(96); // written as rt_msghdr-sized by the kernel: route(8) follows hdrlen
    expect(renderMessage(chg, opts)).toBe(
      `RTM_CHGADDRATTR: address attributes being changed: len ${chg.msglen}, if# 1, name em0, metric 0, flags:<LOCAL>\n`
      + 'sockaddrs: <IFA>\n 2001:db8::1\n');
  });

  test('RTM_IFINFO: flags with xflags, link states', () => {
    const m = cur({ type: 'RTM_IFINFO', index: 1, flags: 0x8843, xflags: 0x20,
      data: { type: 6, link_state: 4, mtu: 1500 }, sockaddrs: { ifp: link(1, 6, 'em0', MAC) } });
    expect(renderMessage(m, opts)).toBe(
      'RTM_IFINFO: iface status change: len 200, if# 1, name em0, link: active, mtu: 1500, '
      + 'flags:<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,AUTOCONF6>\nsockaddrs: <IFP>\n fe:e1:ba:d4:c8:1d\n');
    const lo = cur({ type: 'RTM_IFINFO', index: 7, flags: 0x8049, data: { type: 24, link_state: 0, mtu: 32768 } });
    expect(renderMessage(lo, opts)).toBe(
      'RTM_IFINFO: iface status change: len 168, if# 7, link: unknown, mtu: 32768, flags:<UP,LOOPBACK,RUNNING,MULTICAST>\n');
    const down = cur({ type: 'RTM_IFINFO', index: 1, data: { type: 6, link_state: 2 } });
    expect(renderMessage(down, opts)).toContain('link: no carrier, mtu: 0, flags:\n');
    const carp = cur({ type: 'RTM_IFINFO', index: 1, data: { type: 0xf7, link_state: 4 } });
    expect(renderMessage(carp, opts)).toContain('link: master,');
    const odd = cur({ type: 'RTM_IFINFO', index: 1, data: { type: 6, link_state: 77 } });
    expect(renderMessage(odd, opts)).toContain('link: [#77],');
  });

  test('RTM_IFANNOUNCE', () => {
    const a = cur({ type: 'RTM_IFANNOUNCE', index: 3, what: 0, name: 'vlan0' });
    expect(renderMessage(a, opts)).toBe('RTM_IFANNOUNCE: iface arrival/departure: len 26, if# 3, name vlan0, what: arrival\n');
    const b = cur({ type: 'RTM_IFANNOUNCE', index: 3, what: 7, name: 'vlan0' });
    expect(renderMessage(b, opts)).toBe('RTM_IFANNOUNCE: iface arrival/departure: len 26, if# 3, name vlan0, what: #7\n');
  });

  test('RTM_DESYNC', () => {
    expect(renderMessage(cur({ type: 'RTM_DESYNC' }), opts)).toBe('RTM_DESYNC: route socket overflow: len 96\n');
  });

  test('RTM_PROPOSAL: static routes, search list, DNS', () => {
    const m = cur({ type: 'RTM_PROPOSAL', priority: 58, index: 1, flags: 1, pid: 77, seq: 2,
      sockaddrs: {
        dns: { kind: 'dns', addrs: ['1.1.1.1', '8.8.8.8'] },
        static: { kind: 'static', family: 2, data: '180a0102c0a80101' },
        search: { kind: 'search', data: Buffer.from('example.com').toString('hex') },
      } });
    expect(renderMessage(m, opts)).toBe(
      `RTM_PROPOSAL: config proposal: len ${m.msglen}, source dhcp, table 0, if# 1, name em0, pid: 77, seq 2, errno 0\n`
      + 'flags:<UP>\nfmask:\n' + USE0 + '\nlocks:  inits: \n'
      + 'proposals: <DNS,STATIC,SEARCH>\n [10.1.2.0/24 192.168.1.1 ] [example.com] INET [1.1.1.1, 8.8.8.8]\n');
    const v6 = cur({ type: 'RTM_PROPOSAL', priority: 59, sockaddrs: { dst: inet('0.0.0.0'), dns: { kind: 'dns', addrs: ['2001:db8::53'] } } });
    expect(renderMessage(v6, opts)).toBe(
      `RTM_PROPOSAL: config proposal: len ${v6.msglen}, source slaac, table 0, if# 0, pid: 0, seq 0, errno 0\n`
      + 'flags:\nfmask:\n' + USE0 + '\nlocks:  inits: \nsockaddrs: <DST>\n 0.0.0.0\n'
      + 'proposals: <DNS>\n INET6 [2001:db8::53]\n');
  });

  test('RTM_80211INFO', () => {
    const m = cur({ type: 'RTM_80211INFO', index: 4, ifie: {
      channel: 6, nwid_len: 4, flags: 0x101, xflags: 1,
      nwid: Buffer.from('test').toString('hex').padEnd(64, '0'), addr: '001122334455' } });
    expect(renderMessage(m, opts)).toBe(
      'RTM_80211INFO: 802.11 iface status change: len 64, if# 4, name iwm0, nwid 74:65:73:74 (test), channel 6, '
      + 'bssid 00:11:22:33:44:55\nflags:<ASCAN,WEPON>\nxflags:<TX_MGMT_ONLY>\n');
    const hidden = cur({ type: 'RTM_80211INFO', index: 9, ifie: { channel: 1, nwid_len: 2, nwid: '0001'.padEnd(64, '0') } });
    expect(renderMessage(hidden, opts)).toBe(
      'RTM_80211INFO: 802.11 iface status change: len 64, if# 9, nwid 00:01, channel 1, bssid 00:00:00:00:00:00\nflags:\nxflags:\n');
  });

  test('RTM_BFD', () => {
    const m = cur({ type: 'RTM_BFD', sa: {
      mode: 1, state: 3, remotestate: 3, laststate: 1, error: 0, localdiag: 0, remotediag: 1,
      localdiscr: 5, remotediscr: 6, uptime: BigInt(NOW_S - 3661), lastuptime: 200000n,
      mintx: 1000000, minrx: 1000000, minecho: 0, multiplier: 3 }, sockaddrs: { dst: inet('10.0.0.2') } });
    const gap = '\n             ';
    expect(renderMessage(m, opts)).toBe(
      `RTM_BFD: bidirectional forwarding detection: len ${m.msglen}\n`
      + '        BFD: async state up remote up laststate down error 0'
      + `${gap}diag none remote expired${gap}discr 5 remote 6${gap}uptime 01m01s last state time 03d 7h33m20s`
      + `${gap}mintx 1000000 minrx 1000000 minecho 0 multiplier 3\n`
      + '\nsockaddrs: <DST>\n 10.0.0.2\n');
  });

  test('types route(8) has no text for, and out of range', () => {
    expect(renderMessage(cur({ type: 8 }), opts)).toBe(
      ': len 96, priority 0, table 0, if# 0, pid: 0, seq 0, errno 0\nflags:\nfmask:\n' + USE0 + '\nlocks:  inits: \n');
    expect(renderMessage(cur({ type: 22 }), opts)).toBe(
      '[rtm_type 22 out of range]: len 96, priority 0, table 0, if# 0, pid: 0, seq 0, errno 0\n'
      + 'flags:\nfmask:\n' + USE0 + '\nlocks:  inits: \n');
  });

  test('version mismatch prints the warning', () => {
    const bytes = encodeMessage({ dialect: 'openbsd', version: 7, type: 'RTM_ADD', sockaddrs: { dst: inet('10.0.0.1') } });
    const forced = decodeMessage(bytes, { dialect: 'openbsd' });
    expect(renderMessage(forced, opts)).toBe('route: routing message version 7 not understood\n');
  });

  test('renderMonitorEntry prefixes ctime', () => {
    const m = cur({ type: 'RTM_DESYNC' });
    expect(renderMonitorEntry(m, opts)).toBe(
      'got message of size 96 on Sun Nov 22 14:59:49 2026\nRTM_DESYNC: route socket overflow: len 96\n');
    expect(ctime(Date.UTC(2026, 10, 2, 3, 4, 5))).toBe('Mon Nov  2 03:04:05 2026\n');
  });
});

describe('openbsd-4.9 route(8)', () => {
  test('RTM_ADD: no if#/fmask, priority and table first', () => {
    const m = old({ type: 'RTM_ADD', priority: 8, index: 1, flags: 0x803, pid: 1234, seq: 1,
      sockaddrs: { dst: inet('10.0.0.0'), gateway: inet('192.168.1.1'), netmask: inet('255.255.0.0') } });
    expect(renderMessage(m, opts)).toBe(
      'RTM_ADD: Add Route: len 136, priority 8, table 0, pid: 1234, seq 1, errno 0\n'
      + 'flags:<UP,GATEWAY,STATIC>\n' + USE0 + '\nlocks:  inits: \n'
      + 'sockaddrs: <DST,GATEWAY,NETMASK>\n 10.0.0.0 192.168.1.1 255.255.0.0\n');
  });

  test('RTM_DELETE: kernel-trimmed netmask, default, u_int expire', () => {
    const m = old({ type: 'RTM_DELETE', priority: 8, flags: 0x843, seq: 4, rmx: { expire: NOW_S + 100, locks: 4, pksent: 3n },
      sockaddrs: { dst: inet('0.0.0.0'), gateway: inet('10.0.0.1'),
        netmask: { kind: 'inet', len: 7, family: 255, port: 0xffff, addr: '255.255.255.0' } } });
    expect(renderMessage(m, opts)).toBe(
      `RTM_DELETE: Delete Route: len ${m.msglen}, priority 8, table 0, pid: 0, seq 4, errno 0\n`
      + 'flags:<UP,GATEWAY,DONE,STATIC>\nuse:        3   mtu:        0    expire:      100L\n'
      + 'locks: <expire> inits: \nsockaddrs: <DST,GATEWAY,NETMASK>\n default 10.0.0.1 255.255.255.0\n');
  });

  test('RTM_CHANGE: 4.9 flag names, genmask takes DST family', () => {
    const m = old({ type: 'RTM_CHANGE', tableid: 2, flags: 0x80201, sockaddrs: {
      dst: inet('10.0.0.0'), gateway: inet('10.0.0.1'), netmask: { kind: 'inet', len: 0, family: 0, port: 0, addr: '0.0.0.0' },
      genmask: inet('255.255.255.0', { len: 8, family: 0 }) } });
    expect(renderMessage(m, opts)).toBe(
      `RTM_CHANGE: Change Metrics or flags: len ${m.msglen}, priority 0, table 2, pid: 0, seq 0, errno 0\n`
      + 'flags:<UP,XRESOLVE,JUMBO>\n' + USE0 + '\nlocks:  inits: \n'
      + 'sockaddrs: <DST,GATEWAY,NETMASK,GENMASK>\n 10.0.0.0 10.0.0.1 default 255.255.255.0\n');
  });

  test('RTM_GET: MAC IFP, unquoted label', () => {
    const m = old({ type: 'RTM_GET', flags: 0x41, sockaddrs: {
      dst: inet('10.0.0.5'), ifp: link(1, 6, 'em0', MAC), ifa: inet('10.0.0.2'), label: { kind: 'label', label: 'mylabel' } } });
    expect(renderMessage(m, opts)).toBe(
      `RTM_GET: Report Metrics: len ${m.msglen}, priority 0, table 0, pid: 0, seq 0, errno 0\n`
      + 'flags:<UP,DONE>\n' + USE0 + '\nlocks:  inits: \n'
      + 'sockaddrs: <DST,IFP,IFA,LABEL>\n 10.0.0.5 fe:e1:ba:d4:c8:1d 10.0.0.2 mylabel\n');
  });

  test('RTM_MISS and RTM_RESOLVE', () => {
    const miss = old({ type: 'RTM_MISS', errno: 3, sockaddrs: { dst: inet('10.9.9.9') } });
    expect(renderMessage(miss, opts)).toBe(
      `RTM_MISS: Lookup failed on this address: len ${miss.msglen}, priority 0, table 0, pid: 0, seq 0, errno 3\n`
      + 'flags:\n' + USE0 + '\nlocks:  inits: \nsockaddrs: <DST>\n 10.9.9.9\n');
    const res = old({ type: 'RTM_RESOLVE', flags: 0x10405, sockaddrs: { dst: inet6('fe80::1', 2), gateway: link(2, 24, 'lo0') } });
    expect(renderMessage(res, opts)).toBe(
      `RTM_RESOLVE: Route created by cloning: len ${res.msglen}, priority 0, table 0, pid: 0, seq 0, errno 0\n`
      + 'flags:<UP,HOST,LLINFO,CLONED>\n' + USE0 + '\nlocks:  inits: \nsockaddrs: <DST,GATEWAY>\n fe80::1%lo0 lo0\n');
  });

  test('RTM_NEWADDR / RTM_DELADDR: no if#', () => {
    const sas = { netmask: inet('255.0.0.0'), ifp: link(2, 24, 'lo0'), ifa: inet('127.0.0.1') };
    const add = old({ type: 'RTM_NEWADDR', index: 2, metric: 0, flags: 1, sockaddrs: sas });
    expect(renderMessage(add, opts)).toBe(
      `RTM_NEWADDR: address being added to iface: len ${add.msglen}, metric 0, flags:<UP>\n`
      + 'sockaddrs: <NETMASK,IFP,IFA>\n 255.0.0.0 lo0 127.0.0.1\n');
    const del = old({ type: 'RTM_DELADDR', index: 2, metric: 1, sockaddrs: sas });
    expect(renderMessage(del, opts)).toBe(
      `RTM_DELADDR: address being removed from iface: len ${del.msglen}, metric 1, flags:\n`
      + 'sockaddrs: <NETMASK,IFP,IFA>\n 255.0.0.0 lo0 127.0.0.1\n');
  });

  test('RTM_IFINFO: "name:", no mtu, 4.9 interface flag names', () => {
    const m = old({ type: 'RTM_IFINFO', index: 1, flags: 0x23, data: { type: 6, link_state: 2, mtu: 1500 } });
    expect(renderMessage(m, opts)).toBe(
      'RTM_IFINFO: iface status change: len 240, if# 1, name: em0, link: no carrier, flags:<UP,BROADCAST,NOTRAILERS>\n');
    const lo = old({ type: 'RTM_IFINFO', index: 5, flags: 0x8049, data: { type: 24, link_state: 0 } });
    expect(renderMessage(lo, opts)).toBe(
      'RTM_IFINFO: iface status change: len 240, if# 5, link: [#0], flags:<UP,LOOPBACK,RUNNING,MULTICAST>\n');
  });

  test('RTM_IFANNOUNCE and RTM_DESYNC', () => {
    const a = old({ type: 'RTM_IFANNOUNCE', index: 3, what: 1, name: 'vlan0' });
    expect(renderMessage(a, opts)).toBe('RTM_IFANNOUNCE: iface arrival/departure: len 26, if# 3, name vlan0, what: departure\n');
    expect(renderMessage(old({ type: 'RTM_DESYNC' }), opts)).toBe(
      'RTM_DESYNC: route socket overflow: len 88, priority 0, table 0, pid: 0, seq 0, errno 0\nflags:\n'
      + USE0 + '\nlocks:  inits: \n');
  });

  test('version mismatch prints the warning', () => {
    const bytes = encodeMessage({ dialect: 'openbsd', type: 'RTM_ADD', sockaddrs: { dst: inet('10.0.0.1') } });
    const forced = decodeMessage(bytes, { dialect: 'openbsd-4.9' });
    expect(renderMessage(forced, opts)).toBe('route: routing message version 5 not understood\n');
  });

  test('big-endian sparc64 (current) reads the same text', () => {
    const d = decodeMessage(encodeMessage({ dialect: 'openbsd', arch: 'sparc64', type: 'RTM_ADD', priority: 8,
      flags: 0x803, pid: 1234, seq: 1, sockaddrs: { dst: inet('10.0.0.0'), gateway: link(513, 6), netmask: inet('255.255.0.0') } }),
    { arch: 'sparc64' });
    expect(renderMessage(d, opts)).toBe(
      `RTM_ADD: Add Route: len ${d.msglen}, priority 8, table 0, if# 0, pid: 1234, seq 1, errno 0\n`
      + 'flags:<UP,GATEWAY,STATIC>\nfmask:\n' + USE0 + '\nlocks:  inits: \n'
      + 'sockaddrs: <DST,GATEWAY,NETMASK>\n 10.0.0.0 link#513 255.255.0.0\n');
  });
});
