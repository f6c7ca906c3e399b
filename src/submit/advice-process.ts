import type { LoadedConfig } from '../config/load.js';
import type { RunStore } from '../store/types.js';
import type { Advice } from '../types.js';
import type { AdviceCommand, ConfigFacts, FromAdvice, ToAdvice } from './advice-messages.js';
import { NO_ADVICE_ROLE } from './budget.js';
import { parseConfigText } from '../config/read-file.js';
import { cachedConfig, configInput, keepConfig, type ConfigInput } from './config-cache.js';
import { oneLine, prelaunch } from './prelaunch.js';
import * as outbox from '../store/outbox.js';
import type { OutboxEntry } from '../store/outbox.js';

// spot-submit's advice phase, in a process of its own: spot-submit can kill it at any moment (budget spent,
// feedback overdue) whatever it is doing, even stuck in the kernel on a hung home folder, and exits with
// spark-submit's code regardless. A thread could not give that: Node waits for its threads before exiting.
// Argument: spark-submit's command line as spot-submit parsed it (JSON). Anything printed goes to spot-submit's
// stderr.

const recordOnly = process.argv[2] === NO_ADVICE_ROLE; // started after the job only to store a "no advice" record
/** spot-submit's parse of the command line, handed over as this process's arguments: its JSON in pieces (budget.ts). */
const command = JSON.parse(process.argv.slice(recordOnly ? 3 : 2).join('') || '{}') as AdviceCommand;
const { args } = command;
let opened: Promise<RunStore> | undefined;
/** Where a dry run found no store (a fresh or mistyped SPOT_HOME or store.path): it advised from no history. */
let noStoreAt: string | undefined;
const env = process.env;
/** Resolves once the message is handed to the channel, so that exiting right after it does not lose it. */
const send = (m: FromAdvice) =>
  new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));
// spot-submit gone (it exited, or was killed): nothing left to do for. What this process started (an input probe)
// goes with it: the process group is its own (budget.ts).
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    // Not a group leader (started by other means than spot-submit): this process alone.
  }
  process.exit(0);
});
// Ctrl-C reaches the whole process group; spot-submit passes it on to spark-submit and still wants the
// outcome stored. This process ends when spot-submit says so, or disconnects. Ctrl-\ (SIGQUIT) asks the job
// for a thread dump: it must not end this process either, nor may SIGUSR1 to the group open Node's debugger here.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const)
  process.on(signal, () => undefined);

/**
 * While the job runs, a write waits this long at most for another process's lock on a SQLite store (a crawl
 * writing, a held transaction). SQLite waits synchronously, and a write waiting its usual 5 s holds this process:
 * the job's outcome, when it came meanwhile, was neither kept in the outbox nor stored before the feedback budget
 * ran out. What the store refuses now stays in the outbox, and is stored once the outcome is kept.
 */
const JOB_RUNNING_LOCK_WAIT_MS = 100;
/** Tries of the advice record's write against a held lock while the job runs, and the pause between (about 15 s). */
const RECORD_TRIES = 50;
const RECORD_PAUSE_MS = 200;

