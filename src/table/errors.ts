/** Why a table operation rejected its input. */
export type TableErrorReason =
  | 'bad-prefix-length'
  | 'bad-address-length'
  | 'bad-strides'
  | 'bad-family'
  | 'bad-bulk-input';

/**
 * Thrown for input a table cannot represent (prefix length out of range, address of the wrong
 * byte length, unusable stride list, unknown address family, bulk input that is not sorted, distinct and masked). Never thrown for "not found".
 */
export class TableError extends Error {
  /** Machine-readable cause, stable across message wording changes. */
  readonly reason: TableErrorReason;

  constructor(reason: TableErrorReason, message: string) {
    super(message);
    this.name = 'TableError';
    this.reason = reason;
  }
}
