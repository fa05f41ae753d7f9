/**
 * Ensembles of independent heavy-ball SGD chains on a quadratic with Gaussian gradient noise, in the Hessian
 * eigenbasis.
 *
 * @module
 */

import { Rng } from "../random/rng.ts";
import { Ziggurat } from "../random/ziggurat.ts";
import { choleskyPsd } from "./_cholesky.ts";
import { Recorder, runChains, validateRecordOptions } from "./_recorder.ts";
import {
  validateDivergenceBound,
  validateFiniteArray,
  validateHyper,
} from "./_validate.ts";
import type { RecordOptions, SgdResult } from "./sgd_result.ts";

/** Options of {@linkcode simulateQuadraticSgd}. */
export interface QuadraticSgdOptions {
  /** Hessian eigenvalues λ_i of the unregularised loss (d entries); mode curvature is h_i = λ_i + λ. */
  readonly eigenvalues: ArrayLike<number>;
  /** Weight decay λ (≥ 0, default 0), coupled as in PyTorch (added to the gradient before the buffer). */
  readonly weightDecay?: number;
  /** Learning rate η (> 0). */
  readonly eta: number;
  /** Momentum β in [0, 1). */
  readonly beta: number;
  /** Batch size S (integer ≥ 1); the noise covariance is Σ̃/S. */
  readonly batchSize: number;
  /** Diagonal noise Σ̃ = diag(s_i) in the eigenbasis (commuting case, fast path), s_i ≥ 0. */
  readonly noiseVariances?: ArrayLike<number>;
  /** Full PSD noise covariance Σ̃ (d×d row-major) in the eigenbasis (non-commuting case); O(d²) per step. */
  readonly noiseCovariance?: ArrayLike<number>;
  /** Minimum μ_i of L_λ per mode (default 0); θ_i = μ_i + x_i. */
  readonly minimum?: ArrayLike<number>;
  /** Start offset a_i = θ_{0,i} − μ_i, the same for every chain (default 0). */
  readonly startOffset?: ArrayLike<number>;
  /** Per-chain start offsets (chains × d row-major); overrides `startOffset` (e.g. a stationary start). */
  readonly initialOffsets?: Float64Array;
  /** Per-chain initial buffers b_0 (chains × d row-major); default 0. */
  readonly initialBuffer?: Float64Array;
  /** Number of independent chains (≥ 1). */
  readonly chains: number;
  /** Number of updates (≥ 0). */
  readonly steps: number;
  /** What to record (default nothing but the final state). */
  readonly record?: RecordOptions;
  /** A chain diverges when ‖b_k‖² exceeds bound² or is non-finite (default 1e100). */
  readonly divergenceBound?: number;
  /**
   * Normal generator: "ziggurat" (default, fast) or "box-muller" (the plain `Rng.fillNormal` loop, the peer used
   * to report the speed-up). Both are exact samplers; their streams differ.
   */
  readonly normals?: "ziggurat" | "box-muller";
}

/**
 * Simulates `chains` independent heavy-ball SGD chains (PyTorch form) on L_λ(θ) = ½Σ h_i (θ_i − μ_i)²:
 * b_{k+1} = β b_k + ĝ_k, θ_{k+1} = θ_k − η b_{k+1}, ĝ_k = h ∘ (θ_k − μ) + ξ_k, ξ_k ~ N(0, Σ̃/S), b_0 = 0 unless
 * given. Each mode is the AR(2) process of theory §7.1 (coupled only through ξ when Σ̃ is not diagonal).
 *
 * If some mode has h_i < 0 or ηh_i ≥ 2(1+β) the dynamics is not mean-square stable and the result is returned
 * at once with status "diverged", reason "unstable", step 0. If during the run ‖b_k‖² of a chain becomes
 * non-finite or exceeds `divergenceBound`², the run stops with status "diverged" at that step k.
 *
 * All randomness comes from `rng`: each chain gets its own generator seeded from four successive `rng` outputs
 * (in chain order), so the same seed gives bit-identical results and the recorders never change the trajectories.
 * Between record steps chains are advanced chain-major (one chain through many steps), which keeps its state in
 * cache. On divergence the run stops at the end of the segment (between record steps) in which it was detected.
 *
 * @param options Problem, hyperparameters, ensemble size and recorders.
 * @param rng Source of randomness.
 * @returns The result; on divergence the record is truncated and `status` is "diverged".
 * @throws {RangeError} For out-of-range hyperparameters, non-finite inputs, a non-PSD covariance or bad record
 * steps.
 * @throws {TypeError} For arrays of the wrong length or giving both / neither noise forms.
 *
 * @example One mode, stationary variance
 * ```ts
 * import { simulateQuadraticSgd } from "./simulate_quadratic_sgd.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * const res = simulateQuadraticSgd({
 *   eigenvalues: [1], eta: 0.1, beta: 0.5, batchSize: 1, noiseVariances: [1],
 *   chains: 2000, steps: 200, record: { steps: [199] },
 * }, Rng.fromSeed(1n));
 * assert.equal(res.status, "ok");
 * // Exact discrete Var x = ηs(1+β)/(S(1−β)h(2(1+β)−ηh)) = 0.15/(0.5·2.9) ≈ 0.1034
 * assert.ok(Math.abs(res.record.thetaVariance[0]! - 0.1034) < 0.015);
 * ```
 */
