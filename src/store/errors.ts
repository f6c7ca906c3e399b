/**
 * A store that cannot be opened or used as asked (not a database, a newer schema, an unreachable
 * cluster). The message is meant for the user as it is: it names the file or URL and what to do.
 */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
