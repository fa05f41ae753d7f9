/**
 * The benchmark registry: an explicit list. Each id equals its file name and its key in results.
 *
 * @module
 */
import type { BenchmarkDefinition } from "../src/bench/types.ts";
import { sgdQuadraticSpeed } from "./sgd_quadratic_speed.ts";
import { speedScalingSweep } from "./speed_scaling_sweep.ts";
import { modeStationaryMoments } from "./mode_stationary_moments.ts";
import { isotropy } from "./isotropy.ts";
import { noncommutingCrossCovariance } from "./noncommuting_cross_covariance.ts";
import { meanTrajectory } from "./mean_trajectory.ts";
import { varianceTransient } from "./variance_transient.ts";
import { phaseSpaceAngularMomentum } from "./phase_space_angular_momentum.ts";
import { oscillationFrequency } from "./oscillation_frequency.ts";
import { ou2dCurrent } from "./ou_2d_current.ts";
import { msdExponentSpectrum } from "./msd_exponent_spectrum.ts";
import { msdFromOffset } from "./msd_from_offset.ts";
import { minibatchRegression } from "./minibatch_regression.ts";
import { perfW1Quadratic } from "./perf_w1_quadratic.ts";
import { perfW2Regression } from "./perf_w2_regression.ts";
import { resnetStepTime } from "./resnet_step_time.ts";
import { nnQuickLimitingDynamics } from "./nn_quick_limiting_dynamics.ts";
import { nnResnetSweep } from "./nn_resnet_sweep.ts";
import { hessianTopkTime } from "./hessian_topk_time.ts";

/** Every benchmark of the suite, in run order. */
export const BENCHMARKS: readonly BenchmarkDefinition[] = [
  sgdQuadraticSpeed,
  speedScalingSweep,
  modeStationaryMoments,
  isotropy,
  noncommutingCrossCovariance,
  meanTrajectory,
  varianceTransient,
  phaseSpaceAngularMomentum,
  oscillationFrequency,
  ou2dCurrent,
  msdExponentSpectrum,
  msdFromOffset,
  minibatchRegression,
  perfW1Quadratic,
  perfW2Regression,
  resnetStepTime,
  nnQuickLimitingDynamics,
  nnResnetSweep,
  hessianTopkTime,
];
