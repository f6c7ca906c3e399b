import { constants } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileProblem } from '../format.js';

// spark-submit's --properties-file is a Java properties file. Spark reads it with java.util.Properties, so we
// follow that format: '#'/'!' comments, '=', ':' or whitespace separators, backslash line continuations and
// escapes. Fill mode must see what it sets, or Spot would override a value the user thinks is theirs.

export function parseJavaProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (endsWithOddBackslashes(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }
    let k = 0;
    let key = '';
    for (; k < line.length; k++) {
      const c = line[k]!;
      if (c === '\\' && k + 1 < line.length) {
        key += unescapeChar(line[++k]!);
        continue;
      }
      if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
      key += c;
    }
    let rest = line.slice(k).replace(/^[ \t\f]*/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
    out.set(key, unescapeAll(rest));
  }
  return out;
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function unescapeChar(c: string): string {
  return c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'f' ? '\f' : c;
}

function unescapeAll(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\(.)/g, (_m, hex: string | undefined, c: string | undefined) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : unescapeChar(c!),
  );
}

/**
 * Reads the --properties-file; Spark trims values of properties it loads from it. Only a regular file (or a
 * directory, which fails to read at once): spark-submit refuses any other ("is not a normal file"), and reading a FIFO
 * (`--properties-file <(...)`) would wait for a writer or take its content, once, from under spark-submit.
 */
export async function readPropertiesFile(path: string): Promise<Map<string, string>> {
  let text: string;
  try {
    const st = await stat(path);
    if (!st.isFile() && !st.isDirectory()) {
      throw new Error(
        `the properties file ${path} is not a regular file (${kindOf(st)}): Spot leaves it unread, to spark-submit`,
      );
    }
    // Non-blocking: a FIFO put in its place since the look above fails at once rather than waiting for a writer.
    text = await readFile(path, { encoding: 'utf8', flag: constants.O_RDONLY | constants.O_NONBLOCK });
  } catch (err) {
    if (!(err as NodeJS.ErrnoException).code) throw err;
    // Node's own words ("ENOENT: no such file or directory, open '…'") do not say which file of the launch it was.
    throw new Error(`cannot read the properties file ${path}: ${fileProblem(err)}`);
  }
  const props = parseJavaProperties(text);
  for (const [k, v] of props) props.set(k, v.trim());
  return props;
}

function kindOf(st: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean }): string {
  return st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() ? 'a device' : 'not a file';
}
