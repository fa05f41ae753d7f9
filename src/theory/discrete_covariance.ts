/**
 * Exact discrete-time moments of heavy-ball SGD on a quadratic with any PSD H and Σ (theory.md §7.1, full
 * non-commuting case). State z_k = (θ_k − μ, b_k) (PyTorch buffer b; checkpoint velocity v_k = −b_k):
 * z_{k+1} = M z_k + w_k, M = [[I − ηH_λ, −ηβI], [H_λ, βI]], Cov w = N = (1/S)[[η²Σ, −ηΣ], [−ηΣ, Σ]].
 * Mean M^k z₀; covariance P_{k+1} = M P_k Mᵀ + N; stationary P = M P Mᵀ + N.
 *
 * In the H eigenbasis M is block-diagonal per mode, so every (i, j) pair of modes decouples into a 2×2 Stein
 * equation: this is the fast path ("eigenbasis", O(d²) small solves, fine for d ≲ 200); the dense Kronecker
 * solve in the original basis ("dense", 2d ≤ 40) is the independent check. Matrix-level functions throw
 * RangeError for models without a stationary law (use {@linkcode isStable} to mark a cell `diverged` first).
 *
 * @module
 */
import { fromData, identity, type Matrix, zeros } from "../linalg/matrix.ts";
import { blockMatrix, scale } from "../linalg/matrix_ops.ts";
import { solveDiscreteLyapunov } from "../linalg/lyapunov.ts";
import { solveLinear } from "../linalg/solve_linear.ts";
import type { Mat2 } from "./_mode_kernels.ts";
import {
  accumulate,
  checkSteps,
  conj2,
  transition,
  unitNoise,
} from "./_discrete_kernels.ts";
import {
  assertNoFreeNoisyModes,
  initialStateInEigenbasis,
  NOISE_ZERO_RTOL,
  noiseScale,
  rotateVecToOriginal,
  splitBlocks,
  symmetriseInPlace,
  toEigen,
  toOriginal,
} from "./_model_kernels.ts";
import type { QuadraticModel } from "./quadratic_model.ts";
import type { BasisOptions } from "./continuous_covariance.ts";

/** A 2d×2d covariance of the discrete state z = (θ − μ, b) and its d×d blocks. */
export interface DiscreteStateCovariance {
  /** Full covariance [[Cov θ, Cov(θ, b)], [Cov(b, θ), Cov b]] (2d × 2d). */
  readonly full: Matrix;
  /** Cov θ (d × d). */
  readonly position: Matrix;
  /** Cov(θ, b) = E[(θ − μ) bᵀ] (d × d); Cov(θ, v) = −Cov(θ, b). */
  readonly cross: Matrix;
  /** Cov b (d × d) = Cov v; E‖θ_{k+1} − θ_k‖² = η² tr Cov b_{k+1}. */
  readonly buffer: Matrix;
}

function wrap(full: Matrix, d: number): DiscreteStateCovariance {
  const [x, y, , z] = splitBlocks(full, d);
  return { full, position: x, cross: y, buffer: z };
}

/**
 * Whether the discrete recursion is stable: every mode has ηh_i < 2(1+β). A stable model with a noisy
 * zero-curvature mode (h_i = 0 < s_i) still has no stationary law — see {@linkcode hasStationaryLaw}.
 *
 * @param model The quadratic model.
 * @returns True iff max_i ηh_i < 2(1+β).
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { isStable } from "./discrete_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const hp = { noiseCov: diag([1, 1]), eta: 0.1, beta: 0.9, batchSize: 1 };
 * assert.equal(isStable(quadraticModel({ hessian: diag([1, 37]), ...hp })), true);
 * assert.equal(isStable(quadraticModel({ hessian: diag([1, 38]), ...hp })), false); // ηh = 3.8 = 2(1+β)
 * ```
 */
export function isStable(model: QuadraticModel): boolean {
  const edge = 2 * (1 + model.beta);
  for (const h of model.curvatures) if (!(model.eta * h < edge)) return false;
  return true;
}

