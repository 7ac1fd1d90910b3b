// Fast-path LPM benchmark on the full table: build, memory, lookups (ints, bytes, strings, batch),
// update rate. Run: npm run build && node --expose-gc bench/lookup.mjs
// On Linux it then runs itself again with the tables on transparent huge pages (see hugePages
// below) and records that run's figures as `huge_pages`; the top-level figures stay the default.
import { gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rtable } from '../dist/table/index.js';
import { FastRtable } from '../dist/table/fastpath/index.js';
import { addressesInPrefixes, cpuMs, median, memory, randomReadNs, rng } from './lib.mjs';

const RUNS = 7;
const LOOKUPS = 1_000_000;
const UPDATES = 200_000;
const opts = { mpath: false, sameGateway: () => true };

if (typeof global.gc !== 'function') {
  console.error('run with node --expose-gc for memory figures');
  process.exit(1);
}

/**
 * Parses "a.b.c.d/len" and "x:y::z/len" lines into flat byte buffers (no per-prefix objects, no
 * substrings: one pass per line). Reads the file's bytes directly: indexing a Buffer costs about
 * half of charCodeAt on a decoded string, and the decode itself is skipped.
 */
function parse(text) {
  const v4 = new Uint8Array(1 << 22);
  const v4len = new Uint8Array(1 << 20);
  const v6 = new Uint8Array(1 << 22);
  const v6len = new Uint8Array(1 << 18);
  let n4 = 0;
  let n6 = 0;
  let at = 0;
  const end = text.length;
  while (at < end) {
    // IPv4 first (most lines): digits and dots up to the '/'. Anything else (a ':' or a hex
    // letter) means IPv6, parsed again from the line's start; no separate family scan.
    let i = at;
    let octet = 0;
    let o = n4 * 4;
    let v6line = false;
    for (;; i++) {
      const c = text[i];
      if (c === 46) {
        v4[o++] = octet;
        octet = 0;
      } else if (c === 47) break;
      else if (c >= 48 && c <= 57) octet = octet * 10 + (c - 48);
      else {
        v6line = true;
        break;
      }
    }
    if (!v6line) {
      v4[o] = octet;
      let plen = 0;
      for (i++; i < end; i++) {
        const d = text[i] - 48;
        if (d < 0 || d > 9) break; // '\r' or '\n'
        plen = plen * 10 + d;
      }
      v4len[n4++] = plen;
    } else {
      i = parseV6Text(text, at, v6, n6 * 16);
      let plen = 0;
      for (i++; i < end; i++) {
        const d = text[i] - 48;
        if (d < 0 || d > 9) break; // '\r' or '\n'
        plen = plen * 10 + d;
      }
      v6len[n6++] = plen;
    }
    while (i < end && text[i] !== 10) i++;
    at = i + 1;
    while (at < end && (text[at] === 10 || text[at] === 13)) at++;
  }
  return { v4: v4.subarray(0, n4 * 4), v4len: v4len.subarray(0, n4), n4, v6: v6.subarray(0, n6 * 16), v6len: v6len.subarray(0, n6), n6 };
}

/** IPv6 text (bytes) from `text[i]` up to '/' into out[base..base+16); returns the index of the '/'. */
function parseV6Text(text, i, out, base) {
  let groups = 0;
  let gap = -1;
  let v = 0;
  let digits = 0;
  for (;; i++) {
    const c = text[i];
    if (c === 58 || c === 47) {
      if (digits > 0) {
        out[base + 2 * groups] = v >> 8;
        out[base + 2 * groups + 1] = v & 0xff;
        groups++;
      } else if (c === 58 && gap < 0 && (text[i + 1] === 58 || text[i - 1] === 58)) {
        gap = groups;
      }
      v = 0;
      digits = 0;
      if (c === 47) break;
    } else {
      v = (v << 4) | (c <= 57 ? c - 48 : (c | 32) - 87);
      digits++;
    }
  }
  if (gap >= 0) {
    const tail = (groups - gap) * 2;
    out.copyWithin(base + 16 - tail, base + gap * 2, base + groups * 2);
    out.fill(0, base + gap * 2, base + 16 - tail);
  }
  return i;
}





