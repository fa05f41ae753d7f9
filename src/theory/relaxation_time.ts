/**
 * Time scales of one Hessian eigen-mode of heavy-ball SGD in steps: the slowest decay time of the exact discrete
 * AR(2) recursion x_{k+1} = (1+β−ηh)x_k − βx_{k−1} (theory.md §7.1) and the momentum build-up time
 * (1+β)/(2(1−β)) (theory.md §7.2), used to size burn-ins, checkpoint gaps and fit windows.
 *
 * @module
 */
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";
import { checkH } from "./_mode_kernels.ts";

/**
 * Slowest decay time of a mode of the discrete recursion in steps: −1/ln ρ, with ρ the largest modulus of the
 * roots of z² − (1+β−ηh)z + β (theory.md §7.1). Complex roots have ρ = √β.
 *
 * @param h Total curvature h = λ_i + λ (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1); weight decay is ignored.
 * @returns τ = −1/ln ρ in steps (≥ 0); 0 if ρ = 0; Infinity if ρ ≥ 1 (marginal or unstable mode).
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { relaxationSteps } from "./relaxation_time.ts";
 * import assert from "node:assert/strict";
 *
 * // β = 0: x_{k+1} = (1 − ηh)x_k decays by ρ = |1 − ηh| = 0.9 per step.
 * const tau = relaxationSteps(1, { eta: 0.1, beta: 0, batchSize: 1 });
 * assert.ok(Math.abs(tau + 1 / Math.log(0.9)) < 1e-12);
 * ```
 */
export function relaxationSteps(h: number, hp: Hyperparameters): number {
  validateHyperparameters(hp, "compute relaxation steps");
  checkH(h, "compute relaxation steps");
  const beta = hp.beta;
  const tr = 1 + beta - hp.eta * h;
  const disc = tr * tr - 4 * beta;
  const rho = disc < 0 ? Math.sqrt(beta) : Math.max(
    Math.abs((tr + Math.sqrt(disc)) / 2),
    Math.abs((tr - Math.sqrt(disc)) / 2),
  );
  if (rho >= 1) return Infinity;
  return rho <= 0 ? 0 : -1 / Math.log(rho);
}

/**
 * Slowest {@linkcode relaxationSteps} over several modes: max_i τ(h_i).
 *
 * @param h Total curvatures h_i = λ_i + λ (≥ 0), at least one.
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1); weight decay is ignored.
 * @returns max_i τ(h_i) in steps.
 * @throws {RangeError} If an argument is out of range or h is empty.
 *
 * @example Usage
 * ```ts
 * import { relaxationSteps, slowestRelaxationSteps } from "./relaxation_time.ts";
 * import assert from "node:assert/strict";
 *
 * const hp = { eta: 0.1, beta: 0.5, batchSize: 1 };
 * assert.equal(slowestRelaxationSteps([0.5, 2, 8], hp), relaxationSteps(0.5, hp));
 * ```
 */
export function slowestRelaxationSteps(
  h: ArrayLike<number>,
  hp: Hyperparameters,
): number {
  if (h.length === 0) {
    throw new RangeError(
      "Cannot compute slowest relaxation steps as no curvatures are given: current length is 0",
    );
  }
  let tau = 0;
  for (let i = 0; i < h.length; i++) {
    tau = Math.max(tau, relaxationSteps(h[i]!, hp));
  }
  return tau;
}

/**
 * Momentum build-up time k_b = (1+β)/(2(1−β)) in steps: 1/(ηΓ), the velocity relaxation time of the continuous
 * model (friction Γ = 2(1−β)/(η(1+β))), over which the discrete momentum buffer builds up and the continuous model does not
 * yet apply (theory.md §7.2).
 *
 * @param beta Momentum β ∈ [0, 1).
 * @returns k_b (≥ 1/2) in steps.
 * @throws {RangeError} If β is out of range.
 *
 * @example Usage
 * ```ts
 * import { momentumBuildUpSteps } from "./relaxation_time.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(momentumBuildUpSteps(0.9) - 9.5) < 1e-12);
 * ```
 */
export function momentumBuildUpSteps(beta: number): number {
  if (typeof beta !== "number" || !(beta >= 0) || !(beta < 1)) {
    throw new RangeError(
      `Cannot compute momentum build-up steps as beta must be in [0, 1): current value is ${beta}`,
    );
  }
  return (1 + beta) / (2 * (1 - beta));
}
