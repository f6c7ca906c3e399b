#!/usr/bin/env node
// A stand-in for spot-submit's advice process (src/submit/advice-process.ts), for the budget tests.
// STAND_IN_ADVICE says how it misbehaves:
//   silent        never answers (a config read stuck on a hung file system)
//   plan-then-hang  reports its config and a plan, then spins forever when asked to store the outcome
//   plan-then-store reports its config and a plan, then stores the outcome (writes STAND_IN_OUTCOME_FILE) and exits
import { writeFileSync } from 'node:fs';

const how = process.env.STAND_IN_ADVICE ?? 'silent';
// Its one argument is the command as spot-submit parsed it (src/submit/advice-messages.ts): the plan launches it as is.
const command = JSON.parse(process.argv[2]);
const plan = {
  argv: command.args.options.flatMap((o) => (o.value === undefined ? [o.name] : [o.name, o.value])),
  warnings: [],
  advice: { id: 'stand-in-advice' },
};
if (how === 'silent') setInterval(() => undefined, 1 << 30);
else {
  process.send({ type: 'config', facts: { feedbackBudgetMs: Number(process.env.STAND_IN_FEEDBACK_MS ?? 1000) } });
  process.send({ type: 'done', ok: true, plan });
  process.on('message', (m) => {
    if (m.type !== 'outcome') return;
    if (how === 'plan-then-hang') for (;;);
    writeFileSync(process.env.STAND_IN_OUTCOME_FILE, JSON.stringify(m.outcome));
    process.exit(0);
  });
}
