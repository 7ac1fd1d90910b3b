import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { machine, type Machine } from './route-env.js';
import { BIN, ROOT } from './run.js';
import type { Kernel } from '../../src/kernel/kernel.js';

const HEAD = 'Neighbor                                Linklayer Address   Netif Expire    S Flags\n';
const USAGE = 'usage: ndp [-acnt] [-A wait] [-d hostname] [-f filename] [-i interface]\n'
  + '\t[-s nodename ether_addr [temp] [proxy]] [-V rdomain] [hostname]\n';
const OWN = '2001:db8::1                             fe:e1:ba:d4:c8:1d vether0 permanent R l\n';
const OWN_LL = 'fe80::fce1:baff:fed4:c81d%vether0       fe:e1:ba:d4:c8:1d vether0 permanent R l\n';
// Two invocations: an address family word is main's first parameter only (ifconfig.c).
const SETUP = ['ifconfig vether0 lladdr fe:e1:ba:d4:c8:1d', 'ifconfig vether0 inet6 2001:db8::1/64 up'];

/**
 * A listing's rows with each time left (the Expire column, %-9.9s after the first 65
 * characters) replaced by `~`, and those times in seconds.
 */
function timed(stdout: string): { rows: string; secs: number[] } {
  const secs: number[] = [];
  const rows = stdout.split('\n').map((line) => {
    const t = line.slice(66, 75).trim();
    if (!/^\d/.test(t)) return line;
    const unit: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
    secs.push([...t.matchAll(/(\d+)([dhms]?)/g)].reduce((n, [, v, u]) => n + Number(v) * (unit[u!] ?? 1), 0));
    return `${line.slice(0, 66)}${'~'.padEnd(9)}${line.slice(75)}`;
  }).join('\n');
  return { rows, secs };
}

/** Puts what the kernel learns into the state file through the library (the CLI has no packet input). */
async function learn(m: Machine, ahead: number, act: (k: Kernel) => void): Promise<void> {
  const { restoreKernel, snapshotKernel } = await import('../../src/kernel/state.js');
  const doc = JSON.parse(readFileSync(m.state, 'utf8'));
  // The kernel's clock runs ahead, so that no ND timer falls due while the test lists.
  const k = restoreKernel(doc.kernel, { clock: () => Math.floor(Date.now() / 1000) + ahead });
  // What fell due by then first, as a CLI invocation would (SETUP's address finishes DAD).
  k.runTimers();
  act(k);
  doc.kernel = snapshotKernel(k);
  writeFileSync(m.state, JSON.stringify(doc));
}

