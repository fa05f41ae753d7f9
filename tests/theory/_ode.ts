// Test helpers (not a test file): brute-force RK4 integration of the OU moment equations
//   dm/dt = −A m,   dC/dt = −A C − C Aᵀ + 2D,
// used as the independent route for every continuous-time closed form.

/** Integrates y' = f(y) with classical RK4 and a fixed number of steps; returns y(T). */
export function rk4(
  f: (y: Float64Array) => Float64Array,
  y0: Float64Array,
  tEnd: number,
  steps: number,
): Float64Array {
  const dt = tEnd / steps;
  let y = y0.slice();
  const tmp = new Float64Array(y.length);
  for (let s = 0; s < steps; s++) {
    const k1 = f(y);
    for (let i = 0; i < y.length; i++) tmp[i] = y[i]! + 0.5 * dt * k1[i]!;
    const k2 = f(tmp);
    for (let i = 0; i < y.length; i++) tmp[i] = y[i]! + 0.5 * dt * k2[i]!;
    const k3 = f(tmp);
    for (let i = 0; i < y.length; i++) tmp[i] = y[i]! + dt * k3[i]!;
    const k4 = f(tmp);
    const next = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) {
      next[i] = y[i]! + dt / 6 * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
    }
    y = next;
  }
  return y;
}

/**
 * Integrates the mean and covariance of dz = −A z dt + √(2D) dW (A, D n×n row-major) from (m0, C0) to time T.
 * Returns { mean, cov } (cov row-major n×n).
 */
export function integrateOuMoments(
  a: Float64Array,
  d2: Float64Array, // 2D
  n: number,
  m0: Float64Array,
  c0: Float64Array,
  tEnd: number,
  steps: number,
): { mean: Float64Array; cov: Float64Array } {
  const y0 = new Float64Array(n + n * n);
  y0.set(m0, 0);
  y0.set(c0, n);
  const f = (y: Float64Array) => {
    const out = new Float64Array(n + n * n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s -= a[i * n + k]! * y[k]!;
      out[i] = s;
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = d2[i * n + j]!;
        for (let k = 0; k < n; k++) {
          s -= a[i * n + k]! * y[n + k * n + j]! +
            y[n + i * n + k]! * a[j * n + k]!;
        }
        out[n + i * n + j] = s;
      }
    }
    return out;
  };
  const y = rk4(f, y0, tEnd, steps);
  return { mean: y.slice(0, n), cov: y.slice(n) };
}
