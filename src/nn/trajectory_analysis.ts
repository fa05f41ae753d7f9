/**
 * Analysis of one SGD trajectory of a network around its start point (theory.md §4): speed plateau vs the
 * prediction η²·tr Σ/(S(1−β²)) with tr Σ from per-example gradients, the anomalous exponent c of
 * ‖θ_k − θ₀‖² ∝ k^c with a bootstrap interval, the top-k Hessian eigenpairs by Lanczos with
 * residuals and a Hutchinson trace, and projections of the checkpoints on the eigenvectors (isotropy,
 * velocity variance vs λᵢ, phase portraits, oscillation frequency). No file access: the caller hands in the
 * network at θ₀, the data subset, the per-step lean statistics and a checkpoint loader.
 *
 * @module
 */

import { blockBootstrapExponentCI } from "../analysis/fit_exponent.ts";
import type {
  BootstrapExponentCI,
  ExponentFit,
} from "../analysis/fit_exponent.ts";
import { fitExponent } from "../analysis/fit_exponent.ts";
import { meanFrequency } from "../analysis/fft.ts";
import {
  type HutchinsonResult,
  hutchinsonTrace,
} from "../analysis/hutchinson_trace.ts";
import { lanczosEigen } from "../analysis/lanczos_eigen.ts";
import {
  isotropyRatio,
  velocityVarianceSlope,
} from "../analysis/mode_projections.ts";
import {
  predictedSpeed,
  withoutReplacementFactor,
} from "../analysis/noise_cov_trace.ts";
import {
  type OscillationPrediction,
  oscillationPrediction,
} from "../analysis/oscillation_prediction.ts";
import { type SpeedPlateau, speedPlateau } from "../analysis/speed_plateau.ts";
import type { Rng } from "../random/rng.ts";
import { flattenParams } from "./flatten_params.ts";
import { type LossData, NetworkHessian } from "./hessian.ts";
import type { Network } from "./models/network.ts";
import { ParallelHessian } from "./parallel/parallel_hessian.ts";
import type { ModelSpec } from "./parallel/model_spec.ts";

/** Hyperparameters of the constant-η continuation. */
export interface RunHyperparameters {
  /** Learning rate η (> 0). */
  readonly eta: number;
  /** Momentum β (in [0, 1)). */
  readonly beta: number;
  /** Batch size S (integer ≥ 1). */
  readonly batchSize: number;
  /** Coupled weight decay λ (≥ 0). */
  readonly weightDecay: number;
}

/** Flattened trainable parameters θ_k and momentum buffers b_k of one checkpoint (flattenParams order). */
export interface CheckpointVectors {
  /** θ_k. */
  readonly theta: Float32Array;
  /** b_k. */
  readonly buffer: Float32Array;
}

/** Everything {@linkcode analyzeTrajectory} needs about one run. */
export interface TrajectoryRunInput {
  /** Run name (cell key). */
  readonly name: string;
  /** Continuation hyperparameters. */
  readonly hyperparameters: RunHyperparameters;
  /** Number N of training examples the run samples its batches from. */
  readonly datasetSize: number;
  /**
   * How batches were drawn: `"without-replacement"` (epoch shuffles; one batch's gradient covariance is
   * Σ/S·(N−S)/(N−1), and batches of an epoch are anti-correlated) or `"with-replacement"` (i.i.d., Σ/S).
   */
  readonly sampling: "without-replacement" | "with-replacement";
  /** Lean per-step columns, at least `step` (0…K−1), `dispSq` (‖θ_k − θ₀‖²) and `stepSq` (‖θ_{k+1} − θ_k‖²). */
  readonly lean: ReadonlyMap<string, Float64Array>;
  /** The network at θ₀ (parameters and BatchNorm running statistics of the start point); not modified. */
  readonly net: Network;
  /** Data subset for the Hessian and tr Σ. */
  readonly data: LossData;
  /** What the data are (dataset, split, normalisation, padding), for the notes. */
  readonly dataDescription?: string;
  /** Checkpoint steps (continuation-relative, ascending; 0 = θ₀). */
  readonly checkpointSteps: readonly number[];
  /** Reads one checkpoint. */
  readonly loadCheckpoint: (
    step: number,
  ) => Promise<CheckpointVectors> | CheckpointVectors;
  /**
   * Per-step projections recorded by the trajectory generator (lean columns `proj<i>` = vᵢᵀ(θ_k − θ₀)) with
   * the eigenvalues of their directions; used for the oscillation FFT (uniform sampling). Optional.
   */
  readonly stepProjections?: {
    readonly eigenvalues: readonly number[];
    readonly series: readonly Float64Array[];
  };
  /** Reads the network state of the last checkpoint into `net` and back (for tr Σ at the end); optional. */
  readonly withEndState?: <T>(fn: () => T) => Promise<T>;
}

