#!/usr/bin/env node
/**
 * Builds spec-vectors/<dialect>.<arch>.json: golden routing-socket messages whose bytes are
 * assembled here BY HAND from the offsets, sizes and byte patterns of abi.md (header field
 * offsets §12, ROUNDUP §1, netmask encodings §5, sockaddr details §6, i386/sparc64 §9) --
 * never by the codec's encoder, so the vectors can catch encoder bugs. Each vector also
 * carries hand-written expectations (`expect`) that the decoded JSON must contain; the
 * tool refuses to write a vector whose decode contradicts them, and warns when the
 * encoder does not reproduce the hand-written bytes (that is a codec bug to report).
 *
 * The `json` field is what `rtsock decode --json` (toJson) gives for the bytes.
 * Usage: npm run build && node tools/make-vectors.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeMessage } from '../dist/codec/message.js';
import { iterateMessages } from '../dist/codec/dump.js';
import { fromJson, skippedToJson, toJson } from '../dist/codec/json.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'spec-vectors');

// ---------------------------------------------------------------------------------------
// Byte assembly (abi.md facts only)

const H = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const cat = (...p) => Buffer.concat(p);
const zeros = (n) => Buffer.alloc(n);
const unitOf = (arch) => (arch === 'i386' ? 4 : 8);
const ROUNDUP = (l, u) => (l > 0 ? 1 + ((l - 1) | (u - 1)) : u);

/** A struct image: fields as [offset, width, value] in host order (`le`). */
function struct(size, le, fields) {
  const b = Buffer.alloc(size);
  for (const [off, w, v] of fields) {
    if (w === 1) b.writeUInt8(v, off);
    else if (w === 2) le ? b.writeUInt16LE(v, off) : b.writeUInt16BE(v, off);
    else if (w === 4) le ? b.writeInt32LE(v | 0, off) : b.writeInt32BE(v | 0, off);
    else if (w === 8) le ? b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)), off) : b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(v)), off);
    else if (w === 's') Buffer.from(v, 'latin1').copy(b, off);
    else throw new Error(`width ${w}`);
  }
  return b;
}

/** Patches msglen (u16 @0) with the total length. */
function framed(parts, le) {
  const b = cat(...parts);
  le ? b.writeUInt16LE(b.length, 0) : b.writeUInt16BE(b.length, 0);
  return b;
}

/**
 * rt_msghdr. 4.9: 88 bytes, rt_metrics at 40 {pksent u64 @0, locks @8, mtu @12, expire u_int @16, refcnt @20, ...}.
 * current: 96 bytes, rt_metrics at 40 {pksent u64 @0, expire int64 @8, locks @16, mtu @20, refcnt @24, ...}.
 */
function rtm(d, le, f) {
  const cur = d === 'openbsd';
  const size = cur ? 96 : 88;
  const fields = [
    [2, 1, cur ? 5 : 4], [3, 1, f.type], [4, 2, f.hdrlen ?? size], [6, 2, f.index ?? 0], [8, 2, f.tableid ?? 0],
    [10, 1, f.priority ?? 0], [11, 1, f.mpls ?? 0], [12, 4, f.addrs ?? 0], [16, 4, f.flags ?? 0], [20, 4, f.fmask ?? 0],
    [24, 4, f.pid ?? 0], [28, 4, f.seq ?? 0], [32, 4, f.errno ?? 0], [36, 4, f.inits ?? 0],
    [40, 8, f.pksent ?? 0],
  ];
  if (cur) fields.push([48, 8, f.expire ?? 0], [56, 4, f.locks ?? 0], [60, 4, f.mtu ?? 0], [64, 4, f.refcnt ?? 0]);
  else fields.push([48, 4, f.locks ?? 0], [52, 4, f.mtu ?? 0], [56, 4, f.expire ?? 0], [60, 4, f.refcnt ?? 0]);
  return struct(size, le, fields);
}

/** ifa_msghdr (24 bytes): index @6, tableid @8, addrs @12, flags @16, metric @20. */
function ifam(d, le, f) {
  return struct(24, le, [[2, 1, d === 'openbsd' ? 5 : 4], [3, 1, f.type], [4, 2, f.hdrlen ?? 24], [6, 2, f.index ?? 0], [8, 2, f.tableid ?? 0],
    [12, 4, f.addrs ?? 0], [16, 4, f.flags ?? 0], [20, 4, f.metric ?? 0]]);
}

/**
 * if_msghdr: header 24 bytes then if_data at 24: type @0, addrlen @1, hdrlen @2, link_state @3,
 * mtu @4, metric @8, pad/rdomain @12, baudrate u64 @16, ipackets @24 ... ; sizes 240 (4.9 amd64),
 * 228 (4.9 i386), 168 (current amd64/sparc64), 160 (current i386).
 */
function ifm(d, arch, le, f) {
  const size = d === 'openbsd' ? (arch === 'i386' ? 160 : 168) : (arch === 'i386' ? 228 : 240);
  return struct(size, le, [[2, 1, d === 'openbsd' ? 5 : 4], [3, 1, 14], [4, 2, size], [6, 2, f.index ?? 0], [8, 2, f.tableid ?? 0],
    [12, 4, f.addrs ?? 0], [16, 4, f.flags ?? 0], [20, 4, f.xflags ?? 0],
    [24, 1, f.ifi_type ?? 0], [25, 1, f.addrlen ?? 0], [26, 1, f.ifi_hdrlen ?? 0], [27, 1, f.link_state ?? 0],
    [28, 4, f.mtu ?? 0], [32, 4, f.metric ?? 0], [36, 4, f.rdomain ?? 0], [40, 8, f.baudrate ?? 0], [48, 8, f.ipackets ?? 0]]);
}

