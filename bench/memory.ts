// Peak memory of the two inputs that grow without bound: a History Server listing of ~100 MB and an import of
// 1,000,000 lines. Each is measured in its own child process (peak RSS from process.resourceUsage), the
// streaming code of today against a baseline in the same run: the whole answer or file held at once, as the
// crawl and `spot import` did before. Target: each streamed figure < 300 MB.
// Run: node --import tsx bench/memory.ts [--listing-mb 100] [--import-lines 1000000]
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SELF = fileURLToPath(import.meta.url);
const BASE_MS = Date.UTC(2024, 2, 1);
const WINDOW = { from: new Date(BASE_MS), to: new Date(BASE_MS + 60 * 86_400_000) };

/** One listing entry as Spark writes it, ~400 bytes; `i` spreads the ends over the window. */
function entry(i: number, endMs: number): string {
  const start = endMs - 60_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace('Z', 'GMT');
  return JSON.stringify({
    id: `application_1709251200000_${String(i).padStart(8, '0')}`,
    name: `nightly-job-${i % 500} with a name as long as real ones get`,
    attempts: [
      {
        attemptId: '1',
        startTime: iso(start),
        endTime: iso(endMs),
        lastUpdated: iso(endMs),
        duration: 60_000,
        sparkUser: 'etl',
        completed: true,
        appSparkVersion: '3.5.1',
        startTimeEpoch: start,
        endTimeEpoch: endMs,
        lastUpdatedEpoch: endMs,
      },
    ],
  });
}

/** Streams a listing of about `mb` MB, newest first, with a few apps from before the window at the end. */
async function sendListing(res: ServerResponse, mb: number): Promise<void> {
  const perEntry = entry(0, BASE_MS).length + 1;
  const n = Math.floor((mb * 1e6) / perEntry);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('[');
  const spanMs = WINDOW.to.getTime() - WINDOW.from.getTime() - 1000;
  let chunk: string[] = [];
  let first = true;
  for (let i = n; i > -5; i--) {
    const end = i > 0 ? BASE_MS + Math.floor((spanMs * i) / n) : BASE_MS - 86_400_000 * (10 - i);
    chunk.push(entry(i + 5, end));
    if (chunk.length === 2000 || i === -4) {
      const text = (first ? '' : ',') + chunk.join(',');
      first = false;
      chunk = [];
      if (!res.write(text)) await once(res, 'drain');
    }
  }
  res.end(']');
}

function importLine(i: number): string {
  return JSON.stringify({
    app: `job-${i % 200}`,
    inputBytes: (40 + (i % 100)) * 2 ** 30,
    executors: 4 + (i % 20),
    executorCores: 4,
    executorMemoryBytes: '16g',
    durationMs: 60_000 + i,
    succeeded: i % 17 !== 0,
    endTime: new Date(BASE_MS + i * 60_000).toISOString(),
  });
}

