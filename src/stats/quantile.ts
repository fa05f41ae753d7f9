/**
 * Sample quantiles.
 *
 * @module
 */

/**
 * Sample quantile by linear interpolation between order statistics (Hyndman & Fan type 7, the default of R and
 * numpy): with sorted x_(1) ≤ … ≤ x_(n) and h = (n − 1)q, returns x_(⌊h⌋+1) + (h − ⌊h⌋)(x_(⌊h⌋+2) − x_(⌊h⌋+1)).
 *
 * @param x Samples (≥ 1, no NaN); not modified.
 * @param q Probability in [0, 1].
 * @returns The q-quantile.
 * @throws {RangeError} If `x` is empty, contains NaN, or q ∉ [0, 1].
 *
 * @example Usage
 * ```ts
 * import { quantile } from "./quantile.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(quantile([4, 1, 3, 2], 0.25), 1.75);
 * ```
 */
export function quantile(x: ArrayLike<number>, q: number): number {
  if (x.length < 1) {
    throw new RangeError("Cannot compute quantile as there are no samples");
  }
  if (!(q >= 0 && q <= 1)) {
    throw new RangeError(
      `Cannot compute quantile as q must be in [0, 1]: current value is ${q}`,
    );
  }
  const s = Float64Array.from(x);
  for (let i = 0; i < s.length; i++) {
    if (Number.isNaN(s[i]!)) {
      throw new RangeError(
        `Cannot compute quantile as the samples contain NaN at index ${i}`,
      );
    }
  }
  s.sort();
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/**
 * Sample median (type-7 quantile at q = ½: the middle value, or the mean of the two middle values).
 *
 * @param x Samples (≥ 1, no NaN).
 * @returns The median.
 * @throws {RangeError} If `x` is empty or contains NaN.
 *
 * @example Usage
 * ```ts
 * import { median } from "./quantile.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(median([5, 1, 3, 2]), 2.5);
 * ```
 */
export function median(x: ArrayLike<number>): number {
  return quantile(x, 0.5);
}