/** if_announcemsghdr, 26 bytes: index @6, what @8, name char[16] @10. */
function ifan(d, le, f) {
  return struct(26, le, [[2, 1, d === 'openbsd' ? 5 : 4], [3, 1, 15], [4, 2, 26], [6, 2, f.index], [8, 2, f.what], [10, 's', f.name]]);
}

/** sockaddr_in, 16 bytes: len 16, AF_INET 2, port (network order), addr, sin_zero. */
const sin = (a, port = 0) => cat(H('1002'), struct(2, false, [[0, 2, port]]), Buffer.from(a.split('.').map(Number)), zeros(8));
/** sockaddr_in6, 28 bytes + pad to ROUNDUP: flowinfo/scope_id host order, address network order. */
function sin6(addrHex, { scope = 0, le = true, u = 8, flow = 0, family = 0x18, port = 0 } = {}) {
  const b = cat(Buffer.of(28, family), struct(2, false, [[0, 2, port]]), struct(4, le, [[0, 4, flow]]), H(addrHex), struct(4, le, [[0, 4, scope]]));
  return cat(b, zeros(ROUNDUP(28, u) - 28));
}
/** Any sockaddr image given as hex whose first byte is sa_len, zero-padded to ROUNDUP(sa_len). */
function sa(hexstr, u) {
  const b = H(hexstr);
  const size = ROUNDUP(b[0], u);
  if (b.length > size) throw new Error(`sockaddr ${hexstr} longer than ROUNDUP`);
  return cat(b, zeros(size - b.length));
}
/** sockaddr_dl: len, AF_LINK 18, index (host order), type, nlen, alen, slen, name, lladdr; padded to sdl_len then ROUNDUP. */
function sdl(len, index, type, name, lladdr, le, u) {
  const ll = H(lladdr.replace(/:/g, ''));
  const b = cat(Buffer.of(len, 18), struct(2, le, [[0, 2, index]]), Buffer.of(type, name.length, ll.length, 0), Buffer.from(name, 'latin1'), ll);
  return cat(b, zeros(ROUNDUP(len, u) - b.length));
}
/** sockaddr_rtlabel: len 34, AF_UNSPEC, NUL-terminated label in char[32]; 40 bytes amd64, 36 i386. */
const rtlabel = (s, u) => sa(cat(Buffer.of(34, 0), Buffer.from(s, 'latin1'), zeros(32 - s.length)).toString('hex'), u);
/** sockaddr_mpls: len 16, AF_MPLS 33, pad0, smpls_label = htonl(label << 12), pad1. */
const smpls = (label) => cat(H('1021 0000'), struct(4, false, [[0, 4, label << 12]]), zeros(8));

const E = 'openbsd-4.9', C = 'openbsd';
const RTF = { UP: 0x1, GATEWAY: 0x2, HOST: 0x4, DONE: 0x40, STATIC: 0x800, LLINFO: 0x400, MPLS: 0x100000, CLONING: 0x100 };

// ---------------------------------------------------------------------------------------
// The vectors

const V = [];
/** name, description, dialect, arch, messages (Buffers), expect (partial JSON per message or null). */
function vec(name, description, dialect, arch, messages, expect) {
  V.push({ name, description, dialect, arch, messages, expect });
}

