/**
 * Eigen-decomposition of a real symmetric tridiagonal matrix by the implicit QL algorithm with Wilkinson
 * shifts (the core of Lanczos' Ritz-value computation).
 *
 * @module
 */

import { implicitQl } from "./_implicit_ql.ts";
import { checkFiniteArray } from "./_validate.ts";

/** Result of {@linkcode tridiagonalEigen}. */
export interface TridiagonalEigenResult {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Unit eigenvectors, `vectors[j]` belongs to `values[j]` (length n each). */
  readonly vectors: Float64Array[];
}

/**
 * Eigenvalues and eigenvectors of the symmetric tridiagonal matrix T with diagonal `diag` (α₀…α_{n−1}) and
 * off-diagonal `offDiag` (β₀…β_{n−2}, βᵢ = T[i][i+1] = T[i+1][i]), by implicit QL with Wilkinson shifts
 * (backward stable: residuals ‖Tv − λv‖ are O(n·ε·‖T‖)).
 *
 * @param diag Diagonal entries (length n ≥ 1, finite).
 * @param offDiag Off-diagonal entries (length n − 1, finite).
 * @returns Ascending eigenvalues and the matching unit eigenvectors.
 * @throws {TypeError} If `offDiag.length !== diag.length − 1` or n = 0.
 * @throws {RangeError} If an entry is not finite, or QL fails to converge (not expected for finite input).
 *
 * @example Usage
 * ```ts
 * import { tridiagonalEigen } from "./tridiagonal_eigen.ts";
 * import assert from "node:assert/strict";
 *
 * // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
 * const { values, vectors } = tridiagonalEigen([2, 2], [1]);
 * assert.ok(Math.abs(values[0]! - 1) < 1e-15 && Math.abs(values[1]! - 3) < 1e-15);
 * assert.ok(Math.abs(Math.abs(vectors[1]![0]!) - Math.SQRT1_2) < 1e-15);
 * ```
 */
export function tridiagonalEigen(
  diag: ArrayLike<number>,
  offDiag: ArrayLike<number>,
): TridiagonalEigenResult {
  const n = diag.length;
  const action = "diagonalise the tridiagonal matrix";
  if (n === 0 || offDiag.length !== n - 1) {
    throw new TypeError(
      `Cannot ${action} as offDiag must have length diag.length − 1 ≥ 0: expected length ${
        Math.max(n - 1, 0)
      } with diag.length ${n}, got ${offDiag.length}`,
    );
  }
  checkFiniteArray(diag, "diag", action);
  checkFiniteArray(offDiag, "offDiag", action);
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = offDiag[i]!;
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  implicitQl(d, e, z, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    d[a]! - d[b]!
  );
  const values = new Float64Array(n);
  const vectors: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const col = order[j]!;
    values[j] = d[col]!;
    const v = new Float64Array(n);
    for (let k = 0; k < n; k++) v[k] = z[k * n + col]!;
    vectors.push(v);
  }
  return { values, vectors };
}
