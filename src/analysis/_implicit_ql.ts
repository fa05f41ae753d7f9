/**
 * Implicit QL iteration on a symmetric tridiagonal matrix (private kernel of {@linkcode tridiagonalEigen} and
 * the Lanczos convergence check).
 *
 * @module
 */

/**
 * Implicit QL sweep on the tridiagonal (d, e) (e[i] couples i and i+1, e[n−1] = 0 on entry), accumulating the
 * plane rotations into `z`, a p×n row-major block of the eigenvector matrix (row r = component `rows[r]` of all
 * n eigenvectors). On return d holds the (unsorted) eigenvalues. Passing only the last row gives the bottom
 * components needed for Lanczos residual estimates in O(n²) instead of O(n³).
 */
export function implicitQl(
  d: Float64Array,
  e: Float64Array,
  z: Float64Array,
  p: number,
): void {
  const n = d.length;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++iter > 60) {
        throw new RangeError(
          `Cannot diagonalise the tridiagonal matrix as implicit QL did not converge: eigenvalue ${l} after 60 sweeps`,
        );
      }
      // Wilkinson shift from the leading 2×2 block.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let pp = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Recover from underflow: the matrix splits here.
          d[i + 1] = d[i + 1]! - pp;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - pp;
        r = (d[i]! - g) * s + 2 * c * b;
        pp = s * r;
        d[i + 1] = g + pp;
        g = c * r - b;
        for (let k = 0; k < p; k++) {
          const o = k * n;
          const zf = z[o + i + 1]!;
          const zi = z[o + i]!;
          z[o + i + 1] = s * zi + c * zf;
          z[o + i] = c * zi - s * zf;
        }
      }
      if (underflow) continue;
      d[l] = d[l]! - pp;
      e[l] = g;
      e[m] = 0;
    }
  }
}
