import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

// Where a report's chart code comes from. Vega is ~90 small modules: loading them one by one took ~0.4 s, the
// same code as one file ~0.15 s (bench/report.ts). So `npm run build` bundles render.ts with Vega and Vega-Lite
// into one file, draws a few charts with it and keeps V8's compiled code of that file beside it
// (scripts/report-bundle.mjs): loaded with that cache, the bundle is not compiled again (~0.06 s) and neither are
// the functions those charts ran. Without the bundle (run from source, or built without Vega) the modules beside
// this one draw the same charts (test/report/chart-code.test.ts).

type RenderModule = typeof import('./render.js');

/**
 * The built bundle and its code cache, in dist/report/ (this module compiled is dist/src/report/chart-code.js).
 * @public (scripts/report-bundle.mjs makes them, with bundleScript and runBundle)
 */
export const BUNDLE = { dir: '../../report/', file: 'render.cjs', cache: 'render.cache' } as const;

/**
 * The bundle's source as V8 compiles it: CommonJS, wrapped as Node wraps a module (the cache is of this text).
 * @public
 */
export function bundleScript(file: string, cachedData?: Buffer): Script {
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n});`;
  return new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
}

/**
 * Runs a bundle's script as a CommonJS module; returns its exports.
 * @public
 */
export function runBundle(script: Script, file: string): RenderModule {
  const module = { exports: {} as RenderModule };
  const init = script.runInThisContext() as (...args: unknown[]) => void;
  init(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/**
 * The bundled chart code in `dir` (default: the build's, none when running from source) loaded with its code
 * cache, when the build made them (`cacheRejected`: V8 did not take the cache, e.g. built by another Node, and
 * compiled the bundle as it ran); undefined otherwise.
 */
export function loadBundle(dir?: URL): { render: RenderModule; cacheRejected: boolean } | undefined {
  if (!dir && import.meta.url.endsWith('.ts')) return undefined;
  dir ??= new URL(BUNDLE.dir, import.meta.url);
  const file = fileURLToPath(new URL(BUNDLE.file, dir));
  const cache = fileURLToPath(new URL(BUNDLE.cache, dir));
  if (!existsSync(file)) return undefined;
  const script = bundleScript(file, existsSync(cache) ? readFileSync(cache) : undefined);
  return { render: runBundle(script, file), cacheRejected: script.cachedDataRejected !== false };
}

let loaded: Promise<RenderModule> | undefined;

/** This thread's chart code: the bundle when built, else render.ts's modules; loaded once. */
export function chartCode(): Promise<RenderModule> {
  loaded ??= Promise.resolve()
    .then(() => loadBundle()?.render)
    .then((bundled) => bundled ?? import('./render.js'));
  return loaded;
}
