// Routing-socket table benchmark: load the full Internet table as RTM_ADD messages through a
// routing socket (encode, write/validate, insert, reply, decode the reply), then measure memory,
// lookups, fan-out to filtered listeners, and the load split into its kernel and codec halves.
// Run: npm run build && node --expose-gc bench/table.mjs
import { gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { encodeMessage, decodeMessage } from '../dist/index.js';
import { createKernel, AF_ROUTE, ROUTE_MSGFILTER, ROUTE_TABLEFILTER, ROUTE_FILTER, RTABLE_ANY, SHUT_RD } from '../dist/kernel/index.js';

const DIALECT = 'openbsd';
const LOOKUPS = 1_000_000;
const FANOUT_MSGS = 100_000;

if (typeof global.gc !== 'function') {
  console.error('run with node --expose-gc for memory figures');
  process.exit(1);
}

const LIMIT = Number(process.env.BENCH_LIMIT ?? Infinity);
const lines0 = gunzipSync(readFileSync(new URL('./data/prefixes.txt.gz', import.meta.url))).toString('latin1').split('\n').filter(Boolean);
const lines = Number.isFinite(LIMIT) ? lines0.slice(0, LIMIT) : lines0;

function mask4(plen) {
  const m = plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
  return `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}`;
}
function mask6(plen) {
  const g = [];
  for (let i = 0; i < 8; i++) g.push(((0xffff0000 >>> Math.min(16, Math.max(0, plen - i * 16))) & 0xffff).toString(16));
  return g.join(':');
}

// Mask texts by prefix length, made once: synthesising input text is the harness's work, not
// the pipeline's (it took ~0.4 s of the load when rebuilt per message).
const MASK4 = Array.from({ length: 33 }, (_, plen) => mask4(plen));
const MASK6 = Array.from({ length: 129 }, (_, plen) => mask6(plen));

function boot() {
  const k = createKernel({ dialect: DIALECT });
  k.ifconfig.create('lo1');
  k.ifconfig.up('lo1');
  k.ifconfig.addAddress('lo1', '192.0.2.1/32');
  k.ifconfig.addAddress('lo1', '2001:db8::1/128');
  return k;
}

function request(line, seq) {
  const slash = line.indexOf('/');
  const addr = line.slice(0, slash);
  const plen = Number(line.slice(slash + 1));
  const v6 = addr.includes(':');
  return encodeMessage({
    type: 1, flags: 0x803, seq,
    sockaddrs: v6
      ? { dst: { kind: 'inet6', addr, port: 0, flowinfo: 0, scope_id: 0 }, gateway: { kind: 'inet6', addr: '2001:db8::1', port: 0, flowinfo: 0, scope_id: 0 }, netmask: { kind: 'inet6', addr: MASK6[plen], port: 0, flowinfo: 0, scope_id: 0 } }
      : { dst: { kind: 'inet', addr, port: 0 }, gateway: { kind: 'inet', addr: '192.0.2.1', port: 0 }, netmask: { kind: 'inet', addr: MASK4[plen], port: 0 } },
  }, { dialect: DIALECT });
}

/**
 * A full collection, then a moment for V8's background sweeper to release the backing stores
 * of dead array buffers, and another collection: without the pause the array-buffer figure
 * counted the previous run's slabs in the baseline or the result (it read -28 and +93 B/route
 * on two runs of one build).
 */
async function settle() {
  global.gc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  global.gc();
}

// The load is timed LOAD_RUNS times, each into a fresh kernel (the machine is noisy; the median
// is the figure); the last run's kernel is kept and measured for memory and lookups.
const LOAD_RUNS = 3;
const loadRuns = [];
// Time V8 spent collecting garbage (main-thread pauses: scavenges and mark-compacts) during
// each load: the share of the load no pipeline code runs. Entries are delivered some time after
// the synchronous loop, so they are kept with their start times and summed over the load's span.
const gcPauses = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push([e.startTime, e.duration]);
});
gcObserver.observe({ entryTypes: ['gc'] });
const loadGcMs = [];
let k, writer, heap0, buffers0, heap1, buffers1;
let errors = 0;
for (let run = 0; run < LOAD_RUNS; run++) {
  k = writer = null;
  await settle();
  heap0 = process.memoryUsage().heapUsed;
  buffers0 = process.memoryUsage().arrayBuffers;
  k = boot();
  writer = k.socket();
  writer.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
  errors = 0;
  const p0 = performance.now();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i++) {
    try {
      writer.write(request(lines[i], i + 1));
    } catch {
      errors++;
    }
    const reply = writer.read();
    if (reply) decodeMessage(reply, { dialect: DIALECT });
  }
  loadRuns.push(Number(process.hrtime.bigint() - t0) / 1e9);
  const p1 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 50));
  loadGcMs.push(gcPauses.reduce((sum, [at, ms]) => (at >= p0 && at < p1 ? sum + ms : sum), 0));
}
gcObserver.disconnect();
const loadS = [...loadRuns].sort((a, b) => a - b)[LOAD_RUNS >> 1];
const gcS = [...loadGcMs].sort((a, b) => a - b)[LOAD_RUNS >> 1] / 1e3;
await settle();
heap1 = process.memoryUsage().heapUsed;
// Typed-array backing stores live outside the V8 heap; reported apart (the figure is heap).
buffers1 = process.memoryUsage().arrayBuffers;
const count = k.table(0).routes.count;
console.log(`loaded ${count} routes (${errors} errors) in ${loadS.toFixed(2)} s (median of ${loadRuns.map((x) => x.toFixed(2)).join(', ')}) = ${Math.round(lines.length / loadS)} msgs/s, of which GC pauses ${gcS.toFixed(2)} s (median of ${loadGcMs.map((x) => (x / 1e3).toFixed(2)).join(', ')}); heap ${(heap1 - heap0) / count | 0} B/route + array buffers ${(buffers1 - buffers0) / count | 0} B/route`);