function toU32(flat) {
  const out = new Uint32Array(flat.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = ((flat[4 * i] << 24) | (flat[4 * i + 1] << 16) | (flat[4 * i + 2] << 8) | flat[4 * i + 3]) >>> 0;
  return out;
}

function v4Text(a) {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

function v6Text(flat, off) {
  const g = [];
  for (let i = 0; i < 16; i += 2) g.push(((flat[off + i] << 8) | flat[off + i + 1]).toString(16));
  return g.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}


/** Median over RUNS of CPU ns per element of `fn()`, which processes `n` elements. */
function time(n, fn) {
  const samples = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = cpuMs();
    fn();
    samples.push(((cpuMs() - t0) * 1e6) / n);
  }
  return median(samples);
}

let sink = 0;
function scalarV4(t, addrs) {
  return time(addrs.length, () => {
    let s = 0;
    for (let i = 0; i < addrs.length; i++) s += t.matchV4(addrs[i]);
    sink += s;
  });
}
function scalarV4Routes(t, addrs) {
  return time(addrs.length, () => {
    let s = 0;
    for (let i = 0; i < addrs.length; i++) if (t.lookupV4(addrs[i]) !== undefined) s++;
    sink += s;
  });
}
function batchV4(t, addrs, out) {
  return time(addrs.length, () => t.lookupBatchV4(addrs, out));
}
function scalarV6(t, flat) {
  const n = flat.length >>> 4;
  return time(n, () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += t.matchV6(flat, i << 4);
    sink += s;
  });
}
function scalarV6Routes(t, flat) {
  const n = flat.length >>> 4;
  return time(n, () => {
    let s = 0;
    for (let i = 0; i < n; i++) if (t.lookupV6(flat, i << 4) !== undefined) s++;
    sink += s;
  });
}
function batchV6(t, flat, out) {
  return time(flat.length >>> 4, () => t.lookupBatchV6(flat, out));
}
function strings(t, list) {
  return time(list.length, () => {
    let s = 0;
    for (let i = 0; i < list.length; i++) if (t.lookup(list[i]) !== undefined) s++;
    sink += s;
  });
}

// ---- build -------------------------------------------------------------------------------
// "Build from text" is the whole pipeline a user waits for: parse the text, make one route
// object per prefix, bulk-load the table. Timed in wall-clock ms (what the user waits; process
// CPU time also counts V8's helper threads, reported alongside), over BUILDS fresh builds; the
// first one's table is kept for everything below (and measured for memory).
const BUILDS = 3;
const gz = readFileSync(new URL('./data/prefixes.txt.gz', import.meta.url));
let t0 = cpuMs();
const text = gunzipSync(gz); // the text's bytes (ASCII)
const gunzipMs = (cpuMs() - t0);

const wallMs = () => Number(process.hrtime.bigint()) / 1e6;
function routesFor(n) {
  const routes = new Array(n);
  for (let i = 0; i < n; i++) routes[i] = { priority: 8, gw: i };
  return routes;
}
/** One build from text: returns the table, its inputs and the phase timings. */
function buildFromText() {
  const w0 = wallMs();
  const c0 = cpuMs();
  const data = parse(text);
  const w1 = wallMs();
  const routes4 = routesFor(data.n4);
  const routes6 = routesFor(data.n6);
  const w2 = wallMs();
  const table = new FastRtable();
  const refused = table.bulkLoad('inet', data.v4, data.v4len, routes4, opts) + table.bulkLoad('inet6', data.v6, data.v6len, routes6, opts);
  const w3 = wallMs();
  const ms = { parse: w1 - w0, routes: w2 - w1, load: w3 - w2, total: w3 - w0, cpu: cpuMs() - c0 };
  return { data, routes4, routes6, table, refused, ms };
}

const before = memory();
const first = buildFromText();
const after = memory();
const { data, routes4, routes6, table, refused } = first;
const builds = [first.ms];
for (let b = 1; b < BUILDS; b++) {
  global.gc();
  builds.push(buildFromText().ms);
}
const buildMed = (k) => median(builds.map((m) => m[k]));
const buildMs = buildMed('total');
const parseMs = buildMed('parse');
const loadMs = buildMed('load');
const prefixes = data.n4 + data.n6 - refused;
const stats = table.fastPathStats();
console.log(`parsed ${data.n4} IPv4 + ${data.n6} IPv6 prefixes (${refused} duplicates); builds from text (wall ms): ${builds.map((m) => m.total.toFixed(0)).join(', ')}`);

