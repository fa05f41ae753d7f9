/**
 * Exact discrete-time results for one Hessian eigen-mode of heavy-ball SGD on a quadratic (theory.md §7.1).
 * With h = λ_i + λ and s = u_iᵀΣu_i the mode follows the AR(2) recursion
 * x_{k+1} = (1 + β − ηh)x_k − βx_{k−1} − ηξ_k, Var ξ_k = s/S, or, in the PyTorch state (x, b),
 * (x, b)_{k+1} = M (x, b)_k + (−η, 1)ξ_k with M = [[1 − ηh, −ηβ], [h, β]].
 * The checkpoint velocity is v_k = (θ_k − θ_{k−1})/η = −b_k.
 *
 * Conventions for modes without a stationary law — unstable (ηh ≥ 2(1+β)) or free with noise (h = 0 < s):
 * stationary functions return `Infinity` for quantities that diverge and `NaN` for ratios that are undefined
 * (correlations, autocorrelations of unstable modes); finite-k functions are always finite in exact arithmetic
 * (they may overflow to ±Infinity for strongly unstable modes). Matrix-level functions throw RangeError instead.
 * Weight decay in `hp` is ignored: pass h = λ_i + λ.
 *
 * @module
 */
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";
import { checkArrays, checkH, checkS } from "./_mode_kernels.ts";
import {
  accumulate,
  checkSteps,
  mul2,
  pow2,
  transition,
  unitNoise,
} from "./_discrete_kernels.ts";

/**
 * The discrete correction factor c_h = (1 − ηh/(2(1+β)))⁻¹: exact stationary variances are the continuous
 * ones times c_h (theory.md §7.1). Infinity at or beyond the stability edge ηh ≥ 2(1+β).
 *
 * @param h Total curvature h = λ_i + λ (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns c_h (≥ 1) or Infinity.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { discreteCorrectionFactor } from "./discrete_mode.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(discreteCorrectionFactor(60, { eta: 0.02, beta: 0.9, batchSize: 8 }) - 1 / (1 - 1.2 / 3.8)) < 1e-15);
 * ```
 */
export function discreteCorrectionFactor(
  h: number,
  hp: Hyperparameters,
): number {
  validateHyperparameters(hp, "compute discrete correction factor");
  checkH(h, "compute discrete correction factor");
  const r = hp.eta * h / (2 * (1 + hp.beta));
  return r >= 1 ? Infinity : 1 / (1 - r);
}

/**
 * Whether a mode is stable for the discrete recursion: ηh < 2(1+β) (for 0 ≤ β < 1; h = 0 is marginal —
 * no exponential blow-up, but no stationary law if s > 0).
 *
 * @param h Total curvature h = λ_i + λ (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns True iff ηh < 2(1+β).
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { isModeStable } from "./discrete_mode.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isModeStable(37, { eta: 0.1, beta: 0.9, batchSize: 1 }), true); // 3.7 < 3.8
 * assert.equal(isModeStable(39, { eta: 0.1, beta: 0.9, batchSize: 1 }), false);
 * ```
 */
export function isModeStable(h: number, hp: Hyperparameters): boolean {
  validateHyperparameters(hp, "check mode stability");
  checkH(h, "check mode stability");
  return hp.eta * h < 2 * (1 + hp.beta);
}

/**
 * Indices of unstable modes (ηh_i ≥ 2(1+β)); empty when the recursion is stable. Callers mark a benchmark cell
 * `diverged` when this is non-empty.
 *
 * @param h Total curvatures h_i = λ_i + λ (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns Ascending indices of unstable modes.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { unstableModes } from "./discrete_mode.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(unstableModes([1, 50, 10], { eta: 0.1, beta: 0.9, batchSize: 1 }), [1]);
 * ```
 */
export function unstableModes(
  h: ArrayLike<number>,
  hp: Hyperparameters,
): number[] {
  validateHyperparameters(hp, "check mode stability");
  const out: number[] = [];
  for (let i = 0; i < h.length; i++) {
    checkH(h[i]!, "check mode stability");
    if (!(hp.eta * h[i]! < 2 * (1 + hp.beta))) out.push(i);
  }
  return out;
}

/** Exact stationary moments of the discrete recursion per mode (arrays, one entry per mode). */
export interface DiscreteModeStationary {
  /** Var x = ηs(1+β)/(S(1−β)h(2(1+β) − ηh)) = X^cont·c_h. */
  readonly varX: Float64Array;
  /** Var b = 2s/(S(1−β)(2(1+β) − ηh)) = Z^cont·c_h (also Var v, v = −b; Var δ = η² Var b). */
  readonly varB: Float64Array;
  /** E[x_k b_k] = −η·Var b / 2 = −ηs c_h/(2S(1−β²)) (checkpoint pairs (θ_k, b_k)). */
  readonly covXB: Float64Array;
  /** corr(x_k, v_k) with v_k = −b_k: +√(ηh/(2(1+β))) for every s > 0 (C5). */
  readonly corrXV: Float64Array;
}

