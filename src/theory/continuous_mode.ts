/**
 * Per-mode closed forms of the continuous (underdamped Langevin / OU) model of momentum SGD on a quadratic,
 * theory.md §3.3. A mode with total curvature h = λ_i + λ (Hessian eigenvalue plus weight decay) and noise
 * s = u_iᵀΣu_i is the damped oscillator ẍ + 2γẋ + ω²x = noise with γ = (1−β)/(η(1+β)), ω² = 2h/(η(1+β)),
 * and v = ẋ receives white noise of intensity q = 2·D_v = 4s/(ηS(1+β)²). Time is t = ηk.
 *
 * All functions accept h ≥ 0 (h = 0: a free, friction-damped particle) and are written to stay accurate in
 * every damping regime: overdamped propagators use the slow/fast rates a = ω²/(γ+Ω), b = γ+Ω instead of
 * cosh/sinh (no overflow, no cancellation for small h). Weight decay in `hp` is ignored: pass h = λ_i + λ.
 *
 * @module
 */
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";
import {
  checkArrays,
  checkH,
  checkS,
  checkT,
  type Mat2,
  type ModeMoments,
  propagator,
  rates,
  transientCovariance,
} from "./_mode_kernels.ts";

export type { Mat2, ModeMoments };

/** Damping regime of a mode: under- (ω > γ, oscillating mean), critically (ω = γ) or over-damped. */
export type DampingRegime = "underdamped" | "critical" | "overdamped";

/** Mean position and velocity of one mode. */
export interface ModeState {
  /** Mean position x. */
  readonly x: number;
  /** Mean velocity v. */
  readonly v: number;
}

/** Relative tolerance on |γ² − ω²| / γ² under which a mode is reported as critically damped. */
const CRITICAL_RTOL = 1e-9;

/**
 * Damping regime of a mode: underdamped iff ω² > γ² ⇔ h > (1−β)²/(2η(1+β)) (theory.md §4.3); "critical"
 * when |γ² − ω²| ≤ 1e-9·γ².
 *
 * @param h Total curvature h = λ_i + λ (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns The regime.
 * @throws {RangeError} If h or a hyperparameter is out of range.
 *
 * @example Usage
 * ```ts
 * import { dampingRegime } from "./continuous_mode.ts";
 * import assert from "node:assert/strict";
 *
 * const hp = { eta: 0.01, beta: 0.9, batchSize: 1 };
 * // threshold (1−β)²/(2η(1+β)) = 0.01 / 0.038 ≈ 0.263
 * assert.equal(dampingRegime(1, hp), "underdamped");
 * assert.equal(dampingRegime(0.1, hp), "overdamped");
 * ```
 */
export function dampingRegime(h: number, hp: Hyperparameters): DampingRegime {
  validateHyperparameters(hp, "classify damping");
  checkH(h, "classify damping");
  const { gamma, omega2 } = rates(h, hp);
  const kappa = gamma * gamma - omega2;
  if (Math.abs(kappa) <= CRITICAL_RTOL * gamma * gamma) return "critical";
  return kappa < 0 ? "underdamped" : "overdamped";
}

/**
 * The mode propagator e^{−A_i t} with A_i = [[0, −1], [ω², 2γ]] (theory.md §3.3): (x, v)(t) = e^{−A_i t}·(x₀, v₀)
 * for the mean. Uniform in the damping regime: e^{−γt}[[g + γf, f], [−ω²f, g − γf]] with f = sin(Ωt)/Ω,
 * g = cos Ωt (underdamped), f = t, g = 1 (critical), sinh/cosh (overdamped).
 *
 * @param t Time t = ηk (≥ 0).
 * @param h Total curvature h = λ_i + λ (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns [e11, e12, e21, e22].
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { modePropagator } from "./continuous_mode.ts";
 * import assert from "node:assert/strict";
 *
 * const e = modePropagator(0, 1, { eta: 0.1, beta: 0.9, batchSize: 1 });
 * assert.deepEqual(e.map((v) => v + 0), [1, 0, 0, 1]); // identity at t = 0
 * ```
 */
export function modePropagator(
  t: number,
  h: number,
  hp: Hyperparameters,
): Mat2 {
  validateHyperparameters(hp, "compute mode propagator");
  checkH(h, "compute mode propagator");
  checkT(t, "compute mode propagator");
  const { gamma, omega2 } = rates(h, hp);
  return propagator(t, gamma, omega2);
}

/**
 * Mean position and velocity of a mode at time t from (x₀, v₀) (theory.md §3.3, notebook `mean()`):
 * underdamped x(t) = e^{−γt}[x₀ cos Ωt + (γx₀ + v₀) sin(Ωt)/Ω], v(t) = e^{−γt}[v₀ cos Ωt − (ω²x₀ + γv₀) sin(Ωt)/Ω].
 * The velocity is v = θ̇ (= −b, minus the PyTorch buffer).
 *
 * @param t Time t = ηk (≥ 0).
 * @param x0 Initial position x₀ = u_iᵀ(θ₀ − μ).
 * @param v0 Initial velocity v₀.
 * @param h Total curvature h = λ_i + λ (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns `{ x, v }`.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { modeMean } from "./continuous_mode.ts";
 * import assert from "node:assert/strict";
 *
 * const { x } = modeMean(1, 1, 0, 0, { eta: 0.1, beta: 0.5, batchSize: 1 });
 * assert.equal(x, 1); // h = 0 and v₀ = 0: nothing moves
 * ```
 */
