import type { Advice, AdviceOutcome } from '../../types.js';
import { epochMs, mergeOutcome } from '../common.js';
import type { Db } from './open.js';

export function putAdvice(db: Db, advice: Advice): void {
  db.stmt(
    `INSERT INTO advice (id, app, created_at, doc) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET app = excluded.app, created_at = excluded.created_at, doc = excluded.doc`,
  ).run(advice.id, advice.app, epochMs(advice.createdAt, `createdAt of advice ${advice.id}`), JSON.stringify(advice));
}

/** As putAdvice, but a record of the same id already there is left as it is. */
export function createAdvice(db: Db, advice: Advice): void {
  db.stmt(`INSERT INTO advice (id, app, created_at, doc) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`).run(
    advice.id,
    advice.app,
    epochMs(advice.createdAt, `createdAt of advice ${advice.id}`),
    JSON.stringify(advice),
  );
}

export function getAdvice(db: Db, id: string): Advice | undefined {
  const doc = db.stmt('SELECT doc FROM advice WHERE id = ?').pluck().get(id) as string | undefined;
  return doc === undefined ? undefined : (JSON.parse(doc) as Advice);
}

/** Read, merge, write in one immediate transaction: spot-submit and a crawler may link the same advice at once. */
export function linkAdvice(db: Db, id: string, outcome: AdviceOutcome): void {
  db.write(() => {
    const advice = getAdvice(db, id);
    if (!advice) return; // advice written to another store (or pruned): nothing to link, nothing to lose
    db.stmt('UPDATE advice SET doc = ? WHERE id = ?').run(JSON.stringify(mergeOutcome(advice, outcome)), id);
  });
}

export function listAdvice(db: Db, filter: { app?: string; limit?: number }): Advice[] {
  const limit = filter.limit ?? -1;
  const rows =
    filter.app === undefined
      ? db.stmt('SELECT doc FROM advice ORDER BY created_at DESC, id LIMIT ?').pluck().all(limit)
      : db
          .stmt('SELECT doc FROM advice WHERE app = ? ORDER BY created_at DESC, id LIMIT ?')
          .pluck()
          .all(filter.app, limit);
  return (rows as string[]).map((d) => JSON.parse(d) as Advice);
}
