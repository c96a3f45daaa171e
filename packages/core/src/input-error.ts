/**
 * A problem with one input record. It names the file, the byte offset and what was wrong, and carries a
 * short machine-readable reason under which the ledger counts it.
 */
export class InputError extends Error {
  constructor(
    readonly reason: string,
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`${file} @${offset}: ${reason}: ${detail}`);
    this.name = 'InputError';
  }
}
