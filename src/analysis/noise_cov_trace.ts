/**
 * Trace of the per-example gradient-noise covariance Σ (theory.md §1.3) from streamed per-example gradients,
 * the sampling-without-replacement factor, and the minibatch-noise prediction of the speed (theory.md §4.1).
 *
 * @module
 */

import {
  checkFiniteArray,
  checkInteger,
  checkMomentum,
  checkPositive,
} from "./_validate.ts";

/** Result of {@linkcode NoiseCovTrace.result} and {@linkcode noiseCovTrace}. */
export interface NoiseCovTraceResult {
  /** Number of per-example gradients N. */
  readonly count: number;
  /** tr Σ = (1/N)Σᵢ‖gᵢ − ḡ‖² = (1/N)Σᵢ‖gᵢ‖² − ‖ḡ‖² (population normalisation, as in theory.md §1.3). */
  readonly trace: number;
  /** N/(N−1)·tr Σ: the unbiased estimate when the N examples are a sample of a larger set (NaN for N = 1). */
  readonly unbiasedTrace: number;
  /** (1/N)Σᵢ‖gᵢ‖². */
  readonly meanSquaredNorm: number;
  /** ‖ḡ‖², the squared norm of the mean (full-batch) gradient. */
  readonly meanGradientNormSq: number;
  /** The mean gradient ḡ (float64). */
  readonly meanGradient: Float64Array;
}

/**
 * Streaming accumulator for tr Σ with Σ = (1/N)Σᵢ gᵢgᵢᵀ − ḡḡᵀ, the per-example gradient covariance. Uses
 * Welford's update summed over coordinates (float64 throughout, also for Float32Array input), so it stays
 * accurate when ‖ḡ‖² ≫ tr Σ, where the textbook difference (1/N)Σ‖gᵢ‖² − ‖ḡ‖² cancels. Memory: one float64
 * vector of length d.
 *
 * @example Streaming gradients one by one or in row-major chunks
 * ```ts
 * import { NoiseCovTrace } from "./noise_cov_trace.ts";
 * import assert from "node:assert/strict";
 *
 * // g₁ = (1, 0), g₂ = (3, 2): ḡ = (2, 1), tr Σ = ((1+1) + (1+1))/2 = 2.
 * const acc = new NoiseCovTrace(2);
 * acc.add([1, 0]);
 * acc.addChunk(new Float32Array([3, 2]));
 * const r = acc.result();
 * assert.equal(r.trace, 2);
 * assert.equal(r.meanSquaredNorm - r.meanGradientNormSq, 2);
 * ```
 */
export class NoiseCovTrace {
  #dim: number;
  #mean: Float64Array;
  #m2 = 0;
  #sumSq = 0;
  #count = 0;

  /**
   * Creates an empty accumulator.
   *
   * @param dim Number of parameters d (integer ≥ 1).
   * @throws {RangeError} If dim is not a positive integer.
   */
  constructor(dim: number) {
    checkInteger(dim, "dim", "create a noise-covariance accumulator", 1);
    this.#dim = dim;
    this.#mean = new Float64Array(dim);
  }

  /** Number of gradients added so far. */
  get count(): number {
    return this.#count;
  }

  /**
   * Adds one per-example gradient gᵢ = ∇ℓᵢ(θ).
   *
   * @param grad Gradient of length d (finite).
   * @returns This accumulator.
   * @throws {TypeError} If grad has the wrong length.
   * @throws {RangeError} If an entry is not finite.
   */
  add(grad: ArrayLike<number>): this {
    return this.addChunk(grad, 1);
  }

  /**
   * Adds `count` per-example gradients stored row-major in one flat array (e.g. the output of a vectorised
   * per-example gradient).
   *
   * @param chunk Flat array of length count·d.
   * @param count Number of gradients in the chunk (default chunk.length / d).
   * @returns This accumulator.
   * @throws {TypeError} If chunk.length is not count·d.
   * @throws {RangeError} If an entry is not finite.
   */
  addChunk(chunk: ArrayLike<number>, count = chunk.length / this.#dim): this {
    const d = this.#dim;
    const action = "add gradients to the noise-covariance accumulator";
    if (!Number.isInteger(count) || count < 0 || chunk.length !== count * d) {
      throw new TypeError(
        `Cannot ${action} as the chunk is not count × d: expected length ${
          Number.isInteger(count) ? count * d : `a multiple of ${d}`
        }, got ${chunk.length}`,
      );
    }
    checkFiniteArray(chunk, "chunk", action);
    const mean = this.#mean;
    for (let r = 0; r < count; r++) {
      const n = ++this.#count;
      const o = r * d;
      let m2 = 0;
      let sq = 0;
      for (let j = 0; j < d; j++) {
        const g = chunk[o + j]!;
        const delta = g - mean[j]!;
        const mj = mean[j]! + delta / n;
        mean[j] = mj;
        m2 += delta * (g - mj);
        sq += g * g;
      }
      this.#m2 += m2;
      this.#sumSq += sq;
    }
    return this;
  }

