import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileProblem } from '../format.js';
import { ConfigError } from './errors.js';
import { jsonSyntaxProblem } from './json-syntax.js';

// Reading one config file without ever blocking on it and without trusting it more than its permissions allow.
// A FIFO, a device or a socket would block a plain read forever (a launch that never launches), so only regular
// files are read, and they are opened non-blocking and checked again on the open descriptor. A file others may
// write to could name any program as spark-submit: it is refused, with the fix in the message; so is a file
// found by searching that belongs to someone else.

/** Larger than any real config; a bigger file is a mistake (or an attack), not settings. */
const MAX_BYTES = 1024 * 1024;

export interface ConfigFileContent {
  file: string;
  /** The parsed document; undefined for an empty file. */
  value: unknown;
}

export interface ReadOptions {
  /**
   * Found by searching rather than named by the user: it must also be the user's own (or root's), as git
   * asks of a repository, so that a folder someone else made (a /tmp/build of theirs) cannot configure us.
   */
  found?: boolean;
}

export function readConfigFile(file: string, opts: ReadOptions = {}): ConfigFileContent {
  return { file, value: parseConfigText(file, readConfigText(file, opts)) };
}

/** The file's text, read under the checks above; parsed by parseConfigText (the launch path may not need to). */
export function readConfigText(file: string, opts: ReadOptions = {}): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${fileProblem(e)}`);
  }
  if (!st.isFile()) throw new ConfigError(`${file} is not a regular file (a config file must be one)`);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${fileProblem(e)}`);
  }
  let text: string;
  try {
    const opened = fstatSync(fd); // the file as opened: it may have been swapped since the first look
    if (!opened.isFile()) throw new ConfigError(`${file} is not a regular file (a config file must be one)`);
    if ((opened.mode & 0o022) !== 0) {
      const mode = (opened.mode & 0o777).toString(8).padStart(4, '0');
      // Name who may write it as the mode says: 0664 is its group's to write, not everyone's.
      const who = { 0o020: 'its group', 0o002: 'others', 0o022: 'its group and others' }[opened.mode & 0o022];
      throw new ConfigError(
        `${file} is writable by ${who} (mode ${mode}); Spot does not read it. Fix: chmod go-w ${file}`,
      );
    }
    const uid = process.getuid?.();
    if (opts.found && uid !== undefined && opened.uid !== uid && opened.uid !== 0) {
      throw new ConfigError(
        `${file} belongs to another user (uid ${opened.uid}); Spot reads only your own config files. Name it with --config or SPOT_CONFIG if you trust it`,
      );
    }
    if (opened.size > MAX_BYTES)
      throw new ConfigError(`${file} is ${opened.size} bytes; a config file is at most ${MAX_BYTES}`);
    const buf = Buffer.alloc(opened.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    text = buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
  return text;
}

/** Code, not data: named with --config or SPOT_CONFIG, such a file is refused as found ones are (discover.ts). */
const CODE_EXTENSIONS = ['.js', '.cjs', '.mjs', '.ts', '.cts', '.mts'];

export function parseConfigText(file: string, text: string): unknown {
  if (CODE_EXTENSIONS.includes(extname(file))) {
    throw new ConfigError(
      `${file}: JavaScript config files are not read (data formats only); write the settings as YAML or JSON (.spotrc.yml)`,
    );
  }
  if (text.trim() === '') return undefined;
  if (extname(file) === '.json') {
    // A byte-order mark (editors on Windows write one) is not JSON; YAML's parser skips it itself.
    const json = text.replace(/^\uFEFF/, '');
    try {
      return JSON.parse(json) as unknown;
    } catch {
      // Not JSON.parse's words: they quote the file's text, which may be a password (json-syntax.ts).
      const at = jsonSyntaxProblem(json);
      throw new ConfigError(
        at
          ? `${file} is not valid JSON: line ${at.line}, column ${at.column}: ${at.problem}`
          : `${file} is not valid JSON`,
      );
    }
  }
  try {
    // Loaded only for a YAML file, and synchronously (the config is read before anything else): spot-submit
    // without a config file, or with a JSON one, never pays for the YAML parser (see bench/submit.ts).
    const { parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    const doc = parseDocument(text, { prettyErrors: true });
    const [problem] = [...doc.errors, ...doc.warnings];
    // A warning (a YAML version or a tag the parser does not know) means a value may not read as written: it is
    // as much a config error as a syntax error, and would otherwise be printed raw by Node, with a stack hint.
    if (problem) throw problem;
    return doc.toJS() as unknown;
  } catch (e) {
    // The yaml library's message is "<reason> at line L, column C:\n<excerpt>": keep the first line.
    throw new ConfigError(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]!.replace(/:$/, '')}`);
  }
}