/** Options of {@linkcode analyzeTrajectory}. */
export interface TrajectoryAnalysisOptions {
  /** Number k of top Hessian eigenpairs (integer ≥ 1). */
  readonly hessianK: number;
  /** Random source (Lanczos start vector, Hutchinson probes, bootstrap). */
  readonly rng: Rng;
  /** Monotonic clock in ms (for the cost numbers). */
  readonly now: () => number;
  /**
   * Examples per HVP pass (memory knob: a ResNet HVP tape grows with the batch and the wasm heap is limited
   * to a few GB). Default 50 for image inputs, 250 otherwise.
   */
  readonly hessianBatchSize?: number;
  /** Lanczos Krylov dimension (default min(d, max(4k, k + 40))). */
  readonly lanczosMaxIter?: number;
  /** Lanczos relative tolerance (default 1e-4, float32 operator). */
  readonly lanczosTol?: number;
  /** Hutchinson probes (default 10; 0 skips the trace). */
  readonly hutchinsonSamples?: number;
  /** Inclusive step window [kMin, kMax] of the exponent fit (default the last two thirds: [⌈K/3⌉, K−1]). */
  readonly exponentWindow?: readonly [number, number];
  /** Bootstrap resamples (default 1000). */
  readonly bootstrapResamples?: number;
  /**
   * Split the Lanczos and Hutchinson HVPs over this many wasm SIMD Workers ({@linkcode ParallelHessian}),
   * each building `spec` at the network's current state; default: all in this process.
   */
  readonly hvpWorkers?: { readonly spec: ModelSpec; readonly workers: number };
}

/** Speed part of a {@linkcode TrajectoryAnalysis}. */
export interface SpeedAnalysis {
  /** Steps k of `speeds`. */
  readonly steps: Float64Array;
  /** ‖θ_{k+1} − θ_k‖² per step. */
  readonly speeds: Float64Array;
  /** Plateau summary (tail half, batch means). */
  readonly plateau: SpeedPlateau;
  /** tr Σ at θ₀ from per-example gradients. */
  readonly traceSigma: number;
  /** Its standard error sd(‖gᵢ‖²)/√N. */
  readonly traceSigmaStderr: number;
  /** tr Σ at the last checkpoint (NaN when not measured). */
  readonly traceSigmaEnd: number;
  /** Examples behind tr Σ. */
  readonly sigmaExamples: number;
  /** η²·tr Σ/(S(1−β²)), times (N−S)/(N−1) for sampling without replacement. */
  readonly predicted: number;
  /** The sampling factor applied ((N−S)/(N−1) or 1). */
  readonly samplingFactor: number;
  /** η²‖∇L(θ₀) + λθ₀‖²/(1−β)²: the speed of the mean drift at θ₀ (not in the paper's prediction). */
  readonly driftSpeed: number;
  /** A-priori relative budget of the continuous prediction, and its parts. */
  readonly budget: number;
  /** Human-readable parts of the budget. */
  readonly budgetParts: readonly string[];
  /** Reason the prediction is not expected to hold (BatchNorm in training mode), or null. */
  readonly expectedBreak: string | null;
}

/** Exponent part of a {@linkcode TrajectoryAnalysis}. */
export interface ExponentAnalysis {
  /** Steps k ≥ 1 with ‖θ_k − θ₀‖². */
  readonly steps: Float64Array;
  /** ‖θ_k − θ₀‖². */
  readonly msd: Float64Array;
  /** OLS fit on the window (all steps in it). */
  readonly fit: ExponentFit;
  /** Moving-block residual bootstrap on log-spaced samples of the window. */
  readonly bootstrap: BootstrapExponentCI;
  /** The stated window. */
  readonly window: readonly [number, number];
}