// -- openbsd-4.9 / amd64 ------------------------------------------------------------------
{
  const d = E, a = 'amd64', le = true, u = 8;
  const gw = sin('10.0.0.1');
  vec('4.9-add-default-route', 'RTM_ADD of the default route: DST 0.0.0.0, GATEWAY, and a zero-length (sa_len 0) NETMASK taking 8 zero bytes.', d, a,
    [framed([rtm(d, le, { type: 1, addrs: 7, flags: RTF.UP | RTF.GATEWAY | RTF.STATIC, pid: 1234, seq: 1 }), sin('0.0.0.0'), gw, zeros(8)], le)],
    [{ msglen: 128, version: 4, type: 'RTM_ADD', hdrlen: 88, addrs: 7, flags: 0x803, pid: 1234, seq: 1,
      sockaddrs: { dst: { kind: 'inet', len: 16, family: 2, addr: '0.0.0.0' }, gateway: { addr: '10.0.0.1' }, netmask: { kind: 'inet', len: 0, family: 0, addr: '0.0.0.0' } } }]);
  vec('4.9-get-host-route', 'RTM_GET reply for a host route (RTF_HOST): DST and GATEWAY only, no NETMASK.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 3, flags: RTF.UP | RTF.GATEWAY | RTF.HOST | RTF.DONE, pid: 77, seq: 2, refcnt: 1 }), sin('10.1.2.3'), gw], le)],
    [{ msglen: 120, type: 'RTM_GET', addrs: 3, flags: 0x47, rmx: { refcnt: 1 }, sockaddrs: { dst: { addr: '10.1.2.3' }, gateway: { addr: '10.0.0.1' } } }]);
  vec('4.9-netmask-24', '4.9 kernel netmask of 10.0.0.0/24: sa_len 7, bytes 1..3 0xff (family reads 0xff), 07 ff ff ff ff ff ff 00.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 7, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin('10.0.0.0'), gw, H('07ffffffffffff00')], le)],
    [{ msglen: 128, sockaddrs: { netmask: { kind: 'inet', len: 7, family: 255, port: 65535, addr: '255.255.255.0' } } }]);
  vec('4.9-netmask-8', '4.9 kernel netmask of 10.0.0.0/8: 05 ff ff ff ff 00 00 00 (sa_len 5).', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 7, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin('10.0.0.0'), gw, H('05ffffffff000000')], le)],
    [{ sockaddrs: { netmask: { kind: 'inet', len: 5, family: 255, port: 65535, addr: '255.0.0.0' } } }]);
  vec('4.9-netmask-32-net', '4.9 kernel netmask of a /32 network route: 08 ff ff ff ff ff ff ff (sa_len 8).', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 7, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin('10.9.9.9'), gw, H('08ffffffffffffff')], le)],
    [{ sockaddrs: { netmask: { kind: 'inet', len: 8, family: 255, addr: '255.255.255.255' } } }]);
  vec('4.9-netmask-inet6-64', '4.9 kernel netmask of 2001:db8::/64: sa_len 16 then 15 bytes 0xff; gateway fe80:1::1 carries scope 1 in bytes 2-3.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 7, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin6('20010db8000000000000000000000000'), sin6('fe800001000000000000000000000001'), H('10' + 'ff'.repeat(15))], le)],
    [{ msglen: 88 + 32 + 32 + 16, sockaddrs: { dst: { kind: 'inet6', len: 28, addr: '2001:db8::', scope_id: 0 },
      gateway: { kind: 'inet6', addr: 'fe80::1', scope_id: 1 }, netmask: { kind: 'inet6', len: 16, family: 255, port: 65535, flowinfo: 0xffffffff, addr: 'ffff:ffff:ffff:ffff::' } } }]);
  vec('4.9-inet6-default-mask', '4.9 kernel default IPv6 route: the netmask has sa_len 0 and still takes 8 zero bytes.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 7, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin6('00'.repeat(16)), sin6('fe800002000000000000000000000001'), zeros(8)], le)],
    [{ sockaddrs: { dst: { addr: '::' }, gateway: { addr: 'fe80::1', scope_id: 2 }, netmask: { kind: 'inet6', len: 0, family: 0, addr: '::' } } }]);
  vec('4.9-link-local-scope', 'IPv6 link-local DST fe80:0005::1 with sin6_scope_id 0: the embedded scope surfaces as scope_id 5.', d, a,
    [framed([rtm(d, le, { type: 7, addrs: 1, flags: RTF.DONE }), sin6('fe800005000000000000000000000001')], le)],
    [{ type: 'RTM_MISS', sockaddrs: { dst: { kind: 'inet6', addr: 'fe80::1', scope_id: 5 } } }]);
  vec('4.9-delete', 'RTM_DELETE (rtdeletemsg): DST, GATEWAY, NETMASK /24, flags without RTF_UP.', d, a,
    [framed([rtm(d, le, { type: 2, addrs: 7, flags: RTF.GATEWAY | RTF.DONE | RTF.STATIC, index: 1 }), sin('192.168.0.0'), sin('192.168.1.1'), H('07ffffffffffff00')], le)],
    [{ type: 'RTM_DELETE', index: 1, flags: 0x842 }]);
  vec('4.9-change', 'RTM_CHANGE request with rtm_fmask and RTV_MTU in rtm_inits and rmx_mtu 1400.', d, a,
    [framed([rtm(d, le, { type: 3, addrs: 3, flags: RTF.STATIC, fmask: RTF.STATIC, inits: 1, mtu: 1400, seq: 9 }), sin('10.2.0.0'), gw], le)],
    [{ type: 'RTM_CHANGE', fmask: 0x800, inits: 1, rmx: { mtu: 1400 } }]);
  vec('4.9-losing', 'RTM_LOSING with DST and GATEWAY.', d, a,
    [framed([rtm(d, le, { type: 5, addrs: 3, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin('172.16.0.1'), gw], le)], [{ type: 'RTM_LOSING' }]);
  vec('4.9-redirect', 'RTM_REDIRECT: DST, GATEWAY, NETMASK (sa_len 0) and AUTHOR (bit 6).', d, a,
    [framed([rtm(d, le, { type: 6, addrs: 0x47, flags: RTF.UP | RTF.GATEWAY | RTF.HOST | RTF.DONE | 0x10 }), sin('8.8.8.8'), sin('10.0.0.2'), zeros(8), sin('10.0.0.1')], le)],
    [{ type: 'RTM_REDIRECT', addrs: 0x47, sockaddrs: { author: { addr: '10.0.0.1' }, netmask: { len: 0 } } }]);
  vec('4.9-miss', 'RTM_MISS (rt_missmsg): DST only, errno ESRCH (3).', d, a,
    [framed([rtm(d, le, { type: 7, addrs: 1, flags: RTF.DONE, errno: 3 }), sin('203.0.113.9')], le)], [{ type: 'RTM_MISS', errno: 3 }]);
  vec('4.9-lock', 'RTM_LOCK (4.9 only, type 8) locking RTV_MTU in rmx_locks.', d, a,
    [framed([rtm(d, le, { type: 8, addrs: 1, inits: 1, locks: 1 }), sin('10.3.0.0')], le)], [{ type: 'RTM_LOCK', rmx: { locks: 1 } }]);
  vec('4.9-resolve', 'RTM_RESOLVE: DST only.', d, a,
    [framed([rtm(d, le, { type: 11, addrs: 1, flags: RTF.DONE }), sin('10.0.0.77')], le)], [{ type: 'RTM_RESOLVE' }]);
  const em0 = sdl(24, 1, 6, 'em0', '00:11:22:33:44:55', le, u);
  vec('4.9-newaddr', 'RTM_NEWADDR (ifa_msghdr 24): NETMASK in_socktrim form (len 7, family 0), IFP em0 sockaddr_dl (sdl_len 24, index 1, IFT_ETHER), IFA, BRD.', d, a,
    [framed([ifam(d, le, { type: 12, addrs: 0xb4, index: 1, metric: 0 }), H('070000 00ffffff00'), em0, sin('10.0.0.5'), sin('10.0.0.255')], le)],
    [{ hdr: 'ifa_msghdr', type: 'RTM_NEWADDR', hdrlen: 24, msglen: 24 + 8 + 24 + 16 + 16, index: 1, sockaddrs: {
      netmask: { kind: 'inet', len: 7, family: 0, addr: '255.255.255.0' },
      ifp: { kind: 'link', len: 24, family: 18, index: 1, type: 6, name: 'em0', lladdr: '00:11:22:33:44:55' },
      ifa: { addr: '10.0.0.5' }, brd: { addr: '10.0.0.255' } } }]);
  vec('4.9-deladdr', 'RTM_DELADDR (ifa_msghdr): NETMASK /8 trimmed (len 5), IFA.', d, a,
    [framed([ifam(d, le, { type: 13, addrs: 0x24, index: 2 }), H('0500 0000 ff000000'), sin('10.9.0.1')], le)],
    [{ type: 'RTM_DELADDR', sockaddrs: { netmask: { len: 5, family: 0, addr: '255.0.0.0' }, ifa: { addr: '10.9.0.1' } } }]);
  vec('4.9-ifinfo', 'RTM_IFINFO (rt_ifmsg): a 240-byte if_msghdr with if_data (IFT_ETHER, link state UP, mtu 1500, 1 Gbit/s) and no sockaddrs.', d, a,
    [framed([ifm(d, a, le, { index: 1, flags: 0x8843, ifi_type: 6, addrlen: 6, ifi_hdrlen: 14, link_state: 4, mtu: 1500, baudrate: 1000000000, ipackets: 12345 })], le)],
    [{ hdr: 'if_msghdr', type: 'RTM_IFINFO', msglen: 240, hdrlen: 240, flags: 0x8843, addrs: 0,
      data: { type: 6, addrlen: 6, hdrlen: 14, link_state: 4, mtu: 1500, baudrate: '1000000000', ipackets: '12345' } }]);
  vec('4.9-ifinfo-iflist', 'sysctl NET_RT_IFLIST RTM_IFINFO record carrying IFP (sockaddr_dl em0).', d, a,
    [framed([ifm(d, a, le, { index: 1, addrs: 0x10, flags: 0x8843, ifi_type: 6, link_state: 4, mtu: 1500 }), em0], le)],
    [{ msglen: 264, addrs: 16, sockaddrs: { ifp: { kind: 'link', name: 'em0', index: 1, type: 6 } } }]);
  vec('4.9-ifannounce', 'RTM_IFANNOUNCE: 26-byte if_announcemsghdr, IFAN_ARRIVAL of vlan0 index 3.', d, a,
    [framed([ifan(d, le, { index: 3, what: 0, name: 'vlan0' })], le)],
    [{ hdr: 'if_announcemsghdr', type: 'RTM_IFANNOUNCE', msglen: 26, hdrlen: 26, index: 3, what: 0, name: 'vlan0' }]);
  vec('4.9-desync', 'RTM_DESYNC: a bare 88-byte rt_msghdr.', d, a,
    [framed([rtm(d, le, { type: 16 })], le)], [{ type: 'RTM_DESYNC', msglen: 88, hdrlen: 88, addrs: 0 }]);
  vec('4.9-label', 'RTM_GET with a route label: sockaddr_rtlabel len 34, AF_UNSPEC, "uplink", rounded to 40 bytes.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 0x403, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin('10.5.0.0'), gw, rtlabel('uplink', u)], le)],
    [{ msglen: 88 + 32 + 40, sockaddrs: { label: { kind: 'label', len: 34, family: 0, label: 'uplink' } } }]);
  vec('4.9-mpls', 'RTM_GET of an MPLS route: SRC is a sockaddr_mpls with label 100 (smpls_label = htonl(100 << 12)), rtm_mpls MPLS_OP_PUSH.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 0x103, mpls: 2, flags: RTF.UP | RTF.GATEWAY | RTF.DONE | RTF.MPLS }), sin('10.6.0.0'), gw, smpls(100)], le)],
    [{ mpls: 2, flags: 0x100043, sockaddrs: { src: { kind: 'mpls', len: 16, family: 33, label: 100 } } }]);
  vec('4.9-unknown-family', 'A DST of an unknown family (AF_ENCAP 28, sa_len 6) decodes as kind unknown with its raw bytes.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 1 }), H('061c 01020304 0000')], le)],
    [{ sockaddrs: { dst: { kind: 'unknown', len: 6, family: 28, data: '01020304' } } }]);
  vec('4.9-dump-unknown-version', 'A dump with a version-3 message in the middle: it is skipped (UNKNOWN_VERSION) and the messages around it decode.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 3, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin('10.7.0.1'), gw], le),
      H('1800 03 04 0000 0000 0000 0000 aaaaaaaa bbbbbbbb cccccccc'),
      framed([ifan(d, le, { index: 4, what: 1, name: 'tun0' })], le)],
    [{ type: 'RTM_GET' }, { code: 'UNKNOWN_VERSION', raw: '180003040000000000000000aaaaaaaabbbbbbbbcccccccc' }, { type: 'RTM_IFANNOUNCE', what: 1, name: 'tun0' }]);
}