/**
 * Whether the stationary discrete (and continuous) law exists: {@linkcode isStable} and no mode with
 * h_i = 0 receives noise.
 *
 * @param model The quadratic model.
 * @returns True iff stationary moments are finite.
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { hasStationaryLaw } from "./discrete_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const hp = { eta: 0.1, beta: 0.9, batchSize: 1 };
 * assert.equal(hasStationaryLaw(quadraticModel({ hessian: diag([0, 1]), noiseCov: diag([1, 1]), ...hp })), false);
 * assert.equal(hasStationaryLaw(quadraticModel({ hessian: diag([0, 1]), noiseCov: diag([0, 1]), ...hp })), true);
 * ```
 */
export function hasStationaryLaw(model: QuadraticModel): boolean {
  if (!isStable(model)) return false;
  try {
    assertNoFreeNoisyModes(model, "check stationarity");
    return true;
  } catch {
    return false;
  }
}

function assertStable(model: QuadraticModel, action: string): void {
  const edge = 2 * (1 + model.beta);
  const bad: number[] = [];
  model.curvatures.forEach((h, i) => {
    if (!(model.eta * h < edge)) bad.push(i);
  });
  if (bad.length > 0) {
    throw new RangeError(
      `Cannot ${action} as the recursion is unstable: modes ${
        bad.slice(0, 10).join(", ")
      }${bad.length > 10 ? ", …" : ""} have η·h_i >= 2(1+β) = ${edge}`,
    );
  }
}

/**
 * Transition matrix M of the state (θ − μ, b): M = [[I − ηH_λ, −ηβI], [H_λ, βI]].
 *
 * @param model The quadratic model.
 * @param options Basis (default "original"; "eigen" gives 2×2 blocks per mode).
 * @returns M (2d × 2d).
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { discreteTransitionMatrix } from "./discrete_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([2]), noiseCov: diag([1]), eta: 0.1, beta: 0.5, batchSize: 1 });
 * assert.deepEqual(Array.from(discreteTransitionMatrix(m).data), [0.8, -0.05, 2, 0.5]);
 * ```
 */
export function discreteTransitionMatrix(
  model: QuadraticModel,
  options: BasisOptions = {},
): Matrix {
  const d = model.dim;
  const { eta, beta } = model;
  let hl: Matrix;
  if ((options.basis ?? "original") === "eigen") {
    hl = zeros(d);
    for (let i = 0; i < d; i++) hl.data[i * d + i] = model.curvatures[i]!;
  } else {
    hl = fromData(d, d, model.hessian.data.slice());
    for (let i = 0; i < d; i++) hl.data[i * d + i]! += model.weightDecay;
  }
  const top = fromData(
    d,
    d,
    identity(d).data.map((v, k) => v - eta * hl.data[k]!),
  );
  return blockMatrix(
    top,
    scale(identity(d), -eta * beta),
    hl,
    scale(identity(d), beta),
  );
}

/**
 * Per-step noise covariance N = (1/S)[[η²Σ, −ηΣ], [−ηΣ, Σ]] of the state (θ − μ, b).
 *
 * @param model The quadratic model.
 * @param options Basis (default "original").
 * @returns N (2d × 2d).
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { discreteNoiseCovariance } from "./discrete_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([2]), noiseCov: diag([4]), eta: 0.5, beta: 0.5, batchSize: 2 });
 * assert.deepEqual(Array.from(discreteNoiseCovariance(m).data), [0.5, -1, -1, 2]);
 * ```
 */
export function discreteNoiseCovariance(
  model: QuadraticModel,
  options: BasisOptions = {},
): Matrix {
  const { eta, batchSize } = model;
  const sig = (options.basis ?? "original") === "eigen"
    ? model.noiseEigen
    : model.noiseCov;
  return blockMatrix(
    scale(sig, eta * eta / batchSize),
    scale(sig, -eta / batchSize),
    scale(sig, -eta / batchSize),
    scale(sig, 1 / batchSize),
  );
}

function getBlock(m: Matrix, i: number, j: number, d: number): Mat2 {
  const n = 2 * d;
  return [
    m.data[i * n + j]!,
    m.data[i * n + d + j]!,
    m.data[(d + i) * n + j]!,
    m.data[(d + i) * n + d + j]!,
  ];
}