export function modeMean(
  t: number,
  x0: number,
  v0: number,
  h: number,
  hp: Hyperparameters,
): ModeState {
  const e = modePropagator(t, h, hp);
  return { x: e[0] * x0 + e[1] * v0, v: e[2] * x0 + e[3] * v0 };
}

/**
 * Stationary autocorrelation of the position of a mode, ρ_i(t) = [e^{−A_i t}]₁₁ = e^{−γt}(cos Ωt + (γ/Ω) sin Ωt)
 * (theory.md §3.3). Also the relaxation of the mean from (a, 0): E x(t) = a·ρ_i(t).
 *
 * @param t Time lag t = ηk (≥ 0).
 * @param h Total curvature h = λ_i + λ (≥ 0; h = 0 gives ρ ≡ 1).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns ρ_i(t).
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { modeAutocorrelation } from "./continuous_mode.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(modeAutocorrelation(0, 2, { eta: 0.1, beta: 0.9, batchSize: 1 }), 1);
 * ```
 */
export function modeAutocorrelation(
  t: number,
  h: number,
  hp: Hyperparameters,
): number {
  return modePropagator(t, h, hp)[0];
}

/**
 * Covariance of one mode at time t from a deterministic start (C₀ = 0), C_t = C_ss − e^{−At}C_ss e^{−Aᵀt}
 * (theory.md §3.3; notebook `variance()`). Exact in all damping regimes and for h = 0 (free diffusion:
 * Var x grows without bound). Depends on the noise only through s_i = u_iᵀΣu_i, also when [Σ, H] ≠ 0.
 *
 * @param t Time t = ηk (≥ 0).
 * @param h Total curvature h = λ_i + λ (≥ 0).
 * @param s Mode noise variance s_i = u_iᵀΣu_i (≥ 0; per-example gradient covariance, before dividing by S).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns `{ varX, covXV, varV }` with v = θ̇.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { modeStationaryVariances, modeTransientCovariance } from "./continuous_mode.ts";
 * import assert from "node:assert/strict";
 *
 * const hp = { eta: 0.1, beta: 0.9, batchSize: 4 };
 * const late = modeTransientCovariance(1e4, 2, 1, hp);
 * const ss = modeStationaryVariances(new Float64Array([2]), new Float64Array([1]), hp);
 * assert.ok(Math.abs(late.varX / ss.varX[0]! - 1) < 1e-12);
 * ```
 */
export function modeTransientCovariance(
  t: number,
  h: number,
  s: number,
  hp: Hyperparameters,
): ModeMoments {
  validateHyperparameters(hp, "compute transient covariance");
  checkH(h, "compute transient covariance");
  checkS(s, "compute transient covariance");
  checkT(t, "compute transient covariance");
  const r = rates(h, hp);
  return transientCovariance(t, r.gamma, r.omega2, r.q * s);
}

/** Per-mode stationary variances of the continuous model. */
export interface ModeStationaryVariances {
  /** X_i = Var x_i = ηs_i/(2S(1−β)h_i) (Infinity if h_i = 0 < s_i, 0 if s_i = 0). */
  readonly varX: Float64Array;
  /** Z_i = Var v_i = s_i/(S(1−β²)). */
  readonly varV: Float64Array;
}

/**
 * Stationary per-mode variances of the continuous model (theory.md §3.3, C2/C3):
 * X_i = ηs_i/(2S(1−β)h_i), Z_i = s_i/(S(1−β²)), Cov(x_i, v_i) = 0. Valid for any Σ (diagonal entries only
 * need s_i). Works on arrays so that diagonal problems (d = 1000s) never build d×d matrices.
 *
 * @param h Total curvatures h_i = λ_i + λ (≥ 0).
 * @param s Mode noise variances s_i = u_iᵀΣu_i (≥ 0), same length.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns `{ varX, varV }`; varX is Infinity for a mode with h_i = 0 and s_i > 0 (free diffusion).
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { modeStationaryVariances } from "./continuous_mode.ts";
 * import assert from "node:assert/strict";
 *
 * const r = modeStationaryVariances(new Float64Array([1]), new Float64Array([2]), { eta: 0.1, beta: 0.5, batchSize: 2 });
 * assert.ok(Math.abs(r.varX[0]! - 0.1) < 1e-15); // 0.1·2/(2·2·0.5·1)
 * ```
 */
export function modeStationaryVariances(
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
): ModeStationaryVariances {
  validateHyperparameters(hp, "compute stationary variances");
  checkArrays(h, s, "compute stationary variances");
  const { eta, beta, batchSize } = hp;
  const n = h.length;
  const varX = new Float64Array(n);
  const varV = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const si = s[i]!;
    const hi = h[i]!;
    varX[i] = si === 0
      ? 0
      : hi === 0
      ? Infinity
      : eta * si / (2 * batchSize * (1 - beta) * hi);
    varV[i] = si / (batchSize * (1 - beta * beta));
  }
  return { varX, varV };
}
