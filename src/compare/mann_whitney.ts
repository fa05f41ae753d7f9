import { normalTwoSidedP } from "./normal_tail.ts";

/** Result of {@linkcode mannWhitneyU}. */
export interface MannWhitneyResult {
  /** U of the second sample: #{(i, j): yⱼ > xᵢ} + ½·#{(i, j): yⱼ = xᵢ}; ranges over [0, n₁n₂]. */
  readonly u: number;
  /** Two-sided p-value. */
  readonly p: number;
  /** `exact` (permutation distribution, no ties) or `normal` (approximation with tie and continuity corrections). */
  readonly method: "exact" | "normal";
  /**
   * Smallest two-sided p-value any data of these sizes can give, 2/C(n₁+n₂, n₁) (ties only raise it): when it
   * exceeds α the test cannot reject, whatever the data.
   */
  readonly minAttainableP: number;
}

/** log C(n, k) by summing logs (n ≤ 10⁶ is plenty here). */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/**
 * Counts of U over all C(m+n, m) equally likely arrangements of two untied samples of sizes m and n: the
 * coefficients of the Gaussian binomial [m+n choose m]_q = Πᵢ₌₁..ₘ (1 − q^(n+i)) / (1 − qⁱ).
 */
function exactCounts(m: number, n: number): Float64Array {
  const c = new Float64Array(m * n + 1);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    const up = n + i;
    // multiply by (1 − q^(n+i)) from the top down, then divide by (1 − q^i) as a strided prefix sum
    for (let k = c.length - 1; k >= up; k--) c[k] = c[k]! - c[k - up]!;
    for (let k = i; k < c.length; k++) c[k] = c[k]! + c[k - i]!;
  }
  return c;
}

/**
 * Two-sided Mann–Whitney U (Wilcoxon rank-sum) test of whether `y` tends to be larger or smaller than `x`.
 * Without ties and with C(n₁+n₂, n₁) < 2⁵³ the p-value is exact (the permutation distribution of U,
 * p = min(1, 2·min(P(U ≤ u), P(U ≥ u)))); otherwise the normal approximation with the tie-corrected variance
 * σ² = n₁n₂/12·((N+1) − Σ(t³ − t)/(N(N − 1))) and a continuity correction of ½ is used.
 *
 * @param x First sample (e.g. baseline repeats), n₁ ≥ 1 finite values.
 * @param y Second sample (e.g. candidate repeats), n₂ ≥ 1 finite values.
 * @returns U of `y`, the p-value, the method and the smallest attainable p-value.
 * @throws {RangeError} If a sample is empty or holds a non-finite value.
 *
 * @example Usage
 * ```ts
 * import { mannWhitneyU } from "./mann_whitney.ts";
 * import assert from "node:assert/strict";
 *
 * // Complete separation of 5 vs 5: U = 25, p = 2/C(10,5) = 2/252.
 * const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
 * assert.equal(r.u, 25);
 * assert.ok(Math.abs(r.p - 2 / 252) < 1e-15);
 * ```
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) {
    throw new RangeError(
      `Cannot run the Mann-Whitney test as a sample is empty: sizes ${n1} and ${n2}`,
    );
  }
  for (const v of [...x, ...y]) {
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `Cannot run the Mann-Whitney test as a value is not finite: ${v}`,
      );
    }
  }
  let u = 0;
  for (const yj of y) {
    for (const xi of x) u += yj > xi ? 1 : yj === xi ? 0.5 : 0;
  }
  const total = n1 + n2;
  const minAttainableP = Math.min(
    1,
    2 * Math.exp(-logChoose(total, Math.min(n1, n2))),
  );
  // tie groups of the pooled sample
  const pooled = [...x, ...y].sort((a, b) => a - b);
  let tieSum = 0;
  for (let i = 0; i < total;) {
    let j = i;
    while (j + 1 < total && pooled[j + 1] === pooled[i]) j++;
    const t = j - i + 1;
    tieSum += t * t * t - t;
    i = j + 1;
  }
  const exactOk = tieSum === 0 &&
    logChoose(total, Math.min(n1, n2)) < 53 * Math.LN2;
  if (exactOk) {
    const counts = exactCounts(n1, n2);
    let all = 0;
    for (const c of counts) all += c;
    let below = 0;
    let above = 0;
    for (let k = 0; k < counts.length; k++) {
      if (k <= u) below += counts[k]!;
      if (k >= u) above += counts[k]!;
    }
    const p = Math.min(1, (2 * Math.min(below, above)) / all);
    return { u, p, method: "exact", minAttainableP };
  }
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) *
    (total + 1 - tieSum / (total * (total - 1)));
  if (variance <= 0) return { u, p: 1, method: "normal", minAttainableP };
  const dev = Math.max(0, Math.abs(u - mean) - 0.5);
  const p = normalTwoSidedP(dev / Math.sqrt(variance));
  return { u, p, method: "normal", minAttainableP };
}
