/** Flags every codec command takes: --dialect and --arch. */
import { normalizeArchName, normalizeDialectName } from '../abi/dialect.js';
import type { CodecOptions } from '../codec/message.js';

export const CODEC_FLAGS = {
  dialect: { type: 'string' },
  arch: { type: 'string' },
} as const;

/** Validated codec options from parsed flags; throws a RangeError naming a bad value. */
export function codecOptions(values: { dialect?: string; arch?: string }): CodecOptions {
  const opts: CodecOptions = {};
  if (values.dialect) opts.dialect = normalizeDialectName(values.dialect);
  if (values.arch) opts.arch = normalizeArchName(values.arch);
  return opts;
}
