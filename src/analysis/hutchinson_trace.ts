/**
 * Hutchinson's stochastic trace estimator with Rademacher probes.
 *
 * @module
 */

import type { Rng } from "../random/rng.ts";
import type { LinearOperator } from "./lanczos_eigen.ts";
import { checkInteger, dot } from "./_validate.ts";

/** Options of {@linkcode hutchinsonTrace}. */
export interface HutchinsonOptions {
  /** Number of probe vectors n (integer ≥ 1; the standard error needs n ≥ 2). */
  readonly samples: number;
  /** Source of the Rademacher probes. */
  readonly rng: Rng;
}

/** Result of {@linkcode hutchinsonTrace}. */
export interface HutchinsonResult {
  /** Mean of zᵀAz over the probes: an unbiased estimate of tr A. */
  readonly estimate: number;
  /** Sample standard deviation of zᵀAz divided by √n (NaN for n = 1). */
  readonly standardError: number;
  /** The individual quadratic forms zᵀAz. */
  readonly values: Float64Array;
  /** Operator applications (= samples). */
  readonly operatorApplications: number;
}

/**
 * Estimates tr A as the mean of zᵀAz over Rademacher probes z ∈ {±1}^d (Hutchinson 1989). Unbiased, with
 * per-probe variance 2(‖A‖_F² − Σᵢ Aᵢᵢ²) for symmetric A — exact for diagonal A. With A = H (a Hessian-vector
 * product) this gives tr H; with a covariance operator, tr Σ.
 *
 * @param op Symmetric operator v ↦ A·v (sync or async).
 * @param dim Dimension d (integer ≥ 1).
 * @param options samples, rng.
 * @returns Estimate, standard error, the per-probe values and the operator count.
 * @throws {RangeError} If dim or samples are out of range, or the operator returns a non-finite value.
 * @throws {TypeError} If the operator returns an array of the wrong length.
 *
 * @example Exact on a diagonal matrix
 * ```ts
 * import { hutchinsonTrace } from "./hutchinson_trace.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * const diag = [1, 2, 3];
 * const op = (v: Float64Array) => v.map((x, i) => diag[i]! * x);
 * const r = await hutchinsonTrace(op, 3, { samples: 4, rng: Rng.fromSeed(1n) });
 * assert.equal(r.estimate, 6);
 * assert.equal(r.standardError, 0);
 * ```
 */
export async function hutchinsonTrace(
  op: LinearOperator,
  dim: number,
  options: HutchinsonOptions,
): Promise<HutchinsonResult> {
  const action = "estimate the trace";
  checkInteger(dim, "dim", action, 1);
  const { samples, rng } = options;
  checkInteger(samples, "samples", action, 1);
  const values = new Float64Array(samples);
  const z = new Float64Array(dim);
  for (let s = 0; s < samples; s++) {
    let bits = 0;
    for (let i = 0; i < dim; i++) {
      if ((i & 31) === 0) bits = rng.uint32();
      z[i] = (bits >>> (i & 31)) & 1 ? 1 : -1;
    }
    const az = await op(z.slice());
    if (az.length !== dim) {
      throw new TypeError(
        `Cannot ${action} as the operator returned the wrong length: expected length ${dim}, got ${az.length}`,
      );
    }
    const v = dot(z, az);
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `Cannot ${action} as the operator returned a non-finite value: probe ${s} gives ${v}`,
      );
    }
    values[s] = v;
  }
  let mean = 0;
  for (let s = 0; s < samples; s++) mean += values[s]!;
  mean /= samples;
  let ss = 0;
  for (let s = 0; s < samples; s++) ss += (values[s]! - mean) ** 2;
  const standardError = samples > 1
    ? Math.sqrt(ss / (samples - 1) / samples)
    : NaN;
  return {
    estimate: mean,
    standardError,
    values,
    operatorApplications: samples,
  };
}
