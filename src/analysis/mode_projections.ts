/**
 * Projections of positions θ_k and velocities on Hessian eigenvectors uᵢ (theory.md §4.2, §4.5 step 2), and the
 * isotropy statistics built on them (prediction C4).
 *
 * @module
 */

import { simpleOls } from "./_ols.ts";
import { checkFiniteArray, checkLength, dot } from "./_validate.ts";

function checkEigenvectors(
  eigenvectors: readonly ArrayLike<number>[],
  action: string,
): number {
  if (eigenvectors.length === 0) {
    throw new RangeError(
      `Cannot ${action} as no eigenvector was given: eigenvectors is empty`,
    );
  }
  const d = eigenvectors[0]!.length;
  eigenvectors.forEach((u, i) =>
    checkLength(u, d, `eigenvectors[${i}]`, action)
  );
  return d;
}

/**
 * Projects one vector on each direction: out[i] = uᵢᵀx (float64 accumulation, also for Float32Array input).
 *
 * @param x The vector (length d), e.g. θ_k or the momentum buffer b_k.
 * @param eigenvectors Directions u₁…u_m (each of length d; normally unit Hessian eigenvectors).
 * @param out Optional output array of length m.
 * @returns The m projections.
 * @throws {TypeError} If lengths disagree.
 * @throws {RangeError} If no direction is given.
 *
 * @example Usage
 * ```ts
 * import { projectOnModes } from "./mode_projections.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(projectOnModes([3, 4], [[1, 0], [0, 1]])), [3, 4]);
 * ```
 */
export function projectOnModes(
  x: ArrayLike<number>,
  eigenvectors: readonly ArrayLike<number>[],
  out: Float64Array = new Float64Array(eigenvectors.length),
): Float64Array {
  const action = "project on the modes";
  const d = checkEigenvectors(eigenvectors, action);
  checkLength(x, d, "x", action);
  checkLength(out, eigenvectors.length, "out", action);
  for (let i = 0; i < eigenvectors.length; i++) {
    out[i] = dot(eigenvectors[i]!, x);
  }
  return out;
}

/**
 * Streaming recorder of per-mode projections: call {@linkcode ModeProjections.add} once per step with θ_k (and
 * optionally a velocity) and read each mode's time series afterwards. Only m numbers per step are kept.
 * Velocity convention is the caller's: the checkpoint buffer b_k is minus the velocity v_k = (θ_k − θ_{k−1})/η
 * (theory.md §1.2, §7.3).
 *
 * @example Usage
 * ```ts
 * import { ModeProjections } from "./mode_projections.ts";
 * import assert from "node:assert/strict";
 *
 * const rec = new ModeProjections([[1, 0], [0, 1]]);
 * rec.add([1, 2], [0.5, -0.5]);
 * rec.add([3, 4], [1, -1]);
 * assert.deepEqual(Array.from(rec.positions(1)), [2, 4]);
 * assert.deepEqual(Array.from(rec.velocities(0)), [0.5, 1]);
 * ```
 */
export class ModeProjections {
  #u: Float64Array[];
  #d: number;
  #pos: number[][];
  #vel: number[][];
  #count = 0;
  #hasVelocity: boolean | undefined;

  /**
   * Creates a recorder for projections on the given directions.
   *
   * @param eigenvectors Directions u₁…u_m (each of length d); copied to float64.
   * @throws {TypeError} If lengths disagree.
   * @throws {RangeError} If no direction is given or an entry is not finite.
   */
  constructor(eigenvectors: readonly ArrayLike<number>[]) {
    const action = "create a mode-projection recorder";
    this.#d = checkEigenvectors(eigenvectors, action);
    eigenvectors.forEach((u, i) =>
      checkFiniteArray(u, `eigenvectors[${i}]`, action)
    );
    this.#u = eigenvectors.map((u) => Float64Array.from(u));
    this.#pos = this.#u.map(() => []);
    this.#vel = this.#u.map(() => []);
  }

  /** Number of steps recorded. */
  get count(): number {
    return this.#count;
  }

