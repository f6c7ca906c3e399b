import { formatBytes, plural } from '../../format.js';
import type { RunRow } from '../rows.js';
import type { ChartDef } from './types.js';
import { WIDTH } from './types.js';

// Configuration usage across runs: which values of each tuned setting the runs used. Many values of one
// setting for one job is tuning (or drift); one value everywhere is a default nobody chose.

/** Values shown per setting; the rest are folded into "(other)". */
const VALUES_SHOWN = 8;

const SETTINGS: [string, (r: RunRow) => string | undefined][] = [
  ['executors', (r) => (r.executors === undefined ? undefined : String(r.executors))],
  ['cores per executor', (r) => (r.executorCores === undefined ? undefined : String(r.executorCores))],
  ['executor memory', (r) => (r.executorMemoryBytes === undefined ? undefined : formatBytes(r.executorMemoryBytes))],
  ['shuffle partitions', (r) => (r.shufflePartitions === undefined ? undefined : String(r.shufflePartitions))],
  ['dynamic allocation', (r) => (r.dynamicAllocation === undefined ? undefined : r.dynamicAllocation ? 'on' : 'off')],
];

export const configUsage: ChartDef = {
  id: 'config-usage',
  title: 'Configuration usage across runs',
  reading:
    'For each setting, the bars count the runs that used each value (the most used first): a single bar is a default nobody tuned; many bars within one job mean its settings drift between runs.',
  reads: 'runs',
  build(data) {
    const values: { setting: string; value: string; runs: number }[] = [];
    for (const [setting, settingOf] of SETTINGS) {
      const counts = new Map<string, number>();
      for (const r of data.runs) {
        const v = settingOf(r);
        if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      for (const [value, runs] of ranked.slice(0, VALUES_SHOWN)) values.push({ setting, value, runs });
      const rest = ranked.slice(VALUES_SHOWN).reduce((a, [, n]) => a + n, 0);
      if (rest) values.push({ setting, value: '(other)', runs: rest });
    }
    if (!values.length) return { empty: 'No run with known settings yet.' };
    return {
      note: `${plural(data.runs.length, 'run')}; at most ${VALUES_SHOWN} values per setting.`,
      spec: {
        data: { values },
        facet: {
          row: {
            field: 'setting',
            type: 'nominal',
            title: null,
            sort: SETTINGS.map(([s]) => s),
            header: { labelAngle: 0, labelOrient: 'top', labelAlign: 'left', labelFontWeight: 'bold' },
          },
        },
        spec: {
          width: WIDTH - 120,
          height: { step: 14 },
          mark: { type: 'bar', color: '#9d755d' },
          encoding: {
            y: { field: 'value', type: 'nominal', sort: '-x', title: null },
            x: { field: 'runs', type: 'quantitative', title: 'runs' },
          },
        },
        resolve: { scale: { y: 'independent' } },
      },
    };
  },
};
