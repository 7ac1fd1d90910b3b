import { ArtTable, INET6_STRIDES, INET_STRIDES } from '../../src/table/art.js';
import { TableError } from '../../src/table/errors.js';
import { prefix, show, v4, v6 } from './helpers.js';

function inet(): ArtTable<string> {
  return new ArtTable<string>(32, INET_STRIDES);
}
function inet6(): ArtTable<string> {
  return new ArtTable<string>(128, INET6_STRIDES);
}
function add(t: ArtTable<string>, text: string): string {
  const [a, l] = prefix(text);
  return t.insert(a, l, text);
}
function walked(t: ArtTable<unknown>): string[] {
  const out: string[] = [];
  t.walk((addr, plen) => out.push(show(addr, plen)));
  return out;
}

describe('ArtTable basics', () => {
  test('strides constants', () => {
    expect(INET_STRIDES).toEqual([8, 4, 4, 4, 4, 4, 4]);
    expect(INET6_STRIDES).toHaveLength(32);
    expect(INET6_STRIDES.every((s) => s === 4)).toBe(true);
  });

  test('insert returns the new value, or the existing one for a duplicate prefix', () => {
    const t = inet();
    expect(t.insert(v4('10.0.0.0'), 8, 'a')).toBe('a');
    expect(t.insert(v4('10.1.2.3'), 8, 'b')).toBe('a'); // unmasked key, same prefix
    expect(t.size).toBe(1);
    expect(t.get(v4('10.255.0.0'), 8)).toBe('a');
    expect(t.get(v4('10.0.0.0'), 9)).toBeUndefined();
  });

  test('default route (plen 0) matches everything and is exact-gettable', () => {
    const t = inet();
    expect(t.match(v4('1.2.3.4'))).toBeUndefined();
    add(t, '0.0.0.0/0');
    expect(t.get(v4('9.9.9.9'), 0)).toBe('0.0.0.0/0');
    expect(t.match(v4('1.2.3.4'))).toEqual({ value: '0.0.0.0/0', plen: 0 });
    add(t, '10.0.0.0/8');
    add(t, '10.8.1.0/25');
    expect(t.match(v4('10.8.1.200'))).toEqual({ value: '10.0.0.0/8', plen: 8 });
    expect(t.match(v4('10.8.1.100'))).toEqual({ value: '10.8.1.0/25', plen: 25 });
    expect(t.match(v4('11.0.0.1'))?.plen).toBe(0);
    expect(t.delete(v4('0.0.0.0'), 0)).toBe(true);
    expect(t.delete(v4('0.0.0.0'), 0)).toBe(false);
    expect(t.match(v4('11.0.0.1'))).toBeUndefined();
  });

  test('/32 hosts and covering prefixes', () => {
    const t = inet();
    add(t, '192.0.2.0/24');
    add(t, '192.0.2.1/32');
    add(t, '192.0.2.0/30');
    expect(t.match(v4('192.0.2.1'))?.value).toBe('192.0.2.1/32');
    expect(t.match(v4('192.0.2.2'))?.value).toBe('192.0.2.0/30');
    expect(t.match(v4('192.0.2.4'))?.value).toBe('192.0.2.0/24');
    expect(t.delete(v4('192.0.2.1'), 32)).toBe(true);
    expect(t.match(v4('192.0.2.1'))?.value).toBe('192.0.2.0/30');
    expect(t.delete(v4('192.0.2.0'), 30)).toBe(true);
    expect(t.match(v4('192.0.2.1'))?.value).toBe('192.0.2.0/24');
  });

  test('non-fringe prefix covering a fringe slot that already has a subtable', () => {
    const t = inet();
    add(t, '10.8.1.0/24'); // creates subtables under 10/8 fringe
    add(t, '10.0.0.0/10'); // non-fringe in the root: allotted into subtable defaults
    expect(t.match(v4('10.8.2.1'))?.value).toBe('10.0.0.0/10');
    expect(t.match(v4('10.8.1.1'))?.value).toBe('10.8.1.0/24');
    add(t, '10.8.0.0/16');
    expect(t.match(v4('10.8.2.1'))?.value).toBe('10.8.0.0/16');
    t.delete(v4('10.8.0.0'), 16);
    expect(t.match(v4('10.8.2.1'))?.value).toBe('10.0.0.0/10');
    t.delete(v4('10.0.0.0'), 10);
    expect(t.match(v4('10.8.2.1'))).toBeUndefined();
    expect(t.match(v4('10.8.1.1'))?.value).toBe('10.8.1.0/24');
  });

  test('/128 hosts and IPv6 prefixes at non-multiple-of-4 lengths', () => {
    const t = inet6();
    add(t, '2001:db8::/33');
    add(t, '2001:db8::/35');
    add(t, '2001:db8::1/128');
    add(t, '2001:db8::/127');
    add(t, '::/0');
    expect(t.match(v6('2001:db8::1'))).toEqual({ value: '2001:db8::1/128', plen: 128 });
    expect(t.match(v6('2001:db8::'))?.plen).toBe(127);
    expect(t.match(v6('2001:db8::2'))?.plen).toBe(35);
    expect(t.match(v6('2001:db8:2000::'))?.plen).toBe(33);
    expect(t.match(v6('2001:db8:8000::'))?.plen).toBe(0);
    expect(t.get(v6('2001:db8:1fff::'), 35)).toBe('2001:db8::/35'); // host bits ignored
    expect(t.get(v6('2001:db8::'), 34)).toBeUndefined();
  });

  test('delete of absent prefixes is a no-op', () => {
    const t = inet();
    add(t, '10.8.1.0/24');
    expect(t.delete(v4('10.8.1.0'), 25)).toBe(false);
    expect(t.delete(v4('10.8.0.0'), 16)).toBe(false);
    expect(t.delete(v4('11.0.0.0'), 24)).toBe(false);
    expect(t.size).toBe(1);
  });

  test('emptying the table frees every subtable', () => {
    const t = inet6();
    const texts = ['2001:db8::/48', '2001:db8::1/128', '2001:db8:1::/64', '2600::/12', '::/0'];
    texts.forEach((p) => add(t, p));
    expect(t.stats().tables).toBeGreaterThan(10);
    for (const p of texts) expect(t.delete(...prefix(p))).toBe(true);
    expect(t.size).toBe(0);
    expect(t.stats().tables).toBe(1);
  });

  test('an exact lookup is not misled by subtables freed and handed out again', () => {
    // get() remembers its descent. Deleting the prefix inside a walk leaves its subtables to be
    // freed when the walk ends; the next insert takes them back for another prefix, whose entry
    // then sits at the remembered slot.
    const t = inet();
    add(t, '10.1.2.0/24');
    expect(t.get(...prefix('10.1.2.0/24'))).toBe('10.1.2.0/24');
    for (const e of t.entries()) t.delete(e.addr, e.plen);
    add(t, '20.1.2.0/24');
    expect(t.get(...prefix('10.1.2.0/24'))).toBeUndefined();
    expect(t.delete(...prefix('10.1.2.0/24'))).toBe(false);
    expect(t.get(...prefix('20.1.2.0/24'))).toBe('20.1.2.0/24');
  });

  test('walk yields masked copies', () => {
    const t = inet();
    t.insert(v4('10.8.1.77'), 24, 'x');
    const [entry] = [...t.entries()];
    expect(show(entry!.addr, entry!.plen)).toBe('10.8.1.0/24');
    entry!.addr[0] = 99;
    expect(walked(t)).toEqual(['10.8.1.0/24']);
  });

  test('set replaces an existing value only; trim and growFast keep the contents', () => {
    const t = inet();
    expect(t.set(...prefix('10.0.0.0/8'), 'x')).toBe(false);
    expect(t.get(...prefix('10.0.0.0/8'))).toBeUndefined();
    t.growFast();
    for (const p of ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32']) add(t, p);
    expect(t.set(...prefix('10.1.255.255/16'), 'sixteen')).toBe(true); // host bits ignored
    expect(t.get(...prefix('10.1.0.0/16'))).toBe('sixteen');
    expect(t.size).toBe(4);
    const before = walked(t);
    t.trim();
    expect(walked(t)).toEqual(before);
    expect(t.match(v4('10.1.9.9'))).toEqual({ value: 'sixteen', plen: 16 });
    add(t, '10.1.2.128/25'); // grows again after a trim
    expect(t.match(v4('10.1.2.200'))).toEqual({ value: '10.1.2.128/25', plen: 25 });
    expect(() => t.set(v4('10.0.0.0'), 33, 'bad')).toThrow(TableError);
  });
});

describe('ArtTable input errors', () => {
  const cases: [string, () => unknown, string][] = [
    ['plen too long', () => inet().insert(v4('1.2.3.4'), 33, 'x'), 'bad-prefix-length'],
    ['negative plen', () => inet().get(v4('1.2.3.4'), -1), 'bad-prefix-length'],
    ['fractional plen', () => inet().delete(v4('1.2.3.4'), 8.5), 'bad-prefix-length'],
    ['IPv6 plen 129', () => inet6().insert(new Uint8Array(16), 129, 'x'), 'bad-prefix-length'],
    ['16 bytes in IPv4 table', () => inet().match(new Uint8Array(16)), 'bad-address-length'],
    ['4 bytes in IPv6 table', () => inet6().insert(v4('1.2.3.4'), 8, 'x'), 'bad-address-length'],
    ['strides not summing', () => new ArtTable(32, [8, 8]), 'bad-strides'],
    ['stride too wide', () => new ArtTable(32, [32]), 'bad-strides'],
    ['address bits not bytes', () => new ArtTable(12, [4, 4, 4]), 'bad-strides'],
  ];
  test.each(cases)('%s', (_name, run, reason) => {
    let caught: unknown;
    try {
      run();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TableError);
    expect((caught as TableError).reason).toBe(reason);
  });
});
