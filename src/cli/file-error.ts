import { fileProblem } from '../format.js';
import { UserFacingError } from './context.js';

// Which exit code a file Spot cannot use gets (README, Commands): a path named wrong is the user's to fix, as a
// usage error is; a disk that fails under a right one is a runtime failure.

/**
 * Node's codes for a path that cannot be used as it was named (not there, a folder, not permitted): a changed
 * command line or config fixes it, as a usage error, unlike a full disk or a failing device.
 */
const PATH_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'ELOOP', 'ENAMETOOLONG', 'EROFS']);

/**
 * A file a command was told to read or write that it cannot: `what` ("cannot read runs.jsonl") and why in words;
 * exit 2 when the path is the problem, as for `--config FILE`, else (a full disk, an I/O error) 1.
 */
export function fileError(what: string, err: unknown, opts: { createdIn?: string } = {}): UserFacingError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new UserFacingError(`${what}: ${fileProblem(err, opts)}`, code && PATH_CODES.has(code) ? 2 : 1);
}
