import { intervalCoverage } from '../../advisor/outcomes.js';
import { FAILED_APART } from '../advice-rows.js';
import type { ChartDef } from './types.js';
import { count, dayAxis, HEIGHT, perBucket, WIDTH } from './types.js';

// Did the advice keep its promise? Predicted against actual duration for launches whose run is known, and
// the core-hours the applied advice saved against what the baseline settings were predicted to cost.

const WORDS = {
  title: 'Advice outcomes',
  reading:
    'Left: each launch with advice, predicted against actual duration, with the 80% interval as a bar ("baseline kept" launches ran unchanged: shadow mode or nothing to change); points on the diagonal were predicted exactly. Right: per {bucket}, the baseline settings\u2019 predicted core-hours minus what the advised runs actually used (above zero is saved).',
};

export const adviceOutcomes: ChartDef = {
  id: 'advice-outcomes',
  ...perBucket([], WORDS),
  build(data) {
    // A launch that measured no input was predicted for its history's largest: no promise about its own run.
    const known = data.advice.filter(
      (a) => (a.actualMs ?? 0) > 0 && a.predictedMs > 0 && a.assumedInputBytes === undefined,
    );
    if (!known.length) {
      const failed = data.advice.filter((a) => a.failed).length;
      return {
        empty: failed
          ? `No launch with advice has a duration to set against its prediction: ${count(failed)} failed (${FAILED_APART}).`
          : 'No launch with advice has finished yet (or none was linked to its run).',
      };
    }
    const points = known.map((a) => ({
      predicted: a.predictedMs / 60_000,
      low: (a.lowMs > 0 ? a.lowMs : a.predictedMs) / 60_000,
      high: a.highMs / 60_000,
      actual: a.actualMs! / 60_000,
      launch: a.applied ? 'advice applied' : 'baseline kept',
    }));
    // Log scales: launches of one job range from seconds to hours, and the error that matters is relative.
    const max = Math.max(...points.flatMap((p) => [p.high, p.actual])) * 1.1;
    const min = Math.min(...points.flatMap((p) => [p.low, p.actual]).filter((v) => v > 0)) / 1.1;
    const scale = { type: 'log' as const, domain: [min, max] };
    const scatter = {
      width: WIDTH / 2,
      height: HEIGHT,
      title: 'predicted against actual duration',
      layer: [
        {
          data: { values: [{ v: min }, { v: max }] },
          mark: { type: 'line' as const, color: '#999', strokeDash: [4, 4] },
          encoding: {
            x: { field: 'v', type: 'quantitative' as const, scale },
            y: { field: 'v', type: 'quantitative' as const, scale },
          },
        },
        {
          data: { values: points },
          mark: { type: 'rule' as const, opacity: 0.4 },
          encoding: {
            x: { field: 'low', type: 'quantitative' as const, scale, title: 'predicted (minutes, log scale)' },
            x2: { field: 'high' },
            y: { field: 'actual', type: 'quantitative' as const, scale, title: 'actual (minutes, log scale)' },
            color: { field: 'launch', type: 'nominal' as const },
          },
        },
        {
          data: { values: points },
          mark: { type: 'point' as const, filled: true, size: 40 },
          encoding: {
            x: { field: 'predicted', type: 'quantitative' as const, scale },
            y: { field: 'actual', type: 'quantitative' as const, scale },
            color: {
              field: 'launch',
              type: 'nominal' as const,
              title: 'launch',
              legend: { orient: 'bottom' as const, direction: 'horizontal' as const },
            },
          },
        },
      ],
    };
    const saved = known
      .filter((a) => a.applied && a.actualCoreHours !== undefined)
      .map((a) => ({ day: a.day, saved: a.baselineCoreHours - a.actualCoreHours! }));
    const total = saved.reduce((s, a) => s + a.saved, 0);
    const held = intervalCoverage(known);
    // A failed launch has a known outcome too, but no duration to set against its prediction (advice-rows.ts).
    const failed = data.advice.filter((a) => a.failed).length;
    const failedWords = failed ? ` (${count(failed)} more failed: ${FAILED_APART})` : '';
    const note =
      `${count(known.length)} launch${known.length === 1 ? '' : 'es'} with advice set against ${known.length === 1 ? 'its' : 'their'} predicted duration${failedWords}; ${count(saved.length)} applied with a crawled run, ${total >= 0 ? 'saving' : 'costing'} ${Math.abs(total).toFixed(1)} core-hours in total against the baseline prediction (executors × cores × run time, as predictions count them). ` +
      `${count(held.within)} of ${count(held.of)} ran within the 80% interval predicted for them, ${count(held.over)} longer than its high end.`;
    // All-zero savings would draw an empty axis; the note already says 0.0 core-hours.
    if (!saved.some((a) => a.saved !== 0)) return { note, spec: { ...scatter } };
    const bars = {
      width: WIDTH / 2 - 40,
      height: HEIGHT,
      title: 'core-hours saved against the baseline prediction',
      data: { values: saved },
      mark: 'bar' as const,
      encoding: {
        x: dayAxis(saved.map((v) => v.day)),
        y: { aggregate: 'sum' as const, field: 'saved', type: 'quantitative' as const, title: 'core-hours saved' },
        color: { condition: { test: 'datum.sum_saved < 0', value: '#e45756' }, value: '#54a24b' },
      },
    };
    return {
      ...perBucket(
        saved.map((v) => v.day),
        WORDS,
      ),
      note,
      spec: { hconcat: [scatter, bars] },
    };
  },
};
