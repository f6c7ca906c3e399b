import { UserFacingError } from './context.js';

// Packages a command needs that a lean install leaves out (`npm install --omit=optional`): vega and
// vega-lite draw `spot report` and nothing else. Loading such a command says which packages to add
// instead of failing with a module-resolution stack trace.

/** Runs `load`; a missing one of `packages` becomes one line naming the command and the install to run. */
export async function importOptional<T>(command: string, packages: string[], load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const missing = packages.filter(
      (p) =>
        e?.code === 'ERR_MODULE_NOT_FOUND' &&
        new RegExp(`['"]${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"/]`).test(e.message),
    );
    if (missing.length === 0) throw err;
    throw new UserFacingError(
      `${command} needs the optional package${packages.length > 1 ? 's' : ''} ${packages.join(' and ')}, left out of this install: npm install ${packages.join(' ')}`,
    );
  }
}
