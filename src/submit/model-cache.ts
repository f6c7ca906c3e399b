import { createHash } from 'node:crypto';
import { blend, isBlend } from '../../models/blend.js';
import { linearRegressor } from '../../models/flexible.js';
import { physicalRegressor } from '../../models/physical.js';
import type { Parts } from '../../models/region.js';
import {
  modelFromParts,
  selectModel,
  type FittedParts,
  type Selection,
  type SelectOptions,
} from '../../models/select.js';
import type { Loss, Regressor, TrainingRow } from '../../models/types.js';
import type { StoredModel } from '../store/types.js';

// Fitted models kept in the store, so that a launch looks its job's model up instead of fitting it. A selection
// depends on the runs it learns from, the advised runs' outcomes and the input size it is asked about, so an
// entry is kept per job and input-size point, under a fingerprint of exactly those inputs and the model code's
// version: an entry whose fingerprint or version differs, or that does not rebuild into the same predictions
// it was stored with, is refitted and overwritten, never trusted. Only physical models (and blends of them)
// are kept; any other selection is fitted at every launch, as before.

/** Bump when models/ changes what a selection of the same runs produces. */
export const MODEL_VERSION = 'models-12';
/** Input sizes are asked about on a grid of this ratio (2%): a job launched at about one size finds its model. */
const QUERY_STEP = Math.log(1.02);

/** How the advice's model came to be: looked up, or fitted at launch (and why). */
export type ModelSource =
  | { source: 'store' }
  | { source: 'fitted'; why: 'missing' | 'stale' | 'not-kept' | 'store-keeps-none' };

type StoredRegressor = { family: string; loss: Loss; params: Record<string, number> } | { blend: StoredRegressor[] };

interface StoredSelection {
  parts: Omit<Parts, 'inside' | 'physical' | 'above' | 'below' | 'grid'> & {
    inside: StoredRegressor;
    physical: StoredRegressor;
    above?: StoredRegressor;
    below?: StoredRegressor;
    /** The grid's linear fit (models/grid.ts), by its parameters. */
    grid?: { params: Record<string, number>; range: Parts['range'] };
  };
  spreads: FittedParts['spreads'];
  validationError: number;
  trainingRuns: number;
  spec: Pick<Selection['spec'], 'name' | 'family' | 'loss' | 'complexity' | 'constrained' | 'minRows'>;
  scores: Selection['scores'];
  reason: string;
  findings: Selection['findings'];
  /** Predictions of the model as fitted, at its first training runs: a rebuilt model must give the same. */
  checks: { row: TrainingRow; ms: number }[];
}

/** The input size a selection is asked about: `bytes` on the grid, so that a fit and its lookup ask the same. */
export function queryPoint(bytes: number | undefined): { key: string; bytes?: number } {
  if (bytes === undefined || !(bytes > 0)) return { key: '' };
  const k = Math.round(Math.log(bytes) / QUERY_STEP);
  return { key: String(k), bytes: Math.round(Math.exp(k * QUERY_STEP)) };
}

function fingerprint(rows: TrainingRow[], opts: SelectOptions): string {
  const runs = rows.map((r) => [
    r.id,
    r.inputBytes,
    r.executors,
    r.executorCores,
    r.executorMemoryBytes ?? null,
    r.shufflePartitions ?? null,
    r.durationMs,
  ]);
  const specs = (opts.specs ?? []).map((s) => s.name);
  return createHash('sha256')
    .update(JSON.stringify([MODEL_VERSION, runs, opts.queryBytes ?? null, specs, opts.outcomes ?? []]))
    .digest('hex');
}

function allFinite(x: unknown): boolean {
  if (typeof x === 'number') return Number.isFinite(x);
  if (x && typeof x === 'object') return Object.values(x).every(allFinite);
  return true;
}

function storeRegressor(r: Regressor): StoredRegressor | undefined {
  if (isBlend(r)) {
    const parts = r.members.map(storeRegressor);
    return parts.every((p): p is StoredRegressor => p !== undefined) ? { blend: parts } : undefined;
  }
  return physicalRegressor(r.family, r.loss, r.params)
    ? { family: r.family, loss: r.loss, params: { ...r.params } }
    : undefined;
}

function rebuildRegressor(s: StoredRegressor): Regressor | undefined {
  if ('blend' in s) {
    const parts = s.blend.map(rebuildRegressor);
    return parts.length > 0 && parts.every((p): p is Regressor => p !== undefined) ? blend(parts) : undefined;
  }
  return physicalRegressor(s.family, s.loss, s.params);
}

