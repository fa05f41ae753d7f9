/**
 * Mean, variance and standard error of independent samples.
 *
 * @module
 */

function checkNonEmpty(what: string, x: ArrayLike<number>, min: number): void {
  if (x.length < min) {
    throw new RangeError(
      `Cannot compute ${what} as it needs at least ${min} samples: got ${x.length}`,
    );
  }
}

/**
 * Arithmetic mean (pairwise-free, compensated summation: Neumaier).
 *
 * @param x Samples (≥ 1).
 * @returns (1/n) Σ x_i.
 * @throws {RangeError} If `x` is empty.
 *
 * @example Usage
 * ```ts
 * import { mean } from "./summary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mean([1, 2, 3, 6]), 3);
 * ```
 */
export function mean(x: ArrayLike<number>): number {
  checkNonEmpty("mean", x, 1);
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return (s + c) / x.length;
}

/**
 * Unbiased sample variance s² = Σ(x_i − x̄)²/(n − 1) (two-pass).
 *
 * @param x Samples (≥ 2).
 * @returns s².
 * @throws {RangeError} If fewer than 2 samples.
 *
 * @example Usage
 * ```ts
 * import { variance } from "./summary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(variance([1, 2, 3, 6]), 14 / 3);
 * ```
 */
export function variance(x: ArrayLike<number>): number {
  checkNonEmpty("variance", x, 2);
  const m = mean(x);
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - m;
    s += d * d;
    c += d;
  }
  // Second-pass correction (Chan, Golub & LeVeque): removes the round-off left in m.
  return (s - (c * c) / x.length) / (x.length - 1);
}

/**
 * Standard error of the mean of independent samples (e.g. one value per independent chain): √(s²/n).
 *
 * @param x Independent samples (≥ 2).
 * @returns s/√n.
 * @throws {RangeError} If fewer than 2 samples.
 *
 * @example Usage
 * ```ts
 * import { standardError } from "./summary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(standardError([1, 3]), 1);
 * ```
 */
export function standardError(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x) / x.length);
}

/**
 * z-score of a measurement against a prediction: (measured − expected)/standardError.
 *
 * @param measured Measured value.
 * @param expected Predicted value.
 * @param standardError Standard error of `measured` (> 0).
 * @returns The z-score.
 * @throws {RangeError} If `standardError` is not > 0.
 *
 * @example Usage
 * ```ts
 * import { zScore } from "./summary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(zScore(1.2, 1, 0.1), 1.9999999999999996);
 * ```
 */
export function zScore(
  measured: number,
  expected: number,
  standardError: number,
): number {
  if (!(standardError > 0)) {
    throw new RangeError(
      `Cannot compute z-score as standardError must be > 0: current value is ${standardError}`,
    );
  }
  return (measured - expected) / standardError;
}
