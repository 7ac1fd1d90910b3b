// Bundles the CLI (dist/cli/main.js and everything it imports, binary-parser included) into one
// CommonJS file, dist/rtsock.cjs, run by the `rtsock` bin (dist/cli/bin.cjs), then runs it once
// so that the launcher stores V8's code cache beside it. Part of `npm run build`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, unlinkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
await build({
  entryPoints: [join(dist, 'cli/main.js')],
  outfile: join(dist, 'rtsock.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Less source to scan at start-up; names stay readable in stack traces and profiles.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
chmodSync(join(dist, 'cli/bin.cjs'), 0o755);
// A cache from an older bundle would be rejected anyway; drop it rather than ship it.
for (const f of readdirSync(dist)) if (f.startsWith('rtsock.cjs.') && f.endsWith('.cache')) unlinkSync(join(dist, f));
// Warm-up: a route command on a throwaway state touches the codec, kernel, table and state file.
const dir = mkdtempSync(join(tmpdir(), 'rtsock-build-'));
try {
  const r = spawnSync(process.execPath, [join(dist, 'cli/bin.cjs'), 'route', '-n', 'get', '127.0.0.1'], {
    env: { ...process.env, RTSOCK_STATE: join(dir, 'kernel.json') },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`bundled CLI failed its warm-up run: ${r.stderr || r.error}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
