import { readFileSync } from 'node:fs';
import { ROOT, rtsock } from './run.js';

const SAMPLES = ['samples/openbsd.hex', 'samples/openbsd-4.9.hex'];
const hexLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

describe('rtsock decode / encode', () => {
  test.each(SAMPLES)('%s: decode --json | encode --hex reproduces the input', (file) => {
    const json = rtsock(['decode', '--hex', '--json', file]);
    expect(json.status).toBe(0);
    expect(json.stderr).toBe('');
    const back = rtsock(['encode', '--hex'], json.stdout);
    expect(back.status).toBe(0);
    expect(hexLines(back.stdout)).toEqual(hexLines(readFileSync(`${ROOT}${file}`, 'utf8')));
  });

  test('binary input round-trips through JSON to the same bytes', () => {
    const hex = hexLines(readFileSync(`${ROOT}samples/openbsd.hex`, 'utf8')).join('');
    const bin = Buffer.from(hex, 'hex');
    const json = rtsock(['decode', '--json', '-'], bin);
    expect(json.status).toBe(0);
    const back = rtsock(['encode'], json.stdout);
    expect(back.status).toBe(0);
    expect(back.stdoutBytes.equals(bin)).toBe(true);
  });

  test('monitor form is the default output', () => {
    const r = rtsock(['decode', '--hex', 'samples/openbsd.hex']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^RTM_IFANNOUNCE: iface arrival\/departure: len 26, if# 1, name em0, what: arrival$/m);
    expect(r.stdout).toMatch(/^RTM_ADD: Add Route: len 144, priority 8, table 0, if# 1, pid: 31337, seq 1, errno 0$/m);
  });

  test('hex input ignores whitespace, colons, 0x and comment lines', () => {
    const hex = hexLines(readFileSync(`${ROOT}samples/openbsd.hex`, 'utf8'))[0]!;
    const spaced = `# a comment\n${hex.match(/../g)!.map((b, i) => (i % 2 ? `0x${b}` : `${b}:`)).join(' ')}\n`;
    const a = rtsock(['decode', '--hex', '--json'], spaced);
    const b = rtsock(['decode', '--hex', '--json'], hex);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  test('bad input: earlier messages printed, one stderr line naming message, offset and reason, status 1', () => {
    const good = hexLines(readFileSync(`${ROOT}samples/openbsd.hex`, 'utf8'))[0]!;
    const r = rtsock(['decode', '--hex', '--json'], `${good}\n${good}\nff00050f\n`);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toBe('rtsock: message 3 at offset 52: msglen 255 runs past the 4 bytes left\n');
  });

  test('a message of unknown version is skipped with a warning and kept in JSON', () => {
    const good = hexLines(readFileSync(`${ROOT}samples/openbsd.hex`, 'utf8'))[0]!;
    const odd = '0800090f00000000';
    const r = rtsock(['decode', '--hex', '--json'], `${good}${odd}${good}\n`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('rtsock: message 2 at offset 26 skipped: routing message version 9 not understood\n');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ code: 'UNKNOWN_VERSION', raw: odd });
    const back = rtsock(['encode', '--hex'], r.stdout);
    expect(back.stdout.replace(/\n/g, '')).toBe(`${good}${odd}${good}`);
  });

  test('encode reports the line and reason of a bad value, status 1, no stack trace', () => {
    const r = rtsock(['encode', '--hex'], '{"type":"RTM_ADD","dialect":"openbsd"}\n{"type":"RTM_ADD","sockaddrs":{"dst":{"kind":"inet","addr":"10.0.0.300"}}}\n');
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe('rtsock: line 2: sockaddrs.dst.addr: "10.0.0.300" is not an IPv4 address\n');
  });

  test('bad flags and unknown commands fail cleanly', () => {
    expect(rtsock(['frobnicate']).status).toBe(1);
    const r = rtsock(['decode', '--dialect', 'netbsd', 'samples/openbsd.hex']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^rtsock: unknown dialect "netbsd"/);
    expect(r.stderr).not.toMatch(/at .*\.js/);
  });

  test('sparc64 and i386 layouts: decode with --arch and re-encode exactly', () => {
    for (const arch of ['sparc64', 'i386']) {
      const json = rtsock(['encode', '--hex', '--arch', arch], '{"type":"RTM_GET","dialect":"openbsd","seq":7,"sockaddrs":{"dst":{"kind":"inet","addr":"10.1.0.0"}}}\n');
      expect(json.status).toBe(0);
      const dec = rtsock(['decode', '--hex', '--json', '--arch', arch], json.stdout);
      expect(JSON.parse(dec.stdout)).toMatchObject({ arch, seq: 7, sockaddrs: { dst: { addr: '10.1.0.0' } } });
      const back = rtsock(['encode', '--hex'], dec.stdout);
      expect(back.stdout).toBe(json.stdout);
    }
  });
});
