// Groups a lazy stream into chunks without waiting on the network: a chunk closes when it is full or when
// the next item is not already at hand (the source would have to make a request to produce it). Listed apps
// arrive a whole listing at a time, so chunks follow listing windows and workers never idle on a half-full chunk.

/** Resolves on the next turn of the event loop, after every promise already settled has run its callbacks. */
const nextTurn = (): Promise<typeof NOT_READY> => new Promise((resolve) => setImmediate(() => resolve(NOT_READY)));
const NOT_READY = Symbol('not ready');

export async function* chunkWhileReady<T>(source: AsyncIterable<T>, maxSize: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  let chunk: T[] = [];
  try {
    for (;;) {
      pending ??= iterator.next();
      const ready = chunk.length === 0 ? await pending : await Promise.race([pending, nextTurn()]);
      if (ready === NOT_READY) {
        // The source is waiting on I/O: hand over what we have and keep the pending pull for later.
        yield chunk;
        chunk = [];
        continue;
      }
      pending = undefined;
      if (ready.done) break;
      chunk.push(ready.value);
      if (chunk.length >= maxSize) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  } finally {
    // Stopped early: let the source release what it holds, once any pull in flight has settled.
    if (pending === undefined) await iterator.return?.(undefined);
    else
      void pending.then(
        () => iterator.return?.(undefined),
        () => undefined,
      );
  }
}
