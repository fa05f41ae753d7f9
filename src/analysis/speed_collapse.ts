/**
 * Hyperparameter collapse of the speed plateau (prediction C15): ‖δ‖²·S(1−β²)/η² should be one constant
 * (σ²·tr H, theory.md §4.1) across runs.
 *
 * @module
 */

import { checkMomentum, checkPositive } from "./_validate.ts";

/** One run's hyperparameters and measured speed plateau. */
export interface SpeedRun {
  /** Learning rate η (> 0). */
  readonly eta: number;
  /** Momentum β (in (−1, 1)). */
  readonly beta: number;
  /** Batch size S (> 0). */
  readonly batchSize: number;
  /** Measured plateau of ‖δ_k‖² (finite). */
  readonly speed: number;
  /** Standard error of that plateau (> 0), e.g. from {@linkcode speedPlateau}. */
  readonly stderr: number;
}

/** Result of {@linkcode speedCollapse}. */
export interface SpeedCollapse {
  /** Normalised values Cᵣ = speedᵣ·Sᵣ(1 − βᵣ²)/ηᵣ². */
  readonly normalised: Float64Array;
  /** Their standard errors (stderrᵣ scaled by the same factor). */
  readonly normalisedStderr: Float64Array;
  /** Inverse-variance weighted mean C of the normalised values (the calibrated σ²·tr H). */
  readonly constant: number;
  /** Standard error of C: (Σ 1/seᵣ²)^{-1/2}. */
  readonly constantStderr: number;
  /** χ² = Σ ((Cᵣ − C)/seᵣ)² of the constant fit. */
  readonly chi2: number;
  /** Degrees of freedom R − 1. */
  readonly dof: number;
  /** χ²/dof (≈ 1 when the collapse holds within the errors; NaN for a single run). */
  readonly chi2PerDof: number;
  /** Calibrated predictions η²·C/(S(1 − β²)) per run. */
  readonly predictions: Float64Array;
  /** Pulls (Cᵣ − C)/seᵣ per run. */
  readonly pulls: Float64Array;
}

/**
 * Tests the speed scaling E‖δ‖² = η²·C/(S(1−β²)) across runs (C15): normalises each plateau, fits the constant
 * C by inverse-variance weighting, reports χ²/dof of that constant fit and the calibrated predictions. The
 * per-run standard errors should account for autocorrelation (batch means) or χ² is inflated.
 *
 * @param runs At least one run.
 * @returns Normalised values, fitted constant, χ² diagnostics and predictions.
 * @throws {RangeError} If there are no runs or a value is out of range.
 *
 * @example Two runs on the same constant
 * ```ts
 * import { speedCollapse } from "./speed_collapse.ts";
 * import assert from "node:assert/strict";
 *
 * const r = speedCollapse([
 *   { eta: 0.1, beta: 0, batchSize: 1, speed: 0.02, stderr: 0.001 }, // C = 0.02·1·1/0.01 = 2
 *   { eta: 0.2, beta: 0, batchSize: 2, speed: 0.04, stderr: 0.002 }, // C = 0.04·2/0.04 = 2
 * ]);
 * assert.ok(Math.abs(r.constant - 2) < 1e-12);
 * assert.ok(r.chi2 < 1e-20);
 * ```
 */
export function speedCollapse(runs: readonly SpeedRun[]): SpeedCollapse {
  const action = "collapse the speeds";
  const r = runs.length;
  if (r === 0) {
    throw new RangeError(`Cannot ${action} as no run was given: runs is empty`);
  }
  const normalised = new Float64Array(r);
  const normalisedStderr = new Float64Array(r);
  const factors = new Float64Array(r);
  let sw = 0;
  let swc = 0;
  for (let i = 0; i < r; i++) {
    const { eta, beta, batchSize, speed, stderr } = runs[i]!;
    const what = `${action} (run ${i})`;
    checkPositive(eta, "eta", what);
    checkMomentum(beta, what);
    checkPositive(batchSize, "batchSize", what);
    checkPositive(stderr, "stderr", what);
    if (!Number.isFinite(speed)) {
      throw new RangeError(
        `Cannot ${what} as speed must be finite: current value is ${speed}`,
      );
    }
    const f = (batchSize * (1 - beta * beta)) / (eta * eta);
    factors[i] = f;
    normalised[i] = speed * f;
    normalisedStderr[i] = stderr * f;
    const wgt = 1 / normalisedStderr[i]! ** 2;
    sw += wgt;
    swc += wgt * normalised[i]!;
  }
  const constant = swc / sw;
  const pulls = new Float64Array(r);
  const predictions = new Float64Array(r);
  let chi2 = 0;
  for (let i = 0; i < r; i++) {
    pulls[i] = (normalised[i]! - constant) / normalisedStderr[i]!;
    chi2 += pulls[i]! ** 2;
    predictions[i] = constant / factors[i]!;
  }
  const dof = r - 1;
  return {
    normalised,
    normalisedStderr,
    constant,
    constantStderr: 1 / Math.sqrt(sw),
    chi2,
    dof,
    chi2PerDof: dof > 0 ? chi2 / dof : NaN,
    predictions,
    pulls,
  };
}
