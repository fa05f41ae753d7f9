/**
 * Anomalous-diffusion exponent c of ‖Δ_k‖² = ‖θ_k − θ₀‖² ∝ k^c (theory.md §4.4): OLS on log–log axes over a
 * stated window, sliding-window local exponents, and a moving-block bootstrap interval.
 *
 * @module
 */

import type { Rng } from "../random/rng.ts";
import { simpleOls } from "./_ols.ts";
import { studentTQuantile } from "../stats/student_t.ts";
import { checkInteger, checkLength, checkLevel } from "./_validate.ts";

/** Options of {@linkcode fitExponent}. */
export interface FitExponentOptions {
  /** Inclusive step range [kMin, kMax] of the fit (default: all samples). State it with every c (C16). */
  readonly window?: readonly [number, number];
  /** Confidence level of the interval (default 0.95). */
  readonly level?: number;
}

/** Result of {@linkcode fitExponent}. */
export interface ExponentFit {
  /** Fitted exponent c (OLS slope of ln msd on ln k). */
  readonly exponent: number;
  /** Fitted prefactor A in msd ≈ A·k^c. */
  readonly prefactor: number;
  /** OLS standard error of c (assumes independent residuals, see the note on correlation). */
  readonly standardError: number;
  /** OLS confidence interval c ± t_{(1+level)/2, n−2}·SE. */
  readonly ci: readonly [number, number];
  /** Confidence level used. */
  readonly level: number;
  /** Number of samples in the window n (≥ 3). */
  readonly points: number;
  /** Coefficient of determination of the log–log fit. */
  readonly rSquared: number;
  /** The steps actually spanned [first, last] inside the window. */
  readonly window: readonly [number, number];
}

const ACTION = "fit the diffusion exponent";

function selectWindow(
  steps: ArrayLike<number>,
  msd: ArrayLike<number>,
  window: readonly [number, number] | undefined,
  action: string,
): { x: Float64Array; y: Float64Array; first: number; last: number } {
  checkLength(msd, steps.length, "msd", action);
  const [kMin, kMax] = window ?? [-Infinity, Infinity];
  if (!(kMin <= kMax)) {
    throw new RangeError(
      `Cannot ${action} as the window must satisfy kMin <= kMax: current value is [${kMin}, ${kMax}]`,
    );
  }
  const xs: number[] = [];
  const ys: number[] = [];
  let first = NaN;
  let last = NaN;
  let prev = -Infinity;
  for (let i = 0; i < steps.length; i++) {
    const k = steps[i]!;
    if (!(k > prev)) {
      throw new RangeError(
        `Cannot ${action} as steps must be strictly increasing: steps[${i}] is ${k} after ${prev}`,
      );
    }
    prev = k;
    if (k < kMin || k > kMax) continue;
    const m = msd[i]!;
    if (!(k > 0 && Number.isFinite(k)) || !(m > 0 && Number.isFinite(m))) {
      throw new RangeError(
        `Cannot ${action} as steps and msd must be finite and > 0 inside the window: index ${i} has step ${k}, msd ${m}`,
      );
    }
    if (xs.length === 0) first = k;
    last = k;
    xs.push(Math.log(k));
    ys.push(Math.log(m));
  }
  if (xs.length < 3) {
    throw new RangeError(
      `Cannot ${action} as the window must contain at least 3 samples: it contains ${xs.length}`,
    );
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), first, last };
}

/**
 * Fits ‖Δ_k‖² ≈ A·k^c by ordinary least squares of ln msd on ln k over the samples with kMin ≤ k ≤ kMax, as the
 * paper's code does (theory.md §8). Returns c with its OLS standard error and a Student-t confidence interval.
 *
 * Caveat: samples along one trajectory are strongly correlated (the MSD at nearby k shares the same path), so
 * the OLS standard error and interval understate the uncertainty, often by a large factor. Use
 * {@linkcode blockBootstrapExponentCI} (or independent runs) for an honest interval, and always report the
 * window: c depends on it (theory.md §7.6).
 *
 * @param steps Step indices k (strictly increasing; > 0 inside the window).
 * @param msd ‖θ_k − θ₀‖² at those steps (> 0 inside the window), same length.
 * @param options window [kMin, kMax] (inclusive, default all) and level (default 0.95).
 * @returns Exponent, prefactor, standard error, interval and fit diagnostics.
 * @throws {TypeError} If the lengths differ.
 * @throws {RangeError} If steps are not increasing, values in the window are not positive, the window holds
 * fewer than 3 samples, or level ∉ (0, 1).
 *
 * @example An exact power law gives its exponent
 * ```ts
 * import { fitExponent } from "./fit_exponent.ts";
 * import assert from "node:assert/strict";
 *
 * const steps = [1, 2, 4, 8, 16, 32];
 * const msd = steps.map((k) => 3 * k ** 1.5);
 * const fit = fitExponent(steps, msd, { window: [2, 32] });
 * assert.ok(Math.abs(fit.exponent - 1.5) < 1e-12);
 * assert.ok(Math.abs(fit.prefactor - 3) < 1e-12);
 * assert.equal(fit.points, 5);
 * ```
 */