function setBlock(m: Matrix, i: number, j: number, d: number, b: Mat2): void {
  const n = 2 * d;
  m.data[i * n + j] = b[0];
  m.data[i * n + d + j] = b[1];
  m.data[(d + i) * n + j] = b[2];
  m.data[(d + i) * n + d + j] = b[3];
}

/** Options of {@linkcode discreteStationaryCovariance}. */
export interface DiscreteLyapunovOptions extends BasisOptions {
  /** "eigenbasis" (default): 2×2 Stein solve per mode pair. "dense": Kronecker solve of P = MPMᵀ + N (2d ≤ 40). */
  readonly method?: "eigenbasis" | "dense";
}

/**
 * Exact stationary covariance P of the discrete state (θ − μ, b): P = M P Mᵀ + N (theory.md §7.1).
 *
 * @param model The quadratic model (must be stable with no noisy zero-curvature mode).
 * @param options `method` ("eigenbasis" default or "dense") and basis of the result.
 * @returns The stationary {@linkcode DiscreteStateCovariance}.
 * @throws {RangeError} If the recursion is unstable, a zero-curvature mode receives noise, or (dense) 2d > 40.
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { discreteStationaryCovariance } from "./discrete_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([60]), noiseCov: diag([1]), eta: 0.02, beta: 0.9, batchSize: 8 });
 * const p = discreteStationaryCovariance(m);
 * const cont = 0.02 / (2 * 8 * 0.1 * 60);
 * assert.ok(Math.abs(p.position.data[0]! / cont - 1 / (1 - 1.2 / 3.8)) < 1e-12);
 * ```
 */
export function discreteStationaryCovariance(
  model: QuadraticModel,
  options: DiscreteLyapunovOptions = {},
): DiscreteStateCovariance {
  const action = "compute discrete stationary covariance";
  assertStable(model, action);
  assertNoFreeNoisyModes(model, action);
  const d = model.dim;
  const eigenOut = (options.basis ?? "original") === "eigen";
  if ((options.method ?? "eigenbasis") === "dense") {
    const p = symmetriseInPlace(
      solveDiscreteLyapunov(
        discreteTransitionMatrix(model),
        discreteNoiseCovariance(model),
      ),
    );
    return wrap(
      eigenOut ? symmetriseInPlace(toEigen(p, model.eigenvectors)) : p,
      d,
    );
  }
  const { eta, beta, batchSize } = model;
  const n1 = unitNoise(eta, batchSize);
  const tol = NOISE_ZERO_RTOL * noiseScale(model);
  const full = zeros(2 * d);
  const ms = Array.from(model.curvatures, (h) => transition(h, eta, beta));
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const sij = model.noiseEigen.data[i * d + j]!;
      if (Math.abs(sij) <= tol) continue;
      const mi = ms[i]!;
      const mj = ms[j]!;
      // vec B = (b11, b12, b21, b22): B − M_i B M_jᵀ = N_ij, (M_i B M_jᵀ)_rc = Σ_pq Mi_rp B_pq Mj_cq.
      const k = zeros(4);
      for (let r = 0; r < 2; r++) {
        for (let c = 0; c < 2; c++) {
          const row = (r * 2 + c) * 4;
          k.data[row + r * 2 + c]! += 1;
          for (let p = 0; p < 2; p++) {
            for (let q = 0; q < 2; q++) {
              k.data[row + p * 2 + q]! -= mi[r * 2 + p]! * mj[c * 2 + q]!;
            }
          }
        }
      }
      const b = solveLinear(
        k,
        new Float64Array(n1.map((v) => v * sij)),
      );
      const blk: Mat2 = [b[0]!, b[1]!, b[2]!, b[3]!];
      setBlock(full, i, j, d, blk);
      if (i !== j) setBlock(full, j, i, d, [blk[0], blk[2], blk[1], blk[3]]);
    }
  }
  symmetriseInPlace(full);
  return wrap(
    eigenOut ? full : symmetriseInPlace(toOriginal(full, model.eigenvectors)),
    d,
  );
}

/** Initial Gaussian state of z = (θ − μ, b) for {@linkcode discreteMoments}. */
export interface DiscreteInitialState extends BasisOptions {
  /** E z₀ = (E θ₀ − μ, E b₀) (length 2d; default 0). */
  readonly mean0?: ArrayLike<number>;
  /** Cov z₀ (2d × 2d symmetric PSD; default 0). */
  readonly cov0?: Matrix;
}

