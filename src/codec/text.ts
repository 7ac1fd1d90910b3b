/**
 * ASCII sockaddr forms in the style of ng_ksocket(4): `inet/192.168.1.1:1234`,
 * `local/"/tmp/foo.socket"`, and the generic `{ family=16 len=16 data=[0x70 0x00 0x01 0x23] }`,
 * plus forms of our own for inet6, link and label sockaddrs.
 *
 *   inet/A.B.C.D[:PORT]                 sockaddr_in, len 16, nothing in sin_zero
 *   inet6/ADDR[%SCOPE]                  sockaddr_in6, len 28, port 0, flowinfo 0
 *   inet6/[ADDR[%SCOPE]]:PORT           the same with a port
 *   local/"PATH"                        sockaddr_un, len 106 (what the encoder picks)
 *   link/[NAME]#INDEX/TYPE[/LLADDR]     sockaddr_dl at the encoder's len, no selector;
 *                                       NAME bare ([A-Za-z][A-Za-z0-9_.]*) or quoted,
 *                                       LLADDR colon-separated hex (`link/em0#1/6/fe:e1:ba:d4:c8:1d`,
 *                                       `link/lo0#3/24`, `link/#5/6`)
 *   label/"TEXT"                        route label (len 34, family 0)
 *   { family=F len=L data=[..] [pad=[..]] }
 *                                       anything else: data are the bytes after sa_family up to
 *                                       sa_len, pad the bytes from there to ROUNDUP(sa_len); both
 *                                       omit trailing zero bytes (as ng_parse(3) omits defaults)
 *
 * Quoted strings use ng_ksocket's escapes (\" \\ \t \n \r \f \v, \ooo octal, \xHH on input).
 *
 * The short forms are chosen only when the bytes they stand for are exactly the value's bytes,
 * and parsing decodes the bytes it built in the caller's slot context: so parse(format(v)) is v
 * for every decoded value v, however odd (the generic form keeps every byte).
 */
import { roundup, type Dialect } from '../abi/dialect.js';
import { isAllZero, parseIPv4, parseIPv6 } from './bytes.js';
import { RtsockDecodeError } from './errors.js';
import {
  MAX_SOCKADDR_IMAGE, decodeSockaddr, writeSockaddr, type Sockaddr, type SockaddrContext, type SockaddrInput,
} from './sockaddr.js';

/** Scratch room for one sockaddr image (writeSockaddr wants MAX_SOCKADDR_IMAGE past its start). */
const ROOM = 256 + MAX_SOCKADDR_IMAGE;

/** The ROUNDUP(sa_len) bytes `sa` encodes to in dialect `d` (throws RtsockEncodeError if it cannot). */
function imageOf(sa: SockaddrInput, d: Dialect): Uint8Array {
  const out = new Uint8Array(ROOM);
  const n = writeSockaddr(sa, d, out, new DataView(out.buffer), 0, 'sockaddr');
  return out.subarray(0, n);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// Quoted strings (ng_encode_string / ng_get_string_token escapes)

const NAMED_ESCAPES: Record<string, string> = { '\t': 't', '\n': 'n', '\r': 'r', '\f': 'f', '\v': 'v', '"': '"', '\\': '\\' };

function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (NAMED_ESCAPES[ch] !== undefined) out += '\\' + NAMED_ESCAPES[ch];
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else out += '\\' + c.toString(8).padStart(3, '0');
  }
  return out + '"';
}

// ---------------------------------------------------------------------------------------
// Formatting

function hexList(b: Uint8Array): string {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  const parts: string[] = [];
  for (let i = 0; i < end; i++) parts.push('0x' + b[i]!.toString(16).padStart(2, '0'));
  return `[${parts.join(' ')}]`;
}

function genericForm(img: Uint8Array): string {
  const len = img[0]!;
  const body = Math.max(len, 2);
  let s = `{ family=${img[1]} len=${len} data=${hexList(img.subarray(2, body))}`;
  if (!isAllZero(img, body)) s += ` pad=${hexList(img.subarray(body))}`;
  return s + ' }';
}

const BARE_NAME = /^[A-Za-z][A-Za-z0-9_.]*$/;

