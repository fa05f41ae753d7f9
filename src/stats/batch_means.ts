/**
 * Batch-means standard error for the mean of a correlated (stationary) time series.
 *
 * @module
 */

import { mean, variance } from "./summary.ts";

/** Result of {@linkcode batchMeansStandardError}. */
export interface BatchMeansResult {
  /** Mean of the series over the samples used. */
  readonly mean: number;
  /** Estimated standard error of that mean: √(s²_batch / a). */
  readonly standardError: number;
  /** Number of batches a. */
  readonly batches: number;
  /** Batch length b. */
  readonly batchSize: number;
  /** Number of leading samples dropped so that a·b samples are used (n − a·b). */
  readonly dropped: number;
}

/**
 * Batch-means estimate of the standard error of the mean of a stationary, correlated series: split it into a
 * batches of length b, and use the spread of the batch means, SE = √(Var(batch means)/a).
 *
 * Batch-count rule (default): a = ⌊√n⌋ batches of length b = ⌊n/a⌋ (both grow like √n, the classic consistent
 * choice); the first n − a·b samples (the oldest) are dropped. The estimate is valid when b is several times the
 * integrated autocorrelation time; pass `batches` to override a.
 *
 * @param x The series (n ≥ 4).
 * @param batches Number of batches a (integer in [2, n]); default ⌊√n⌋.
 * @returns Mean, standard error, and the batching used.
 * @throws {RangeError} If n < 4 or `batches` is out of range.
 *
 * @example Usage
 * ```ts
 * import { batchMeansStandardError } from "./batch_means.ts";
 * import assert from "node:assert/strict";
 *
 * // Batches (1,1), (3,3): batch means 1 and 3, variance 2 ⇒ SE = √(2/2) = 1.
 * const r = batchMeansStandardError([1, 1, 3, 3], 2);
 * assert.equal(r.mean, 2);
 * assert.equal(r.standardError, 1);
 * ```
 */
export function batchMeansStandardError(
  x: ArrayLike<number>,
  batches?: number,
): BatchMeansResult {
  const n = x.length;
  if (n < 4) {
    throw new RangeError(
      `Cannot compute batch means as the series needs at least 4 samples: got ${n}`,
    );
  }
  const a = batches ?? Math.floor(Math.sqrt(n));
  if (!Number.isInteger(a) || a < 2 || a > n) {
    throw new RangeError(
      `Cannot compute batch means as batches must be an integer in [2, ${n}]: current value is ${a}`,
    );
  }
  const b = Math.floor(n / a);
  const dropped = n - a * b;
  const means = new Float64Array(a);
  for (let k = 0; k < a; k++) {
    let s = 0;
    const o = dropped + k * b;
    for (let i = 0; i < b; i++) s += x[o + i]!;
    means[k] = s / b;
  }
  return {
    mean: mean(means),
    standardError: Math.sqrt(variance(means) / a),
    batches: a,
    batchSize: b,
    dropped,
  };
}
