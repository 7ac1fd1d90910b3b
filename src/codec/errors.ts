/**
 * The codec's two error types. Decoding bad bytes throws only RtsockDecodeError; encoding
 * an impossible value throws only RtsockEncodeError. Both carry a stable `code`.
 */

/** Why a decode failed. */
export type DecodeErrorCode =
  | 'SHORT_BUFFER'      // fewer bytes than the framing needs
  | 'BAD_MSGLEN'        // msglen below the header size, or past the buffer
  | 'BAD_HDRLEN'        // hdrlen inside the fixed header, or past msglen
  | 'UNKNOWN_VERSION'   // rtm_version no dialect knows (or not the forced one)
  | 'UNKNOWN_TYPE'      // a type the dialect does not define
  | 'BAD_SOCKADDR'      // a sockaddr that runs past msglen
  | 'BAD_ADDRS'         // an addrs bit beyond the dialect's RTAX_MAX
  | 'BAD_TEXT';         // unparseable text input (hex, JSON or sockaddr text)

export class RtsockDecodeError extends Error {
  override readonly name = 'RtsockDecodeError';
  /** @param offset byte offset (within the input buffer) where the problem was found */
  constructor(readonly code: DecodeErrorCode, readonly offset: number, readonly reason: string) {
    super(`${reason} (at offset ${offset})`);
  }

  /** The same error found `base` bytes further into a larger input (a stream, a dump). */
  shifted(base: number): RtsockDecodeError {
    return new RtsockDecodeError(this.code, this.offset + base, this.reason);
  }
}

export type EncodeErrorCode = 'BAD_VALUE' | 'BAD_DIALECT' | 'TOO_LONG';

export class RtsockEncodeError extends Error {
  override readonly name = 'RtsockEncodeError';
  /** @param path the value's field path, e.g. `sockaddrs.dst.addr` */
  constructor(readonly code: EncodeErrorCode, readonly path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
  }
}