/** Candidate short form of `sa` with the input value it stands for, or undefined. */
function shortForm(sa: Sockaddr): [string, SockaddrInput] | undefined {
  switch (sa.kind) {
    case 'inet':
      return [`inet/${sa.addr}${sa.port ? `:${sa.port}` : ''}`, { kind: 'inet', addr: sa.addr, port: sa.port }];
    case 'inet6': {
      const host = sa.scope_id ? `${sa.addr}%${sa.scope_id}` : sa.addr;
      const text = sa.port ? `inet6/[${host}]:${sa.port}` : `inet6/${host}`;
      return [text, { kind: 'inet6', addr: sa.addr, port: sa.port, flowinfo: 0, scope_id: sa.scope_id }];
    }
    case 'unix':
      return [`local/${quoteString(sa.path)}`, { kind: 'unix', path: sa.path }];
    case 'label':
      return [`label/${quoteString(sa.label)}`, { kind: 'label', label: sa.label }];
    case 'link': {
      if (sa.selector !== undefined) return undefined;
      const name = sa.name === '' ? '' : BARE_NAME.test(sa.name) ? sa.name : quoteString(sa.name);
      const text = `link/${name}#${sa.index}/${sa.type}${sa.lladdr ? `/${sa.lladdr}` : ''}`;
      return [text, { kind: 'link', index: sa.index, type: sa.type, name: sa.name, lladdr: sa.lladdr }];
    }
    default:
      return undefined;
  }
}

/**
 * The ASCII form of a decoded sockaddr. The short forms are used only when they stand for
 * exactly the same bytes; everything else (4.9's trimmed netmasks, zero-length sockaddrs,
 * unknown families, MPLS/DNS/BFD...) gets the generic form.
 */
export function formatSockaddr(sa: Sockaddr, dialect: Dialect): string {
  const img = imageOf(sa, dialect);
  const cand = shortForm(sa);
  if (cand) {
    let alt: Uint8Array | undefined;
    try {
      alt = imageOf(cand[1], dialect);
    } catch {
      alt = undefined;
    }
    if (alt && sameBytes(alt, img)) return cand[0];
  }
  return genericForm(img);
}

// ---------------------------------------------------------------------------------------
// Parsing: a small cursor over the text; every failure reports the character position.

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  fail(why: string, at = this.pos): never {
    throw new RtsockDecodeError('BAD_TEXT', at, `bad sockaddr text ${JSON.stringify(this.text)}: ${why}`);
  }
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  skipSpace(): void {
    while (/\s/.test(this.peek()) && !this.done) this.pos++;
  }
  eat(s: string): boolean {
    if (!this.text.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    return true;
  }
  expect(s: string): void {
    if (!this.eat(s)) this.fail(`expected ${JSON.stringify(s)}`);
  }
  /** Characters while `re` matches each one. */
  take(re: RegExp): string {
    const start = this.pos;
    while (!this.done && re.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
  end(): void {
    this.skipSpace();
    if (!this.done) this.fail('unexpected trailing text');
  }
  /** A decimal (or 0x hex) integer in 0..max. */
  int(max: number, what: string): number {
    const start = this.pos;
    const t = this.eat('0x') || this.eat('0X') ? this.take(/[0-9a-fA-F]/) : this.take(/[0-9]/);
    if (t === '') this.fail(`expected ${what}`, start);
    const v = this.text.startsWith('0x', start) || this.text.startsWith('0X', start) ? parseInt(t, 16) : Number(t);
    if (!(v <= max)) this.fail(`${what} ${this.text.slice(start, this.pos)} is above ${max}`, start);
    return v;
  }
  /** A double-quoted string with ng_ksocket escapes; latin1 only. */
  quoted(): string {
    const start = this.pos;
    this.expect('"');
    let s = '';
    for (;;) {
      if (this.done) this.fail('unterminated string', start);
      const ch = this.text[this.pos++]!;
      if (ch === '"') return s;
      if (ch !== '\\') {
        if (ch.charCodeAt(0) > 0xff) this.fail('character outside latin1', this.pos - 1);
        s += ch;
        continue;
      }
      if (this.done) this.fail('unterminated escape', this.pos - 1);
      const e = this.text[this.pos]!;
      const named = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 }[e];
      if (named !== undefined) {
        this.pos++;
        s += String.fromCharCode(named);
      } else if (/[0-7]/.test(e)) {
        const at = this.pos - 1;
        let o = '';
        while (o.length < 3 && /[0-7]/.test(this.peek())) o += this.text[this.pos++];
        const v = parseInt(o, 8);
        if (v > 0xff) this.fail('octal escape above \\377', at);
        s += String.fromCharCode(v);
      } else if (e === 'x') {
        this.pos++;
        let h = '';
        while (h.length < 2 && /[0-9a-fA-F]/.test(this.peek())) h += this.text[this.pos++];
        if (h === '') this.fail('\\x without hex digits', this.pos - 2);
        s += String.fromCharCode(parseInt(h, 16));
      } else {
        this.pos++;
        s += e;
      }
    }
  }
  /** `[b0 b1 ...]`: bytes as 0xNN or decimal, space separated. */
  byteList(): number[] {
    this.expect('[');
    const out: number[] = [];
    for (;;) {
      this.skipSpace();
      if (this.eat(']')) return out;
      out.push(this.int(255, 'byte'));
    }
  }
}

/** Writes the short form's value; a value the encoder rejects is bad text at `at`. */
function build(c: Cursor, sa: SockaddrInput, d: Dialect, at: number): Uint8Array {
  try {
    return imageOf(sa, d);
  } catch (e) {
    return c.fail((e as Error).message, at);
  }
}

function parseInet(c: Cursor, d: Dialect): Uint8Array {
  const at = c.pos;
  const addr = c.take(/[0-9.]/);
  if (!parseIPv4(addr)) c.fail(`${JSON.stringify(addr)} is not an IPv4 address`, at);
  const port = c.eat(':') ? c.int(0xffff, 'port') : 0;
  return build(c, { kind: 'inet', addr, port }, d, at);
}

function parseInet6(c: Cursor, d: Dialect): Uint8Array {
  const at = c.pos;
  const bracket = c.eat('[');
  const addrAt = c.pos;
  const addr = c.take(/[0-9a-fA-F:.]/);
  if (!parseIPv6(addr)) c.fail(`${JSON.stringify(addr)} is not an IPv6 address`, addrAt);
  const scope_id = c.eat('%') ? c.int(0xffffffff, 'scope id') : 0;
  let port = 0;
  if (bracket) {
    c.expect(']');
    if (c.eat(':')) port = c.int(0xffff, 'port');
  }
  return build(c, { kind: 'inet6', addr, port, flowinfo: 0, scope_id }, d, at);
}

function parseLink(c: Cursor, d: Dialect): Uint8Array {
  const at = c.pos;
  let name = '';
  if (c.peek() === '"') name = c.quoted();
  else if (c.peek() !== '#') {
    name = c.take(/[A-Za-z0-9_.]/);
    if (!BARE_NAME.test(name)) c.fail('expected an interface name or "#"', at);
  }
  c.expect('#');
  const index = c.int(0xffff, 'interface index');
  c.expect('/');
  const type = c.int(0xff, 'interface type');
  let lladdr = '';
  if (c.eat('/')) {
    const llAt = c.pos;
    lladdr = c.take(/[0-9a-fA-F:]/);
    if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*$/.test(lladdr)) c.fail('link-layer address must be hex bytes like fe:e1:ba', llAt);
    lladdr = lladdr.toLowerCase();
  }
  return build(c, { kind: 'link', index, type, name, lladdr }, d, at);
}