/** Hessian part of a {@linkcode TrajectoryAnalysis}. */
export interface HessianAnalysis {
  /** Top-k eigenvalues λᵢ of H (descending). */
  readonly values: Float64Array;
  /** Unit eigenvectors. */
  readonly vectors: Float64Array[];
  /** Explicit residuals ‖H·uᵢ − λᵢuᵢ‖. */
  readonly residuals: Float64Array;
  /** Lanczos steps. */
  readonly iterations: number;
  /** Whether Lanczos met its tolerance. */
  readonly converged: boolean;
  /** Hessian-vector products used by Lanczos (incl. residuals). */
  readonly lanczosHvps: number;
  /** Wall time of Lanczos (ms). */
  readonly lanczosMs: number;
  /** Hutchinson estimate of tr H (null when skipped). */
  readonly trace: HutchinsonResult | null;
  /** Wall time of the Hutchinson estimate (ms). */
  readonly traceMs: number;
  /** Mean loss on the subset at θ₀. */
  readonly loss: number;
  /** Number of parameters d. */
  readonly dim: number;
  /** Examples in the subset. */
  readonly examples: number;
}

/** Projection part of a {@linkcode TrajectoryAnalysis}. */
export interface ProjectionAnalysis {
  /**
   * Where the series come from: "steps" — the generator's per-step projections on its stored directions
   * (velocities uᵢᵀb_k = uᵢᵀ(θ_{k−1} − θ_k)/η, exact for the SGD update θ_k = θ_{k−1} − ηb_k; b₀ = 0); or
   * "checkpoints" — the saved checkpoints projected on this analysis's Hessian eigenvectors.
   */
  readonly source: "steps" | "checkpoints";
  /** Eigenvalues of the directions uᵢ (the stored ones for "steps", this analysis's Ritz values otherwise). */
  readonly eigenvalues: readonly number[];
  /** Steps of the series (every step for "steps", the checkpoint steps otherwise). */
  readonly steps: readonly number[];
  /** uᵢᵀ(θ_k − θ₀) per mode i. */
  readonly positions: Float64Array[];
  /** uᵢᵀb_k per mode i. */
  readonly velocities: Float64Array[];
  /** Index of the first checkpoint of the stationary tail (step ≥ K/2). */
  readonly tailStart: number;
  /** max/min position variance over the modes in the tail (null with < 2 tail checkpoints). */
  readonly isotropyRatio: number | null;
  /** Position variances per mode in the tail. */
  readonly positionVariances: Float64Array | null;
  /** Velocity variances per mode in the tail. */
  readonly velocityVariances: Float64Array | null;
  /** Slope of ln Var(uᵢᵀb) on ln λᵢ over modes with λᵢ > 0 (prediction 1), with its standard error. */
  readonly velocitySlope: { slope: number; standardError: number } | null;
  /** Per mode: the oscillation prediction and the measured mean frequency (null without a uniform segment). */
  readonly oscillation: readonly {
    readonly prediction: OscillationPrediction | null;
    readonly measuredFrequency: number | null;
  }[];
  /** The longest uniformly spaced run of checkpoints used for the FFT: [first step, spacing, count]. */
  readonly uniformSegment: readonly [number, number, number] | null;
  /**
   * FFT of the generator's per-step projections over the tail k ≥ K/2 (null when the trajectory has none):
   * per direction its eigenvalue, the prediction and the measured mean frequency.
   */
  readonly stepOscillation:
    | readonly {
      readonly eigenvalue: number;
      readonly prediction: OscillationPrediction | null;
      readonly measuredFrequency: number | null;
    }[]
    | null;
}

/** Result of {@linkcode analyzeTrajectory}. */
export interface TrajectoryAnalysis {
  /** Run name. */
  readonly name: string;
  /** Hyperparameters. */
  readonly hyperparameters: RunHyperparameters;
  /** Number of continuation steps K with lean data. */
  readonly steps: number;
  /** Speed analysis. */
  readonly speed: SpeedAnalysis;
  /** Exponent analysis (null when the window has < 3 positive points). */
  readonly exponent: ExponentAnalysis | null;
  /** Hessian analysis. */
  readonly hessian: HessianAnalysis;
  /** Projections (null with < 2 checkpoints). */
  readonly projections: ProjectionAnalysis | null;
  /** Notes: data subset, loss, normalisation, windows, methods. */
  readonly notes: readonly string[];
}

