/**
 * Median of a sample (the mean of the two middle values for an even count).
 *
 * @param xs Values (not modified).
 * @returns The median.
 * @throws {RangeError} If `xs` is empty.
 *
 * @example Usage
 * ```ts
 * import { median } from "./median.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(median([3, 1, 2]), 2);
 * assert.equal(median([4, 1, 2, 3]), 2.5);
 * ```
 */
export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0) {
    throw new RangeError("Cannot take the median as the sample is empty");
  }
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
