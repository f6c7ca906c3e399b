import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOptional } from '../../src/cli/optional.js';

// Node's own error for a package that is not installed, produced by importing one that cannot exist.
async function missingPackageError(): Promise<Error> {
  const name = 'spot-no-such-package-for-this-test';
  try {
    await import(name);
  } catch (err) {
    return err as Error;
  }
  throw new Error('import unexpectedly succeeded');
}

test('a missing optional package becomes one line that names the install to run', async () => {
  const err = await missingPackageError();
  await assert.rejects(
    importOptional('spot report', ['spot-no-such-package-for-this-test'], () => Promise.reject(err)),
    (e: Error & { exitCode?: number }) => {
      assert.equal(e.name, 'UserFacingError');
      assert.equal(
        e.message,
        'spot report needs the optional package spot-no-such-package-for-this-test, left out of this install: npm install spot-no-such-package-for-this-test',
      );
      return true;
    },
  );
});

test('any other failure, or another missing module, passes through unchanged', async () => {
  const err = await missingPackageError();
  await assert.rejects(
    importOptional('spot report', ['vega', 'vega-lite'], () => Promise.reject(err)),
    (e: Error) => e === err,
  );
  const other = new Error('boom');
  await assert.rejects(
    importOptional('spot report', ['vega'], () => Promise.reject(other)),
    (e: Error) => e === other,
  );
  assert.equal(await importOptional('spot report', ['vega'], async () => 42), 42);
});
