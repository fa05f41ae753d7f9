/**
 * Oscillation thresholds and frequencies of a mode, continuous model vs exact discrete recursion
 * (theory.md §4.3, C9). Weight decay in `hp` is ignored: pass h = λ_i + λ.
 *
 * @module
 */
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";
import { checkH } from "./_mode_kernels.ts";

/**
 * Continuous-model oscillation threshold on the curvature: the mean of a mode oscillates iff
 * h > (1−β)²/(2η(1+β)) (ω > γ).
 *
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns The threshold h*.
 * @throws {RangeError} If a hyperparameter is out of range.
 *
 * @example Usage
 * ```ts
 * import { continuousOscillationThreshold } from "./oscillations.ts";
 * import assert from "node:assert/strict";
 *
 * // ResNet-18 default (η = 1e-4, β = 0.9): h* ≈ 26.3 (theory.md §4.3).
 * assert.ok(Math.abs(continuousOscillationThreshold({ eta: 1e-4, beta: 0.9, batchSize: 256 }) - 26.3158) < 1e-4);
 * ```
 */
export function continuousOscillationThreshold(hp: Hyperparameters): number {
  validateHyperparameters(hp, "compute oscillation threshold");
  const { eta, beta } = hp;
  return (1 - beta) ** 2 / (2 * eta * (1 + beta));
}

/**
 * Continuous-model rotation angle per step ηΩ = √(2ηh/(1+β) − ((1−β)/(1+β))²) of an underdamped mode; 0 for a
 * critically or overdamped mode (no oscillation of the mean).
 *
 * @param h Total curvature h = λ_i + λ (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns Angle per step in radians (≥ 0).
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { continuousAnglePerStep } from "./oscillations.ts";
 * import assert from "node:assert/strict";
 *
 * // λ₁ ≈ 52.8 at η = 1e-4, β = 0.9: ≈ 0.053 rad/step (theory.md §4.3).
 * assert.ok(Math.abs(continuousAnglePerStep(52.8, { eta: 1e-4, beta: 0.9, batchSize: 1 }) - 0.0527) < 5e-4);
 * ```
 */
export function continuousAnglePerStep(h: number, hp: Hyperparameters): number {
  validateHyperparameters(hp, "compute oscillation frequency");
  checkH(h, "compute oscillation frequency");
  const { eta, beta } = hp;
  const v = 2 * eta * h / (1 + beta) - ((1 - beta) / (1 + beta)) ** 2;
  return v > 0 ? Math.sqrt(v) : 0;
}

/** Characterisation of the discrete characteristic roots z² − (1+β−ηh)z + β = 0. */
export interface DiscreteOscillation {
  /** True iff the roots are complex: (1−√β)² < ηh < (1+√β)² (the mean oscillates). */
  readonly complex: boolean;
  /** Rotation angle per step of the dominant root in [0, π]: arccos((1+β−ηh)/(2√β)) if complex, else 0 or π. */
  readonly anglePerStep: number;
  /** Spectral radius max |z| (√β when complex; ≥ 1 means unstable). */
  readonly modulus: number;
}

/**
 * Exact discrete oscillation of the mean of a mode (heavy ball): roots of z² − (1+β−ηh)z + β = 0
 * (theory.md §4.3).
 *
 * @param h Total curvature h = λ_i + λ (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns `{ complex, anglePerStep, modulus }`.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { discreteOscillation } from "./oscillations.ts";
 * import assert from "node:assert/strict";
 *
 * const r = discreteOscillation(1, { eta: 0.1, beta: 0.81, batchSize: 1 });
 * assert.equal(r.complex, true);
 * assert.ok(Math.abs(r.modulus - 0.9) < 1e-15);
 * assert.ok(Math.abs(r.anglePerStep - Math.acos(1.71 / 1.8)) < 1e-15);
 * ```
 */
export function discreteOscillation(
  h: number,
  hp: Hyperparameters,
): DiscreteOscillation {
  validateHyperparameters(hp, "compute discrete oscillation");
  checkH(h, "compute discrete oscillation");
  const { eta, beta } = hp;
  const p = 1 + beta - eta * h;
  const disc = p * p - 4 * beta;
  if (disc < 0) {
    const sb = Math.sqrt(beta);
    const c = Math.min(1, Math.max(-1, p / (2 * sb)));
    return { complex: true, anglePerStep: Math.acos(c), modulus: sb };
  }
  // Real roots (p ± √disc)/2; the dominant one has the sign of p.
  const big = (Math.abs(p) + Math.sqrt(disc)) / 2;
  return { complex: false, anglePerStep: p >= 0 ? 0 : Math.PI, modulus: big };
}
