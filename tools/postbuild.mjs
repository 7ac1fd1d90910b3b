// Makes the CLI entry executable after tsc (npm links bins, but a fresh `node dist/cli/main.js` and
// direct execution need the mode bit and the shebang that src/cli/main.ts carries).
import { chmodSync, existsSync } from 'node:fs';
const bin = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
