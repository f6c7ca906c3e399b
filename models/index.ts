export type { TrainingRow, ModelSettings, Model, ModelSpec, Regressor, Loss } from './types.js';
export { nnls } from './nnls.js';
export { leastSquares } from './lstsq.js';
export { physicalSpecs, fitPhysical, FAMILIES } from './physical.js';
export { flexibleSpecs } from './flexible.js';
export { selectModel, fitWithValidation, allSpecs, launchSpecs, withInterval, MAX_TRAINING_ROWS, type Selection, type Score, type SelectOptions } from './select.js';
export { crossValidate, sizeWeight } from './validate.js';
export { interval, extrapolationDistance, INTERVAL_COVERAGE } from './interval.js';
export { totalCores, waves, inputTasks, sizeGiB } from './features.js';
