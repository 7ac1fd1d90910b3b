// npm run bench:codec — decode and encode throughput on a dump of 1,000,000 RTM_GET
// messages for /24 routes (DST, GATEWAY, NETMASK), for both dialects, on one core.
// Medians over several tinybench iterations; writes bench/results/codec.json.
// Decoding walks the dump with forEachMessage (each message fully decoded, then dropped,
// as a streaming consumer would); `decode (array)` also keeps all 1M decoded messages alive.
// Decoding is timed after the encode inputs are released (see below).
// Encoding: encodeMessageInto (the dump: encode_per_s) and encodeMessage (a new Uint8Array per
// message: encode_new_buffers_per_s).
import { Bench } from 'tinybench';
import { writeFileSync, mkdirSync } from 'node:fs';
import { encodeMessage, encodeMessageInto, forEachMessage, decodeMessages } from '../dist/index.js';

const N = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const ITER = Number(process.env.BENCH_ITERATIONS ?? 7);

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

/**
 * One task in a Bench of its own, from a collected heap: tinybench warms up every task of a
 * Bench before measuring any, so a task sharing a Bench was timed on the heap the others'
 * warm-ups left (decode (array) keeps 1M messages alive: the stream decode then measured
 * about 20% slower than on its own).
 */
async function measure(name, fn) {
  globalThis.gc?.();
  const bench = new Bench({ iterations: ITER, time: 0, warmupIterations: 1, warmupTime: 0 });
  bench.add(name, fn);
  await bench.run();
  return bench.tasks[0];
}

const results = {};
const rows = [];
for (const dialect of ['openbsd-4.9', 'openbsd']) {
  let msgs = routeMessages(dialect);
  const size = encodeMessage(msgs[0], { dialect }).length;
  const dump = new Uint8Array(size * N);
  const opts = { dialect };
  let sink = 0;
  // Encoding first, while its 1M input values are alive; decoding afterwards, once they are
  // released: a streaming decoder should not be timed against a heap full of another test's
  // fixture (every young-generation collection scans it).
  const tasks = [];
  tasks.push(await measure(`${dialect} encode (into dump)`, () => {
    let o = 0;
    for (let i = 0; i < N; i++) o += encodeMessageInto(msgs[i], dump, o, opts);
  }));
  tasks.push(await measure(`${dialect} encode (new buffers)`, () => { for (let i = 0; i < N; i++) sink += encodeMessage(msgs[i], opts).length; }));
  // The dump the decoders read: every message encoded once more, then the inputs dropped.
  let o = 0;
  for (let i = 0; i < N; i++) o += encodeMessageInto(msgs[i], dump, o, opts);
  msgs = null;
  tasks.push(await measure(`${dialect} decode (stream)`, () => { forEachMessage(dump, (m) => { sink += m.msglen; }); }));
  tasks.push(await measure(`${dialect} decode (array)`, () => { sink += decodeMessages(dump).messages.length; }));
  const perS = {};
  for (const t of tasks) {
    const ms = t.result.latency.p50;
    const mps = N / (ms / 1000);
    perS[t.name.replace(`${dialect} `, '')] = mps;
    rows.push({ task: t.name, 'median ms': ms.toFixed(0), 'msgs/s': Math.round(mps).toLocaleString('en'), 'MB/s': ((size * N) / (ms / 1000) / 1e6).toFixed(0) });
  }
  results[dialect] = {
    message_bytes: size,
    decode_per_s: Math.round(perS['decode (stream)']),
    decode_array_per_s: Math.round(perS['decode (array)']),
    // Encoding the dump: every message written into one buffer (encodeMessageInto).
    encode_per_s: Math.round(perS['encode (into dump)']),
    // encodeMessage: a new Uint8Array (a view of a shared slab) per message.
    encode_new_buffers_per_s: Math.round(perS['encode (new buffers)']),
  };
  if (sink === -1) console.log(sink);
}
console.table(rows);
const out = { messages: N, iterations: ITER, node: process.version, ...results };
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/codec.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify(out, null, 2));
