/**
 * Predicted oscillation of one Hessian mode under heavy-ball SGD (theory.md §4.3, prediction C9): continuous
 * angle per step ηΩᵢ and threshold, and the exact discrete angle arccos((1+β−ηh)/(2√β)) with its thresholds.
 * The discrete roots come from src/theory ({@linkcode discreteOscillation}); the continuous formulas stay here
 * because this function also accepts negative momentum β ∈ (−1, 0), outside src/theory's β ∈ [0, 1).
 *
 * @module
 */

import { discreteOscillation } from "../theory/oscillations.ts";
import { checkMomentum, checkPositive } from "./_validate.ts";

/** Hyperparameters of {@linkcode oscillationPrediction}. */
export interface OscillationHyperparameters {
  /** Learning rate η (> 0). */
  readonly eta: number;
  /** Momentum β (in (−1, 1); the discrete angle needs β > 0). */
  readonly beta: number;
  /** Weight decay λ (≥ 0, default 0); the mode curvature is h = eigenvalue + λ. */
  readonly weightDecay?: number;
}

/** Result of {@linkcode oscillationPrediction}. */
export interface OscillationPrediction {
  /** Curvature h = λᵢ + λ. */
  readonly h: number;
  /** Continuous threshold on h: the mode oscillates iff h > (1−β)²/(2η(1+β)). */
  readonly continuousThreshold: number;
  /** Continuous angle per step ηΩ = √(2ηh/(1+β) − ((1−β)/(1+β))²) rad, NaN when not oscillating. */
  readonly continuousAngle: number;
  /** Continuous amplitude decay per step (1−β)/(1+β) = ηγ (same for all underdamped modes). */
  readonly continuousDecayPerStep: number;
  /** Discrete thresholds on h: complex roots iff (1−√β)²/η < h < (1+√β)²/η (NaN, NaN for β ≤ 0). */
  readonly discreteThresholds: readonly [number, number];
  /**
   * Exact discrete angle per step φ = arccos((1+β−ηh)/(2√β)) of the roots of z² − (1+β−ηh)z + β = 0, NaN when
   * they are real (above the upper threshold the dominant root is negative: a period-2 sign flip).
   */
  readonly discreteAngle: number;
  /** Modulus of the complex roots √β (NaN when they are real). */
  readonly discreteRadius: number;
  /** Whether the continuous model predicts oscillation. */
  readonly oscillatesContinuous: boolean;
  /** Whether the discrete roots are complex. */
  readonly oscillatesDiscrete: boolean;
  /** continuousAngle/(2πη): cycles per unit time t = ηk, comparable with {@linkcode meanFrequency}(x, η). */
  readonly continuousFrequency: number;
  /** discreteAngle/(2πη), same units. */
  readonly discreteFrequency: number;
}

/**
 * Oscillation angle per step and thresholds for a Hessian eigen-direction with eigenvalue λᵢ under SGD with
 * momentum and coupled weight decay (theory.md §4.3): continuous modified-equation model and exact discrete
 * heavy-ball recursion x_{k+1} = (1+β−ηh)x_k − βx_{k−1}. They agree for β → 1 and ηh ≪ 1.
 *
 * @param eigenvalue Hessian eigenvalue λᵢ (finite; h = λᵢ + λ must be > 0).
 * @param hp eta, beta, weightDecay.
 * @returns Angles, thresholds, frequencies and flags.
 * @throws {RangeError} If a value is out of range or h ≤ 0.
 *
 * @example ResNet-18 numbers of theory.md §4.3
 * ```ts
 * import { oscillationPrediction } from "./oscillation_prediction.ts";
 * import assert from "node:assert/strict";
 *
 * const p = oscillationPrediction(52.8, { eta: 1e-4, beta: 0.9 });
 * assert.ok(Math.abs(p.continuousThreshold - 26.3) < 0.05);
 * assert.ok(Math.abs(p.continuousAngle - 0.053) < 0.001);
 * assert.ok(Math.abs(p.discreteAngle - p.continuousAngle) < 1e-3 * p.continuousAngle);
 * ```
 */
export function oscillationPrediction(
  eigenvalue: number,
  hp: OscillationHyperparameters,
): OscillationPrediction {
  const action = "predict the oscillation";
  const { eta, beta } = hp;
  const weightDecay = hp.weightDecay ?? 0;
  checkPositive(eta, "eta", action);
  checkMomentum(beta, action);
  if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) {
    throw new RangeError(
      `Cannot ${action} as weightDecay must be finite and >= 0: current value is ${weightDecay}`,
    );
  }
  const h = eigenvalue + weightDecay;
  checkPositive(h, "h = eigenvalue + weightDecay", action);
  const damp = (1 - beta) / (1 + beta);
  const continuousThreshold = ((1 - beta) ** 2) / (2 * eta * (1 + beta));
  const disc = (2 * eta * h) / (1 + beta) - damp * damp;
  const oscillatesContinuous = h > continuousThreshold;
  const continuousAngle = oscillatesContinuous ? Math.sqrt(disc) : NaN;
  let discreteThresholds: [number, number] = [NaN, NaN];
  let discreteAngle = NaN;
  let discreteRadius = NaN;
  let oscillatesDiscrete = false;
  if (beta > 0) {
    const sb = Math.sqrt(beta);
    discreteThresholds = [((1 - sb) ** 2) / eta, ((1 + sb) ** 2) / eta];
    // β ∈ (0, 1) and h > 0 lie inside src/theory's domain; batchSize does not enter the roots.
    const roots = discreteOscillation(h, { eta, beta, batchSize: 1 });
    if (roots.complex) {
      oscillatesDiscrete = true;
      discreteAngle = roots.anglePerStep;
      discreteRadius = roots.modulus;
    }
  }
  const toFreq = (a: number) => a / (2 * Math.PI * eta);
  return {
    h,
    continuousThreshold,
    continuousAngle,
    continuousDecayPerStep: damp,
    discreteThresholds,
    discreteAngle,
    discreteRadius,
    oscillatesContinuous,
    oscillatesDiscrete,
    continuousFrequency: toFreq(continuousAngle),
    discreteFrequency: toFreq(discreteAngle),
  };
}
