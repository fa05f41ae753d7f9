/** Ordinary least-squares line ln y ≈ intercept + slope·ln x. */
export interface LogLogFit {
  /** Fitted slope (the local power-law exponent). */
  readonly slope: number;
  /** Fitted intercept (ln of the prefactor). */
  readonly intercept: number;
  /** Number of points inside the window. */
  readonly points: number;
}

/**
 * Ordinary least-squares fit of ln y on ln x over the points with x in the window [lo, hi], from the raw normal
 * sums (n, Σx, Σy, Σx², Σxy) in index order — the local exponent of a curve such as an MSD E‖θ_k − θ₀‖² over lags k.
 * Unlike `powerLawFit` it returns no interval and does not validate positivity, which keeps it cheap inside
 * jackknife loops.
 *
 * @param x Abscissae (> 0 inside the window), e.g. lags k.
 * @param y Ordinates (> 0 inside the window), same length as x.
 * @param lo Window start (inclusive).
 * @param hi Window end (inclusive).
 * @returns Slope, intercept and the number of points used.
 * @throws {TypeError} If x and y differ in length.
 * @throws {RangeError} If fewer than 2 distinct x lie in the window.
 *
 * @example Usage
 * ```ts
 * import { logLogWindowFit } from "./log_log_window_fit.ts";
 * import assert from "node:assert/strict";
 *
 * const k = [1, 2, 4, 8, 16];
 * const fit = logLogWindowFit(k, k.map((v) => 3 * v ** 1.5), 2, 8);
 * assert.ok(Math.abs(fit.slope - 1.5) < 1e-12);
 * assert.ok(Math.abs(Math.exp(fit.intercept) - 3) < 1e-12);
 * assert.equal(fit.points, 3);
 * ```
 */
export function logLogWindowFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  lo: number,
  hi: number,
): LogLogFit {
  if (x.length !== y.length) {
    throw new TypeError(
      `Cannot fit log-log line as x and y lengths differ: ${x.length} and ${y.length}`,
    );
  }
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let j = 0; j < x.length; j++) {
    const k = x[j]!;
    if (k < lo || k > hi) continue;
    const lx = Math.log(k);
    const ly = Math.log(y[j]!);
    n++;
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  const det = n * sxx - sx * sx;
  if (n < 2 || !(det > 0)) {
    throw new RangeError(
      `Cannot fit log-log line as fewer than 2 distinct x lie in the window [${lo}, ${hi}]: ${n} points`,
    );
  }
  const slope = (n * sxy - sx * sy) / det;
  return { slope, intercept: (sy - slope * sx) / n, points: n };
}
