import type { CellScore } from '../../bench/accuracy/score.js';

// A bench/accuracy cell made of given per-case errors, for the tests of what is read from a cell's cases.

export function cellScore(byCase: CellScore['byCase']): CellScore {
  return {
    name: 'test',
    cases: byCase.length,
    predictions: 0,
    errors: new Map(),
    covered: 0,
    answeredBy: new Map(),
    byCase,
  };
}

/** Cases given as model name → held-out errors, each in its own group unless one is named. */
export function cellOf(cases: { group?: number; errors: Record<string, number[]> }[]): CellScore {
  return cellScore(cases.map((c, i) => ({ group: c.group ?? i, errors: new Map(Object.entries(c.errors)) })));
}

/** One case's held-out errors of the selection and of two single models, 'a' and 'b', on the same runs. */
export const selectionAB = (selection: number[], a: number[], b: number[]): Map<string, number[]> =>
  new Map([
    ['selection', selection],
    ['a', a],
    ['b', b],
  ]);
