import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runPool } from '../../src/crawl/pool.js';
import { chunkWhileReady } from '../../src/crawl/chunk.js';

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));

/** A source's request on the network, answered when the test says. */
function listingRequest(): { answered: Promise<void>; answer: () => void } {
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => {
    answer = resolve;
  });
  return { answered, answer };
}

async function* numbers(n: number, pulled?: { count: number }) {
  for (let i = 0; i < n; i++) {
    if (pulled) pulled.count++;
    yield i;
  }
}

describe('runPool', () => {
  test('runs every item once and never more than `concurrency` at a time', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(
      numbers(50),
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await tick(i % 3);
        seen.push(i);
        running--;
      },
      { concurrency: 4 },
    );
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.equal(peak, 4);
  });

  test('pulls the source lazily: no more than the workers hold', async () => {
    const pulled = { count: 0 };
    let maxAhead = 0;
    let done = 0;
    await runPool(
      numbers(100, pulled),
      async () => {
        maxAhead = Math.max(maxAhead, pulled.count - done);
        await tick();
        done++;
      },
      { concurrency: 3 },
    );
    assert.ok(maxAhead <= 4, `pulled ${maxAhead} ahead of the finished items`);
  });

  test('a stop signal lets items in flight finish and takes no new ones', async () => {
    const stop = new AbortController();
    const finished: number[] = [];
    await runPool(
      numbers(1000),
      async (i) => {
        if (i === 5) stop.abort();
        await tick(2);
        finished.push(i);
      },
      { concurrency: 3, signal: stop.signal },
    );
    assert.ok(finished.includes(5), 'the item that raised the signal finished');
    assert.ok(finished.length < 20, `took ${finished.length} items`);
  });

  test('a failing source is rethrown after the items in flight are done', async () => {
    async function* failing() {
      yield 1;
      yield 2;
      throw new Error('listing failed');
    }
    const finished: number[] = [];
    await assert.rejects(
      runPool(
        failing(),
        async (i) => {
          await tick(5);
          finished.push(i);
        },
        { concurrency: 4 },
      ),
      /listing failed/,
    );
    assert.deepEqual([...finished].sort(), [1, 2]);
  });
});

describe('chunkWhileReady', () => {
  test('cuts at the size limit and where the source waits on I/O', async () => {
    // Each listing request is answered only once the consumer holds the previous listing's last chunk: the source
    // is still waiting when chunkWhileReady looks, whatever the machine's load (a timer could have fired first).
    let answer = listingRequest();
    async function* listings() {
      for (let w = 0; w < 3; w++) {
        if (w > 0) await answer.answered;
        for (let i = 0; i < 7; i++) yield `${w}-${i}`;
      }
    }
    const chunks: string[][] = [];
    for await (const c of chunkWhileReady(listings(), 5)) {
      chunks.push(c);
      if (c.at(-1)?.endsWith('-6')) {
        const asked = answer;
        answer = listingRequest();
        asked.answer();
      }
    }
    assert.deepEqual(
      chunks.map((c) => c.length),
      [5, 2, 5, 2, 5, 2],
    );
    assert.deepEqual(chunks.flat().length, 21);
    assert.equal(new Set(chunks.flat()).size, 21);
  });

  test('passes a source error on', async () => {
    // The source fails on a request answered only once the consumer holds the first chunk, not on a timer that
    // could fire before chunkWhileReady looks.
    const request = listingRequest();
    async function* failing() {
      yield 1;
      await request.answered;
      throw new Error('boom');
    }
    const got: number[][] = [];
    await assert.rejects(async () => {
      for await (const c of chunkWhileReady(failing(), 10)) {
        got.push(c);
        request.answer();
      }
    }, /boom/);
    assert.deepEqual(got, [[1]]);
  });
});
