/**
 * Ensembles of independent heavy-ball SGD chains on real minibatch linear regression.
 *
 * @module
 */

import type { Rng } from "../random/rng.ts";
import { Ziggurat } from "../random/ziggurat.ts";
import { Recorder, runChains, validateRecordOptions } from "./_recorder.ts";
import {
  validateDivergenceBound,
  validateFiniteArray,
  validateHyper,
} from "./_validate.ts";
import type { RecordOptions, SgdResult } from "./sgd_result.ts";

/** Options of {@linkcode simulateRegressionSgd}. */
export interface RegressionSgdOptions {
  /** Design matrix X, N×d row-major (float32 or float64). */
  readonly features: Float64Array | Float32Array;
  /** Labels y, length N. */
  readonly labels: Float64Array | Float32Array;
  /** Number of features d (≥ 1); `features.length` must be N·d. */
  readonly dim: number;
  /** Learning rate η (> 0). */
  readonly eta: number;
  /** Momentum β in [0, 1). */
  readonly beta: number;
  /** Batch size S (integer in [1, N]). */
  readonly batchSize: number;
  /** Weight decay λ (≥ 0, default 0), added to the gradient before the buffer (PyTorch). */
  readonly weightDecay?: number;
  /**
   * "with-replacement" (default): each batch is S i.i.d. uniform indices. "without-replacement": every chain keeps
   * its own random permutation of the N examples and takes consecutive batches of S from it; when fewer than S
   * remain, it reshuffles (a new epoch; the incomplete remainder is dropped, like `drop_last=True`).
   */
  readonly sampling?: "with-replacement" | "without-replacement";
  /** θ_0: length d (all chains) or chains·d (per chain); default 0. */
  readonly initialTheta?: ArrayLike<number>;
  /** Number of independent chains (≥ 1). */
  readonly chains: number;
  /** Number of updates (≥ 0). */
  readonly steps: number;
  /**
   * Projection directions u_j (p×d row-major, p ≥ 1) for the per-direction statistics; default the d coordinate
   * axes (p = d).
   */
  readonly directions?: ArrayLike<number>;
  /** Center c (length d, default 0): per-direction statistics use x = u_jᵀ(θ − c), e.g. c = the minimiser μ. */
  readonly center?: ArrayLike<number>;
  /** What to record. */
  readonly record?: RecordOptions;
  /** A chain diverges when ‖b_k‖² exceeds bound² or is non-finite (default 1e100). */
  readonly divergenceBound?: number;
}

/**
 * Simulates `chains` independent heavy-ball SGD chains (PyTorch form, buffer b_0 = 0) on
 * L(θ) = (1/2N)‖Xθ − y‖² with coupled weight decay: ĝ_k = (1/S) Σ_{r∈B_k} (x_rᵀθ_k − y_r) x_r + λθ_k,
 * b_{k+1} = β b_k + ĝ_k, θ_{k+1} = θ_k − η b_{k+1}.
 *
 * Every chain has its own generator (seeded in chain order from `rng`) that draws its batches, so chains are
 * independent, the same seed gives bit-identical results, and the recorders never change the trajectories.
 * Between record steps chains are advanced chain-major. If ‖b_k‖² of a chain becomes non-finite or exceeds the
 * bound the run stops (at the end of the current segment) with status "diverged" and the first such step.
 *
 * @param options Data, hyperparameters, ensemble size, projections and recorders.
 * @param rng Source of randomness.
 * @returns The result; `record.thetaMean` etc. are per direction, `msd`/`speed` over the full θ ∈ ℝ^d.
 * @throws {RangeError} For out-of-range hyperparameters, non-finite inputs or bad record steps.
 * @throws {TypeError} For arrays of inconsistent lengths.
 *
 * @example Two features, batch of one
 * ```ts
 * import { simulateRegressionSgd } from "./simulate_regression_sgd.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * // y = x₁ exactly ⇒ the minimiser θ = (1, 0) has zero gradient noise: every chain converges to it.
 * const features = new Float64Array([1, 0, 0, 1, 1, 1, 2, -1]);
 * const labels = new Float64Array([1, 0, 1, 2]);
 * const res = simulateRegressionSgd({
 *   features, labels, dim: 2, eta: 0.1, beta: 0.5, batchSize: 1, chains: 3, steps: 2000,
 * }, Rng.fromSeed(1n));
 * assert.equal(res.status, "ok");
 * assert.ok(Math.abs(res.finalTheta[0]! - 1) < 1e-9 && Math.abs(res.finalTheta[1]!) < 1e-9);
 * ```
 */
