import { findingsOf, type Finding, type FindingId, type Thresholds } from './index.js';
import type { SettingChange, TaskCountSource } from './types.js';
import type { AggDoc } from '../types.js';
import { formatBytes, thousands, wholePercent } from '../format.js';

// Findings in words, for `spot runs` (one short column), `spot explain` (a line each) and the report's job
// sections. The findings themselves are numbers (index.ts); this is the one place they become words.

const pct = wholePercent;
/** A size the findings measure in MiB, as every size reads: "3.3 MiB", and a few hundred bytes as bytes. */
const mib = (v: number) => formatBytes(v * 1024 ** 2);
const times = (v: number) => `${v.toFixed(1)}x`;

const WORDS: Record<FindingId, { short: string; say: (f: Finding) => string }> = {
  failedStages: { short: 'failed-stages', say: (f) => `${f.value} failed stage${f.value === 1 ? '' : 's'}` },
  failedTasks: { short: 'failed-tasks', say: (f) => `${pct(f.value)} of tasks failed` },
  overAllocation: { short: 'over-allocated', say: (f) => `only ${pct(f.value)} of the allocated core time ran tasks` },
  idleExecutors: { short: 'idle-executors', say: (f) => `${pct(f.value)} of executors ran no task` },
  gcShare: { short: 'gc', say: (f) => `GC took ${pct(f.value)} of task time` },
  spill: { short: 'spill', say: (f) => `spilled ${times(f.value)} the bytes read` },
  taskSkew: {
    short: 'skew',
    say: (f) =>
      `slowest task ${times(f.value)} the median in ${f.detail?.stage ? `stage ${f.detail.stage}` : 'its worst stage'}`,
  },
  executorImbalance: { short: 'imbalance', say: (f) => `busiest executor worked ${times(f.value)} the typical one` },
  smallPartitions: {
    short: 'small-partitions',
    say: (f) => `${mib(f.value)} read per task${f.detail?.tasks ? ` over ${f.detail.tasks} tasks` : ''}`,
  },
  largePartitions: { short: 'large-partitions', say: (f) => `${mib(f.value)} read per task` },
  smallOutputFiles: {
    short: 'small-files',
    say: (f) => `${mib(f.value)} written per file${f.detail?.files ? ` (${f.detail.files} files)` : ''}`,
  },
};

/** One finding as a phrase: what was measured, from which data, and the setting to change. */
export function findingPhrase(f: Finding): string {
  return `${WORDS[f.id].say(f)} (from ${f.data} data${settingWords(f)})`;
}

/** The kind of stage whose task count a setting decides. */
const STAGE_KIND: Record<TaskCountSource, string> = {
  sqlFileScan: 'a SQL file scan',
  hadoopInput: 'an RDD read of Hadoop input splits',
  otherInput: "a read of a cached RDD's blocks or of another source's partitions, not of files",
  sqlShuffle: 'a SQL shuffle',
  coalescedShuffle: 'a SQL shuffle that adaptive execution coalesced',
  uncoalescedShuffle: 'a SQL shuffle whose partitions adaptive execution left whole, each over its advisory size',
  rddShuffle: "an RDD shuffle (unless the job's code gives its partition count)",
};
const BYTE_SETTINGS: ReadonlySet<TaskCountSource> = new Set(['sqlFileScan', 'hadoopInput', 'coalescedShuffle']);

function changeWords(s: SettingChange): string {
  if (s.change === 'set') return `set ${s.key}=${s.value}`;
  const current =
    s.current === undefined || !s.decides
      ? ''
      : ` (${BYTE_SETTINGS.has(s.decides) ? formatBytes(s.current) : thousands(s.current)} in this run)`;
  // The older Hadoop API, sc.textFile's, splits at most at the block size and the input over the partitions asked
  // for: its maximum split size is the newer API's alone.
  const older = s.key.endsWith('.split.maxsize')
    ? ' (for sc.textFile, the older API: a larger minPartitions argument)'
    : '';
  return `${s.change} ${s.key}${current}${older}`;
}

function settingWords(f: Finding): string {
  const s = f.setting;
  if (f.detail?.source === 'otherInput')
    return (
      `; stage ${f.detail.stage} is ${STAGE_KIND.otherInput}: ` +
      'its tasks are the partitions that data was made with, which no split setting sizes'
    );
  if (!s) return '';
  if (!s.decides) return `; ${changeWords(s)}`;
  const stage = f.detail?.stage ? `stage ${f.detail.stage}` : undefined;
  if (!s.or?.length) return `; ${stage ?? 'it'} is ${STAGE_KIND[s.decides]}: ${changeWords(s)}`;
  // The run's figures cannot tell the stage's kind: each kind it may be, with its own setting.
  const all = [s, ...s.or];
  const each = all.map((c) => `${changeWords(c)} for ${STAGE_KIND[c.decides!]}`);
  // Input that no split setting sized may be among what the figures cannot rule out.
  if (all.some((c) => c.decides === 'sqlFileScan' || c.decides === 'hadoopInput'))
    each.push(`none for ${STAGE_KIND.otherInput}`);
  const unknown = stage ? `what ${stage} read` : 'how its input was read';
  return `; the run's figures do not say ${unknown}: ${each.join(', or ')}`;
}

/** One column of `spot runs`: the worst two findings, and how many more. */
export function findingsColumn(doc: AggDoc, thresholds: Thresholds): string {
  const { findings } = findingsOf(doc, thresholds);
  if (findings.length === 0) return '-';
  const shown = findings.slice(0, 2).map((f) => `${WORDS[f.id].short}:${f.level}`);
  return findings.length > 2 ? `${shown.join(' ')} +${findings.length - 2}` : shown.join(' ');
}

/** The `spot explain` section: a line per finding with its level, the data it used and the setting to change. */
export function findingsSection(doc: AggDoc, thresholds: Thresholds): string {
  const { findings, errors } = findingsOf(doc, thresholds);
  const lines = [`Findings for ${doc.docId}:`];
  if (findings.length === 0) lines.push('  none above the thresholds (findings in the config)');
  for (const f of findings) {
    lines.push(`  ${f.level.padEnd(8)} ${findingPhrase(f)}`);
  }
  for (const [id, message] of Object.entries(errors)) lines.push(`  (finding ${id} could not be computed: ${message})`);
  return `${lines.join('\n')}\n`;
}
