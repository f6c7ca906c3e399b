import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  castInfoDate,
  enceladusClassification,
  enceladusTag,
  isEnceladus,
} from '../../src/enceladus/classification.js';
import { classify } from '../../src/documents/classify.js';

describe('Enceladus app names', () => {
  test('new convention, all three job types', () => {
    const c = enceladusClassification('Enceladus Standardization 2.23.0 sales 3 31-01-2024 2');
    assert.deepEqual(c, {
      project: 'enceladus',
      app: 'enceladus',
      type: 'standardization',
      app_version: '2.23.0',
      dataset: 'sales',
      dataset_version: 3,
      info_date: 'str:31-01-2024',
      info_date_casted: '2024-01-31T12:00:00.000Z',
      info_version: 2,
    });
    assert.equal(enceladusTag(c!), 'standardization_2.23.0_sales_3');
    assert.equal(enceladusClassification('Enceladus Conformance 2.23.0 sales 3 2024-01-31 1')?.type, 'conformance');
    const sc = enceladusClassification(
      'Enceladus Standardization&Conformance 3.0.0-SNAPSHOT concatenationConformanceRule 1 2020-03-23 1',
    );
    assert.equal(sc?.type, 'standardization&conformance');
    assert.equal(sc?.info_date_casted, '2020-03-23T12:00:00.000Z');
  });

  test('old convention: Standardisation (6 tokens) and Dynamic Conformance (7 tokens)', () => {
    assert.ok(isEnceladus('Standardisation 1.2.0 sales 3 2019-01-31 1'));
    assert.deepEqual(enceladusClassification('Standardisation 1.2.0 sales 3 2019-01-31 1'), {
      project: 'enceladus',
      app: 'enceladus',
      type: 'standardization',
      app_version: '1.2.0',
      dataset: 'sales',
      dataset_version: 3,
      info_date: 'str:2019-01-31',
      info_date_casted: '2019-01-31T12:00:00.000Z',
      info_version: 1,
    });
    const c = enceladusClassification('Dynamic Conformance 1.2.0 sales v3 2019-01-31 x1');
    assert.equal(c?.type, 'conformance');
    assert.equal(c?.dataset_version, 'v3'); // not digits: kept as text
    assert.equal(c?.info_version, 'x1');
  });

  test('malformed names are not classified (the original raised IndexError / UnboundLocalError)', () => {
    for (const name of ['Enceladus', 'Enceladus Standardization', 'Enceladus Standardization 2.0 sales 3', '']) {
      assert.equal(enceladusClassification(name), undefined, name);
      assert.equal(classify(name).tag, name); // falls back to the default classification
    }
    assert.equal(isEnceladus('Standardisation 1.2.0 sales'), false);
    assert.equal(isEnceladus('Dynamic Conformance 1.2.0 sales 3 2019-01-31'), false);
    assert.equal(isEnceladus('Spark shell'), false);
  });

  test('an empty report version is left out instead of matching nothing', () => {
    const c = enceladusClassification('Enceladus Standardization 2.23.0 sales 3 2024-01-31 ');
    assert.ok(c);
    assert.equal('info_version' in c, false);
  });

  test('info dates: d-m-Y or Y-m-d, else null', () => {
    assert.equal(castInfoDate('1-2-2024'), '2024-02-01T12:00:00.000Z');
    assert.equal(castInfoDate('2024-02-01'), '2024-02-01T12:00:00.000Z');
    assert.equal(castInfoDate('31-02-2024'), null);
    assert.equal(castInfoDate('20240201'), null);
  });
});
