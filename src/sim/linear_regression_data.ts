/**
 * Synthetic linear-regression data with a chosen Hessian spectrum, and the exact quantities of a data set that
 * the theory needs: empirical Hessian H = XᵀX/N, minimiser μ of L_λ, and gradient-noise covariance Σ(θ).
 *
 * @module
 */

import type { Rng } from "../random/rng.ts";
import { Ziggurat } from "../random/ziggurat.ts";
import { choleskyPsd, choleskySolve } from "./_cholesky.ts";

/** A linear-regression data set: X (N×d row-major) and y (N). */
export interface RegressionData {
  /** Design matrix X, N×d row-major. */
  readonly features: Float64Array | Float32Array;
  /** Labels y, length N. */
  readonly labels: Float64Array | Float32Array;
  /** Number of features d. */
  readonly dim: number;
  /** Number of examples N. */
  readonly samples: number;
  /** The teacher θ* with y = Xθ* + σε (for synthetic data). */
  readonly thetaStar: Float64Array;
}

/** Options of {@linkcode syntheticRegressionData}. */
export interface SyntheticRegressionOptions {
  /** Number of examples N (≥ 1). */
  readonly samples: number;
  /** Population Hessian eigenvalues λ_i > 0 (d entries): features are x = (√λ_1 z_1, …, √λ_d z_d), z ~ N(0, I). */
  readonly eigenvalues: ArrayLike<number>;
  /** Label-noise standard deviation σ (≥ 0): y = xᵀθ* + σε, ε ~ N(0, 1), so Σ(θ*) ≈ σ²H. */
  readonly labelNoise: number;
  /** Teacher θ* (length d, default 0). */
  readonly thetaStar?: ArrayLike<number>;
  /** Storage type of features and labels (default "float64"). */
  readonly dtype?: "float64" | "float32";
}

/**
 * Power-law spectrum λ_i = largest · (i+1)^(−exponent), i = 0…d−1. The eigenvalue counting function is then
 * N(>λ) ∝ λ^(−1/exponent), i.e. the spectral exponent p of theory C12 is 1/exponent.
 *
 * @param dim Number of eigenvalues d (≥ 1).
 * @param largest Top eigenvalue λ_1 (> 0).
 * @param exponent Decay exponent α (≥ 0).
 * @returns The d eigenvalues, decreasing.
 * @throws {RangeError} For out-of-range arguments.
 *
 * @example Usage
 * ```ts
 * import { powerLawEigenvalues } from "./linear_regression_data.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(powerLawEigenvalues(3, 4, 2)), [4, 1, 4 / 9]);
 * ```
 */
export function powerLawEigenvalues(
  dim: number,
  largest: number,
  exponent: number,
): Float64Array {
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(
      `Cannot build spectrum as dim must be an integer >= 1: current value is ${dim}`,
    );
  }
  if (!(largest > 0 && Number.isFinite(largest))) {
    throw new RangeError(
      `Cannot build spectrum as largest must be finite and > 0: current value is ${largest}`,
    );
  }
  if (!(exponent >= 0 && Number.isFinite(exponent))) {
    throw new RangeError(
      `Cannot build spectrum as exponent must be finite and >= 0: current value is ${exponent}`,
    );
  }
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) out[i] = largest * (i + 1) ** -exponent;
  return out;
}

/**
 * Draws a Gaussian-feature linear-regression data set with population Hessian diag(λ) (axis-aligned; rotate
 * yourself if you need a non-trivial eigenbasis) and Gaussian label noise.
 *
 * @param options Size, spectrum, label noise σ, teacher θ*, storage type.
 * @param rng Source of randomness (seeds a {@linkcode Ziggurat}).
 * @returns The data set.
 * @throws {RangeError} For out-of-range options.
 * @throws {TypeError} If thetaStar has the wrong length.
 *
 * @example Usage
 * ```ts
 * import { syntheticRegressionData } from "./linear_regression_data.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * const data = syntheticRegressionData({ samples: 100, eigenvalues: [1, 0.5], labelNoise: 0.1 }, Rng.fromSeed(1n));
 * assert.equal(data.features.length, 200);
 * assert.equal(data.labels.length, 100);
 * ```
 */