async function writeImportFile(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < lines; i += 5000) {
    const part: string[] = [];
    for (let j = i; j < Math.min(lines, i + 5000); j++) part.push(importLine(j));
    if (!out.write(`${part.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

// ---- the measured side: one scenario per child process ----

async function worker(mode: string, target: string, dir: string): Promise<Record<string, unknown>> {
  const started = Date.now();
  if (mode.startsWith('listing')) {
    const { HistoryClient } = await import('../src/history/client.js');
    const client = new HistoryClient({
      baseUrl: target,
      timeoutMs: 600_000,
      retries: 0,
      retryBaseMs: 1,
      concurrency: 1,
      maxResponseBytes: 2 ** 30,
    });
    let apps = 0;
    if (mode === 'listing-stream') {
      const { listCompletedApps } = await import('../src/history/listing.js');
      for await (const _ of listCompletedApps(client, { ...WINDOW, stepSeconds: 3600, maxAppsPerListing: 1000 }))
        apps++;
    } else {
      // Before: the whole answer as one string, then one parse.
      const all = await client.getJson<{ attempts: { endTimeEpoch: number }[] }[]>('applications', {
        status: 'completed',
      });
      apps = all.filter((a) => a.attempts.every((t) => t.endTimeEpoch >= WINDOW.from.getTime())).length;
    }
    await client.close();
    return { apps, seconds: (Date.now() - started) / 1000 };
  }
  const { SqliteStore } = await import('../src/store/sqlite.js');
  const store = await SqliteStore.open(join(dir, `${mode}.db`));
  let said = '';
  if (mode === 'import-stream') {
    const { runImport } = await import('../src/cli/import.js');
    const out = {
      write: (t: string) => {
        said += t;
      },
      isTTY: false,
    };
    const ctx = { store: async () => store, out, err: out } as unknown as Parameters<typeof runImport>[1];
    await runImport({ args: [target] }, ctx);
  } else {
    // Before: the whole file read, split and parsed, then one write of every record.
    const { readFile } = await import('node:fs/promises');
    const { parseRunLines } = await import('../src/cli/import-lines.js');
    const { records } = parseRunLines(await readFile(target, 'utf8'));
    await store.putRecords(records);
    said = `stored ${records.length}`;
  }
  await store.close();
  return { said: said.trim().slice(0, 60), seconds: (Date.now() - started) / 1000 };
}

/** Runs one scenario in a child (asynchronously: this process serves the listing meanwhile). */
async function measure(
  mode: string,
  target: string,
  dir: string,
): Promise<{ peakMb: number; detail: Record<string, unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--worker', mode, '--target', target, '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${mode} failed (${code}): ${stderr.slice(-2000)}`);
  const out = JSON.parse(line) as { maxRssKb: number } & Record<string, unknown>;
  return { peakMb: out.maxRssKb / 1024, detail: out };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      worker: { type: 'string' },
      target: { type: 'string' },
      dir: { type: 'string' },
      'listing-mb': { type: 'string', default: '100' },
      'import-lines': { type: 'string', default: '1000000' },
    },
  });
  if (values.worker) {
    const detail = await worker(values.worker, values.target!, values.dir!);
    process.stdout.write(`${JSON.stringify({ ...detail, maxRssKb: process.resourceUsage().maxRSS })}\n`);
    return;
  }
  const listingMb = Number(values['listing-mb']);
  const importLines = Number(values['import-lines']);
  const dir = mkdtempSync(join(tmpdir(), 'spot-bench-memory-'));
  const server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/api/v1/applications')) void sendListing(res, listingMb);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const rows: string[] = [];
  const show = (what: string, m: { peakMb: number; detail: Record<string, unknown> }) =>
    rows.push(`${what.padEnd(44)} ${m.peakMb.toFixed(0).padStart(6)} MB   ${JSON.stringify(m.detail)}`);
  try {
    process.stdout.write(
      `listing of ~${listingMb} MB (ignores minEndDate and limit, as old servers do); ${importLines} import lines\n`,
    );
    // Sequential, so the children never compete for memory or the two cores.
    const listed = await measure('listing-stream', url, dir);
    const listedBase = await measure('listing-whole', url, dir);
    show('listing, streamed (spot today)', listed);
    show('listing, whole answer parsed (baseline)', listedBase);
    const file = join(dir, 'runs.jsonl');
    await writeImportFile(file, importLines);
    const imported = await measure('import-stream', file, dir);
    const importedBase = await measure('import-whole', file, dir);
    show('import, streamed in batches (spot today)', imported);
    show('import, whole file at once (baseline)', importedBase);
    process.stdout.write(`${'scenario'.padEnd(44)} ${'peak RSS'.padStart(9)}\n${rows.join('\n')}\n`);
    const ok = listed.peakMb < 300 && imported.peakMb < 300;
    process.stdout.write(
      `target: streamed peaks < 300 MB: ${ok ? 'met' : 'NOT met'} ` +
        `(listing ${(listedBase.peakMb / listed.peakMb).toFixed(1)}x less than baseline, import ${(importedBase.peakMb / imported.peakMb).toFixed(1)}x less)\n`,
    );
  } finally {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
