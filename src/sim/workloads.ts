/**
 * Timing workloads W1 (Gaussian-mode heavy-ball) and W2 (minibatch linear regression) for throughput
 * benchmarks. Pure: the clock comes in as an argument.
 *
 * @module
 */

import { Rng } from "../random/rng.ts";
import {
  powerLawEigenvalues,
  syntheticRegressionData,
} from "./linear_regression_data.ts";
import { simulateQuadraticSgd } from "./simulate_quadratic_sgd.ts";
import { simulateRegressionSgd } from "./simulate_regression_sgd.ts";

/** Work done and wall time of one timed workload run. */
export interface WorkloadTiming {
  /** W1: mode-updates (modes·chains·steps); W2: chain-steps (chains·steps). */
  readonly updates: number;
  /** Elapsed milliseconds of the timed part, measured with the given clock. */
  readonly elapsedMs: number;
}

/** Options of {@linkcode runQuadraticWorkload}. */
export interface QuadraticWorkloadOptions {
  /** "fast" (ziggurat, default) or "peer" (the plain Box–Muller `Rng.fillNormal` loop). */
  readonly variant?: "fast" | "peer";
  /** Number of modes (default 1000). */
  readonly modes?: number;
  /** Number of chains (default 1000). */
  readonly chains?: number;
  /** Seed (default 1n). */
  readonly seed?: bigint;
}

/**
 * W1: heavy-ball SGD on Gaussian-noise quadratic modes, η = 0.1, β = 0.9, S = 1, λ = 0, eigenvalues
 * λ_i = (i+1)^(−1) (so ηh ≤ 0.1), diagonal noise s_i = λ_i, from the minimum; no recorders. Times one
 * {@linkcode simulateQuadraticSgd} call (including its allocation of 2·modes·chains doubles).
 *
 * @param steps Number of SGD steps (≥ 0).
 * @param now Clock in milliseconds (e.g. `performance.now`).
 * @param options Variant and size.
 * @returns Mode-updates performed and elapsed milliseconds.
 * @throws {Error} If the workload unexpectedly diverges.
 *
 * @example Usage
 * ```ts
 * import { runQuadraticWorkload } from "./workloads.ts";
 * import assert from "node:assert/strict";
 *
 * let t = 0;
 * const r = runQuadraticWorkload(2, () => t++, { modes: 10, chains: 3 });
 * assert.equal(r.updates, 60);
 * assert.equal(r.elapsedMs, 1);
 * ```
 */
export function runQuadraticWorkload(
  steps: number,
  now: () => number,
  options: QuadraticWorkloadOptions = {},
): WorkloadTiming {
  const modes = options.modes ?? 1000;
  const chains = options.chains ?? 1000;
  const eigenvalues = powerLawEigenvalues(modes, 1, 1);
  const rng = Rng.fromSeed(options.seed ?? 1n);
  const t0 = now();
  const res = simulateQuadraticSgd({
    eigenvalues,
    eta: 0.1,
    beta: 0.9,
    batchSize: 1,
    noiseVariances: eigenvalues,
    chains,
    steps,
    normals: options.variant === "peer" ? "box-muller" : "ziggurat",
  }, rng);
  const elapsedMs = now() - t0;
  if (res.status !== "ok") {
    throw new Error(
      `Cannot time W1 as the run diverged at step ${res.divergedAtStep}`,
    );
  }
  return { updates: modes * chains * steps, elapsedMs };
}

/** Options of {@linkcode runRegressionWorkload}. */
export interface RegressionWorkloadOptions {
  /** Number of features d (default 256). */
  readonly dim?: number;
  /** Number of examples N (default 8192). */
  readonly samples?: number;
  /** Batch size S (default 32). */
  readonly batchSize?: number;
  /** Number of chains (default 256). */
  readonly chains?: number;
  /** Storage type of the data (default "float64"; float32 data is widened once inside the simulator). */
  readonly dtype?: "float64" | "float32";
  /** Seed (default 1n). */
  readonly seed?: bigint;
}

/**
 * W2: minibatch linear regression, d = 256, N = 8192, S = 32, 256 chains, sampling with replacement,
 * η = 0.01, β = 0.9, λ = 1e-4, Gaussian features with power-law spectrum λ_i = (i+1)^(−1), label noise σ = 0.5.
 * The data are generated outside the timed part; one {@linkcode simulateRegressionSgd} call is timed.
 *
 * @param steps Number of SGD steps per chain (≥ 0).
 * @param now Clock in milliseconds (e.g. `performance.now`).
 * @param options Size.
 * @returns Chain-steps performed and elapsed milliseconds.
 * @throws {Error} If the workload unexpectedly diverges.
 *
 * @example Usage
 * ```ts
 * import { runRegressionWorkload } from "./workloads.ts";
 * import assert from "node:assert/strict";
 *
 * let t = 0;
 * const r = runRegressionWorkload(3, () => t++, { dim: 4, samples: 64, batchSize: 8, chains: 2 });
 * assert.equal(r.updates, 6);
 * assert.equal(r.elapsedMs, 1);
 * ```
 */
export function runRegressionWorkload(
  steps: number,
  now: () => number,
  options: RegressionWorkloadOptions = {},
): WorkloadTiming {
  const dim = options.dim ?? 256;
  const samples = options.samples ?? 8192;
  const chains = options.chains ?? 256;
  const rng = Rng.fromSeed(options.seed ?? 1n);
  const data = syntheticRegressionData({
    samples,
    eigenvalues: powerLawEigenvalues(dim, 1, 1),
    labelNoise: 0.5,
    dtype: options.dtype ?? "float64",
  }, rng);
  const t0 = now();
  const res = simulateRegressionSgd({
    features: data.features,
    labels: data.labels,
    dim,
    eta: 0.01,
    beta: 0.9,
    batchSize: options.batchSize ?? 32,
    weightDecay: 1e-4,
    chains,
    steps,
  }, rng);
  const elapsedMs = now() - t0;
  if (res.status !== "ok") {
    throw new Error(
      `Cannot time W2 as the run diverged at step ${res.divergedAtStep}`,
    );
  }
  return { updates: chains * steps, elapsedMs };
}