// -- openbsd-4.9 / i386 -------------------------------------------------------------------
{
  const d = E, a = 'i386', le = true, u = 4;
  vec('4.9-i386-default-route', 'i386 rounds sockaddrs to 4: the zero-length default netmask takes 4 bytes (msglen 124).', d, a,
    [framed([rtm(d, le, { type: 1, addrs: 7, flags: RTF.UP | RTF.GATEWAY | RTF.STATIC }), sin('0.0.0.0'), sin('10.0.0.1'), zeros(4)], le)],
    [{ msglen: 124, arch: 'i386', sockaddrs: { netmask: { len: 0 } } }]);
  vec('4.9-i386-netmask-8', 'i386: the /8 kernel netmask (sa_len 5) rounds to 8 bytes, then a sa_len 12 unknown-family sockaddr takes exactly 12.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 0x107, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin('10.0.0.0'), sin('10.0.0.1'), sa('05ffffffff', u), sa('0c1e 0102030405060708090a', u)], le)],
    [{ msglen: 88 + 32 + 8 + 12, sockaddrs: { netmask: { len: 5, addr: '255.0.0.0' }, src: { kind: 'unknown', len: 12, family: 30 } } }]);
  vec('4.9-i386-ifinfo', 'i386 4.9 if_msghdr is 228 bytes (if_data 204) followed by a 20-byte sockaddr_dl (sdl_len 20).', d, a,
    [framed([ifm(d, a, le, { index: 1, addrs: 0x10, flags: 0x8843, ifi_type: 6, mtu: 1500 }), sdl(20, 1, 6, 'em0', '00:11:22:33:44:55', le, u)], le)],
    [{ msglen: 248, hdrlen: 228, sockaddrs: { ifp: { kind: 'link', len: 20, name: 'em0', lladdr: '00:11:22:33:44:55' } } }]);
  vec('4.9-i386-inet6', 'i386: a 28-byte sockaddr_in6 needs no pad; the 4.9 /64 mask (sa_len 16) takes 16.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 5, flags: RTF.UP | RTF.DONE }), sin6('20010db8000000000000000000000000', { u }), H('10' + 'ff'.repeat(15))], le)],
    [{ msglen: 88 + 28 + 16, sockaddrs: { dst: { addr: '2001:db8::' }, netmask: { len: 16 } } }]);
}

