/**
 * Basic dense operations on {@linkcode Matrix}: products, transpose, linear combinations, norms and 2×2 block
 * assembly. Every function returns a new matrix and checks shapes (TypeError on mismatch).
 *
 * @module
 */
import { type Matrix, zeros } from "./matrix.ts";

function shape(m: Matrix): string {
  return `${m.rows}×${m.cols}`;
}

/**
 * Matrix product A·B.
 *
 * @param a Left factor (n × k).
 * @param b Right factor (k × m).
 * @returns A·B (n × m).
 * @throws {TypeError} If the inner dimensions differ.
 *
 * @example Usage
 * ```ts
 * import { matrix, toArrays } from "./matrix.ts";
 * import { matMul } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArrays(matMul(matrix([[1, 2]]), matrix([[3], [4]]))), [[11]]);
 * ```
 */
export function matMul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) {
    throw new TypeError(
      `Cannot multiply matrices as inner dimensions differ: ${shape(a)} · ${
        shape(b)
      }`,
    );
  }
  const n = a.rows;
  const k = a.cols;
  const m = b.cols;
  const out = zeros(n, m);
  const ad = a.data;
  const bd = b.data;
  const od = out.data;
  for (let i = 0; i < n; i++) {
    const io = i * m;
    for (let p = 0; p < k; p++) {
      const aip = ad[i * k + p]!;
      if (aip === 0) continue;
      const po = p * m;
      for (let j = 0; j < m; j++) od[io + j]! += aip * bd[po + j]!;
    }
  }
  return out;
}

/**
 * Transpose Aᵀ.
 *
 * @param a The matrix (n × m).
 * @returns Aᵀ (m × n).
 *
 * @example Usage
 * ```ts
 * import { matrix, toArrays } from "./matrix.ts";
 * import { transpose } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArrays(transpose(matrix([[1, 2]]))), [[1], [2]]);
 * ```
 */
export function transpose(a: Matrix): Matrix {
  const out = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      out.data[j * a.rows + i] = a.data[i * a.cols + j]!;
    }
  }
  return out;
}

function sameShape(a: Matrix, b: Matrix, action: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new TypeError(
      `Cannot ${action} matrices as shapes differ: ${shape(a)} and ${shape(b)}`,
    );
  }
}

/**
 * Linear combination α·A + β·B (defaults give A + B).
 *
 * @param a First matrix.
 * @param b Second matrix (same shape).
 * @param alpha Coefficient of A (default 1).
 * @param beta Coefficient of B (default 1).
 * @returns α·A + β·B.
 * @throws {TypeError} If shapes differ.
 *
 * @example Usage
 * ```ts
 * import { matrix, toArrays } from "./matrix.ts";
 * import { add } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArrays(add(matrix([[1]]), matrix([[2]]), 1, -1)), [[-1]]);
 * ```
 */
export function add(a: Matrix, b: Matrix, alpha = 1, beta = 1): Matrix {
  sameShape(a, b, "add");
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < out.data.length; i++) {
    out.data[i] = alpha * a.data[i]! + beta * b.data[i]!;
  }
  return out;
}

/**
 * Difference A − B.
 *
 * @param a First matrix.
 * @param b Second matrix (same shape).
 * @returns A − B.
 * @throws {TypeError} If shapes differ.
 *
 * @example Usage
 * ```ts
 * import { matrix, toArrays } from "./matrix.ts";
 * import { sub } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArrays(sub(matrix([[3]]), matrix([[1]]))), [[2]]);
 * ```
 */
export function sub(a: Matrix, b: Matrix): Matrix {
  return add(a, b, 1, -1);
}

/**
 * Scalar multiple c·A.
 *
 * @param a The matrix.
 * @param c The scalar.
 * @returns c·A.
 *
 * @example Usage
 * ```ts
 * import { matrix, toArrays } from "./matrix.ts";
 * import { scale } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArrays(scale(matrix([[1, 2]]), 2)), [[2, 4]]);
 * ```
 */
export function scale(a: Matrix, c: number): Matrix {
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < out.data.length; i++) out.data[i] = c * a.data[i]!;
  return out;
}

/**
 * Matrix–vector product A·x.
 *
 * @param a The matrix (n × m).
 * @param x The vector (length m).
 * @returns A·x (length n).
 * @throws {TypeError} If `x.length !== a.cols`.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { matVec } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(matVec(matrix([[1, 2], [3, 4]]), [1, 1])), [3, 7]);
 * ```
 */
