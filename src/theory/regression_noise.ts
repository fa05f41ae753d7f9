/**
 * Exact multiplicative (state-dependent) gradient noise of minibatch linear regression sampled with replacement,
 * and the exact self-consistent stationary covariance of heavy-ball SGD under it (theory.md §7.1, §7.5, C14).
 *
 * Loss L(θ) = (1/2N)‖Xθ − y‖² + (λ/2)‖θ‖², per-example gradient g_n(θ) = (x_nᵀθ − y_n) x_n + λθ, minibatch of S
 * i.i.d. uniform indices: Cov(ĝ | θ) = Σ(θ)/S with Σ(θ) = (1/N)Σ_n g_n g_nᵀ − ḡḡᵀ. Σ(θ) is exactly quadratic in
 * θ, so for θ with mean θ̄ and covariance X
 *   E Σ(θ) = Σ(θ̄) + (1/N)Σ_n (x_nᵀ X x_n) x_n x_nᵀ − H X H,   H = XᵀX/N   (exact, no Gaussian assumption).
 * The state z = (θ − μ, b) obeys z_{k+1} = M z_k + (−η, 1)⊗w_k with E[w_k | z_k] = 0, Cov(w_k | z_k) = Σ(θ_k)/S,
 * so its covariance obeys P_{k+1} = M P_k Mᵀ + N(P_k), N(P) = (1/S)[[η², −η], [−η, 1]] ⊗ E Σ(θ) — linear in P.
 * The paper's additive model freezes Σ at Σ(μ) and is low by ≈ η trH/(2S(1−β)) relative (§7.5).
 *
 * @module
 */
import { fromData, type Matrix, zeros } from "../linalg/matrix.ts";
import { symmetricEigen } from "../linalg/symmetric_eigen.ts";
import { solveLinear } from "../linalg/solve_linear.ts";
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";
import { transition, unitNoise } from "./_discrete_kernels.ts";

/** A linear-regression data set: design matrix X (N×d, row-major) and labels y (length N). */
export interface RegressionProblem {
  /** Design matrix X, N×d row-major. */
  readonly features: ArrayLike<number>;
  /** Labels y, length N (≥ 1). */
  readonly labels: ArrayLike<number>;
  /** Number of features d (integer ≥ 1); `features.length` must be N·d. */
  readonly dim: number;
}

function checkData(data: RegressionProblem, action: string): number {
  const { features, labels, dim: d } = data;
  if (!Number.isInteger(d) || d < 1) {
    throw new RangeError(
      `Cannot ${action} as dim must be an integer >= 1: current value is ${d}`,
    );
  }
  const n = labels.length;
  if (n < 1 || features.length !== n * d) {
    throw new TypeError(
      `Cannot ${action} as features must have labels.length·dim entries (labels.length >= 1): expected ${
        n * d
      }, got ${features.length}`,
    );
  }
  for (let i = 0; i < features.length; i++) {
    if (!Number.isFinite(features[i])) {
      throw new RangeError(
        `Cannot ${action} as features must be finite: entry ${i} is ${
          features[i]
        }`,
      );
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(labels[i])) {
      throw new RangeError(
        `Cannot ${action} as labels must be finite: entry ${i} is ${labels[i]}`,
      );
    }
  }
  return n;
}

function checkVector(
  v: ArrayLike<number>,
  len: number,
  name: string,
  action: string,
): void {
  if (v.length !== len) {
    throw new TypeError(
      `Cannot ${action} as ${name} has the wrong length: expected ${len}, got ${v.length}`,
    );
  }
  for (let i = 0; i < len; i++) {
    if (!Number.isFinite(v[i])) {
      throw new RangeError(
        `Cannot ${action} as ${name} must be finite: entry ${i} is ${v[i]}`,
      );
    }
  }
}

