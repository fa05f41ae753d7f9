/**
 * Dense linear solve by LU decomposition with partial (row) pivoting.
 *
 * @module
 */
import { fromData, type Matrix } from "./matrix.ts";
import { luSolveInPlace } from "./_lu.ts";

/**
 * Solves A·X = B for X by Gaussian elimination with partial pivoting (O(n³ + n²·m)).
 *
 * @param a Square coefficient matrix A (n × n); not modified.
 * @param b Right-hand side: a vector of length n, or an n × m matrix of m right-hand sides.
 * @returns X, of the same kind as `b` (a new `Float64Array` or `Matrix`).
 * @throws {TypeError} If A is not square or `b` does not have n rows.
 * @throws {RangeError} If A is singular to working precision (a pivot ≤ n·ε·max |a_ij|) or has non-finite entries.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { solveLinear } from "./solve_linear.ts";
 * import assert from "node:assert/strict";
 *
 * const x = solveLinear(matrix([[2, 1], [1, 3]]), new Float64Array([3, 5]));
 * assert.ok(Math.abs(x[0]! - 0.8) < 1e-15 && Math.abs(x[1]! - 1.4) < 1e-15);
 * ```
 */
export function solveLinear(a: Matrix, b: Float64Array): Float64Array;
/**
 * Solves A·X = B for an n × m matrix B of right-hand sides (see the vector overload).
 *
 * @param a Square coefficient matrix A (n × n); not modified.
 * @param b Right-hand sides (n × m).
 * @returns X (n × m).
 */
export function solveLinear(a: Matrix, b: Matrix): Matrix;
export function solveLinear(
  a: Matrix,
  b: Float64Array | Matrix,
): Float64Array | Matrix {
  if (a.rows !== a.cols) {
    throw new TypeError(
      `Cannot solve linear system as the matrix is not square: ${a.rows}×${a.cols}`,
    );
  }
  const n = a.rows;
  const isVec = b instanceof Float64Array;
  const m = isVec ? 1 : b.cols;
  const bRows = isVec ? b.length : b.rows;
  if (bRows !== n) {
    throw new TypeError(
      `Cannot solve linear system as the right-hand side has ${bRows} rows, expected ${n}`,
    );
  }
  const lu = a.data.slice();
  const x = isVec ? b.slice() : b.data.slice();
  luSolveInPlace(n, lu, x, m);
  return isVec ? x : fromData(n, m, x);
}