/**
 * Exact stationary per-mode moments of momentum SGD (theory.md §7.1, C2, C3, C5). Works on arrays so diagonal
 * problems never build d×d matrices.
 *
 * @param h Total curvatures h_i = λ_i + λ (≥ 0).
 * @param s Mode noise variances s_i = u_iᵀΣu_i (≥ 0), same length.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns The moments; modes with s_i = 0 get zeros; unstable modes get Infinity (variances) and NaN
 *   (covXB, corrXV); h_i = 0 < s_i gives varX = Infinity, the finite varB = s/(S(1−β²)), and NaN covXB/corrXV.
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { discreteModeStationary } from "./discrete_mode.ts";
 * import assert from "node:assert/strict";
 *
 * const r = discreteModeStationary([60], [1], { eta: 0.02, beta: 0.9, batchSize: 8 });
 * assert.ok(Math.abs(r.corrXV[0]! - Math.sqrt(1.2 / 3.8)) < 1e-14);
 * ```
 */
export function discreteModeStationary(
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
): DiscreteModeStationary {
  const action = "compute discrete stationary moments";
  validateHyperparameters(hp, action);
  checkArrays(h, s, action);
  const { eta, beta, batchSize } = hp;
  const n = h.length;
  const varX = new Float64Array(n);
  const varB = new Float64Array(n);
  const covXB = new Float64Array(n);
  const corrXV = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hi = h[i]!;
    const si = s[i]!;
    const gap = 2 * (1 + beta) - eta * hi;
    if (si === 0) continue;
    if (!(gap > 0)) {
      varX[i] = Infinity;
      varB[i] = Infinity;
      covXB[i] = NaN;
      corrXV[i] = NaN;
      continue;
    }
    varB[i] = 2 * si / (batchSize * (1 - beta) * gap);
    if (hi === 0) {
      varX[i] = Infinity;
      covXB[i] = NaN;
      corrXV[i] = NaN;
      continue;
    }
    varX[i] = eta * si * (1 + beta) / (batchSize * (1 - beta) * hi * gap);
    covXB[i] = -eta * varB[i]! / 2;
    corrXV[i] = Math.sqrt(eta * hi / (2 * (1 + beta)));
  }
  return { varX, varB, covXB, corrXV };
}

/** Moments of one mode after k steps of the discrete recursion. */
export interface DiscreteModeMoments {
  /** E x_k. */
  readonly meanX: number;
  /** E b_k (buffer; the checkpoint velocity is v_k = −b_k). */
  readonly meanB: number;
  /** Var x_k. */
  readonly varX: number;
  /** Cov(x_k, b_k). */
  readonly covXB: number;
  /** Var b_k. */
  readonly varB: number;
}

/**
 * Exact mean and covariance of one mode after k steps from a deterministic start (x₀, b₀) — with b₀ = 0 this is
 * the AR(2)/ψ result of theory.md §7.1 (mean by the recursion with m₋₁ = m₀ = x₀, Var x_k = (η²s/S)Σ_{j<k}ψ_j²) —
 * evaluated by binary doubling of the 2×2 state recursion in O(log k). Valid for unstable modes too.
 *
 * @param k Number of steps (non-negative integer).
 * @param x0 Initial position x₀ = u_iᵀ(θ₀ − μ).
 * @param b0 Initial buffer b₀ (0 for a fresh optimiser).
 * @param h Total curvature h = λ_i + λ (≥ 0).
 * @param s Mode noise variance s = u_iᵀΣu_i (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns `{ meanX, meanB, varX, covXB, varB }` at step k.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { discreteModeMoments } from "./discrete_mode.ts";
 * import assert from "node:assert/strict";
 *
 * // One step from (a, 0): x₁ = (1 − ηh)a − ηξ₀ ⇒ mean 0.5, Var x₁ = η²s/S = 0.01.
 * const m = discreteModeMoments(1, 1, 0, 5, 1, { eta: 0.1, beta: 0.9, batchSize: 1 });
 * assert.ok(Math.abs(m.meanX - 0.5) < 1e-15 && Math.abs(m.varX - 0.01) < 1e-17);
 * ```
 */
export function discreteModeMoments(
  k: number,
  x0: number,
  b0: number,
  h: number,
  s: number,
  hp: Hyperparameters,
): DiscreteModeMoments {
  const action = "compute discrete mode moments";
  validateHyperparameters(hp, action);
  checkSteps(k, action);
  checkH(h, action);
  checkS(s, action);
  const { eta, beta, batchSize } = hp;
  const m = transition(h, eta, beta);
  const n = unitNoise(eta, batchSize);
  const [mk, , acc] = accumulate(k, m, m, n);
  return {
    meanX: mk[0] * x0 + mk[1] * b0,
    meanB: mk[2] * x0 + mk[3] * b0,
    varX: s * acc[0],
    covXB: s * 0.5 * (acc[1] + acc[2]),
    varB: s * acc[3],
  };
}

