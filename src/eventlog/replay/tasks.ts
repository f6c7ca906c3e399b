// Every finished task, kept as numbers in growable typed columns (about 50 bytes a task) for the task-level
// findings and what-if: the History Server only shows stage sums, which hide skew, stragglers and slots.

const COLUMNS = [
  'launch',
  'duration',
  'runTime',
  'gcTime',
  'inputBytes',
  'outputBytes',
  'shuffleReadBytes',
  'spillBytes',
] as const;
export type TaskColumn = (typeof COLUMNS)[number];

export class TaskTable {
  length = 0;
  /** Index into `stageKeys` of each task's stage attempt. */
  stage = new Int32Array(1024);
  executor = new Int32Array(1024);
  succeeded = new Uint8Array(1024);
  readonly cols = Object.fromEntries(COLUMNS.map((c) => [c, new Float64Array(1024)])) as Record<
    TaskColumn,
    Float64Array
  >;
  readonly stageKeys: string[] = [];
  readonly executorIds: string[] = [];
  private readonly stageIndex = new Map<string, number>();
  private readonly executorIndex = new Map<string, number>();

  add(stageKey: string, executorId: string, succeeded: boolean, values: Record<TaskColumn, number>): void {
    if (this.length === this.stage.length) this.grow();
    const i = this.length++;
    this.stage[i] = indexOf(this.stageIndex, this.stageKeys, stageKey);
    this.executor[i] = indexOf(this.executorIndex, this.executorIds, executorId);
    this.succeeded[i] = succeeded ? 1 : 0;
    for (const c of COLUMNS) this.cols[c][i] = values[c];
  }

  private grow(): void {
    const size = this.stage.length * 2;
    this.stage = copy(new Int32Array(size), this.stage);
    this.executor = copy(new Int32Array(size), this.executor);
    this.succeeded = copy(new Uint8Array(size), this.succeeded);
    for (const c of COLUMNS) this.cols[c] = copy(new Float64Array(size), this.cols[c]);
  }
}

function indexOf(map: Map<string, number>, keys: string[], key: string): number {
  let i = map.get(key);
  if (i === undefined) {
    i = keys.length;
    keys.push(key);
    map.set(key, i);
  }
  return i;
}

function copy<T extends Int32Array | Uint8Array | Float64Array>(into: T, from: T): T {
  into.set(from as never);
  return into;
}
