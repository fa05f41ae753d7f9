/**
 * The Langevin theory engine: closed-form and exact discrete-time predictions for heavy-ball SGD with coupled
 * weight decay (PyTorch form b_{k+1} = βb_k + ĝ_k, θ_{k+1} = θ_k − ηb_{k+1}) on a noisy quadratic with Hessian H
 * and gradient-noise covariance Σ (commuting or not), after Kunin et al., "The limiting dynamics of SGD"
 * (theory.md §2–4, §7.1). Pure TypeScript on Float64Array.
 *
 * - Per-mode array functions (h_i = λ_i + λ, s_i = u_iᵀΣu_i) never build d×d matrices: use them for large
 *   diagonal problems (`modeStationaryVariances`, `discreteModeStationary`, MSD, speed, error budget).
 * - Matrix functions take a validated {@linkcode QuadraticModel} and return results in the original parameter
 *   basis (or the H eigenbasis with `{ basis: "eigen" }`).
 * - Continuous velocity is v = θ̇ (= −b); the discrete state uses the PyTorch buffer b.
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import {
 *   continuousSpeed,
 *   discreteSpeed,
 *   discreteStationaryCovariance,
 *   isStable,
 *   quadraticModel,
 *   stationaryCovarianceClosedForm,
 * } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const model = quadraticModel({ hessian: diag([0.5, 5]), noiseCov: diag([1, 2]), eta: 0.02, beta: 0.9, batchSize: 8 });
 * assert.equal(isStable(model), true);
 * const cont = stationaryCovarianceClosedForm(model);
 * const exact = discreteStationaryCovariance(model);
 * assert.ok(exact.position.data[3]! > cont.position.data[3]!); // discrete variance = continuous × c_h
 * const h = model.curvatures, s = model.noiseDiag;
 * assert.ok(discreteSpeed(h, s, model) > continuousSpeed(s, model));
 * ```
 *
 * @module
 */
export * from "./hyperparameters.ts";
export * from "./langevin_constants.ts";
export * from "./quadratic_model.ts";
export * from "./continuous_mode.ts";
export * from "./continuous_covariance.ts";
export * from "./fokker_planck.ts";
export * from "./oscillations.ts";
export * from "./discrete_mode.ts";
export * from "./discrete_covariance.ts";
export * from "./msd.ts";
export * from "./speed.ts";
export * from "./error_budget.ts";
export * from "./regression_noise.ts";
export * from "./relaxation_time.ts";