const messages: ToAdvice[] = [];
let wake: (() => void) | undefined;
process.on('message', (m: ToAdvice) => {
  messages.push(m);
  wake?.();
});
async function next(): Promise<ToAdvice> {
  while (messages.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  return messages.shift()!;
}

// Everything this process needs, asked for at once (no static import of it above) so that the loader reads the
// files of the plan, the store and the advisor while the config is read; the config comes first.
const preload = Promise.all([
  import('./plan.js'),
  import('../compose.js').then((c) => c.preloadDefaultStore()),
  import('../advisor/advise.js'),
]).catch(() => undefined);

const input: ConfigInput = await (async () => {
  try {
    return configInput(env);
  } catch (e) {
    return refused(e);
  }
})();
// A config validated before for exactly this file text and these SPOT_* variables needs no schema and no parser.
let loaded: LoadedConfig | undefined = cachedConfig(input);
let invalid: unknown;
let written: unknown; // submit.sparkSubmit as the file has it, even when the rest fails validation
if (!loaded) {
  const { loadConfig } = await import('../config/load.js');
  const value: unknown = await (async () => {
    try {
      return input.file !== undefined && input.text !== undefined ? parseConfigText(input.file, input.text) : undefined;
    } catch (e) {
      return refused(e);
    }
  })();
  written = (value as { submit?: { sparkSubmit?: unknown } } | undefined)?.submit?.sparkSubmit;
  try {
    loaded = await loadConfig({ env, source: { ...(input.file ? { file: input.file } : {}), value } });
    // A dry run in a SPOT_HOME that is not there yet (a mistyped one) makes no folder for the kept config either.
    keepConfig(input, loaded, { makeHome: !command.args.spot.dryRun });
  } catch (e) {
    invalid = e;
  }
}
await send({ type: 'config', facts: configFacts(input.file, written, loaded) });
if (recordOnly) await noAdviceRecord();
if (!loaded || !command.launchesApp) {
  if (!loaded) await send({ type: 'done', ok: false, reason: oneLine(invalid), unrecorded: true });
  process.exit(0);
}

await preload;
const done = await prelaunch(args, { env, loaded, record: false, store: await openedStore().catch(() => undefined) });
// SPOT_* variables Spot ignores are said with the plan's own warnings, ahead of them.
if (done.ok) done.plan.warnings.unshift(...(loaded.warnings ?? []));
if (done.ok && noStoreAt)
  done.plan.warnings.push(`no Spot store at ${noStoreAt} yet, so no history (a dry run creates none)`);
await send(done.ok ? { type: 'done', ok: true, plan: done.plan } : { type: 'done', ok: false, reason: done.reason });
const advice = done.ok ? done.plan.advice : undefined;
if (!advice) {
  // A launch without advice is still tagged: spot-submit sends its "no advice" record after the job.
  if (!done.ok) await noAdviceRecord();
  await closeStore();
  process.exit(0);
}

// The advice record is written once spark-submit has started; then the outbox's pending entries of earlier launches
// are replayed while the job runs (never before the launch). The outcome, when it comes, goes first: it is kept in
// the outbox at once (so that being killed at the feedback budget loses nothing), the replay stops taking entries,
// and what it has not done stays for the next replay.
let recorded: Promise<void> | undefined;
let outcomeCame = false;
/** The outbox file of this launch's advice record while the store has not taken it. */
let ownRecord: string | undefined;
let ownStored = false;
/** Why the outbox could not keep an entry, said only if the store does not take it either. */
let notKept = '';
for (;;) {
  const m = await next();
  if (m.type === 'record') {
    recorded ??= recordAdvice(advice);
    void recorded.then(replayPending);
  } else if (m.type === 'outcome') {
    outcomeCame = true;
    const kept = keep({ kind: 'outcome', adviceId: advice.id, outcome: m.outcome });
    await waitForLocks(undefined); // the outcome is kept: the store's writes may wait as long as ever now
    await recorded;
    // The advice record the store refused when the job started: once more, before its outcome can be linked.
    if (recorded && !ownStored) await storeRecord(advice, ownRecord).catch(() => undefined);
    const { recordOutcome } = await import('./feedback.js');
    const store = await openedStore().catch(() => undefined);
    await recordOutcome({
      loaded,
      adviceId: advice.id,
      outcome: m.outcome,
      warn: (line) => process.stderr.write(`${line}\n`),
      ...(store ? { store } : {}),
      ...(kept ? { kept } : {}),
    });
    await closeStore();
    process.exit(0);
  }
}

/**
 * What the launch needs; the file's spark-submit even from a config that fails validation (the user's choice still
 * holds).
 */
function configFacts(file: string | undefined, written: unknown, valid: LoadedConfig | undefined): ConfigFacts {
  const sparkSubmit = valid ? valid.config.submit.sparkSubmit : written;
  const facts: ConfigFacts = { sparkSubmit: typeof sparkSubmit === 'string' ? sparkSubmit : undefined, file };
  if (valid) {
    const s = valid.config.submit;
    facts.adviceTimeoutMs = s.adviceTimeoutMs;
    facts.feedbackBudgetMs = s.feedbackTimeoutMs + (s.crawlAfter ? s.crawlAfterTimeoutMs : 0);
  }
  return facts;
}

/** A config file Spot does not read (or cannot parse) names no spark-submit: the launch goes ahead without advice. */
async function refused(e: unknown): Promise<never> {
  await send({ type: 'config', facts: {} });
  await send({ type: 'done', ok: false, reason: oneLine(e), unrecorded: true });
  process.exit(0);
}

/**
 * The store, opened once for the whole launch: the plan, the advice record and the outcome share it. What it says
 * that fails nothing (a cluster's refresh at close) is spot-submit's, as the outbox's warnings are. A dry run stores
 * nothing, so it creates no store either: where there is none, it plans from an empty one, as `spot explain -- ...`
 * does.
 */
function openedStore(): Promise<RunStore> {
  const storeWarn = (l: string) => warn(`spot-submit: warning: ${l}`);
  opened ??= import('../compose.js').then(async ({ openStore, emptyStore }) => {
    // The advice reads first: a cluster user whose roles may only read still gets it, and only a record stored
    // creates an index.
    if (!command.args.spot.dryRun) return openStore(loaded!, { createOnWrite: true, warn: storeWarn });
    const { StoreMissingError } = await import('../store/errors.js');
    try {
      return await openStore(loaded!, { mustExist: true, warn: storeWarn });
    } catch (e) {
      if (!(e instanceof StoreMissingError)) throw e;
      noStoreAt = e.where;
      return emptyStore();
    }
  });
  return opened;
}

async function closeStore(): Promise<void> {
  await opened?.then((store) => store.close()).catch(() => undefined);
}

/**
 * Writes the entry to the outbox (store/outbox.ts); undefined when it cannot be (a read-only home, say), and the
 * store write is tried anyway.
 */
function keep(entry: OutboxEntry): string | undefined {
  try {
    return outbox.keepEntry(outbox.outboxDir(loaded!.home), entry, { warn: (l) => warn(`spot-submit: ${l}`) });
  } catch (e) {
    notKept = outbox.fileRefusal(e) ?? oneLine(e);
    return undefined;
  }
}

function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function recordAdvice(full: Advice): Promise<void> {
  ownRecord = keep({ kind: 'advice', advice: full });
  await waitForLocks(JOB_RUNNING_LOCK_WAIT_MS);
  for (let attempt = 1; ; attempt++) {
    try {
      await storeRecord(full, ownRecord);
      return;
    } catch (e) {
      // Another process's write holds the lock (a crawl's batch): tried again while the job runs, a pause between,
      // so that this process stays free to keep the outcome; once the outcome came, its own turn stores the record.
      const busy = (e as { code?: string } | undefined)?.code === 'SQLITE_BUSY';
      if (busy && outcomeCame) return;
      if (busy && attempt < RECORD_TRIES) {
        await new Promise((resolve) => setTimeout(resolve, RECORD_PAUSE_MS));
        if (!outcomeCame) continue;
        return;
      }
      const where = ownRecord
        ? `; kept in ${outbox.outboxDir(loaded!.home)} for the next spot crawl`
        : `, nor kept in the outbox (${notKept})`;
      warn(`spot-submit: could not store advice ${full.id}: ${oneLine(e)}${where}`);
      return;
    }
  }
}

async function storeRecord(full: Advice, file: string | undefined): Promise<void> {
  await (await openedStore()).createAdvice(full);
  ownStored = true;
  if (file) outbox.dropEntry(file);
}

/** Sets how long the store's writes wait for a lock (undefined: the store's own default); stores that never block
 * synchronously (Elasticsearch) have no such setting. */
async function waitForLocks(ms: number | undefined): Promise<void> {
  const store = (await openedStore().catch(() => undefined)) as
    | { busyTimeout?: (ms?: number) => Promise<void> }
    | undefined;
  await store?.busyTimeout?.(ms).catch(() => undefined);
}

/** Earlier launches' pending entries, while the job runs; stopped when its outcome comes. */
async function replayPending(): Promise<void> {
  const dir = outbox.outboxDir(loaded!.home);
  if (outcomeCame || outbox.pendingEntries(dir).length === 0) return;
  const store = await openedStore().catch(() => undefined);
  if (!store) return;
  await outbox
    .replayOutbox(dir, store, {
      warn: (l) => warn(`spot-submit: ${l}`),
      stop: () => outcomeCame,
      skip: (file) => file.includes(advice!.id),
    })
    .catch(() => undefined);
}

/** Waits for the launch's "no advice" record (sent after the job, if at all), stores it, and exits. */
async function noAdviceRecord(): Promise<never> {
  const m = await next();
  if (m.type === 'no-advice' && loaded) {
    // Quietly, if at all: the store may be what failed, and spot-submit's warning line has said so already.
    const { storeNoAdvice } = await import('./fail-open-tag.js');
    const warning = await storeNoAdvice(loaded, args, m.advice, m.outcome, openedStore).catch(oneLine);
    if (warning) warn(`spot-submit: ${warning}`);
  }
  await closeStore();
  process.exit(0);
}