/** The selection as data, or undefined when its model is not one this module can rebuild. */
export function storeSelection(sel: Selection, rows: TrainingRow[]): StoredSelection | undefined {
  const { parts } = sel.fitted;
  const inside = storeRegressor(parts.inside);
  const physical = storeRegressor(parts.physical);
  const above = parts.above && storeRegressor(parts.above);
  const below = parts.below && storeRegressor(parts.below);
  if (!inside || !physical || (parts.above && !above) || (parts.below && !below)) return undefined;
  const grid = parts.grid && { params: { ...parts.grid.regressor.params }, range: parts.grid.range };
  if (grid && (!linearRegressor(grid.params) || !allFinite(grid))) return undefined;
  if (!allFinite(sel.fitted.spreads) || !allFinite(parts.range)) return undefined; // JSON would turn them into null
  const { name, family, loss, complexity, constrained, minRows } = sel.spec;
  return {
    parts: {
      inside,
      physical,
      ...(above ? { above } : {}),
      ...(below ? { below } : {}),
      range: parts.range,
      sized: parts.sized,
      ...(parts.runs ? { runs: parts.runs } : {}),
      ...(grid ? { grid } : {}),
    },
    spreads: sel.fitted.spreads,
    validationError: sel.fitted.validationError,
    trainingRuns: sel.fitted.trainingRuns,
    spec: { name, family, loss, complexity, constrained, minRows },
    scores: sel.scores,
    reason: sel.reason,
    findings: sel.findings,
    checks: rows.slice(0, 3).map((row) => ({ row, ms: sel.model.predictMs(row, row.inputBytes) })),
  };
}

/** The selection rebuilt from data, or undefined when it cannot be (or rebuilds into other predictions). */
export function rebuildSelection(doc: unknown, opts: SelectOptions): Selection | undefined {
  try {
    const d = doc as StoredSelection;
    const rebuilt = (s?: StoredRegressor) => (s ? rebuildRegressor(s) : undefined);
    const inside = rebuilt(d.parts.inside);
    const physical = rebuilt(d.parts.physical);
    const above = rebuilt(d.parts.above);
    const below = rebuilt(d.parts.below);
    if (!inside || !physical || (d.parts.above && !above) || (d.parts.below && !below)) return undefined;
    const grid = d.parts.grid && linearRegressor(d.parts.grid.params);
    if (d.parts.grid && !grid) return undefined;
    const fitted: FittedParts = {
      parts: {
        inside,
        physical,
        ...(above ? { above } : {}),
        ...(below ? { below } : {}),
        range: d.parts.range,
        sized: d.parts.sized,
        ...(Array.isArray(d.parts.runs) ? { runs: d.parts.runs } : {}),
        ...(grid && d.parts.grid ? { grid: { regressor: grid, range: d.parts.grid.range } } : {}),
      },
      spreads: d.spreads,
      validationError: d.validationError,
      trainingRuns: d.trainingRuns,
    };
    const model = modelFromParts(fitted);
    if (
      !Array.isArray(d.checks) ||
      !d.checks.every(
        (c) => Math.abs(model.predictMs(c.row, c.row.inputBytes) - c.ms) <= 1e-9 * Math.max(1, Math.abs(c.ms)),
      )
    )
      return undefined;
    // Rebuilding the whole selection on other rows (e.g. without one run) is a fit, as it always was.
    const spec = { ...d.spec, fit: (other: TrainingRow[]) => selectModel(other, opts)?.model ?? inside };
    return { model, spec, spread: d.spreads.inside, scores: d.scores, reason: d.reason, findings: d.findings, fitted };
  } catch {
    return undefined;
  }
}

type Select = (rows: TrainingRow[], opts: SelectOptions) => Selection | undefined;

/**
 * A selector for one job that answers from the job's kept entries when one matches, else fits (selectModel as
 * it is) and queues the result for the store (`kept` undefined: the store keeps no models). `source` says which
 * happened; `fresh` is what to write back.
 */
export function cachingSelect(app: string, kept: StoredModel[] | undefined, now: () => Date = () => new Date()) {
  const state: { source?: ModelSource; fresh: StoredModel[] } = { fresh: [] };
  const select: Select = (rows, asked) => {
    const point = queryPoint(asked.queryBytes);
    const opts: SelectOptions = {
      ...asked,
      ...(point.bytes !== undefined ? { queryBytes: point.bytes } : { queryBytes: undefined }),
    };
    const print = fingerprint(rows, opts);
    const entry = kept?.find((m) => m.query === point.key);
    if (entry && entry.version === MODEL_VERSION && entry.fingerprint === print) {
      const sel = rebuildSelection(entry.doc, opts);
      if (sel) {
        state.source = { source: 'store' };
        return sel;
      }
    }
    const sel = selectModel(rows, opts);
    const doc = sel && storeSelection(sel, rows);
    state.source = {
      source: 'fitted',
      why: !kept ? 'store-keeps-none' : !doc ? 'not-kept' : entry ? 'stale' : 'missing',
    };
    if (doc && kept)
      state.fresh.push({
        app,
        query: point.key,
        fingerprint: print,
        version: MODEL_VERSION,
        storedAt: now().toISOString(),
        doc,
      });
    return sel;
  };
  return { select, state };
}
