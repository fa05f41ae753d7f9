/**
 * Distances along a trajectory of flattened parameter vectors (theory.md §1.1, §8): displacement
 * ‖Δ_k‖² = ‖θ_k − θ₀‖², step ‖δ_{k−1}‖² = ‖θ_k − θ_{k−1}‖², norm ‖θ_k‖² and θ_k·θ₀, streamed one vector at a time
 * with float64 accumulation.
 *
 * @module
 */

import { checkFiniteArray, checkLength } from "./_validate.ts";

/** Quantities for one recorded vector θ_k (see {@linkcode TrajectoryDistances.add}). */
export interface TrajectoryPoint {
  /** Index k of this vector in the stream (0 for θ₀). */
  readonly index: number;
  /** ‖θ_k − θ₀‖² (0 at k = 0). */
  readonly displacementSq: number;
  /** ‖θ_k − θ_{k−1}‖² = ‖δ_{k−1}‖² (NaN at k = 0). */
  readonly stepSq: number;
  /** ‖θ_k‖². */
  readonly normSq: number;
  /** θ_k·θ₀ (the checkpoints' `pos_dot`). */
  readonly dotStart: number;
}

/**
 * Streaming distances of a trajectory θ₀, θ₁, …: keeps float64 copies of θ₀ and the previous vector (2d
 * numbers) and returns, for each new vector, the squared displacement from θ₀, the squared step from the
 * previous vector, the squared norm and the dot product with θ₀. All sums run in float64, and differences of
 * Float32Array entries are formed after widening to float64 (exact for float32 values), so results are not
 * limited by float32 accumulation error.
 *
 * @example Usage
 * ```ts
 * import { TrajectoryDistances } from "./trajectory_distances.ts";
 * import assert from "node:assert/strict";
 *
 * const t = new TrajectoryDistances();
 * t.add([0, 1]);
 * const p = t.add(new Float32Array([3, 5]));
 * assert.equal(p.displacementSq, 25); // 3² + 4²
 * assert.equal(p.stepSq, 25);
 * assert.equal(p.normSq, 34);
 * assert.equal(p.dotStart, 5);
 * ```
 */
export class TrajectoryDistances {
  #start: Float64Array | undefined;
  #prev: Float64Array | undefined;
  #count = 0;

  /** Number of vectors added. */
  get count(): number {
    return this.#count;
  }

  /**
   * Adds θ_k and returns its distances.
   *
   * @param theta Flattened parameters (length d ≥ 1, same for every call, finite).
   * @returns The point's distances.
   * @throws {TypeError} If the length differs from the first vector's.
   * @throws {RangeError} If the vector is empty or an entry is not finite.
   */
  add(theta: ArrayLike<number>): TrajectoryPoint {
    const action = "add a vector to the trajectory";
    if (this.#start === undefined) {
      if (theta.length === 0) {
        throw new RangeError(`Cannot ${action} as it is empty: length 0`);
      }
    } else {
      checkLength(theta, this.#start.length, "theta", action);
    }
    checkFiniteArray(theta, "theta", action);
    const cur = Float64Array.from(theta);
    const start = this.#start ?? cur;
    const prev = this.#prev;
    let disp = 0;
    let step = 0;
    let normSq = 0;
    let dotStart = 0;
    for (let i = 0; i < cur.length; i++) {
      const x = cur[i]!;
      const s = start[i]!;
      const a = x - s;
      disp += a * a;
      normSq += x * x;
      dotStart += x * s;
      if (prev !== undefined) {
        const b = x - prev[i]!;
        step += b * b;
      }
    }
    this.#start = start;
    this.#prev = cur;
    const index = this.#count++;
    return {
      index,
      displacementSq: disp,
      stepSq: prev === undefined ? NaN : step,
      normSq,
      dotStart,
    };
  }
}

/** Result of {@linkcode trajectoryDistances}. */
export interface TrajectorySeries {
  /** ‖θ_k − θ₀‖² for k = 0…n−1. */
  readonly displacementSq: Float64Array;
  /** ‖θ_{k+1} − θ_k‖² = ‖δ_k‖² for k = 0…n−2 (length n − 1). */
  readonly stepSq: Float64Array;
  /** ‖θ_k‖² for k = 0…n−1. */
  readonly normSq: Float64Array;
  /** θ_k·θ₀ for k = 0…n−1. */
  readonly dotStart: Float64Array;
}

/**
 * One-shot wrapper of {@linkcode TrajectoryDistances} over an iterable of vectors (which may be a lazy
 * generator reading checkpoints one at a time).
 *
 * @param thetas θ₀, θ₁, … (at least one, all of the same length).
 * @returns The four series; stepSq[k] is the step from θ_k to θ_{k+1}.
 * @throws {RangeError} If there is no vector or an entry is not finite.
 * @throws {TypeError} If the lengths differ.
 *
 * @example Usage
 * ```ts
 * import { trajectoryDistances } from "./trajectory_distances.ts";
 * import assert from "node:assert/strict";
 *
 * const r = trajectoryDistances([[0], [1], [3]]);
 * assert.deepEqual(Array.from(r.displacementSq), [0, 1, 9]);
 * assert.deepEqual(Array.from(r.stepSq), [1, 4]);
 * ```
 */
export function trajectoryDistances(
  thetas: Iterable<ArrayLike<number>>,
): TrajectorySeries {
  const t = new TrajectoryDistances();
  const disp: number[] = [];
  const step: number[] = [];
  const norm: number[] = [];
  const dots: number[] = [];
  for (const theta of thetas) {
    const p = t.add(theta);
    disp.push(p.displacementSq);
    if (p.index > 0) step.push(p.stepSq);
    norm.push(p.normSq);
    dots.push(p.dotStart);
  }
  if (t.count === 0) {
    throw new RangeError(
      "Cannot compute trajectory distances as no vector was given: count is 0",
    );
  }
  return {
    displacementSq: Float64Array.from(disp),
    stepSq: Float64Array.from(step),
    normSq: Float64Array.from(norm),
    dotStart: Float64Array.from(dots),
  };
}