export function matVec(a: Matrix, x: ArrayLike<number>): Float64Array {
  if (x.length !== a.cols) {
    throw new TypeError(
      `Cannot multiply matrix by vector as lengths differ: ${
        shape(a)
      } · vector of length ${x.length}`,
    );
  }
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    const o = i * a.cols;
    for (let j = 0; j < a.cols; j++) s += a.data[o + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/**
 * Frobenius norm ‖A‖_F = √(Σ a_ij²).
 *
 * @param a The matrix.
 * @returns ‖A‖_F.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { frobeniusNorm } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(frobeniusNorm(matrix([[3, 4]])), 5);
 * ```
 */
export function frobeniusNorm(a: Matrix): number {
  let scaleMax = 0;
  for (const v of a.data) scaleMax = Math.max(scaleMax, Math.abs(v));
  if (scaleMax === 0 || !Number.isFinite(scaleMax)) return scaleMax;
  let s = 0;
  for (const v of a.data) s += (v / scaleMax) ** 2;
  return scaleMax * Math.sqrt(s);
}

/**
 * Largest absolute entry max_ij |a_ij| (0 for an empty matrix).
 *
 * @param a The matrix.
 * @returns max |a_ij|.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { maxAbs } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(maxAbs(matrix([[1, -3]])), 3);
 * ```
 */
export function maxAbs(a: Matrix): number {
  let m = 0;
  for (const v of a.data) {
    const x = Math.abs(v);
    if (x > m || Number.isNaN(x)) m = x;
  }
  return m;
}

/**
 * Trace tr A of a square matrix.
 *
 * @param a Square matrix.
 * @returns Σ a_ii.
 * @throws {TypeError} If A is not square.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { trace } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(trace(matrix([[1, 2], [3, 4]])), 5);
 * ```
 */
export function trace(a: Matrix): number {
  if (a.rows !== a.cols) {
    throw new TypeError(
      `Cannot take trace as the matrix is not square: ${shape(a)}`,
    );
  }
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += a.data[i * a.cols + i]!;
  return s;
}

/**
 * Congruence transform B·A·Bᵀ (used to rotate covariances between bases).
 *
 * @param b The transform (n × m).
 * @param a The matrix (m × m).
 * @returns B·A·Bᵀ (n × n).
 * @throws {TypeError} If shapes do not conform.
 *
 * @example Usage
 * ```ts
 * import { diag, matrix, toArrays } from "./matrix.ts";
 * import { congruence } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArrays(congruence(matrix([[0, 1], [1, 0]]), diag([1, 2]))), [[2, 0], [0, 1]]);
 * ```
 */
export function congruence(b: Matrix, a: Matrix): Matrix {
  return matMul(matMul(b, a), transpose(b));
}

/**
 * Assembles the 2×2 block matrix [[A, B], [C, D]].
 *
 * @param a Top-left block (p × q).
 * @param b Top-right block (p × r).
 * @param c Bottom-left block (s × q).
 * @param d Bottom-right block (s × r).
 * @returns The (p + s) × (q + r) matrix.
 * @throws {TypeError} If block shapes do not conform.
 *
 * @example Usage
 * ```ts
 * import { identity, toArrays, zeros } from "./matrix.ts";
 * import { blockMatrix } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * const m = blockMatrix(identity(1), zeros(1), zeros(1), identity(1));
 * assert.deepEqual(toArrays(m), [[1, 0], [0, 1]]);
 * ```
 */
export function blockMatrix(
  a: Matrix,
  b: Matrix,
  c: Matrix,
  d: Matrix,
): Matrix {
  if (
    a.rows !== b.rows || c.rows !== d.rows || a.cols !== c.cols ||
    b.cols !== d.cols
  ) {
    throw new TypeError(
      `Cannot assemble block matrix as block shapes do not conform: ${
        shape(a)
      }, ${shape(b)}, ${shape(c)}, ${shape(d)}`,
    );
  }
  const rows = a.rows + c.rows;
  const cols = a.cols + b.cols;
  const out = zeros(rows, cols);
  const put = (m: Matrix, r0: number, c0: number) => {
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        out.data[(r0 + i) * cols + c0 + j] = m.data[i * m.cols + j]!;
      }
    }
  };
  put(a, 0, 0);
  put(b, 0, a.cols);
  put(c, a.rows, 0);
  put(d, a.rows, a.cols);
  return out;
}

/**
 * Extracts the sub-matrix of rows [r0, r0 + rows) and columns [c0, c0 + cols).
 *
 * @param m The matrix.
 * @param r0 First row.
 * @param c0 First column.
 * @param rows Number of rows.
 * @param cols Number of columns.
 * @returns The block (a copy).
 * @throws {RangeError} If the block is out of bounds.
 *
 * @example Usage
 * ```ts
 * import { matrix, toArrays } from "./matrix.ts";
 * import { subMatrix } from "./matrix_ops.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArrays(subMatrix(matrix([[1, 2], [3, 4]]), 1, 0, 1, 2)), [[3, 4]]);
 * ```
 */
export function subMatrix(
  m: Matrix,
  r0: number,
  c0: number,
  rows: number,
  cols: number,
): Matrix {
  if (
    r0 < 0 || c0 < 0 || rows < 0 || cols < 0 || r0 + rows > m.rows ||
    c0 + cols > m.cols
  ) {
    throw new RangeError(
      `Cannot extract block as it is out of bounds: rows ${r0}..${
        r0 + rows
      }, cols ${c0}..${c0 + cols} of ${shape(m)}`,
    );
  }
  const out = zeros(rows, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      out.data[i * cols + j] = m.data[(r0 + i) * m.cols + c0 + j]!;
    }
  }
  return out;
}