function parseGeneric(c: Cursor, d: Dialect): Uint8Array {
  const open = c.pos;
  c.expect('{');
  const seen: Record<string, number[] | number> = {};
  for (;;) {
    c.skipSpace();
    if (c.eat('}')) break;
    const keyAt = c.pos;
    const key = c.take(/[a-z]/);
    if (!['family', 'len', 'data', 'pad'].includes(key)) c.fail('expected family=, len=, data= or pad=', keyAt);
    if (key in seen) c.fail(`${key} given twice`, keyAt);
    c.expect('=');
    seen[key] = key === 'data' || key === 'pad' ? c.byteList() : c.int(255, key);
  }
  if (seen['family'] === undefined || seen['len'] === undefined) c.fail('family= and len= are required', open);
  const len = seen['len'] as number;
  const body = Math.max(len, 2);
  const size = roundup(len, d.roundup);
  const data = (seen['data'] ?? []) as number[];
  const pad = (seen['pad'] ?? []) as number[];
  if (2 + data.length > body) c.fail(`data holds ${data.length} bytes but len ${len} leaves ${body - 2}`, open);
  if (body + pad.length > size) c.fail(`pad holds ${pad.length} bytes but only ${size - body} follow len ${len}`, open);
  const img = new Uint8Array(size);
  img[0] = len;
  img[1] = seen['family'] as number;
  img.set(data, 2);
  img.set(pad, body);
  return img;
}

/**
 * Parses an ASCII sockaddr (any form formatSockaddr writes) and returns what decoding its
 * bytes in `ctx` gives. Throws RtsockDecodeError `BAD_TEXT` with the character offset.
 */
export function parseSockaddr(text: string, ctx: SockaddrContext): Sockaddr {
  const c = new Cursor(text);
  const d = ctx.dialect;
  c.skipSpace();
  let img: Uint8Array | undefined;
  if (c.peek() === '{') img = parseGeneric(c, d);
  else if (c.eat('inet6/')) img = parseInet6(c, d);
  else if (c.eat('inet/')) img = parseInet(c, d);
  else if (c.eat('local/')) {
    const at = c.pos;
    img = build(c, { kind: 'unix', path: c.quoted() }, d, at);
  } else if (c.eat('label/')) {
    const at = c.pos;
    img = build(c, { kind: 'label', label: c.quoted() }, d, at);
  } else if (c.eat('link/')) img = parseLink(c, d);
  if (!img) return c.fail('expected inet/, inet6/, local/, link/, label/ or {');
  c.end();
  return decodeSockaddr(img, new DataView(img.buffer, img.byteOffset, img.byteLength), 0, ctx);
}