// -- openbsd-4.9 / sparc64 ----------------------------------------------------------------
{
  const d = E, a = 'sparc64', le = false;
  vec('4.9-sparc64-get', 'sparc64 is big-endian: msglen, hdrlen, addrs, flags and pid are written most significant byte first.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 3, flags: RTF.UP | RTF.GATEWAY | RTF.DONE, pid: 0x01020304, seq: 5 }), sin('10.0.0.0'), sin('10.0.0.1')], le)],
    [{ msglen: 120, hdrlen: 88, addrs: 3, flags: 0x43, pid: 0x01020304, arch: 'sparc64' }]);
  vec('4.9-sparc64-sysctl-align16', 'sparc64 sysctl records round msglen up to 16 (ALIGN): 88+32 = 120 becomes 128 with 8 zero bytes at the end.', d, a,
    [cat(framed([rtm(d, le, { type: 4, addrs: 3, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin('10.0.0.0'), sin('10.0.0.1'), zeros(8)], le))],
    [{ msglen: 128, addrs: 3 }]);
  vec('4.9-sparc64-ifannounce', 'sparc64 RTM_IFANNOUNCE: index and what big-endian.', d, a,
    [framed([ifan(d, le, { index: 0x0102, what: 1, name: 'em1' })], le)], [{ index: 0x0102, what: 1, name: 'em1', msglen: 26 }]);
  vec('4.9-sparc64-link', 'sparc64 sockaddr_dl: sdl_index is big-endian (index 0x0203).', d, a,
    [framed([ifam(d, le, { type: 12, addrs: 0x30, index: 0x0203 }), sdl(24, 0x0203, 6, 'em2', 'aa:bb:cc:dd:ee:ff', le, 8), sin('10.0.0.9')], le)],
    [{ index: 0x0203, sockaddrs: { ifp: { kind: 'link', index: 0x0203, name: 'em2', lladdr: 'aa:bb:cc:dd:ee:ff' } } }]);
}

// -- openbsd (current) / amd64 --------------------------------------------------------------
{
  const d = C, a = 'amd64', le = true, u = 8;
  const gw = sin('10.0.0.1');
  const full24 = H('10020000ffffff000000000000000000');
  const em0 = sdl(32, 1, 6, 'em0', '00:11:22:33:44:55', le, u);
  vec('cur-add-default', 'current RTM_ADD of the default route: the netmask is a full sockaddr_in 10 02 00..00 (len 16).', d, a,
    [framed([rtm(d, le, { type: 1, addrs: 7, flags: RTF.UP | RTF.GATEWAY | RTF.STATIC | RTF.DONE, priority: 8, pid: 42, seq: 1 }), sin('0.0.0.0'), gw, H('1002' + '00'.repeat(14))], le)],
    [{ msglen: 96 + 48, version: 5, hdrlen: 96, priority: 8, sockaddrs: { netmask: { kind: 'inet', len: 16, family: 2, addr: '0.0.0.0' } } }]);
  vec('cur-get-net24', 'current RTM_GET reply: full netmask 10 02 00 00 ff ff ff 00 ..., IFP em0 (sdl_len 32) and IFA.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 0x37, flags: RTF.UP | RTF.GATEWAY | RTF.DONE, index: 1, priority: 8, expire: 0, mtu: 0 }), sin('192.168.7.0'), gw, full24, em0, sin('10.0.0.5')], le)],
    [{ msglen: 96 + 16 + 16 + 16 + 32 + 16, sockaddrs: { netmask: { kind: 'inet', len: 16, family: 2, addr: '255.255.255.0' },
      ifp: { kind: 'link', len: 32, index: 1, type: 6, name: 'em0', lladdr: '00:11:22:33:44:55' }, ifa: { addr: '10.0.0.5' } } }]);
  vec('cur-get-host', 'current RTM_GET reply for a host route: the netmask is all-ones (always present in rtm_report).', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 7, flags: RTF.UP | RTF.GATEWAY | RTF.HOST | RTF.DONE }), sin('10.1.2.3'), gw, H('10020000ffffffff0000000000000000')], le)],
    [{ sockaddrs: { netmask: { len: 16, addr: '255.255.255.255' } } }]);
  vec('cur-inet6-default', 'current inet6 default route: netmask 1c 18 00..00 (len 28) plus 4 pad bytes; rmx_expire is int64 (-1 here).', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 7, flags: RTF.UP | RTF.GATEWAY | RTF.DONE, expire: -1 }), sin6('00'.repeat(16)), sin6('fe800001000000000000000000000001'), sin6('00'.repeat(16))], le)],
    [{ msglen: 96 + 96, rmx: { expire: '-1' }, sockaddrs: { gateway: { addr: 'fe80::1', scope_id: 1 }, netmask: { kind: 'inet6', len: 28, addr: '::' } } }]);
  vec('cur-zero-length-mask', 'A zero-length (sa_len 0) netmask in a current message still takes 8 bytes.', d, a,
    [framed([rtm(d, le, { type: 1, addrs: 7, flags: RTF.UP | RTF.GATEWAY }), sin('0.0.0.0'), gw, zeros(8)], le)],
    [{ msglen: 96 + 40, sockaddrs: { netmask: { len: 0, family: 0 } } }]);
  vec('cur-link-local-scope', 'current: DST fe80:0005::1 (scope 5 embedded, sin6_scope_id 0) surfaces as fe80::1 with scope_id 5.', d, a,
    [framed([rtm(d, le, { type: 1, addrs: 0x13, flags: RTF.UP | RTF.HOST | RTF.LLINFO | RTF.DONE, index: 5 }), sin6('fe800005000000000000000000000001'), sdl(32, 5, 6, 'em4', '', le, u), em0], le)],
    [{ sockaddrs: { dst: { kind: 'inet6', addr: 'fe80::1', scope_id: 5 }, gateway: { kind: 'link', name: 'em4', lladdr: '' } } }]);
  vec('cur-delete', 'current RTM_DELETE broadcast (rtm_send): DST, GATEWAY, NETMASK.', d, a,
    [framed([rtm(d, le, { type: 2, addrs: 7, flags: RTF.GATEWAY | RTF.STATIC | RTF.DONE, priority: 8 }), sin('192.168.9.0'), gw, full24], le)], [{ type: 'RTM_DELETE' }]);
  vec('cur-change', 'current RTM_CHANGE with rtm_fmask.', d, a,
    [framed([rtm(d, le, { type: 3, addrs: 3, flags: RTF.STATIC, fmask: 0x800, seq: 4 }), sin('10.2.0.0'), gw], le)], [{ type: 'RTM_CHANGE', fmask: 0x800 }]);
  vec('cur-losing', 'current RTM_LOSING.', d, a, [framed([rtm(d, le, { type: 5, addrs: 1 }), sin('10.8.0.1')], le)], [{ type: 'RTM_LOSING' }]);
  vec('cur-redirect', 'current RTM_REDIRECT with AUTHOR.', d, a,
    [framed([rtm(d, le, { type: 6, addrs: 0x43 }), sin('8.8.4.4'), sin('10.0.0.3'), sin('10.0.0.1')], le)], [{ type: 'RTM_REDIRECT', sockaddrs: { author: { addr: '10.0.0.1' } } }]);
  vec('cur-miss', 'current RTM_MISS, DST only.', d, a, [framed([rtm(d, le, { type: 7, addrs: 1, errno: 51 }), sin('198.51.100.1')], le)], [{ type: 'RTM_MISS', errno: 51 }]);
  vec('cur-resolve', 'current RTM_RESOLVE, DST only.', d, a, [framed([rtm(d, le, { type: 11, addrs: 1 }), sin('10.0.0.99')], le)], [{ type: 'RTM_RESOLVE' }]);
  vec('cur-newaddr', 'current RTM_NEWADDR (rtm_addr): NETMASK trimmed len 7 family 0, IFP sockaddr_dl len 32, IFA, BRD.', d, a,
    [framed([ifam(d, le, { type: 12, addrs: 0xb4, index: 1 }), H('0700 0000 ffffff00'), em0, sin('10.0.0.5'), sin('10.0.0.255')], le)],
    [{ hdr: 'ifa_msghdr', msglen: 24 + 8 + 32 + 32, sockaddrs: { netmask: { len: 7, family: 0, addr: '255.255.255.0' }, ifp: { len: 32 } } }]);
  vec('cur-deladdr', 'current RTM_DELADDR with an inet6 prefix mask passed verbatim (1c 18, /64).', d, a,
    [framed([ifam(d, le, { type: 13, addrs: 0x24, index: 1 }), sin6('ffffffffffffffff0000000000000000'), sin6('20010db8000000000000000000000001')], le)],
    [{ type: 'RTM_DELADDR', sockaddrs: { netmask: { kind: 'inet6', addr: 'ffff:ffff:ffff:ffff::' }, ifa: { addr: '2001:db8::1' } } }]);
  vec('cur-chgaddrattr', 'current RTM_CHGADDRATTR: ifa_msghdr fields but hdrlen 96 (sized as rt_msghdr), bytes 24..95 zero, sockaddrs at 96.', d, a,
    [framed([ifam(d, le, { type: 20, addrs: 0x20, index: 1, flags: 0, hdrlen: 96 }), zeros(72), sin6('20010db8000000000000000000000001')], le)],
    [{ hdr: 'ifa_msghdr', type: 'RTM_CHGADDRATTR', hdrlen: 96, msglen: 96 + 32, sockaddrs: { ifa: { addr: '2001:db8::1' } } }]);
  vec('cur-ifinfo', 'current RTM_IFINFO (rtm_ifchg): 168-byte if_msghdr with ifi_rdomain, then IFP.', d, a,
    [framed([ifm(d, a, le, { index: 1, addrs: 0x10, flags: 0x8843, ifi_type: 6, link_state: 4, mtu: 1500, rdomain: 0, baudrate: 10000000000 }), em0], le)],
    [{ hdr: 'if_msghdr', msglen: 200, hdrlen: 168, data: { rdomain: 0, mtu: 1500, baudrate: '10000000000' }, sockaddrs: { ifp: { name: 'em0' } } }]);
  vec('cur-ifannounce', 'current RTM_IFANNOUNCE: 26 bytes, IFAN_DEPARTURE of em3.', d, a,
    [framed([ifan(d, le, { index: 4, what: 1, name: 'em3' })], le)], [{ msglen: 26, version: 5, what: 1, name: 'em3' }]);
  vec('cur-desync', 'current RTM_DESYNC: a bare 96-byte rt_msghdr.', d, a, [framed([rtm(d, le, { type: 16 })], le)], [{ type: 'RTM_DESYNC', msglen: 96 }]);
  vec('cur-invalidate', 'current RTM_INVALIDATE (17) with DST.', d, a, [framed([rtm(d, le, { type: 17, addrs: 1 }), sin('10.0.0.8')], le)], [{ type: 'RTM_INVALIDATE' }]);
  vec('cur-source', 'current RTM_SOURCE (22) request: IFA only, no DST.', d, a,
    [framed([rtm(d, le, { type: 22, addrs: 0x20, tableid: 3 }), sin('10.0.0.5')], le)], [{ type: 'RTM_SOURCE', tableid: 3, sockaddrs: { ifa: { addr: '10.0.0.5' } } }]);
  vec('cur-proposal', 'current RTM_PROPOSAL: NETMASK, IFA, DNS (sockaddr_rtdns, 2 IPv4 addresses, len 10), STATIC and SEARCH (130-byte structs).', d, a,
    [framed([rtm(d, le, { type: 19, addrs: 0x7024, priority: 58, index: 1 }), full24, sin('10.0.0.5'),
      sa('0a02 08080808 01010101', u), sa('8202 18 0a0000 0a000001' + '00'.repeat(121), u), sa('8200 076578616d706c65 03636f6d 00' + '00'.repeat(114), u)], le)],
    [{ type: 'RTM_PROPOSAL', priority: 58, addrs: 0x7024, msglen: 96 + 16 + 16 + 16 + 136 + 136, sockaddrs: {
      dns: { kind: 'dns', len: 10, family: 2, addrs: ['8.8.8.8', '1.1.1.1'] },
      static: { kind: 'static', len: 130, family: 2 }, search: { kind: 'search', len: 130, family: 0 } } }]);
  vec('cur-proposal-dns6', 'current RTM_PROPOSAL with an IPv6 DNS sockaddr (len 2+16).', d, a,
    [framed([rtm(d, le, { type: 19, addrs: 0x1000 }), sa('1218 20010db8000000000000000000000053', u)], le)],
    [{ sockaddrs: { dns: { kind: 'dns', len: 18, family: 24, addrs: ['2001:db8::53'] } } }]);
  const bfdSa = (le2) => struct(80, le2, [[0, 1, 80], [2, 2, 1], [4, 4, 0x11223344], [8, 8, 1000], [24, 4, 300000], [28, 4, 300000], [48, 2, 3], [52, 4, 3]]);
  vec('cur-bfd', 'current RTM_BFD: 104-byte bfd_msghdr embedding a sockaddr_bfd at 24 (mode async, state UP), then DST and IFA.', d, a,
    [framed([struct(24, le, [[2, 1, 5], [3, 1, 18], [4, 2, 104], [6, 2, 1], [12, 4, 0x21]]), bfdSa(le), sin('10.0.0.2'), sin('10.0.0.5')], le)],
    [{ hdr: 'bfd_msghdr', type: 'RTM_BFD', hdrlen: 104, msglen: 136, sa: { mode: 1, localdiscr: 0x11223344, uptime: '1000', mintx: 300000, multiplier: 3, state: 3 } }]);
  vec('cur-bfd-slot', 'current route with RTF_BFD carrying a BFD sockaddr (sockaddr_bfd, 80 bytes) in slot 11.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 0x803, flags: RTF.UP | RTF.GATEWAY | RTF.DONE | 0x1000000 }), sin('10.0.0.2'), gw, bfdSa(le)], le)],
    [{ sockaddrs: { bfd: { kind: 'bfd', len: 80, bfd: { mode: 1, state: 3 } } } }]);
  vec('cur-80211info', 'current RTM_80211INFO: 64-byte if_ieee80211_msghdr with channel, nwid "home" and BSSID.', d, a,
    [framed([struct(64, le, [[2, 1, 5], [3, 1, 21], [4, 2, 64], [6, 2, 2], [12, 1, 6], [13, 1, 4], [16, 4, 1], [24, 's', 'home'], [56, 's', '\x00\x11\x22\x33\x44\x55']])], le)],
    [{ hdr: 'if_ieee80211_msghdr', msglen: 64, index: 2, ifie: { channel: 6, nwid_len: 4, flags: 1, nwid: '686f6d65' + '00'.repeat(28), addr: '001122334455' } }]);
  vec('cur-label-mpls', 'current route with LABEL "core" (34 -> 40 bytes) and an MPLS SRC label 16.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 0x503, mpls: 1, flags: RTF.UP | RTF.GATEWAY | RTF.DONE | RTF.MPLS }), sin('10.6.0.0'), gw, smpls(16), rtlabel('core', u)], le)],
    [{ sockaddrs: { src: { kind: 'mpls', label: 16 }, label: { kind: 'label', label: 'core' } } }]);
  vec('cur-unknown-family', 'current: an unknown-family GATEWAY (family 99, len 10) keeps its bytes.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 3 }), sin('10.0.0.0'), sa('0a63 0102030405060708', u)], le)],
    [{ sockaddrs: { gateway: { kind: 'unknown', family: 99, len: 10, data: '0102030405060708' } } }]);
  vec('cur-dump-mixed', 'A current dump: RTM_GET, RTM_IFINFO, RTM_NEWADDR, an unknown version 9 message (skipped), RTM_DESYNC.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 3, flags: RTF.UP | RTF.GATEWAY | RTF.DONE }), sin('10.0.0.0'), gw], le),
      framed([ifm(d, a, le, { index: 1, addrs: 0x10, ifi_type: 6 }), em0], le),
      framed([ifam(d, le, { type: 12, addrs: 0x20, index: 1 }), sin('10.0.0.5')], le),
      H('0800 09 01 ffffffff'),
      framed([rtm(d, le, { type: 16 })], le)],
    [{ type: 'RTM_GET' }, { type: 'RTM_IFINFO' }, { type: 'RTM_NEWADDR' }, { code: 'UNKNOWN_VERSION', raw: '08000901ffffffff' }, { type: 'RTM_DESYNC' }]);
}

