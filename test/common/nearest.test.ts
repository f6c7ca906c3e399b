import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance, nearest } from '../../src/common/nearest.js';

test('edit distance counts inserts, deletes, substitutions and swapped neighbours, case ignored', () => {
  assert.equal(editDistance('daily', 'Daily'), 0);
  assert.equal(editDistance('historyServr', 'historyServer'), 1);
  assert.equal(editDistance('crawelr', 'crawler'), 1);
  assert.equal(editDistance('etl', 'elt'), 1);
  assert.equal(editDistance('', 'abc'), 3);
});

test('the nearest known word within a third of the letters (two at least); none when the word is known', () => {
  const jobs = ['daily_sales', 'daily_stock', 'etl'];
  assert.equal(nearest('daily_sale', jobs), 'daily_sales');
  assert.equal(nearest('ETL', jobs), 'etl');
  assert.equal(nearest('weekly_report', jobs), undefined);
  assert.equal(nearest('etl', jobs), undefined);
  assert.equal(nearest('x', []), undefined);
});
