import { readFile } from 'node:fs/promises';

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

/** Reads the --properties-file; Spark trims values of properties it loads from it. */
export async function readPropertiesFile(path: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    // Node's own words ("ENOENT: no such file or directory, open '…'") do not say which file of the launch it was.
    throw new Error(`cannot read the properties file ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const props = parseJavaProperties(text);
  for (const [k, v] of props) props.set(k, v.trim());
  return props;
}