// Lookups through the table API the kernel uses (rt_match without the string parsing).
let t = k.table(0).routes;
const rnd = new Uint8Array(LOOKUPS * 4);
for (let i = 0; i < rnd.length; i++) rnd[i] = (Math.random() * 256) | 0;
const v4 = lines.filter((l) => !l.includes(':'));
const hits = new Uint8Array(LOOKUPS * 4);
for (let i = 0; i < LOOKUPS; i++) {
  const l = v4[(Math.random() * v4.length) | 0];
  const [a, b, c, d] = l.slice(0, l.indexOf('/')).split('.').map(Number);
  hits.set([a, b, c, d | ((Math.random() * 2) | 0)], i * 4);
}
// The key buffer is reused, as the kernel does: a subarray per lookup would cost more than it.
const key = new Uint8Array(4);
function bench(buf) {
  let found = 0;
  const s = process.hrtime.bigint();
  for (let i = 0; i < LOOKUPS; i++) {
    const o = i * 4;
    key[0] = buf[o]; key[1] = buf[o + 1]; key[2] = buf[o + 2]; key[3] = buf[o + 3];
    const rt = t.match('inet', key);
    if (rt) { rt.use++; found++; }
  }
  return { ns: Number(process.hrtime.bigint() - s) / LOOKUPS, found };
}
const median = (f) => { const r = [f(), f(), f(), f(), f()].sort((a, b) => a.ns - b.ns); return r[2]; };
bench(rnd);
const random = median(() => bench(rnd));
const hit = median(() => bench(hits));
// kernel.lookup(string): parse + longest match + Use++ (rt_match) + the RouteInfo, what a caller
// of the kernel pays. Median of five passes, as every figure here: it was one pass, which also
// timed V8's compiling the path (1.16 us then, 0.73 us as the median of five on the next run).
// Template literals build rope strings that the parse must flatten first; text read from a
// socket or file is flat, so flatten (JSON round trip).
const strs = JSON.parse(JSON.stringify(Array.from({ length: 200_000 }, (_, i) => `${hits[i * 4]}.${hits[i * 4 + 1]}.${hits[i * 4 + 2]}.${hits[i * 4 + 3]}`)));
const kernelPass = () => {
  const s3 = process.hrtime.bigint();
  for (const a of strs) k.lookup(a, 0);
  return { ns: Number(process.hrtime.bigint() - s3) / strs.length };
};
const kernelNs = median(kernelPass).ns;
console.log(`lookup random ${random.ns.toFixed(0)} ns (${random.found} found), in-table ${hit.ns.toFixed(0)} ns; kernel.lookup(string) ${kernelNs.toFixed(0)} ns`);

