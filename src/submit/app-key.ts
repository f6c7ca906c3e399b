import { classify } from '../documents/classify.js';
import { appKey as documentAppKey } from '../documents/record.js';

// The documents' job-key function, fed the way the crawl feeds it (the name and its classification), so a
// launch and the finished app it becomes get the same key.

export function appKey(appName: string, pattern?: string): string {
  return documentAppKey(appName, classify(appName).classification, pattern);
}
