// ART table benchmark: load the full Internet table, report memory per prefix and LPM ns/op.
// Run: npm run build && node --expose-gc bench/art.mjs
import { gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { ArtTable, INET_STRIDES, INET6_STRIDES } from '../dist/table/index.js';
import { addressesInPrefixes, median, memory, randomReadNs, rng, uniformAddresses } from './lib.mjs';

const RUNS = 5;
const LOOKUPS = 1_000_000;
const dataUrl = new URL('./data/prefixes.txt.gz', import.meta.url);

if (typeof global.gc !== 'function') {
  console.error('run with node --expose-gc for memory figures');
  process.exit(1);
}

/** Parses "a.b.c.d/len" and "x:y::z/len" lines into flat byte buffers (no per-prefix objects). */
function parse(text) {
  const lines = text.split('\n');
  const v4 = new Uint8Array(lines.length * 4);
  const v4len = new Uint8Array(lines.length);
  const v6 = new Uint8Array(lines.length * 16);
  const v6len = new Uint8Array(lines.length);
  let n4 = 0;
  let n6 = 0;
  for (const line of lines) {
    if (line.length === 0) continue;
    const slash = line.indexOf('/');
    const plen = Number(line.slice(slash + 1));
    if (line.indexOf(':') < 0) {
      let octet = 0;
      let at = n4 * 4;
      for (let i = 0; i < slash; i++) {
        const c = line.charCodeAt(i);
        if (c === 46) {
          v4[at++] = octet;
          octet = 0;
        } else octet = octet * 10 + (c - 48);
      }
      v4[at] = octet;
      v4len[n4++] = plen;
    } else {
      const addr = line.slice(0, slash);
      const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, ''];
      const h = head ? head.split(':') : [];
      const t = tail ? tail.split(':') : [];
      const groups = [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
      const base = n6 * 16;
      for (let g = 0; g < 8; g++) {
        const v = parseInt(groups[g], 16);
        v6[base + 2 * g] = v >> 8;
        v6[base + 2 * g + 1] = v & 0xff;
      }
      v6len[n6++] = plen;
    }
  }
  return { v4: v4.subarray(0, n4 * 4), v4len: v4len.subarray(0, n4), n4, v6: v6.subarray(0, n6 * 16), v6len: v6len.subarray(0, n6), n6 };
}


function load(bits, strides, bytes, plens, count) {
  const width = bits / 8;
  const table = new ArtTable(bits, strides);
  for (let i = 0; i < count; i++) table.insert(bytes.subarray(i * width, i * width + width), plens[i], i);
  return table;
}





/**
 * Median ns per match() over the flat address buffer. Each address is copied into one scratch
 * key first (as a caller decoding a packet would), so the figure is not dominated by a million
 * scattered Uint8Array view objects.
 */
function timeLookups(table, flat) {
  const width = table.addressBytes;
  const key = new Uint8Array(width);
  const n = flat.length / width;
  const samples = [];
  let sink = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0, at = 0; i < n; i++, at += width) {
      for (let b = 0; b < width; b++) key[b] = flat[at + b];
      const m = table.match(key);
      if (m !== undefined) sink += m.plen;
    }
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  if (sink === -1) console.log(sink);
  return median(samples);
}


const text = gunzipSync(readFileSync(dataUrl)).toString('latin1');
const data = parse(text);
console.log(`parsed ${data.n4} IPv4 + ${data.n6} IPv6 prefixes`);

const before = memory();
let t0 = process.hrtime.bigint();
const inet = load(32, INET_STRIDES, data.v4, data.v4len, data.n4);
const loadInet = Number(process.hrtime.bigint() - t0) / 1e6;
const mid = memory();
t0 = process.hrtime.bigint();
const inet6 = load(128, INET6_STRIDES, data.v6, data.v6len, data.n6);
const loadInet6 = Number(process.hrtime.bigint() - t0) / 1e6;
const after = memory();
const bytesInet = mid - before;
const bytesInet6 = after - mid;

t0 = process.hrtime.bigint();
let walked = 0;
for (const table of [inet, inet6]) table.walk(() => walked++);
const walkMs = Number(process.hrtime.bigint() - t0) / 1e6;

const next = rng(0x5eed);
const results = {
  date: new Date().toISOString(),
  node: process.version,
  prefixes: { inet: inet.size, inet6: inet6.size },
  loadMs: { inet: Math.round(loadInet), inet6: Math.round(loadInet6) },
  bytesPerPrefix: {
    inet: Math.round(bytesInet / inet.size),
    inet6: Math.round(bytesInet6 / inet6.size),
    total: Math.round((after - before) / (inet.size + inet6.size)),
  },
  tables: { inet: inet.stats(), inet6: inet6.stats() },
  walkMs: Math.round(walkMs),
  lookupNsPerOp: {
    inetUniform: timeLookups(inet, uniformAddresses(4, LOOKUPS, next)),
    inetInPrefixes: timeLookups(inet, addressesInPrefixes(4, LOOKUPS, next, data.v4, data.v4len, data.n4)),
    inet6Uniform: timeLookups(inet6, uniformAddresses(16, LOOKUPS, next)),
    inet6InPrefixes: timeLookups(inet6, addressesInPrefixes(16, LOOKUPS, next, data.v6, data.v6len, data.n6)),
  },
  randomReadNs: 0,
};
results.randomReadNs = randomReadNs(next);
if (walked !== inet.size + inet6.size) throw new Error(`walk visited ${walked}`);

const r = results;
const rows = [
  ['prefixes', r.prefixes.inet, r.prefixes.inet6],
  ['load ms', r.loadMs.inet, r.loadMs.inet6],
  ['heap bytes/prefix', r.bytesPerPrefix.inet, r.bytesPerPrefix.inet6],
  ['subtables', r.tables.inet.tables, r.tables.inet6.tables],
  ['LPM ns/op uniform', r.lookupNsPerOp.inetUniform.toFixed(1), r.lookupNsPerOp.inet6Uniform.toFixed(1)],
  ['LPM ns/op in-prefix', r.lookupNsPerOp.inetInPrefixes.toFixed(1), r.lookupNsPerOp.inet6InPrefixes.toFixed(1)],
];
console.log(`${''.padEnd(22)}${'inet'.padStart(12)}${'inet6'.padStart(12)}`);
for (const [name, a, b] of rows) console.log(`${name.padEnd(22)}${String(a).padStart(12)}${String(b).padStart(12)}`);
console.log(`all: ${r.bytesPerPrefix.total} bytes/prefix; full walk ${r.walkMs} ms; ns/op are medians of ${RUNS} runs`);
console.log(`context: one dependent random read in 64 MB costs ${r.randomReadNs.toFixed(1)} ns here`);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/art.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
