/**
 * Internal in-place LU solve shared by `solveLinear` and the Kronecker Lyapunov solvers (not re-exported).
 *
 * @module
 */

/**
 * In-place LU solve: `lu` (n×n row-major) is overwritten by its factors, `x` (n×m row-major) by the solution.
 * Internal; exported for the Lyapunov solvers.
 *
 * @param n Size.
 * @param lu Coefficients, overwritten.
 * @param x Right-hand sides, overwritten by the solution.
 * @param m Number of right-hand sides.
 * @throws {RangeError} If singular or non-finite.
 */
export function luSolveInPlace(
  n: number,
  lu: Float64Array,
  x: Float64Array,
  m: number,
): void {
  let scaleMax = 0;
  for (const v of lu) {
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `Cannot solve linear system as the matrix has a non-finite entry: found ${v}`,
      );
    }
    scaleMax = Math.max(scaleMax, Math.abs(v));
  }
  const tiny = Math.max(n, 1) * Number.EPSILON * scaleMax;
  for (let k = 0; k < n; k++) {
    let p = k;
    let pv = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > pv) {
        pv = v;
        p = i;
      }
    }
    if (!(pv > tiny)) {
      throw new RangeError(
        `Cannot solve linear system as the matrix is singular to working precision: pivot ${k} is ${pv}`,
      );
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
      for (let j = 0; j < m; j++) {
        const t = x[k * m + j]!;
        x[k * m + j] = x[p * m + j]!;
        x[p * m + j] = t;
      }
    }
    const piv = lu[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = lu[i * n + k]! / piv;
      if (f === 0) continue;
      lu[i * n + k] = f;
      const io = i * n;
      const ko = k * n;
      for (let j = k + 1; j < n; j++) lu[io + j]! -= f * lu[ko + j]!;
      for (let j = 0; j < m; j++) x[i * m + j]! -= f * x[k * m + j]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const piv = lu[i * n + i]!;
    for (let j = 0; j < m; j++) {
      let s = x[i * m + j]!;
      for (let k = i + 1; k < n; k++) s -= lu[i * n + k]! * x[k * m + j]!;
      x[i * m + j] = s / piv;
    }
  }
}