export function fitExponent(
  steps: ArrayLike<number>,
  msd: ArrayLike<number>,
  options: FitExponentOptions = {},
): ExponentFit {
  const level = options.level ?? 0.95;
  checkLevel(level, ACTION);
  const { x, y, first, last } = selectWindow(
    steps,
    msd,
    options.window,
    ACTION,
  );
  const fit = simpleOls(x, y);
  const t = studentTQuantile((1 + level) / 2, fit.n - 2);
  const half = t * fit.slopeStandardError;
  return {
    exponent: fit.slope,
    prefactor: Math.exp(fit.intercept),
    standardError: fit.slopeStandardError,
    ci: [fit.slope - half, fit.slope + half],
    level,
    points: fit.n,
    rSquared: fit.rSquared,
    window: [first, last],
  };
}

/** Options of {@linkcode localExponents}. */
export interface LocalExponentOptions {
  /** Number of consecutive samples per window (integer ≥ 2; ≥ 3 for standard errors). */
  readonly points: number;
  /** Shift between consecutive windows in samples (integer ≥ 1, default 1). */
  readonly stride?: number;
}

/** Result of {@linkcode localExponents}. */
export interface LocalExponents {
  /** Geometric centre √(k_first·k_last) of each window. */
  readonly steps: Float64Array;
  /** OLS slope of ln msd on ln k inside each window. */
  readonly exponents: Float64Array;
  /** OLS standard error of each slope (NaN for 2-point windows; correlated samples, so an understatement). */
  readonly standardErrors: Float64Array;
}

/**
 * Local exponents d ln‖Δ_k‖²/d ln k from sliding windows of `points` consecutive samples, to see the regimes of
 * theory.md §4.4 (momentum build-up 3–4, free motion 1–2, saturation 0) and choose a fit window.
 *
 * @param steps Step indices k (strictly increasing, > 0).
 * @param msd ‖θ_k − θ₀‖² (> 0), same length.
 * @param options points (window size) and stride.
 * @returns Window centres, slopes and their OLS standard errors.
 * @throws {TypeError} If the lengths differ.
 * @throws {RangeError} If steps are not increasing, values are not positive, or points/stride are out of range.
 *
 * @example Two regimes
 * ```ts
 * import { localExponents } from "./fit_exponent.ts";
 * import assert from "node:assert/strict";
 *
 * const steps = [1, 2, 4, 8, 16];
 * const msd = steps.map((k) => (k <= 4 ? k * k : 4 * k));
 * const r = localExponents(steps, msd, { points: 3, stride: 2 });
 * assert.ok(Math.abs(r.exponents[0]! - 2) < 1e-12 && Math.abs(r.exponents[1]! - 1) < 1e-12);
 * assert.equal(r.steps[0], 2);
 * ```
 */
export function localExponents(
  steps: ArrayLike<number>,
  msd: ArrayLike<number>,
  options: LocalExponentOptions,
): LocalExponents {
  const action = "compute local exponents";
  const n = steps.length;
  checkLength(msd, n, "msd", action);
  checkInteger(options.points, "points", action, 2);
  const stride = options.stride ?? 1;
  checkInteger(stride, "stride", action, 1);
  const w = options.points;
  if (n < w) {
    throw new RangeError(
      `Cannot ${action} as there are fewer samples than points: ${n} < ${w}`,
    );
  }
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const k = steps[i]!;
    const m = msd[i]!;
    if (!(k > prev)) {
      throw new RangeError(
        `Cannot ${action} as steps must be strictly increasing: steps[${i}] is ${k} after ${prev}`,
      );
    }
    prev = k;
    if (!(k > 0 && Number.isFinite(k)) || !(m > 0 && Number.isFinite(m))) {
      throw new RangeError(
        `Cannot ${action} as steps and msd must be finite and > 0: index ${i} has step ${k}, msd ${m}`,
      );
    }
    x[i] = Math.log(k);
    y[i] = Math.log(m);
  }
  const count = Math.floor((n - w) / stride) + 1;
  const centres = new Float64Array(count);
  const exponents = new Float64Array(count);
  const standardErrors = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const from = j * stride;
    const fit = simpleOls(x, y, from, from + w);
    centres[j] = Math.sqrt(steps[from]! * steps[from + w - 1]!);
    exponents[j] = fit.slope;
    standardErrors[j] = fit.slopeStandardError;
  }
  return { steps: centres, exponents, standardErrors };
}

