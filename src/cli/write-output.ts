import { open, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserFacingError } from './context.js';
import { fileError } from './file-error.js';

// The files commands write at the user's word (a report, a chart, saved objects): a folder that is not there or
// cannot be written is one line that names the file, as every other user error is. Where a command's standard
// output carries nothing else, `--out -` writes there instead, as most command-line tools read it.

/** The `--out` value that means standard output. */
const STDOUT = '-';
/** The first bytes of every SQLite database file: Spot's store, or any other, is never written over. */
const SQLITE_HEADER = 'SQLite format 3\0';

/** Whether `path` is an existing SQLite database (a missing or unreadable file is not). */
async function isSqliteFile(path: string): Promise<boolean> {
  try {
    const file = await open(path, 'r');
    try {
      const head = Buffer.alloc(SQLITE_HEADER.length);
      await file.read(head, 0, head.length, 0);
      return head.toString('latin1') === SQLITE_HEADER;
    } finally {
      await file.close();
    }
  } catch {
    return false;
  }
}

/**
 * Writes `data` to the file `target` (resolved from the working folder) and returns its path; with `stdout` given,
 * a `target` of "-" is written there instead and nothing is returned. `what` names it in the error ("the report").
 */
export async function writeOutput(
  target: string,
  data: string,
  what: string,
  stdout?: { write(text: string): unknown },
): Promise<string | undefined> {
  if (stdout && target === STDOUT) {
    stdout.write(data);
    return undefined;
  }
  const path = resolve(target);
  if (await isSqliteFile(path)) {
    throw new UserFacingError(`will not write ${what} over ${path}: it is a SQLite database (a Spot store?)`, 2);
  }
  try {
    await writeFile(path, data);
  } catch (err) {
    throw fileError(`cannot write ${what} to ${path}`, err, { createdIn: dirname(path) });
  }
  return path;
}
