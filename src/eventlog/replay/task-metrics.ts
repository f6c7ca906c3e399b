import { num, obj } from './fields.js';

// A task's metrics as JsonProtocol writes them ("Task Metrics"), under the names the History Server's stage
// data uses for their sums (v1 StageData), so that a stage read from a log and one fetched over REST carry
// the same fields. The order is the REST order.

const STAGE_METRIC_NAMES = [
  'executorDeserializeTime',
  'executorDeserializeCpuTime',
  'executorRunTime',
  'executorCpuTime',
  'resultSize',
  'jvmGcTime',
  'resultSerializationTime',
  'memoryBytesSpilled',
  'diskBytesSpilled',
  'peakExecutionMemory',
  'inputBytes',
  'inputRecords',
  'outputBytes',
  'outputRecords',
  'shuffleRemoteBlocksFetched',
  'shuffleLocalBlocksFetched',
  'shuffleFetchWaitTime',
  'shuffleRemoteBytesRead',
  'shuffleRemoteBytesReadToDisk',
  'shuffleLocalBytesRead',
  'shuffleReadBytes',
  'shuffleReadRecords',
  'shuffleCorruptMergedBlockChunks',
  'shuffleMergedFetchFallbackCount',
  'shuffleMergedRemoteBlocksFetched',
  'shuffleMergedLocalBlocksFetched',
  'shuffleMergedRemoteChunksFetched',
  'shuffleMergedLocalChunksFetched',
  'shuffleMergedRemoteBytesRead',
  'shuffleMergedLocalBytesRead',
  'shuffleRemoteReqsDuration',
  'shuffleMergedRemoteReqsDuration',
  'shuffleWriteBytes',
  'shuffleWriteTime',
  'shuffleWriteRecords',
] as const;

type StageMetricName = (typeof STAGE_METRIC_NAMES)[number];
export type StageMetrics = Record<StageMetricName, number>;

export function emptyMetrics(): StageMetrics {
  const m = {} as StageMetrics;
  for (const k of STAGE_METRIC_NAMES) m[k] = 0;
  return m;
}

export function taskMetrics(json: unknown): StageMetrics {
  const t = obj(json);
  const read = obj(t['Shuffle Read Metrics']);
  const push = obj(read['Push Based Shuffle']);
  const write = obj(t['Shuffle Write Metrics']);
  const input = obj(t['Input Metrics']);
  const output = obj(t['Output Metrics']);
  const remote = num(read['Remote Bytes Read']);
  const local = num(read['Local Bytes Read']);
  return {
    executorDeserializeTime: num(t['Executor Deserialize Time']),
    executorDeserializeCpuTime: num(t['Executor Deserialize CPU Time']),
    executorRunTime: num(t['Executor Run Time']),
    executorCpuTime: num(t['Executor CPU Time']),
    resultSize: num(t['Result Size']),
    jvmGcTime: num(t['JVM GC Time']),
    resultSerializationTime: num(t['Result Serialization Time']),
    memoryBytesSpilled: num(t['Memory Bytes Spilled']),
    diskBytesSpilled: num(t['Disk Bytes Spilled']),
    peakExecutionMemory: num(t['Peak Execution Memory']),
    inputBytes: num(input['Bytes Read']),
    inputRecords: num(input['Records Read']),
    outputBytes: num(output['Bytes Written']),
    outputRecords: num(output['Records Written']),
    shuffleRemoteBlocksFetched: num(read['Remote Blocks Fetched']),
    shuffleLocalBlocksFetched: num(read['Local Blocks Fetched']),
    shuffleFetchWaitTime: num(read['Fetch Wait Time']),
    shuffleRemoteBytesRead: remote,
    shuffleRemoteBytesReadToDisk: num(read['Remote Bytes Read To Disk']),
    shuffleLocalBytesRead: local,
    shuffleReadBytes: remote + local,
    shuffleReadRecords: num(read['Total Records Read']),
    shuffleCorruptMergedBlockChunks: num(push['Corrupt Merged Block Chunks']),
    shuffleMergedFetchFallbackCount: num(push['Merged Fetch Fallback Count']),
    shuffleMergedRemoteBlocksFetched: num(push['Merged Remote Blocks Fetched']),
    shuffleMergedLocalBlocksFetched: num(push['Merged Local Blocks Fetched']),
    shuffleMergedRemoteChunksFetched: num(push['Merged Remote Chunks Fetched']),
    shuffleMergedLocalChunksFetched: num(push['Merged Local Chunks Fetched']),
    shuffleMergedRemoteBytesRead: num(push['Merged Remote Bytes Read']),
    shuffleMergedLocalBytesRead: num(push['Merged Local Bytes Read']),
    shuffleRemoteReqsDuration: num(read['Remote Requests Duration']),
    shuffleMergedRemoteReqsDuration: num(push['Merged Remote Requests Duration']),
    shuffleWriteBytes: num(write['Shuffle Bytes Written']),
    shuffleWriteTime: num(write['Shuffle Write Time']),
    shuffleWriteRecords: num(write['Shuffle Records Written']),
  };
}

export function addMetrics(into: StageMetrics, delta: StageMetrics): void {
  for (const k of STAGE_METRIC_NAMES) into[k] += delta[k];
}
