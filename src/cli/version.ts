import { readFileSync } from 'node:fs';

// `spot --version`: the version in the package.json this code ships in. Compiled code runs from dist/src/cli,
// the sources (tests, tsx) from src/cli, so the file is looked for in the folders above, nearest first.

export function spotVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'spot' && pkg.version) return pkg.version;
    } catch {
      // not this folder
    }
  }
  return 'unknown';
}
