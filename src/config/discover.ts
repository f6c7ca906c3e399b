import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from './errors.js';

// Where a config file may come from. A config names the program spot-submit runs (submit.sparkSubmit), so
// only places the user controls count: the project folders from the working folder up to the user's home,
// then the user's config folder. Never a parent above home (a planted /tmp/.spotrc.yml must not be obeyed),
// never a folder anyone may write to (/tmp itself), and only data formats: a config that is code would run
// on every launch path.

/** File names looked for in each project folder, in order. */
const PROJECT_FILES = ['.spotrc.yml', '.spotrc.yaml', '.spotrc.json'] as const;
/** File names in the user's config folder ($XDG_CONFIG_HOME/spot). */
const USER_FILES = ['config.yml', 'config.yaml', 'config.json'] as const;
/** Config files other tools would execute: named in an error rather than silently skipped. */
const CODE_FILES = [
  '.spotrc.js',
  '.spotrc.cjs',
  '.spotrc.mjs',
  '.spotrc.ts',
  'spot.config.js',
  'spot.config.cjs',
  'spot.config.mjs',
  'spot.config.ts',
];

interface DiscoverOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The user's home: $HOME when set (as the shell sees it), else the account's. */
function userHome(env: NodeJS.ProcessEnv): string {
  return env.HOME && isAbsolute(env.HOME) ? resolve(env.HOME) : homedir();
}

/** $XDG_CONFIG_HOME/spot, else ~/.config/spot (the XDG base directory default). */
function userConfigFolder(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(userHome(env), '.config'), 'spot');
}

/**
 * The project folders searched, nearest first: the working folder and its parents up to and including home
 * when it lies inside home, else the working folder alone. Folders others may write to are left out.
 */
function projectFolders(opts: DiscoverOptions): string[] {
  const cwd = resolve(opts.cwd);
  const home = userHome(opts.env);
  const rel = relative(home, cwd);
  const insideHome = home !== sep && (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)));
  const folders: string[] = [cwd];
  if (insideHome) {
    for (let dir = cwd; dir !== home; ) {
      dir = dirname(dir);
      folders.push(dir);
    }
  }
  return folders.filter((dir) => !writableByOthers(dir));
}

function writableByOthers(dir: string): boolean {
  try {
    return (statSync(dir).mode & 0o002) !== 0;
  } catch {
    return true; // a folder we cannot look at is not one to take a config from
  }
}

/**
 * The first config file in the search order, or undefined. A code config where a data one was looked for is an
 * error.
 */
function findConfigFile(opts: DiscoverOptions): string | undefined {
  for (const dir of projectFolders(opts)) {
    const found = PROJECT_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
    if (found) return found;
    const code = CODE_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
    if (code)
      throw new ConfigError(
        `${code}: JavaScript config files are not read (data formats only); put the settings in ${join(dir, '.spotrc.yml')}`,
      );
  }
  const user = userConfigFolder(opts.env);
  return USER_FILES.map((f) => join(user, f)).find((f) => existsSync(f));
}

/** The config file in use: named (--config, else SPOT_CONFIG), else found by the search order above; none is fine. */
export function configFileChoice(opts: {
  file?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}): { file: string; found: boolean } | undefined {
  const env = opts.env ?? process.env;
  const explicit = opts.file ?? (env.SPOT_CONFIG ? env.SPOT_CONFIG : undefined);
  if (explicit) return { file: explicit, found: false };
  const found = findConfigFile({ cwd: opts.cwd ?? process.cwd(), env });
  return found ? { file: found, found: true } : undefined;
}