/** Mean and covariance of the discrete state at step k. */
export interface DiscreteMoments {
  /** E z_k = (E θ_k − μ, E b_k). */
  readonly mean: Float64Array;
  /** Cov z_k. */
  readonly cov: DiscreteStateCovariance;
}

/**
 * Exact mean and covariance of the discrete state after k steps from a Gaussian initial state:
 * E z_k = M^k z₀, P_k = M^k P₀ M^kᵀ + Σ_{l<k} M^l N M^lᵀ, evaluated pairwise in the H eigenbasis by binary
 * doubling (O(d² log k)). Valid for unstable models (values may overflow to ±Infinity).
 *
 * @param model The quadratic model.
 * @param k Number of steps (non-negative integer).
 * @param init Initial mean/covariance (default: zero = at the minimum with an empty buffer, deterministic) and
 *   the basis of input and output (default "original").
 * @returns `{ mean, cov }` at step k.
 * @throws {TypeError} If mean0 or cov0 has the wrong size or cov0 is not symmetric.
 * @throws {RangeError} If k is not a non-negative integer or cov0 is not PSD.
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { discreteMoments } from "./discrete_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([5]), noiseCov: diag([1]), eta: 0.1, beta: 0.9, batchSize: 1 });
 * const r = discreteMoments(m, 1, { mean0: [1, 0] });
 * assert.ok(Math.abs(r.mean[0]! - 0.5) < 1e-15 && Math.abs(r.cov.position.data[0]! - 0.01) < 1e-17);
 * ```
 */
export function discreteMoments(
  model: QuadraticModel,
  k: number,
  init: DiscreteInitialState = {},
): DiscreteMoments {
  const action = "compute discrete moments";
  checkSteps(k, action);
  const d = model.dim;
  const n = 2 * d;
  const eigenIO = (init.basis ?? "original") === "eigen";
  const u = model.eigenvectors;
  const { m0, c0 } = initialStateInEigenbasis(model, init, action);
  const { eta, beta, batchSize } = model;
  const n1 = unitNoise(eta, batchSize);
  const ms = Array.from(model.curvatures, (h) => transition(h, eta, beta));
  const tol = NOISE_ZERO_RTOL * noiseScale(model);
  // Per-mode powers M_i^k.
  const powers: Mat2[] = [];
  for (let i = 0; i < d; i++) powers.push(accumulate(k, ms[i]!, ms[i]!, n1)[0]);
  const mean = new Float64Array(n);
  for (let i = 0; i < d; i++) {
    const p = powers[i]!;
    mean[i] = p[0] * m0[i]! + p[1] * m0[d + i]!;
    mean[d + i] = p[2] * m0[i]! + p[3] * m0[d + i]!;
  }
  const full = zeros(n);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const sij = model.noiseEigen.data[i * d + j]!;
      let blk: Mat2 = [0, 0, 0, 0];
      if (Math.abs(sij) > tol) {
        const acc = accumulate(k, ms[i]!, ms[j]!, n1)[2];
        blk = [acc[0] * sij, acc[1] * sij, acc[2] * sij, acc[3] * sij];
      }
      if (c0 !== undefined) {
        const e = conj2(powers[i]!, getBlock(c0, i, j, d), powers[j]!);
        blk = [blk[0] + e[0], blk[1] + e[1], blk[2] + e[2], blk[3] + e[3]];
      }
      setBlock(full, i, j, d, blk);
      if (i !== j) setBlock(full, j, i, d, [blk[0], blk[2], blk[1], blk[3]]);
    }
  }
  symmetriseInPlace(full);
  if (eigenIO) return { mean, cov: wrap(full, d) };
  const meanOrig = new Float64Array(n);
  meanOrig.set(rotateVecToOriginal(u, mean.subarray(0, d)), 0);
  meanOrig.set(rotateVecToOriginal(u, mean.subarray(d)), d);
  return {
    mean: meanOrig,
    cov: wrap(symmetriseInPlace(toOriginal(full, u)), d),
  };
}