export function syntheticRegressionData(
  options: SyntheticRegressionOptions,
  rng: Rng,
): RegressionData {
  const what = "generate regression data";
  const { samples: n, eigenvalues: ev, labelNoise: sigma } = options;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(
      `Cannot ${what} as samples must be an integer >= 1: current value is ${n}`,
    );
  }
  const d = ev.length;
  if (d < 1) throw new RangeError(`Cannot ${what} as eigenvalues is empty`);
  const scale = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    if (!(ev[i]! >= 0 && Number.isFinite(ev[i]!))) {
      throw new RangeError(
        `Cannot ${what} as eigenvalues must be finite and >= 0: entry ${i} is ${
          ev[i]
        }`,
      );
    }
    scale[i] = Math.sqrt(ev[i]!);
  }
  if (!(sigma >= 0 && Number.isFinite(sigma))) {
    throw new RangeError(
      `Cannot ${what} as labelNoise must be finite and >= 0: current value is ${sigma}`,
    );
  }
  const thetaStar = new Float64Array(d);
  if (options.thetaStar !== undefined) {
    if (options.thetaStar.length !== d) {
      throw new TypeError(
        `Cannot ${what} as thetaStar has the wrong length: expected ${d}, got ${options.thetaStar.length}`,
      );
    }
    thetaStar.set(options.thetaStar);
  }
  const f32 = options.dtype === "float32";
  const features = f32 ? new Float32Array(n * d) : new Float64Array(n * d);
  const labels = f32 ? new Float32Array(n) : new Float64Array(n);
  const zig = Ziggurat.fromRng(rng);
  const row = new Float64Array(d);
  const eps = new Float64Array(1);
  for (let r = 0; r < n; r++) {
    zig.fill(row);
    let t = 0;
    for (let i = 0; i < d; i++) {
      const xi = f32 ? Math.fround(scale[i]! * row[i]!) : scale[i]! * row[i]!;
      features[r * d + i] = xi;
      t += xi * thetaStar[i]!;
    }
    zig.fill(eps);
    labels[r] = t + sigma * eps[0]!;
  }
  return { features, labels, dim: d, samples: n, thetaStar };
}

function checkData(
  what: string,
  features: ArrayLike<number>,
  labels: ArrayLike<number> | undefined,
  dim: number,
): number {
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(
      `Cannot ${what} as dim must be an integer >= 1: current value is ${dim}`,
    );
  }
  const n = features.length / dim;
  if (!Number.isInteger(n) || n < 1) {
    throw new TypeError(
      `Cannot ${what} as features.length must be a positive multiple of dim ${dim}: got ${features.length}`,
    );
  }
  if (labels !== undefined && labels.length !== n) {
    throw new TypeError(
      `Cannot ${what} as labels has the wrong length: expected ${n}, got ${labels.length}`,
    );
  }
  return n;
}

/**
 * Empirical Hessian of L(θ) = (1/2N)‖Xθ − y‖²: H = XᵀX/N (d×d row-major).
 *
 * @param features X, N×d row-major.
 * @param dim d.
 * @returns H.
 * @throws {TypeError} If `features.length` is not a positive multiple of `dim`.
 *
 * @example Usage
 * ```ts
 * import { empiricalHessian } from "./linear_regression_data.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(empiricalHessian([1, 0, 1, 2], 2)), [1, 1, 1, 2]);
 * ```
 */
export function empiricalHessian(
  features: ArrayLike<number>,
  dim: number,
): Float64Array {
  const n = checkData("compute Hessian", features, undefined, dim);
  const d = dim;
  const h = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const xi = features[o + i]!;
      if (xi === 0) continue;
      for (let j = i; j < d; j++) h[i * d + j]! += xi * features[o + j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = h[i * d + j]! / n;
      h[i * d + j] = v;
      h[j * d + i] = v;
    }
  }
  return h;
}

