/**
 * Statistics helpers for simulation output: mean, variance, standard errors over independent chains and for
 * correlated series (batch means), covariance matrices, autocorrelation, quantiles, OLS line and power-law fits
 * with t-based intervals, Student's t, and z-scores.
 *
 * @example Usage
 * ```ts
 * import { mean, powerLawFit, standardError, zScore } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const perChain = [1.1, 0.9, 1.0, 1.2, 0.8];
 * const z = zScore(mean(perChain), 1, standardError(perChain));
 * assert.ok(Math.abs(z) < 1e-12);
 * assert.ok(Math.abs(powerLawFit([1, 2, 4], [1, 4, 16], [1, 4]).exponent - 2) < 1e-12);
 * ```
 *
 * @module
 */
export * from "./summary.ts";
export * from "./batch_means.ts";
export * from "./covariance_matrix.ts";
export * from "./autocorrelation.ts";
export * from "./quantile.ts";
export * from "./student_t.ts";
export * from "./linear_fit.ts";
export * from "./group_statistics.ts";
export * from "./jackknife.ts";
export * from "./log_log_window_fit.ts";
