/**
 * String lookups take the fused parse-and-walk path for plain dotted quads and eight-group IPv6
 * text, and the general parser for every other form ("::", a dotted tail, upper case, leading
 * zeros): both must give what a lookup of the parsed bytes gives, and refuse the same texts.
 */
import fc from 'fast-check';
import { TableError } from '../../../src/table/errors.js';
import { FastRtable } from '../../../src/table/fastpath/index.js';
import { parseV6 } from '../../../src/addr/parse.js';
import { arbV6, runs } from '../helpers.js';
import { opts, type Route } from './model.js';

/** Nested IPv6 prefixes ending at every level the eight-group walk steps through. */
function table(): FastRtable<Route> {
  const t = new FastRtable<Route>();
  const lens = [0, 12, 16, 20, 24, 28, 32, 40, 44, 48, 56, 64, 72, 96, 112, 120, 127, 128];
  const base = new Uint8Array([0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x22, 0x33, 0x44]);
  lens.forEach((plen, id) => t.insert('inet6', base, plen, { priority: 8, gw: 0, id }, opts));
  return t;
}

const bytesOf = (text: string): Uint8Array => {
  const b = new Uint8Array(16);
  if (!parseV6(text, b)) throw new Error(`test text ${text} does not parse`);
  return b;
};
const groups = (b: Uint8Array): string[] => Array.from({ length: 8 }, (_, g) => ((b[2 * g]! << 8) | b[2 * g + 1]!).toString(16));

describe('IPv6 string lookups: fused eight-group path and general parser agree', () => {
  const t = table();

  test('every prefix edge, in eight-group form, compressed form and upper case', () => {
    const base = bytesOf('2001:db8:1234:5678:9abc:def0:1122:3344');
    for (let bit = 0; bit <= 128; bit++) {
      const a = base.slice();
      if (bit < 128) a[bit >> 3]! ^= 0x80 >> (bit & 7); // first address outside the prefixes longer than `bit`
      const want = t.lookupV6(a)?.id;
      const g = groups(a);
      for (const text of [g.join(':'), g.map((x) => x.padStart(4, '0')).join(':'), g.join(':').toUpperCase()]) {
        expect([text, t.lookup(text)?.id]).toEqual([text, want]);
      }
    }
  });

  test('random addresses: eight groups equal the bytes\' lookup', () => {
    fc.assert(
      fc.property(arbV6, (a) => t.lookup(groups(a).join(':'))?.id === t.lookupV6(a)?.id),
      { numRuns: runs(500) },
    );
  });

  test('forms the fused path hands to the parser, and texts both refuse', () => {
    for (const text of ['2001:db8:1234:5678:9abc:def0:1122::', '2001:db8:1234:5678:9abc:def0:17.34.51.68', '::', '2001:db8::1']) {
      expect(t.lookup(text)?.id).toBe(t.lookupV6(bytesOf(text))?.id);
    }
    for (const bad of ['2001:db8:1234:5678:9abc:def0:1122:3344:1', '2001:db8:1234:5678:9abc:def0:1122:', ':2001:db8:1234:5678:9abc:def0:1122',
      '2001:db8:1234:5678:9abc:def0:1122:33445', '2001:db8:1234:5678:9abc:def0:1122:334g', '2001:db8:1234:5678:9abc:def0:1122:3344 ',
      '2001:db8:1234:5678:9abc:def0:1122', 'ffff:1:2:3:4:5:6', '2001:db8:1234:5678:9abc:def0:ffff', '2001:db8:1234::5678::1']) {
      expect(() => t.lookup(bad)).toThrow(TableError);
    }
  });
});
