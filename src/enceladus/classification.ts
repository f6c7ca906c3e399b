import type { JsonObject } from '../types.js';

// Enceladus names its Spark apps "<jobName> <version> <dataset> <datasetVersion> <reportDate> <reportVersion>",
// jobName being "Enceladus Standardization", "Enceladus Conformance" or "Enceladus Standardization&Conformance".
// Before that: "Standardisation <version> <dataset> <dsVersion> <date> <reportVersion>" (6 tokens) and
// "Dynamic Conformance <version> ..." (7 tokens). A name too short for its convention is not classified
// (the original raised IndexError or UnboundLocalError); an empty report version is left out, not ''.

export interface EnceladusClassification extends JsonObject {
  project: 'enceladus';
  app: string;
  type: string;
  app_version: string;
  dataset: string;
  dataset_version: number | string;
  info_date: string;
  info_date_casted: string | null;
}

function oldConvention(name: string): 'standardization' | 'conformance' | undefined {
  const n = name.split(' ').length;
  if (name.startsWith('Standardisation ') && n === 6) return 'standardization';
  if (name.startsWith('Dynamic Conformance ') && n === 7) return 'conformance';
  return undefined;
}

export function isEnceladus(name: string): boolean {
  return name.startsWith('Enceladus') || oldConvention(name) !== undefined;
}

function intIfDigits(v: string): number | string {
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** "31-01-2024" or "2024-01-31" → that day at 12:00 UTC (noon keeps the day in every time zone's view). */
export function castInfoDate(v: string): string | null {
  let m = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(v);
  let ymd: [string, string, string] | undefined = m ? [m[3]!, m[2]!, m[1]!] : undefined;
  if (!ymd) {
    m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
    if (m) ymd = [m[1]!, m[2]!, m[3]!];
  }
  if (!ymd) return null;
  const [y, mo, d] = ymd.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, 12));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null; // 31-02-2024
  return date.toISOString();
}

export function enceladusClassification(name: string): EnceladusClassification | undefined {
  const tokens = name.split(' ').filter((t) => t.length > 0);
  let app: string;
  let type: string;
  let rest: string[];
  const old = oldConvention(name);
  if (old) {
    app = 'enceladus';
    type = old;
    rest = tokens.slice(old === 'conformance' ? 2 : 1);
  } else if (name.startsWith('Enceladus') && tokens.length >= 6) {
    app = tokens[0]!.toLowerCase();
    type = tokens[1]!.toLowerCase();
    rest = tokens.slice(2);
  } else return undefined;
  // version, dataset, dataset version and report date are required; the report version may be missing.
  if (rest.length < 4) return undefined;
  const [appVersion, dataset, datasetVersion, infoDate, infoVersion] = rest as [
    string,
    string,
    string,
    string,
    string?,
  ];
  const c: EnceladusClassification = {
    project: 'enceladus',
    app,
    type,
    app_version: appVersion,
    dataset,
    dataset_version: intIfDigits(datasetVersion),
    // "str:" stops Elasticsearch from guessing a date type from whichever format it sees first.
    info_date: `str:${infoDate}`,
    info_date_casted: castInfoDate(infoDate),
  };
  if (infoVersion !== undefined && infoVersion !== '') c.info_version = intIfDigits(infoVersion);
  return c;
}

/** The app's classification when its name follows one of Enceladus' conventions; else undefined. */
export function enceladusJob(name: string): EnceladusClassification | undefined {
  return isEnceladus(name) ? enceladusClassification(name) : undefined;
}

export function enceladusTag(c: EnceladusClassification): string {
  return `${c.type}_${c.app_version}_${c.dataset}_${String(c.dataset_version)}`;
}