/**
 * Minimiser μ = (XᵀX/N + λI)⁻¹ Xᵀy/N of L_λ(θ) = (1/2N)‖Xθ − y‖² + (λ/2)‖θ‖² (Cholesky solve).
 *
 * @param features X, N×d row-major.
 * @param labels y, length N.
 * @param dim d.
 * @param weightDecay λ (≥ 0).
 * @returns μ (length d).
 * @throws {RangeError} If H + λI is singular (to round-off) or λ < 0.
 * @throws {TypeError} For inconsistent lengths.
 *
 * @example Usage
 * ```ts
 * import { regressionMinimizer } from "./linear_regression_data.ts";
 * import assert from "node:assert/strict";
 *
 * // y = 2·x exactly ⇒ μ = 2 without weight decay.
 * const mu = regressionMinimizer([1, 2, 3], [2, 4, 6], 1, 0);
 * assert.ok(Math.abs(mu[0]! - 2) < 1e-14);
 * ```
 */
export function regressionMinimizer(
  features: ArrayLike<number>,
  labels: ArrayLike<number>,
  dim: number,
  weightDecay: number,
): Float64Array {
  const what = "compute minimiser";
  const n = checkData(what, features, labels, dim);
  if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) {
    throw new RangeError(
      `Cannot ${what} as weightDecay must be finite and >= 0: current value is ${weightDecay}`,
    );
  }
  const d = dim;
  const a = empiricalHessian(features, d);
  for (let i = 0; i < d; i++) a[i * d + i]! += weightDecay;
  const rhs = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const yr = labels[r]! / n;
    for (let i = 0; i < d; i++) rhs[i]! += features[r * d + i]! * yr;
  }
  const l = choleskyPsd(a, d);
  for (let i = 0; i < d; i++) {
    if (l[i * d + i] === 0) {
      throw new RangeError(
        `Cannot ${what} as XᵀX/N + λI is singular: pivot ${i} vanishes`,
      );
    }
  }
  return choleskySolve(l, d, rhs);
}

/**
 * Per-example gradient covariance Σ(θ) = (1/N) Σ_r g_r g_rᵀ − ḡḡᵀ with g_r = (x_rᵀθ − y_r) x_r (theory §1.3;
 * weight decay adds no noise). The minibatch noise of sampling with replacement has covariance Σ(θ)/S.
 *
 * @param features X, N×d row-major.
 * @param labels y, length N.
 * @param dim d.
 * @param theta θ (length d).
 * @returns Σ(θ), d×d row-major.
 * @throws {TypeError} For inconsistent lengths.
 *
 * @example Usage
 * ```ts
 * import { gradientNoiseCovariance } from "./linear_regression_data.ts";
 * import assert from "node:assert/strict";
 *
 * // d = 1, x = (1, 1), y = (1, −1), θ = 0: g = (−1, 1) ⇒ Σ = 1.
 * assert.deepEqual(Array.from(gradientNoiseCovariance([1, 1], [1, -1], 1, [0])), [1]);
 * ```
 */
export function gradientNoiseCovariance(
  features: ArrayLike<number>,
  labels: ArrayLike<number>,
  dim: number,
  theta: ArrayLike<number>,
): Float64Array {
  const what = "compute gradient covariance";
  const n = checkData(what, features, labels, dim);
  const d = dim;
  if (theta.length !== d) {
    throw new TypeError(
      `Cannot ${what} as theta has the wrong length: expected ${d}, got ${theta.length}`,
    );
  }
  const mean = new Float64Array(d);
  const second = new Float64Array(d * d);
  const g = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    let res = -labels[r]!;
    for (let i = 0; i < d; i++) res += features[o + i]! * theta[i]!;
    for (let i = 0; i < d; i++) {
      g[i] = res * features[o + i]!;
      mean[i]! += g[i]!;
    }
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) second[i * d + j]! += g[i]! * g[j]!;
    }
  }
  for (let i = 0; i < d; i++) mean[i]! /= n;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = second[i * d + j]! / n - mean[i]! * mean[j]!;
      second[i * d + j] = v;
      second[j * d + i] = v;
    }
  }
  return second;
}
