/**
 * Dense Kronecker-form solvers for the continuous Lyapunov equation A·C + C·Aᵀ = Q and the discrete
 * Lyapunov (Stein) equation P = M·P·Mᵀ + N. They form the n² × n² linear system explicitly and solve it by
 * LU, which costs O(n⁶) time and O(n⁴) memory: meant as a simple, independent reference for small n
 * (≤ {@linkcode MAX_KRONECKER_SIZE}). Specialised eigenbasis solvers live in `src/theory`.
 *
 * @module
 */
import { fromData, type Matrix } from "./matrix.ts";
import { luSolveInPlace } from "./_lu.ts";
import { assertSquare } from "./validate.ts";

/** Largest n accepted by the Kronecker solvers (n² = 1600 unknowns; ~3 s and 20 MB at the limit). */
export const MAX_KRONECKER_SIZE = 40;

function checkPair(
  a: Matrix,
  q: Matrix,
  action: string,
  names: [string, string],
): void {
  assertSquare(a, { name: names[0], action });
  assertSquare(q, { name: names[1], action });
  if (a.rows !== q.rows) {
    throw new TypeError(
      `Cannot ${action} as ${names[0]} and ${
        names[1]
      } differ in size: ${a.rows} and ${q.rows}`,
    );
  }
  if (a.rows > MAX_KRONECKER_SIZE) {
    throw new RangeError(
      `Cannot ${action} as the dense Kronecker solve is limited to n <= ${MAX_KRONECKER_SIZE}: n is ${a.rows}`,
    );
  }
}

/**
 * Solves the continuous Lyapunov equation A·C + C·Aᵀ = Q for C by a dense Kronecker-form solve
 * ((I⊗A + A⊗I)·vec C = vec Q). A unique solution exists iff λ_i(A) + λ_j(A) ≠ 0 for all i, j (e.g. A stable).
 * For the OU process dz = −A z dt + √(2D) dW the stationary covariance is `solveContinuousLyapunov(A, 2D)`.
 *
 * @param a Square matrix A (n × n, n ≤ 40).
 * @param q Right-hand side Q (n × n).
 * @returns C (n × n; symmetric when Q is).
 * @throws {TypeError} If A or Q is not square or sizes differ.
 * @throws {RangeError} If n > 40, an entry is not finite, or the system is singular.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { solveContinuousLyapunov } from "./lyapunov.ts";
 * import assert from "node:assert/strict";
 *
 * // Scalar OU: a·c + c·a = q ⇒ c = q / (2a).
 * const c = solveContinuousLyapunov(matrix([[2]]), matrix([[1]]));
 * assert.ok(Math.abs(c.data[0]! - 0.25) < 1e-16);
 * ```
 */
export function solveContinuousLyapunov(a: Matrix, q: Matrix): Matrix {
  checkPair(a, q, "solve continuous Lyapunov equation", ["A", "Q"]);
  const n = a.rows;
  const nn = n * n;
  const k = new Float64Array(nn * nn);
  const ad = a.data;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const row = (i * n + j) * nn;
      for (let p = 0; p < n; p++) {
        k[row + p * n + j]! += ad[i * n + p]!; // (A C)_ij = Σ_p A_ip C_pj
        k[row + i * n + p]! += ad[j * n + p]!; // (C Aᵀ)_ij = Σ_p C_ip A_jp
      }
    }
  }
  const x = q.data.slice();
  luSolveInPlace(nn, k, x, 1);
  return fromData(n, n, x);
}

/**
 * Solves the discrete Lyapunov (Stein) equation P = M·P·Mᵀ + N for P by a dense Kronecker-form solve
 * ((I − M⊗M)·vec P = vec N). A unique solution exists iff λ_i(M)·λ_j(M) ≠ 1 for all i, j (e.g. spectral
 * radius < 1). For z_{k+1} = M z_k + w_k with Cov w = N this is the stationary covariance.
 *
 * @param m Square matrix M (n × n, n ≤ 40).
 * @param n Right-hand side N (n × n).
 * @returns P (n × n; symmetric when N is).
 * @throws {TypeError} If M or N is not square or sizes differ.
 * @throws {RangeError} If n > 40, an entry is not finite, or the system is singular.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { solveDiscreteLyapunov } from "./lyapunov.ts";
 * import assert from "node:assert/strict";
 *
 * // AR(1): p = m² p + n ⇒ p = n / (1 − m²).
 * const p = solveDiscreteLyapunov(matrix([[0.5]]), matrix([[3]]));
 * assert.ok(Math.abs(p.data[0]! - 4) < 1e-15);
 * ```
 */
export function solveDiscreteLyapunov(m: Matrix, n: Matrix): Matrix {
  checkPair(m, n, "solve discrete Lyapunov equation", ["M", "N"]);
  const d = m.rows;
  const dd = d * d;
  const k = new Float64Array(dd * dd);
  const md = m.data;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const r = i * d + j;
      const row = r * dd;
      k[row + r] = 1;
      for (let p = 0; p < d; p++) {
        const mip = md[i * d + p]!;
        if (mip === 0) continue;
        for (let q = 0; q < d; q++) {
          k[row + p * d + q]! -= mip * md[j * d + q]!; // (M P Mᵀ)_ij = Σ_pq M_ip P_pq M_jq
        }
      }
    }
  }
  const x = n.data.slice();
  luSolveInPlace(dd, k, x, 1);
  return fromData(d, d, x);
}