/** Σ(θ) at a point (original basis, d×d row-major). */
function noiseAt(
  x: Float64Array,
  y: Float64Array,
  d: number,
  theta: ArrayLike<number>,
): Float64Array {
  const n = y.length;
  const mean = new Float64Array(d);
  const out = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    let res = -y[r]!;
    for (let i = 0; i < d; i++) res += x[o + i]! * theta[i]!;
    const w = res * res / n;
    for (let i = 0; i < d; i++) {
      mean[i]! += res * x[o + i]! / n;
      const xi = w * x[o + i]!;
      for (let j = i; j < d; j++) out[i * d + j]! += xi * x[o + j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = out[i * d + j]! - mean[i]! * mean[j]!;
      out[i * d + j] = v;
      out[j * d + i] = v;
    }
  }
  return out;
}

/**
 * Adds F(X) = (1/N)Σ_n (x_nᵀXx_n) x_n x_nᵀ − H X H to `out` (all d×d row-major, in whatever basis `x` and `h`
 * share).
 */
function addFluctuationTerm(
  x: Float64Array,
  n: number,
  d: number,
  h: Float64Array,
  cov: Float64Array,
  out: Float64Array,
): void {
  const acc = new Float64Array(d * d);
  // Upper triangle of cov with doubled off-diagonal: x_nᵀXx_n = Σ_{i≤j} w_ij x_i x_j.
  const w = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    w[i * d + i] = cov[i * d + i]!;
    for (let j = i + 1; j < d; j++) {
      w[i * d + j] = cov[i * d + j]! + cov[j * d + i]!;
    }
  }
  for (let r = 0; r < n; r++) {
    const o = r * d;
    let q = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = i; j < d; j++) s += w[i * d + j]! * x[o + j]!;
      q += x[o + i]! * s;
    }
    q /= n;
    for (let i = 0; i < d; i++) {
      const xi = q * x[o + i]!;
      for (let j = i; j < d; j++) acc[i * d + j]! += xi * x[o + j]!;
    }
  }
  // H X H
  const hx = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let l = 0; l < d; l++) {
      const a = h[i * d + l]!;
      if (a === 0) continue;
      for (let j = 0; j < d; j++) hx[i * d + j]! += a * cov[l * d + j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let l = 0; l < d; l++) s += hx[i * d + l]! * h[l * d + j]!;
      const v = acc[i * d + j]! - s;
      out[i * d + j]! += v;
      if (j !== i) out[j * d + i]! += v;
    }
  }
}

function hessianOf(x: Float64Array, d: number): Float64Array {
  const n = x.length / d;
  const h = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const xi = x[o + i]! / n;
      for (let j = i; j < d; j++) h[i * d + j]! += xi * x[o + j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) h[i * d + j] = h[j * d + i]!;
  }
  return h;
}

/**
 * Expected gradient-noise covariance E Σ(θ) of linear regression for a random θ with mean θ̄ and covariance X:
 * E Σ(θ) = Σ(θ̄) + (1/N)Σ_n (x_nᵀXx_n) x_n x_nᵀ − HXH, H = XᵀX/N. Exact for any law of θ (Σ is quadratic in θ).
 * Weight decay does not enter (λθ is the same for every example). With X = 0 this is Σ(θ̄) itself.
 *
 * @param data Features X (N×d) and labels y.
 * @param mean Mean position θ̄ (length d), e.g. the minimiser μ or μ plus a mean offset.
 * @param covariance Cov θ = X (d×d symmetric; default 0).
 * @returns E Σ(θ) (d×d), the covariance of one per-example gradient (a minibatch of S has Σ/S).
 * @throws {TypeError} If the shapes of features, labels, mean or covariance disagree.
 * @throws {RangeError} If dim is not an integer ≥ 1 or any input is not finite.
 *
 * @example Fluctuations of θ add noise
 * ```ts
 * import { expectedRegressionNoiseCovariance } from "./regression_noise.ts";
 * import { diag } from "../linalg/matrix.ts";
 * import assert from "node:assert/strict";
 *
 * // d = 1, x = (1, −1), y = (1, 1), θ̄ = 0: residuals −1, −1 ⇒ gradients −1, 1 ⇒ Σ(0) = 1.
 * const data = { features: [1, -1], labels: [1, 1], dim: 1 };
 * assert.equal(expectedRegressionNoiseCovariance(data, [0]).data[0], 1);
 * // Var θ = 0.5 adds (1/N)Σ x⁴·0.5 − H·0.5·H = 0.5 − 0.5 = 0 here (all |x_n| equal) …
 * assert.equal(expectedRegressionNoiseCovariance(data, [0], diag([0.5])).data[0], 1);
 * // … but not when the |x_n| differ: x = (1, 3) gives H = 5, (1 + 81)/2·0.5 − 25·0.5 = 8 extra.
 * const data2 = { features: [1, 3], labels: [1, 3], dim: 1 };
 * assert.equal(expectedRegressionNoiseCovariance(data2, [1], diag([0.5])).data[0], 8);
 * ```
 */
