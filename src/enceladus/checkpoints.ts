import { isPlainObject } from '../common/json.js';
import type { JsonObject, JsonValue } from '../types.js';
import { parseMenasDate } from './dates.js';

// A run's control-measure checkpoints, summarised for the aggregated document (spec §4 aggregate): keyed by
// name, with durations, and whether every checkpoint kept the first checkpoint's control values (the
// check stops at the first mismatch and records it).

export function aggregateCheckpoints(raw: unknown[], defaultTimezone = 'UTC'): JsonObject {
  const agg: JsonObject = {};
  let controlsMatch = true;
  let reference: Map<string, unknown> | undefined;
  let numControls = 0;
  let error: JsonObject | undefined;
  for (const item of raw) {
    if (!isPlainObject(item)) continue;
    const cp: Record<string, unknown> = { ...item };
    const name = String(cp.name ?? '').replaceAll(' ', '');
    cp.name = name;
    const start = parseMenasDate(cp.processStartTime, defaultTimezone);
    const end = parseMenasDate(cp.processEndTime, defaultTimezone);
    delete cp.processStartTime;
    delete cp.processEndTime;
    // Times in an unknown format are dropped rather than stored with a second type.
    if (start !== undefined && end !== undefined) {
      cp.processStartTime = start;
      cp.processEndTime = end;
      cp.duration = Date.parse(end) - Date.parse(start);
    }
    const controls = Array.isArray(cp.controls) ? cp.controls.filter(isPlainObject) : [];
    delete cp.controls;
    if (controlsMatch) {
      if (!reference) {
        reference = new Map(controls.map((c) => [String(c.controlName), c.controlValue]));
        numControls = reference.size;
      } else if (controls.length !== numControls) {
        controlsMatch = false;
        error = { checkpoint: cp as JsonObject, incorrect_num_controls: true };
      } else {
        for (const c of controls) {
          // Values are strings; "123" and "123.0" differ, as they should at equal type and precision.
          const initial = reference.get(String(c.controlName));
          if (initial !== c.controlValue) {
            controlsMatch = false;
            error = {
              checkpoint: cp as JsonObject,
              controlName: (c.controlName ?? null) as JsonValue,
              controlValue: (c.controlValue ?? null) as JsonValue,
              initialControlValue: (initial ?? null) as JsonValue,
              incorrect_num_controls: false,
            };
            break;
          }
        }
      }
    }
    agg[name] = cp as JsonObject;
  }
  const out: JsonObject = {
    elements_count: raw.length,
    agg_checkpoints: agg,
    controls_match: controlsMatch,
    num_controls: numControls,
  };
  if (error) out.controls_error = error;
  return out;
}
