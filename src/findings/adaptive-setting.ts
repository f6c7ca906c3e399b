import type { FindingInput, SettingChange } from './types.js';

// The adaptive-execution change that addresses a finding, given what the run already had: asking to switch on
// what was on tells the user nothing. Adaptive execution off: switch it on. On, with the feature off: switch the
// feature on. Both on: the feature's own knob. Neither known (no version, no property): the feature's flag.

export function adaptiveChange(
  feature: 'coalescePartitions' | 'skewJoin',
  tune: SettingChange,
): (input: FindingInput) => SettingChange {
  const key = `spark.sql.adaptive.${feature}.enabled`;
  return ({ adaptive }) => {
    if (adaptive.enabled === false) return { key: 'spark.sql.adaptive.enabled', change: 'set', value: 'true' };
    if (adaptive.enabled === true && adaptive[feature] === true) return tune;
    return { key, change: 'set', value: 'true' };
  };
}
