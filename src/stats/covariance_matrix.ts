/**
 * Sample covariance matrix.
 *
 * @module
 */

/**
 * Unbiased sample covariance matrix of n samples of a p-vector (rows of a row-major n×p matrix), two-pass.
 *
 * @param samples n×p row-major samples (n ≥ 2).
 * @param p Vector length (≥ 1).
 * @returns p×p row-major covariance, Σ_r (x_r − x̄)(x_r − x̄)ᵀ/(n − 1).
 * @throws {TypeError} If `samples.length` is not a multiple of p.
 * @throws {RangeError} If fewer than 2 samples or p < 1.
 *
 * @example Usage
 * ```ts
 * import { covarianceMatrix } from "./covariance_matrix.ts";
 * import assert from "node:assert/strict";
 *
 * // Samples (0,0), (1,2), (2,4): Var = 1, 4; Cov = 2.
 * assert.deepEqual(Array.from(covarianceMatrix([0, 0, 1, 2, 2, 4], 2)), [1, 2, 2, 4]);
 * ```
 */
export function covarianceMatrix(
  samples: ArrayLike<number>,
  p: number,
): Float64Array {
  if (!Number.isInteger(p) || p < 1) {
    throw new RangeError(
      `Cannot compute covariance as p must be an integer >= 1: current value is ${p}`,
    );
  }
  if (samples.length % p !== 0) {
    throw new TypeError(
      `Cannot compute covariance as samples.length must be a multiple of p=${p}: got ${samples.length}`,
    );
  }
  const n = samples.length / p;
  if (n < 2) {
    throw new RangeError(
      `Cannot compute covariance as it needs at least 2 samples: got ${n}`,
    );
  }
  const m = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < p; i++) m[i]! += samples[r * p + i]!;
  }
  for (let i = 0; i < p; i++) m[i]! /= n;
  const c = new Float64Array(p * p);
  const d = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < p; i++) d[i] = samples[r * p + i]! - m[i]!;
    for (let i = 0; i < p; i++) {
      for (let j = i; j < p; j++) c[i * p + j]! += d[i]! * d[j]!;
    }
  }
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const v = c[i * p + j]! / (n - 1);
      c[i * p + j] = v;
      c[j * p + i] = v;
    }
  }
  return c;
}
