import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../../src/config/schema.js';
import { planLaunch } from '../../src/submit/plan.js';
import { renderAdvice } from '../../src/cli/explain-text.js';
import { withFatJobStore } from '../submit/fat-job.js';

// Under dynamic allocation the advised count is a ceiling, and a candidate's core-hours (count × cores × predicted
// time) what holding it the whole run would cost: Spark holds fewer while fewer tasks wait. Worded as allocated
// core-hours, a baseline of "40 executors, 3.01 core-hours" read as what the fixed launch cost; it was allocated 2.13.
describe('core-hours under dynamic allocation are worded as what they are: the most at the executor ceiling', () => {
  const plan = (dynamic: boolean) =>
    withFatJobStore(dynamic, async (store) => {
      const da = dynamic
        ? ['--conf', 'spark.dynamicAllocation.enabled=true', '--conf', 'spark.dynamicAllocation.maxExecutors=40']
        : ['--num-executors', '40'];
      const argv = ['--name', 'fat job', '--spot-input-bytes', '10g', '--executor-cores', '4', ...da, 'j.jar'];
      const config = configSchema.parse({ advisor: { mode: 'override' } });
      return (await planLaunch(argv, { config, store, record: false })).advice!;
    });

  test('the decision, the alternatives table and the chart say ceiling under dynamic allocation', async () => {
    const advice = await plan(true);
    assert.ok(advice.chosen.maxExecutors! < 40, JSON.stringify(advice.chosen));
    assert.equal(advice.reasons?.[0]?.values.dynamic, true);
    assert.match(advice.decidedBy, /^fewest core-hours at the executor ceiling \(.* at the baseline's; the most each/);
    const text = renderAdvice(advice);
    assert.match(text, /Why: fewest core-hours at the executor ceiling/);
    assert.match(text, /core-hours at the executor ceiling, the most each may cost\):\n\s+ceiling\s+cores/);
    assert.match(text, /core-hours by executor ceiling/);
    assert.doesNotMatch(text, /allocated core-hours/);
  });

  test('with executors fixed the words stay allocated core-hours by executor count', async () => {
    const advice = await plan(false);
    assert.equal(advice.reasons?.[0]?.values.dynamic, undefined);
    assert.match(advice.decidedBy, /^fewest allocated core-hours/);
    const text = renderAdvice(advice);
    assert.match(text, /allocated core-hours\):\n\s+executors\s+cores/);
    assert.doesNotMatch(text, /ceiling/);
  });
});
