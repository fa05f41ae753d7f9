/**
 * Complementary error function and normal tail probabilities, for two-sided p-values of z statistics.
 *
 * @module
 */

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * Complementary error function erfc(x) = (2/√π)∫ₓ^∞ e^(−t²) dt. For |x| < 3 it uses the everywhere-positive
 * series erf(x) = (2/√π)·e^(−x²)·Σₙ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) (no cancellation), for x ≥ 3 the continued fraction
 * erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) evaluated by the modified Lentz method;
 * relative error about 1e-11 or better on the whole line.
 *
 * @param x Any real number (NaN gives NaN).
 * @returns erfc(x) in [0, 2].
 *
 * @example Usage
 * ```ts
 * import { erfc } from "./normal_tail.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(erfc(0), 1);
 * assert.ok(Math.abs(erfc(1) - 0.15729920705028513) < 1e-15);
 * ```
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Infinity) return 0;
  if (x < 3) {
    // erf(x) = 2/√π e^{-x²} Σ 2^n x^{2n+1} / (2n+1)!!
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x2) * sum;
  }
  // Continued fraction for erfc (Lentz): K = x + a1/(x + a2/(x + …)), a_k = k/2.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/**
 * Two-sided tail probability of a standard normal variable: P(|Z| ≥ |z|) = erfc(|z|/√2).
 *
 * @param z A z statistic (±∞ give 0; NaN gives NaN).
 * @returns The two-sided p-value in [0, 1].
 *
 * @example Usage
 * ```ts
 * import { normalTwoSidedP } from "./normal_tail.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(normalTwoSidedP(1.959963984540054) - 0.05) < 1e-12);
 * ```
 */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}
