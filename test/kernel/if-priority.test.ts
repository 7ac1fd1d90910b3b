/**
 * Interface priorities (`ifconfig X priority N`, SIOCSIFPRIORITY: if_priority) and link-layer
 * priorities (`ifconfig X llprio N`, SIOCSIFLLPRIO: if_llprio), if.c ifioctl. if_priority is
 * what routes made for the interface add to their class: RTM_ADD's default (route.c rtrequest:
 * if_priority + RTP_STATIC, also route.c 1.116 of the 4.9 era) and, in current OpenBSD, the
 * address routes (rt_ifa_add / rt_ifa_del); 4.9's rtinit gave those a fixed RTP_CONNECTED.
 */
import { createKernel, type Kernel } from '../../src/kernel/kernel.js';
import { ERRNO } from '../../src/kernel/errno.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { RTM_ADD, RTM_DELADDR, RTM_DELETE } from '../../src/kernel/constants.js';
import { DIALECTS, decode, drain, errnoOf, routeMsg, vetherKernel } from './helpers.js';

const dstOf = (m: { sockaddrs?: { dst?: unknown } }) => (m.sockaddrs?.dst as { addr?: string } | undefined)?.addr;
const prio = (k: Kernel, af: 'inet' | 'inet6' = 'inet') => k.routes(0, af).map((r) => `${r.dst}/${r.plen} ${r.priority}`);

