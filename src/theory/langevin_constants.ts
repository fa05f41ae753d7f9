/**
 * Constants of the underdamped Langevin (modified-equation) model of momentum SGD (theory.md §2).
 *
 * @module
 */
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";

/** The constants of {@linkcode langevinConstants}. */
export interface LangevinConstants {
  /** Mass m = η(1+β)/2. */
  readonly mass: number;
  /** Friction coefficient Γ = 2(1−β)/(η(1+β)) = (1−β)/m. */
  readonly friction: number;
  /** Amplitude damping rate γ = Γ/2 = (1−β)/(η(1+β)) (the official code's `gamma`). */
  readonly gamma: number;
  /** Position temperature T_θ = η/(2S(1−β)): stationary Cov θ = T_θ H_λ⁻¹Σ when [Σ, H] = 0. */
  readonly tempTheta: number;
  /** Velocity temperature T_v = 1/(S(1−β²)): stationary Cov v = T_v Σ. */
  readonly tempV: number;
  /** Velocity diffusion factor 2/(ηS(1+β)²): D_v = factor·Σ (Fokker–Planck convention ∇·(D∇p)). */
  readonly velocityDiffusionFactor: number;
}

/**
 * Mass, friction, damping rate, temperatures and velocity-diffusion factor of the Langevin model
 * m θ̈ + (1−β) θ̇ = −∇L_λ − ξ with t = ηk (theory.md §2.1–2.2). Note T_θ / T_v = m.
 *
 * @param hp Hyperparameters: eta η (> 0), beta β ∈ [0, 1), batchSize S (≥ 1); weightDecay is not used.
 * @returns The constants.
 * @throws {RangeError} If a hyperparameter is out of range.
 *
 * @example Usage
 * ```ts
 * import { langevinConstants } from "./langevin_constants.ts";
 * import assert from "node:assert/strict";
 *
 * const c = langevinConstants({ eta: 0.1, beta: 0.5, batchSize: 2 });
 * assert.ok(Math.abs(c.mass - 0.075) < 1e-15);
 * assert.ok(Math.abs(c.tempTheta / c.tempV - c.mass) < 1e-15);
 * ```
 */
export function langevinConstants(hp: Hyperparameters): LangevinConstants {
  validateHyperparameters(hp, "compute Langevin constants");
  const { eta, beta, batchSize: s } = hp;
  return {
    mass: eta * (1 + beta) / 2,
    friction: 2 * (1 - beta) / (eta * (1 + beta)),
    gamma: (1 - beta) / (eta * (1 + beta)),
    tempTheta: eta / (2 * s * (1 - beta)),
    tempV: 1 / (s * (1 - beta * beta)),
    velocityDiffusionFactor: 2 / (eta * s * (1 + beta) ** 2),
  };
}
