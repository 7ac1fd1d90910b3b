/**
 * The public JSON form of a message (one object per line in `rtsock decode --json`):
 * `dialect`, `hdr`, header fields under their C names without the struct prefix, `type`
 * as its RTM_ name (a number if unknown), 64-bit counters as decimal strings, and
 * `sockaddrs` by lowercase RTAX name, each `{len, family, text, kind, ...fields}`.
 * Everything needed to re-encode exactly (pad bytes, trimmed lengths) is kept, so
 * encode(fromJson(toJson(decode(b)))) is b.
 */
import { getDialect, type Dialect } from '../abi/dialect.js';
import { nameOf } from '../abi/constants.js';
import { RtsockDecodeError } from './errors.js';
import type { Message, MessageInput, SockaddrsInput } from './message.js';
import type { SkippedMessage } from './dump.js';
import { SlotMode } from '../abi/dialect.js';
import { AF_INET, AF_INET6, type Sockaddr, type SockaddrInput } from './sockaddr.js';
import { formatSockaddr, parseSockaddr } from './text.js';
import { bytesToHex } from './bytes.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

function plain(v: unknown): JsonValue {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const o: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = plain(x);
    return o;
  }
  return v as JsonValue;
}

/** The JSON object of a decoded message. */
export function toJson(msg: Message): JsonObject {
  const d = getDialect(msg.dialect, msg.arch);
  const out: JsonObject = { dialect: msg.dialect };
  if (msg.arch) out['arch'] = msg.arch;
  out['hdr'] = msg.hdr;
  for (const [k, v] of Object.entries(msg)) {
    if (k === 'dialect' || k === 'arch' || k === 'hdr' || k === 'sockaddrs' || v === undefined) continue;
    out[k] = k === 'type' ? (nameOf('RTM', v as number, d.name) ?? (v as number)) : plain(v);
  }
  const sas = (msg as { sockaddrs?: Record<string, Sockaddr | undefined> }).sockaddrs;
  if (sas) {
    const o: JsonObject = {};
    for (const [slot, sa] of Object.entries(sas)) {
      if (!sa) continue;
      const { len, family, ...rest } = sa;
      o[slot] = { len, family, text: formatSockaddr(sa, d), ...(plain(rest) as JsonObject) };
    }
    out['sockaddrs'] = o;
  }
  return out;
}

/** The JSON object standing for a skipped message: its bytes and why it was skipped. */
export function skippedToJson(s: SkippedMessage): JsonObject {
  return { skipped: s.error.message, code: s.error.code, raw: bytesToHex(s.bytes) };
}

/** A skipped message's JSON: its bytes, re-emitted as they were. */
export interface RawJson { raw: string }

export function isRawJson(v: MessageInput | RawJson): v is RawJson {
  return typeof (v as { raw?: unknown }).raw === 'string';
}

/**
 * A message input from its JSON object (as toJson writes it, or hand-written: any field may
 * be left out, `type` may be a name or number, a sockaddr may be given by `text` alone).
 * Returns raw bytes for a skipped-message object. Throws RtsockDecodeError (BAD_TEXT).
 */
export function fromJson(obj: unknown, fallbackDialect?: string): MessageInput | RawJson {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new RtsockDecodeError('BAD_TEXT', 0, 'a message must be a JSON object');
  }
  const o = obj as Record<string, unknown>;
  if (typeof o['raw'] === 'string') return { raw: o['raw'] };
  const msg: MessageInput = { ...(o as MessageInput) };
  const sas = o['sockaddrs'];
  if (sas !== undefined) {
    if (typeof sas !== 'object' || sas === null) throw new RtsockDecodeError('BAD_TEXT', 0, 'sockaddrs must be an object');
    let d: Dialect;
    try {
      d = getDialect((o['dialect'] as string | undefined) ?? fallbackDialect, (o['arch'] as string | undefined));
    } catch (e) {
      throw new RtsockDecodeError('BAD_TEXT', 0, (e as Error).message);
    }
    const entries = sas as Record<string, Record<string, unknown>>;
    const dst = entries['dst'] ?? entries['ifa'];
    const routeFamily = dst?.['kind'] === 'inet' ? AF_INET : dst?.['kind'] === 'inet6' ? AF_INET6 : Number(dst?.['family'] ?? 0);
    const out: SockaddrsInput = {};
    for (const [slot, sa] of Object.entries(entries)) {
      if (typeof sa !== 'object' || sa === null) throw new RtsockDecodeError('BAD_TEXT', 0, `sockaddr ${slot} must be an object`);
      if (sa['kind'] === undefined && typeof sa['text'] === 'string') {
        const i = d.rtaxSlots.indexOf(slot);
        const mode = (i >= 0 ? d.slotModes[i]! : SlotMode.ByFamily) as SlotMode;
        out[slot] = parseSockaddr(sa['text'], { dialect: d, mode, routeFamily });
      } else {
        const { text: _text, ...fields } = sa;
        out[slot] = fields as unknown as SockaddrInput;
      }
    }
    msg.sockaddrs = out;
  }
  return msg;
}