export function simulateRegressionSgd(
  options: RegressionSgdOptions,
  rng: Rng,
): SgdResult {
  const what = "simulate regression SGD";
  validateHyper(what, options);
  const { eta, beta, batchSize: S, chains, steps, dim: d } = options;
  const lam = options.weightDecay ?? 0;
  // float32 data is widened once (exactly): a monomorphic float64 kernel is faster than converting every load.
  const X = options.features instanceof Float64Array
    ? options.features
    : Float64Array.from(options.features);
  const y = options.labels instanceof Float64Array
    ? options.labels
    : Float64Array.from(options.labels);
  if (!Number.isInteger(d) || d < 1) {
    throw new RangeError(
      `Cannot ${what} as dim must be an integer >= 1: current value is ${d}`,
    );
  }
  const N = y.length;
  if (N < 1 || X.length !== N * d) {
    throw new TypeError(
      `Cannot ${what} as features must have labels.length·dim entries: expected ${
        N * d
      }, got ${X.length}`,
    );
  }
  if (S > N) {
    throw new RangeError(
      `Cannot ${what} as batchSize must be <= the number of examples ${N}: current value is ${S}`,
    );
  }
  const sampling = options.sampling ?? "with-replacement";
  if (sampling !== "with-replacement" && sampling !== "without-replacement") {
    throw new RangeError(
      `Cannot ${what} as sampling must be "with-replacement" or "without-replacement": current value is ${sampling}`,
    );
  }
  const theta = new Float64Array(chains * d);
  if (options.initialTheta !== undefined) {
    const t0 = options.initialTheta;
    if (t0.length !== d && t0.length !== chains * d) {
      throw new TypeError(
        `Cannot ${what} as initialTheta must have dim or chains·dim entries: expected ${d} or ${
          chains * d
        }, got ${t0.length}`,
      );
    }
    if (t0.length === d) {
      validateFiniteArray(what, "initialTheta", t0, d);
      for (let c = 0; c < chains; c++) theta.set(t0, c * d);
    } else {
      validateFiniteArray(what, "initialTheta", t0, chains * d);
      theta.set(t0);
    }
  }
  let dirs: Float64Array;
  if (options.directions !== undefined) {
    const u = options.directions;
    if (u.length === 0 || u.length % d !== 0) {
      throw new TypeError(
        `Cannot ${what} as directions must have p·dim entries (p >= 1): got ${u.length} for dim ${d}`,
      );
    }
    validateFiniteArray(what, "directions", u, u.length);
    dirs = Float64Array.from(u);
  } else {
    dirs = new Float64Array(d * d);
    for (let i = 0; i < d; i++) dirs[i * d + i] = 1;
  }
  const p = dirs.length / d;
  const center = new Float64Array(d);
  if (options.center !== undefined) {
    validateFiniteArray(what, "center", options.center, d);
    center.set(options.center);
  }
  // Projected center, so that the recorder reports u_jᵀθ = u_jᵀc + x_j.
  const pc = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += dirs[j * d + i]! * center[i]!;
    pc[j] = s;
  }
  const bound = validateDivergenceBound(what, options.divergenceBound);
  const record = options.record ?? {};
  validateRecordOptions(record, steps, p);
  const recorder = new Recorder(p, chains, eta, record, pc);
  const b = new Float64Array(chains * d);

  const gens: Ziggurat[] = [];
  for (let c = 0; c < chains; c++) gens.push(Ziggurat.fromRng(rng));
  const withRepl = sampling === "with-replacement";
  const perm = withRepl ? new Int32Array(0) : new Int32Array(chains * N);
  const pos = new Int32Array(chains).fill(N); // forces a shuffle at the first batch
  if (!withRepl) {
    for (let c = 0; c < chains; c++) {
      for (let r = 0; r < N; r++) perm[c * N + r] = r;
    }
  }
  const limit = 4294967296 - (4294967296 % N);
  const idx = new Int32Array(S);
  const g = new Float64Array(d);
  const invS = 1 / S;
  const bound2 = bound * bound;
  const eta2 = eta * eta;
  const speedFrom = record.speedAverageFrom ?? Infinity;
  const wantSpeed = record.speedAverageFrom !== undefined;
  const theta0 = theta.slice();
  const thetaPrev = new Float64Array(chains * d);
  const bPrev = new Float64Array(chains * d);
  const xk = new Float64Array(p);
  const vk = new Float64Array(p);
  const xk1 = new Float64Array(p);
  const vk1 = new Float64Array(p);

  const drawIndex = (gen: Ziggurat): number => {
    for (;;) {
      const u = gen.uint32();
      if (u < limit) return u % N;
    }
  };
  const drawBatch = (c: number, gen: Ziggurat): void => {
    if (withRepl) {
      for (let s = 0; s < S; s++) idx[s] = drawIndex(gen);
      return;
    }
    const base = c * N;
    if (pos[c]! + S > N) {
      // Fisher–Yates reshuffle of this chain's permutation (unbiased integers by rejection).
      for (let i = N - 1; i > 0; i--) {
        const lim = 4294967296 - (4294967296 % (i + 1));
        let u: number;
        do u = gen.uint32(); while (u >= lim);
        const j = u % (i + 1);
        const t = perm[base + i]!;
        perm[base + i] = perm[base + j]!;
        perm[base + j] = t;
      }
      pos[c] = 0;
    }
    const p0 = pos[c]!;
    for (let s = 0; s < S; s++) idx[s] = perm[base + p0 + s]!;
    pos[c] = p0 + S;
  };

  /** Chain-0 projections for the trajectory recorder. */
  const project = (
    src: Float64Array,
    o: number,
    sub: Float64Array | undefined,
    out: Float64Array,
    sign: number,
  ): void => {
    for (let j = 0; j < p; j++) {
      let s = 0;
      const uo = j * d;
      if (sub) {
        for (let i = 0; i < d; i++) {
          s += dirs[uo + i]! * (src[o + i]! - sub[i]!);
        }
      } else {
        for (let i = 0; i < d; i++) s += dirs[uo + i]! * src[o + i]!;
      }
      out[j] = sign * s;
    }
  };

  const advance = (c: number, from: number, to: number): number => {
    const o = c * d;
    const gen = gens[c]!;
    for (let k = from; k < to; k++) {
      if (c === 0 && recorder.isTrajectoryStep(k)) {
        project(theta, 0, center, xk, 1);
        project(b, 0, undefined, vk, -1);
        recorder.addTrajectory(k, xk, vk);
      }
      drawBatch(c, gen);
      const ss = regressionUpdate(
        X,
        y,
        theta,
        b,
        g,
        idx,
        o,
        d,
        S,
        invS,
        eta,
        beta,
        lam,
      );
      if (!(ss <= bound2)) return k + 1;
      if (wantSpeed && k >= speedFrom) recorder.addSpeed(c, eta2 * ss);
    }
    return -1;
  };

  const finish = (k: number, diverged: boolean): SgdResult => ({
    status: diverged ? "diverged" : "ok",
    divergedAtStep: diverged ? k : null,
    ...(diverged ? { reason: "non-finite-or-bound" as const } : {}),
    stepsCompleted: k,
    record: recorder.build(k),
    finalTheta: theta,
    finalBuffer: b,
  });

  const bad = runChains(
    recorder,
    steps,
    chains,
    {
      theta,
      b,
      thetaPrev,
      bPrev,
      theta0,
    },
    advance,
    (c, msd, sp) => {
      const o = c * d;
      project(thetaPrev, o, center, xk, 1);
      project(bPrev, o, undefined, vk, -1);
      project(theta, o, center, xk1, 1);
      project(b, o, undefined, vk1, -1);
      recorder.addChain(xk, vk, xk1, vk1, msd, eta2 * sp);
    },
  );
  return bad >= 0 ? finish(bad, true) : finish(steps, false);
}

