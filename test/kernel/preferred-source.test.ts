/**
 * The table's preferred source (RTM_SOURCE, `route sourceaddr`) and the addresses it names:
 * rt_ifa_del forgets it (rtable_clearsource) when the address's routes are taken away — the
 * address deleted, or re-initialised by SIOCAIFADDR — so route messages carry the route's own
 * address again as RTA_IFA.
 */
import { encodeMessage } from '../../src/codec/message.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import type { RoutingSocket } from '../../src/kernel/socket.js';
import { drain, inet, routeMsg, vetherKernel } from './helpers.js';

const d = 'openbsd' as const;

function setup(): { k: Kernel; s: RoutingSocket } {
  const { k, s } = vetherKernel(d, ['10.0.1.1/24', '10.0.2.1/24']);
  s.write(encodeMessage({ type: 'RTM_SOURCE', seq: 1, sockaddrs: { ifa: inet('10.0.1.1') } } as never, { dialect: d }));
  return { k, s };
}

/** RTA_IFA of the reply to an RTM_ADD via 10.0.2.5 (an address of 10.0.2.1's subnet). */
function ifaOfNewRoute(s: RoutingSocket, dst: string): string | undefined {
  drain(d, s);
  s.write(routeMsg(d, { dst, plen: 24, gw: '10.0.2.5', seq: 7 }));
  const reply = drain(d, s).find((m) => m.seq === 7);
  return (reply?.sockaddrs['ifa'] as { addr?: string } | undefined)?.addr;
}

describe('preferred source address (openbsd)', () => {
  it('RTA_IFA of route messages is the preferred source while it is set', () => {
    const { s } = setup();
    expect(ifaOfNewRoute(s, '192.0.2.0')).toBe('10.0.1.1');
  });

  it('deleting the address forgets it (rt_ifa_del: rtable_clearsource)', () => {
    const { k, s } = setup();
    k.ifconfig.deleteAddress('vether0', '10.0.1.1');
    expect(ifaOfNewRoute(s, '192.0.2.0')).toBe('10.0.2.1');
    // Nor does the address coming back bring it back.
    k.ifconfig.addAddress('vether0', '10.0.1.1/24');
    expect(ifaOfNewRoute(s, '192.0.3.0')).toBe('10.0.2.1');
  });

  it('re-initialising the address (SIOCAIFADDR of an address it has) forgets it too (in_ifscrub)', () => {
    const { k, s } = setup();
    k.ifconfig.addAddress('vether0', '10.0.1.1/24');
    expect(ifaOfNewRoute(s, '192.0.2.0')).toBe('10.0.2.1');
  });

  it('another address going away leaves it', () => {
    const { k, s } = setup();
    k.ifconfig.addAddress('vether0', '10.0.3.1/24');
    k.ifconfig.deleteAddress('vether0', '10.0.3.1');
    expect(ifaOfNewRoute(s, '192.0.2.0')).toBe('10.0.1.1');
  });
});
