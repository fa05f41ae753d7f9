/**
 * A small dense row-major matrix on `Float64Array`, its constructors and the basic operations used by the
 * theory engine. Everything here is pure and allocation-explicit: every operation returns a new matrix.
 *
 * @module
 */

/** A dense `rows × cols` matrix stored row-major: entry (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  /** Number of rows (≥ 0). */
  readonly rows: number;
  /** Number of columns (≥ 0). */
  readonly cols: number;
  /** Row-major entries, length `rows * cols`. */
  readonly data: Float64Array;
}

function checkDim(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(
      `Cannot create matrix as ${what} must be a non-negative integer: current value is ${n}`,
    );
  }
}

/**
 * Wraps (does not copy) row-major data as a {@linkcode Matrix}.
 *
 * @param rows Number of rows (non-negative integer).
 * @param cols Number of columns (non-negative integer).
 * @param data Row-major entries; a new zero-filled array when omitted.
 * @returns The matrix.
 * @throws {RangeError} If a dimension is not a non-negative integer.
 * @throws {TypeError} If `data.length !== rows * cols`.
 *
 * @example Usage
 * ```ts
 * import { fromData } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * const m = fromData(2, 2, new Float64Array([1, 2, 3, 4]));
 * assert.equal(m.data[2], 3);
 * ```
 */
export function fromData(
  rows: number,
  cols: number,
  data?: Float64Array,
): Matrix {
  checkDim(rows, "rows");
  checkDim(cols, "cols");
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new TypeError(
      `Cannot create matrix as data has the wrong length: expected ${
        rows * cols
      }, got ${d.length}`,
    );
  }
  return { rows, cols, data: d };
}

/**
 * A `rows × cols` zero matrix.
 *
 * @param rows Number of rows.
 * @param cols Number of columns (defaults to `rows`).
 * @returns The zero matrix.
 *
 * @example Usage
 * ```ts
 * import { zeros } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(zeros(2, 3).data.length, 6);
 * ```
 */
export function zeros(rows: number, cols: number = rows): Matrix {
  return fromData(rows, cols);
}

/**
 * Builds a matrix from nested arrays (rows of equal length).
 *
 * @param rows The rows, e.g. `[[1, 2], [3, 4]]`.
 * @returns The matrix (a copy).
 * @throws {TypeError} If rows have different lengths.
 * @throws {RangeError} If an entry is not a finite number.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * const m = matrix([[1, 2], [3, 4]]);
 * assert.deepEqual([m.rows, m.cols, m.data[1]], [2, 2, 2]);
 * ```
 */
export function matrix(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const out = zeros(r, c);
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    if (row.length !== c) {
      throw new TypeError(
        `Cannot create matrix as rows differ in length: row 0 has ${c}, row ${i} has ${row.length}`,
      );
    }
    for (let j = 0; j < c; j++) {
      const v = row[j]!;
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(
          `Cannot create matrix as entry (${i}, ${j}) is not a finite number: current value is ${v}`,
        );
      }
      out.data[i * c + j] = v;
    }
  }
  return out;
}

/**
 * The `n × n` identity matrix I.
 *
 * @param n Size (non-negative integer).
 * @returns I_n.
 *
 * @example Usage
 * ```ts
 * import { identity } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(identity(2).data), [1, 0, 0, 1]);
 * ```
 */
export function identity(n: number): Matrix {
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

/**
 * A square diagonal matrix diag(values).
 *
 * @param values Diagonal entries.
 * @returns The diagonal matrix.
 *
 * @example Usage
 * ```ts
 * import { diag } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(diag([2, 3]).data), [2, 0, 0, 3]);
 * ```
 */
export function diag(values: ArrayLike<number>): Matrix {
  const n = values.length;
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) out.data[i * n + i] = values[i]!;
  return out;
}

/**
 * The diagonal of a matrix as a new array (length min(rows, cols)).
 *
 * @param m The matrix.
 * @returns Its diagonal entries.
 *
 * @example Usage
 * ```ts
 * import { diagonal, matrix } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(diagonal(matrix([[1, 2], [3, 4]]))), [1, 4]);
 * ```
 */
export function diagonal(m: Matrix): Float64Array {
  const n = Math.min(m.rows, m.cols);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = m.data[i * m.cols + i]!;
  return out;
}

/**
 * Entry (i, j) of a matrix, bounds-checked.
 *
 * @param m The matrix.
 * @param i Row index (0-based).
 * @param j Column index (0-based).
 * @returns m_ij.
 * @throws {RangeError} If (i, j) is out of bounds.
 *
 * @example Usage
 * ```ts
 * import { get, matrix } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(get(matrix([[1, 2], [3, 4]]), 1, 0), 3);
 * ```
 */
export function get(m: Matrix, i: number, j: number): number {
  if (
    !Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 ||
    i >= m.rows || j >= m.cols
  ) {
    throw new RangeError(
      `Cannot read matrix entry as (${i}, ${j}) is out of bounds: shape is ${m.rows}×${m.cols}`,
    );
  }
  return m.data[i * m.cols + j]!;
}

/**
 * Converts a matrix to nested arrays (handy for printing and deep equality).
 *
 * @param m The matrix.
 * @returns Its rows.
 *
 * @example Usage
 * ```ts
 * import { matrix, toArrays } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArrays(matrix([[1, 2], [3, 4]])), [[1, 2], [3, 4]]);
 * ```
 */
export function toArrays(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  }
  return out;
}