/**
 * Stationary autocorrelation of the position of one mode at lag n steps, ρ_n = [Mⁿ P]₁₁ / P₁₁ (equivalently
 * ρ₀ = 1, ρ₁ = (1+β−ηh)/(1+β), ρ_n = (1+β−ηh)ρ_{n−1} − βρ_{n−2}; theory.md §7.1), in O(log n).
 *
 * @param n Lag in steps (non-negative integer).
 * @param h Total curvature h = λ_i + λ (≥ 0; h = 0 gives 1).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns ρ_n, or NaN for an unstable mode.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { discreteModeAutocorrelation } from "./discrete_mode.ts";
 * import assert from "node:assert/strict";
 *
 * const hp = { eta: 0.1, beta: 0.5, batchSize: 1 };
 * assert.ok(Math.abs(discreteModeAutocorrelation(1, 2, hp) - 1.3 / 1.5) < 1e-15);
 * ```
 */
export function discreteModeAutocorrelation(
  n: number,
  h: number,
  hp: Hyperparameters,
): number {
  const action = "compute discrete autocorrelation";
  validateHyperparameters(hp, action);
  checkSteps(n, action);
  checkH(h, action);
  const { eta, beta } = hp;
  const gap = 2 * (1 + beta) - eta * h;
  if (!(gap > 0)) return NaN;
  if (h === 0) return 1;
  // Stationary P for s/S = 1 (common factor cancels): p = η(1+β)/((1−β)h·gap), q = 2/((1−β)gap), r = −ηq/2.
  const q = 2 / ((1 - beta) * gap);
  const p = eta * (1 + beta) / ((1 - beta) * h * gap);
  const r = -eta * q / 2;
  const mn = pow2(transition(h, eta, beta), n);
  return (mn[0] * p + mn[1] * r) / p;
}

/**
 * Exact stationary phase-space angular momentum of one mode of the discrete recursion, per unit time:
 * L = E[x_k Δv_k − v_k Δx_k]/η with v_k = (θ_k − θ_{k−1})/η = −b_k, Δx_k = x_{k+1} − x_k = ηv_{k+1}.
 * Derivation: with P the stationary covariance of (x, b) and K = M P the lag-one cross-covariance
 * (K_rc = E[z_{k+1,r} z_{k,c}]), ηL = −K_{bx} + P_{xb} − η K_{bb}, which simplifies to L = −(1+β)·Var b·(1 − ηh/(2(1+β)))
 * = −s/(S(1−β)) exactly. The continuous model predicts −2Z = −2s/(S(1−β²)) (C10): the two differ by the factor
 * (1+β)/2, a single-step effect that does not vanish as η → 0 unless β → 1.
 *
 * @param h Total curvatures h_i = λ_i + λ (≥ 0).
 * @param s Mode noise variances s_i (≥ 0), same length.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns L_i per unit time (multiply by η for the per-step E[xΔv − vΔx]); NaN for modes without a stationary
 *   law (unstable, or h = 0 < s).
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { discreteModeAngularMomentum } from "./discrete_mode.ts";
 * import assert from "node:assert/strict";
 *
 * const l = discreteModeAngularMomentum([2], [3], { eta: 0.1, beta: 0.5, batchSize: 2 });
 * assert.ok(Math.abs(l[0]! + 3) < 1e-13); // −s/(S(1−β)) = −3/(2·0.5)
 * ```
 */
export function discreteModeAngularMomentum(
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
): Float64Array {
  const action = "compute discrete angular momentum";
  validateHyperparameters(hp, action);
  checkArrays(h, s, action);
  const { eta, beta, batchSize } = hp;
  const out = new Float64Array(h.length);
  for (let i = 0; i < h.length; i++) {
    const hi = h[i]!;
    const si = s[i]!;
    if (si === 0) continue;
    const gap = 2 * (1 + beta) - eta * hi;
    if (!(gap > 0) || hi === 0) {
      out[i] = NaN;
      continue;
    }
    // Stationary P (x, b) and K = M P, then ηL = −K_bx + P_xb − η K_bb (see JSDoc).
    const q = 2 * si / (batchSize * (1 - beta) * gap);
    const p = eta * si * (1 + beta) / (batchSize * (1 - beta) * hi * gap);
    const r = -eta * q / 2;
    const k = mul2(transition(hi, eta, beta), [p, r, r, q]);
    out[i] = (-k[2] + r - eta * k[3]) / eta;
  }
  return out;
}
