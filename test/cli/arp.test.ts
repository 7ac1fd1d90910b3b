import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { machine } from './route-env.js';
import { sec2str } from '../../src/cli/llinfo/format.js';

const HEAD = 'Host                                 Ethernet Address    Netif Expire    Flags\n';
const USAGE = 'usage: arp [-adn] [-V rdomain] hostname\n'
  + '       arp [-F] [-f file] [-V rdomain] -s hostname ether_addr\n'
  + '           [temp | permanent] [pub]\n'
  + '       arp -W ether_addr [iface]\n';

describe('rtsock arp (openbsd)', () => {
  const m = machine('openbsd');

  beforeAll(() => {
    expect(m.sh('ifconfig vether0 lladdr fe:e1:ba:d4:c8:1d 10.1.1.1/24 up').status).toBe(0);
  });

  it('lists the interface\'s own address as a permanent local entry', () => {
    const r = m.sh('arp -a');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${HEAD}10.1.1.1                             fe:e1:ba:d4:c8:1d vether0 permanent l\n`);
  });

  it('-s adds static, temp and permanent proxy entries as RTM_ADD of RTF_LLINFO routes', () => {
    expect(m.sh('arp -s 10.1.1.5 0:1:2:3:4:5').status).toBe(0);
    expect(m.sh('arp -s 10.1.1.6 00:01:02:03:04:06 temp').status).toBe(0);
    expect(m.sh('arp -s 10.1.1.7 0:1:2:3:4:7 permanent pub').status).toBe(0);
    const r = m.sh('arp -an');
    const lines = r.stdout.split('\n');
    expect(lines[0] + '\n').toBe(HEAD);
    expect(lines[2]).toBe('10.1.1.5                             00:01:02:03:04:05 vether0 static    ');
    expect(lines[3]).toMatch(/^10\.1\.1\.6 {29}00:01:02:03:04:06 vether0 (19m\d\ds|20m0s) +$/);
    expect(lines[4]).toBe('10.1.1.7                             00:01:02:03:04:07 vether0 permanent p');
    // The kernel's view: static host routes with the MAC as gateway; "pub" adds a /32 (no RTF_HOST).
    const show = m.sh('route -n show -inet').stdout;
    expect(show).toMatch(/^10\.1\.1\.5 +00:01:02:03:04:05 +UHLS /m);
    expect(show).toMatch(/^10\.1\.1\.7\/32 +00:01:02:03:04:07 +ULS32 /m);
  });

  it('shows one entry, or "no entry" with status 1', () => {
    expect(m.sh('arp 10.1.1.5').stdout).toBe(`${HEAD}10.1.1.5                             00:01:02:03:04:05 vether0 static    \n`);
    const r = m.sh('arp 10.1.1.9');
    expect(r.stdout).toBe(`${HEAD}10.1.1.9                             no entry\n`);
    expect(r.status).toBe(1);
  });

  it('an existing entry is not overwritten without -F', () => {
    const r = m.sh('arp -s 10.1.1.5 0:1:2:3:4:9');
    expect(r.stderr).toBe('arp: writing to routing socket: File exists\n');
    expect(r.status).toBe(1);
    const f = m.sh('arp -F -s 10.1.1.5 0:1:2:3:4:9');
    expect(f.stdout).toBe('10.1.1.5 (10.1.1.5) deleted\n');
    expect(f.status).toBe(0);
    expect(m.sh('arp 10.1.1.5').stdout).toMatch(/00:01:02:03:04:09 vether0 static/);
  });

  it('-d deletes entries, leaves local ones, and reports what it cannot find', () => {
    const local = m.sh('arp -d 10.1.1.1');
    expect([local.status, local.stdout, local.stderr]).toEqual([0, '', '']);
    expect(m.sh('arp -d 10.1.1.77').stderr).toBe('arp: delete: cannot locate 10.1.1.77\n');
    const none = m.sh('arp -d 10.9.9.9');
    expect(none.stderr).toBe('arp: writing to routing socket: No such process\narp: 10.9.9.9: No such process\n');
    expect(none.status).toBe(1);
    const all = m.sh('arp -d -a');
    expect(all.stdout).toBe('10.1.1.5 (10.1.1.5) deleted\n10.1.1.6 (10.1.1.6) deleted\n10.1.1.7 (10.1.1.7) deleted\n');
    expect(m.sh('arp -a').stdout).toBe(`${HEAD}10.1.1.1                             fe:e1:ba:d4:c8:1d vether0 permanent l\n`);
  });

  it('-f reads entries from a file, one per line', () => {
    const file = join(dirname(m.state), 'ethers');
    writeFileSync(file, '10.1.1.20 2:0:0:0:0:20\nbogus\n10.1.1.21 2:0:0:0:0:21 temp\n');
    const r = m.run('arp', '-f', file);
    expect(r.stderr).toBe('arp: bad line: bogus\n\n');
    expect(r.status).toBe(1);
    expect(m.sh('arp -an').stdout).toMatch(/^10\.1\.1\.20 +02:00:00:00:00:20 vether0 static +\n10\.1\.1\.21 +02:00:00:00:00:21 vether0 \d+m\d+s +\n$/m);
    expect(m.run('arp', '-f', join(dirname(m.state), 'missing')).stderr).toMatch(/^arp: cannot open .*missing: No such file or directory\n$/);
  });

  it('an address that is not an ARP entry (the broadcast route) is only proxied', () => {
    const r = m.sh('arp -s 10.1.1.255 0:1:2:3:4:5');
    expect([r.stdout, r.status]).toEqual(['set: can only proxy for 10.1.1.255\n', 1]);
    const p = m.sh('arp -s 10.1.1.255 0:1:2:3:4:5 pub');
    expect([p.stdout, p.status]).toEqual(['set: proxy entry exists for non 802 device\n', 1]);
  });

  it('bad input: one line (or usage) on stderr and status 1', () => {
    const cases: [string, string][] = [
      ['arp -s 10.1.1.8 zz', 'arp: invalid ethernet address: zz\n'],
      ['arp -V 7 -a', 'arp: route-sysctl-estimate: No such file or directory\n'],
      ['arp -V 7 -s 10.1.1.8 0:1:2:3:4:5', 'arp: ROUTE_TABLEFILTER: No such file or directory\n'],
      ['arp -V 300 -a', `arp: bad rdomain: too large: Result too large\n${USAGE}`],
      ['arp -x', USAGE],
      ['arp', USAGE],
      ['arp -a 10.1.1.1', USAGE],
      ['arp -s -d 10.1.1.1', USAGE],
      ['arp -s 10.1.1.8 0:1:2:3:4:5 temp permanent', USAGE],
      ['arp host.example', 'arp: host.example: name or service is not known\n'],
      ['arp -W 1:2:3:4:5:6', 'arp: Failed to bind to bpf: No such file or directory\n'],
    ];
    for (const [line, stderr] of cases) {
      const r = m.sh(line);
      expect([line, r.stderr, r.status]).toEqual([line, stderr, 1]);
    }
  });

  it('an entry learnt by ARP shows its time to live; an unresolved one is incomplete', async () => {
    // Through the library: the CLI has no packet input. The same state file is then listed.
    const { restoreKernel, snapshotKernel } = await import('../../src/kernel/state.js');
    const { readFileSync } = await import('node:fs');
    const doc = JSON.parse(readFileSync(m.state, 'utf8'));
    const k = restoreKernel(doc.kernel);
    k.arpInput('vether0', { op: 'request', sha: '2:0:0:0:0:99', spa: '10.1.1.99', tpa: '10.1.1.1' });
    k.arpResolve('10.1.1.98');
    doc.kernel = snapshotKernel(k);
    writeFileSync(m.state, JSON.stringify(doc));
    const out = m.sh('arp -an').stdout;
    expect(out).toMatch(/^10\.1\.1\.98 +\(incomplete\) +vether0 expired +\n/m);
    expect(out).toMatch(/^10\.1\.1\.99 +02:00:00:00:00:99 vether0 (19m\d\ds|20m0s) +\n/m);
  });
});

describe('the persistent kernel\'s ARP timer', () => {
  it('runs what fell due while the state was stored: listings see it, the next command saves and journals it', async () => {
    const m = machine('openbsd');
    expect(m.sh('ifconfig vether0 lladdr fe:e1:ba:d4:c8:1d 10.1.1.1/24 up').status).toBe(0);
    const { restoreKernel, snapshotKernel } = await import('../../src/kernel/state.js');
    const { decodeMessage } = await import('../../src/codec/message.js');
    const { readFileSync } = await import('node:fs');
    // An hour ago: an entry learnt then (expired 40 minutes ago), arptimer last run then.
    const past = Math.floor(Date.now() / 1000) - 3600;
    const doc = JSON.parse(readFileSync(m.state, 'utf8'));
    const k = restoreKernel(doc.kernel, { clock: () => past });
    k.arpTimerAt = past;
    k.arpInput('vether0', { op: 'request', sha: '2:0:0:0:0:99', spa: '10.1.1.99', tpa: '10.1.1.1' });
    doc.kernel = snapshotKernel(k);
    writeFileSync(m.state, JSON.stringify(doc));
    const journalled = () => (JSON.parse(readFileSync(m.state, 'utf8')).journal.entries as [number, number, string][])
      .map(([, , hex]) => decodeMessage(Buffer.from(hex, 'hex')))
      .filter((msg) => msg.type === 2 && (msg.sockaddrs as Record<string, { addr?: string }>)['dst']?.addr === '10.1.1.99');
    expect(m.sh('arp -an').stdout).not.toMatch(/10\.1\.1\.99/);
    // A read-only listing does not save: the file still holds the entry and the old timer.
    expect(JSON.parse(readFileSync(m.state, 'utf8')).kernel.arpTimerAt).toBe(past);
    expect(m.sh('arp -d 10.1.1.50').status).toBe(1);
    expect(journalled()).toHaveLength(1);
    expect(JSON.parse(readFileSync(m.state, 'utf8')).kernel.arpTimerAt).toBeGreaterThan(past + 3000);
    expect(m.sh('route -n show -inet').stdout).not.toMatch(/10\.1\.1\.99/);
  });
});

describe('rtsock arp (openbsd-4.9)', () => {
  const m = machine('openbsd-4.9');

  it('sets, lists and deletes entries (4.9 has no RTF_LOCAL: the own address lists as static)', () => {
    expect(m.sh('ifconfig vether0 lladdr fe:e1:ba:d4:c8:1d 10.1.1.1/24 up').status).toBe(0);
    expect(m.sh('arp -s 10.1.1.5 0:1:2:3:4:5 temp').status).toBe(0);
    const r = m.sh('arp -an').stdout;
    expect(r).toMatch(/^10\.1\.1\.1 +fe:e1:ba:d4:c8:1d vether0 static +\n10\.1\.1\.5 +00:01:02:03:04:05 vether0 (19m\d\ds|20m0s) +\n$/m);
    expect(m.sh('arp -d 10.1.1.5').stdout).toBe('10.1.1.5 (10.1.1.5) deleted\n');
    expect(m.sh('arp 10.1.1.5').status).toBe(1);
  });
});

describe('sec2str', () => {
  it('leaves out leading zero units, never seconds', () => {
    expect([0, 59, 60, 3599, 3600, 86399, 86400, 90061].map(sec2str))
      .toEqual(['0s', '59s', '1m0s', '59m59s', '1h0m0s', '23h59m59s', '1d0h0m0s', '1d1h1m1s']);
  });
});