describe.each(DIALECTS)('SIOCSIFPRIORITY and SIOCSIFLLPRIO (%s)', (d) => {
  const current = d === 'openbsd';

  it('RTM_ADD without a priority takes the interface priority + RTP_STATIC of the route\'s interface, in its reply too', () => {
    const { k, s } = vetherKernel(d, ['10.0.1.1/24']);
    k.ifconfig.setPriority('vether0', 5);
    drain(d, s);
    s.write(routeMsg(d, { dst: '192.168.0.0', plen: 16, gw: '10.0.1.9' }));
    expect(prio(k)).toContain('192.168.0.0/16 13');
    // The gateway's clone (RTM_ADD, priority one below its connected route's) comes first.
    const reply = drain(d, s).at(-1);
    // Both replies carry the route's priority (current's rtm_report, 4.9's rewritten echo).
    expect(reply!.priority).toBe(13);
    // An explicit priority is the request's own.
    s.write(routeMsg(d, { dst: '192.168.1.0', plen: 24, gw: '10.0.1.9', priority: 20 }));
    expect(prio(k)).toContain('192.168.1.0/24 20');
  });

  it('address routes made after the change take it in current OpenBSD; 4.9 keeps RTP_CONNECTED', () => {
    const { k, s } = vetherKernel(d, ['10.0.1.1/24']);
    k.ifconfig.setPriority('vether0', 3);
    drain(d, s);
    k.ifconfig.addAddress('vether0', '10.0.2.1/24');
    expect(prio(k)).toEqual(expect.arrayContaining(['10.0.1.0/24 4', `10.0.2.0/24 ${current ? 7 : 4}`, '10.0.2.1/32 1', '10.0.2.255/32 1']));
    const add = drain(d, s).find((m) => m.type === RTM_ADD && dstOf(m) === '10.0.2.0');
    // 4.9's rt_missmsg leaves rtm_priority 0 in the messages the kernel makes.
    expect(add?.priority).toBe(current ? 7 : 0);
    k.ifconfig.addAddress('vether0', '2001:db8:2::1/64');
    expect(prio(k, 'inet6')).toContain(`2001:db8:2::/64 ${current ? 7 : 4}`);
    // Nothing is announced for the change itself, and routes made before keep theirs.
    drain(d, s);
    k.ifconfig.setPriority('vether0', 0);
    expect(drain(d, s)).toEqual([]);
    expect(prio(k)).toContain(`10.0.2.0/24 ${current ? 7 : 4}`);
  });

  it('rt_ifa_del looks a connected route up by the priority of the moment: after a change rt_ifa_purge removes it instead, after RTM_DELADDR (current)', () => {
    const order = (change: boolean) => {
      const { k, s } = vetherKernel(d, ['10.0.1.1/24']);
      if (change) k.ifconfig.setPriority('vether0', 2);
      drain(d, s);
      k.ifconfig.deleteAddress('vether0', '10.0.1.1');
      expect(prio(k).filter((x) => x.startsWith('10.'))).toEqual([]);
      return drain(d, s).map((m) => (m.type === RTM_DELADDR ? 'DELADDR' : `${m.type === RTM_DELETE ? 'DELETE' : m.type} ${dstOf(m)}`));
    };
    const before = order(false);
    const after = order(true);
    expect(before.indexOf('DELETE 10.0.1.0')).toBeLessThan(before.indexOf('DELADDR'));
    if (current) {
      // in_scrubprefix's rt_ifa_del at priority 6 finds nothing (ESRCH); in_purgeaddr's
      // rt_ifa_purge then deletes the route (priority 4) with the rest of the address's routes.
      expect(after.indexOf('DELETE 10.0.1.0')).toBeGreaterThan(after.indexOf('DELADDR'));
      expect([...after].sort()).toEqual([...before].sort());
    } else {
      expect(after).toEqual(before);
    }
  });

  it('the priority must be 0..15 (EINVAL) and the interface must exist', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    for (const bad of [16, -1, 1.5, Number.NaN]) expect(errnoOf(() => k.ifconfig.setPriority('vether0', bad))).toBe(ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setPriority('vether9', 1))).toBe(ERRNO.ENOENT);
    k.ifconfig.setPriority('vether0', 15);
    expect(k.ifconfig.get('vether0')).toMatchObject({ priority: 15, llprio: 3 });
  });

  it('llprio: IFQ_MINPRIO..IFQ_MAXPRIO in current OpenBSD; 4.9 has no SIOCSIFLLPRIO (ENOTTY)', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    if (current) {
      k.ifconfig.setLlprio('vether0', 7);
      expect(k.ifconfig.get('vether0')!.llprio).toBe(7);
      k.ifconfig.setLlprio('vether0', 0);
      expect(k.ifconfig.get('vether0')!.llprio).toBe(0);
      for (const bad of [8, -1, 2.5]) expect(errnoOf(() => k.ifconfig.setLlprio('vether0', bad))).toBe(ERRNO.EINVAL);
    } else {
      expect(errnoOf(() => k.ifconfig.setLlprio('vether0', 5))).toBe(ERRNO.ENOTTY);
      expect(k.ifconfig.get('vether0')!.llprio).toBe(3);
    }
  });

  it('both survive a snapshot and restore', () => {
    const k = createKernel({ dialect: d });
    k.ifconfig.create('vether0');
    k.ifconfig.setPriority('vether0', 9);
    if (current) k.ifconfig.setLlprio('vether0', 6);
    const back = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    expect(back.ifconfig.get('vether0')).toMatchObject({ priority: 9, llprio: current ? 6 : 3 });
    // The restored priority is the one new routes take.
    back.ifconfig.addAddress('vether0', '10.0.5.1/24');
    const s = back.socket();
    s.write(routeMsg(d, { dst: '172.16.0.0', plen: 12, gw: '10.0.5.2' }));
    expect(decode(d, s.read()!).errno).toBe(0);
    expect(prio(back)).toContain('172.16.0.0/12 17');
  });
});

describe.each(DIALECTS)('SIOCSIFDESCR (%s)', (d) => {
  it('sets and clears the description; 63 bytes fit IFDESCRSIZE with the NUL, 64 are ENAMETOOLONG; nothing is announced; saved', () => {
    const { k, s } = vetherKernel(d, []);
    drain(d, s);
    k.ifconfig.setDescription('vether0', 'uplink to the core');
    expect(k.ifconfig.get('vether0')!.description).toBe('uplink to the core');
    expect(errnoOf(() => k.ifconfig.setDescription('vether0', 'x'.repeat(64)))).toBe(ERRNO.ENAMETOOLONG);
    k.ifconfig.setDescription('vether0', 'y'.repeat(63));
    expect(drain(d, s)).toEqual([]);
    const back = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    expect(back.ifconfig.get('vether0')!.description).toBe('y'.repeat(63));
    back.ifconfig.setDescription('vether0', '');
    expect(back.ifconfig.get('vether0')!.description).toBe('');
    expect(errnoOf(() => k.ifconfig.setDescription('vether9', 'x'))).toBe(ERRNO.ENOENT);
  });
});
