import { enceladusJob, enceladusTag } from '../enceladus/classification.js';
import type { JsonObject } from '../types.js';

// app_specific_data for every app: Enceladus apps are recognised by name (no Menas needed for that);
// any other app gets the original's default, the name and its tokens, with the name as tag.

export function defaultClassification(name: string): { classification: JsonObject; tag: string } {
  const classification: JsonObject = { app: name, type: name };
  name.split(/[ ;,.\-%_]/).forEach((token, i) => {
    classification[String(i + 1)] = token;
  });
  return { classification, tag: name };
}

export function classify(name: string): { classification: JsonObject; tag: string } {
  const c = enceladusJob(name);
  return c ? { classification: c, tag: enceladusTag(c) } : defaultClassification(name);
}