/** One minibatch update of one chain (the W2 hot loop). Returns ‖b_{k+1}‖². */
function regressionUpdate(
  X: Float64Array,
  y: Float64Array,
  theta: Float64Array,
  b: Float64Array,
  g: Float64Array,
  idx: Int32Array,
  o: number,
  d: number,
  S: number,
  invS: number,
  eta: number,
  beta: number,
  lam: number,
): number {
  g.fill(0);
  // Rows are taken eight at a time: each θ_j / g_j load then serves eight multiply-adds.
  let s = 0;
  for (; s + 8 <= S; s += 8) {
    const r0 = idx[s]!;
    const r1 = idx[s + 1]!;
    const r2 = idx[s + 2]!;
    const r3 = idx[s + 3]!;
    const r4 = idx[s + 4]!;
    const r5 = idx[s + 5]!;
    const r6 = idx[s + 6]!;
    const r7 = idx[s + 7]!;
    const o0 = r0 * d;
    const o1 = r1 * d;
    const o2 = r2 * d;
    const o3 = r3 * d;
    const o4 = r4 * d;
    const o5 = r5 * d;
    const o6 = r6 * d;
    const o7 = r7 * d;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    for (let j = 0; j < d; j++) {
      const t = theta[o + j]!;
      a0 += X[o0 + j]! * t;
      a1 += X[o1 + j]! * t;
      a2 += X[o2 + j]! * t;
      a3 += X[o3 + j]! * t;
      a4 += X[o4 + j]! * t;
      a5 += X[o5 + j]! * t;
      a6 += X[o6 + j]! * t;
      a7 += X[o7 + j]! * t;
    }
    const e0 = (a0 - y[r0]!) * invS;
    const e1 = (a1 - y[r1]!) * invS;
    const e2 = (a2 - y[r2]!) * invS;
    const e3 = (a3 - y[r3]!) * invS;
    const e4 = (a4 - y[r4]!) * invS;
    const e5 = (a5 - y[r5]!) * invS;
    const e6 = (a6 - y[r6]!) * invS;
    const e7 = (a7 - y[r7]!) * invS;
    for (let j = 0; j < d; j++) {
      g[j] = g[j]! + e0 * X[o0 + j]! + e1 * X[o1 + j]! + e2 * X[o2 + j]! +
        e3 * X[o3 + j]! + e4 * X[o4 + j]! + e5 * X[o5 + j]! +
        e6 * X[o6 + j]! + e7 * X[o7 + j]!;
    }
  }
  for (; s < S; s++) {
    const r = idx[s]!;
    const row = r * d;
    let a = 0;
    for (let j = 0; j < d; j++) a += X[row + j]! * theta[o + j]!;
    const e = (a - y[r]!) * invS;
    for (let j = 0; j < d; j++) g[j]! += e * X[row + j]!;
  }
  let ss = 0;
  for (let j = 0; j < d; j++) {
    const tj = theta[o + j]!;
    const bj = beta * b[o + j]! + g[j]! + lam * tj;
    b[o + j] = bj;
    theta[o + j] = tj - eta * bj;
    ss += bj * bj;
  }
  return ss;
}
