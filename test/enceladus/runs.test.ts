import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMenasDate } from '../../src/enceladus/dates.js';
import { assignRuns, castAdditionalInfo, castRun, matchesRun, splitCmdLine } from '../../src/enceladus/runs.js';
import { aggregateCheckpoints } from '../../src/enceladus/checkpoints.js';
import { enceladusClassification } from '../../src/enceladus/classification.js';
import type { JsonObject } from '../../src/types.js';
import { fixtureRun, mongoRuns } from '../support/menas-server.js';

/** The fixture's control measure, as these tests read and change it (Menas JSON, not typed further). */
type ControlMeasure = {
  metadata: { additionalInfo: Record<string, unknown>; version?: number };
  checkpoints: Parameters<typeof aggregateCheckpoints>[0];
};

const NAME = 'Enceladus Standardization&Conformance 3.0.0-SNAPSHOT concatenationConformanceRule 1 2020-03-23 1';

describe('Menas dates', () => {
  test('with zone, without zone (default zone), single-digit day and month', () => {
    assert.equal(parseMenasDate('03-10-2022 12:56:49 +0000'), '2022-10-03T12:56:49.000Z');
    assert.equal(parseMenasDate('04-12-2017 16:19:17 +0200'), '2017-12-04T14:19:17.000Z');
    assert.equal(parseMenasDate('2017-12-04 16:19:17 -0130'), '2017-12-04T17:49:17.000Z');
    assert.equal(parseMenasDate('23-3-2020 08:00:00'), '2020-03-23T08:00:00.000Z');
    // Prague: CET (+1) on 23 March 2020, CEST (+2) from 29 March
    assert.equal(parseMenasDate('23-3-2020 08:00:00', 'Europe/Prague'), '2020-03-23T07:00:00.000Z');
    assert.equal(parseMenasDate('2020-07-01 08:00:00', 'Europe/Prague'), '2020-07-01T06:00:00.000Z');
    assert.equal(parseMenasDate('07-11-2017'), undefined);
    assert.equal(parseMenasDate('32-01-2020 00:00:00'), undefined);
    assert.equal(parseMenasDate('01-01-2020 00:00:00', 'Nowhere/Atlantis'), undefined);
  });
});

describe('casting a Menas run (fixture run_create_request_api_v2.json)', () => {
  test('additionalInfo: numbers, percentages, command lines with secrets removed, info date as text', () => {
    const ai = castAdditionalInfo((fixtureRun().controlMeasure as ControlMeasure).metadata.additionalInfo);
    assert.equal(ai.std_input_data_size, 172);
    assert.equal(ai.conform_output_data_size, 8853);
    assert.equal(ai.std_executors_num, 0);
    assert.equal(ai.conform_size_ratio, 1.3137); // "131.37 %"
    assert.equal(ai.std_data_size_ratio, 4.178); // "417.80 %"
    assert.equal(ai.std_enceladus_version, '3.0.0-SNAPSHOT');
    assert.equal(ai.enceladus_info_date, 'str:2020-03-23');
    assert.deepEqual(ai.std_cmd_line_args, {
      'menas-credentials-file': 'spot_removed',
      'dataset-name': ' concatenationConformanceRule',
      'dataset-version': ' 1',
      'report-date': 'spot_removed',
      'report-version': ' 1',
      'raw-format': ' csv',
    });
  });

  test('memory sizes in bytes (MiB when unit-less), keytabs and passwords in command lines removed', () => {
    const ai = castAdditionalInfo({
      std_executor_memory: '4g',
      conform_driver_memory: '2048',
      std_driver_memory_overhead: '512',
      conform_executor_memory_overhead: '1g',
    });
    assert.deepEqual(ai, {
      std_executor_memory: 4 * 2 ** 30,
      conform_driver_memory: 2 * 2 ** 30,
      std_driver_memory_overhead: 512 * 2 ** 20,
      conform_executor_memory_overhead: 2 ** 30,
    });
    assert.deepEqual(splitCmdLine('--menas-auth-keytab /etc/k --jdbc-password x --dataset-name d'), {
      'menas-auth-keytab': 'spot_removed',
      'jdbc-password': 'spot_removed',
      'dataset-name': ' d',
    });
  });

  test('castRun: startDateTime to UTC, informationDate as text; the input is not modified', () => {
    const run = fixtureRun();
    const cast = castRun(run, 'UTC', () => {});
    assert.equal(cast.startDateTime, '2022-10-03T12:56:49.000Z');
    assert.equal(((cast.controlMeasure as JsonObject).metadata as JsonObject).informationDate, 'str:23-3-2020');
    assert.equal(run.startDateTime, '03-10-2022 12:56:49 +0000');
    const warnings: string[] = [];
    assert.equal(castRun({ ...run, startDateTime: 'yesterday' }, 'UTC', (m) => warnings.push(m)).startDateTime, null);
    assert.equal(warnings.length, 1);
  });
});

