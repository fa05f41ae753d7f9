/**
 * Small dense linear algebra on `Float64Array`: a row-major {@linkcode Matrix} type, basic operations, a
 * symmetric eigensolver, PSD-tolerant Cholesky, LU solves, dense Lyapunov/Stein solvers and validation helpers.
 *
 * @example Usage
 * ```ts
 * import { matrix, matMul, solveContinuousLyapunov, symmetricEigen, transpose } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const a = matrix([[2, 1], [1, 2]]);
 * const { values, vectors } = symmetricEigen(a);
 * const vtv = matMul(transpose(vectors), vectors);
 * assert.ok(Math.abs(vtv.data[0]! - 1) < 1e-14 && Math.abs(values[1]! - 3) < 1e-14);
 * const c = solveContinuousLyapunov(a, matrix([[2, 0], [0, 2]]));
 * assert.ok(Math.abs(c.data[1]! - c.data[2]!) < 1e-15);
 * ```
 *
 * @module
 */
export * from "./matrix.ts";
export * from "./matrix_ops.ts";
export * from "./symmetric_eigen.ts";
export * from "./validate.ts";
export * from "./cholesky.ts";
export * from "./solve_linear.ts";
export * from "./lyapunov.ts";
