import type { Rng } from "../random/rng.ts";
import { median } from "./median.ts";

/** Options of {@linkcode bootstrapMedianRatio}. */
export interface BootstrapOptions {
  /** Generator for the resampling (seed it for reproducible intervals). */
  readonly rng: Rng;
  /**
   * Number of bootstrap resamples (≥ 100).
   * @default {2000}
   */
  readonly resamples?: number;
  /**
   * Confidence level of the interval, in (0, 1).
   * @default {0.95}
   */
  readonly level?: number;
}

/** Ratio of medians with its bootstrap interval. */
export interface RatioInterval {
  /** median(y) / median(x). */
  readonly ratio: number;
  readonly lo: number;
  readonly hi: number;
  readonly level: number;
}

/**
 * Percentile-bootstrap confidence interval for the ratio of medians median(y)/median(x) of two independent
 * samples: each resample draws both samples with replacement, and the interval is the (1−level)/2 and
 * (1+level)/2 quantiles of the resampled ratios.
 *
 * @param x Denominator sample (e.g. baseline times), ≥ 1 positive finite values.
 * @param y Numerator sample (e.g. candidate times), ≥ 1 positive finite values.
 * @param options Generator, number of resamples, level.
 * @returns The ratio and its interval.
 * @throws {RangeError} If a sample is empty or holds a value that is not positive and finite, or an option is
 * out of range.
 *
 * @example Usage
 * ```ts
 * import { bootstrapMedianRatio } from "./bootstrap_ratio.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * const r = bootstrapMedianRatio([10, 11, 9, 10], [20, 22, 18, 20], { rng: Rng.fromSeed(1n) });
 * assert.equal(r.ratio, 2);
 * assert.ok(r.lo <= 2 && r.hi >= 2);
 * ```
 */
export function bootstrapMedianRatio(
  x: readonly number[],
  y: readonly number[],
  options: BootstrapOptions,
): RatioInterval {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  if (!(Number.isInteger(resamples) && resamples >= 100)) {
    throw new RangeError(
      `Cannot bootstrap as resamples must be an integer >= 100: ${resamples}`,
    );
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(
      `Cannot bootstrap as level must be in (0, 1): ${level}`,
    );
  }
  for (const s of [x, y]) {
    if (s.length === 0) {
      throw new RangeError("Cannot bootstrap as a sample is empty");
    }
    for (const v of s) {
      if (!(Number.isFinite(v) && v > 0)) {
        throw new RangeError(
          `Cannot bootstrap a ratio as a value is not positive and finite: ${v}`,
        );
      }
    }
  }
  const { rng } = options;
  const bx = new Float64Array(x.length);
  const by = new Float64Array(y.length);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < x.length; i++) bx[i] = x[rng.int(x.length)]!;
    for (let i = 0; i < y.length; i++) by[i] = y[rng.int(y.length)]!;
    ratios[r] = median(by) / median(bx);
  }
  ratios.sort();
  const q = (p: number) => {
    // linear interpolation between order statistics (type 7)
    const h = (resamples - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(resamples - 1, lo + 1);
    return ratios[lo]! + (h - lo) * (ratios[hi]! - ratios[lo]!);
  };
  return {
    ratio: median(y) / median(x),
    lo: q((1 - level) / 2),
    hi: q((1 + level) / 2),
    level,
  };
}
