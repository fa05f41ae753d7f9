/**
 * Simple least-squares line y ≈ a + b·x with the textbook standard error of the slope (not re-exported).
 * Kept apart from src/stats `linearFit`, which needs n ≥ 3 (localExponents allows 2-point windows and
 * velocityVarianceSlope 2 modes, with a NaN standard error), fits no sub-range, returns neither residuals
 * (block bootstrap) nor R², and evaluates a Student-t quantile on every call (B bootstrap refits).
 *
 * @module
 */

/** Result of {@linkcode simpleOls}. */
export interface SimpleOls {
  readonly slope: number;
  readonly intercept: number;
  /** √(RSS/(n−2) / Sxx); NaN when n = 2. */
  readonly slopeStandardError: number;
  readonly n: number;
  /** Residuals yᵢ − a − b·xᵢ. */
  readonly residuals: Float64Array;
  readonly rSquared: number;
}

/** OLS fit on x[from..to) and y[from..to) (centred sums, float64). Requires n ≥ 2 and Sxx > 0. */
export function simpleOls(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  from = 0,
  to = x.length,
): SimpleOls {
  const n = to - from;
  let mx = 0;
  let my = 0;
  for (let i = from; i < to; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = from; i < to; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const residuals = new Float64Array(n);
  let rss = 0;
  for (let i = from; i < to; i++) {
    const r = y[i]! - intercept - slope * x[i]!;
    residuals[i - from] = r;
    rss += r * r;
  }
  return {
    slope,
    intercept,
    slopeStandardError: n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : NaN,
    n,
    residuals,
    rSquared: syy > 0 ? 1 - rss / syy : 1,
  };
}