// -- openbsd (current) / i386 ---------------------------------------------------------------
{
  const d = C, a = 'i386', le = true, u = 4;
  vec('cur-i386-ifinfo', 'current i386 if_msghdr is 160 bytes (if_data 136, timeval 12).', d, a,
    [framed([ifm(d, a, le, { index: 1, addrs: 0x10, ifi_type: 6, mtu: 1500 }), sdl(32, 1, 6, 'em0', '00:11:22:33:44:55', le, u)], le)],
    [{ hdrlen: 160, msglen: 192, data: { mtu: 1500 } }]);
  vec('cur-i386-bfd', 'current i386 bfd_msghdr is 100 bytes (sockaddr_bfd 76, bs_pad1 at 68).', d, a,
    [framed([struct(24, le, [[2, 1, 5], [3, 1, 18], [4, 2, 100], [6, 2, 1], [12, 4, 1]]), struct(76, le, [[0, 1, 76], [2, 2, 2], [48, 2, 5]]), sin('10.0.0.2')], le)],
    [{ hdr: 'bfd_msghdr', hdrlen: 100, msglen: 116, sa: { mode: 2, multiplier: 5 } }]);
  vec('cur-i386-label', 'current i386: a label (34) rounds to 36 and a zero-length mask takes 4.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 0x405 }), sin('0.0.0.0'), zeros(4), rtlabel('x', u)], le)],
    [{ msglen: 96 + 16 + 4 + 36, sockaddrs: { netmask: { len: 0 }, label: { label: 'x' } } }]);
}

