// The second half of `npm run build` (after tsc): spot-submit's advice process as one bundled file. Its start-up
// is on every launch's path, and loading some hundred small modules cost more than their code (bench/submit.ts).
// Modules it imports only when needed (schema validation, Elasticsearch, crawl after the run) become chunks of
// their own, loaded only then. Native and optional packages stay outside, resolved from node_modules as before.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'launch');
rmSync(outdir, { recursive: true, force: true });
// New on every build: what Spot keeps between runs (submit/config-cache.ts) is trusted only by the build that wrote it.
const buildId = randomUUID();
await build({
  entryPoints: { 'advice-process': join(root, 'dist', 'src', 'submit', 'advice-process.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'undici', 'kerberos', '@aws-sdk/*', 'vega', 'vega-lite', 'execa'],
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __spotRequire } from 'node:module'; const require = __spotRequire(import.meta.url);" },
  // New on every build: what the advice process keeps between launches (submit/config-cache.ts) is trusted only
  // by the build that wrote it.
  define: { __SPOT_BUILD__: JSON.stringify(buildId) },
  logLevel: 'warning',
});
// The same id for the compiled CLI (dist/src), which tsc cannot stamp: config-cache.ts reads it from this file.
writeFileSync(join(root, 'dist', 'build-id.txt'), buildId);
// `spot report`'s chart code, bundled with Vega and compiled ahead (scripts/report-bundle.mjs).
await import('./report-bundle.mjs');
