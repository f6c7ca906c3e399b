#!/usr/bin/env node
// The demo's `hdfs dfs -du -s PATH`: answers from the demo's file of input sizes, in the same output form
// (size, size with replication, path), so spot-submit's input probe reads it like the real one.
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? '';
const sizes = JSON.parse(readFileSync(process.env.DEMO_SPARK_HDFS ?? '', 'utf8')) as Record<string, number>;
const bytes = sizes[path];
if (bytes === undefined) {
  process.stderr.write(`du: \`${path}': No such file or directory\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`${bytes}  ${bytes * 3}  ${path}\n`);
}
