/**
 * Plateau of the instantaneous speed ‖δ_k‖² = ‖θ_{k+1} − θ_k‖² (theory.md §4.1): moving average, plateau level
 * with a batch-means standard error, and the relaxation step.
 *
 * @module
 */

import { batchMeansStandardError } from "../stats/batch_means.ts";
import { standardError as meanStandardError } from "../stats/summary.ts";
import { checkFiniteArray, checkInteger, checkLength } from "./_validate.ts";

/** Options of {@linkcode speedPlateau}. */
export interface SpeedPlateauOptions {
  /** Trailing moving-average window w in samples (integer ≥ 1, default 15 as in the paper's Fig. 1). */
  readonly window?: number;
  /** Fraction of the series, taken from the end, that defines the plateau (in (0, 1], default 0.5). */
  readonly tailFraction?: number;
  /** Relative tolerance x: the relaxation step is where the moving average is first within x·plateau (default 0.05). */
  readonly tolerance?: number;
  /** Number of batches a for the batch-means standard error (integer ≥ 2, default min(20, tail length)). */
  readonly batches?: number;
  /** Step numbers of the samples (same length as speeds) to report `reachStep` in steps; default the indices. */
  readonly steps?: ArrayLike<number>;
}

/** Result of {@linkcode speedPlateau}. */
export interface SpeedPlateau {
  /** Trailing moving average: movingAverage[j] = mean(speeds[j … j+w−1]), length n − w + 1. */
  readonly movingAverage: Float64Array;
  /** Index into `speeds` of the last sample of movingAverage[0] (= w − 1). */
  readonly movingAverageOffset: number;
  /** Plateau level: mean of the last ⌈tailFraction·n⌉ samples. */
  readonly plateau: number;
  /** Batch-means standard error of the plateau (a batches of equal length; oldest remainder dropped). */
  readonly standardError: number;
  /** Batches used. */
  readonly batches: number;
  /** Index of the first sample of the tail. */
  readonly tailStart: number;
  /**
   * Index into `speeds` of the last sample of the first moving-average window within tolerance·|plateau| of the
   * plateau, or null if it never gets there.
   */
  readonly reachIndex: number | null;
  /** `steps[reachIndex]` (or reachIndex when no steps were given), null if never reached. */
  readonly reachStep: number | null;
}

/**
 * Summarises a speed series ‖δ_k‖² (or η²‖b_k‖², theory.md §1.2): trailing moving average, plateau level (mean
 * of the tail) with a batch-means standard error that accounts for autocorrelation when each batch is longer
 * than the correlation time (≈ (1+β)/(2(1−β)) steps for the velocity, §4.1), and the first index where the
 * moving average is within the relative tolerance of the plateau.
 *
 * @param speeds The series, one value per step (finite, length ≥ window and ≥ 2 tail samples).
 * @param options window, tailFraction, tolerance, batches, steps.
 * @returns Moving average, plateau, its standard error and the relaxation index.
 * @throws {RangeError} If an option is out of range, the series is too short, or a value is not finite.
 * @throws {TypeError} If `steps` has a different length.
 *
 * @example Usage
 * ```ts
 * import { speedPlateau } from "./speed_plateau.ts";
 * import assert from "node:assert/strict";
 *
 * const speeds = [0, 1, 2, 2, 2, 2, 2, 2];
 * const r = speedPlateau(speeds, { window: 2, tailFraction: 0.5, batches: 2 });
 * assert.equal(r.plateau, 2);
 * assert.equal(r.standardError, 0);
 * assert.equal(r.reachIndex, 3); // mean(speeds[2..3]) = 2
 * ```
 */
export function speedPlateau(
  speeds: ArrayLike<number>,
  options: SpeedPlateauOptions = {},
): SpeedPlateau {
  const action = "find the speed plateau";
  const n = speeds.length;
  checkFiniteArray(speeds, "speeds", action);
  const w = options.window ?? 15;
  checkInteger(w, "window", action, 1, Math.max(n, 1));
  const tailFraction = options.tailFraction ?? 0.5;
  if (!(tailFraction > 0 && tailFraction <= 1)) {
    throw new RangeError(
      `Cannot ${action} as tailFraction must be in (0, 1]: current value is ${tailFraction}`,
    );
  }
  const tolerance = options.tolerance ?? 0.05;
  if (!(tolerance >= 0 && Number.isFinite(tolerance))) {
    throw new RangeError(
      `Cannot ${action} as tolerance must be finite and >= 0: current value is ${tolerance}`,
    );
  }
  const tailLength = Math.ceil(tailFraction * n);
  if (tailLength < 2) {
    throw new RangeError(
      `Cannot ${action} as the tail must hold at least 2 samples: it holds ${tailLength} of ${n}`,
    );
  }
  const a = options.batches ?? Math.min(20, tailLength);
  checkInteger(a, "batches", action, 2, tailLength);
  const tailStart = n - tailLength;
  if (options.steps !== undefined) {
    checkLength(options.steps, n, "steps", action);
  }

  const movingAverage = new Float64Array(n - w + 1);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += speeds[i]!;
    if (i >= w) sum -= speeds[i - w]!;
    // Recompute the window sum exactly every 1024 outputs to stop round-off drift of the running sum.
    if (i >= w - 1) {
      if ((i - w + 1) % 1024 === 0) {
        sum = 0;
        for (let j = i - w + 1; j <= i; j++) sum += speeds[j]!;
      }
      movingAverage[i - w + 1] = sum / w;
    }
  }

  const tail = new Float64Array(tailLength);
  let plateau = 0;
  for (let i = 0; i < tailLength; i++) {
    tail[i] = speeds[tailStart + i]!;
    plateau += tail[i]!;
  }
  plateau /= tailLength;

  // Batch means with a batches of length ⌊tailLength/a⌋, oldest remainder dropped (src/stats rule with an
  // explicit a). src/stats needs ≥ 4 samples; a shorter tail has batches of length 1: its last a samples.
  const standardError = tailLength >= 4
    ? batchMeansStandardError(tail, a).standardError
    : meanStandardError(tail.subarray(tailLength - a));

  let reachIndex: number | null = null;
  const allowed = tolerance * Math.abs(plateau);
  for (let j = 0; j < movingAverage.length; j++) {
    if (Math.abs(movingAverage[j]! - plateau) <= allowed) {
      reachIndex = j + w - 1;
      break;
    }
  }
  return {
    movingAverage,
    movingAverageOffset: w - 1,
    plateau,
    standardError,
    batches: a,
    tailStart,
    reachIndex,
    reachStep: reachIndex === null
      ? null
      : options.steps === undefined
      ? reachIndex
      : options.steps[reachIndex]!,
  };
}
