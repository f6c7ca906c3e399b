#!/bin/sh
//usr/bin/env true; s=; while read -r k v; do [ "$k" = SigIgn: ] && s=$v; done 2>/dev/null </proc/$$/status
//usr/bin/env true; _SPOT_SUBMIT_SIGIGN=$s exec node "$0" "$@"
// Thin entry point: a drop-in spark-submit. The compiled submit command returns spark-submit's own exit code,
// and the process ends with it at once: nothing Spot started may hold it (see src/submit/budget.ts).
// Run as a program, the two lines above are a shell's: they note the signals its caller ignored (nohup's SIGHUP,
// a script's `cmd &` SIGINT), which Node sets back to default as it starts, and run this file with Node. To Node
// they are comments. spot-submit then ignores those signals too, and spark-submit starts with them ignored.
import { submitMain } from '../dist/src/cli/submit.js';

const sigIgn = process.env._SPOT_SUBMIT_SIGIGN;
delete process.env._SPOT_SUBMIT_SIGIGN;
process.exit(await submitMain(process.argv.slice(2), { sigIgn }));
