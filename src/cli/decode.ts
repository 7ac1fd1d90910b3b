/**
 * `rtsock decode [--hex] [--json] [--dialect D] [--arch A] [FILE|-]`: routing messages in,
 * route-monitor text (or JSON lines) out. On bad input: the messages before it are
 * printed, then one line on stderr naming the message number, offset and reason; exit 1.
 */
import { parseArgs } from 'node:util';
import { RtsockDecodeError } from '../codec/errors.js';
import { forEachMessage } from '../codec/dump.js';
import { toJson, skippedToJson } from '../codec/json.js';
import { renderMessage } from '../codec/monitor.js';
import type { CodecOptions, Message } from '../codec/message.js';
import { complain, parseHexText, readInput } from './io.js';
import { codecOptions, CODEC_FLAGS } from './options.js';

export async function decodeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { ...CODEC_FLAGS, hex: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (positionals.length > 1) {
    complain('usage: rtsock decode [--hex] [--json] [--dialect D] [--arch A] [FILE|-]');
    return 1;
  }
  const opts: CodecOptions = codecOptions(values);
  const input = await readInput(positionals[0]);
  let bytes: Buffer;
  try {
    bytes = values.hex ? parseHexText(input.toString('utf8')) : input;
  } catch (e) {
    if (e instanceof RtsockDecodeError) {
      complain(e.reason);
      return 1;
    }
    throw e;
  }
  const out: string[] = [];
  let count = 0;
  let status = 0;
  const emit = (m: Message) => out.push(values.json ? JSON.stringify(toJson(m)) + '\n' : renderMessage(m));
  try {
    forEachMessage(bytes, (m) => {
      count++;
      emit(m);
      if (out.length >= 256) flush(out);
    }, (s) => {
      count++;
      complain(`message ${count} at offset ${s.offset} skipped: ${s.error.reason}`);
      if (values.json) out.push(JSON.stringify(skippedToJson(s)) + '\n');
    }, opts);
  } catch (e) {
    if (!(e instanceof RtsockDecodeError)) throw e;
    flush(out);
    complain(`message ${count + 1} at offset ${e.offset}: ${e.reason}`);
    status = 1;
  }
  flush(out);
  return status;
}

function flush(out: string[]): void {
  if (out.length === 0) return;
  process.stdout.write(out.join(''));
  out.length = 0;
}
