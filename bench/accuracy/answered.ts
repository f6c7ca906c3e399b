import { INPUT_JITTER } from '../../models/extrapolate.js';
import { answer, type Parts } from '../../models/region.js';
import type { ModelSettings } from '../../models/types.js';

// Which part of a selection answered a held-out run (models/region.ts), for bench/accuracy's errors by part
// (regions.ts). A cell's "within range" questions can still lie beyond the history's total core counts, or along
// an axis the history hardly varies on: there another part answers than the model the selection chose.

/** The part of a selection that answers a question, in the words bench/accuracy prints. */
export function answeredBy(parts: Parts, s: ModelSettings, inputBytes: number): string {
  const a = answer(parts, s, inputBytes);
  // An assumed scaling overrides the fitted answer along that axis, whichever part answered. One within a recurring
  // input's jitter is no question about another size: Scout's runs of one input read up to 0.01% more or less,
  // which labelled 150 of 369 answers above the cores as assumed scaling.
  if (Math.max(a.high, 1 / a.low) > INPUT_JITTER) return 'assumed scaling';
  if (a.region === 'above') return 'above the cores';
  if (a.region === 'below') return 'below the cores';
  if (a.region === 'grid') return 'grid';
  return a.span ? 'between runs' : 'inside';
}