function column(
  lean: ReadonlyMap<string, Float64Array>,
  name: string,
): Float64Array {
  const c = lean.get(name);
  if (c === undefined) {
    throw new TypeError(
      `Cannot analyse the trajectory as the lean statistics have no column "${name}"`,
    );
  }
  return c;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function variance(x: ArrayLike<number>, from: number): number {
  const n = x.length - from;
  let m = 0;
  for (let i = from; i < x.length; i++) m += x[i]!;
  m /= n;
  let s = 0;
  for (let i = from; i < x.length; i++) s += (x[i]! - m) ** 2;
  return s / (n - 1);
}

/** Longest run of equally spaced steps (≥ 2 entries): [start index, spacing, count]. */
function longestUniformRun(
  steps: readonly number[],
): [number, number, number] | null {
  let best: [number, number, number] | null = null;
  let i = 0;
  while (i + 1 < steps.length) {
    const d = steps[i + 1]! - steps[i]!;
    let j = i + 1;
    while (j + 1 < steps.length && steps[j + 1]! - steps[j]! === d) j++;
    const count = j - i + 1;
    if (best === null || count > best[2]) best = [i, d, count];
    i = j;
  }
  return best;
}

/** About 64 log-spaced indices into [from, to] (inclusive), unique. */
function logSpacedIndices(
  steps: Float64Array,
  from: number,
  to: number,
  count: number,
): number[] {
  const out: number[] = [];
  const lo = Math.log(Math.max(steps[from]!, 1));
  const hi = Math.log(Math.max(steps[to]!, 1));
  let j = from;
  for (let q = 0; q < count; q++) {
    const target = Math.exp(lo + ((hi - lo) * q) / Math.max(1, count - 1));
    while (j < to && steps[j]! < target) j++;
    if (out.length === 0 || out[out.length - 1] !== j) out.push(j);
  }
  return out;
}

/**
 * Runs every analysis of one trajectory: speed, exponent, Hessian, projections. The Hessian and tr Σ are
 * those of the mean cross-entropy over `input.data` at θ₀ with BatchNorm in evaluation mode (weight decay not
 * included in H; it enters the oscillation predictions as h = λᵢ + λ).
 *
 * @param input The run; see {@linkcode TrajectoryRunInput}.
 * @param options k, rng, clock and method settings; see {@linkcode TrajectoryAnalysisOptions}.
 * @returns The analyses and notes.
 * @throws {TypeError} When a lean column is missing or a checkpoint has the wrong length.
 * @throws {RangeError} When the run is too short to analyse (fewer than 4 steps).
 *
 * @example Logistic regression on 40 points
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { oneHot } from "../data/one_hot.ts";
 * import { Rng } from "../random/rng.ts";
 * import { registerRepairedKernels } from "./kernels/mod.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { runContinuation } from "./run_continuation.ts";
 * import { analyzeTrajectory } from "./trajectory_analysis.ts";
 *
 * registerRepairedKernels();
 * await tf.setBackend("cpu");
 * const rng = Rng.fromSeed(1n);
 * const n = 40;
 * const x = Float32Array.from({ length: 3 * n }, () => rng.normal());
 * const y = oneHot(Array.from({ length: n }, (_, i) => (x[3 * i]! > 0 ? 1 : 0)), 2);
 * const net = createMlp({ inputShape: [3], hidden: [], numClasses: 2 }, rng);
 * const hp = { eta: 0.05, beta: 0.9, batchSize: 8, weightDecay: 0 };
 * const run = runContinuation(net, { x, y, count: n }, { pretrain: { ...hp, steps: 50 }, hyperparameters: hp, steps: 40, rng });
 * const a = await analyzeTrajectory({
 *   name: "demo", hyperparameters: hp, datasetSize: n, sampling: "without-replacement", lean: run.lean, net,
 *   data: { x, y, count: n }, checkpointSteps: run.checkpointSteps, loadCheckpoint: (s) => run.checkpoints.get(s)!,
 * }, { hessianK: 2, rng, now: () => 0, hutchinsonSamples: 0 });
 * assert.ok(a.speed.predicted > 0 && a.speed.plateau.plateau > 0);
 * assert.ok(a.hessian.values[0]! >= a.hessian.values[1]! && a.hessian.residuals[0]! < 1e-3);
 * net.dispose();
 * ```
 */
export async function analyzeTrajectory(
  input: TrajectoryRunInput,
  options: TrajectoryAnalysisOptions,
): Promise<TrajectoryAnalysis> {
  const { eta, beta, batchSize, weightDecay } = input.hyperparameters;
  const { rng, now } = options;
  const notes: string[] = input.dataDescription ? [input.dataDescription] : [];
  const stepCol = column(input.lean, "step");
  const stepSq = column(input.lean, "stepSq");
  const dispSq = column(input.lean, "dispSq");
  const K = stepCol.length;
  if (K < 4) {
    throw new RangeError(
      `Cannot analyse the trajectory as it has fewer than 4 steps: ${K}`,
    );
  }

  const theta0 = Float64Array.from(flattenParams(input.net.params));

  // --- Hessian at θ₀ --------------------------------------------------------------------------------------
  const hvpBatchSize = options.hessianBatchSize ??
    (input.net.inputShape.length === 3 ? 50 : 250);
  const hess = new NetworkHessian(input.net, input.data, {
    batchSize: hvpBatchSize,
  });
  let hessian: HessianAnalysis;
  let sigma: ReturnType<NetworkHessian["noiseCovTrace"]>;
  let traceSigmaEnd = NaN;
  let pool: ParallelHessian | null = null;
  try {
    if (options.hvpWorkers !== undefined) {
      pool = await ParallelHessian.create(
        options.hvpWorkers.spec,
        {
          params: flattenParams(input.net.params),
          buffers: flattenParams(input.net.buffers),
        },
        input.data,
        {
          workers: Math.min(options.hvpWorkers.workers, input.data.count),
          batchSize: hvpBatchSize,
        },
      );
    }
    const workers = pool;
    const op = (v: Float64Array) =>
      workers === null ? hess.hvp(v) : workers.hvp(v);
    const loss = hess.loss();
    const t0 = now();
    const lz = await lanczosEigen(op, hess.dim, {
      k: Math.min(options.hessianK, hess.dim),
      rng,
      tol: options.lanczosTol ?? 1e-4,
      // ‖H·u − λu‖ from the stored HVPs (H·u = Σ s_j·H·q_j): no extra pass over the data per pair.
      residualMethod: "products",
      ...(options.lanczosMaxIter !== undefined
        ? { maxIter: Math.min(options.lanczosMaxIter, hess.dim) }
        : {}),
    });
    const lanczosMs = now() - t0;
    const samples = options.hutchinsonSamples ?? 10;
    const t1 = now();
    const trace = samples > 0
      ? await hutchinsonTrace(op, hess.dim, { samples, rng })
      : null;
    const traceMs = now() - t1;
    hessian = {
      values: lz.values,
      vectors: lz.vectors,
      residuals: lz.residuals,
      iterations: lz.iterations,
      converged: lz.converged,
      lanczosHvps: lz.operatorApplications,
      lanczosMs,
      trace,
      traceMs,
      loss,
      dim: hess.dim,
      examples: hess.count,
    };
    sigma = hess.noiseCovTrace();
    if (input.withEndState !== undefined) {
      traceSigmaEnd = await input.withEndState(() =>
        hess.noiseCovTrace().trace
      );
    }
  } finally {
    hess.dispose();
    pool?.terminate();
  }
  notes.push(
    `Hessian H = ∇² of the mean softmax cross-entropy over the first ${hessian.examples} training examples ` +
      `at θ₀ (continuation step 0), BatchNorm in evaluation mode (running statistics), weight decay not included ` +
      `(H of L_λ is H + λI); float32 tfjs HVPs (reverse-over-reverse${
        pool === null ? "" : `, split over ${pool.workers} wasm SIMD Workers`
      }), d = ${hessian.dim}; Lanczos with full ` +
      `reorthogonalisation, ${hessian.iterations} steps, residuals ‖H·u − λu‖ with H·u from the stored HVPs; Hutchinson ` +
      `${
        hessian.trace
          ? `${hessian.trace.values.length} Rademacher probes`
          : "skipped"
      }; loss at θ₀ ` +
      `${hessian.loss.toPrecision(6)}`,
  );

  // --- Speed -------------------------------------------------------------------------------------------
  let drift = 0;
  {
    const g = sigma.meanGradient;
    for (let i = 0; i < g.length; i++) {
      drift += (g[i]! + weightDecay * theta0[i]!) ** 2;
    }
  }
  const driftSpeed = (eta * eta * drift) / (1 - beta) ** 2;
  // Short runs (e.g. a pretraining-only folder analysed for its Hessian) get a shorter moving average.
  const plateau = speedPlateau(stepSq, {
    steps: stepCol,
    window: Math.min(15, K),
  });
  const n = sigma.count;
  const sn = sigma.squaredNorms;
  // Finite-population correction: tr Σ over all N examples the run samples from is exact (no sampling error).
  const fpc = input.datasetSize > 1
    ? Math.max(0, (input.datasetSize - n) / (input.datasetSize - 1))
    : 1;
  const traceSigmaStderr = n > 1 ? Math.sqrt((variance(sn, 0) / n) * fpc) : NaN;
  const samplingFactor = input.sampling === "without-replacement" &&
      input.datasetSize >= 2 && batchSize <= input.datasetSize
    ? withoutReplacementFactor(input.datasetSize, batchSize)
    : 1;
  const predicted = predictedSpeed({
    eta,
    beta,
    batchSize,
    traceSigma: sigma.trace,
  }) * samplingFactor;
  const h1 = Math.max(0, hessian.values[0]!) + weightDecay;
  const discretisation = (eta * h1) / (2 * (1 + beta));
  const sampling = 4 * traceSigmaStderr / sigma.trace;
  // A budget term claims the model holds up to that relative error; a term beyond MAX_TERM means the model's
  // assumption does not hold in this run, so it becomes an expected-break reason instead of widening the budget.
  const MAX_TERM = 0.5;
  const breaks: string[] = [];
  const budgetParts = [
    `discretisation ηh₁/(2(1+β)) = ${
      discretisation.toPrecision(3)
    } (h₁ = λ₁ + λ, the largest per-mode correction of §7.1)`,
  ];
  let budget = discretisation;
  if (discretisation > MAX_TERM) {
    budget = 0;
    budgetParts.length = 0;
    breaks.push(
      `ηh₁/(2(1+β)) = ${
        discretisation.toPrecision(3)
      } is not ≪ 1 (h₁ = λ₁ + λ; ηh₁ > 2(1+β) is unstable in the ` +
        `quadratic model): the continuous model does not apply along the sharpest direction`,
    );
  }
  const samplingText = `tr Σ sampling 4·se/trΣ = ${
    sampling.toPrecision(3)
  } (${n} of ${input.datasetSize} examples, finite-population corrected)`;
  if (!(sampling > MAX_TERM)) {
    budget += Number.isFinite(sampling) ? sampling : 0;
    budgetParts.push(samplingText);
  } else {
    breaks.push(`tr Σ is too uncertain: ${samplingText}`);
  }
  if (Number.isFinite(traceSigmaEnd)) {
    const change = Math.abs(traceSigmaEnd - sigma.trace) / sigma.trace;
    const text = `|trΣ(θ_end) − trΣ(θ₀)|/trΣ(θ₀) = ${
      change.toPrecision(3)
    } (both measured)`;
    if (change <= MAX_TERM) {
      budget += change;
      budgetParts.push(`Σ not frozen: ${text}`);
    } else {
      breaks.push(`Σ is far from frozen along the run: ${text}`);
    }
  }
  const hasBatchNorm = input.net.buffers.size > 0;
  if (hasBatchNorm) {
    breaks.push(
      "BatchNorm runs in training mode along the trajectory (batch statistics couple the examples of a batch) but tr Σ is measured per example in evaluation mode",
    );
  }
  if (input.sampling === "without-replacement") {
    const m = Math.floor(input.datasetSize / batchSize);
    const reshuffle = m > 1 ? (2 * beta) / ((1 - beta) * (m - 1)) : Infinity;
    if (reshuffle > budget) {
      breaks.push(
        `epoch shuffles anti-correlate the ${m} batches of an epoch (their noises sum to ~0), which lowers E‖b‖² ` +
          `below the i.i.d.-batch value by up to ≈ 2β/((1−β)(M−1)) = ${
            reshuffle.toPrecision(3)
          } (estimate, M = N/S)`,
      );
    }
  }
  if (driftSpeed > budget * predicted) {
    breaks.push(
      `θ₀ is not stationary: the mean-drift speed η²‖∇L+λθ₀‖²/(1−β)² at θ₀ is ${
        (driftSpeed / predicted).toPrecision(3)
      }× the noise prediction (the prediction assumes a stationary state)`,
    );
  }
  const expectedBreak = breaks.length > 0 ? breaks.join("; ") : null;
  notes.push(
    `Speed ‖θ_{k+1} − θ_k‖² from the lean statistics, K = ${K} steps; plateau = mean of the last half, batch-means ` +
      `standard error (${plateau.batches} batches); prediction η²·trΣ/(S(1−β²))` +
      (samplingFactor !== 1
        ? `·(N−S)/(N−1) (batches drawn without replacement, N = ${input.datasetSize})`
        : "") +
      ` with tr Σ of the per-example gradients at θ₀ (same subset and BatchNorm mode as H); budget = ${
        budgetParts.length > 0
          ? budgetParts.join(" + ")
          : "0 (the model does not apply: see the expected-break reasons)"
      }; drift speed η²‖∇L+λθ₀‖²/(1−β)² = ${
        driftSpeed.toPrecision(3)
      } reported separately`,
  );

  // --- Exponent ----------------------------------------------------------------------------------------
  const lastStep = stepCol[K - 1]!;
  const window: [number, number] = options.exponentWindow
    ? [options.exponentWindow[0], options.exponentWindow[1]]
    : [Math.max(1, Math.ceil(lastStep / 3)), lastStep];
  const msdSteps: number[] = [];
  const msdVals: number[] = [];
  for (let i = 0; i < K; i++) {
    if (stepCol[i]! >= 1 && dispSq[i]! > 0) {
      msdSteps.push(stepCol[i]!);
      msdVals.push(dispSq[i]!);
    }
  }
  const steps = Float64Array.from(msdSteps);
  const msd = Float64Array.from(msdVals);
  let exponent: ExponentAnalysis | null = null;
  const inWindow = msdSteps.filter((k) => k >= window[0] && k <= window[1]);
  if (inWindow.length >= 8) {
    const fit = fitExponent(steps, msd, { window });
    const from = msdSteps.indexOf(inWindow[0]!);
    const to = msdSteps.indexOf(inWindow[inWindow.length - 1]!);
    const idx = logSpacedIndices(steps, from, to, 64);
    const bs = Float64Array.from(idx, (i) => steps[i]!);
    const bm = Float64Array.from(idx, (i) => msd[i]!);
    const bootstrap = blockBootstrapExponentCI(bs, bm, {
      rng,
      blockLength: Math.max(2, Math.round(Math.cbrt(idx.length) * 2)),
      resamples: options.bootstrapResamples ?? 1000,
    });
    exponent = { steps, msd, fit, bootstrap, window };
    notes.push(
      `Exponent c: OLS of ln‖θ_k − θ₀‖² on ln k over the window k ∈ [${
        window[0]
      }, ${
        window[1]
      }] (${fit.points} steps); 95 % interval by a moving-block residual bootstrap on ${bootstrap.points} ` +
        `log-spaced samples of the window (block length ${bootstrap.blockLength}, ${bootstrap.resamples} resamples); ` +
        `residuals along one trajectory are correlated beyond a block, so the interval is a lower bound on the uncertainty`,
    );
  } else {
    notes.push(
      `Exponent c: not fitted, fewer than 8 steps with ‖θ_k − θ₀‖² > 0 in the window [${
        window[0]
      }, ${window[1]}]`,
    );
  }

  // --- Projections -------------------------------------------------------------------------------------
  let projections: ProjectionAnalysis | null = null;
  const sp = input.stepProjections;
  const perStep = sp !== undefined && sp.series.length > 0;
  const ckSteps = perStep
    ? Array.from({ length: K }, (_, i) => stepCol[i]!)
    : input.checkpointSteps.filter((s) => s <= lastStep + 1);
  if (ckSteps.length >= 2) {
    const eigenvalues = perStep ? [...sp!.eigenvalues] : [...hessian.values];
    const k = eigenvalues.length;
    let positions: Float64Array[];
    let velocities: Float64Array[];
    if (perStep) {
      positions = sp!.series.map((x) => Float64Array.from(x.subarray(0, K)));
      velocities = positions.map((x) =>
        x.map((v, i) => (i === 0 ? 0 : (x[i - 1]! - v) / eta))
      );
    } else {
      positions = Array.from(
        { length: k },
        () => new Float64Array(ckSteps.length),
      );
      velocities = Array.from(
        { length: k },
        () => new Float64Array(ckSteps.length),
      );
      const delta = new Float64Array(theta0.length);
      for (let c = 0; c < ckSteps.length; c++) {
        const { theta, buffer } = await input.loadCheckpoint(ckSteps[c]!);
        if (
          theta.length !== theta0.length || buffer.length !== theta0.length
        ) {
          throw new TypeError(
            `Cannot project checkpoint ${
              ckSteps[c]
            } as it has ${theta.length} parameters and ${buffer.length} buffer values, expected ${theta0.length}`,
          );
        }
        for (let i = 0; i < delta.length; i++) {
          delta[i] = theta[i]! - theta0[i]!;
        }
        for (let m = 0; m < k; m++) {
          const u = hessian.vectors[m]!;
          positions[m]![c] = dot(u, delta);
          velocities[m]![c] = dot(u, buffer);
        }
      }
    }
    const tailStart = Math.max(
      0,
      ckSteps.findIndex((s) => s >= lastStep / 2),
    );
    const tailCount = ckSteps.length - tailStart;
    let iso: number | null = null;
    let posVar: Float64Array | null = null;
    let velVar: Float64Array | null = null;
    let slope: { slope: number; standardError: number } | null = null;
    if (tailCount >= 3) {
      const r = isotropyRatio(positions, tailStart);
      iso = r.ratio;
      posVar = r.variances;
      velVar = Float64Array.from(velocities, (v) => variance(v, tailStart));
      const pos: number[] = [];
      const lam: number[] = [];
      eigenvalues.forEach((l, i) => {
        if (l > 0 && velVar![i]! > 0) {
          pos.push(velVar![i]!);
          lam.push(l);
        }
      });
      if (new Set(lam).size >= 2) {
        const s = velocityVarianceSlope(pos, lam);
        slope = { slope: s.slope, standardError: s.standardError };
      }
    }
    const run = longestUniformRun(ckSteps);
    const useFft = run !== null && run[2] >= 16;
    const oscillation = eigenvalues.map((l, m) => {
      const prediction = l + weightDecay > 0
        ? oscillationPrediction(l, { eta, beta, weightDecay })
        : null;
      let measured: number | null = null;
      if (useFft) {
        const seg = positions[m]!.subarray(run![0], run![0] + run![2]);
        try {
          measured = meanFrequency(seg, eta * run![1]);
        } catch {
          measured = null;
        }
      }
      return { prediction, measuredFrequency: measured };
    });
    let stepOscillation: ProjectionAnalysis["stepOscillation"] = null;
    if (perStep) {
      const from = Math.floor(K / 2);
      stepOscillation = sp!.series.map((series, i) => {
        const l = sp!.eigenvalues[i]!;
        let measured: number | null = null;
        try {
          measured = meanFrequency(series.subarray(from, K), eta);
        } catch {
          measured = null;
        }
        return {
          eigenvalue: l,
          prediction: l + weightDecay > 0
            ? oscillationPrediction(l, { eta, beta, weightDecay })
            : null,
          measuredFrequency: measured,
        };
      });
      notes.push(
        `Oscillation (per-step projections of the generator on ${
          sp!.series.length
        } directions): amplitude-weighted ` +
          `mean rfft frequency of vᵢᵀ(θ_k − θ₀) over steps [${from}, ${
            K - 1
          }] (cycles per unit time t = ηk) vs ` +
          `φᵢ/(2πη) from the stored eigenvalues`,
      );
    }
    projections = {
      source: perStep ? "steps" : "checkpoints",
      eigenvalues,
      stepOscillation,
      steps: ckSteps,
      positions,
      velocities,
      tailStart,
      isotropyRatio: iso,
      positionVariances: posVar,
      velocityVariances: velVar,
      velocitySlope: slope,
      oscillation,
      uniformSegment: run === null ? null : [ckSteps[run[0]]!, run[1], run[2]],
    };
    notes.push(
      (perStep
        ? `Projections uᵢᵀ(θ_k − θ₀) at every step on the generator's ${k} stored directions (Hessian ` +
          `eigenvectors at θ₀ with the manifest's eigenvalues) and uᵢᵀb_k = uᵢᵀ(θ_{k−1} − θ_k)/η; ` +
          `variances over the ${tailCount} steps with k ≥ K/2 (tail); `
        : `Projections uᵢᵀ(θ_k − θ₀) and uᵢᵀb_k on the ${k} Hessian eigenvectors at ${ckSteps.length} checkpoints; ` +
          `variances over the ${tailCount} checkpoints with k ≥ K/2 (tail); `) +
        (useFft
          ? `oscillation frequency = amplitude-weighted mean rfft frequency (cycles per unit time t = ηk) of the position ` +
            `projection over ${run![2]} checkpoints spaced ${
              run![1]
            } step(s) from step ${
              ckSteps[run![0]]
            }, vs the exact discrete prediction φᵢ/(2πη) (h = λᵢ + λ); the mean-frequency statistic lies above a single line's peak (see fft.ts)`
          : `no uniformly spaced run of ≥ 16 checkpoints: oscillation frequencies not measured (run the trajectory with per-step projections)`),
    );
  } else {
    notes.push("Projections: fewer than 2 checkpoints");
  }

  return {
    name: input.name,
    hyperparameters: input.hyperparameters,
    steps: K,
    speed: {
      steps: stepCol,
      speeds: stepSq,
      plateau,
      traceSigma: sigma.trace,
      traceSigmaStderr,
      traceSigmaEnd,
      sigmaExamples: n,
      predicted,
      samplingFactor,
      driftSpeed,
      budget,
      budgetParts,
      expectedBreak,
    },
    exponent,
    hessian,
    projections,
    notes,
  };
}