// Rtable alone (same routes) for the memory split.
const plainBefore = memory();
const plain = new Rtable();
t0 = cpuMs();
for (const [af, flat, plens, rs, w] of [['inet', data.v4, data.v4len, routes4, 4], ['inet6', data.v6, data.v6len, routes6, 16]]) {
  const key = new Uint8Array(w);
  for (let i = 0; i < rs.length; i++) {
    for (let b = 0; b < w; b++) key[b] = flat[i * w + b];
    plain.insert(af, key, plens[i], rs[i], opts);
  }
}
const plainLoadMs = (cpuMs() - t0);
const plainBytes = memory() - plainBefore;

// ---- lookups -----------------------------------------------------------------------------
const next = rng(0x5eed);
const randV4 = new Uint32Array(LOOKUPS);
for (let i = 0; i < LOOKUPS; i++) randV4[i] = next();
const hitV4 = toU32(addressesInPrefixes(4, LOOKUPS, next, data.v4, data.v4len, data.n4));
const randV6 = new Uint8Array(16 * LOOKUPS);
for (let i = 0; i < randV6.length; i++) randV6[i] = next() & 0xff;
const hitV6 = addressesInPrefixes(16, LOOKUPS, next, data.v6, data.v6len, data.n6);

// Exactness spot check against the ART-backed Rtable.match on a sample.
const key4 = new Uint8Array(4);
for (let i = 0; i < 20000; i++) {
  const a = hitV4[i];
  key4[0] = a >>> 24; key4[1] = a >>> 16; key4[2] = a >>> 8; key4[3] = a;
  if (table.lookupV4(a) !== Rtable.prototype.match.call(table, 'inet', key4)) throw new Error(`mismatch at ${v4Text(a)}`);
  const row = hitV6.subarray(i * 16, i * 16 + 16);
  if (table.lookupV6(row) !== Rtable.prototype.match.call(table, 'inet6', row)) throw new Error('v6 mismatch');
}

const out = new Int32Array(LOOKUPS);
const lookup = {
  v4: {
    randomBatch: batchV4(table, randV4, out),
    hitBatch: batchV4(table, hitV4, out),
    randomScalarId: scalarV4(table, randV4),
    hitScalarId: scalarV4(table, hitV4),
    randomScalarRoute: scalarV4Routes(table, randV4),
    hitScalarRoute: scalarV4Routes(table, hitV4),
  },
  v6: {
    randomBatch: batchV6(table, randV6, out),
    hitBatch: batchV6(table, hitV6, out),
    randomScalarId: scalarV6(table, randV6),
    hitScalarId: scalarV6(table, hitV6),
    randomScalarRoute: scalarV6Routes(table, randV6),
    hitScalarRoute: scalarV6Routes(table, hitV6),
  },
};
// Same-run baseline: the ART-backed Rtable.match on the same addresses (noise hits both alike).
function artV4(addrs) {
  const k = new Uint8Array(4);
  return time(addrs.length, () => {
    let s = 0;
    for (let i = 0; i < addrs.length; i++) {
      const a = addrs[i];
      k[0] = a >>> 24; k[1] = a >>> 16; k[2] = a >>> 8; k[3] = a;
      if (plain.match('inet', k) !== undefined) s++;
    }
    sink += s;
  });
}
function artV6(flat) {
  const k = new Uint8Array(16);
  const n = flat.length >>> 4;
  return time(n, () => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      for (let b = 0; b < 16; b++) k[b] = flat[i * 16 + b];
      if (plain.match('inet6', k) !== undefined) s++;
    }
    sink += s;
  });
}
const art = { v4Random: artV4(randV4), v4Hit: artV4(hitV4), v6Random: artV6(randV6), v6Hit: artV6(hitV6) };

