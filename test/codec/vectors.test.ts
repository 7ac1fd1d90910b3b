/**
 * Golden vectors (spec-vectors/*.json, bytes hand-assembled from abi.md by
 * tools/make-vectors.mjs) run both ways: decode(hex) -> toJson equals `json`, and
 * encode(fromJson(json)) gives back `hex`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchName } from '../../src/abi/dialect.js';
import { encodeMessage } from '../../src/codec/message.js';
import { iterateMessages } from '../../src/codec/dump.js';
import { fromJson, skippedToJson, toJson } from '../../src/codec/json.js';
import { TYPES, hex, unhex } from './helpers.js';

interface Vector { name: string; description: string; dialect: string; arch: ArchName; hex: string; json: Record<string, unknown>[] }

const DIR = join(process.cwd(), 'spec-vectors');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const all: [string, Vector][] = files.flatMap((f) => (JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Vector[]).map((v) => [f, v] as [string, Vector]));

describe('spec-vectors files', () => {
  test('at least 40 vectors, well-formed, one file per dialect and arch', () => {
    expect(all.length).toBeGreaterThanOrEqual(40);
    const names = new Set<string>();
    for (const [f, v] of all) {
      expect(f).toBe(`${v.dialect}.${v.arch}.json`);
      expect(typeof v.description).toBe('string');
      expect(v.hex).toMatch(/^([0-9a-f]{2})+$/);
      expect(Array.isArray(v.json) && v.json.length > 0).toBe(true);
      expect(names.has(v.name)).toBe(false);
      names.add(v.name);
    }
  });

  test('every message type of each dialect has a vector', () => {
    for (const d of ['openbsd-4.9', 'openbsd'] as const) {
      const seen = new Set(all.filter(([, v]) => v.dialect === d).flatMap(([, v]) => v.json.map((j) => j['type'])));
      for (const [name] of TYPES[d]) expect([d, seen.has(name)]).toEqual([d, true]);
    }
  });
});

describe.each(files)('%s', (file) => {
  const vectors = all.filter(([f]) => f === file).map(([, v]) => [v.name, v] as const);
  test.each(vectors)('%s: decode -> toJson', (_name, v) => {
    const got = [...iterateMessages(unhex(v.hex), { arch: v.arch })]
      .map((it) => ('message' in it ? toJson(it.message) : skippedToJson(it.skipped)));
    expect(JSON.parse(JSON.stringify(got))).toEqual(v.json);
  });
  test.each(vectors)('%s: encode(fromJson) -> hex', (_name, v) => {
    const parts = v.json.map((j) => {
      const m = fromJson(structuredClone(j));
      return 'raw' in m ? unhex((m as { raw: string }).raw) : encodeMessage(m);
    });
    expect(hex(new Uint8Array(Buffer.concat(parts)))).toBe(v.hex);
  });
});
