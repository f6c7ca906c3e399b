// The `environment` answer of a synthetic app: Spark properties that agree with what the app actually got
// (executor count, cores, memory, shuffle partitions, dynamic allocation), in Spark 3.5's shape.

export interface EnvironmentInput {
  appId: string;
  name: string;
  startMs: number;
  executors: number;
  executorCores: number;
  executorMemoryBytes: number;
  shufflePartitions: number;
  dynamicAllocation: boolean;
  user: string;
  /** Given by the caller; they win over the derived ones. */
  extra: Record<string, string>;
}

/** Bytes as Spark users write them: "4g" when whole GiB, else "<n>m". */
function sparkMemoryString(bytes: number): string {
  const mib = Math.round(bytes / (1024 * 1024));
  return mib % 1024 === 0 ? `${mib / 1024}g` : `${mib}m`;
}

function sparkProperties(e: EnvironmentInput): Record<string, string> {
  const props: Record<string, string> = {
    'spark.app.id': e.appId,
    'spark.app.name': e.name,
    'spark.app.startTime': String(e.startMs),
    'spark.master': 'yarn',
    'spark.submit.deployMode': 'cluster',
    'spark.driver.memory': '2g',
    'spark.executor.instances': String(e.executors),
    'spark.executor.cores': String(e.executorCores),
    'spark.executor.memory': sparkMemoryString(e.executorMemoryBytes),
    'spark.sql.shuffle.partitions': String(e.shufflePartitions),
    'spark.sql.adaptive.enabled': 'true',
    'spark.dynamicAllocation.enabled': String(e.dynamicAllocation),
    'spark.eventLog.enabled': 'true',
    'spark.eventLog.dir': 'hdfs:///spark-history',
    'spark.serializer': 'org.apache.spark.serializer.KryoSerializer',
    'spark.yarn.queue': 'default',
  };
  if (e.dynamicAllocation) {
    props['spark.dynamicAllocation.minExecutors'] = '0';
    props['spark.dynamicAllocation.maxExecutors'] = String(e.executors);
    props['spark.dynamicAllocation.executorIdleTimeout'] = '60s';
    props['spark.shuffle.service.enabled'] = 'true';
  }
  return { ...props, ...e.extra };
}

export function environment(e: EnvironmentInput): Record<string, unknown> {
  const props = sparkProperties(e);
  return {
    runtime: {
      javaVersion: '17.0.10 (Eclipse Adoptium)',
      javaHome: '/usr/lib/jvm/temurin-17-jdk',
      scalaVersion: 'version 2.12.18',
    },
    sparkProperties: Object.keys(props)
      .sort()
      .map((k) => [k, props[k]]),
    hadoopProperties: [
      ['fs.defaultFS', 'hdfs://namenode:8020'],
      ['yarn.resourcemanager.address', 'resourcemanager:8032'],
    ],
    systemProperties: [
      ['SPARK_SUBMIT', 'true'],
      ['file.encoding', 'UTF-8'],
      ['java.version', '17.0.10'],
      ['user.name', e.user],
      ['user.timezone', 'UTC'],
    ],
    metricsProperties: [['*.sink.servlet.class', 'org.apache.spark.metrics.sink.MetricsServlet']],
    classpathEntries: [
      ['/opt/spark/jars/spark-core_2.12-3.5.1.jar', 'System Classpath'],
      ['/opt/spark/jars/spark-sql_2.12-3.5.1.jar', 'System Classpath'],
      ['/opt/spark/conf/', 'System Classpath'],
    ],
    resourceProfiles: [],
  };
}