const STRINGS = 300_000;
// Template literals build rope strings that charCodeAt must flatten first; text read from a
// socket or file is flat, so flatten here (JSON round trip) to time the lookup, not V8's ropes.
const flat = (list) => JSON.parse(JSON.stringify(list));
const strV4 = flat(Array.from(hitV4.subarray(0, STRINGS), v4Text));
const strV6 = flat(Array.from({ length: STRINGS }, (_, i) => v6Text(hitV6, i * 16)));
const strV4Rand = flat(Array.from(randV4.subarray(0, STRINGS), v4Text));
const str = { v4Hit: strings(table, strV4), v6Hit: strings(table, strV6), v4Random: strings(table, strV4Rand) };
// Floor for the string figures: only reading every character of the same lists (charCodeAt, as
// any parser of JS strings must), no parsing and no lookup. A string lookup costs this plus the
// address parse plus the scalar-route lookup above.
function charPass(list) {
  return time(list.length, () => {
    let s = 0;
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      for (let j = 0; j < t.length; j++) s += t.charCodeAt(j);
    }
    sink += s;
  });
}
const charsOnly = { v4Hit: charPass(strV4), v6Hit: charPass(strV6) };
// The batch form (lookupStrings: a list in, routes out) on the same lists; reported separately.
const routesOut = new Array(STRINGS);
const stringsBatch = (list) => time(list.length, () => table.lookupStrings(list, routesOut));
const strBatch = { v4Hit: stringsBatch(strV4), v6Hit: stringsBatch(strV6), v4Random: stringsBatch(strV4Rand) };
for (let i = 0; i < STRINGS; i += 97) if (routesOut[i] !== table.lookup(strV4Rand[i])) throw new Error('lookupStrings mismatch');

// ---- updates: withdraw + re-announce with a new next hop, and interface down/up (reprio) ----
/** Median updates/s of the mix on the prefixes `picks` names, of one family (3 runs). */
function updateRate(af, width, flat, plens, routes, picks) {
  const k = new Uint8Array(width);
  const samples = [];
  for (let r = 0; r < 3; r++) {
    let ops = 0;
    const t1 = cpuMs();
    for (let i = 0; i < UPDATES; i++) {
      const p = picks[i];
      for (let b = 0; b < width; b++) k[b] = flat[p * width + b];
      const plen = plens[p];
      const old = routes[p];
      if (!table.delete(af, k, plen, old)) continue; // duplicate line in the data
      const fresh = { priority: 8, gw: old.gw + 1 };
      table.insert(af, k, plen, fresh, opts);
      routes[p] = fresh;
      table.reprio(af, k, plen, fresh, 8 | 0x80);
      table.reprio(af, k, plen, fresh, 8);
      ops += 4;
    }
    samples.push(ops / ((cpuMs() - t1) / 1e3));
  }
  return median(samples);
}
const picks = new Int32Array(UPDATES);
for (let i = 0; i < UPDATES; i++) picks[i] = next() % data.n4;
const key = new Uint8Array(4);
const updatePerS = updateRate('inet', 4, data.v4, data.v4len, routes4, picks);
// The same mix on IPv6 prefixes (packed deep levels re-encode the words an update touches).
const picks6 = new Int32Array(UPDATES);
for (let i = 0; i < UPDATES; i++) picks6[i] = next() % data.n6;
const updateV6PerS = updateRate('inet6', 16, data.v6, data.v6len, routes6, picks6);
// Plain Rtable doing the same updates, for context.
const plainUpd = (() => {
  let ops = 0;
  const t1 = cpuMs();
  for (let i = 0; i < UPDATES; i++) {
    const p = picks[i];
    for (let b = 0; b < 4; b++) key[b] = data.v4[p * 4 + b];
    const plen = data.v4len[p];
    const old = plain.routesAt('inet', key, plen)[0];
    if (old === undefined || !plain.delete('inet', key, plen, old)) continue;
    const fresh = { priority: 8, gw: old.gw + 1 };
    plain.insert('inet', key, plen, fresh, opts);
    plain.reprio('inet', key, plen, fresh, 8 | 0x80);
    plain.reprio('inet', key, plen, fresh, 8);
    ops += 4;
  }
  return ops / ((cpuMs() - t1) / 1e3);
})();
for (let i = 0; i < 20000; i++) {
  const a = randV4[i];
  key4[0] = a >>> 24; key4[1] = a >>> 16; key4[2] = a >>> 8; key4[3] = a;
  if (table.lookupV4(a) !== Rtable.prototype.match.call(table, 'inet', key4)) throw new Error(`mismatch after churn at ${v4Text(a)}`);
}

