import type { Prediction } from '../src/types.js';

/** One past run as the models see it: what was asked for, how much data, how long it took. */
export interface TrainingRow {
  id: string;
  inputBytes: number;
  executors: number;
  executorCores: number;
  executorMemoryBytes?: number;
  shufflePartitions?: number;
  durationMs: number;
}

/** The settings a prediction is asked for. */
export interface ModelSettings {
  executors: number;
  executorCores: number;
  executorMemoryBytes?: number;
  shufflePartitions?: number;
}

/** How a model's parameters are fitted: on absolute error (seconds²) or relative error ((Δ/T)²). */
export type Loss = 'absolute' | 'relative';

/** A fitted model's point estimate, without an interval. */
export interface Regressor {
  /** e.g. "ernest/relative". */
  name: string;
  family: string;
  loss: Loss;
  params: Record<string, number>;
  predictMs(settings: ModelSettings, inputBytes: number): number;
  /** The fitted form in words, e.g. "T = 12.0 s + 3.1 s·GiB/cores". */
  describe(): string;
}

/** A member of the model family: how to fit it and when it may be offered. */
export interface ModelSpec {
  name: string;
  family: string;
  loss: Loss;
  /** Free parameters; ties in validation go to the spec with fewer. */
  complexity: number;
  /** Physically shaped (non-negative terms of a known form) vs flexible (fits whatever it sees). */
  constrained: boolean;
  /** Fewest training rows the fit needs to be meaningful. */
  minRows: number;
  /** False for a model whose prediction ignores the input size: it may not answer for an unseen size. */
  usesInputSize?: boolean;
  /** True for a model fitted to an effect seen only inside the history: it never answers beyond its range. */
  local?: boolean;
  fit(rows: TrainingRow[]): Regressor;
  /** Fits on many subsets (indices into `rows`) of one history at once, sharing the work they have in common. */
  fitSubsets?(rows: TrainingRow[], subsets: number[][]): Regressor[];
  /** Each split's predictions (ms) of its held-out rows, fitted on its training rows: validation's fast path. */
  predictSplits?(rows: TrainingRow[], splits: { train: number[]; test: number[] }[]): number[][];
  /**
   * Held-out predictions (ms) for each row, when the model has a cheaper way than refitting per fold
   * (the forest's out-of-bag estimate). NaN for a row with none.
   */
  heldOut?(rows: TrainingRow[]): number[];
}

/** Where a question lies relative to the runs, as models/region.ts tells the parts apart. */
export type Region = 'inside' | 'above' | 'below' | 'grid';

/** The part of a selection that answered a question, and where the question lay. */
export interface AnsweredBy {
  model: string;
  region: Region;
}

/** A fitted model with a prediction interval from its validation residuals. */
export interface Model extends Regressor {
  predict(settings: ModelSettings, inputBytes: number): Prediction;
  /**
   * The part that answers this question when it is not the model named (models/region.ts): beyond the core counts
   * run, the model chosen for extrapolating; inside the grid of runs, the fit over every run. Undefined otherwise.
   */
  answeredBy?(settings: ModelSettings, inputBytes: number): AnsweredBy | undefined;
  /** Validation error: weighted mean |relative error| of held-out predictions. */
  validationError: number;
  trainingRuns: number;
}

/** The input sizes and total core counts a history spans. */
export interface Range {
  minBytes: number;
  maxBytes: number;
  minCores: number;
  maxCores: number;
}
