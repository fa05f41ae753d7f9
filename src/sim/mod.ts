/**
 * SGD simulators: ensembles of independent heavy-ball (PyTorch-form) SGD chains on Gaussian-noise quadratics in
 * the Hessian eigenbasis and on real minibatch linear regression, with on-the-fly ensemble recorders, divergence
 * detection, synthetic regression data, and timing workloads.
 *
 * @example Usage
 * ```ts
 * import { simulateQuadraticSgd } from "./mod.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * const res = simulateQuadraticSgd({
 *   eigenvalues: [1, 2], eta: 0.1, beta: 0.9, batchSize: 4, noiseVariances: [1, 1],
 *   chains: 10, steps: 50, record: { steps: [0, 49] },
 * }, Rng.fromSeed(1n));
 * assert.equal(res.status, "ok");
 * assert.equal(res.record.msd[0], 0);
 * ```
 *
 * @module
 */
export * from "./sgd_result.ts";
export * from "./simulate_quadratic_sgd.ts";
export * from "./simulate_regression_sgd.ts";
export * from "./linear_regression_data.ts";
export * from "./workloads.ts";
export * from "./log_spaced_steps.ts";
export * from "./stationary_start.ts";
