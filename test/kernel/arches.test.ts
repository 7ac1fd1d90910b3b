/**
 * Kernel messages on every arch: replies are written through two header writers (whole words
 * when the dialect's byte order is the host's, bytes otherwise: sparc64), and route messages
 * through cached sockaddr tails whose padding follows the arch's ROUNDUP (4 bytes on i386).
 * Each reply must decode, with the codec told that arch, to what was asked.
 */
import { createKernel } from '../../src/kernel/index.js';
import { decodeMessage, encodeMessage, type SockaddrsInput } from '../../src/codec/message.js';
import { RTM, RTF } from '../../src/abi/constants.js';

const DIALECTS = ['openbsd-4.9', 'openbsd'] as const;
const ARCHES = ['amd64', 'i386', 'sparc64'] as const;

const routes: { name: string; sockaddrs: SockaddrsInput; dst: string; gateway: string }[] = [
  {
    name: 'IPv4',
    dst: '10.1.2.0',
    gateway: '127.0.0.1',
    sockaddrs: {
      dst: { kind: 'inet', addr: '10.1.2.0', port: 0 },
      gateway: { kind: 'inet', addr: '127.0.0.1', port: 0 },
      netmask: { kind: 'inet', addr: '255.255.255.0', port: 0 },
    },
  },
  {
    name: 'IPv6',
    dst: '2001:db8:1::',
    gateway: '::1',
    sockaddrs: {
      dst: { kind: 'inet6', addr: '2001:db8:1::', port: 0, flowinfo: 0, scope_id: 0 },
      gateway: { kind: 'inet6', addr: '::1', port: 0, flowinfo: 0, scope_id: 0 },
      netmask: { kind: 'inet6', addr: 'ffff:ffff:ffff::', port: 0, flowinfo: 0, scope_id: 0 },
    },
  },
];

describe.each(DIALECTS.flatMap((dialect) => ARCHES.map((arch) => ({ dialect, arch }))))('$dialect on $arch', ({ dialect, arch }) => {
  test.each(routes)('$name: RTM_ADD reply and RTM_GET report decode to the route', (r) => {
    const opts = { dialect, arch };
    const kernel = createKernel(opts);
    const sock = kernel.socket({ pid: 4242 });
    sock.write(encodeMessage({ type: 'RTM_ADD', seq: 7, flags: RTF.RTF_UP | RTF.RTF_GATEWAY | RTF.RTF_STATIC, sockaddrs: r.sockaddrs }, opts));
    const add = decodeMessage(sock.read()!, opts);
    expect(add).toMatchObject({ type: RTM.RTM_ADD, seq: 7, pid: 4242, errno: 0 });
    if (add.hdr !== 'rt_msghdr') throw new Error(`RTM_ADD reply decoded as ${add.hdr}`);
    expect(add.flags & RTF.RTF_DONE).toBeTruthy();
    expect(add.sockaddrs.dst).toMatchObject({ addr: r.dst });
    expect(add.sockaddrs.gateway).toMatchObject({ addr: r.gateway });

    // An empty IFP asks for the interface, as route(8)'s `get` does (4.9 answers IFP/IFA only then).
    const ifp = { kind: 'link', index: 0, type: 0, name: '', lladdr: '' } as const;
    sock.write(encodeMessage({ type: 'RTM_GET', seq: 8, sockaddrs: { dst: r.sockaddrs.dst, ifp } }, opts));
    const get = decodeMessage(sock.read()!, opts);
    expect(get).toMatchObject({ type: RTM.RTM_GET, seq: 8, pid: 4242, errno: 0 });
    if (get.hdr !== 'rt_msghdr') throw new Error(`RTM_GET report decoded as ${get.hdr}`);
    expect(get.sockaddrs.dst).toMatchObject({ addr: r.dst });
    expect(get.sockaddrs.gateway).toMatchObject({ addr: r.gateway });
    // The report names the interface and its address (the cached tail's IFP and IFA).
    expect(get.sockaddrs.ifp).toMatchObject({ kind: 'link', name: 'lo0' });
    expect(get.sockaddrs.ifa).toBeDefined();
    expect(get.flags & RTF.RTF_STATIC).toBeTruthy();
  });
});
