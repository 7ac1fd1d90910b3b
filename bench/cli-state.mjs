// Persistent-state benchmark: builds a kernel holding the full Internet table (RTM_ADD through a
// routing socket), writes it as an rtsock state file, then times the CLI's load (read + parse +
// restore) and save (snapshot + stringify + atomic write) of it, and one `route get` invocation.
// Run: npm run build && node bench/cli-state.mjs [STATE_FILE]
import { gunzipSync } from 'node:zlib';
import { readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { encodeMessage } from '../dist/index.js';
import { createKernel, SHUT_RD } from '../dist/kernel/index.js';
import { snapshotKernel, restoreKernel } from '../dist/kernel/state.js';
import { STATE_VERSION, readState, writeState } from '../dist/cli/state/file.js';

const path = process.argv[2] ?? '/tmp/rtsock-bench/kernel.json';
const LIMIT = Number(process.env.BENCH_LIMIT ?? Infinity);
const lines = gunzipSync(readFileSync(new URL('./data/prefixes.txt.gz', import.meta.url))).toString('latin1').split('\n').filter(Boolean).slice(0, LIMIT);

const mask4 = (p) => { const m = p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0; return `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}`; };
const mask6 = (p) => Array.from({ length: 8 }, (_, i) => ((0xffff0000 >>> Math.min(16, Math.max(0, p - i * 16))) & 0xffff).toString(16)).join(':');

let t = performance.now();
const k = createKernel({ dialect: 'openbsd' });
k.ifconfig.create('lo1');
k.ifconfig.up('lo1');
k.ifconfig.addAddress('lo1', '192.0.2.1/32');
k.ifconfig.addAddress('lo1', '2001:db8::1/128');
const s = k.socket();
s.shutdown(SHUT_RD);
let seq = 0, failed = 0;
for (const line of lines) {
  const [addr, len] = line.split('/');
  const v6 = addr.includes(':');
  const sa = (a) => (v6 ? { kind: 'inet6', addr: a, port: 0, flowinfo: 0, scope_id: 0 } : { kind: 'inet', addr: a, port: 0 });
  const m = encodeMessage({ type: 'RTM_ADD', flags: 0x803, seq: ++seq, sockaddrs: {
    dst: sa(addr), gateway: sa(v6 ? '2001:db8::1' : '192.0.2.1'), netmask: sa(v6 ? mask6(+len) : mask4(+len)) } }, { dialect: 'openbsd' });
  try { s.write(m); } catch { failed++; }
}
s.close();
console.log(`built ${lines.length - failed} routes (${failed} refused) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const save = () => writeState(path, JSON.stringify({ format: 'rtsock-kernel', version: STATE_VERSION, journal: { next: 1, entries: [] }, kernel: snapshotKernel(k) }));
const { mkdirSync } = await import('node:fs');
mkdirSync(path.replace(/\/[^/]*$/, ''), { recursive: true });
t = performance.now(); save(); const saveMs = performance.now() - t;
t = performance.now(); const doc = readState(path); const parseMs = performance.now() - t;
t = performance.now(); const k2 = restoreKernel(doc.kernel); const restoreMs = performance.now() - t;
const count = k2.routes(0).length;
console.log(JSON.stringify({ routes: count, bytes: statSync(path).size, saveMs: Math.round(saveMs), loadParseMs: Math.round(parseMs), restoreMs: Math.round(restoreMs) }));
t = performance.now();
execFileSync(process.execPath, [new URL('../dist/cli/bin.cjs', import.meta.url).pathname, 'route', '-n', 'get', '8.8.8.8'], { env: { ...process.env, RTSOCK_STATE: path }, stdio: 'ignore' });
console.log(`rtsock route get on that state (load, act, save): ${Math.round(performance.now() - t)} ms`);
