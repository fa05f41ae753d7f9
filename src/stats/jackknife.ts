import type { MeanEstimate } from "./group_statistics.ts";

/**
 * Jackknife standard error from the n leave-one-out estimates θ_(i): √((n−1)/n · Σ(θ_(i) − θ̄_(·))²), with
 * θ̄_(·) = (Σθ_(i))/n by plain summation.
 *
 * @param leaveOneOut The leave-one-out estimates θ_(1..n) (n ≥ 2).
 * @returns The jackknife standard error of the full-sample estimate.
 * @throws {RangeError} If fewer than 2 estimates are given.
 *
 * @example Usage
 * ```ts
 * import { jackknifeStandardError } from "./jackknife.ts";
 * import assert from "node:assert/strict";
 *
 * // Leave-one-out means of [1, 2, 3, 6] give the ordinary standard error of the mean.
 * const loo = [11 / 3, 10 / 3, 3, 2];
 * assert.ok(Math.abs(jackknifeStandardError(loo) - Math.sqrt(14 / 3 / 4)) < 1e-15);
 * ```
 */
export function jackknifeStandardError(leaveOneOut: ArrayLike<number>): number {
  const n = leaveOneOut.length;
  if (n < 2) {
    throw new RangeError(
      `Cannot compute jackknife standard error as at least 2 leave-one-out estimates are needed: current length is ${n}`,
    );
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += leaveOneOut[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (leaveOneOut[i]! - mean) ** 2;
  return Math.sqrt(ss * (n - 1) / n);
}

/**
 * Delete-one-group jackknife of a smooth function f of the mean moment vector over G independent groups (e.g.
 * per-group checkpoint averages of chain ensembles): the value f(m̄) at the pooled mean m̄ = (Σ_g m_g)/G and the
 * jackknife standard error from f((Σ_g m_g − m_h)/(G−1)), h = 1..G.
 *
 * @param groups Per-group moment vectors (G ≥ 2), all of the same length.
 * @param f The statistic, a function of a mean moment vector.
 * @returns f at the pooled mean and its jackknife standard error.
 * @throws {RangeError} If fewer than 2 groups are given.
 * @throws {TypeError} If the groups differ in length.
 *
 * @example Usage
 * ```ts
 * import { groupJackknife } from "./jackknife.ts";
 * import assert from "node:assert/strict";
 *
 * // Ratio of two moments over four groups.
 * const groups = [[1, 2], [2, 4.5], [3, 5.5], [2, 4]].map((g) => Float64Array.from(g));
 * const r = groupJackknife(groups, (m) => m[0]! / m[1]!);
 * assert.equal(r.value, 2 / 4);
 * assert.ok(r.stderr > 0 && r.stderr < 0.1);
 * ```
 */
export function groupJackknife(
  groups: readonly ArrayLike<number>[],
  f: (mean: Float64Array) => number,
): MeanEstimate {
  const g = groups.length;
  if (g < 2) {
    throw new RangeError(
      `Cannot compute group jackknife as at least 2 groups are needed: current count is ${g}`,
    );
  }
  const p = groups[0]!.length;
  const total = new Float64Array(p);
  for (const m of groups) {
    if (m.length !== p) {
      throw new TypeError(
        `Cannot compute group jackknife as the groups differ in length: ${p} and ${m.length}`,
      );
    }
    for (let j = 0; j < p; j++) total[j]! += m[j]!;
  }
  const value = f(total.map((t) => t / g));
  const loo = groups.map((m) => f(total.map((t, j) => (t - m[j]!) / (g - 1))));
  return { value, stderr: jackknifeStandardError(loo) };
}
