/**
 * Pure analysis toolkit for checkpoint trajectories (no tfjs, no IO): Lanczos eigenpairs and Hutchinson traces
 * of operators (e.g. Hessian-vector products), gradient-noise covariance traces, speed plateaus and their
 * hyperparameter collapse (C15), diffusion exponents (C12, C16), projections on eigen-directions with isotropy
 * statistics (C4), FFT-based oscillation frequencies and their predictions (C9), and trajectory distances.
 * Everything takes plain arrays; randomness comes in as an {@linkcode Rng}.
 *
 * @example Usage
 * ```ts
 * import { fitExponent, lanczosEigen, predictedSpeed, trajectoryDistances } from "./mod.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * const op = (v: Float64Array) => v.map((x, i) => (i + 1) * x);
 * const { values } = await lanczosEigen(op, 10, { k: 1, rng: Rng.fromSeed(7n) });
 * assert.ok(Math.abs(values[0]! - 10) < 1e-10);
 *
 * const path = [[0, 0], [1, 0], [1, 1], [2, 1]];
 * const { displacementSq } = trajectoryDistances(path);
 * const fit = fitExponent([1, 2, 3], displacementSq.subarray(1));
 * assert.ok(fit.exponent > 1); // 1, 2, 5: superdiffusive
 * assert.ok(predictedSpeed({ eta: 0.1, beta: 0.9, batchSize: 8, traceSigma: 1 }) > 0);
 * ```
 *
 * @module
 */
export type { Rng } from "../random/rng.ts";
export {
  tridiagonalEigen,
  type TridiagonalEigenResult,
} from "./tridiagonal_eigen.ts";
export {
  lanczosEigen,
  type LanczosOptions,
  type LanczosResult,
  type LinearOperator,
} from "./lanczos_eigen.ts";
export {
  type HutchinsonOptions,
  type HutchinsonResult,
  hutchinsonTrace,
} from "./hutchinson_trace.ts";
export {
  NoiseCovTrace,
  noiseCovTrace,
  type NoiseCovTraceResult,
  predictedSpeed,
  type PredictedSpeedInput,
  withoutReplacementFactor,
} from "./noise_cov_trace.ts";
export {
  blockBootstrapExponentCI,
  type BlockBootstrapOptions,
  type BootstrapExponentCI,
  type ExponentFit,
  fitExponent,
  type FitExponentOptions,
  type LocalExponentOptions,
  type LocalExponents,
  localExponents,
} from "./fit_exponent.ts";
export {
  type SpeedPlateau,
  speedPlateau,
  type SpeedPlateauOptions,
} from "./speed_plateau.ts";
export {
  type SpeedCollapse,
  speedCollapse,
  type SpeedRun,
} from "./speed_collapse.ts";
export {
  isotropyRatio,
  type IsotropyResult,
  ModeProjections,
  projectOnModes,
  type VelocityVarianceSlope,
  velocityVarianceSlope,
} from "./mode_projections.ts";
export {
  type ComplexArray,
  fft,
  meanFrequency,
  rfft,
  rfftFrequencies,
} from "./fft.ts";
export {
  type OscillationHyperparameters,
  type OscillationPrediction,
  oscillationPrediction,
} from "./oscillation_prediction.ts";
export {
  TrajectoryDistances,
  trajectoryDistances,
  type TrajectoryPoint,
  type TrajectorySeries,
} from "./trajectory_distances.ts";
export { type LossPlateau, lossPlateau } from "./loss_plateau.ts";
