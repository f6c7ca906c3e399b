// `node --import ./record-imports.mjs ...`: writes every module the process imports to
// $SPOT_TEST_IMPORTS_DIR/<pid>.log, one URL a line, so that a test can tell what a command loads.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { dir: process.env.SPOT_TEST_IMPORTS_DIR } });
