/**
 * `rtsock encode [--hex] [--dialect D] [--arch A] [FILE|-]`: JSON lines (as `decode --json`
 * writes them) in, message bytes (or hex, one message per line) out. `--dialect`/`--arch`
 * apply to lines that do not name their own.
 */
import { parseArgs } from 'node:util';
import { RtsockDecodeError, RtsockEncodeError } from '../codec/errors.js';
import { fromJson, isRawJson } from '../codec/json.js';
import { encodeMessage } from '../codec/message.js';
import { complain, readInput } from './io.js';
import { codecOptions, CODEC_FLAGS } from './options.js';

export async function encodeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, options: { ...CODEC_FLAGS, hex: { type: 'boolean' } },
  });
  if (positionals.length > 1) {
    complain('usage: rtsock encode [--hex] [--dialect D] [--arch A] [FILE|-]');
    return 1;
  }
  const opts = codecOptions(values);
  const lines = (await readInput(positionals[0])).toString('utf8').split(/\r?\n/);
  const out: Buffer[] = [];
  let status = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    let bytes: Uint8Array;
    try {
      const input = fromJson(JSON.parse(line), opts.dialect);
      bytes = isRawJson(input)
        ? Buffer.from(input.raw, 'hex')
        : encodeMessage(input, { dialect: input.dialect ?? opts.dialect, arch: input.arch ?? opts.arch });
    } catch (e) {
      if (e instanceof SyntaxError || e instanceof RtsockEncodeError || e instanceof RtsockDecodeError) {
        complain(`line ${n + 1}: ${e instanceof SyntaxError ? `bad JSON: ${e.message}` : e.message}`);
        status = 1;
        break;
      }
      throw e;
    }
    out.push(values.hex ? Buffer.from(Buffer.from(bytes).toString('hex') + '\n') : Buffer.from(bytes));
  }
  process.stdout.write(Buffer.concat(out));
  return status;
}
