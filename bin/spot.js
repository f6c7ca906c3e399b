#!/usr/bin/env node
// Thin entry point: the compiled CLI does the work and sets the exit code.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
