/**
 * Internal helpers for the matrix-level theory functions (not re-exported): basis rotations of 2d×2d
 * phase-space matrices, noise-on-flat-direction checks and the eigenbasis closed-form stationary blocks.
 *
 * @module
 */
import {
  blockMatrix,
  congruence,
  subMatrix,
  transpose,
} from "../linalg/matrix_ops.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { assertPsd, assertSymmetric } from "../linalg/validate.ts";
import type { QuadraticModel } from "./quadratic_model.ts";

/** Noise entries |Σ̃_ij| ≤ this × max_i s_i count as zero (round-off of a low-rank Σ). */
export const NOISE_ZERO_RTOL = 1e-12;

/** Largest diagonal noise max_i s_i (0 for Σ = 0). */
export function noiseScale(model: QuadraticModel): number {
  let m = 0;
  for (const v of model.noiseDiag) m = Math.max(m, v);
  return m;
}

/** Throws RangeError if a mode with h_i = 0 receives noise (no stationary law). */
export function assertNoFreeNoisyModes(
  model: QuadraticModel,
  action: string,
): void {
  const tol = NOISE_ZERO_RTOL * noiseScale(model);
  for (let i = 0; i < model.dim; i++) {
    if (model.curvatures[i] === 0 && model.noiseDiag[i]! > tol) {
      throw new RangeError(
        `Cannot ${action} as mode ${i} has zero curvature h_i = λ_i + λ = 0 but noise s_i = ${
          model.noiseDiag[i]
        } > 0 (free diffusion has no stationary law)`,
      );
    }
  }
}

/** Splits a 2d×2d matrix into its d×d blocks [[a, b], [c, d]]. */
export function splitBlocks(
  m: Matrix,
  d: number,
): [Matrix, Matrix, Matrix, Matrix] {
  return [
    subMatrix(m, 0, 0, d, d),
    subMatrix(m, 0, d, d, d),
    subMatrix(m, d, 0, d, d),
    subMatrix(m, d, d, d, d),
  ];
}

/** R·M·Rᵀ with R = blockdiag(U, U): eigenbasis → original basis. */
export function toOriginal(m: Matrix, u: Matrix): Matrix {
  const d = u.rows;
  const [a, b, c, e] = splitBlocks(m, d);
  return blockMatrix(
    congruence(u, a),
    congruence(u, b),
    congruence(u, c),
    congruence(u, e),
  );
}

/** Rᵀ·M·R with R = blockdiag(U, U): original basis → eigenbasis. */
export function toEigen(m: Matrix, u: Matrix): Matrix {
  const d = u.rows;
  const ut = transpose(u);
  const [a, b, c, e] = splitBlocks(m, d);
  return blockMatrix(
    congruence(ut, a),
    congruence(ut, b),
    congruence(ut, c),
    congruence(ut, e),
  );
}

/** Uᵀ·x for a vector (original → eigenbasis). */
export function rotateVecToEigen(
  u: Matrix,
  x: ArrayLike<number>,
): Float64Array {
  const d = u.rows;
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += u.data[i * d + j]! * x[i]!;
    out[j] = s;
  }
  return out;
}

/** U·x for a vector (eigen → original basis). */
export function rotateVecToOriginal(
  u: Matrix,
  x: ArrayLike<number>,
): Float64Array {
  const d = u.rows;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += u.data[i * d + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/** Symmetrises a square matrix in place: M ← (M + Mᵀ)/2. */
export function symmetriseInPlace(m: Matrix): Matrix {
  const n = m.rows;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (m.data[i * n + j]! + m.data[j * n + i]!);
      m.data[i * n + j] = v;
      m.data[j * n + i] = v;
    }
  }
  return m;
}

/**
 * A Gaussian initial phase-space state (mean0 of length 2d, cov0 of 2d×2d, both optional, in the basis named by
 * `basis`), checked and rotated into the eigenbasis of the model.
 *
 * @throws {TypeError} For a wrong length or shape; {RangeError} (from the validators) for a non-symmetric or
 *   non-PSD cov0.
 */
export function initialStateInEigenbasis(
  model: QuadraticModel,
  init: {
    readonly mean0?: ArrayLike<number>;
    readonly cov0?: Matrix;
    readonly basis?: "original" | "eigen";
  },
  action: string,
): { readonly m0: Float64Array; readonly c0: Matrix | undefined } {
  const d = model.dim;
  const n = 2 * d;
  const eigenIO = (init.basis ?? "original") === "eigen";
  const u = model.eigenvectors;
  let m0 = new Float64Array(n);
  if (init.mean0 !== undefined) {
    if (init.mean0.length !== n) {
      throw new TypeError(
        `Cannot ${action} as mean0 has the wrong length: expected ${n}, got ${init.mean0.length}`,
      );
    }
    m0 = Float64Array.from(init.mean0);
    if (!eigenIO) {
      const x = rotateVecToEigen(u, m0.subarray(0, d));
      const v = rotateVecToEigen(u, m0.subarray(d));
      m0.set(x, 0);
      m0.set(v, d);
    }
  }
  let c0: Matrix | undefined;
  if (init.cov0 !== undefined) {
    if (init.cov0.rows !== n || init.cov0.cols !== n) {
      throw new TypeError(
        `Cannot ${action} as cov0 has the wrong shape: expected ${n}×${n}, got ${init.cov0.rows}×${init.cov0.cols}`,
      );
    }
    assertSymmetric(init.cov0, { name: "cov0", action });
    assertPsd(init.cov0, { name: "cov0", action });
    c0 = eigenIO ? init.cov0 : toEigen(init.cov0, u);
  }
  return { m0, c0 };
}