  /**
   * Current estimate.
   *
   * @returns tr Σ and its ingredients.
   * @throws {RangeError} If no gradient was added.
   */
  result(): NoiseCovTraceResult {
    const n = this.#count;
    if (n === 0) {
      throw new RangeError(
        "Cannot compute the noise-covariance trace as no gradient was added: count is 0",
      );
    }
    let g2 = 0;
    for (let j = 0; j < this.#dim; j++) g2 += this.#mean[j]! ** 2;
    const trace = this.#m2 / n;
    return {
      count: n,
      trace,
      unbiasedTrace: n > 1 ? this.#m2 / (n - 1) : NaN,
      meanSquaredNorm: this.#sumSq / n,
      meanGradientNormSq: g2,
      meanGradient: this.#mean.slice(),
    };
  }
}

/**
 * tr Σ of the per-example gradients, Σ = (1/N)Σᵢ gᵢgᵢᵀ − ḡḡᵀ (theory.md §1.3); a one-shot wrapper of
 * {@linkcode NoiseCovTrace}.
 *
 * @param perExampleGrads The N ≥ 1 gradients, all of the same length d ≥ 1.
 * @returns tr Σ and its ingredients.
 * @throws {RangeError} If there are no gradients, or an entry is not finite.
 * @throws {TypeError} If the gradients have different lengths.
 *
 * @example Usage
 * ```ts
 * import { noiseCovTrace } from "./noise_cov_trace.ts";
 * import assert from "node:assert/strict";
 *
 * // Scalars ±1: mean 0, tr Σ = 1.
 * assert.equal(noiseCovTrace([[1], [-1]]).trace, 1);
 * ```
 */
export function noiseCovTrace(
  perExampleGrads: Iterable<ArrayLike<number>>,
): NoiseCovTraceResult {
  let acc: NoiseCovTrace | undefined;
  for (const g of perExampleGrads) {
    acc ??= new NoiseCovTrace(g.length);
    acc.add(g);
  }
  if (acc === undefined) {
    throw new RangeError(
      "Cannot compute the noise-covariance trace as no gradient was given: count is 0",
    );
  }
  return acc.result();
}

/**
 * Finite-population factor (N − S)/(N − 1) that multiplies Σ/S for a minibatch of S distinct examples drawn
 * without replacement from N (theory.md §1.3, §7.4); 1 for S = 1, 0 for S = N.
 *
 * @param datasetSize N (integer ≥ 2).
 * @param batchSize S (integer in [1, N]).
 * @returns (N − S)/(N − 1).
 * @throws {RangeError} If N or S are out of range.
 *
 * @example Usage
 * ```ts
 * import { withoutReplacementFactor } from "./noise_cov_trace.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(withoutReplacementFactor(101, 11), 0.9);
 * ```
 */
export function withoutReplacementFactor(
  datasetSize: number,
  batchSize: number,
): number {
  const action = "compute the without-replacement factor";
  checkInteger(datasetSize, "datasetSize", action, 2);
  checkInteger(batchSize, "batchSize", action, 1, datasetSize);
  return (datasetSize - batchSize) / (datasetSize - 1);
}

/** Hyperparameters and noise level for {@linkcode predictedSpeed}. */
export interface PredictedSpeedInput {
  /** Learning rate η (> 0). */
  readonly eta: number;
  /** Momentum β (in (−1, 1)). */
  readonly beta: number;
  /** Batch size S (> 0). */
  readonly batchSize: number;
  /** tr Σ, trace of the per-example gradient covariance (≥ 0), e.g. σ²·tr H. */
  readonly traceSigma: number;
}

/**
 * Continuous-model prediction of the instantaneous speed E‖δ_k‖² = E‖θ_{k+1} − θ_k‖² ≈ η²·tr Σ/(S(1 − β²))
 * (theory.md §4.1, paper's leading order; the exact discrete per-mode version multiplies mode i by
 * (1 − ηhᵢ/(2(1+β)))⁻¹, §7.1). src/theory's `continuousSpeed` evaluates the same expression but only for
 * β ∈ [0, 1) and S ≥ 1; this one also accepts negative momentum and S > 0, so it keeps its own line.
 *
 * @param input eta, beta, batchSize, traceSigma.
 * @returns η²·tr Σ/(S(1 − β²)).
 * @throws {RangeError} If a value is out of range.
 *
 * @example Usage
 * ```ts
 * import { predictedSpeed } from "./noise_cov_trace.ts";
 * import assert from "node:assert/strict";
 *
 * // η = 0.1, β = 0, S = 4, tr Σ = 8: 0.01·8/4 = 0.02.
 * const v = predictedSpeed({ eta: 0.1, beta: 0, batchSize: 4, traceSigma: 8 });
 * assert.ok(Math.abs(v - 0.02) < 1e-17);
 * ```
 */
export function predictedSpeed(input: PredictedSpeedInput): number {
  const { eta, beta, batchSize, traceSigma } = input;
  const action = "predict the speed";
  checkPositive(eta, "eta", action);
  checkMomentum(beta, action);
  checkPositive(batchSize, "batchSize", action);
  if (!(traceSigma >= 0) || !Number.isFinite(traceSigma)) {
    throw new RangeError(
      `Cannot ${action} as traceSigma must be finite and >= 0: current value is ${traceSigma}`,
    );
  }
  return (eta * eta * traceSigma) / (batchSize * (1 - beta * beta));
}