describe('matching runs to the Spark app', () => {
  const c = enceladusClassification(NAME)!;
  test('the fixture run matches its app id, dataset, versions', () => {
    assert.equal(matchesRun(fixtureRun(), 'local-1663770713457', c), true);
    assert.equal(matchesRun(fixtureRun(), 'local-0000000000000', c), false);
    const other = enceladusClassification(
      NAME.replace('concatenationConformanceRule 1', 'concatenationConformanceRule 2'),
    )!;
    assert.equal(matchesRun(fixtureRun(), 'local-1663770713457', other), false);
  });

  test('conformance compares conform_enceladus_version (the original always used std_)', () => {
    const run = fixtureRun();
    const ai = (run.controlMeasure as ControlMeasure).metadata.additionalInfo;
    ai.std_enceladus_version = '2.0.0';
    const conf = enceladusClassification(
      'Enceladus Conformance 3.0.0-SNAPSHOT concatenationConformanceRule 1 2020-03-23 1',
    )!;
    assert.equal(matchesRun(run, 'local-1663770713457', conf), true);
  });

  test('no report version in the name: any run version matches', () => {
    const noVersion = enceladusClassification(`${NAME.slice(0, -2)} `)!;
    const run = fixtureRun();
    (run.controlMeasure as ControlMeasure).metadata.version = 7;
    assert.equal(matchesRun(run, 'local-1663770713457', noVersion), true);
  });

  test('attempts (newest first) get the run closest in start time, each run once', () => {
    const runs = [
      { uniqueId: 'a', startDateTime: '2020-01-01T10:00:00.000Z' },
      { uniqueId: 'b', startDateTime: '2020-01-01T11:00:00.000Z' },
    ];
    const got = assignRuns(['2020-01-01T11:00:05.000Z', '2020-01-01T10:00:03.000Z', '2020-01-01T09:00:00.000Z'], runs);
    assert.deepEqual(
      got.map((r) => r?.uniqueId ?? null),
      ['b', 'a', null],
    );
  });
});

describe('checkpoints', () => {
  test('the fixture run: one checkpoint, controls match, duration from d-m-Y times', () => {
    const cps = (fixtureRun().controlMeasure as ControlMeasure).checkpoints;
    assert.deepEqual(aggregateCheckpoints(cps), {
      elements_count: 1,
      agg_checkpoints: {
        Source: {
          name: 'Source',
          workflowName: 'Source',
          order: 1,
          processStartTime: '2020-03-23T08:00:00.000Z',
          processEndTime: '2020-03-23T08:05:01.000Z',
          duration: 301000,
        },
      },
      controls_match: true,
      num_controls: 1,
    });
  });

  test('Mongo export runs: date-only times are dropped, two controls', () => {
    const agg = aggregateCheckpoints((mongoRuns()[0]!.controlMeasure as ControlMeasure).checkpoints);
    assert.equal(agg.num_controls, 2);
    assert.equal(agg.controls_match, true);
    const source = (agg.agg_checkpoints as JsonObject).Source as JsonObject;
    assert.equal('processStartTime' in source, false);
    assert.equal('duration' in source, false);
  });

  test('a changed control value or a different number of controls is recorded, checking stops there', () => {
    const cp = (name: string, values: string[]) => ({
      name,
      order: 1,
      processStartTime: '',
      processEndTime: '',
      controls: values.map((v, i) => ({ controlName: `c${i}`, controlValue: v })),
    });
    const changed = aggregateCheckpoints([cp('Raw', ['10', '5']), cp('Std Out', ['10', '6']), cp('Conf', ['1'])]);
    assert.equal(changed.controls_match, false);
    assert.deepEqual(
      { ...(changed.controls_error as JsonObject), checkpoint: undefined },
      {
        checkpoint: undefined,
        controlName: 'c1',
        controlValue: '6',
        initialControlValue: '5',
        incorrect_num_controls: false,
      },
    );
    assert.equal(((changed.controls_error as JsonObject).checkpoint as JsonObject).name, 'StdOut');
    assert.deepEqual(Object.keys(changed.agg_checkpoints as JsonObject), ['Raw', 'StdOut', 'Conf']);
    const fewer = aggregateCheckpoints([cp('Raw', ['10', '5']), cp('Out', ['10'])]);
    assert.equal((fewer.controls_error as JsonObject).incorrect_num_controls, true);
  });
});
