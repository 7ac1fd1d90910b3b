// Start-up benchmark: wall time of whole `rtsock` invocations (node start, load state, act, save)
// on a small table, against `node -e 0` on the same machine in the same run (noise and the
// environment's own node start-up cost hit both alike). Medians of RUNS interleaved runs.
// Run: npm run build && node bench/cli.mjs   (writes bench/results/cli.json)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const bin = fileURLToPath(new URL('../dist/cli/bin.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rtsock-bench-cli-'));
const env = { ...process.env, RTSOCK_STATE: join(dir, 'kernel.json'), RTSOCK_DIALECT: 'openbsd' };

function run(args, node = [bin]) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...node, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && node[0] === bin && !args.includes('delete')) throw new Error(`rtsock ${args.join(' ')}: ${r.stderr}`);
  return ms;
}

// A small machine: one Ethernet-like interface, a handful of routes.
run(['ifconfig', 'vether0', 'inet', '192.0.2.10/24', 'up']);
for (let i = 0; i < 20; i++) run(['route', '-nq', 'add', `10.${i}.0.0/16`, '192.0.2.1']);

const cases = {
  node_e0_ms: () => run(['-e', '0'], []),
  route_get_ms: () => run(['route', '-n', 'get', '10.1.2.3']),
  route_add_delete_ms: () => run(['route', '-nq', 'add', '172.16.0.0/12', '192.0.2.1']) / 2 + run(['route', '-nq', 'delete', '172.16.0.0/12']) / 2,
  route_show_ms: () => run(['route', '-n', 'show']),
  ifconfig_ms: () => run(['ifconfig', 'vether0']),
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < RUNS; r++) for (const [k, f] of Object.entries(cases)) samples[k].push(f());
rmSync(dir, { recursive: true, force: true });

const result = { date: new Date().toISOString(), node: process.version, runs: RUNS, extra_ca_certs: Boolean(process.env.NODE_EXTRA_CA_CERTS) };
for (const [k, v] of Object.entries(samples)) result[k] = Number(median(v).toFixed(1));
result.route_get_over_node_ms = Number((result.route_get_ms - result.node_e0_ms).toFixed(1));
console.table(Object.fromEntries(Object.entries(result).filter(([k]) => k.endsWith('_ms'))));
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/cli.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
