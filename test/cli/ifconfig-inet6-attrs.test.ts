/**
 * `rtsock ifconfig`'s IPv6 address attributes (ifconfig.c 1.476 current, 1.232 for 4.9):
 * anycast/-anycast, tentative/-tentative (setia6flags), pltime/vltime (setia6lifetime) and eui64
 * (setia6eui64), their errx texts in each dialect, and in6_alias's flags and lifetimes as the
 * kernel clock (RTSOCK_CLOCK) passes: deprecated, then gone with its routes.
 */
import { IN6_IFF_TEMPORARY } from '../../src/kernel/constants.js';
import { createKernel } from '../../src/kernel/kernel.js';
import { printif } from '../../src/cli/ifconfig/show.js';
import { machine, type Machine } from './route-env.js';
import { rtsock, type RunResult } from './run.js';

/** Each test starts well after the one before: the shared state's clock only moves forward. */
let T0 = 1_800_000_000;

/** One command at kernel time `t`. */
function at(m: Machine, t: number, line: string): RunResult {
  return rtsock(line.split(/\s+/).filter(Boolean), undefined, { ...m.env, RTSOCK_CLOCK: String(t) });
}

/** The interface's inet6 lines. */
function inet6Lines(m: Machine, t: number, ifname: string): string[] {
  return at(m, t, `ifconfig ${ifname}`).stdout.split('\n').filter((l) => l.startsWith('\tinet6 '));
}