// -- openbsd (current) / sparc64 ------------------------------------------------------------
{
  const d = C, a = 'sparc64', le = false;
  vec('cur-sparc64-get', 'current sparc64 RTM_GET: big-endian header fields and int64 rmx_expire.', d, a,
    [framed([rtm(d, le, { type: 4, addrs: 3, flags: RTF.UP | RTF.GATEWAY | RTF.DONE, expire: 1700000000, pksent: 5 }), sin('10.0.0.0'), sin('10.0.0.1')], le)],
    [{ msglen: 128, rmx: { expire: '1700000000', pksent: '5' } }]);
  vec('cur-sparc64-scope-id', 'sparc64: sin6_scope_id is host order (big-endian); fe80::1 with scope_id 7 in sin6_scope_id (nothing embedded).', d, a,
    [framed([rtm(d, le, { type: 7, addrs: 1 }), sin6('fe800000000000000000000000000001', { scope: 7, le: false })], le)],
    [{ sockaddrs: { dst: { kind: 'inet6', addr: 'fe80::1', scope_id: 7, scope_embedded: false } } }]);
  vec('cur-sparc64-bfd', 'sparc64 RTM_BFD: bfd_msghdr 104 with big-endian sockaddr_bfd fields.', d, a,
    [framed([struct(24, le, [[2, 1, 5], [3, 1, 18], [4, 2, 104], [6, 2, 1]]), struct(80, le, [[0, 1, 80], [2, 2, 1], [4, 4, 0x01020304]])], le)],
    [{ hdr: 'bfd_msghdr', sa: { mode: 1, localdiscr: 0x01020304 } }]);
}

