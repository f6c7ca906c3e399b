// JSON helpers live in the leaf src/shared/json.ts, which enceladus/ uses too; this re-export keeps
// record.ts's import as it is while its summary reading is being rewritten. Import the leaf directly.
export { getPath, isPlainObject, num, toJson, toJsonObject, wellFormed } from '../shared/json.js';
