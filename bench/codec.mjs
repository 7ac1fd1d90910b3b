// npm run bench:codec — decode and encode throughput on a dump of 1,000,000 RTM_GET
// messages for /24 routes (DST, GATEWAY, NETMASK), for both dialects, on one core.
// Medians over several tinybench iterations; writes bench/results/codec.json.
// - decode (stream): forEachMessage over the dump, each message fully decoded, then dropped,
//   as a streaming consumer would (decode_per_s); decode (array): decodeMessages keeping all
//   1M decoded messages alive.
// - encode (into dump): encodeMessageInto writing the whole dump (encode_per_s); encode (new
//   buffers): encodeMessage, a new Uint8Array per message (encode_new_buffers_per_s).
// Every task runs in a process of its own: a task's figure moved 15-25% with the heap the
// tasks before it left (a full collection shrinks the young generation, 1M messages kept alive
// by one task slow the next one's collections...), so no task is timed on another's heap.
// Decode tasks drop the encode inputs before timing.
import { Bench } from 'tinybench';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeFileSync, mkdirSync } from 'node:fs';
import { encodeMessage, encodeMessageInto, forEachMessage, decodeMessages } from '../dist/index.js';

const N = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const ITER = Number(process.env.BENCH_ITERATIONS ?? 7);
const DIALECTS = ['openbsd-4.9', 'openbsd'];
const TASKS = ['encode (into dump)', 'encode (new buffers)', 'decode (stream)', 'decode (array)'];

function routeMessages(dialect) {
  // Kernel-shaped RTM_GET replies: 4.9 carries radix-trimmed masks, current full masks.
  const mask = dialect === 'openbsd-4.9'
    ? { kind: 'inet', len: 7, family: 255, port: 65535, addr: '255.255.255.0' }
    : { kind: 'inet', addr: '255.255.255.0', port: 0 };
  const msgs = new Array(N);
  for (let i = 0; i < N; i++) {
    msgs[i] = {
      type: 'RTM_GET', flags: 0x843, seq: i, pid: 4242, index: 1 + (i % 4), priority: 8,
      rmx: { pksent: BigInt(i % 1000), mtu: 1500 },
      sockaddrs: {
        dst: { kind: 'inet', addr: `${1 + (i >>> 16) % 223}.${(i >>> 8) & 255}.${i & 255}.0`, port: 0 },
        gateway: { kind: 'inet', addr: `192.0.2.${1 + (i % 4)}`, port: 0 },
        netmask: mask,
      },
    };
  }
  return msgs;
}

/** Child: times one task of one dialect, prints { ms, size } (median ms per N messages). */
async function runTask(dialect, task) {
  const opts = { dialect };
  let msgs = routeMessages(dialect);
  const size = encodeMessage(msgs[0], opts).length;
  const dump = new Uint8Array(size * N);
  let sink = 0;
  let fn;
  if (task === 'encode (into dump)') {
    fn = () => {
      let o = 0;
      for (let i = 0; i < N; i++) o += encodeMessageInto(msgs[i], dump, o, opts);
    };
  } else if (task === 'encode (new buffers)') {
    fn = () => { for (let i = 0; i < N; i++) sink += encodeMessage(msgs[i], opts).length; };
  } else {
    let o = 0;
    for (let i = 0; i < N; i++) o += encodeMessageInto(msgs[i], dump, o, opts);
    msgs = null;
    globalThis.gc?.();
    fn = task === 'decode (stream)'
      ? () => { forEachMessage(dump, (m) => { sink += m.msglen; }); }
      : () => { sink += decodeMessages(dump).messages.length; };
  }
  const bench = new Bench({ iterations: ITER, time: 0, warmupIterations: 1, warmupTime: 0 });
  bench.add(task, fn);
  await bench.run();
  if (sink === -1) console.error(sink);
  process.stdout.write(JSON.stringify({ ms: bench.tasks[0].result.latency.p50, size }) + '\n');
}

const at = process.argv.indexOf('--task');
if (at > 0) {
  await runTask(process.argv[at + 1], process.argv[at + 2]);
} else {
  const self = fileURLToPath(import.meta.url);
  const results = {};
  const rows = [];
  for (const dialect of DIALECTS) {
    const perS = {};
    let size = 0;
    for (const task of TASKS) {
      const out = execFileSync(process.execPath, ['--expose-gc', self, '--task', dialect, task], { encoding: 'utf8' });
      const { ms, size: bytes } = JSON.parse(out.trim().split('\n').pop());
      size = bytes;
      const mps = N / (ms / 1000);
      perS[task] = mps;
      rows.push({ task: `${dialect} ${task}`, 'median ms': ms.toFixed(0), 'msgs/s': Math.round(mps).toLocaleString('en'), 'MB/s': ((size * N) / (ms / 1000) / 1e6).toFixed(0) });
    }
    results[dialect] = {
      message_bytes: size,
      decode_per_s: Math.round(perS['decode (stream)']),
      decode_array_per_s: Math.round(perS['decode (array)']),
      encode_per_s: Math.round(perS['encode (into dump)']),
      encode_new_buffers_per_s: Math.round(perS['encode (new buffers)']),
    };
  }
  console.table(rows);
  const out = { messages: N, iterations: ITER, node: process.version, ...results };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/codec.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
  console.log(JSON.stringify(out, null, 2));
}
