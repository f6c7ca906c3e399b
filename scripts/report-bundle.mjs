// `spot report`'s chart code for src/report/chart-code.ts: render.ts with Vega and Vega-Lite as one CommonJS file,
// dist/report/render.cjs, and V8's compiled code of it, render.cache, made after drawing the warm-up charts (so
// the functions a chart runs are in it, not only the top level). Run by scripts/bundle.mjs after tsc.
// Without Vega installed (`npm install --omit=optional`) there is nothing to bundle: `spot report` says what to
// install, as before.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'report');
const { BUNDLE, bundleScript, runBundle } = await import(pathToFileURL(join(built, 'chart-code.js')).href);
const outdir = fileURLToPath(new URL(BUNDLE.dir, pathToFileURL(join(built, 'chart-code.js'))));
rmSync(outdir, { recursive: true, force: true });

function installed(name) {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * vega-canvas looks for the optional node-canvas package with a top-level `await import('canvas')`, which CommonJS
 * cannot hold; a synchronous require finds the same package (or none).
 */
const CANVAS_IMPORT = "await import('canvas')";
const canvasRequire = {
  name: 'vega-canvas-require',
  setup(b) {
    b.onLoad({ filter: /vega-canvas[\\/]build[\\/]vega-canvas\.node\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(CANVAS_IMPORT)) throw new Error(`${args.path} no longer has ${CANVAS_IMPORT}`);
      return { contents: text.replace(CANVAS_IMPORT, "require('canvas')"), loader: 'js' };
    });
  },
};

/** Bundles render.js into `file` and writes the code cache beside it. */
async function bundle(file) {
  await build({
    entryPoints: [join(built, 'render.js')],
    outfile: file,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['canvas'],
    plugins: [canvasRequire],
    logLevel: 'warning',
  });
  const script = bundleScript(file);
  const { renderSvg } = runBundle(script, file);
  const { WARM_UP } = await import(pathToFileURL(join(built, 'warm-up.js')).href);
  for (const spec of WARM_UP) await renderSvg(spec);
  writeFileSync(join(outdir, BUNDLE.cache), script.createCachedData());
}

if (installed('vega') && installed('vega-lite')) {
  mkdirSync(outdir, { recursive: true });
  try {
    await bundle(join(outdir, BUNDLE.file));
  } catch (err) {
    // The build still works: the report draws with the modules tsc compiled, only slower to start (and
    // test/report/chart-code.test.ts fails, so a change in Vega that breaks this step is not missed).
    rmSync(outdir, { recursive: true, force: true });
    console.warn(`report-bundle: no bundled chart code (${err instanceof Error ? err.message : err})`);
  }
}