// Fan-out: 10 listeners each filtering for RTM_ADD (so they take every reply) and reading it.
let k2 = boot();
let w2 = k2.socket();
w2.shutdown(SHUT_RD);
const listeners = [];
for (let i = 0; i < 10; i++) {
  const s = k2.socket();
  s.setsockopt(AF_ROUTE, ROUTE_MSGFILTER, ROUTE_FILTER(1));
  listeners.push(s);
}
const fanLines = v4.slice(0, FANOUT_MSGS);
const reqs = fanLines.map((l, i) => request(l, i + 1));
const t2 = process.hrtime.bigint();
for (const r of reqs) {
  try { w2.write(r); } catch { /* duplicate prefixes */ }
  for (const s of listeners) while (s.read()) { /* drain */ }
}
const fanS = Number(process.hrtime.bigint() - t2) / 1e9;
console.log(`fan-out to 10 listeners: ${Math.round(reqs.length / fanS)} msgs/s`);

// Where the load's time goes: the same pipeline split in two, each half timed on its own.
// Kernel only: the requests encoded beforehand into one buffer, then written into a fresh kernel
// and every reply read (and copied out, for the next half). Codec only: encoding the requests
// and decoding those replies, with no kernel in the loop. The halves add up to less than the
// load: run together, each works with the other's garbage and cache footprint.
// The kernels above are dropped first: two full tables alive would make every full GC of
// the kernel-only run mark twice the routes.
k = t = writer = k2 = w2 = null;
listeners.length = 0;
const reqBytes = [];
let reqTotal = 0;
for (let i = 0; i < lines.length; i++) {
  const r = request(lines[i], i + 1).slice();
  reqBytes.push(r);
  reqTotal += r.length;
}
const reqBuf = new Uint8Array(reqTotal);
const reqAt = new Int32Array(lines.length + 1);
for (let i = 0, o = 0; i < lines.length; i++) {
  reqBuf.set(reqBytes[i], o);
  reqAt[i] = o;
  o += reqBytes[i].length;
  reqAt[i + 1] = o;
}
reqBytes.length = 0;
const repBuf = new Uint8Array(lines.length * 256);
const repAt = new Int32Array(lines.length + 1);
global.gc();
const k3 = boot();
const w3 = k3.socket();
w3.setsockopt(AF_ROUTE, ROUTE_TABLEFILTER, RTABLE_ANY);
const t3 = process.hrtime.bigint();
for (let i = 0, o = 0; i < lines.length; i++) {
  try { w3.write(reqBuf.subarray(reqAt[i], reqAt[i + 1])); } catch { /* counted in the load above */ }
  const reply = w3.read();
  repAt[i] = o;
  if (reply) {
    repBuf.set(reply, o);
    o += reply.length;
  }
  repAt[i + 1] = o;
}
const kernelOnlyS = Number(process.hrtime.bigint() - t3) / 1e9;
global.gc();
const t4 = process.hrtime.bigint();
for (let i = 0; i < lines.length; i++) {
  request(lines[i], i + 1);
  if (repAt[i + 1] > repAt[i]) decodeMessage(repBuf.subarray(repAt[i], repAt[i + 1]), { dialect: DIALECT });
}
const codecOnlyS = Number(process.hrtime.bigint() - t4) / 1e9;
console.log(`split: kernel only (write + read of encoded requests) ${kernelOnlyS.toFixed(2)} s, codec only (encode requests + decode replies) ${codecOnlyS.toFixed(2)} s`);

const result = {
  date: new Date().toISOString(),
  node: process.version,
  dialect: DIALECT,
  routes: count,
  load_s: Number(loadS.toFixed(3)),
  load_runs_s: loadRuns.map((x) => Number(x.toFixed(3))),
  load_msgs_per_s: Math.round(lines.length / loadS),
  load_gc_s: Number(gcS.toFixed(3)),
  heap_bytes_per_route: Math.round((heap1 - heap0) / count),
  array_buffer_bytes_per_route: Math.round((buffers1 - buffers0) / count),
  lookup_v4_random_ns: Number(random.ns.toFixed(1)),
  lookup_v4_hit_ns: Number(hit.ns.toFixed(1)),
  kernel_lookup_string_ns: Number(kernelNs.toFixed(1)),
  fanout10_msgs_per_s: Math.round(reqs.length / fanS),
  load_split: { kernel_only_s: Number(kernelOnlyS.toFixed(3)), codec_only_s: Number(codecOnlyS.toFixed(3)) },
};
// A BENCH_LIMIT run is a quick look, not the figure: it must not replace the full table's results.
if (Number.isFinite(LIMIT)) {
  console.log(`BENCH_LIMIT=${LIMIT}: ${count} routes; bench/results/table.json left as it was`);
} else {
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/table.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
}
