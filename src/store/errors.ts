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

/**
 * A command that only reads (or copies from) a store found none where the config points: `where` names it (the
 * SQLite file, or the cluster and its agg index). Opening it for writing would create an empty one there.
 */
export class StoreMissingError extends StoreError {
  override name = 'StoreMissingError';
  constructor(readonly where: string) {
    super(`no Spot store at ${where} yet`);
  }
}

/**
 * The cluster's security refused a request or a document (401, 403): the credentials, or their roles, and not the
 * document, are the trouble, so every write like it is refused too. A crawl stops on it rather than file an error
 * against each app (each counting towards crawler.maxAppRetries); what is not stored is asked again next time.
 */
export class StoreAccessError extends StoreError {
  override name = 'StoreAccessError';
}
