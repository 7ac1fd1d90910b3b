/** Input/output helpers shared by the CLI commands: whole-input reads, hex text, errors. */
import { readFileSync, writeSync } from 'node:fs';
import { RtsockDecodeError } from '../codec/errors.js';

/** Reads a file, or standard input for `-` / no name. */
export async function readInput(file: string | undefined): Promise<Buffer> {
  // Sync read: node:fs/promises would pull in readline and streams at start-up for nothing.
  if (file && file !== '-') return readFileSync(file);
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Hex text to bytes: whitespace, `:` and `0x` prefixes are ignored; lines starting with `#`
 * are comments; a line may hold several messages (they are framed by msglen later).
 */
export function parseHexText(text: string): Buffer {
  const parts: Buffer[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const digits = line.replace(/0x/gi, '').replace(/[\s:]/g, '');
    const bad = /[^0-9a-fA-F]/.exec(digits);
    if (bad) throw new RtsockDecodeError('BAD_TEXT', n + 1, `line ${n + 1}: "${bad[0]}" is not a hex digit`);
    if (digits.length % 2 !== 0) throw new RtsockDecodeError('BAD_TEXT', n + 1, `line ${n + 1}: odd number of hex digits`);
    parts.push(Buffer.from(digits, 'hex'));
  }
  return Buffer.concat(parts);
}

/** Writes to stdout, waiting when the pipe is full (so large outputs keep bounded memory). */
export function writeOut(data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.stdout.write(data)) resolve();
    else process.stdout.once('drain', resolve).once('error', reject);
  });
}

/**
 * A short command's whole output, written straight to fd 1 or 2. Touching process.stdout or
 * process.stderr loads net, tty and the stream modules (a tenth of a short command's time). A
 * reader that went away (EPIPE) ends the output quietly, as it would a C tool ignoring SIGPIPE;
 * a non-blocking descriptor that is full (EAGAIN) hands the rest to the stream, which waits.
 */
export function emit(fd: 1 | 2, data: string): void {
  const bytes = Buffer.from(data, 'utf8');
  let off = 0;
  try {
    while (off < bytes.length) off += writeSync(fd, bytes, off);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return;
    if (code !== 'EAGAIN') throw e;
    (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(off));
  }
}

/** One clear line on stderr, never a stack trace. */
export function complain(text: string): void {
  emit(2, `rtsock: ${text}\n`);
}
