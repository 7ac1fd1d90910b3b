#!/usr/bin/env node
/**
 * The installed `rtsock` executable. The CLI is shipped as one bundle (dist/rtsock.cjs, built by
 * tools/bundle-cli.mjs) because resolving and linking ~60 ES modules was a third of a short
 * command's time. This launcher also keeps V8's compiled code between runs: a short command
 * spends more time compiling than working. Node >= 22.1 has that built in
 * (module.enableCompileCache); on Node 20 we do what it does with vm.Script's cachedData,
 * taken after a run so that lazily compiled functions are included (caching at compile time,
 * as v8-compile-cache does, measured no faster here). A missing, stale or unwritable cache only
 * costs speed: V8 rejects data from another version or flag set and the run compiles as usual.
 */
import fs = require('node:fs');
import path = require('node:path');
import vm = require('node:vm');
import Module = require('node:module');

const bundle = path.join(__dirname, '..', 'rtsock.cjs');
const nodeModule = Module as unknown as { enableCompileCache?: () => unknown; wrap(source: string): string };

if (typeof nodeModule.enableCompileCache === 'function') {
  nodeModule.enableCompileCache();
  require(bundle);
} else {
  runWithCodeCache(bundle, `${bundle}.${process.version}-${process.arch}.cache`);
}

function runWithCodeCache(file: string, cacheFile: string): void {
  const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(nodeModule.wrap(source), { filename: file, cachedData });
  const main = { exports: {} as unknown, filename: file, id: '.', loaded: false };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(main.exports, main.exports, require, main, file, path.dirname(file));
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once('exit', () => saveCache(script, cacheFile));
  }
}

/** Best effort: a read-only install just runs without a cache. Rename keeps readers whole. */
function saveCache(script: vm.Script, cacheFile: string): void {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, cacheFile);
  } catch {
    try { fs.unlinkSync(tmp); } catch { /* nothing written */ }
  }
}
