import { parseBytes, type ByteUnit } from '../common/units.js';
import { isPlainObject } from '../common/json.js';
import { SPARK_REDACTION } from '../common/redact.js';
import type { JsonObject, JsonValue } from '../types.js';
import type { EnceladusClassification } from './classification.js';
import { parseMenasDate } from './dates.js';

// Which Menas run belongs to which Spark attempt, and the run made fit for storage (spec §4 enrich).
// Fixed (spec §9.8): runs are filtered without removing from the list being iterated; the version is compared
// with the version of the job type that ran (conform_enceladus_version for conformance); a missing report
// version matches any; attempts get their run by app id and start time instead of runs[-i].

type Run = Record<string, unknown>;

function additionalInfo(run: Run): Record<string, unknown> {
  const cm = run.controlMeasure;
  const md = isPlainObject(cm) ? cm.metadata : undefined;
  const ai = isPlainObject(md) ? md.additionalInfo : undefined;
  return isPlainObject(ai) ? ai : {};
}

function metadata(run: Run): Record<string, unknown> {
  const cm = run.controlMeasure;
  return isPlainObject(cm) && isPlainObject(cm.metadata) ? cm.metadata : {};
}

function same(a: unknown, b: unknown): boolean {
  return a !== undefined && a !== null && String(a) === String(b);
}

/** The run's Spark app ids for the job type: std, conformance, or either for std&conf. */
function runAppIds(run: Run, type: string): unknown[] {
  const ai = additionalInfo(run);
  if (type === 'standardization') return [ai.std_application_id];
  if (type === 'conformance') return [ai.conform_application_id];
  return [ai.std_application_id, ai.conform_application_id];
}

export function matchesRun(run: Run, appId: string, c: EnceladusClassification): boolean {
  const ai = additionalInfo(run);
  const version = c.type === 'conformance' ? ai.conform_enceladus_version : ai.std_enceladus_version;
  return (
    same(run.dataset, c.dataset) &&
    same(run.datasetVersion, c.dataset_version) &&
    (c.info_version === undefined || same(metadata(run).version, c.info_version)) &&
    same(version, c.app_version) &&
    runAppIds(run, c.type).some((id) => id === appId)
  );
}

const MIB_DEFAULT = /^(std|conform)_(driver|executor)_memory_overhead$/;
const BYTES = /^(std|conform)_(driver|executor)_memory$/;
const PERCENT = /^(std|conform)_(data_)?size_ratio$/;
const CMD_LINE = /^(std|conform)_cmd_line_args$/;
const REMOVED_ARGS = new Set(['menas-auth-keytab', 'menas-credentials-file', 'report-date']);

/** "--a 1 --b x y" → {a: ' 1', b: ' x y'}; the leading space keeps every value a string in Elasticsearch. */
export function splitCmdLine(args: string): JsonObject {
  const out: JsonObject = {};
  for (const part of args.split('--')) {
    const p = part.trim();
    if (!p) continue;
    const [arg, ...rest] = p.split(/\s+/);
    const value = rest.join(' ');
    out[arg!] =
      REMOVED_ARGS.has(arg!) || SPARK_REDACTION.test(arg!) || /keytab|principal/i.test(arg!)
        ? 'spot_removed'
        : ` ${value}`;
  }
  return out;
}

function castNumber(v: string): number | string {
  const t = v.trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : v;
}

export function castAdditionalInfo(ai: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [k, raw] of Object.entries(ai)) {
    if (typeof raw !== 'string') {
      out[k] = raw as JsonValue;
      continue;
    }
    let v: JsonValue | undefined;
    if (MIB_DEFAULT.test(k) || BYTES.test(k)) v = parseBytes(raw, 'm' as ByteUnit) ?? null;
    else if (PERCENT.test(k)) {
      const m = /^([+-]?\d+(?:\.\d+)?)\s*%$/.exec(raw.trim());
      v = m ? Number(m[1]) / 100 : null;
    } else if (CMD_LINE.test(k)) v = splitCmdLine(raw);
    else if (k === 'enceladus_info_date') v = `str:${raw}`;
    else v = castNumber(raw);
    out[k] = v;
  }
  return out;
}

/** A deep copy of the run with additionalInfo cast and dates in UTC; unparseable startDateTime → null. */
export function castRun(run: Run, defaultTimezone: string, warn: (m: string) => void): JsonObject {
  const copy = structuredClone(run) as JsonObject;
  const md = metadata(copy);
  if (isPlainObject(md.additionalInfo)) md.additionalInfo = castAdditionalInfo(md.additionalInfo);
  if (typeof md.informationDate === 'string') md.informationDate = `str:${md.informationDate}`;
  if ('startDateTime' in copy) {
    const iso = parseMenasDate(copy.startDateTime, defaultTimezone);
    if (iso === undefined)
      warn(`Menas run ${String(copy.uniqueId)}: unparseable startDateTime ${JSON.stringify(copy.startDateTime)}`);
    copy.startDateTime = iso ?? null;
  }
  return copy;
}

/**
 * For each attempt (newest first), the run that belongs to it, or null. Runs are assigned by start time:
 * each attempt takes the unassigned run that started closest to it (a retried attempt has its own run).
 */
export function assignRuns(attemptStarts: (string | undefined)[], runs: JsonObject[]): (JsonObject | null)[] {
  const free = [...runs];
  return attemptStarts.map((start) => {
    if (free.length === 0) return null;
    const t = start ? Date.parse(start) : NaN;
    let best = 0;
    let bestGap = Infinity;
    free.forEach((run, i) => {
      const r = typeof run.startDateTime === 'string' ? Date.parse(run.startDateTime) : NaN;
      const gap = Number.isFinite(t) && Number.isFinite(r) ? Math.abs(r - t) : Infinity;
      if (gap < bestGap) {
        best = i;
        bestGap = gap;
      }
    });
    return free.splice(best, 1)[0] ?? null;
  });
}
