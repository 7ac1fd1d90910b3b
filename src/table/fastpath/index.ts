/**
 * Compiled longest-prefix-match fast path over {@link Rtable}: {@link FastRtable} keeps
 * direct-indexed tries exact under every mutation.
 * @module
 */
export { FastRtable, type FastPathStats, type FastRtableOptions } from './fast-rtable.js';
export { parseV4, parseV6 } from '../../addr/parse.js';
