/**
 * Mean squared displacement E‖θ_k − θ₀‖² of momentum SGD on a quadratic (theory.md §4.4, C12, C13), continuous
 * model (t = ηk) and exact discrete recursion, from an offset deterministic start or from stationarity. Sums over
 * Hessian eigen-modes given as arrays (h_i = λ_i + λ, s_i = u_iᵀΣu_i, offsets a_i = u_iᵀ(θ₀ − μ)); valid for any Σ
 * (only diagonal statistics enter) and cheap for d in the thousands.
 *
 * Accuracy: for modes with tiny curvature the stationary forms 2X(1 − ρ) lose ~ε/(1 − ρ) relative precision.
 *
 * @module
 */
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";
import {
  checkArrays,
  checkT,
  propagator,
  rates,
  transientCovariance,
} from "./_mode_kernels.ts";
import {
  accumulate,
  checkSteps,
  transition,
  unitNoise,
} from "./_discrete_kernels.ts";
import {
  discreteModeAutocorrelation,
  discreteModeStationary,
} from "./discrete_mode.ts";
import { modeStationaryVariances } from "./continuous_mode.ts";

function checkOffsets(a: ArrayLike<number>, n: number, action: string): void {
  if (a.length !== n) {
    throw new TypeError(
      `Cannot ${action} as the offsets a and curvatures h differ in length: ${a.length} and ${n}`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(a[i]!)) {
      throw new RangeError(
        `Cannot ${action} as offset a[${i}] is not finite: current value is ${
          a[i]
        }`,
      );
    }
  }
}

/**
 * Continuous-model MSD from a deterministic offset start (x₀ = a, v₀ = 0) (theory.md §4.4, C13):
 * E‖θ_t − θ₀‖² = Σ_i [a_i²(1 − ρ_i(t))² + Var x_i(t)], with ρ_i and Var x_i(t) of §3.3 (all damping regimes,
 * h_i = 0 allowed).
 *
 * @param t Time t = ηk (≥ 0).
 * @param a Offsets a_i = u_iᵀ(θ₀ − μ) in the eigenbasis.
 * @param h Total curvatures h_i = λ_i + λ (≥ 0), same length.
 * @param s Mode noise variances s_i = u_iᵀΣu_i (≥ 0), same length.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns The MSD (≥ 0).
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { continuousMsdFromOffset } from "./msd.ts";
 * import assert from "node:assert/strict";
 *
 * // No noise, one stiff mode: long after the start the iterate sits at μ, so the MSD is a².
 * const msd = continuousMsdFromOffset(1e3, [2], [1], [0], { eta: 0.1, beta: 0.5, batchSize: 1 });
 * assert.ok(Math.abs(msd - 4) < 1e-12);
 * ```
 */
export function continuousMsdFromOffset(
  t: number,
  a: ArrayLike<number>,
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
): number {
  const action = "compute continuous MSD";
  validateHyperparameters(hp, action);
  checkT(t, action);
  checkArrays(h, s, action);
  checkOffsets(a, h.length, action);
  let total = 0;
  for (let i = 0; i < h.length; i++) {
    const r = rates(h[i]!, hp);
    const rho = propagator(t, r.gamma, r.omega2)[0];
    const ai = a[i]!;
    total += ai * ai * (1 - rho) ** 2;
    if (s[i]! > 0) {
      total += transientCovariance(t, r.gamma, r.omega2, r.q * s[i]!).varX;
    }
  }
  return total;
}

/**
 * Continuous-model MSD from stationarity (theory.md §4.4, C12): E‖θ_t − θ₀‖² = Σ_i 2X_i(1 − ρ_i(t)).
 *
 * @param t Time lag t = ηk (≥ 0).
 * @param h Total curvatures h_i = λ_i + λ (≥ 0).
 * @param s Mode noise variances s_i (≥ 0), same length.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns The MSD, or Infinity if a mode with h_i = 0 has s_i > 0 (no stationary law) and t > 0.
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { continuousMsdFromStationarity } from "./msd.ts";
 * import assert from "node:assert/strict";
 *
 * // Long lags decorrelate: MSD → 2X = 2ηs/(2S(1−β)h) = 0.2 for η = 0.1, β = 0.5, S = 1, h = s = 1.
 * assert.ok(Math.abs(continuousMsdFromStationarity(1e3, [1], [1], { eta: 0.1, beta: 0.5, batchSize: 1 }) - 0.2) < 1e-12);
 * ```
 */
