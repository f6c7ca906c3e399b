import { nearest } from '../common/nearest.js';
import { printable } from '../format.js';
import type { RunStore } from '../store/types.js';

// "Did you mean" for an --app that matched nothing: the stored job it is one slip from, for runs, predict and report.

/** The stored job key `name` is one slip from, ready to print; undefined when none is that close. */
export async function storedJobNear(store: RunStore, name: string): Promise<string | undefined> {
  const near = nearest(
    name,
    (await store.apps()).map((a) => a.app),
  );
  return near === undefined ? undefined : printable(near);
}
