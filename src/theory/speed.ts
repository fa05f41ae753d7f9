/**
 * Stationary instantaneous speed E‖θ_{k+1} − θ_k‖² = η²E‖b_{k+1}‖² (theory.md §4.1, C1) and the isotropy of
 * stationary position variances (C4), per mode from arrays (h_i = λ_i + λ, s_i = u_iᵀΣu_i).
 *
 * @module
 */
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";
import { checkArrays, checkS } from "./_mode_kernels.ts";
import { modeStationaryVariances } from "./continuous_mode.ts";
import { discreteModeStationary } from "./discrete_mode.ts";

/**
 * Continuous-model stationary speed η² tr Σ/(S(1−β²)) = η²Σ_i s_i/(S(1−β²)) (C1; independent of λ).
 *
 * @param s Mode noise variances s_i (≥ 0); any basis works since only the trace enters.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns E‖δ‖² per step.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { continuousSpeed } from "./speed.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(continuousSpeed([1, 2], { eta: 0.1, beta: 0.5, batchSize: 4 }) - 0.01) < 1e-17);
 * ```
 */
export function continuousSpeed(
  s: ArrayLike<number>,
  hp: Hyperparameters,
): number {
  validateHyperparameters(hp, "compute continuous speed");
  let tr = 0;
  for (let i = 0; i < s.length; i++) {
    checkS(s[i]!, "compute continuous speed");
    tr += s[i]!;
  }
  const { eta, beta, batchSize } = hp;
  return eta * eta * tr / (batchSize * (1 - beta * beta));
}

/**
 * Exact discrete stationary speed Σ_i η² s_i c_{h_i}/(S(1−β²)), c_h = (1 − ηh/(2(1+β)))⁻¹ (C1, theory.md §7.1).
 *
 * @param h Total curvatures h_i = λ_i + λ (≥ 0).
 * @param s Mode noise variances s_i (≥ 0), same length.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns E‖δ‖² per step, or Infinity if any mode is unstable (ηh_i ≥ 2(1+β)), even a noiseless one.
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { discreteSpeed } from "./speed.ts";
 * import assert from "node:assert/strict";
 *
 * // h = 0: c_h = 1, so the exact speed equals the continuous one.
 * assert.ok(Math.abs(discreteSpeed([0], [3], { eta: 0.1, beta: 0.5, batchSize: 4 }) - 0.01) < 1e-17);
 * ```
 */
export function discreteSpeed(
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
): number {
  const action = "compute discrete speed";
  validateHyperparameters(hp, action);
  checkArrays(h, s, action);
  const edge = 2 * (1 + hp.beta);
  for (let i = 0; i < h.length; i++) {
    if (!(hp.eta * h[i]! < edge)) return Infinity;
  }
  const { varB } = discreteModeStationary(h, s, hp);
  let total = 0;
  for (const v of varB) total += v;
  return hp.eta * hp.eta * total;
}

/** Options of {@linkcode isotropyRatios}. */
export interface IsotropyOptions {
  /** Use the exact discrete variances (default false: continuous X_i). */
  readonly discrete?: boolean;
}

/**
 * Isotropy ratios (C4): each mode's stationary position variance divided by the mean over the given modes.
 * With Σ = σ²H and λ ≪ λ_i all ratios → 1 (continuous model exactly, discrete within O(ηh)).
 *
 * @param h Total curvatures h_i = λ_i + λ (≥ 0).
 * @param s Mode noise variances s_i (≥ 0), same length.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @param options `discrete` to use the exact discrete variances.
 * @returns Ratios per mode (NaN everywhere if a variance is infinite or all are zero).
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { isotropyRatios } from "./speed.ts";
 * import assert from "node:assert/strict";
 *
 * // Σ = σ²H, λ = 0: X_i = ησ²/(2S(1−β)) for every mode ⇒ ratios 1.
 * const r = isotropyRatios([1, 10, 100], [0.5, 5, 50], { eta: 0.01, beta: 0.9, batchSize: 8 });
 * assert.ok(r.every((v) => Math.abs(v - 1) < 1e-15));
 * ```
 */
export function isotropyRatios(
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
  options: IsotropyOptions = {},
): Float64Array {
  const varX = options.discrete
    ? discreteModeStationary(h, s, hp).varX
    : modeStationaryVariances(h, s, hp).varX;
  let mean = 0;
  for (const v of varX) mean += v;
  mean /= varX.length;
  return varX.map((v) => Number.isFinite(mean) && mean > 0 ? v / mean : NaN);
}
