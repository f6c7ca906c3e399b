// A bounded pool of workers pulling from one lazy source. The source is pulled only when a worker is free,
// so a listing of 10,000 apps is never held in memory at once, and a stop signal leaves in-flight work to finish.

export interface PoolOptions {
  concurrency: number;
  /** When aborted, workers take no new item; items already taken run to completion. */
  signal?: AbortSignal;
}

/**
 * Runs `work` on every item of `source`, at most `concurrency` at a time. An error from `work` is the
 * caller's to prevent (catch inside `work`); an error from the source (e.g. a listing that failed)
 * stops the taking of new items and is rethrown once the in-flight items are done.
 */
export async function runPool<T>(
  source: AsyncIterable<T>,
  work: (item: T) => Promise<void>,
  options: PoolOptions,
): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  let failure: { error: unknown } | undefined;
  let exhausted = false;

  const take = async (): Promise<IteratorResult<T> | undefined> => {
    if (exhausted || failure || options.signal?.aborted) return undefined;
    try {
      // Async generators queue concurrent next() calls, so workers can share one iterator safely.
      const next = await iterator.next();
      if (next.done) exhausted = true;
      return next;
    } catch (error) {
      failure ??= { error };
      return undefined;
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const next = await take();
      if (!next || next.done) return;
      try {
        await work(next.value);
      } catch (error) {
        failure ??= { error };
        return;
      }
    }
  };

  const workers = Array.from({ length: Math.max(1, options.concurrency) }, () => worker());
  await Promise.all(workers);
  if (!exhausted) await iterator.return?.(undefined).catch(() => undefined);
  if (failure) throw failure.error;
}
