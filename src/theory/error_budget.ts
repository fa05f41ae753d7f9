/**
 * How far the continuous (Langevin) prediction is expected to be from the exact discrete answer: the relative
 * budget ηh_i/(2(1+β)) per mode (theory.md §6 C1–C3, §7.1). Benchmarks use it to judge continuous predictions.
 *
 * @module
 */
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";
import { checkArrays } from "./_mode_kernels.ts";

/** Result of {@linkcode continuousErrorBudget}. */
export interface ContinuousErrorBudget {
  /** max_i ηh_i/(2(1+β)) over modes with s_i > 0 (over all modes if Σ = 0): bounds per-mode variance errors to first order. */
  readonly maxRatio: number;
  /** Σ_i s_i·ηh_i/(2(1+β)) / Σ_i s_i: first-order relative error of trace statistics such as the speed (0 if Σ = 0). */
  readonly weightedRatio: number;
  /**
   * Exact relative error of the continuous speed, Σ_i s_i(c_i − 1)/Σ_i s_i with c_i = (1 − ηh_i/(2(1+β)))⁻¹
   * (continuous is low by this fraction of itself); Infinity if a noisy mode is unstable.
   */
  readonly speedRelativeError: number;
}

/**
 * Expected relative error budget of the continuous model against the exact discrete recursion.
 * Per mode, continuous stationary variances are low by the factor 1/c_h = 1 − ηh/(2(1+β)).
 *
 * @param h Total curvatures h_i = λ_i + λ (≥ 0).
 * @param s Mode noise variances s_i (≥ 0), same length.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns `{ maxRatio, weightedRatio, speedRelativeError }`.
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { continuousErrorBudget } from "./error_budget.ts";
 * import assert from "node:assert/strict";
 *
 * // ηh = 1.2 at β = 0.9 (theory.md §9): ratio 1.2/3.8 ≈ 0.316, continuous low by 1 − 1/c_h = 32 %.
 * const b = continuousErrorBudget([60], [1], { eta: 0.02, beta: 0.9, batchSize: 8 });
 * assert.ok(Math.abs(b.maxRatio - 1.2 / 3.8) < 1e-15);
 * ```
 */
export function continuousErrorBudget(
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
): ContinuousErrorBudget {
  const action = "compute continuous error budget";
  validateHyperparameters(hp, action);
  checkArrays(h, s, action);
  const k = hp.eta / (2 * (1 + hp.beta));
  let maxNoisy = 0;
  let maxAll = 0;
  let sw = 0;
  let sr = 0;
  let sc = 0;
  let anyNoisy = false;
  for (let i = 0; i < h.length; i++) {
    const r = k * h[i]!;
    const si = s[i]!;
    maxAll = Math.max(maxAll, r);
    if (si > 0) {
      anyNoisy = true;
      maxNoisy = Math.max(maxNoisy, r);
      sw += si;
      sr += si * r;
      sc += r >= 1 ? Infinity : si * r / (1 - r); // c − 1 = r/(1 − r)
    }
  }
  return {
    maxRatio: anyNoisy ? maxNoisy : maxAll,
    weightedRatio: sw > 0 ? sr / sw : 0,
    speedRelativeError: sw > 0 ? sc / sw : 0,
  };
}