export function simulateQuadraticSgd(
  options: QuadraticSgdOptions,
  rng: Rng,
): SgdResult {
  const what = "simulate quadratic SGD";
  validateHyper(what, options);
  const { eta, beta, batchSize, chains, steps } = options;
  const lam = options.weightDecay ?? 0;
  const d = options.eigenvalues.length;
  if (d < 1) {
    throw new TypeError(`Cannot ${what} as eigenvalues is empty`);
  }
  validateFiniteArray(what, "eigenvalues", options.eigenvalues, d);
  const h = new Float64Array(d);
  for (let i = 0; i < d; i++) h[i] = options.eigenvalues[i]! + lam;

  const diag = options.noiseVariances;
  const full = options.noiseCovariance;
  if ((diag === undefined) === (full === undefined)) {
    throw new TypeError(
      `Cannot ${what} as exactly one of noiseVariances and noiseCovariance must be given`,
    );
  }
  const sd = new Float64Array(d);
  let chol: Float64Array | undefined;
  if (diag !== undefined) {
    validateFiniteArray(what, "noiseVariances", diag, d);
    for (let i = 0; i < d; i++) {
      if (diag[i]! < 0) {
        throw new RangeError(
          `Cannot ${what} as noiseVariances must be >= 0: entry ${i} is ${
            diag[i]
          }`,
        );
      }
      sd[i] = Math.sqrt(diag[i]! / batchSize);
    }
  } else {
    validateFiniteArray(what, "noiseCovariance", full!, d * d);
    chol = choleskyPsd(full!, d);
    const sc = 1 / Math.sqrt(batchSize);
    for (let i = 0; i < d * d; i++) chol[i]! *= sc;
  }
  const mu = new Float64Array(d);
  if (options.minimum) {
    validateFiniteArray(what, "minimum", options.minimum, d);
    mu.set(options.minimum);
  }
  const x = new Float64Array(chains * d);
  if (options.initialOffsets) {
    validateFiniteArray(
      what,
      "initialOffsets",
      options.initialOffsets,
      chains * d,
    );
    x.set(options.initialOffsets);
  } else if (options.startOffset) {
    validateFiniteArray(what, "startOffset", options.startOffset, d);
    for (let c = 0; c < chains; c++) x.set(options.startOffset, c * d);
  }
  const b = new Float64Array(chains * d);
  if (options.initialBuffer) {
    validateFiniteArray(
      what,
      "initialBuffer",
      options.initialBuffer,
      chains * d,
    );
    b.set(options.initialBuffer);
  }
  const bound = validateDivergenceBound(what, options.divergenceBound);
  const record = options.record ?? {};
  validateRecordOptions(record, steps, d);
  const recorder = new Recorder(d, chains, eta, record, mu);

  const finish = (
    k: number,
    diverged: null | "unstable" | "non-finite-or-bound",
  ): SgdResult => {
    const finalTheta = new Float64Array(chains * d);
    for (let c = 0; c < chains; c++) {
      for (let i = 0; i < d; i++) {
        finalTheta[c * d + i] = mu[i]! + x[c * d + i]!;
      }
    }
    const stepsCompleted = diverged === "unstable" ? 0 : k;
    return {
      status: diverged === null ? "ok" : "diverged",
      divergedAtStep: diverged === null ? null : k,
      ...(diverged === null ? {} : { reason: diverged }),
      stepsCompleted,
      record: recorder.build(stepsCompleted),
      finalTheta,
      finalBuffer: b,
    };
  };

  for (let i = 0; i < d; i++) {
    if (h[i]! < 0 || eta * h[i]! >= 2 * (1 + beta)) {
      return finish(0, "unstable");
    }
  }

  // One generator per chain: a chain's path depends only on its own stream, so chains can be advanced
  // chain-major between record steps (cache-friendly) and the recorders never change the trajectories.
  const boxMuller = options.normals === "box-muller";
  const zigs: Ziggurat[] = [];
  const rngs: Rng[] = [];
  for (let c = 0; c < chains; c++) {
    if (boxMuller) {
      rngs.push(
        new Rng([rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32() | 1]),
      );
    } else zigs.push(Ziggurat.fromRng(rng));
  }
  const z = new Float64Array(d);
  const noise = new Float64Array(d);
  const bound2 = bound * bound;
  const x0 = x.slice();
  const xPrev = new Float64Array(chains * d);
  const bPrev = new Float64Array(chains * d);
  const vk = new Float64Array(d);
  const vk1 = new Float64Array(d);
  const eta2 = eta * eta;
  const speedFrom = record.speedAverageFrom ?? Infinity;
  const wantSpeed = record.speedAverageFrom !== undefined;

  /** Advances chain c over steps [from, to); returns the first diverged step or −1. */
  const advance = (c: number, from: number, to: number): number => {
    const o = c * d;
    const zig = boxMuller ? undefined : zigs[c]!;
    const crng = boxMuller ? rngs[c]! : undefined;
    for (let k = from; k < to; k++) {
      if (c === 0 && recorder.isTrajectoryStep(k)) {
        for (let i = 0; i < d; i++) vk[i] = -b[i]!;
        recorder.addTrajectory(k, x, vk);
      }
      if (zig) zig.fill(z, 0, d);
      else crng!.fillNormal(z);
      let ss = 0;
      if (chol !== undefined) {
        for (let i = 0; i < d; i++) {
          let s = 0;
          for (let j = 0; j <= i; j++) s += chol[i * d + j]! * z[j]!;
          noise[i] = s;
        }
        for (let i = 0; i < d; i++) {
          const xi = x[o + i]!;
          const bi = beta * b[o + i]! + h[i]! * xi + noise[i]!;
          b[o + i] = bi;
          x[o + i] = xi - eta * bi;
          ss += bi * bi;
        }
      } else {
        ss = diagonalUpdate(x, b, h, sd, z, o, d, eta, beta);
      }
      if (!(ss <= bound2)) return k + 1;
      if (wantSpeed && k >= speedFrom) recorder.addSpeed(c, eta2 * ss);
    }
    return -1;
  };

  const bad = runChains(
    recorder,
    steps,
    chains,
    {
      theta: x,
      b,
      thetaPrev: xPrev,
      bPrev,
      theta0: x0,
    },
    advance,
    (c, msd, sp) => {
      const o = c * d;
      for (let i = 0; i < d; i++) {
        vk[i] = -bPrev[o + i]!;
        vk1[i] = -b[o + i]!;
      }
      recorder.addChain(
        xPrev.subarray(o, o + d),
        vk,
        x.subarray(o, o + d),
        vk1,
        msd,
        eta2 * sp,
      );
    },
  );
  return bad >= 0 ? finish(bad, "non-finite-or-bound") : finish(steps, null);
}

/** One update of one chain with diagonal noise (the W1 hot loop). Returns ‖b_{k+1}‖². */
function diagonalUpdate(
  x: Float64Array,
  b: Float64Array,
  h: Float64Array,
  sd: Float64Array,
  z: Float64Array,
  o: number,
  d: number,
  eta: number,
  beta: number,
): number {
  let ss = 0;
  for (let i = 0; i < d; i++) {
    const xi = x[o + i]!;
    const bi = beta * b[o + i]! + h[i]! * xi + sd[i]! * z[i]!;
    b[o + i] = bi;
    x[o + i] = xi - eta * bi;
    ss += bi * bi;
  }
  return ss;
}
