#!/usr/bin/env node
// Thin entry point: a drop-in spark-submit. The compiled submit command returns spark-submit's own exit code.
import { submitMain } from '../dist/src/cli/submit.js';

process.exitCode = await submitMain(process.argv.slice(2));
