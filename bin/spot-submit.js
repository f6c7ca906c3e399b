#!/usr/bin/env node
// Thin entry point: a drop-in spark-submit. The compiled submit command returns spark-submit's own exit code,
// and the process ends with it at once: nothing Spot started may hold it (see src/submit/budget.ts).
import { submitMain } from '../dist/src/cli/submit.js';

process.exit(await submitMain(process.argv.slice(2)));