export function continuousMsdFromStationarity(
  t: number,
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
): number {
  const action = "compute continuous MSD";
  validateHyperparameters(hp, action);
  checkT(t, action);
  const { varX } = modeStationaryVariances(h, s, hp);
  if (t === 0) return 0;
  let total = 0;
  for (let i = 0; i < h.length; i++) {
    if (varX[i] === 0) continue;
    if (varX[i] === Infinity) return Infinity;
    const r = rates(h[i]!, hp);
    total += 2 * varX[i]! * (1 - propagator(t, r.gamma, r.omega2)[0]);
  }
  return total;
}

/**
 * Exact discrete MSD from a deterministic offset start (x₀ = a, b₀ = 0) (theory.md §7.1):
 * E‖θ_k − θ₀‖² = Σ_i [(m_{i,k} − a_i)² + Var x_{i,k}], mean by the AR(2) recursion with m₋₁ = m₀ = a and
 * variance by the ψ sum, evaluated by binary doubling in O(d log k). Finite for unstable modes too (may overflow).
 *
 * @param k Number of steps (non-negative integer).
 * @param a Offsets a_i = u_iᵀ(θ₀ − μ).
 * @param h Total curvatures h_i = λ_i + λ (≥ 0), same length.
 * @param s Mode noise variances s_i (≥ 0), same length.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns The MSD (≥ 0).
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { discreteMsdFromOffset } from "./msd.ts";
 * import assert from "node:assert/strict";
 *
 * // One step from θ₀ = μ with noise only: ‖θ₁ − θ₀‖² = η²‖ξ₀‖², mean η² s/S.
 * assert.ok(Math.abs(discreteMsdFromOffset(1, [0], [3], [2], { eta: 0.1, beta: 0.9, batchSize: 4 }) - 0.005) < 1e-17);
 * ```
 */
export function discreteMsdFromOffset(
  k: number,
  a: ArrayLike<number>,
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
): number {
  const action = "compute discrete MSD";
  validateHyperparameters(hp, action);
  checkSteps(k, action);
  checkArrays(h, s, action);
  checkOffsets(a, h.length, action);
  const { eta, beta, batchSize } = hp;
  const n1 = unitNoise(eta, batchSize);
  let total = 0;
  for (let i = 0; i < h.length; i++) {
    const m = transition(h[i]!, eta, beta);
    const [mk, , acc] = accumulate(k, m, m, n1);
    const ai = a[i]!;
    total += (mk[0] * ai - ai) ** 2 + s[i]! * acc[0];
  }
  return total;
}

/**
 * Exact discrete MSD from stationarity: Σ_i 2·Var x_i·(1 − ρ_{i,k}) with the exact stationary variance and
 * autocorrelation (theory.md §7.1).
 *
 * @param k Lag in steps (non-negative integer).
 * @param h Total curvatures h_i = λ_i + λ (≥ 0).
 * @param s Mode noise variances s_i (≥ 0), same length.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns The MSD, or Infinity if a noisy mode has no stationary law (unstable or h_i = 0) and k > 0.
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { discreteMsdFromStationarity } from "./msd.ts";
 * import assert from "node:assert/strict";
 *
 * // Lag 1: E(x₁ − x₀)² = Var δ = η²·Var b = 2η²s/(S(1−β)(2(1+β) − ηh)).
 * const got = discreteMsdFromStationarity(1, [2], [1], { eta: 0.1, beta: 0.5, batchSize: 1 });
 * assert.ok(Math.abs(got - 2 * 0.01 / (0.5 * 2.8)) < 1e-15);
 * ```
 */
export function discreteMsdFromStationarity(
  k: number,
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
): number {
  const action = "compute discrete MSD";
  validateHyperparameters(hp, action);
  checkSteps(k, action);
  const { varX } = discreteModeStationary(h, s, hp);
  if (k === 0) return 0;
  let total = 0;
  for (let i = 0; i < h.length; i++) {
    if (varX[i] === 0) continue;
    if (varX[i] === Infinity) return Infinity;
    total += 2 * varX[i]! * (1 - discreteModeAutocorrelation(k, h[i]!, hp));
  }
  return total;
}