export function expectedRegressionNoiseCovariance(
  data: RegressionProblem,
  mean: ArrayLike<number>,
  covariance?: Matrix,
): Matrix {
  const action = "compute the expected regression noise covariance";
  const n = checkData(data, action);
  const d = data.dim;
  checkVector(mean, d, "mean", action);
  const x = Float64Array.from(data.features);
  const out = noiseAt(x, Float64Array.from(data.labels), d, mean);
  if (covariance !== undefined) {
    if (covariance.rows !== d || covariance.cols !== d) {
      throw new TypeError(
        `Cannot ${action} as covariance has the wrong shape: expected ${d}×${d}, got ${covariance.rows}×${covariance.cols}`,
      );
    }
    checkVector(covariance.data, d * d, "covariance", action);
    addFluctuationTerm(x, n, d, hessianOf(x, d), covariance.data, out);
  }
  return fromData(d, d, out);
}

/**
 * First-order estimate of the relative excess of the stationary moments over the additive-noise model (Σ frozen
 * at Σ(μ)) for minibatch regression with replacement: ≈ η trH/(2S(1−β)) (theory.md §7.5; Gaussian features,
 * isotropic-ish noise — for reporting; {@linkcode regressionStationaryCovariance} gives the exact value).
 *
 * @param traceHessian tr H (≥ 0, finite), H = XᵀX/N without weight decay.
 * @param hp Hyperparameters: eta η (> 0), beta β ∈ [0, 1), batchSize S (≥ 1).
 * @returns η trH / (2S(1−β)).
 * @throws {RangeError} If traceHessian or a hyperparameter is out of range.
 *
 * @example Usage
 * ```ts
 * import { multiplicativeExcessEstimate } from "./regression_noise.ts";
 * import assert from "node:assert/strict";
 *
 * const e = multiplicativeExcessEstimate(10, { eta: 0.05, beta: 0.9, batchSize: 32 });
 * assert.ok(Math.abs(e - 0.078125) < 1e-15);
 * ```
 */
export function multiplicativeExcessEstimate(
  traceHessian: number,
  hp: Hyperparameters,
): number {
  const action = "estimate the multiplicative-noise excess";
  validateHyperparameters(hp, action);
  if (!Number.isFinite(traceHessian) || !(traceHessian >= 0)) {
    throw new RangeError(
      `Cannot ${action} as traceHessian must be a finite number >= 0: current value is ${traceHessian}`,
    );
  }
  return hp.eta * traceHessian / (2 * hp.batchSize * (1 - hp.beta));
}

/** Stationary second moments of the state (θ − μ, b) for one noise model. */
export interface RegressionStationaryMoments {
  /** The noise covariance Σ used (additive: Σ(μ); exact: the self-consistent E Σ(θ)), d×d. */
  readonly noiseCov: Matrix;
  /** Cov θ (d×d). */
  readonly position: Matrix;
  /** Cov(θ, b) = E[(θ − μ) bᵀ] (d×d; PyTorch buffer b, velocity v = −b). */
  readonly cross: Matrix;
  /** Cov b (d×d). */
  readonly buffer: Matrix;
  /** Stationary speed E‖θ_{k+1} − θ_k‖² = η² tr Cov b. */
  readonly speed: number;
  /** Var(u_jᵀθ) = u_jᵀ Cov θ u_j for each requested direction u_j (length p; empty without directions). */
  readonly directionVariances: Float64Array;
}

