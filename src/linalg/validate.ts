/**
 * Input validation for symmetric and positive semi-definite matrices, with tolerances relative to the
 * matrix scale (max |a_ij|).
 *
 * @module
 */
import type { Matrix } from "./matrix.ts";
import { maxAbs } from "./matrix_ops.ts";
import { symmetricEigen } from "./symmetric_eigen.ts";

/** Options for the matrix assertions. */
export interface MatrixCheckOptions {
  /** Name used in the error message (default "matrix"). */
  readonly name?: string;
  /** Action used in the error message, "Cannot <action> as …" (default "use matrix"). */
  readonly action?: string;
  /** Relative tolerance, multiplied by max |a_ij| (default 1e-10). */
  readonly rtol?: number;
}

/**
 * Throws unless `m` is a square matrix with finite entries.
 *
 * @param m The matrix.
 * @param options Name and action for the message.
 * @throws {TypeError} If `m` is not square.
 * @throws {RangeError} If an entry is NaN or infinite.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { assertSquare } from "./validate.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => assertSquare(matrix([[1, 2]])), TypeError);
 * ```
 */
export function assertSquare(
  m: Matrix,
  options: MatrixCheckOptions = {},
): void {
  const name = options.name ?? "matrix";
  const action = options.action ?? "use matrix";
  if (m.rows !== m.cols) {
    throw new TypeError(
      `Cannot ${action} as ${name} is not square: shape is ${m.rows}×${m.cols}`,
    );
  }
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i]!)) {
      throw new RangeError(
        `Cannot ${action} as ${name} has a non-finite entry: (${
          Math.floor(i / m.cols)
        }, ${i % m.cols}) is ${m.data[i]}`,
      );
    }
  }
}

/**
 * Throws unless `m` is square and symmetric: max |a_ij − a_ji| ≤ rtol · max |a_ij|.
 *
 * @param m The matrix.
 * @param options Name, action and relative tolerance (default 1e-10).
 * @throws {TypeError} If `m` is not square or not symmetric.
 * @throws {RangeError} If an entry is not finite.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { assertSymmetric } from "./validate.ts";
 * import assert from "node:assert/strict";
 *
 * assertSymmetric(matrix([[1, 2], [2, 1]]));
 * assert.throws(() => assertSymmetric(matrix([[1, 2], [0, 1]]), { name: "H" }), TypeError);
 * ```
 */
export function assertSymmetric(
  m: Matrix,
  options: MatrixCheckOptions = {},
): void {
  assertSquare(m, options);
  const rtol = options.rtol ?? 1e-10;
  const n = m.rows;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      worst = Math.max(
        worst,
        Math.abs(m.data[i * n + j]! - m.data[j * n + i]!),
      );
    }
  }
  const tol = rtol * maxAbs(m);
  if (worst > tol) {
    throw new TypeError(
      `Cannot ${options.action ?? "use matrix"} as ${
        options.name ?? "matrix"
      } is not symmetric: max |a_ij - a_ji| is ${worst} (tolerance ${tol})`,
    );
  }
}

/**
 * Throws unless `m` is symmetric positive semi-definite: smallest eigenvalue ≥ −rtol · max |a_ij|.
 *
 * @param m The matrix.
 * @param options Name, action and relative tolerance (default 1e-10).
 * @returns The smallest eigenvalue (may be slightly negative within tolerance).
 * @throws {TypeError} If `m` is not square or not symmetric.
 * @throws {RangeError} If an entry is not finite or an eigenvalue is negative beyond tolerance.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import { assertPsd } from "./validate.ts";
 * import assert from "node:assert/strict";
 *
 * assertPsd(matrix([[1, 1], [1, 1]]));
 * assert.throws(() => assertPsd(matrix([[1, 2], [2, 1]]), { name: "Σ" }), RangeError);
 * ```
 */
export function assertPsd(m: Matrix, options: MatrixCheckOptions = {}): number {
  assertSymmetric(m, options);
  if (m.rows === 0) return 0;
  const rtol = options.rtol ?? 1e-10;
  const lo = symmetricEigen(m).values[0]!;
  const tol = rtol * maxAbs(m);
  if (lo < -tol) {
    throw new RangeError(
      `Cannot ${options.action ?? "use matrix"} as ${
        options.name ?? "matrix"
      } is not positive semi-definite: smallest eigenvalue is ${lo} (tolerance ${tol})`,
    );
  }
  return lo;
}
