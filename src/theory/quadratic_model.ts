/**
 * The noisy quadratic model of theory.md §3: loss ½(θ−μ)ᵀH(θ−μ) + (λ/2)‖θ‖² (centred at its minimiser μ),
 * gradient noise ξ with Cov ξ = Σ/S, and momentum-SGD hyperparameters. The constructor validates the inputs
 * and precomputes the eigendecomposition H = U diag(λ_i) Uᵀ, the curvatures h_i = λ_i + λ and Σ̃ = UᵀΣU.
 *
 * @module
 */
import type { Matrix } from "../linalg/matrix.ts";
import { matMul, maxAbs, transpose } from "../linalg/matrix_ops.ts";
import { symmetricEigen } from "../linalg/symmetric_eigen.ts";
import { assertPsd } from "../linalg/validate.ts";
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";

/** Eigenvalues of H with |λ_i| ≤ this × max|λ| are set to exactly 0 (round-off of a singular H). */
export const EIGENVALUE_ZERO_RTOL = 1e-12;

/** Input of {@linkcode quadraticModel}. */
export interface QuadraticModelInput extends Hyperparameters {
  /** Hessian H of the unregularised loss (d × d, symmetric PSD). */
  readonly hessian: Matrix;
  /** Per-example gradient-noise covariance Σ (d × d, symmetric PSD); the minibatch noise is Σ/S. */
  readonly noiseCov: Matrix;
}

/** A validated quadratic model with its precomputed eigendecomposition. */
export interface QuadraticModel {
  /** Dimension d. */
  readonly dim: number;
  /** Hessian H (exactly symmetric copy). */
  readonly hessian: Matrix;
  /** Noise covariance Σ (exactly symmetric copy). */
  readonly noiseCov: Matrix;
  /** Learning rate η. */
  readonly eta: number;
  /** Momentum β. */
  readonly beta: number;
  /** Batch size S. */
  readonly batchSize: number;
  /** Weight decay λ. */
  readonly weightDecay: number;
  /** Eigenvalues λ_i of H, ascending, with round-off-level values clamped to 0. */
  readonly eigenvalues: Float64Array;
  /** Orthonormal eigenvectors of H as columns (U). */
  readonly eigenvectors: Matrix;
  /** Curvatures h_i = λ_i + λ (ascending, ≥ 0). */
  readonly curvatures: Float64Array;
  /** Σ̃ = UᵀΣU, the noise covariance in the Hessian eigenbasis. */
  readonly noiseEigen: Matrix;
  /** s_i = Σ̃_ii = u_iᵀΣu_i. */
  readonly noiseDiag: Float64Array;
}

function symmetrised(m: Matrix): Matrix {
  const n = m.rows;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      data[i * n + j] = 0.5 * (m.data[i * n + j]! + m.data[j * n + i]!);
    }
  }
  return { rows: n, cols: n, data };
}

/**
 * Builds and validates a {@linkcode QuadraticModel}: H and Σ must be square, of equal size, symmetric and
 * positive semi-definite (relative tolerance 1e-10 of their largest entry); hyperparameters as in
 * `validateHyperparameters`. Cost O(d³) (one symmetric eigendecomposition, two d×d products).
 *
 * @param input `{ hessian H, noiseCov Σ, eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1, weightDecay λ ≥ 0 (default 0) }`.
 * @returns The model.
 * @throws {TypeError} If H or Σ is not square, not symmetric, or their sizes differ.
 * @throws {RangeError} If a hyperparameter is out of range, an entry is not finite, or H or Σ is indefinite.
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([2, 1]), noiseCov: diag([1, 3]), eta: 0.1, beta: 0.9, batchSize: 8, weightDecay: 0.5 });
 * assert.deepEqual(Array.from(m.curvatures), [1.5, 2.5]);
 * assert.deepEqual(Array.from(m.noiseDiag), [3, 1]);
 * ```
 */
export function quadraticModel(input: QuadraticModelInput): QuadraticModel {
  const action = "build quadratic model";
  validateHyperparameters(input, action);
  const { hessian, noiseCov } = input;
  assertPsd(hessian, { name: "the Hessian H", action });
  assertPsd(noiseCov, { name: "the noise covariance Σ", action });
  if (hessian.rows !== noiseCov.rows) {
    throw new TypeError(
      `Cannot ${action} as H and Σ differ in size: ${hessian.rows}×${hessian.cols} and ${noiseCov.rows}×${noiseCov.cols}`,
    );
  }
  const h = symmetrised(hessian);
  const sigma = symmetrised(noiseCov);
  const d = h.rows;
  const { values, vectors } = symmetricEigen(h);
  const lamMax = maxAbs(h) === 0 ? 0 : Math.max(...values.map(Math.abs));
  const eigenvalues = values.map((v) =>
    Math.abs(v) <= EIGENVALUE_ZERO_RTOL * lamMax || v < 0 ? 0 : v
  );
  const weightDecay = input.weightDecay ?? 0;
  const curvatures = eigenvalues.map((v) => v + weightDecay);
  const noiseEigen = symmetrised(
    matMul(matMul(transpose(vectors), sigma), vectors),
  );
  const noiseDiag = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    noiseDiag[i] = Math.max(0, noiseEigen.data[i * d + i]!);
  }
  return {
    dim: d,
    hessian: h,
    noiseCov: sigma,
    eta: input.eta,
    beta: input.beta,
    batchSize: input.batchSize,
    weightDecay,
    eigenvalues,
    eigenvectors: vectors,
    curvatures,
    noiseEigen,
    noiseDiag,
  };
}