describe('rtsock ndp (openbsd)', () => {
  const m = machine('openbsd');

  beforeAll(() => {
    for (const command of SETUP) expect(m.sh(command).status).toBe(0);
  });

  it('lists the interface\'s own addresses as permanent, reachable local entries; link-local ones with their scope', () => {
    const r = m.sh('ndp -a');
    expect([r.stdout, r.stderr, r.status]).toEqual([`${HEAD}${OWN}${OWN_LL}`, '', 0]);
  });

  it('-s adds static, temp, proxy and scoped link-local entries as RTM_ADD of static RTF_LLINFO host routes', () => {
    for (const line of [
      'ndp -s 2001:db8::5 0:1:2:3:4:5',
      'ndp -s 2001:db8::6 00:01:02:03:04:06 temp',
      'ndp -s 2001:db8::7 0:1:2:3:4:7 proxy',
      'ndp -s fe80::8%vether0 0:1:2:3:4:8',
    ]) expect([line, m.sh(line)]).toMatchObject([line, { stdout: '', stderr: '', status: 0 }]);
    const r = timed(m.sh('ndp -an').stdout);
    expect(r.rows).toBe(`${HEAD}${OWN}`
      + '2001:db8::5                             00:01:02:03:04:05 vether0 permanent R \n'
      + '2001:db8::6                             00:01:02:03:04:06 vether0 ~         R \n'
      + '2001:db8::7                             00:01:02:03:04:07 vether0 permanent R p\n'
      + 'fe80::8%vether0                         00:01:02:03:04:08 vether0 permanent R \n'
      + OWN_LL);
    // temp: 20 minutes (a second or two may have passed).
    expect(r.secs[0]).toBeGreaterThan(1190);
    expect(r.secs[0]).toBeLessThanOrEqual(1200);
    const show = m.sh('route -n show -inet6').stdout;
    expect(show).toMatch(/^2001:db8::5 +00:01:02:03:04:05 +UHLS /m);
    expect(show).toMatch(/^fe80::8%vether0 +00:01:02:03:04:08 +UHLS /m);
  });

  it('shows one entry (the scope must match), or "-- no entry" with status 1; a bad name only warns', () => {
    expect(m.sh('ndp fe80::8%vether0').stdout).toBe(`${HEAD}fe80::8%vether0                         00:01:02:03:04:08 vether0 permanent R \n`);
    const none = m.sh('ndp fe80::8');
    expect([none.stdout, none.stderr, none.status]).toEqual([`${HEAD}fe80::8 (fe80::8) -- no entry\n`, '', 1]);
    const other = m.sh('ndp -n 2001:db8::0:9');
    expect([other.stdout, other.status]).toEqual([`${HEAD}2001:db8::0:9 (2001:db8::9) -- no entry\n`, 1]);
    // ndp.c's get() returns to main after the warning: status 0.
    const bad = m.sh('ndp host.example');
    expect([bad.stdout, bad.stderr, bad.status]).toEqual(['', 'ndp: host.example: name or service is not known\n', 0]);
    expect(m.sh('ndp -n host.example').stderr).toBe('ndp: host.example: non-recoverable failure in name resolution\n');
  });

  it('-s failures: an existing entry, an address that is not an L2 entry, no route, a bad name', () => {
    const cases: [string, string, number][] = [
      ['ndp -s 2001:db8::5 0:1:2:3:4:9', 'ndp: writing to routing socket: File exists\n', 1],
      ['ndp -s ::1 0:1:2:3:4:9', 'ndp: set: cannot configure a new entry\n', 1],
      ['ndp -s fe80::9 0:1:2:3:4:9', 'ndp: writing to routing socket: No such process\n', 1],
      ['ndp -s 10.1.1.1 0:1:2:3:4:9', 'ndp: 10.1.1.1: name or service is not known\n', 1],
      ['ndp -s fe80::9%nosuch0 0:1:2:3:4:9', 'ndp: fe80::9%nosuch0: name or service is not known\n', 1],
    ];
    for (const [line, stderr, status] of cases) {
      const r = m.sh(line);
      expect([line, r.stdout, r.stderr, r.status]).toEqual([line, '', stderr, status]);
    }
  });

  it('-s with a bad Ethernet address warns and sets the entry without one; sscanf %x reads the rest', () => {
    const bad = m.sh('ndp -s 2001:db8::10 zz');
    expect([bad.stderr, bad.status]).toEqual(['ndp: invalid Ethernet address \'zz\'\n', 0]);
    expect(m.run('ndp', '-s', '2001:db8::11', ' 0x1f:+2:-1:3:4:5zz').status).toBe(0);
    expect(m.sh('ndp -n 2001:db8::10').stdout).toBe(`${HEAD}2001:db8::10                            (incomplete)      vether0 permanent R \n`);
    expect(m.sh('ndp -n 2001:db8::11').stdout).toBe(`${HEAD}2001:db8::11                            1f:02:ff:03:04:05 vether0 permanent R \n`);
  });

  it('-d deletes an entry, leaves an own address alone, and reports what it cannot find', () => {
    expect(m.sh('ndp -d 2001:db8::10')).toMatchObject({ stdout: '2001:db8::10 (2001:db8::10) deleted\n', stderr: '', status: 0 });
    expect(m.sh('ndp -d fe80::8%vether0')).toMatchObject({ stdout: 'fe80::8%vether0 (fe80::8%vether0) deleted\n', status: 0 });
    expect(m.sh('ndp -d 2001:db8::1')).toMatchObject({ stdout: '', stderr: '', status: 0 });
    const cases: [string, string][] = [
      ['ndp -d 2001:db8::77', 'ndp: delete: cannot locate 2001:db8::77\n'],
      ['ndp -d ::1', 'ndp: delete: cannot locate ::1\n'],
      ['ndp -d 2001:db9::1', 'ndp: writing to routing socket: No such process\n'],
      ['ndp -d host.example', 'ndp: host.example: name or service is not known\n'],
    ];
    for (const [line, stderr] of cases) {
      const r = m.sh(line);
      expect([line, r.stdout, r.stderr, r.status]).toEqual([line, '', stderr, 1]);
    }
    expect(m.sh('route -n show -inet6').stdout).not.toMatch(/2001:db8::10 |fe80::8%/);
  });

  it('-f sets an entry per line (fgets reads 99 characters at a time); bad lines only warn (status 0)', () => {
    const file = join(dirname(m.state), 'ethers');
    const long = `2001:db8::30 2:0:0:0:0:30${' '.repeat(80)}2001:db8::31 2:0:0:0:0:31\n`;
    writeFileSync(file, `2001:db8::20 2:0:0:0:0:20\nbogus\n2001:db8::21 2:0:0:0:0:21 temp proxy\n${long}`);
    const r = m.run('ndp', '-f', file);
    expect([r.stdout, r.stderr, r.status]).toEqual(['', 'ndp: bad line: bogus\n\n', 0]);
    const rows = timed(m.sh('ndp -an').stdout).rows;
    expect(rows).toContain('2001:db8::20                            02:00:00:00:00:20 vether0 permanent R \n');
    expect(rows).toContain('2001:db8::21                            02:00:00:00:00:21 vether0 ~         R p\n');
    expect(rows).toContain('2001:db8::30                            02:00:00:00:00:30 vether0 permanent R \n');
    expect(rows).toContain('2001:db8::31                            02:00:00:00:00:31 vether0 permanent R \n');
    const missing = m.run('ndp', '-f', join(dirname(m.state), 'missing'));
    expect(missing.stderr).toMatch(/^ndp: cannot open .*missing: No such file or directory\n$/);
    expect(missing.status).toBe(1);
    // A failing set ends the run (err(1)): the rest of the file is not read.
    writeFileSync(file, '2001:db8::20 2:0:0:0:0:20\n2001:db8::22 2:0:0:0:0:22\n');
    expect(m.run('ndp', '-f', file)).toMatchObject({ stderr: 'ndp: writing to routing socket: File exists\n', status: 1 });
    expect(m.sh('ndp 2001:db8::22').status).toBe(1);
  });

  it('-i prints the interface\'s ND reachable time (SIOCGIFINFO_IN6)', () => {
    expect(m.sh('ndp -i vether0')).toMatchObject({ stdout: 'reachable=30s\n', stderr: '', status: 0 });
    expect(m.sh('ndp -i nosuch0')).toMatchObject({ stdout: '', stderr: 'ndp: ioctl(SIOCGIFINFO_IN6): Device not configured\n', status: 1 });
  });

  it('-t stamps each line with the time of day instead of printing the heading', () => {
    const lines = m.sh('ndp -t -a').stdout.split('\n').slice(0, -1);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l).toMatch(/^\d\d:\d\d:\d\d\.\d{6} (2001:db8|fe80)::/);
    expect(lines[0]!.slice(16)).toBe(OWN.slice(0, -1));
  });

  it('an L2 entry SIOCGNBRINFO_IN6 knows nothing of is listed without state, after ndp\'s warnings', () => {
    expect(m.sh('route add -inet6 -host 2001:db8:1::5 -link -iface lo0 -llinfo').status).toBe(0);
    const r = m.sh('ndp -n 2001:db8:1::5');
    expect(r.stdout).toBe(`${HEAD}2001:db8:1::5                           (incomplete)          lo0   \n`);
    expect(r.stderr).toBe('ndp: ioctl(SIOCGNBRINFO_IN6): Invalid argument\nndp: failed to get neighbor information\n');
    expect(r.status).toBe(0);
  });

  it('a user other than root gets the kernel\'s EACCES', () => {
    const user = { ...m.env, RTSOCK_UID: '1000' };
    for (const args of [['-s', '2001:db8::40', '0:1:2:3:4:5'], ['-d', '2001:db8::5']]) {
      const r = spawnSync(process.execPath, [BIN, 'ndp', ...args], { cwd: ROOT, env: { ...process.env, ...user }, encoding: 'utf8' });
      expect([r.stderr, r.status]).toEqual(['ndp: writing to routing socket: Permission denied\n', 1]);
    }
  });

  it('bad invocations: getopt\'s complaint or ndp\'s, usage on stdout, status 1', () => {
    const cases: [string, string, string][] = [
      ['ndp -V 7 -a', HEAD, 'ndp: sysctl(PF_ROUTE estimate): No such file or directory\n'],
      ['ndp -V 7 -c', '', 'ndp: sysctl(PF_ROUTE estimate): No such file or directory\n'],
      ['ndp -V 7 -s 2001:db8::8 0:1:2:3:4:5', '', 'ndp: ROUTE_TABLEFILTER: No such file or directory\n'],
      ['ndp -V 300 -a', USAGE, 'ndp: bad rdomain: too large: Result too large\n'],
      ['ndp -V x -a', USAGE, 'ndp: bad rdomain: invalid: Invalid argument\n'],
      ['ndp -A 0', USAGE, ''],
      ['ndp -a -A 1', USAGE, ''],
      ['ndp -A', USAGE, 'ndp: option requires an argument -- A\n'],
      ['ndp -d', USAGE, 'ndp: option requires an argument -- d\n'],
      ['ndp -x', USAGE, 'ndp: unknown option -- x\n'],
      ['ndp -p', USAGE, 'ndp: unknown option -- p\n'],
      ['ndp -r', USAGE, 'ndp: unknown option -- r\n'],
      ['ndp -a -c', USAGE, ''],
      ['ndp -a 2001:db8::1', USAGE, ''],
      ['ndp -d 2001:db8::5 2001:db8::6', USAGE, ''],
      ['ndp -s 2001:db8::5', USAGE, ''],
      ['ndp -s 2001:db8::5 0:1:2:3:4:5 temp proxy x', USAGE, ''],
      ['ndp', USAGE, ''],
      ['ndp 2001:db8::5 2001:db8::6', USAGE, ''],
    ];
    for (const [line, stdout, stderr] of cases) {
      const r = m.sh(line);
      expect([line, r.stdout, r.stderr, r.status]).toEqual([line, stdout, stderr, 1]);
    }
  });

  it('-A repeats the listing (a blank line after each) until it is killed', () => {
    const r = spawnSync(process.execPath, [BIN, 'ndp', '-n', '-A', '1'], {
      cwd: ROOT, env: { ...process.env, ...m.env }, encoding: 'utf8', timeout: 4000,
    });
    expect(r.signal).toBe('SIGTERM');
    const [first, second] = r.stdout.split('\n\n');
    expect(first!.startsWith(HEAD)).toBe(true);
    expect(first).toContain('2001:db8::5                             00:01:02:03:04:05 vether0 permanent R \n');
    // The heading is printed once.
    expect(second!.startsWith(OWN)).toBe(true);
  });
});

