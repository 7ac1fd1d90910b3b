// Helpers shared by the table benchmarks (bench/art.mjs, bench/lookup.mjs).

/** Heap plus ArrayBuffer bytes after two full GCs (run node with --expose-gc). */
export function memory() {
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Median of a sample list. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Deterministic PRNG (xorshift32) so runs are comparable. */
export function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Random addresses packed in one flat buffer (width bytes each). */
export function uniformAddresses(width, n, next) {
  const buf = new Uint8Array(width * n);
  for (let i = 0; i < buf.length; i++) buf[i] = next() & 0xff;
  return buf;
}

/** Addresses inside uniformly chosen table prefixes (random host bits), flat buffer. */
export function addressesInPrefixes(width, n, next, bytes, plens, count) {
  const buf = new Uint8Array(width * n);
  for (let i = 0; i < n; i++) {
    const p = next() % count;
    const plen = plens[p];
    for (let b = 0; b < width; b++) {
      const net = Math.max(0, Math.min(8, plen - b * 8));
      const mask = (0xff00 >> net) & 0xff;
      buf[i * width + b] = (bytes[p * width + b] & mask) | (next() & ~mask & 0xff);
    }
  }
  return buf;
}

/** CPU milliseconds of this process (user + system): steadier than wall time on a shared box. */
export function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Memory-latency floor for context: ns per dependent random read in a 64 MB Int32Array. */
export function randomReadNs(next) {
  const size = 1 << 24;
  const chain = new Int32Array(size);
  for (let i = 0; i < size; i++) chain[i] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = next() % (i + 1);
    const t = chain[i];
    chain[i] = chain[j];
    chain[j] = t;
  }
  const steps = 2_000_000;
  let at = 0;
  const t0 = cpuMs();
  for (let i = 0; i < steps; i++) at = chain[at];
  const ns = ((cpuMs() - t0) * 1e6) / steps;
  if (at === -1) console.log(at);
  return ns;
}
