/**
 * Fuzzing the CLI's argument handling: random argument lists for route, ifconfig, arp, ndp and
 * device, run in one child process over the built CLI (cli-argv-driver.mjs), must each end with
 * a status; no JavaScript engine error may escape a command, and the run must not hang. Runs
 * scale with FUZZ_RUNS (npm run fuzz: 5000 commands; default 300).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOTAL = Number(process.env['FUZZ_RUNS'] ?? 12000);
const RUNS = Math.min(5000, Math.max(300, Math.round(TOTAL / 40)));
const DRIVER = fileURLToPath(new URL('./cli-argv-driver.mjs', import.meta.url));

describe('fuzz: CLI argument lists', () => {
  it.each([1, 2])('seed %i: every command ends with a status, no engine error escapes', (seed) => {
    const dir = mkdtempSync(join(tmpdir(), 'rtsock-argv-'));
    const result = join(dir, 'result.json');
    const r = spawnSync(process.execPath, [DRIVER, String(seed), String(RUNS), dir, result], { timeout: 600_000, maxBuffer: 256 << 20 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    const { runs, bugs, statuses } = JSON.parse(readFileSync(result, 'utf8')) as { runs: number; bugs: unknown[]; statuses: Record<string, number> };
    expect(bugs).toEqual([]);
    expect(runs).toBe(RUNS);
    // The lists reach past argument parsing: every command succeeds sometimes.
    for (const cmd of ['route', 'ifconfig', 'arp', 'ndp']) expect(statuses[`${cmd} 0`]).toBeGreaterThan(0);
  });
});
