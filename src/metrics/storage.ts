import { HDFS_BLOCK, maxStageInput, maxStageOutput, sum, type Metric } from './types.js';

// Input measured in HDFS blocks, and storage memory against the biggest stage's input plus output
// (the original's rough peak-memory estimate).

export const inputBlocks: Metric = {
  name: 'input_blocks',
  needs: 'stages',
  compute(input) {
    const maxBlocks = Math.ceil(maxStageInput(input) / HDFS_BLOCK);
    const out: Record<string, number> = {
      stages_max_input_blocks: maxBlocks,
      executors_total_input_blocks: Math.ceil(sum(input.executors.map((e) => e.totalInputBytes)) / HDFS_BLOCK),
    };
    if (input.durationMs !== 0) out.average_throughput = maxBlocks / input.durationMs;
    return out;
  },
};

export const storageMemory: Metric = {
  name: 'storage_memory',
  needs: 'stages',
  compute(input) {
    const total = sum(input.executors.map((e) => e.maxMemory));
    const out: Record<string, number> = { unused_storage_memory: total - maxStageInput(input) };
    if (total !== 0) {
      const peak = maxStageInput(input) + maxStageOutput(input);
      out.est_peak_memory_usage = peak;
      out.storage_memory_usage = peak / total;
      out.x_unused_storage_memory_bytes = total - peak;
    }
    return out;
  },
};
