import type { Rng } from "../random/rng.ts";

/** Per-mode second moments of the stationary (x, b) law (e.g. theory's `discreteModeStationary`). */
export interface ModeStateMoments {
  /** Var x_i per mode (≥ 0). */
  readonly varX: ArrayLike<number>;
  /** Cov(x_i, b_i) per mode. */
  readonly covXB: ArrayLike<number>;
  /** Var b_i per mode (≥ 0). */
  readonly varB: ArrayLike<number>;
}

/**
 * Draws independent zero-mean Gaussian (x, b) states per chain and mode with the given per-mode covariance
 * [[Var x, Cov(x,b)], [Cov(x,b), Var b]] (2×2 Cholesky factor), e.g. to start simulateQuadraticSgd from the exact
 * discrete stationary law (`initialOffsets`, `initialBuffer`) so no burn-in is needed. Normals are drawn chain by
 * chain, mode by mode, two per (chain, mode): z₁ then z₂, x = √Var x·z₁, b = l₂₁z₁ + l₂₂z₂.
 *
 * @param moments Per-mode Var x (> 0), Cov(x, b), Var b; the three arrays of equal length d.
 * @param chains Number of chains (integer ≥ 1).
 * @param rng Random source.
 * @returns x and b, each chains × d row-major.
 * @throws {TypeError} If the moment arrays differ in length.
 * @throws {RangeError} If chains is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { sampleStationaryStart } from "./stationary_start.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * const { x, b } = sampleStationaryStart({ varX: [1, 4], covXB: [0, 0], varB: [1, 1] }, 3, Rng.fromSeed(1n));
 * assert.equal(x.length, 6);
 * assert.equal(b.length, 6);
 * ```
 */
export function sampleStationaryStart(
  moments: ModeStateMoments,
  chains: number,
  rng: Rng,
): { x: Float64Array; b: Float64Array } {
  const d = moments.varX.length;
  if (moments.covXB.length !== d || moments.varB.length !== d) {
    throw new TypeError(
      `Cannot sample stationary start as the moment arrays differ in length: ${d}, ${moments.covXB.length}, ${moments.varB.length}`,
    );
  }
  if (!Number.isInteger(chains) || chains < 1) {
    throw new RangeError(
      `Cannot sample stationary start as chains must be an integer >= 1: current value is ${chains}`,
    );
  }
  const x = new Float64Array(chains * d);
  const b = new Float64Array(chains * d);
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < d; i++) {
      const sx = Math.sqrt(moments.varX[i]!);
      const l21 = moments.covXB[i]! / sx;
      const l22 = Math.sqrt(Math.max(0, moments.varB[i]! - l21 * l21));
      const z1 = rng.normal();
      const z2 = rng.normal();
      x[c * d + i] = sx * z1;
      b[c * d + i] = l21 * z1 + l22 * z2;
    }
  }
  return { x, b };
}
