/** `route sourceaddr` (RTM_SOURCE) and `route nameserver` (RTM_PROPOSAL) end to end. */
import { spawn } from 'node:child_process';
import { BIN, ROOT } from './run.js';
import { machine } from './route-env.js';

const PRINT = (v4: string, v6: string) => `Preferred source address set for rdomain 0\nIPv4: ${v4}\nIPv6: ${v6}\n`;

describe('rtsock route sourceaddr (openbsd)', () => {
  const m = machine('openbsd');
  m.sh('ifconfig vether0 inet 192.0.2.10/24 up');
  m.sh('ifconfig vether0 inet6 2001:db8::10/64');

  it('prints `default` for both families on a fresh table', () => {
    const r = m.sh('route sourceaddr');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(PRINT('default', 'default'));
  });

  it('sets an IPv4 source silently, then prints it in the show column (18 wide + space)', () => {
    const r = m.sh('route -n sourceaddr 192.0.2.10');
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(m.sh('route -n sourceaddr').stdout).toBe(PRINT('192.0.2.10'.padEnd(18) + ' ', 'default'));
  });

  it('refuses an address no interface holds: the kernel says EINVAL, route prints it, exit 1', () => {
    const r = m.sh('route sourceaddr 192.0.2.99');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('sourceaddr 192.0.2.99: Invalid argument\n');
    expect(m.sh('route -q sourceaddr 192.0.2.99').stdout).toBe('');
  });

  it('-ifp takes the interface addresses (not its link-local one); -inet default clears IPv4', () => {
    expect(m.sh('route sourceaddr -ifp vether0').status).toBe(0);
    expect(m.sh('route -n sourceaddr').stdout).toBe(PRINT('192.0.2.10'.padEnd(18) + ' ', '2001:db8::10'.padEnd(43) + ' '));
    expect(m.sh('route sourceaddr -inet default').status).toBe(0);
    expect(m.sh('route -n sourceaddr').stdout).toBe(PRINT('default', '2001:db8::10'.padEnd(43) + ' '));
  });

  it('keeps the source across invocations and reports grammar and privilege errors like route(8)', () => {
    expect(m.sh('route sourceaddr -ifp nope').stderr).toBe('route: no such interface nope\n');
    const two = m.sh('route sourceaddr 192.0.2.10 192.0.2.11');
    expect([two.status, two.stderr]).toEqual([1, 'usage: route [-dnqtv] [-T rtable] command [[modifier ...] arg ...]\n']);
    const user = machine('openbsd', { RTSOCK_UID: '1000' });
    const r = user.sh('route sourceaddr 192.0.2.10');
    expect([r.status, r.stderr]).toEqual([1, 'route: must be root to alter source address\n']);
  });

  it('does not exist in 4.9, whose route(8) had no such keyword', () => {
    const old = machine('openbsd-4.9');
    const r = old.sh('route sourceaddr');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('route: botched keyword: sourceaddr\nusage: route [-dnqtv] [-T rtable] command [[modifier ...] arg ...]\n');
  });
});

describe('rtsock route nameserver (openbsd)', () => {
  it('sends an IPv4 and an IPv6 RTM_PROPOSAL (static source) that listeners see', async () => {
    const m = machine('openbsd');
    m.sh('ifconfig vether0 inet 192.0.2.10/24 up');
    const mon = spawn(process.execPath, [BIN, 'route', 'monitor'], { env: { ...process.env, ...m.env }, cwd: ROOT });
    let out = '';
    mon.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    await new Promise((r) => setTimeout(r, 400));
    const r = m.sh('route nameserver vether0 192.0.2.53 2001:db8::53 1.1.1.1');
    for (let i = 0; i < 40 && !out.includes('INET6 ['); i++) await new Promise((res) => setTimeout(res, 50));
    mon.kill('SIGINT');
    await new Promise((res) => mon.on('exit', res));
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    // 96-byte header + the whole 130-byte sockaddr_rtdns rounded to 136.
    expect(out).toContain('RTM_PROPOSAL: config proposal: len 232, source static, table 0, if# 2, name vether0, pid: 4242, seq 1, errno 0\nflags:<UP,DONE>\n');
    expect(out).toContain(' INET [192.0.2.53, 1.1.1.1]');
    expect(out).toContain('seq 2, errno 0');
    expect(out).toContain(' INET6 [2001:db8::53]');
  });

  it('checks the interface and the addresses before sending anything', () => {
    const m = machine('openbsd');
    expect(m.sh('route nameserver nope 192.0.2.53').stderr).toBe('route: unknown interface: nope\n');
    m.sh('ifconfig vether0 up');
    const bad = m.sh('route nameserver vether0 ns.example');
    expect([bad.status, bad.stderr]).toEqual([1, 'route: name or service is not known\n']);
    const many = m.sh('route -v nameserver vether0 1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6');
    expect(many.status).toBe(0);
    expect(many.stderr).toBe(['ignoring additional nameservers', 'v4: 1.1.1.1', 'v4: 1.1.1.2', 'v4: 1.1.1.3', 'v4: 1.1.1.4', 'v4: 1.1.1.5']
      .map((l) => `route: ${l}\n`).join(''));
  });
});
