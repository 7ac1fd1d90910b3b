/**
 * SIOCSIFFLAGS beyond IFF_UP (if.c ifioctl): ifconfig's debug, -arp, staticarp and link0-2.
 * Current sets the flags, then runs if_up/if_down, and announces any other change with
 * rtm_ifchg; 4.9 (if.c 1.327's case) runs if_up/if_down first and announces nothing else.
 * IFF_NOARP drops received ARP (ether_input) and, with current's IFF_STATICARP, stops
 * arpresolve from asking for an unresolved entry (EINVAL).
 */
import {
  IFF_BROADCAST, IFF_DEBUG, IFF_LINK0, IFF_LOOPBACK, IFF_NOARP, IFF_RUNNING, IFF_STATICARP, IFF_UP, RTM_IFINFO,
} from '../../src/kernel/constants.js';
import { ERRNO } from '../../src/kernel/errno.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { restoreKernel, snapshotKernel } from '../../src/kernel/state.js';
import { DIALECTS, arpKernel, drain, errnoOf } from './helpers.js';

const MAC = '00:11:22:33:44:55';

const flagsOf = (k: Kernel) => k.ifconfig.get('vether0')!.flags;

describe.each(DIALECTS)('interface flags (%s)', (d) => {
  const current = d === 'openbsd';

  it('debug and link0 change the flags; current announces each change with RTM_IFINFO, 4.9 nothing', () => {
    const { k, s } = arpKernel(d);
    const before = flagsOf(k);
    k.ifconfig.setFlags('vether0', { set: IFF_DEBUG });
    expect(flagsOf(k)).toBe(before | IFF_DEBUG);
    const msgs = drain(d, s);
    expect(msgs.map((m) => [m.type, m['flags'], m['index']])).toEqual(current ? [[RTM_IFINFO, before | IFF_DEBUG, 2]] : []);
    // Setting what is already set changes nothing: no message in either.
    k.ifconfig.setFlags('vether0', { set: IFF_DEBUG });
    expect(drain(d, s)).toEqual([]);
    k.ifconfig.setFlags('vether0', { set: IFF_LINK0, clear: IFF_DEBUG });
    expect(flagsOf(k)).toBe(before | IFF_LINK0);
    expect(drain(d, s).map((m) => m['flags'])).toEqual(current ? [before | IFF_LINK0] : []);
  });

  it('flags only the kernel sets (IFF_CANTCHANGE) stay as they are, silently; unmodelled ones are EINVAL', () => {
    const { k, s } = arpKernel(d);
    const before = flagsOf(k);
    k.ifconfig.setFlags('vether0', { clear: IFF_BROADCAST | IFF_RUNNING });
    expect(flagsOf(k)).toBe(before);
    expect(drain(d, s)).toEqual([]);
    expect(errnoOf(() => k.ifconfig.setFlags('vether0', { set: IFF_LOOPBACK }))).toBe(ERRNO.EINVAL);
    // 0x20 is current's IFF_STATICARP; 4.9's IFF_NOTRAILERS is not modelled.
    expect(errnoOf(() => k.ifconfig.setFlags('vether0', { set: IFF_STATICARP }))).toBe(current ? 0 : ERRNO.EINVAL);
    expect(errnoOf(() => k.ifconfig.setFlags('vether9', { set: IFF_DEBUG }))).toBe(ERRNO.ENOENT);
  });

  it('IFF_UP goes through if_up/if_down; the RTM_IFINFO it sends carries the other new flags in current only', () => {
    const { k, s } = arpKernel(d);
    const before = flagsOf(k);
    k.ifconfig.setFlags('vether0', { clear: IFF_UP, set: IFF_DEBUG });
    const down = drain(d, s).filter((m) => m.type === RTM_IFINFO);
    // One message (if_down's), none for the other flag: current skips rtm_ifchg when UP changed.
    expect(down.map((m) => m['flags'])).toEqual([current ? (before & ~(IFF_UP | IFF_RUNNING)) | IFF_DEBUG : before & ~(IFF_UP | IFF_RUNNING)]);
    expect(flagsOf(k)).toBe((before & ~(IFF_UP | IFF_RUNNING)) | IFF_DEBUG);
    k.ifconfig.setFlags('vether0', { set: IFF_UP, clear: IFF_DEBUG });
    const up = drain(d, s).filter((m) => m.type === RTM_IFINFO);
    expect(up.map((m) => m['flags'])).toEqual([current ? before : before | IFF_DEBUG]);
    expect(flagsOf(k)).toBe(before);
  });

  it('-arp (IFF_NOARP): received ARP is dropped, and an unresolved entry is not asked for (EINVAL)', () => {
    const { k } = arpKernel(d);
    k.ifconfig.setFlags('vether0', { set: IFF_NOARP });
    expect(k.arpResolve('192.0.2.7')).toEqual({ status: 'error', errno: ERRNO.EINVAL });
    const r = k.arpInput('vether0', { op: 'reply', sha: MAC, spa: '192.0.2.7', tpa: '192.0.2.1' });
    expect(r).toMatchObject({ cached: false, resolved: false, replied: false });
    expect(r.note).toMatch(/NOARP/);
    // `arp` again: the entry made by the lookup above is asked for and learns the MAC.
    k.ifconfig.setFlags('vether0', { clear: IFF_NOARP });
    expect(k.arpResolve('192.0.2.7')).toEqual({ status: 'pending', request: true });
    expect(k.arpInput('vether0', { op: 'reply', sha: MAC, spa: '192.0.2.7', tpa: '192.0.2.1' })).toMatchObject({ cached: true, resolved: true });
    // A resolved entry still resolves with IFF_NOARP (arpresolve checks the flag after that).
    k.ifconfig.setFlags('vether0', { set: IFF_NOARP });
    expect(k.arpResolve('192.0.2.7')).toMatchObject({ status: 'resolved' });
  });

  if (current) {
    it('staticarp (IFF_STATICARP): no request for an unresolved entry, but received ARP is still learned', () => {
      const { k } = arpKernel(d);
      k.ifconfig.setFlags('vether0', { set: IFF_STATICARP });
      expect(k.arpResolve('192.0.2.7')).toEqual({ status: 'error', errno: ERRNO.EINVAL });
      expect(k.arpInput('vether0', { op: 'request', sha: MAC, spa: '192.0.2.8', tpa: '192.0.2.1' })).toMatchObject({ cached: true, replied: true });
      expect(k.arpResolve('192.0.2.8')).toMatchObject({ status: 'resolved' });
    });
  }

  it('the flags are kept in a kernel snapshot', () => {
    const { k } = arpKernel(d);
    k.ifconfig.setFlags('vether0', { set: IFF_DEBUG | IFF_NOARP });
    const k2 = restoreKernel(JSON.parse(JSON.stringify(snapshotKernel(k))));
    expect(k2.ifconfig.get('vether0')!.flags).toBe(flagsOf(k));
    expect(k2.arpResolve('192.0.2.9')).toEqual({ status: 'error', errno: ERRNO.EINVAL });
  });
});
