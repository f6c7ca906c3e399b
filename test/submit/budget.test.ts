import { describe, test } from 'node:test';
import { adviceCommand } from '../../src/submit/advice-messages.js';
import { parseSubmitArgs } from '../../src/submit/args.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandWords, startAdvice } from '../../src/submit/budget.js';
import { ROOT } from '../support/paths.js';

// The advice process is killed, never awaited, once a budget is spent. Budgets are made to have run out by
// an injected clock, and "killed" is seen from the process table, not from a stopwatch.

const STAND_IN = pathToFileURL(join(ROOT, 'test', 'support', 'stand-in-advice.mjs'));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
async function gone(pid: number): Promise<void> {
  while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
}

describe('advice budgets', () => {
  test("the command goes to the advice process in pieces under the kernel's limit, joined back whole", () => {
    const jars = Array.from({ length: 3000 }, (_, i) => `hdfs://nn/lib/dep-${i}-😀.jar`).join(',');
    const command = adviceCommand(parseSubmitArgs(['--jars', jars, '--files', jars, 'app.jar']));
    const words = commandWords(command, 1001); // odd, so that some cut would fall inside a surrogate pair
    assert.ok(words.length > 100);
    for (const w of words) {
      assert.ok(w.length <= 1001);
      assert.ok(!/^[\udc00-\udfff]/.test(w) && !/[\ud800-\udbff]$/.test(w), 'a surrogate pair cut in two');
    }
    assert.deepEqual(JSON.parse(words.join('')), command);
    assert.ok(commandWords(command).every((w) => Buffer.byteLength(w) < 128 * 1024));
  });

  test('an advice process that never answers is killed once the budget is spent; the launch learns why', async () => {
    const phase = startAdvice(adviceCommand(parseSubmitArgs(['--name', 'j', 'app.jar'])), {
      env: { ...process.env, STAND_IN_ADVICE: 'silent' },
      script: STAND_IN,
      now: () => 1e9,
    });
    const r = await phase.result;
    assert.deepEqual(r, { ok: false, reason: 'no advice within 3000 ms (the config was not read)' });
    assert.equal(await phase.config, undefined, 'no config facts: spark-submit comes from the environment');
    await gone(phase.pid!);
  });

  test('the budget comes from SPOT_SUBMIT_ADVICE_TIMEOUT_MS until the config says otherwise', async () => {
    const phase = startAdvice(adviceCommand(parseSubmitArgs([])), {
      env: { ...process.env, STAND_IN_ADVICE: 'silent', SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '250' },
      script: STAND_IN,
      now: () => 1e9,
    });
    assert.deepEqual(await phase.result, { ok: false, reason: 'no advice within 250 ms (the config was not read)' });
    await gone(phase.pid!);
  });

  test('the outcome write has its own budget: a stuck advice process is killed and the caller told', async () => {
    const phase = startAdvice(adviceCommand(parseSubmitArgs(['j.jar'])), {
      env: {
        ...process.env,
        STAND_IN_ADVICE: 'plan-then-hang',
        STAND_IN_FEEDBACK_MS: '100',
        SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '600000',
      },
      script: STAND_IN,
    });
    const r = await phase.result;
    assert.equal(r.ok, true);
    phase.record();
    assert.equal(await phase.feedback({ exitCode: 0, wallMs: 1 }), 'not stored within 100 ms');
    await gone(phase.pid!);
  });

  test('a healthy advice process stores the outcome and the feedback resolves without a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-budget-'));
    try {
      const file = join(dir, 'outcome.json');
      const phase = startAdvice(adviceCommand(parseSubmitArgs(['j.jar'])), {
        env: {
          ...process.env,
          STAND_IN_ADVICE: 'plan-then-store',
          STAND_IN_OUTCOME_FILE: file,
          STAND_IN_FEEDBACK_MS: '600000',
          SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '600000',
        },
        script: STAND_IN,
      });
      assert.equal((await phase.result).ok, true);
      assert.equal(await phase.feedback({ exitCode: 3, wallMs: 7 }), undefined);
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { exitCode: 3, wallMs: 7 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
