/**
 * Ordinary least squares line fits with standard errors and t-based confidence intervals, and the log-log
 * power-law (MSD exponent) fit on a stated window.
 *
 * @module
 */

import { studentTQuantile } from "./student_t.ts";

/** Result of {@linkcode linearFit}. */
export interface LinearFit {
  /** Slope b̂ of y ≈ a + b x. */
  readonly slope: number;
  /** Intercept â. */
  readonly intercept: number;
  /** Standard error of the slope, s/√Sxx with s² = RSS/(n−2). */
  readonly slopeStdError: number;
  /** Standard error of the intercept, s·√(1/n + x̄²/Sxx). */
  readonly interceptStdError: number;
  /** Residual standard deviation s = √(RSS/(n−2)). */
  readonly residualStdError: number;
  /** Degrees of freedom n − 2. */
  readonly dof: number;
  /** Number of points n. */
  readonly n: number;
  /** Confidence level of the interval. */
  readonly level: number;
  /** Two-sided t-based confidence interval for the slope: b̂ ± t_{(1+level)/2}(n−2)·SE. */
  readonly slopeInterval: readonly [number, number];
}

/**
 * Ordinary least squares fit of y ≈ a + b x (centered two-pass formulas). The standard errors and interval
 * assume independent, homoscedastic errors; for residuals that are correlated (e.g. along one MSD curve) they
 * understate the uncertainty — prefer a spread over independent runs in that case.
 *
 * @param x Abscissae (n ≥ 3, not all equal).
 * @param y Ordinates (same length).
 * @param level Confidence level in (0, 1) (default 0.95).
 * @returns The fit.
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If n < 3, x is constant, or level ∉ (0, 1).
 *
 * @example Usage
 * ```ts
 * import { linearFit } from "./linear_fit.ts";
 * import assert from "node:assert/strict";
 *
 * const f = linearFit([0, 1, 2], [1, 3, 5]);
 * assert.equal(f.slope, 2);
 * assert.equal(f.intercept, 1);
 * assert.equal(f.slopeStdError, 0);
 * ```
 */
export function linearFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  level = 0.95,
): LinearFit {
  const n = x.length;
  if (y.length !== n) {
    throw new TypeError(
      `Cannot fit line as x and y lengths differ: ${n} and ${y.length}`,
    );
  }
  if (n < 3) {
    throw new RangeError(
      `Cannot fit line as it needs at least 3 points: got ${n}`,
    );
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(
      `Cannot fit line as level must be in (0, 1): current value is ${level}`,
    );
  }
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    sxx += dx * dx;
    sxy += dx * (y[i]! - my);
  }
  if (!(sxx > 0)) {
    throw new RangeError("Cannot fit line as all x values are equal");
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i]! - intercept - slope * x[i]!;
    rss += r * r;
  }
  const dof = n - 2;
  const s = Math.sqrt(rss / dof);
  const slopeStdError = s / Math.sqrt(sxx);
  const interceptStdError = s * Math.sqrt(1 / n + (mx * mx) / sxx);
  const tq = studentTQuantile((1 + level) / 2, dof);
  return {
    slope,
    intercept,
    slopeStdError,
    interceptStdError,
    residualStdError: s,
    dof,
    n,
    level,
    slopeInterval: [slope - tq * slopeStdError, slope + tq * slopeStdError],
  };
}

/** Result of {@linkcode powerLawFit}: a {@linkcode LinearFit} of ln y on ln k plus the window used. */
export interface PowerLawFit extends LinearFit {
  /** Fitted exponent c in y ∝ k^c (= slope). */
  readonly exponent: number;
  /** Prefactor A in y ≈ A k^c (= exp(intercept)). */
  readonly prefactor: number;
  /** Inclusive window [from, to] on k. */
  readonly window: readonly [number, number];
}

/**
 * Fits y ≈ A k^c by OLS of ln y on ln k over the points with from ≤ k ≤ to (e.g. the MSD exponent c of
 * E‖θ_k − θ_0‖² ∝ k^c on a stated window of steps). State the window: c depends on it (theory §7.6).
 *
 * @param k Abscissae (steps or times), > 0 inside the window.
 * @param y Values, > 0 inside the window.
 * @param window Inclusive [from, to] on k.
 * @param level Confidence level (default 0.95).
 * @returns The fit (exponent, its standard error and t-interval, prefactor).
 * @throws {TypeError} If lengths differ.
 * @throws {RangeError} If fewer than 3 points fall in the window or some k, y there are not > 0.
 *
 * @example Usage
 * ```ts
 * import { powerLawFit } from "./linear_fit.ts";
 * import assert from "node:assert/strict";
 *
 * const k = [1, 2, 4, 8, 16];
 * const f = powerLawFit(k, k.map((v) => 3 * v ** 1.5), [2, 16]);
 * assert.ok(Math.abs(f.exponent - 1.5) < 1e-12);
 * assert.equal(f.n, 4);
 * ```
 */
export function powerLawFit(
  k: ArrayLike<number>,
  y: ArrayLike<number>,
  window: readonly [number, number],
  level = 0.95,
): PowerLawFit {
  if (k.length !== y.length) {
    throw new TypeError(
      `Cannot fit power law as k and y lengths differ: ${k.length} and ${y.length}`,
    );
  }
  const [from, to] = window;
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < k.length; i++) {
    const ki = k[i]!;
    if (!(ki >= from && ki <= to)) continue;
    const yi = y[i]!;
    if (!(ki > 0 && yi > 0)) {
      throw new RangeError(
        `Cannot fit power law as k and y must be > 0 in the window: k=${ki}, y=${yi} at index ${i}`,
      );
    }
    lx.push(Math.log(ki));
    ly.push(Math.log(yi));
  }
  if (lx.length < 3) {
    throw new RangeError(
      `Cannot fit power law as the window [${from}, ${to}] holds ${lx.length} points: need at least 3`,
    );
  }
  const f = linearFit(lx, ly, level);
  return {
    ...f,
    exponent: f.slope,
    prefactor: Math.exp(f.intercept),
    window: [from, to],
  };
}
