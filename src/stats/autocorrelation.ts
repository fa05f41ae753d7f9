/**
 * Sample autocorrelation function.
 *
 * @module
 */

/**
 * Sample autocorrelation ρ̂(ℓ) = ĉ(ℓ)/ĉ(0), ℓ = 0…maxLag, with the standard (biased, positive-definite) estimator
 * ĉ(ℓ) = (1/n) Σ_{t<n−ℓ} (x_t − x̄)(x_{t+ℓ} − x̄). Direct O(n·maxLag) sum.
 *
 * @param x The series (n ≥ 2, not constant).
 * @param maxLag Largest lag (integer in [0, n−1]).
 * @returns ρ̂(0…maxLag), with ρ̂(0) = 1.
 * @throws {RangeError} If n < 2, the lag is out of range, or the series is constant.
 *
 * @example Usage
 * ```ts
 * import { autocorrelation } from "./autocorrelation.ts";
 * import assert from "node:assert/strict";
 *
 * // x = (1, −1, 1, −1): c(0) = 1, c(1) = −3/4.
 * assert.deepEqual(Array.from(autocorrelation([1, -1, 1, -1], 1)), [1, -0.75]);
 * ```
 */
export function autocorrelation(
  x: ArrayLike<number>,
  maxLag: number,
): Float64Array {
  const n = x.length;
  if (n < 2) {
    throw new RangeError(
      `Cannot compute autocorrelation as it needs at least 2 samples: got ${n}`,
    );
  }
  if (!Number.isInteger(maxLag) || maxLag < 0 || maxLag > n - 1) {
    throw new RangeError(
      `Cannot compute autocorrelation as maxLag must be an integer in [0, ${
        n - 1
      }]: current value is ${maxLag}`,
    );
  }
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i]!;
  m /= n;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = x[i]! - m;
  const out = new Float64Array(maxLag + 1);
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += d[i]! * d[i]!;
  if (!(c0 > 0)) {
    throw new RangeError(
      "Cannot compute autocorrelation as the series is constant",
    );
  }
  out[0] = 1;
  for (let l = 1; l <= maxLag; l++) {
    let s = 0;
    for (let i = 0; i + l < n; i++) s += d[i]! * d[i + l]!;
    out[l] = s / c0;
  }
  return out;
}
