import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';

// Arguments and environment values that are not valid UTF-8 (a Latin-1 file name, a byte string a script built),
// passed on byte for byte. Node decodes argv and the environment as UTF-8, each bad byte becoming U+FFFD, and encodes
// what it spawns as UTF-8 again: spark-submit got EF BF BD where the user wrote FF. Linux keeps the bytes as given in
// /proc/self/cmdline and /proc/self/environ; the shell that execs spark-submit (launch.ts) writes them back, each byte
// as a printf octal escape, since no word Node hands a child can hold them.

/** The bytes behind words Node decoded with replacement characters: each word's bytes, by its decoded text. */
export interface RawWords {
  /** Arguments and environment values whose bytes are not UTF-8, by the text Node made of them. */
  argv: Map<string, Buffer>;
  env: Map<string, Buffer>;
  /** Why a word cannot be passed on unchanged, when one cannot (spot-submit then launches nothing). */
  problem?: string;
}

function split(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let nul = buf.indexOf(0); nul >= 0; nul = buf.indexOf(0, at)) {
    out.push(buf.subarray(at, nul));
    at = nul + 1;
  }
  if (at < buf.length) out.push(buf.subarray(at));
  return out;
}

function readProc(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The bytes of spot-submit's own arguments (`args`, as Node decoded them: the last of its command line) and of its
 * environment, where they are not UTF-8. Undefined when every word is (the usual case, at the cost of reading them).
 */
export function rawWords(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  proc = { cmdline: '/proc/self/cmdline', environ: '/proc/self/environ' },
): RawWords | undefined {
  const words: RawWords = { argv: new Map(), env: new Map() };
  const cmdline = readProc(proc.cmdline);
  if (cmdline && args.length > 0) {
    const raw = split(cmdline).slice(-args.length);
    // Arguments are named by their place, never quoted: the word may be a password (`--conf ...password=...`).
    const place = new Map<string, number>();
    raw.forEach((bytes, i) => {
      if (isUtf8(bytes)) return;
      const text = bytes.toString('utf8');
      const known = words.argv.get(text);
      if (raw.length !== args.length || text !== args[i]) {
        words.problem = `argument ${i + 1} is not UTF-8, and its bytes could not be told from /proc/self/cmdline`;
      } else if (known && !known.equals(bytes)) {
        words.problem = `arguments ${place.get(text)} and ${i + 1} are not UTF-8 and read alike once decoded`;
      } else {
        words.argv.set(text, bytes);
        place.set(text, i + 1);
      }
    });
    // A word that is UTF-8 and reads as one that is not (a U+FFFD typed as such) would be given the other's bytes.
    const alike = raw.findIndex((bytes) => isUtf8(bytes) && words.argv.has(bytes.toString('utf8')));
    if (alike >= 0) {
      const [a, b] = [place.get(raw[alike]!.toString('utf8'))!, alike + 1].sort((x, y) => x - y);
      words.problem = `arguments ${a} and ${b} read alike once decoded, one of them not UTF-8`;
    }
  } else if (args.some((a) => a.includes('\uFFFD'))) {
    // No /proc: a replacement character may be the user's own, or a byte that was not UTF-8; which, cannot be told.
    return undefined;
  }
  const environ = readProc(proc.environ);
  for (const entry of environ ? split(environ) : []) {
    if (isUtf8(entry)) continue;
    const eq = entry.indexOf(0x3d);
    const name = eq > 0 ? entry.subarray(0, eq) : undefined;
    if (!name || !isUtf8(name)) continue; // a name Node could not read is passed on by no one
    const value = entry.subarray(eq + 1);
    if (env[name.toString()] === value.toString('utf8')) words.env.set(name.toString(), value);
  }
  return words.argv.size || words.env.size || words.problem ? words : undefined;
}

/** `bytes` as a shell word that prints them: printf with every byte an octal escape, in command substitution. */
function printed(bytes: Buffer): string {
  const escaped = [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
  // The x keeps a trailing newline, which command substitution would strip; the caller removes it.
  return `"$(printf '${escaped}x')"`;
}

/**
 * Shell lines that give the words of `command` (spark-submit's, as spawned: "$1" is its first) their bytes back:
 * variables restored and exported, and a `set --` of the command's words, the restored ones in their places.
 * Empty when no word of the command, nor a variable it inherits, needs it.
 */
export function restoringLines(command: readonly string[], raw: RawWords, env: NodeJS.ProcessEnv): string[] {
  const lines: string[] = [];
  for (const [name, bytes] of raw.env) {
    if (env[name] !== bytes.toString('utf8') || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    lines.push(`${name}=${printed(bytes)}; ${name}=\${${name}%x}; export ${name}`);
  }
  const restored = command.map((w) => raw.argv.get(w));
  if (restored.some((b) => b !== undefined)) {
    restored.forEach((b, i) => {
      if (b) lines.push(`a${i}=${printed(b)}; a${i}=\${a${i}%x}`);
    });
    lines.push(`set -- ${restored.map((b, i) => (b ? `"$a${i}"` : `"\${${i + 1}}"`)).join(' ')}`);
  }
  return lines;
}