const readNs = randomReadNs(next);

const totalBytes = after - before;
const results = {
  date: new Date().toISOString(),
  node: process.version,
  v4_random_ns: lookup.v4.randomBatch,
  v4_hit_ns: lookup.v4.hitBatch,
  v6_random_ns: lookup.v6.randomBatch,
  v6_hit_ns: lookup.v6.hitBatch,
  v4_string_ns: str.v4Hit,
  v6_string_ns: str.v6Hit,
  v4_string_batch_ns: strBatch.v4Hit,
  v6_string_batch_ns: strBatch.v6Hit,
  build_ms: Math.round(buildMs),
  update_per_s: Math.round(updatePerS),
  update_v6_per_s: Math.round(updateV6PerS),
  heap_bytes_per_prefix: Math.round(totalBytes / prefixes),
  detail: {
    prefixes,
    runs: RUNS,
    lookupNs: lookup,
    stringNs: str,
    stringBatchNs: strBatch,
    stringCharsOnlyNs: charsOnly,
    artRtableMatchNs: art,
    buildMs: {
      clock: 'wall, median of builds; cpuMs is process CPU time (all threads)',
      builds: builds.map((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k === 'cpu' ? 'cpuMs' : k, Math.round(v)]))),
      gunzip: Math.round(gunzipMs),
      parse: Math.round(parseMs),
      load: Math.round(loadMs),
      plainRtableLoad: Math.round(plainLoadMs),
    },
    randomReadNs: readNs,
    updates: { fast: Math.round(updatePerS), fastV6: Math.round(updateV6PerS), plainRtable: Math.round(plainUpd), mix: 'delete + insert (new next hop) + reprio down + reprio up' },
    bytesPerPrefix: {
      total: Math.round(totalBytes / prefixes),
      fastPath: Math.round(stats.bytes / prefixes),
      plainRtableWithoutRouteObjects: Math.round(plainBytes / prefixes),
    },
    fastPath: stats,
  },
};
if (sink === -1) console.log(sink);

const f = (x) => x.toFixed(1).padStart(8);
console.log(`                     batch  scalar-id scalar-route (ns/lookup, median of ${RUNS})`);
console.log(`v4 random        ${f(lookup.v4.randomBatch)} ${f(lookup.v4.randomScalarId)} ${f(lookup.v4.randomScalarRoute)}`);
console.log(`v4 in-prefix     ${f(lookup.v4.hitBatch)} ${f(lookup.v4.hitScalarId)} ${f(lookup.v4.hitScalarRoute)}`);
console.log(`v6 random        ${f(lookup.v6.randomBatch)} ${f(lookup.v6.randomScalarId)} ${f(lookup.v6.randomScalarRoute)}`);
console.log(`v6 in-prefix     ${f(lookup.v6.hitBatch)} ${f(lookup.v6.hitScalarId)} ${f(lookup.v6.hitScalarRoute)}`);
console.log(`same run, ART Rtable.match: v4 random ${art.v4Random.toFixed(1)}, v4 in-prefix ${art.v4Hit.toFixed(1)}, v6 random ${art.v6Random.toFixed(1)}, v6 in-prefix ${art.v6Hit.toFixed(1)} ns`);
console.log(`strings: v4 hit ${str.v4Hit.toFixed(1)} ns, v4 random ${str.v4Random.toFixed(1)} ns, v6 hit ${str.v6Hit.toFixed(1)} ns`);
console.log(`string batch (lookupStrings): v4 hit ${strBatch.v4Hit.toFixed(1)} ns, v4 random ${strBatch.v4Random.toFixed(1)} ns, v6 hit ${strBatch.v6Hit.toFixed(1)} ns`);
console.log(`floor: reading the characters alone (charCodeAt, no parse, no lookup): v4 ${charsOnly.v4Hit.toFixed(1)} ns, v6 ${charsOnly.v6Hit.toFixed(1)} ns per string`);
console.log(`build from text: ${buildMs.toFixed(0)} ms wall (median of ${BUILDS}: parse ${parseMs.toFixed(0)} + route objects + load ${loadMs.toFixed(0)}; CPU all threads ${buildMed('cpu').toFixed(0)} ms; gunzip ${gunzipMs.toFixed(0)} ms not counted; plain Rtable inserts alone: ${plainLoadMs.toFixed(0)} ms)`);
console.log(`context: one dependent random read in 64 MB costs ${readNs.toFixed(1)} ns now`);
console.log(`updates: ${Math.round(updatePerS)}/s IPv4, ${Math.round(updateV6PerS)}/s IPv6 (plain Rtable, IPv4: ${Math.round(plainUpd)}/s)`);
console.log(`heap: ${results.heap_bytes_per_prefix} B/prefix total (fast path ${results.detail.bytesPerPrefix.fastPath}, plain Rtable w/o route objects ${results.detail.bytesPerPrefix.plainRtableWithoutRouteObjects})`);
console.log(`chunks v4 ${stats.chunks.inet.join(',')}  v6 ${stats.chunks.inet6.join(',')}`);

