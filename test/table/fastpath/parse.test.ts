import fc from 'fast-check';
import { parseV4, parseV6 } from '../../../src/table/fastpath/index.js';
import { runs, v6 } from '../helpers.js';

describe('address text parsers', () => {
  test('IPv4', () => {
    expect(parseV4('0.0.0.0')).toBe(0);
    expect(parseV4('255.255.255.255')).toBe(0xffffffff);
    expect(parseV4('10.1.2.3')).toBe(0x0a010203);
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.0', '1..2.3', '1.2.3.', 'a.b.c.d', '1.2.3.4 ', '1000.1.1.1']) {
      expect(parseV4(bad)).toBe(-1);
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => parseV4(b.join('.')) === ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0),
      { numRuns: runs(500) },
    );
  });

  test('IPv6', () => {
    const out = new Uint8Array(16);
    for (const text of ['::', '::1', '1::', '2001:db8::1', 'fe80::1:2:3:4', '1:2:3:4:5:6:7:8', 'ABCD:ef01::', '::ffff:10.1.2.3', '1:2:3:4:5:6:1.2.3.4']) {
      expect(parseV6(text, out)).toBe(true);
      const want = text.includes('.') ? null : v6(text);
      if (want) expect([...out]).toEqual([...want]);
    }
    expect(parseV6('::ffff:10.1.2.3', out)).toBe(true);
    expect([...out.subarray(10)]).toEqual([0xff, 0xff, 10, 1, 2, 3]);
    for (const bad of ['', ':', ':::', '1:2', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', 'g::', '1:', '1:2:3:4:5:6:7::8']) {
      expect(parseV6(bad, out)).toBe(false);
    }
    // Characters above 255 whose low byte is a hex digit ('\u0131' ends in 0x31, '1'; '\u0161'
    // in 0x61, 'a'; '\uff41' is a fullwidth 'a'): not digits.
    for (const bad of ['2001:db8::\u0131', '\u0161::1', '1:2:3:4:5:6:7:\uff41', 'fe80::1:\u0a30']) {
      expect(parseV6(bad, out)).toBe(false);
    }
    // At an offset into a dirty buffer: the "::" slide and zero fill stay inside the 16 bytes.
    const wide = new Uint8Array(40).fill(0xaa);
    for (const text of ['::', '::1', '1::', '2001:db8::1:2', 'fe80::1:2:3:4:5:6']) {
      wide.fill(0xaa);
      expect(parseV6(text, wide, 7)).toBe(true);
      expect([...wide.subarray(7, 23)]).toEqual([...v6(text)]);
      expect(wide.subarray(0, 7).every((b) => b === 0xaa) && wide.subarray(23).every((b) => b === 0xaa)).toBe(true);
    }
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const ok = parseV6(text, out);
        // fast-check's IPv6 generator includes forms with an IPv4 tail; compare via URL's parser.
        const canon = new URL(`http://[${text}]/`).hostname.slice(1, -1);
        const want = new Uint8Array(16);
        return ok && parseV6(canon, want) && out.every((b, i) => b === want[i]);
      }),
      { numRuns: runs(500) },
    );
  });
});
