// Which past runs speak for a launch: those of a similar input size. Its own module so that the launch path can
// pick runs without loading the model family.

/** Runs within this factor of the request's input size count as similar. */
export const SIMILAR_INPUT = 2;

export function similarInput(a: number, b: number): boolean {
  return a > 0 && b > 0 && Math.max(a / b, b / a) <= SIMILAR_INPUT;
}