/** Result of {@linkcode regressionStationaryCovariance}. */
export interface RegressionStationary extends RegressionStationaryMoments {
  /** The minimiser μ of (1/2N)‖Xθ − y‖² + (λ/2)‖θ‖². */
  readonly minimizer: Float64Array;
  /** tr H (without weight decay). */
  readonly traceHessian: number;
  /** The additive-noise model (Σ frozen at Σ(μ)): the first iterate of the fixed point. */
  readonly additive: RegressionStationaryMoments;
  /** Fixed-point iterations used. */
  readonly iterations: number;
}

/** Options of {@linkcode regressionStationaryCovariance}. */
export interface RegressionStationaryOptions extends Hyperparameters {
  /** Directions u_j (p×d row-major, p ≥ 1) for `directionVariances`; default none. */
  readonly directions?: ArrayLike<number>;
  /** Stop when max|ΔΣ| ≤ tolerance · max|Σ| (default 1e-14, in (0, 1)). */
  readonly tolerance?: number;
  /** Iteration cap (default 10000, integer ≥ 1). */
  readonly maxIterations?: number;
}

/**
 * Exact stationary covariance of the discrete state (θ − μ, b) of heavy-ball SGD (PyTorch form, coupled weight
 * decay) on minibatch linear regression sampled with replacement, including the state-dependent noise:
 * P = M P Mᵀ + N(P) with N(P) = (1/S)[[η², −η], [−η, 1]] ⊗ (Σ(μ) + (1/N)Σ_n (x_nᵀXx_n) x_n x_nᵀ − HXH),
 * X = P_θθ. Solved in the H eigenbasis: for fixed Σ the Stein equation decouples into 2×2 blocks per mode pair,
 * P̃_ij = Σ̃_ij G_ij (G_ij precomputed once), and the linear fixed point Σ = Σ(μ) + F(X(Σ)) is iterated from the
 * additive solution (contraction ≈ the relative excess; O(N d²) per iteration).
 *
 * @param data Features X (N×d) and labels y.
 * @param options eta η (> 0), beta β ∈ [0, 1), batchSize S (≥ 1), weightDecay λ (≥ 0), optional directions
 *   (p×d), tolerance and maxIterations.
 * @returns Exact and additive stationary moments, μ, trH and the iteration count.
 * @throws {TypeError} If shapes disagree (features vs labels·dim, directions not p·d).
 * @throws {RangeError} If an input is out of range or not finite, H + λI is singular, some mode has
 *   η h_i ≥ 2(1+β), or the fixed point does not converge (no finite stationary second moment: the
 *   multiplicative noise makes the chain mean-square unstable).
 *
 * @example Exceeds the additive model by about η trH / (2S(1−β))
 * ```ts
 * import { regressionStationaryCovariance } from "./regression_noise.ts";
 * import assert from "node:assert/strict";
 *
 * const features = [1, 0, 0, 1, 2, 1, -1, 2, 0.5, -1];
 * const labels = [1, -1, 0.5, 2, 0];
 * const r = regressionStationaryCovariance({ features, labels, dim: 2 }, { eta: 0.02, beta: 0.9, batchSize: 1 });
 * const excess = r.speed / r.additive.speed - 1;
 * assert.ok(excess > 0 && excess < 0.5);
 * assert.ok(r.position.data[0]! > r.additive.position.data[0]!);
 * ```
 */
