import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { BIN, ROOT } from './run.js';
import { machine, regressSetup } from './route-env.js';

const ADDS = [
  '10/8 192.0.2.1', '10.0/16 192.0.2.4', '10.0/10 192.0.2.4', '10.8/16 192.0.2.3',
  '10.8.0/24 192.0.2.1', '10.8.1/24 192.0.2.2', '10.8.3/24 192.0.2.3', '10.8.4/24 192.0.2.4',
];

const SHOW = `Routing tables

Internet:
Destination        Gateway            Flags   Refs      Use   Mtu  Prio Iface
10/8               192.0.2.1          UGS        0        0 32768     8 lo10001
10.0/10            192.0.2.4          UGS        0        0 32768     8 lo10004
10.0/16            192.0.2.4          UGS        0        0 32768     8 lo10004
10.8/16            192.0.2.3          UGS        0        0 32768     8 lo10003
10.8.0/24          192.0.2.1          UGS        0        0 32768     8 lo10001
10.8.1/24          192.0.2.2          UGS        0        0 32768     8 lo10002
10.8.3/24          192.0.2.3          UGS        0        0 32768     8 lo10003
10.8.4/24          192.0.2.4          UGS        0        0 32768     8 lo10004
192.0.2.1          192.0.2.1          UHhl       2        4 32768     1 lo10001
192.0.2.2          192.0.2.2          UHhl       1        2 32768     1 lo10002
192.0.2.3          192.0.2.3          UHhl       2        4 32768     1 lo10003
192.0.2.4          192.0.2.4          UHhl       3        6 32768     1 lo10004
`;

describe('rtsock route: the regress scenario (openbsd)', () => {
  const m = machine('openbsd');
  regressSetup(m);
  const results = ADDS.map((a) => m.sh(`route -T 5 -n add ${a}`));

  it('prints route(8) result lines and exits 0 for each add', () => {
    results.forEach((r, i) => {
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`add net ${ADDS[i]!.replace(' ', ': gateway ')}\n`);
    });
  });

  it('show -inet matches OpenBSD exactly (counters survive across invocations)', () => {
    const r = m.sh('route -T 5 -n show -inet');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(SHOW);
  });

  it('a second add of 10/8 fails with File exists and status 1', () => {
    const r = m.sh('route -T 5 -n add 10/8 192.0.2.1');
    expect(r.stdout).toBe('add net 10/8: gateway 192.0.2.1: File exists\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
  });

  it('get prints print_getmsg; a miss prints "not in table" and exits 1', () => {
    const g = m.sh('route -T 5 -n get 10.8.1.5');
    expect(g.status).toBe(0);
    expect(g.stdout).toBe([
      '   route to: 10.8.1.5', 'destination: 10.8.1.0', '       mask: 255.255.255.0', '    gateway: 192.0.2.2',
      '  interface: lo10002', ' if address: 192.0.2.2', '   priority: 8 (static)', '      flags: <UP,GATEWAY,DONE,STATIC>',
      '     use       mtu    expire', '       0     32768         0 ', '',
    ].join('\n'));
    const miss = m.sh('route -T 5 -n get 172.16/16');
    expect(miss.stdout).toBe('get net 172.16/16: not in table\n');
    expect(miss.status).toBe(1);
  });

  it('delete, then the route is gone; -q silences the result line', () => {
    const d = m.sh('route -T 5 -nq delete 10.8.4/24 192.0.2.4');
    expect(d.status).toBe(0);
    expect(d.stdout).toBe('');
    expect(m.sh('route -T 5 -n show -inet').stdout).not.toMatch(/^10\.8\.4\/24/m);
  });
});

describe('rtsock route: the regress scenario (openbsd-4.9) walks the radix tree', () => {
  const m = machine('openbsd-4.9');
  regressSetup(m);
  for (const a of ADDS) m.sh(`route -T 5 -n add ${a}`);
  // rn_walktree: masked destinations ascending, a destination's more specific prefixes first.
  const RADIX = ['10.0/16', '10.0/10', '10/8', '10.8.0/24', '10.8/16', '10.8.1/24', '10.8.3/24', '10.8.4/24'];

  it('show lists the routes in radix order', () => {
    const r = m.sh('route -T 5 -n show -inet');
    expect(r.status).toBe(0);
    const rows = r.stdout.split('\n').slice(4).filter(Boolean).map((l) => l.split(/\s+/)[0]);
    expect(rows).toEqual([...RADIX, '192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4']);
  });

  it('flush deletes the gateway routes in that order', () => {
    const r = m.sh('route -T 5 -n flush');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(RADIX);
  });
});