// ---------------------------------------------------------------------------------------
// Decode, check the hand-written expectations, write.

function subset(actual, expected, path) {
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) => subset(actual[k], v, `${path}.${k}`));
  }
  return actual === expected ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

const files = new Map();
let problems = 0;
for (const v of V) {
  const bytes = cat(...v.messages);
  const json = [];
  for (const item of iterateMessages(new Uint8Array(bytes), { arch: v.arch })) {
    json.push('message' in item ? toJson(item.message) : skippedToJson(item.skipped));
  }
  const errs = json.length !== v.expect.length ? [`${json.length} messages, expected ${v.expect.length}`] : [];
  v.expect.forEach((e, i) => errs.push(...subset(json[i], { ...(e.code ? {} : { dialect: v.dialect }), ...e }, `[${i}]`)));
  if (errs.length) {
    problems++;
    console.error(`${v.name}: decode contradicts abi.md expectations:\n  ${errs.join('\n  ')}`);
    continue;
  }
  const re = Buffer.concat(json.map((j) => {
    const m = fromJson(JSON.parse(JSON.stringify(j)));
    return 'raw' in m ? Buffer.from(m.raw, 'hex') : Buffer.from(encodeMessage(m));
  }));
  if (!re.equals(bytes)) console.warn(`${v.name}: WARNING encode(fromJson(json)) differs from the hand-written bytes (codec bug?)`);
  const file = `${v.dialect}.${v.arch}.json`;
  if (!files.has(file)) files.set(file, []);
  files.get(file).push({ name: v.name, description: v.description, dialect: v.dialect, arch: v.arch, hex: bytes.toString('hex'), json });
}
if (problems) {
  console.error(`${problems} vector(s) not written`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
for (const [file, list] of files) {
  writeFileSync(join(OUT, file), JSON.stringify(list, null, 2) + '\n');
  console.log(`${file}: ${list.length} vectors`);
}
console.log(`${V.length} vectors in all`);