export function regressionStationaryCovariance(
  data: RegressionProblem,
  options: RegressionStationaryOptions,
): RegressionStationary {
  const action = "compute the regression stationary covariance";
  validateHyperparameters(options, action);
  const n = checkData(data, action);
  const d = data.dim;
  const { eta, beta, batchSize } = options;
  const lam = options.weightDecay ?? 0;
  const tol = options.tolerance ?? 1e-14;
  if (!(tol > 0 && tol < 1)) {
    throw new RangeError(
      `Cannot ${action} as tolerance must be in (0, 1): current value is ${tol}`,
    );
  }
  const maxIter = options.maxIterations ?? 10000;
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new RangeError(
      `Cannot ${action} as maxIterations must be an integer >= 1: current value is ${maxIter}`,
    );
  }
  let dirs = new Float64Array(0);
  if (options.directions !== undefined) {
    const u = options.directions;
    if (u.length === 0 || u.length % d !== 0) {
      throw new TypeError(
        `Cannot ${action} as directions must have p·dim entries (p >= 1): got ${u.length} for dim ${d}`,
      );
    }
    checkVector(u, u.length, "directions", action);
    dirs = Float64Array.from(u);
  }
  // One float64 copy: monomorphic kernels.
  const x = Float64Array.from(data.features);
  const yv = Float64Array.from(data.labels);
  const h = hessianOf(x, d);
  // μ = (H + λI)⁻¹ Xᵀy/N.
  const c = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) c[i]! += x[r * d + i]! * yv[r]! / n;
  }
  const hl = fromData(d, d, h.slice());
  for (let i = 0; i < d; i++) hl.data[i * d + i]! += lam;
  let mu: Float64Array;
  try {
    mu = solveLinear(hl, c);
  } catch {
    throw new RangeError(
      `Cannot ${action} as H + λI is singular (no unique minimiser): weightDecay is ${lam}`,
    );
  }
  const { values, vectors } = symmetricEigen(fromData(d, d, h.slice()));
  const u = vectors.data; // columns are eigenvectors
  const edge = 2 * (1 + beta);
  let traceHessian = 0;
  const curv = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    traceHessian += h[i * d + i]!;
    curv[i] = Math.max(values[i]!, 0) + lam;
    if (!(eta * curv[i]! < edge)) {
      throw new RangeError(
        `Cannot ${action} as the recursion is unstable: mode ${i} has η·h_i = ${
          eta * curv[i]!
        } >= 2(1+β) = ${edge}`,
      );
    }
    if (!(curv[i]! > 0)) {
      throw new RangeError(
        `Cannot ${action} as H + λI is singular (no unique minimiser): weightDecay is ${lam}`,
      );
    }
  }
  // Features in the eigenbasis x̃_n = Uᵀx_n; H̃ = diag(λ_i) exactly (use the eigenvalues, not a rotated H).
  const xt = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += x[r * d + i]! * u[i * d + k]!;
      xt[r * d + k] = s;
    }
  }
  const hEig = new Float64Array(d * d);
  for (let i = 0; i < d; i++) hEig[i * d + i] = values[i]!;
  const sigma0 = rotate(noiseAt(x, yv, d, mu), u, d, false);
  // G_ij: the Stein solution per unit Σ̃_ij, (b11, b12, b21, b22), B − M_i B M_jᵀ = N1.
  const n1 = unitNoise(eta, batchSize);
  const g = new Float64Array(d * d * 4);
  const ms = Array.from(curv, (hi) => transition(hi, eta, beta));
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const mi = ms[i]!;
      const mj = ms[j]!;
      const k = zeros(4);
      for (let r = 0; r < 2; r++) {
        for (let cc = 0; cc < 2; cc++) {
          const row = (r * 2 + cc) * 4;
          k.data[row + r * 2 + cc]! += 1;
          for (let p = 0; p < 2; p++) {
            for (let q = 0; q < 2; q++) {
              k.data[row + p * 2 + q]! -= mi[r * 2 + p]! * mj[cc * 2 + q]!;
            }
          }
        }
      }
      const b = solveLinear(k, Float64Array.from(n1));
      g.set(b, (i * d + j) * 4);
      if (i !== j) g.set([b[0]!, b[2]!, b[1]!, b[3]!], (j * d + i) * 4);
    }
  }
  const positionOf = (sig: Float64Array): Float64Array => {
    const out = new Float64Array(d * d);
    for (let k = 0; k < d * d; k++) out[k] = sig[k]! * g[4 * k]!;
    return out;
  };
  const maxAbs = (a: Float64Array): number => {
    let m = 0;
    for (const v of a) m = Math.max(m, Math.abs(v));
    return m;
  };
  let sigma = sigma0.slice();
  let iterations = 0;
  let prevStep = Infinity;
  let growing = 0;
  while (true) {
    if (iterations >= maxIter) {
      throw new RangeError(
        `Cannot ${action} as the self-consistent fixed point did not converge in ${maxIter} iterations (no finite stationary second moment?): η = ${eta}, S = ${batchSize}, β = ${beta}`,
      );
    }
    iterations++;
    const next = sigma0.slice();
    addFluctuationTerm(xt, n, d, hEig, positionOf(sigma), next);
    let step = 0;
    for (let k = 0; k < d * d; k++) {
      step = Math.max(step, Math.abs(next[k]! - sigma[k]!));
    }
    const scale = maxAbs(next);
    sigma = next;
    if (!Number.isFinite(scale) || !Number.isFinite(step)) {
      throw new RangeError(
        `Cannot ${action} as the self-consistent fixed point diverged (multiplicative noise makes the chain mean-square unstable): η = ${eta}, S = ${batchSize}, β = ${beta}`,
      );
    }
    if (step <= tol * scale) break;
    // Increments are PSD images of a positive linear map: a non-shrinking increment means spectral radius ≥ 1.
    growing = step >= prevStep && step > 1e-8 * scale ? growing + 1 : 0;
    if (growing >= 20) {
      throw new RangeError(
        `Cannot ${action} as the self-consistent fixed point diverges (multiplicative noise makes the chain mean-square unstable): η = ${eta}, S = ${batchSize}, β = ${beta}`,
      );
    }
    prevStep = step;
  }
  const moments = (sig: Float64Array): RegressionStationaryMoments => {
    const xb = new Float64Array(d * d);
    const yb = new Float64Array(d * d);
    const zb = new Float64Array(d * d);
    let trZ = 0;
    for (let k = 0; k < d * d; k++) {
      xb[k] = sig[k]! * g[4 * k]!;
      yb[k] = sig[k]! * g[4 * k + 1]!;
      zb[k] = sig[k]! * g[4 * k + 3]!;
    }
    for (let i = 0; i < d; i++) trZ += zb[i * d + i]!;
    const position = rotate(xb, u, d, true);
    const p = dirs.length / d;
    const dv = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let i = 0; i < d; i++) {
        let row = 0;
        for (let j = 0; j < d; j++) {
          row += position[i * d + j]! * dirs[a * d + j]!;
        }
        s += dirs[a * d + i]! * row;
      }
      dv[a] = s;
    }
    return {
      noiseCov: fromData(d, d, rotate(sig, u, d, true)),
      position: fromData(d, d, position),
      cross: fromData(d, d, rotate(yb, u, d, true)),
      buffer: fromData(d, d, rotate(zb, u, d, true)),
      speed: eta * eta * trZ,
      directionVariances: dv,
    };
  };
  const exact = moments(sigma);
  return {
    ...exact,
    minimizer: mu,
    traceHessian,
    additive: moments(sigma0),
    iterations,
  };
}

/** toOriginal: U A Uᵀ; else Uᵀ A U (U columns = eigenvectors, d×d row-major). Symmetrises nothing. */
function rotate(
  a: Float64Array,
  u: Float64Array,
  d: number,
  toOriginal: boolean,
): Float64Array {
  const tmp = new Float64Array(d * d);
  const out = new Float64Array(d * d);
  // tmp = op(U)·A with op(U) = U (toOriginal) or Uᵀ.
  for (let i = 0; i < d; i++) {
    for (let l = 0; l < d; l++) {
      const c = toOriginal ? u[i * d + l]! : u[l * d + i]!;
      if (c === 0) continue;
      for (let j = 0; j < d; j++) tmp[i * d + j]! += c * a[l * d + j]!;
    }
  }
  // out = tmp·op(U)ᵀ.
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let l = 0; l < d; l++) {
        s += tmp[i * d + l]! * (toOriginal ? u[j * d + l]! : u[l * d + j]!);
      }
      out[i * d + j] = s;
    }
  }
  return out;
}