describe('rtsock route: command line errors', () => {
  const m = machine('openbsd');
  it.each([
    ['route', 'usage: route [-dnqtv] [-T rtable] command [[modifier ...] arg ...]\n'],
    ['route bogus', 'route: botched keyword: bogus\nusage: route [-dnqtv] [-T rtable] command [[modifier ...] arg ...]\n'],
    ['route -T 300 show', 'route: invalid table id: too large\n'],
    ['route -T 7 show', 'route: routing table 7: No such file or directory\n'],
    ['route add 10/8 192.0.2.1 -frob', 'route: botched keyword: frob\nusage: route [-dnqtv] [-T rtable] command [[modifier ...] arg ...]\n'],
    ['route add -net 10.1.2.3', 'route: netmask missing\n'],
    ['route add 10.0.0.0 -prefixlen 8 192.0.2.1', 'route: prefixlen is not supported with af 0\n'],
    ['route add -inet 10.0.0.0 -prefixlen 40 192.0.2.1', 'route: prefixlen 40 is too large\n'],
    ['route add 10/8 -priority 99 192.0.2.1', 'route: priority is too large: 99\n'],
    ['route add 10/8 zork.invalid', 'route: zork.invalid: bad address\n'],
  ])('%s', (line, stderr) => {
    const r = m.sh(line);
    expect(r.stderr).toBe(stderr);
    expect(r.status).toBe(1);
  });

  it('non-root cannot alter routes (but may show and get)', () => {
    const u = { ...m.env, RTSOCK_UID: '1000' };
    const add = spawnSync(process.execPath, [BIN, 'route', 'add', '10/8', '127.0.0.1'], { env: u });
    expect(add.stderr.toString()).toBe('route: must be root to alter routing table\n');
    expect(add.status).toBe(1);
  });

  it('add to a gateway that is not reachable: Network is unreachable', () => {
    const r = m.sh('route -n add 10/8 203.0.113.1');
    expect(r.stdout).toBe('add net 10/8: gateway 203.0.113.1: Network is unreachable\n');
    expect(r.status).toBe(1);
  });

  it('-d builds and prints the request but touches nothing', () => {
    const r = m.sh('route -d add 10/8 127.0.0.1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^so_dst: inet 10\.0\.0\.0; so_gate: inet 127\.0\.0\.1; so_mask: inet 255\.0\.0\.0; RTM_ADD: Add Route: len 144, priority 0, table 0, if# 0, pid: 0, seq 1, errno 0$/m);
    expect(m.sh('route -n show -inet').stdout).not.toMatch(/^10\/8/m);
  });
});

describe('rtsock route: persistence', () => {
  it('50 concurrent adds of distinct routes all land', async () => {
    const m = machine('openbsd');
    const runs = Array.from({ length: 50 }, (_, i) => new Promise<number>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'route', '-nq', 'add', `10.${i}.0.0/16`, '127.0.0.1'], { env: { ...process.env, ...m.env }, cwd: ROOT });
      p.on('exit', (code) => resolve(code ?? -1));
    }));
    expect(await Promise.all(runs)).toEqual(new Array(50).fill(0));
    const rows = m.sh('route -n show -inet').stdout.split('\n').filter((l) => /^10\.\d+\/16 /.test(l));
    expect(rows).toHaveLength(50);
  });

  it.each([
    ['corrupt', '{"format":"rtsock-kernel","version":1,"jour', /corrupt or truncated/],
    ['foreign', '{"hello":"world"}', /not an rtsock kernel state file/],
    ['newer', '{"format":"rtsock-kernel","version":99,"journal":{"next":1,"entries":[]},"kernel":{}}', /newer than this rtsock understands/],
  ])('a %s state file is reported, exit 1, and left untouched', (_kind, text, err) => {
    const m = machine('openbsd');
    writeFileSync(m.state, text);
    for (const line of ['route -n add 10/8 127.0.0.1', 'route -n show', 'ifconfig lo1 up']) {
      const r = m.sh(line);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(err);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(readFileSync(m.state, 'utf8')).toBe(text);
    }
  });

  it('the dialect is recorded at boot and kept', () => {
    const m = machine('openbsd-4.9');
    m.sh('ifconfig lo1 up');
    expect(JSON.parse(readFileSync(m.state, 'utf8')).kernel.dialect).toBe('openbsd-4.9');
    const again = { ...m.env, RTSOCK_DIALECT: 'openbsd' };
    spawnSync(process.execPath, [BIN, 'ifconfig', 'lo2', 'up'], { env: again });
    expect(JSON.parse(readFileSync(m.state, 'utf8')).kernel.dialect).toBe('openbsd-4.9');
    expect(existsSync(`${m.state}.lock`)).toBe(false);
  });
});

describe('rtsock route monitor', () => {
  it('prints what other invocations emit, then exits cleanly on SIGINT', async () => {
    const m = machine('openbsd');
    m.sh('ifconfig lo1 up 192.0.2.1/32');
    const mon = spawn(process.execPath, [BIN, 'route', 'monitor', '-inet'], { env: { ...process.env, ...m.env }, cwd: ROOT });
    let out = '';
    mon.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    await new Promise((r) => setTimeout(r, 400));
    m.sh('route -n add 10/8 192.0.2.1');
    for (let i = 0; i < 40 && !out.includes('RTM_ADD'); i++) await new Promise((r) => setTimeout(r, 50));
    mon.kill('SIGINT');
    const code = await new Promise((r) => mon.on('exit', r));
    expect(code).toBe(0);
    expect(out).toMatch(/^got message of size 192 on \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\nRTM_ADD: Add Route: len 192, priority 8, table 0, if# 2, name lo1, pid: 4242, seq 1, errno 0\nflags:<UP,GATEWAY,DONE,STATIC>\n/);
    expect(out).toMatch(/ 10\.0\.0\.0 192\.0\.2\.1 255\.0\.0\.0 lo1 192\.0\.2\.1\n/);
  });
});
