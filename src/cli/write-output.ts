import { writeFile } from 'node:fs/promises';
import { UserFacingError } from './context.js';

// The files commands write at the user's word (a report, a chart, saved objects): a folder that is not there or
// cannot be written is one line that names the file, as every other user error is.

/** Writes `data` to `path`; `what` names it in the error ("the report"). */
export async function writeOutput(path: string, data: string, what: string): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UserFacingError(`cannot write ${what} to ${path}: ${reason}`);
  }
}
