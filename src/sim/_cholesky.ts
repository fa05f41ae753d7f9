/**
 * Internal: Cholesky factor of a symmetric positive semi-definite matrix, and a solve with it.
 *
 * @module
 */

/**
 * Lower-triangular L with A = L Lᵀ for a symmetric PSD n×n row-major matrix. Pivots below
 * 1e-12·max(diag) (in absolute value) are treated as exact zeros (semi-definite directions get a zero column).
 *
 * @throws {RangeError} If A is not symmetric (to 1e-10 relative) or has a clearly negative pivot.
 */
export function choleskyPsd(a: ArrayLike<number>, n: number): Float64Array {
  if (a.length !== n * n) {
    throw new TypeError(
      `Cannot factor matrix as its length must be n*n=${
        n * n
      }: got ${a.length}`,
    );
  }
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]!));
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = a[i * n + j]!;
      const y = a[j * n + i]!;
      if (
        !Number.isFinite(x) ||
        Math.abs(x - y) > 1e-10 * Math.max(maxDiag, 1e-300)
      ) {
        throw new RangeError(
          `Cannot factor matrix as it is not symmetric and finite: entry (${i}, ${j}) is ${x}, (${j}, ${i}) is ${y}`,
        );
      }
    }
  }
  const tol = 1e-12 * maxDiag;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (!(d >= -tol)) {
      throw new RangeError(
        `Cannot factor matrix as it is not positive semi-definite: pivot ${j} is ${d}`,
      );
    }
    if (d <= tol) continue; // zero column
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b for a positive-definite factor L (n×n row-major); returns x. */
export function choleskySolve(
  l: Float64Array,
  n: number,
  b: ArrayLike<number>,
): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}