describe('rtsock ndp: entries learnt by neighbour discovery', () => {
  const m = machine('openbsd');

  it('lists each entry\'s ND state, time left, IsRouter and solicitations; -c deletes the cloned ones', async () => {
    for (const command of SETUP) expect(m.sh(command).status).toBe(0);
    expect(m.sh('ndp -s 2001:db8::5 0:1:2:3:4:5').status).toBe(0);
    await learn(m, 600, (k) => {
      // STALE: a solicitation from a neighbour (its address learnt).
      k.ndInput('vether0', { type: 'ns', src: 'fe80::99', target: 'fe80::fce1:baff:fed4:c81d', sllao: '2:0:0:0:0:99' });
      // DELAY: a STALE entry a packet went through.
      k.ndInput('vether0', { type: 'ns', src: '2001:db8::99', target: '2001:db8::1', sllao: '2:0:0:0:0:98' });
      k.ndResolve('2001:db8::99');
      // INCOMPLETE, asked once.
      k.ndResolve('2001:db8::98');
      // REACHABLE, from a router's solicited advertisement.
      k.ndResolve('2001:db8::97');
      k.ndInput('vether0', { type: 'na', target: '2001:db8::97', tllao: '2:0:0:0:0:97', solicited: true, router: true });
    });
    const r = m.sh('ndp -an');
    expect(r.stderr).toBe('');
    const { rows, secs } = timed(r.stdout);
    expect(rows).toBe(`${HEAD}${OWN}`
      + '2001:db8::5                             00:01:02:03:04:05 vether0 permanent R \n'
      + '2001:db8::97                            02:00:00:00:00:97 vether0 ~         R R\n'
      + '2001:db8::98                            (incomplete)      vether0 ~         I  1\n'
      + '2001:db8::99                            02:00:00:00:00:98 vether0 ~         D \n'
      + 'fe80::99%vether0                        02:00:00:00:00:99 vether0 ~         S \n'
      + OWN_LL);
    // REACHABLE 30 s, INCOMPLETE's retransmission 1 s, DELAY 5 s, STALE a day: all from 600 s ahead.
    const expected = [630, 601, 605, 87000];
    secs.forEach((s, i) => {
      expect(s).toBeLessThanOrEqual(expected[i]!);
      expect(s).toBeGreaterThan(expected[i]! - 10);
    });
    expect(m.sh('ndp -c')).toMatchObject({
      stdout: '2001:db8::97 (2001:db8::97) deleted\n2001:db8::98 (2001:db8::98) deleted\n'
        + '2001:db8::99 (2001:db8::99) deleted\nfe80::99%vether0 (fe80::99%vether0) deleted\n',
      stderr: '',
      status: 0,
    });
    expect(m.sh('ndp -an').stdout).toBe(`${HEAD}${OWN}2001:db8::5                             00:01:02:03:04:05 vether0 permanent R \n${OWN_LL}`);
  });
});

describe('rtsock ndp (openbsd-4.9)', () => {
  const m = machine('openbsd-4.9');

  it('sets, lists and deletes entries (4.9 has no RTF_LOCAL: own addresses have no "l")', () => {
    for (const command of SETUP) expect(m.sh(command).status).toBe(0);
    expect(m.sh('ndp -s 2001:db8::5 0:1:2:3:4:5 temp').status).toBe(0);
    const { rows } = timed(m.sh('ndp -an').stdout);
    expect(rows).toBe(`${HEAD}${OWN.replace('R l', 'R ')}`
      + '2001:db8::5                             00:01:02:03:04:05 vether0 ~         R \n'
      + OWN_LL.replace('R l', 'R '));
    expect(m.sh('ndp -d 2001:db8::5').stdout).toBe('2001:db8::5 (2001:db8::5) deleted\n');
    expect(m.sh('ndp 2001:db8::5').status).toBe(1);
  });
});
