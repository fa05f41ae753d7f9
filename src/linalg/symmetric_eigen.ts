/**
 * Symmetric eigendecomposition A = V·diag(λ)·Vᵀ, wrapping ml-matrix's Householder tridiagonalisation + QL
 * (`EigenvalueDecomposition` with `assumeSymmetric`).
 *
 * @module
 */
import { EigenvalueDecomposition, Matrix as MlMatrix } from "ml-matrix";
import { type Matrix, zeros } from "./matrix.ts";

/** Result of {@linkcode symmetricEigen}. */
export interface SymmetricEigen {
  /** Eigenvalues λ_1 ≤ … ≤ λ_n (ascending). */
  readonly values: Float64Array;
  /** Orthonormal eigenvectors as columns: column i belongs to `values[i]` (VᵀV = I). */
  readonly vectors: Matrix;
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix. Only the symmetric part
 * ½(A + Aᵀ) is used; check symmetry first with `assertSymmetric` if it matters. Cost O(n³).
 *
 * @param m Symmetric square matrix (n × n).
 * @returns `{ values, vectors }` with A·v_i = λ_i·v_i and VᵀV = I (to round-off ~ n·ε·‖A‖).
 * @throws {TypeError} If `m` is not square.
 * @throws {RangeError} If an entry is not finite.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { symmetricEigen } from "./symmetric_eigen.ts";
 * import assert from "node:assert/strict";
 *
 * const { values } = symmetricEigen(matrix([[2, 1], [1, 2]]));
 * assert.ok(Math.abs(values[0]! - 1) < 1e-14 && Math.abs(values[1]! - 3) < 1e-14);
 * ```
 */
export function symmetricEigen(m: Matrix): SymmetricEigen {
  if (m.rows !== m.cols) {
    throw new TypeError(
      `Cannot compute eigendecomposition as the matrix is not square: ${m.rows}×${m.cols}`,
    );
  }
  const n = m.rows;
  for (const v of m.data) {
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `Cannot compute eigendecomposition as an entry is not finite: found ${v}`,
      );
    }
  }
  if (n === 0) return { values: new Float64Array(0), vectors: zeros(0, 0) };
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n);
    for (let j = 0; j < n; j++) {
      row[j] = 0.5 * (m.data[i * n + j]! + m.data[j * n + i]!);
    }
    rows.push(row);
  }
  const evd = new EigenvalueDecomposition(new MlMatrix(rows), {
    assumeSymmetric: true,
  });
  const lam = evd.realEigenvalues;
  const vec = evd.eigenvectorMatrix;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    lam[a]! - lam[b]!
  );
  const values = new Float64Array(n);
  const vectors = zeros(n, n);
  for (let c = 0; c < n; c++) {
    const src = order[c]!;
    values[c] = lam[src]!;
    // Fix the sign so that the largest-magnitude component of each eigenvector is positive (deterministic).
    let best = 0;
    let bestAbs = -1;
    for (let r = 0; r < n; r++) {
      const a = Math.abs(vec.get(r, src));
      if (a > bestAbs + 1e-12) {
        bestAbs = a;
        best = r;
      }
    }
    const sign = vec.get(best, src) < 0 ? -1 : 1;
    for (let r = 0; r < n; r++) {
      vectors.data[r * n + c] = sign * vec.get(r, src);
    }
  }
  return { values, vectors };
}