/** Options of {@linkcode blockBootstrapExponentCI}. */
export interface BlockBootstrapOptions {
  /** Source of the block draws. */
  readonly rng: Rng;
  /** Inclusive step range [kMin, kMax] (default: all samples). */
  readonly window?: readonly [number, number];
  /**
   * Block length L in samples (integer in [1, n]); default max(1, round(n^{1/3})). Choose it several times the
   * residuals' correlation length.
   */
  readonly blockLength?: number;
  /** Number of bootstrap resamples B (integer ≥ 10, default 1000). */
  readonly resamples?: number;
  /** Confidence level (default 0.95). */
  readonly level?: number;
}

/** Result of {@linkcode blockBootstrapExponentCI}. */
export interface BootstrapExponentCI {
  /** OLS exponent of the original data. */
  readonly exponent: number;
  /** Percentile interval of the bootstrap exponents. */
  readonly ci: readonly [number, number];
  /** Standard deviation of the bootstrap exponents. */
  readonly standardError: number;
  /** Confidence level used. */
  readonly level: number;
  /** Block length used. */
  readonly blockLength: number;
  /** Number of resamples used. */
  readonly resamples: number;
  /** Samples in the window. */
  readonly points: number;
}

function percentile(sorted: Float64Array, q: number): number {
  // Linear interpolation between order statistics (numpy's default "linear" method).
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Moving-block residual bootstrap for the log–log exponent: fit OLS, then B times rebuild
 * y* = ŷ + e* where e* concatenates randomly chosen blocks of L consecutive residuals (preserving their
 * short-range correlation), refit, and take percentiles of the slopes. Honest where the OLS interval of
 * {@linkcode fitExponent} is not (correlated samples along one trajectory), provided L exceeds the residual
 * correlation length; it still cannot see correlations longer than the window.
 *
 * @param steps Step indices k (strictly increasing; > 0 inside the window).
 * @param msd ‖θ_k − θ₀‖² (> 0 inside the window), same length.
 * @param options rng, window, blockLength, resamples, level.
 * @returns OLS exponent with bootstrap interval and standard error.
 * @throws {TypeError} If the lengths differ.
 * @throws {RangeError} For the conditions of {@linkcode fitExponent}, or blockLength/resamples out of range.
 *
 * @example Usage
 * ```ts
 * import { blockBootstrapExponentCI } from "./fit_exponent.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * const rng = Rng.fromSeed(3n);
 * const steps = Array.from({ length: 64 }, (_, i) => i + 1);
 * const msd = steps.map((k) => k ** 0.5 * Math.exp(0.05 * rng.normal()));
 * const r = blockBootstrapExponentCI(steps, msd, { rng, blockLength: 4, resamples: 200 });
 * assert.ok(r.ci[0] < r.exponent && r.exponent < r.ci[1]);
 * assert.ok(Math.abs(r.exponent - 0.5) < 0.1);
 * ```
 */
export function blockBootstrapExponentCI(
  steps: ArrayLike<number>,
  msd: ArrayLike<number>,
  options: BlockBootstrapOptions,
): BootstrapExponentCI {
  const action = "bootstrap the diffusion exponent";
  const level = options.level ?? 0.95;
  checkLevel(level, action);
  const { x, y } = selectWindow(steps, msd, options.window, action);
  const n = x.length;
  const blockLength = options.blockLength ??
    Math.max(1, Math.round(Math.cbrt(n)));
  checkInteger(blockLength, "blockLength", action, 1, n);
  const resamples = options.resamples ?? 1000;
  checkInteger(resamples, "resamples", action, 10);
  const fit = simpleOls(x, y);
  const fitted = new Float64Array(n);
  for (let i = 0; i < n; i++) fitted[i] = fit.intercept + fit.slope * x[i]!;
  const starts = n - blockLength + 1;
  const yStar = new Float64Array(n);
  const slopes = new Float64Array(resamples);
  const { rng } = options;
  for (let b = 0; b < resamples; b++) {
    let i = 0;
    while (i < n) {
      const s = rng.int(starts);
      for (let j = 0; j < blockLength && i < n; j++, i++) {
        yStar[i] = fitted[i]! + fit.residuals[s + j]!;
      }
    }
    slopes[b] = simpleOls(x, yStar).slope;
  }
  let mean = 0;
  for (let b = 0; b < resamples; b++) mean += slopes[b]!;
  mean /= resamples;
  let ss = 0;
  for (let b = 0; b < resamples; b++) ss += (slopes[b]! - mean) ** 2;
  const sorted = slopes.slice().sort();
  return {
    exponent: fit.slope,
    ci: [
      percentile(sorted, (1 - level) / 2),
      percentile(sorted, (1 + level) / 2),
    ],
    standardError: Math.sqrt(ss / (resamples - 1)),
    level,
    blockLength,
    resamples,
    points: n,
  };
}