  /** Number of modes m. */
  get modes(): number {
    return this.#u.length;
  }

  /**
   * Records one step.
   *
   * @param position θ_k (length d).
   * @param velocity Optional velocity or buffer at the same step (length d); give it at every step or never.
   * @returns The position projections of this step.
   * @throws {TypeError} If a length is wrong, or velocities are given for some steps only.
   */
  add(position: ArrayLike<number>, velocity?: ArrayLike<number>): Float64Array {
    const action = "record mode projections";
    checkLength(position, this.#d, "position", action);
    const hasVelocity = velocity !== undefined;
    if (hasVelocity !== (this.#hasVelocity ?? hasVelocity)) {
      throw new TypeError(
        `Cannot ${action} as velocities must be given at every step or never: step ${this.#count} differs`,
      );
    }
    if (velocity !== undefined) {
      checkLength(velocity, this.#d, "velocity", action);
    }
    this.#hasVelocity = hasVelocity;
    const p = new Float64Array(this.#u.length);
    for (let i = 0; i < this.#u.length; i++) {
      p[i] = dot(this.#u[i]!, position);
      this.#pos[i]!.push(p[i]!);
      if (velocity !== undefined) {
        this.#vel[i]!.push(dot(this.#u[i]!, velocity));
      }
    }
    this.#count++;
    return p;
  }

  /**
   * Position series uᵢᵀθ_k of mode i.
   *
   * @param i Mode index in [0, m).
   * @returns One value per recorded step.
   */
  positions(i: number): Float64Array {
    return Float64Array.from(this.#series(this.#pos, i));
  }

  /**
   * Velocity series uᵢᵀv_k of mode i (empty if no velocity was given).
   *
   * @param i Mode index in [0, m).
   * @returns One value per recorded step.
   */
  velocities(i: number): Float64Array {
    return Float64Array.from(this.#series(this.#vel, i));
  }

  #series(store: number[][], i: number): number[] {
    const s = store[i];
    if (!Number.isInteger(i) || s === undefined) {
      throw new RangeError(
        `Cannot read mode projections as the mode index must be an integer in [0, ${
          this.#u.length - 1
        }]: current value is ${i}`,
      );
    }
    return s;
  }
}

function sampleVariance(x: ArrayLike<number>, from: number): number {
  const n = x.length - from;
  let m = 0;
  for (let i = from; i < x.length; i++) m += x[i]!;
  m /= n;
  let s = 0;
  for (let i = from; i < x.length; i++) s += (x[i]! - m) ** 2;
  return s / (n - 1);
}

/** Result of {@linkcode isotropyRatio}. */
export interface IsotropyResult {
  /** Sample variance (n − 1 normalisation) of each series after burn-in. */
  readonly variances: Float64Array;
  /** max/min of the variances (1 for perfect isotropy, C4). */
  readonly ratio: number;
  /** Each variance divided by the mean variance. */
  readonly relative: Float64Array;
}

/**
 * Isotropy of the position cloud across eigen-directions (C4): with Σ = σ²H and weight decay λ ≪ λᵢ the
 * stationary Var(uᵢᵀθ) = ησ²/(2S(1−β))·λᵢ/(λᵢ+λ) is the same for every direction (theory.md §4.2).
 *
 * @param series One projection time series per direction (each with ≥ burnIn + 2 samples).
 * @param burnIn Number of leading samples to skip (integer ≥ 0, default 0).
 * @returns Variances, max/min ratio and variances relative to their mean.
 * @throws {RangeError} If no series is given or a series is too short.
 *
 * @example Usage
 * ```ts
 * import { isotropyRatio } from "./mode_projections.ts";
 * import assert from "node:assert/strict";
 *
 * const r = isotropyRatio([[1, -1, 1, -1], [2, -2, 2, -2]]);
 * assert.equal(r.ratio, 4);
 * ```
 */
export function isotropyRatio(
  series: readonly ArrayLike<number>[],
  burnIn = 0,
): IsotropyResult {
  const action = "compute the isotropy ratio";
  if (series.length === 0) {
    throw new RangeError(
      `Cannot ${action} as no series was given: series is empty`,
    );
  }
  if (!Number.isInteger(burnIn) || burnIn < 0) {
    throw new RangeError(
      `Cannot ${action} as burnIn must be an integer >= 0: current value is ${burnIn}`,
    );
  }
  const variances = new Float64Array(series.length);
  series.forEach((s, i) => {
    if (s.length - burnIn < 2) {
      throw new RangeError(
        `Cannot ${action} as each series needs at least 2 samples after burn-in: series ${i} has ${
          s.length - burnIn
        }`,
      );
    }
    variances[i] = sampleVariance(s, burnIn);
  });
  let max = -Infinity;
  let min = Infinity;
  let mean = 0;
  for (const v of variances) {
    max = Math.max(max, v);
    min = Math.min(min, v);
    mean += v;
  }
  mean /= variances.length;
  return {
    variances,
    ratio: max / min,
    relative: variances.map((v) => v / mean),
  };
}

/** Result of {@linkcode velocityVarianceSlope}. */
export interface VelocityVarianceSlope {
  /** OLS slope of ln Var(uᵢᵀv) on ln λᵢ (prediction: 1). */
  readonly slope: number;
  /** OLS standard error of the slope (NaN with 2 directions). */
  readonly standardError: number;
  /** Intercept of the log–log fit. */
  readonly intercept: number;
  /** Least-squares κ through the origin in Var ≈ κ·λ: Σλᵢvᵢ/Σλᵢ² (prediction: σ²/(S(1−β²)), C3/C4). */
  readonly proportionality: number;
}

/**
 * Checks Var(uᵢᵀv) ∝ λᵢ across eigen-directions (theory.md §4.2, C3–C4): log–log slope (should be 1) and the
 * proportionality constant.
 *
 * @param variances Velocity variances per direction (> 0).
 * @param eigenvalues Matching Hessian eigenvalues λᵢ (> 0, at least 2 distinct).
 * @returns Slope with standard error, intercept and the proportionality constant.
 * @throws {TypeError} If the lengths differ.
 * @throws {RangeError} If a value is not positive, or fewer than 2 distinct eigenvalues are given.
 *
 * @example Usage
 * ```ts
 * import { velocityVarianceSlope } from "./mode_projections.ts";
 * import assert from "node:assert/strict";
 *
 * const r = velocityVarianceSlope([0.2, 0.6, 1.0], [1, 3, 5]);
 * assert.ok(Math.abs(r.slope - 1) < 1e-12 && Math.abs(r.proportionality - 0.2) < 1e-15);
 * ```
 */
export function velocityVarianceSlope(
  variances: ArrayLike<number>,
  eigenvalues: ArrayLike<number>,
): VelocityVarianceSlope {
  const action = "fit the velocity-variance slope";
  const n = variances.length;
  checkLength(eigenvalues, n, "eigenvalues", action);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let slv = 0;
  let sll = 0;
  for (let i = 0; i < n; i++) {
    const v = variances[i]!;
    const l = eigenvalues[i]!;
    if (!(v > 0 && Number.isFinite(v)) || !(l > 0 && Number.isFinite(l))) {
      throw new RangeError(
        `Cannot ${action} as variances and eigenvalues must be finite and > 0: index ${i} has variance ${v}, eigenvalue ${l}`,
      );
    }
    x[i] = Math.log(l);
    y[i] = Math.log(v);
    slv += l * v;
    sll += l * l;
  }
  const distinct = new Set(Array.from(x)).size;
  if (distinct < 2) {
    throw new RangeError(
      `Cannot ${action} as at least 2 distinct eigenvalues are needed: got ${distinct}`,
    );
  }
  const fit = simpleOls(x, y);
  return {
    slope: fit.slope,
    standardError: fit.slopeStandardError,
    intercept: fit.intercept,
    proportionality: slv / sll,
  };
}