describe.each(['openbsd', 'openbsd-4.9'] as const)('ifconfig IPv6 address attributes (%s)', (d) => {
  const current = d === 'openbsd';
  const notAllowed = (cmd: string) => `ifconfig: ${cmd} not allowed for ${current ? 'this address family' : 'the AF'}\n`;
  const m = machine(d);
  beforeEach(() => { T0 += 10_000; });

  it('pltime and vltime: the seconds left are shown, then deprecated, then the address and its routes are gone', () => {
    expect(at(m, T0, 'ifconfig vether0 inet6 2001:db8::1 pltime 100 vltime 200')).toMatchObject({ status: 0, stderr: '' });
    expect(inet6Lines(m, T0 + 10, 'vether0')).toContain('\tinet6 2001:db8::1 prefixlen 64 pltime 90 vltime 190');
    expect(inet6Lines(m, T0 + 101, 'vether0')).toContain('\tinet6 2001:db8::1 prefixlen 64 deprecated pltime 0 vltime 99');
    expect(at(m, T0 + 150, 'route -n show -inet6').stdout).toMatch(/^2001:db8::1 /m);
    expect(inet6Lines(m, T0 + 201, 'vether0').some((l) => l.includes('2001:db8::1 '))).toBe(false);
    expect(at(m, T0 + 201, 'route -n show -inet6').stdout).not.toMatch(/^2001:db8::(1 |\/64)/m);
  });

  it('only one lifetime finite: the other is `infty`; none finite: nothing shown', () => {
    expect(at(m, T0, 'ifconfig vether1 inet6 2001:db8:1::1 pltime 50').status).toBe(0);
    expect(at(m, T0, 'ifconfig vether1 inet6 2001:db8:1::2').status).toBe(0);
    const lines = inet6Lines(m, T0 + 5, 'vether1');
    expect(lines).toContain('\tinet6 2001:db8:1::1 prefixlen 64 pltime 45 vltime infty');
    expect(lines).toContain('\tinet6 2001:db8:1::2 prefixlen 64');
  });

  it('a link-local address takes lifetimes too; they follow its scope id', () => {
    expect(at(m, T0, 'ifconfig vether6 inet6 fe80::99%vether6 pltime 10 vltime 20')).toMatchObject({ status: 0, stderr: '' });
    expect(inet6Lines(m, T0 + 5, 'vether6').find((l) => l.includes('fe80::99'))).toMatch(/^\tinet6 fe80::99%vether6 prefixlen 64 scopeid 0x[0-9a-f]+ pltime 5 vltime 15$/);
  });

  it('vltime alone is shorter than the infinite pltime: SIOCAIFADDR_IN6 says EINVAL; vltime 0 adds nothing', () => {
    expect(at(m, T0, 'ifconfig vether2 inet6 2001:db8:2::1 vltime 60')).toMatchObject({ status: 1, stderr: 'ifconfig: SIOCAIFADDR: Invalid argument\n' });
    expect(at(m, T0, 'ifconfig vether2 inet6 2001:db8:2::1 pltime 0 vltime 0')).toMatchObject({ status: 0, stderr: '' });
    expect(inet6Lines(m, T0, 'vether2').some((l) => l.includes('2001:db8:2::1'))).toBe(false);
  });

  it('setia6lifetime: strtonum 0..1000000 first ("invalid %s %s: %s"), then the address family', () => {
    for (const [line, stderr] of [
      ['ifconfig vether0 inet6 pltime x', 'ifconfig: invalid pltime x: invalid\n'],
      ['ifconfig vether0 inet6 vltime 1000001', 'ifconfig: invalid vltime 1000001: too large\n'],
      ['ifconfig vether0 inet6 pltime -1', 'ifconfig: invalid pltime -1: too small\n'],
      ['ifconfig vether0 pltime x', 'ifconfig: invalid pltime x: invalid\n'],
      ['ifconfig vether0 pltime 5', notAllowed('pltime')],
      ['ifconfig vether0 vltime 5', notAllowed('vltime')],
      ['ifconfig vether0 inet6 vltime', "ifconfig: 'vltime' requires argument\n"],
    ] as const) {
      expect([line, at(m, T0, line)]).toMatchObject([line, { status: 1, stderr }]);
    }
  });

  it('anycast: shown, never tentative; -anycast takes the word back', () => {
    expect(at(m, T0, 'ifconfig vether3 inet6 2001:db8:3::5 anycast').status).toBe(0);
    expect(at(m, T0, 'ifconfig vether3 inet6 2001:db8:3::6 anycast -anycast').status).toBe(0);
    const lines = inet6Lines(m, T0, 'vether3');
    expect(lines).toContain('\tinet6 2001:db8:3::5 prefixlen 64 anycast');
    expect(lines).toContain('\tinet6 2001:db8:3::6 prefixlen 64 tentative');
  });

  it('tentative on loopback (no DAD of its own): current runs DAD for it (settled a second later), 4.9 leaves it tentative', () => {
    expect(at(m, T0, 'ifconfig lo3 inet6 2001:db8:4::1 tentative').status).toBe(0);
    expect(at(m, T0, 'ifconfig lo3 inet6 2001:db8:4::2 tentative -tentative').status).toBe(0);
    expect(inet6Lines(m, T0, 'lo3')).toContain('\tinet6 2001:db8:4::1 prefixlen 64 tentative');
    const later = inet6Lines(m, T0 + 5, 'lo3');
    expect(later).toContain(`\tinet6 2001:db8:4::1 prefixlen 64${current ? '' : ' tentative'}`);
    expect(later).toContain('\tinet6 2001:db8:4::2 prefixlen 64');
  });

  it('eui64: the interface\'s link-local identifier fills the address; one already filled is refused; a later address wins', () => {
    // 4.9 attaches IPv6 on if_up only: without it, no link-local address to take one from.
    if (!current) {
      expect(at(m, T0, 'ifconfig vether4 inet6 2001:db8:5:: eui64')).toMatchObject({ status: 1, stderr: 'ifconfig: could not determine link local address\n' });
      expect(at(m, T0, 'ifconfig vether4 up').status).toBe(0);
    }
    expect(at(m, T0, 'ifconfig vether4 inet6 2001:db8:5:: eui64')).toMatchObject({ status: 0, stderr: '' });
    const lines = inet6Lines(m, T0 + 5, 'vether4');
    const id = /^\tinet6 fe80::([0-9a-f:]+)%vether4 /.exec(lines.find((l) => l.startsWith('\tinet6 fe80::'))!)![1]!;
    expect(lines).toContain(`\tinet6 2001:db8:5:0:${id} prefixlen 64`);
    expect(at(m, T0, 'ifconfig vether4 inet6 2001:db8:6::1 eui64')).toMatchObject({ status: 1, stderr: 'ifconfig: interface index is already filled\n' });
    expect(at(m, T0, 'ifconfig vether4 inet6 eui64 2001:db8:7::').status).toBe(0);
    expect(inet6Lines(m, T0 + 5, 'vether4')).toContain('\tinet6 2001:db8:7:: prefixlen 64');
    expect(at(m, T0, 'ifconfig vether4 eui64')).toMatchObject({ status: 1, stderr: notAllowed('eui64') });
  });

  it('eui64 without a link-local address: current attaches IPv6 first (addaf), 4.9 cannot determine one', () => {
    const r = at(m, T0, 'ifconfig vether5 inet6 -inet6 eui64');
    if (current) expect(r).toMatchObject({ status: 0, stderr: '' });
    else expect(r).toMatchObject({ status: 1, stderr: 'ifconfig: could not determine link local address\n' });
  });

  it('in6_alias names 0x80 `temporary` (current) or `autoconfprivacy` (4.9)', () => {
    const k = createKernel({ dialect: d, clock: () => T0 });
    k.ifconfig.create('lo1');
    k.ifconfig.addAddress('lo1', '2001:db8:9::1/64', { flags: IN6_IFF_TEMPORARY });
    expect(printif(k, 'lo1', true, 'inet6')).toContain(`\tinet6 2001:db8:9::1 prefixlen 64 ${current ? 'temporary' : 'autoconfprivacy'}\n`);
  });
});
