import type { ChartDef } from './types.js';
import { GIB, plural } from '../../format.js';
import { HEIGHT, WIDTH } from './types.js';
import { standIns } from './summaries.js';

// Fixed against dynamic allocation (the original Spot's README plot): dynamic allocation releases idle
// executors, so it should show higher efficiency and fewer core-hours per GiB read, unless it over-asks.
// Each box is drawn from five values standing in for its attempts (summaries.ts): the same box.

export const allocation: ChartDef = {
  id: 'allocation',
  title: 'Fixed against dynamic allocation',
  reading:
    'Boxes show the middle half of runs for each allocation mode, whiskers the extremes: the mode with higher efficiency and fewer core-hours per input GiB used the cluster better for these jobs.',
  build(data) {
    const rows = data.attempts.filter((a) => a.dynamicAllocation !== undefined);
    const modeOf = (d: boolean) => (d ? 'dynamic' : 'fixed');
    const eff = rows
      .filter((a) => a.efficiency !== undefined)
      .map((a) => ({ mode: modeOf(a.dynamicAllocation!), efficiency: a.efficiency! }));
    const perGB = rows
      .filter((a) => a.allocatedCoreHours !== undefined && a.allocatedCoreHours > 0 && (a.inputBytes ?? 0) > 0)
      .map((a) => ({ mode: modeOf(a.dynamicAllocation!), perGB: a.allocatedCoreHours! / (a.inputBytes! / GIB) }));
    if (!eff.length && !perGB.length)
      return { empty: 'No attempt with both an allocation mode and an efficiency or input size.' };
    const runs = (m: string) => {
      const n = rows.filter((a) => modeOf(a.dynamicAllocation!) === m).length;
      return plural(n, 'attempt');
    };
    const note = `fixed: ${runs('fixed')}, dynamic: ${runs('dynamic')}.`;
    const box = { type: 'boxplot' as const, extent: 'min-max' as const, size: 40 };
    const x = {
      field: 'mode',
      type: 'nominal' as const,
      title: 'allocation',
      sort: ['fixed', 'dynamic'],
      axis: { labelAngle: 0 },
    };
    // One box panel per figure, the same but for the field it draws.
    const panel = <F extends 'efficiency' | 'perGB'>(
      values: ({ mode: string } & Record<F, number>)[],
      field: F,
      axis: { title: string; scale?: { type: 'log' } },
    ) => ({
      width: WIDTH / 2 - 40,
      height: HEIGHT,
      data: {
        values: standIns(
          values,
          (r) => r.mode,
          (r) => r[field],
          (r, v) => ({ mode: r.mode, [field]: v }),
          'box',
        ),
      },
      mark: box,
      encoding: {
        x,
        color: { field: 'mode', type: 'nominal' as const, legend: null },
        y: { field, type: 'quantitative' as const, ...(axis.scale ? { scale: axis.scale } : {}), title: axis.title },
      },
    });
    const panels = [];
    if (eff.length) panels.push(panel(eff, 'efficiency', { title: 'estimated core efficiency' }));
    if (perGB.length)
      panels.push(panel(perGB, 'perGB', { scale: { type: 'log' }, title: 'core-hours per input GiB (log)' }));
    return { note, spec: { hconcat: panels } };
  },
};
