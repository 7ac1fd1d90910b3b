/**
 * String lookups take the fused parse-and-walk path for plain dotted quads and eight-group IPv6
 * text, and the general parser for every other form ("::", a dotted tail, upper case, leading
 * zeros): both must give what a lookup of the parsed bytes gives, and refuse the same texts.
 * IPv4 text is judged against a regular expression, the plainest statement of a dotted quad.
 */
import fc from 'fast-check';
import { TableError } from '../../../src/table/errors.js';
import { FastRtable } from '../../../src/table/fastpath/index.js';
import { parseV4, parseV6 } from '../../../src/addr/parse.js';
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
      '2001:db8:1234:5678:9abc:def0:1122', 'ffff:1:2:3:4:5:6', '2001:db8:1234:5678:9abc:def0:ffff', '2001:db8:1234::5678::1',
      // Above 255 with a hex digit's low byte ('\u0134': 0x34, '4'; '\u0161': 0x61, 'a').
      '2001:db8:1234:5678:9abc:def0:1122:334\u0134', '\u0161001:db8:1234:5678:9abc:def0:1122:3344', '2001:db8::\u0131']) {
      expect(() => t.lookup(bad)).toThrow(TableError);
    }
  });
});

/** Dotted quad by regular expression: four octets of one to three digits, each at most 255; else -1. */
function referenceV4(text: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return -1;
  const octets = m.slice(1).map(Number);
  return octets.some((o) => o > 255) ? -1 : octets.reduce((v, o) => v * 256 + o, 0);
}

describe('IPv4 string lookups: fused walk, parser and batch agree with a reference', () => {
  const t = new FastRtable<Route>();
  // Nested prefixes ending at every level of the DIR-16-8-8 walk, under 10.1.2.3 and 255.255.255.255.
  [0, 8, 12, 16, 20, 24, 28, 31, 32].forEach((plen, id) => {
    t.insert('inet', new Uint8Array([10, 1, 2, 3]), plen, { priority: 8, gw: 0, id }, opts);
    t.insert('inet', new Uint8Array([255, 255, 255, 255]), Math.max(plen, 1), { priority: 8, gw: 0, id: 100 + id }, opts);
  });
  // Texts near dotted quads: digits and dots, now and then a character no parser may take
  // (a space, a letter, ':' and '/' either side of the digits, an Arabic-Indic digit), and octets from the edges of every check.
  const octet = fc.constantFrom('0', '1', '2', '3', '10', '01', '001', '0001', '99', '100', '199', '255', '256', '299', '999', '1000', '');
  const junk = fc.constantFrom('.', ' ', 'x', ':', '/', '\u0663', '1');
  const arbText = fc.oneof(
    fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')),
    fc.tuple(fc.array(fc.oneof(octet, junk), { maxLength: 9 })).map(([parts]) => parts.join('')),
    // Each octet now and then followed by a stray character, where every digit check looks.
    fc.array(fc.tuple(octet, fc.option(junk, { freq: 2 })), { minLength: 4, maxLength: 4 }).map((o) => o.map(([x, j]) => x + (j ?? '')).join('.')),
  );

  test('parseV4, lookup(string) and matchStrings equal the reference on dotted-quad-like text', () => {
    fc.assert(
      fc.property(arbText, (text) => {
        const want = referenceV4(text);
        expect([text, parseV4(text)]).toEqual([text, want]);
        if (want < 0 && parseV6(text, new Uint8Array(16))) {
          expect(t.lookup(text)).toBe(t.lookupV6(bytesOf(text))); // "1::", say
        } else if (want < 0) {
          expect(() => t.lookup(text)).toThrow(TableError);
          expect(() => t.matchStrings([text], new Int32Array(1))).toThrow(TableError);
        } else {
          expect([text, t.lookup(text)?.id]).toEqual([text, t.lookupV4(want)?.id]);
          const ids = new Int32Array(1);
          t.matchStrings([text], ids);
          expect(ids[0]).toBe(t.matchV4(want));
        }
      }),
      { numRuns: runs(2000) },
    );
  });

  test('every prefix edge in dotted-quad text', () => {
    for (const base of [0x0a010203, 0xffffffff]) {
      for (let bit = 0; bit <= 32; bit++) {
        const a = bit < 32 ? (base ^ (0x80000000 >>> bit)) >>> 0 : base;
        const text = [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
        expect([text, t.lookup(text)?.id]).toEqual([text, t.lookupV4(a)?.id]);
      }
    }
  });
});
