import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { jsonSyntaxProblem } from '../../src/config/json-syntax.js';
import { SPOT_BIN, SPOT_SUBMIT_BIN } from '../support/paths.js';
import { ended, HANG_GUARD } from '../support/spawn.js';

// A JSON config with a syntax error is named with the line and column, and none of its text: V8's own message
// quotes the text around the error, which may be the password the file holds.

const SECRET = 'hunter2SECRET';

describe('a JSON config file with a syntax error', () => {
  test('is named with the line and column of the error, and never quoted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-json-'));
    try {
      const file = join(dir, '.spotrc.json');
      for (const [text, where] of [
        [`{\n  "elasticsearch": {\n    "password": ${SECRET}\n  }\n}\n`, 'line 3, column 17: a value is expected here'],
        [`{"elasticsearch": {"password": '${SECRET}'}}`, 'line 1, column 32: strings take double quotes in JSON'],
        [`{\n "elasticsearch": {"password": "${SECRET}",}\n}`, 'line 2, column 48: a comma before }'],
        [`{"elasticsearch": {"password": "${SECRET}"}} ${SECRET}`, 'line 1, column 50: more text after the end'],
        [`{\n  "elasticsearch": {\n    "password": "${SECRET}\n  }\n}`, 'line 3, column 31: a string holds a line'],
        [`{"elasticsearch": {"password": "${SECRET}`, 'line 1, column 32: the string that starts here is not closed'],
        [`{"elasticsearch": {"password": "${SECRET}"}`, 'line 1, column 48: the file ends before the JSON value'],
      ] as const) {
        writeFileSync(file, text);
        await assert.rejects(loadConfig({ cwd: dir, env: {} }), (e: Error) => {
          assert.ok(e.message.startsWith(`${file} is not valid JSON: ${where}`), `${e.message}\nfor ${text}`);
          assert.ok(!e.message.includes(SECRET) && !e.message.includes('\n'), e.message);
          return true;
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('spot and spot-submit say it in one line, without the secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-json-'));
    try {
      writeFileSync(join(dir, '.spotrc.json'), `{\n  "elasticsearch": {\n    "password": ${SECRET}\n  }\n}\n`);
      const env = { ...process.env, SPOT_HOME: join(dir, 'home'), SPOT_CONFIG: undefined };
      const said = `${join(dir, '.spotrc.json')} is not valid JSON: line 3, column 17: a value is expected here`;
      const spot = spawnSync(process.execPath, [SPOT_BIN, 'runs'], { cwd: dir, env, encoding: 'utf8', ...HANG_GUARD });
      assert.equal(spot.status, 2, ended(spot));
      assert.ok(spot.stderr.startsWith(`spot: ${said}`) && spot.stderr.split('\n').length === 2, spot.stderr);
      const submit = spawnSync(process.execPath, [SPOT_SUBMIT_BIN, '--spot-dry-run', '--master', 'yarn', 'app.jar'], {
        cwd: dir,
        env: { ...env, SPOT_SUBMIT_SPARK_SUBMIT: 'spark-submit', SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '600000' },
        encoding: 'utf8',
        ...HANG_GUARD,
      });
      assert.equal(submit.status, 0, ended(submit));
      assert.ok(submit.stderr.startsWith(`spot-submit: ${said}`), submit.stderr);
      assert.ok(!spot.stderr.includes(SECRET) && !submit.stderr.includes(SECRET));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the scan finds an error exactly where JSON.parse does: every cut and every one-character slip of a config', () => {
    const valid = JSON.stringify(
      { a: { b: [1, -2.5e3, true, false, null, 'x\\n\u00e9"'], c: {} }, d: [], e: '\u{1F600}' },
      null,
      2,
    );
    const texts = [valid];
    for (let i = 0; i < valid.length; i++) {
      texts.push(valid.slice(0, i), valid.slice(0, i) + valid.slice(i + 1));
      for (const c of ['"', ',', '}', ']', ':', '\\', '\n', '0', 'x', "'"])
        texts.push(valid.slice(0, i) + c + valid.slice(i));
    }
    for (const text of texts) {
      let parsed = true;
      try {
        JSON.parse(text);
      } catch {
        parsed = false;
      }
      const problem = jsonSyntaxProblem(text);
      assert.equal(problem === undefined, parsed, `${JSON.stringify(text)}: ${JSON.stringify(problem)}`);
      // V8 gives a position for most errors: the scan names the same place.
      const at = /at position (\d+)/.exec(parsed ? '' : errorOf(text))?.[1];
      if (at !== undefined && problem) {
        const before = text.slice(0, Number(at));
        assert.equal(problem.line, before.split('\n').length, JSON.stringify(text));
      }
    }
  });
});

function errorOf(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}
