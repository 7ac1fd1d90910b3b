/** The bin's code cache: created when missing, replaced when V8 rejects it, never fatal. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './run.js';

const cacheName = `rtsock.cjs.${process.version}-${process.arch}.cache`;

describe('bin launcher', () => {
  let dir: string;
  beforeAll(() => {
    // A private copy of the installed layout (dist/cli/bin.cjs + dist/rtsock.cjs), no cache.
    dir = mkdtempSync(join(tmpdir(), 'rtsock-launcher-'));
    mkdirSync(join(dir, 'cli'));
    copyFileSync(join(ROOT, 'dist/cli/bin.cjs'), join(dir, 'cli/bin.cjs'));
    copyFileSync(join(ROOT, 'dist/rtsock.cjs'), join(dir, 'rtsock.cjs'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const help = () => spawnSync(process.execPath, [join(dir, 'cli/bin.cjs'), '--help'], { encoding: 'utf8' });

  test('a missing cache is written after the run', () => {
    expect(readdirSync(dir)).not.toContain(cacheName);
    const r = help();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: rtsock decode/);
    expect(readFileSync(join(dir, cacheName)).length).toBeGreaterThan(1000);
  });

  test('a corrupt cache is rejected by V8, the command still runs and the cache is replaced', () => {
    writeFileSync(join(dir, cacheName), Buffer.from('not a code cache'));
    const r = help();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: rtsock decode/);
    expect(readFileSync(join(dir, cacheName)).length).toBeGreaterThan(1000);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('errors keep the CLI contract: one line, non-zero status', () => {
    const r = spawnSync(process.execPath, [join(dir, 'cli/bin.cjs'), 'nonsense'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^usage: rtsock/);
  });
});
