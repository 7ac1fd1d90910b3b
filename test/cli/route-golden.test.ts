/**
 * Golden outputs of show / get / -v / monitor in both dialects (test/cli/golden/<dialect>/).
 * UPDATE_GOLDEN=1 rewrites them; review the diff before committing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { BIN, ROOT } from './run.js';
import { machine, regressSetup } from './route-env.js';

const DIR = `${ROOT}test/cli/golden`;

function golden(dialect: string, name: string, text: string): void {
  const file = `${DIR}/${dialect}/${name}.txt`;
  if (process.env['UPDATE_GOLDEN'] || !existsSync(file)) {
    mkdirSync(`${DIR}/${dialect}`, { recursive: true });
    writeFileSync(file, text);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const dateLine = /^got message of size (\d+) on .*$/gm;

describe.each(['openbsd', 'openbsd-4.9'] as const)('golden outputs (%s)', (dialect) => {
  const m = machine(dialect);
  let monitorText = '';

  beforeAll(async () => {
    const mon = spawn(process.execPath, [BIN, 'route', 'monitor'], { env: { ...process.env, ...m.env }, cwd: ROOT });
    mon.stdout.on('data', (d: Buffer) => { monitorText += d.toString(); });
    await new Promise((r) => setTimeout(r, 400));
    regressSetup(m);
    for (const a of ['10/8 192.0.2.1', '10.8/16 192.0.2.3', '10.8.1/24 192.0.2.2']) m.sh(`route -T 5 -nq add ${a}`);
    m.sh('route -T 5 -nq add -label blue -mtu 1400 10.9/16 192.0.2.4');
    m.sh('route -T 5 -nq add 10/8 192.0.2.1');
    await new Promise((r) => setTimeout(r, 300));
    mon.kill('SIGINT');
    await new Promise((r) => mon.on('exit', r));
  });

  it('show', () => golden(dialect, 'show', m.sh('route -T 5 -n show').stdout));
  it('show -v -inet -gateway', () => golden(dialect, 'show-gateway', m.sh('route -T 5 -nv show -inet -gateway').stdout));
  it('get', () => golden(dialect, 'get', m.sh('route -T 5 -n get 10.8.1.77').stdout + m.sh('route -T 5 -n get -net 10.9/16').stdout));
  it('get -v', () => golden(dialect, 'get-verbose', m.sh('route -T 5 -nv get 10.8.1.77').stdout));
  it('add -v', () => golden(dialect, 'add-verbose', m.sh('route -T 5 -nv add -host 10.1.2.3 192.0.2.1').stdout));
  // IPv6 columns: 43/39 wide in current, 34/30 with -n and 18 (truncating) without in 4.9.
  it('show -inet6, with and without -n', () => golden(dialect, 'show-inet6', m.sh('route -n show -inet6').stdout + m.sh('route show -inet6').stdout));
  it('monitor', () => golden(dialect, 'monitor', monitorText.replace(dateLine, 'got message of size $1 on DATE')));
});
