/**
 * Cholesky factorisation tolerant of positive semi-definite (singular) matrices.
 *
 * @module
 */
import { type Matrix, zeros } from "./matrix.ts";
import { maxAbs } from "./matrix_ops.ts";
import { assertSymmetric } from "./validate.ts";

/**
 * Lower-triangular L with L·Lᵀ = A for a symmetric positive semi-definite A. A pivot ≤ rtol·max|a_ij| is
 * treated as zero and its column of L is set to zero (so A may be singular, e.g. a noise covariance of
 * low rank); a pivot below −rtol·max|a_ij| means A is indefinite. Use it to sample N(0, A): x = L·z.
 *
 * @param a Symmetric PSD matrix (n × n).
 * @param rtol Relative pivot tolerance (default 1e-12).
 * @returns L (n × n, lower triangular).
 * @throws {TypeError} If A is not square or not symmetric.
 * @throws {RangeError} If A is not positive semi-definite beyond tolerance.
 *
 * @example Usage
 * ```ts
 * import { matrix, toArrays } from "./matrix.ts";
 * import { cholesky } from "./cholesky.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArrays(cholesky(matrix([[4, 2], [2, 1]]))), [[2, 0], [1, 0]]);
 * ```
 */
export function cholesky(a: Matrix, rtol = 1e-12): Matrix {
  assertSymmetric(a, { name: "the matrix", action: "factorise matrix" });
  const n = a.rows;
  const l = zeros(n, n);
  const ld = l.data;
  const scale = maxAbs(a);
  const tol = rtol * scale;
  for (let j = 0; j < n; j++) {
    let d = a.data[j * n + j]!;
    for (let k = 0; k < j; k++) d -= ld[j * n + k]! ** 2;
    if (d < -tol) {
      throw new RangeError(
        `Cannot factorise matrix as it is not positive semi-definite: pivot ${j} is ${d} (tolerance ${tol})`,
      );
    }
    if (d <= tol) {
      // Zero pivot: the rest of column j must vanish (up to tolerance) for a PSD matrix.
      for (let i = j + 1; i < n; i++) {
        let s = a.data[i * n + j]!;
        for (let k = 0; k < j; k++) s -= ld[i * n + k]! * ld[j * n + k]!;
        if (Math.abs(s) > Math.sqrt(tol * scale)) {
          throw new RangeError(
            `Cannot factorise matrix as it is not positive semi-definite: zero pivot ${j} with off-diagonal residual ${s}`,
          );
        }
      }
      continue;
    }
    const root = Math.sqrt(d);
    ld[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let s = a.data[i * n + j]!;
      for (let k = 0; k < j; k++) s -= ld[i * n + k]! * ld[j * n + k]!;
      ld[i * n + j] = s / root;
    }
  }
  return l;
}