// The huge-page child reports to its parent and writes nothing.
if (process.argv.includes('--report')) {
  results.anon_huge_pages_mb = anonHugePagesMb();
  process.stdout.write(`\n@@${JSON.stringify(results)}\n`);
  process.exit(0);
}
const huge = hugePages();
if (huge) {
  results.huge_pages = huge;
  console.log(`with transparent huge pages (${huge.how}; ${huge.anon_huge_pages_mb} MB on huge pages): v4 random ${huge.v4_random_ns.toFixed(1)}, v4 in-prefix ${huge.v4_hit_ns.toFixed(1)}, v6 random ${huge.v6_random_ns.toFixed(1)}, v6 in-prefix ${huge.v6_hit_ns.toFixed(1)} ns (batch); strings v4 ${huge.v4_string_ns.toFixed(1)}, v6 ${huge.v6_string_ns.toFixed(1)} ns`);
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/lookup.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');

/** MB of this process's anonymous memory on transparent huge pages (Linux), or null. */
function anonHugePagesMb() {
  try {
    const m = /AnonHugePages:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * The same benchmark with the fast path's typed arrays on 2 MB pages. Lookups on the full table
 * are bound by TLB and cache misses (the IPv4 level-1 pool alone is ~26 MB, ~6,500 4 KB pages),
 * and huge pages take the page walk out of most of them, as DPDK's LPM tables get from
 * hugetlbfs. Node cannot ask for them per array; glibc (2.35+) can be told to madvise every
 * large allocation, which is what a deployment sets: GLIBC_TUNABLES=glibc.malloc.hugetlb=1
 * with THP in "madvise" (or "always") mode. Null where that is unavailable.
 */
function hugePages() {
  if (process.platform !== 'linux' || process.env.BENCH_HUGE_PAGES === '0') return null;
  let mode;
  try {
    mode = /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1];
  } catch {
    return null;
  }
  if (mode !== 'madvise' && mode !== 'always') return null;
  const tunables = [process.env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1'].filter(Boolean).join(':');
  let out;
  try {
    out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--report'], {
      env: { ...process.env, GLIBC_TUNABLES: tunables },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    });
  } catch (e) {
    console.error(`huge-page run failed: ${e.message}`);
    return null;
  }
  const at = out.lastIndexOf('\n@@');
  if (at < 0) {
    console.error('huge-page run printed no report');
    return null;
  }
  const child = JSON.parse(out.slice(at + 3));
  // No huge pages in the child (old glibc ignores the tunable): its figures would be the default's.
  if (!child.anon_huge_pages_mb) return null;
  const keys = ['v4_random_ns', 'v4_hit_ns', 'v6_random_ns', 'v6_hit_ns', 'v4_string_ns', 'v6_string_ns', 'v4_string_batch_ns', 'v6_string_batch_ns', 'build_ms', 'update_per_s', 'update_v6_per_s'];
  return {
    how: `GLIBC_TUNABLES=${tunables}, THP ${mode}`,
    anon_huge_pages_mb: child.anon_huge_pages_mb,
    ...Object.fromEntries(keys.map((k) => [k, child[k]])),
    lookupNs: child.detail.lookupNs,
  };
}
