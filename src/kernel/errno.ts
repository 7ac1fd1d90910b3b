/**
 * OpenBSD errno values and strerror(3) texts for what the routing core can fail with.
 * Numbers are sys/sys/errno.h's (BSD numbering, not Linux's).
 */

export const ERRNO = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, ENXIO: 6, EBADF: 9, EACCES: 13, EBUSY: 16, EEXIST: 17, EINVAL: 22, ENOTTY: 25,
  EPIPE: 32, EMSGSIZE: 40,
  ENOPROTOOPT: 42, EPROTONOSUPPORT: 43, EOPNOTSUPP: 45, EAFNOSUPPORT: 47, EADDRINUSE: 48, EADDRNOTAVAIL: 49,
  ENETUNREACH: 51, ENOBUFS: 55, EISCONN: 56, ENAMETOOLONG: 63, EHOSTDOWN: 64, EHOSTUNREACH: 65, ENOTSUP: 91,
} as const;

export type ErrnoCode = keyof typeof ERRNO;

const STRERROR: Record<number, string> = {
  1: 'Operation not permitted',
  2: 'No such file or directory',
  3: 'No such process',
  6: 'Device not configured',
  9: 'Bad file descriptor',
  13: 'Permission denied',
  16: 'Device busy',
  17: 'File exists',
  22: 'Invalid argument',
  25: 'Inappropriate ioctl for device',
  32: 'Broken pipe',
  40: 'Message too long',
  42: 'Protocol not available',
  43: 'Protocol not supported',
  45: 'Operation not supported',
  47: 'Address family not supported by protocol family',
  48: 'Address already in use',
  49: "Can't assign requested address",
  51: 'Network is unreachable',
  55: 'No buffer space available',
  56: 'Socket is already connected',
  63: 'File name too long',
  64: 'Host is down',
  65: 'No route to host',
  91: 'Not supported',
};

const CODE_OF: Record<number, ErrnoCode> = Object.fromEntries(
  Object.entries(ERRNO).map(([k, v]) => [v, k as ErrnoCode]),
);

/** OpenBSD's strerror(n): `Unknown error: n` for numbers this model never produces. */
export function strerror(errno: number): string {
  return STRERROR[errno] ?? `Unknown error: ${errno}`;
}

/** A failed system call on the model: `errno` is the number write(2)/setsockopt(2) would set. */
export class RtsockErrno extends Error {
  override readonly name = 'RtsockErrno';
  readonly code: ErrnoCode;
  constructor(readonly errno: number, detail?: string) {
    super(detail ? `${strerror(errno)} (${detail})` : strerror(errno));
    this.code = CODE_OF[errno] ?? ('EINVAL' as ErrnoCode);
  }
}

/** Throws RtsockErrno for a symbolic code. */
export function fail(code: ErrnoCode, detail?: string): never {
  throw new RtsockErrno(ERRNO[code], detail);
}
