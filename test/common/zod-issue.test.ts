import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { firstPerPath, issueAt, issueText, valueAt } from '../../src/common/zod-issue.js';

const schema = z
  .object({
    count: z.number().int().positive(),
    ratio: z.number().min(1),
    share: z.number().max(1),
    name: z.string().min(1),
    mode: z.enum(['cost', 'duration']),
    flag: z.boolean(),
    list: z.array(z.number()).length(4),
    size: z.union([z.number(), z.string()]),
  })
  .strict();

const good = { count: 2, ratio: 1.5, share: 0.5, name: 'x', mode: 'cost', flag: true, list: [1, 2, 3, 4], size: 4 };

/** The problems of `value`, each as issueAt words it. */
function problems(value: unknown): string[] {
  const r = schema.safeParse(value);
  assert.ok(!r.success);
  return firstPerPath(r.error.issues).map((i) => issueAt(i, value));
}

test('each kind of problem says what the value must be and what it was', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ count: 2.5 }, 'count: must be a whole number, got 2.5'],
    [{ count: '4' }, 'count: must be a number, got "4"'],
    [{ count: 0 }, 'count: must be above 0, got 0'],
    [{ ratio: 0.5 }, 'ratio: must be 1 or more, got 0.5'],
    [{ share: 2 }, 'share: must be 1 or less, got 2'],
    [{ name: '' }, 'name: must not be empty'],
    [{ mode: 'cheap' }, 'mode: must be one of "cost", "duration", got "cheap"'],
    [{ mode: 'durration' }, 'mode: must be one of "cost", "duration", got "durration" (did you mean "duration"?)'],
    [{ flag: 'yes' }, 'flag: must be true or false, got "yes"'],
    [{ list: [1, 2] }, 'list: must have exactly 4 items, got 2'],
    [{ list: '1,2' }, 'list: must be a list, got "1,2"'],
    [{ size: true }, 'size: must be a number or text, got true'],
    [{ count: undefined }, 'count: is required'],
    [{ extra: 1 }, "unknown field 'extra'"],
  ];
  for (const [change, words] of cases) assert.deepEqual(problems({ ...good, ...change }), [words], words);
});

test('every problem of a value is worded, and the whole value when it is not a mapping', () => {
  assert.deepEqual(problems({ ...good, count: -1, flag: 1 }), [
    'count: must be above 0, got -1',
    'flag: must be true or false, got 1',
  ]);
  const r = schema.safeParse([1]);
  assert.ok(!r.success);
  assert.equal(issueText(r.error.issues[0]!, [1]), 'must be a mapping, got a list of 1');
});

test('a long text is cut in the message', () => {
  const [words] = problems({ ...good, mode: 'x'.repeat(200) });
  assert.ok(words!.length < 120, words);
  assert.match(words!, /\.\.\."$/);
});

test('valueAt follows a path through mappings and lists, and stops at a missing step', () => {
  const v = { a: { b: [10, { c: 'x' }] } };
  assert.equal(valueAt(v, ['a', 'b', 1, 'c']), 'x');
  assert.equal(valueAt(v, ['a', 'b', 0]), 10);
  assert.equal(valueAt(v, ['a', 'z', 'c']), undefined);
  assert.equal(valueAt(null, ['a']), undefined);
});

test('a secret is never shown: credentials in a URL are cut out, and a secret key shows only the kind of its value', () => {
  const secrets = z.object({
    url: z.string().regex(/^https?:/, 'expected an http:// or https:// URL'),
    password: z.string(),
    bearerToken: z.string().min(40),
    apiKey: z.number(),
    headers: z.array(z.string().regex(/:/, "expected 'Name: value'")),
  });
  const value = {
    url: 'ftp://svc:s3cret@h/?token=t0ken',
    password: 12345,
    bearerToken: 's3cret-short',
    apiKey: 's3cret-key',
    headers: ['X-Api-Key s3cret'],
  };
  const r = secrets.safeParse(value);
  assert.ok(!r.success);
  const words = firstPerPath(r.error.issues).map((i) => issueAt(i, value));
  assert.deepEqual(words, [
    'url: expected an http:// or https:// URL, got "ftp://svc:*********(redacted)@h/?token=*********(redacted)"',
    'password: must be text, got a number',
    'bearerToken: must be at least 40 characters',
    'apiKey: must be a number, got text',
    "headers.0: expected 'Name: value', got text",
  ]);
  for (const w of words) assert.doesNotMatch(w, /s3cret|t0ken|12345/);
});

test("a server's answer shows only the kinds of its values", () => {
  const answer = z.object({ stages: z.array(z.object({ name: z.number() })) });
  const value = { stages: [{ name: 'spark.secret.thing=abc' }] };
  const r = answer.safeParse(value);
  assert.ok(!r.success);
  assert.equal(issueAt(r.error.issues[0]!, value, { values: 'kinds' }), 'stages.0.name: must be a number, got text');
});
