/** Mean of independent replicates with its standard error. */
export interface MeanEstimate {
  /** Sample mean x̄. */
  readonly value: number;
  /** Standard error √(Σ(x_i − x̄)²/((n−1)n)). */
  readonly stderr: number;
}

/** Per-column means and standard errors over rows of independent replicates. */
export interface ColumnEstimates {
  /** Column means. */
  readonly value: Float64Array;
  /** Column standard errors. */
  readonly stderr: Float64Array;
}

/**
 * Mean and standard error of independent replicates (per-chain or per-group statistics): x̄ = (Σx_i)/n by plain
 * left-to-right summation, stderr = √(Σ(x_i − x̄)²/(n−1)/n). Unlike `mean`/`standardError` in summary.ts it does
 * not compensate the round-off; benchmarks use it so their stored numbers stay bit-for-bit reproducible.
 *
 * @param x Replicate values (n ≥ 2).
 * @returns The mean and its standard error.
 * @throws {RangeError} If fewer than 2 values are given.
 *
 * @example Usage
 * ```ts
 * import { meanStderr } from "./group_statistics.ts";
 * import assert from "node:assert/strict";
 *
 * const { value, stderr } = meanStderr([1, 2, 3, 6]);
 * assert.equal(value, 3);
 * assert.equal(stderr, Math.sqrt(14 / 3 / 4));
 * ```
 */
export function meanStderr(x: ArrayLike<number>): MeanEstimate {
  const n = x.length;
  if (n < 2) {
    throw new RangeError(
      `Cannot compute mean and standard error as at least 2 values are needed: current length is ${n}`,
    );
  }
  let value = 0;
  for (let i = 0; i < n; i++) value += x[i]!;
  value /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - value) ** 2;
  return { value, stderr: Math.sqrt(ss / (n - 1) / n) };
}

/**
 * Per-column {@linkcode meanStderr} over rows of independent replicates, e.g. one curve (value per recorded step)
 * per independent chain group.
 *
 * @param rows Replicate rows (≥ 2), all of the same length.
 * @returns Column means and standard errors (Float64Array of the row length each).
 * @throws {RangeError} If fewer than 2 rows are given.
 * @throws {TypeError} If the rows differ in length.
 *
 * @example Usage
 * ```ts
 * import { columnMeanStderr } from "./group_statistics.ts";
 * import assert from "node:assert/strict";
 *
 * const { value, stderr } = columnMeanStderr([[1, 10], [3, 10]]);
 * assert.deepEqual(Array.from(value), [2, 10]);
 * assert.deepEqual(Array.from(stderr), [1, 0]);
 * ```
 */
export function columnMeanStderr(
  rows: readonly ArrayLike<number>[],
): ColumnEstimates {
  if (rows.length < 2) {
    throw new RangeError(
      `Cannot compute column means and standard errors as at least 2 rows are needed: current count is ${rows.length}`,
    );
  }
  const p = rows[0]!.length;
  for (const r of rows) {
    if (r.length !== p) {
      throw new TypeError(
        `Cannot compute column means and standard errors as the rows differ in length: ${p} and ${r.length}`,
      );
    }
  }
  const value = new Float64Array(p);
  const stderr = new Float64Array(p);
  const column = new Float64Array(rows.length);
  for (let j = 0; j < p; j++) {
    rows.forEach((r, g) => column[g] = r[j]!);
    const e = meanStderr(column);
    value[j] = e.value;
    stderr[j] = e.stderr;
  }
  return { value, stderr };
}
