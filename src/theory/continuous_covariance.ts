/**
 * Matrix-level continuous (OU) model of momentum SGD on a quadratic, theory.md §3.2–3.3: drift and diffusion
 * matrices, the stationary phase-space covariance computed three ways, and the exact mean/covariance at any
 * time from any Gaussian initial state. Phase-space state z = (θ − μ, v) with v = θ̇ (= −b, minus the PyTorch
 * buffer) and time t = ηk. Works for any symmetric PSD H and Σ, commuting or not.
 *
 * Eigenbasis functions (closed form, pairwise solves, moments) cost O(d³) and are fine for d ≲ 200; the
 * `"dense"` Lyapunov method is a Kronecker solve limited to 2d ≤ 40.
 *
 * @module
 */
import { fromData, identity, type Matrix, zeros } from "../linalg/matrix.ts";
import {
  blockMatrix,
  frobeniusNorm,
  matMul,
  scale,
  sub,
} from "../linalg/matrix_ops.ts";
import { solveContinuousLyapunov } from "../linalg/lyapunov.ts";
import { solveLinear } from "../linalg/solve_linear.ts";
import { checkT, propagator, transientCovariance } from "./_mode_kernels.ts";
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

/** Basis of returned phase-space quantities: the original parameter basis, or the Hessian eigenbasis (Uᵀθ, Uᵀv). */
export type Basis = "original" | "eigen";

/** Options selecting the basis of the result (default "original"). */
export interface BasisOptions {
  /** "original" (default) or "eigen". */
  readonly basis?: Basis;
}

/** A 2d×2d phase-space covariance of z = (θ − μ, v) and its d×d blocks. */
export interface PhaseSpaceCovariance {
  /** The full covariance [[X, Y], [Yᵀ, Z]] (2d × 2d). */
  readonly full: Matrix;
  /** X = Cov(θ) (d × d). */
  readonly position: Matrix;
  /** Y = Cov(θ, v) = E[(θ − μ) vᵀ] (d × d; antisymmetric in the eigenbasis when stationary). */
  readonly cross: Matrix;
  /** Z = Cov(v) (d × d). */
  readonly velocity: Matrix;
}

/** @internal wraps a full matrix into {@linkcode PhaseSpaceCovariance}. */
function wrap(full: Matrix, d: number): PhaseSpaceCovariance {
  const [x, y, , z] = splitBlocks(full, d);
  return { full, position: x, cross: y, velocity: z };
}

function inBasis(
  eig: Matrix,
  model: QuadraticModel,
  options: BasisOptions,
): PhaseSpaceCovariance {
  const full = (options.basis ?? "original") === "eigen"
    ? eig
    : symmetriseInPlace(toOriginal(eig, model.eigenvectors));
  return wrap(full, model.dim);
}

/**
 * Drift matrix A of dz = −A z dt + √(2D) dW: A = [[0, −I], [H_λ/m, Γ I]] with m = η(1+β)/2,
 * Γ = 2(1−β)/(η(1+β)), H_λ = H + λI (theory.md §3.2).
 *
 * @param model The quadratic model.
 * @param options Basis of the result (default "original"; "eigen" gives the block-diagonal-per-mode form).
 * @returns A (2d × 2d).
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { driftMatrix } from "./continuous_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([1]), noiseCov: diag([1]), eta: 0.5, beta: 0, batchSize: 1 });
 * assert.deepEqual(Array.from(driftMatrix(m).data), [0, -1, 4, 4]); // m = 1/4, Γ = 4
 * ```
 */
export function driftMatrix(
  model: QuadraticModel,
  options: BasisOptions = {},
): Matrix {
  const d = model.dim;
  const { eta, beta } = model;
  const mass = eta * (1 + beta) / 2;
  const friction = (1 - beta) / mass;
  let hl: Matrix;
  if ((options.basis ?? "original") === "eigen") {
    hl = zeros(d);
    for (let i = 0; i < d; i++) hl.data[i * d + i] = model.curvatures[i]!;
  } else {
    hl = fromData(d, d, model.hessian.data.slice());
    for (let i = 0; i < d; i++) hl.data[i * d + i]! += model.weightDecay;
  }
  return blockMatrix(
    zeros(d),
    scale(identity(d), -1),
    scale(hl, 1 / mass),
    scale(identity(d), friction),
  );
}

/**
 * Diffusion matrix D = [[0, 0], [0, D_v]] with D_v = 2Σ/(ηS(1+β)²) (Fokker–Planck convention ∇·(D∇p);
 * the OU noise is √(2D) dW).
 *
 * @param model The quadratic model.
 * @param options Basis of the result (default "original").
 * @returns D (2d × 2d).
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { diffusionMatrix } from "./continuous_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([1]), noiseCov: diag([2]), eta: 0.5, beta: 0, batchSize: 4 });
 * assert.deepEqual(Array.from(diffusionMatrix(m).data), [0, 0, 0, 2]); // 2·2/(0.5·4·1)
 * ```
 */
export function diffusionMatrix(
  model: QuadraticModel,
  options: BasisOptions = {},
): Matrix {
  const d = model.dim;
  const f = 2 / (model.eta * model.batchSize * (1 + model.beta) ** 2);
  const sig = (options.basis ?? "original") === "eigen"
    ? model.noiseEigen
    : model.noiseCov;
  return blockMatrix(zeros(d), zeros(d), zeros(d), scale(sig, f));
}

/**
 * Relative commutator ‖HΣ − ΣH‖_F / (‖H‖_F ‖Σ‖_F) (0 when either matrix is zero). [Σ, H] = 0 is the condition
 * for detailed balance (theory.md §3.5).
 *
 * @param model The quadratic model.
 * @returns The relative commutator norm (≥ 0).
 *
 * @example Usage
 * ```ts
 * import { diag, matrix } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { commutatorNorm } from "./continuous_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const hp = { eta: 0.1, beta: 0.9, batchSize: 1 };
 * assert.equal(commutatorNorm(quadraticModel({ hessian: diag([1, 2]), noiseCov: diag([3, 4]), ...hp })), 0);
 * assert.ok(commutatorNorm(quadraticModel({ hessian: diag([1, 2]), noiseCov: matrix([[1, 0.5], [0.5, 1]]), ...hp })) > 0.1);
 * ```
 */
export function commutatorNorm(model: QuadraticModel): number {
  const hs = matMul(model.hessian, model.noiseCov);
  const sh = matMul(model.noiseCov, model.hessian);
  const denom = frobeniusNorm(model.hessian) * frobeniusNorm(model.noiseCov);
  return denom === 0 ? 0 : frobeniusNorm(sub(hs, sh)) / denom;
}

/** Default relative tolerance on {@linkcode commutatorNorm} for "commuting". */
export const COMMUTING_RTOL = 1e-10;

/**
 * Stationary covariance when [Σ, H] = 0 (theory.md §3.3): C_ss = diag(T_θ H_λ⁺Σ, T_v Σ), T_θ = η/(2S(1−β)),
 * T_v = 1/(S(1−β²)), no θ–v correlation. Computed in the original basis from the pseudo-inverse H_λ⁺ (modes
 * with h_i = 0 must carry no noise).
 *
 * @param model The quadratic model (must commute: {@linkcode commutatorNorm} ≤ rtol).
 * @param options Basis of the result (default "original"); rtol for the commutation check (default 1e-10).
 * @returns The stationary {@linkcode PhaseSpaceCovariance}.
 * @throws {RangeError} If [Σ, H] ≠ 0 beyond tolerance, or a zero-curvature mode receives noise.
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { stationaryCovarianceCommuting } from "./continuous_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([2]), noiseCov: diag([1]), eta: 0.1, beta: 0.5, batchSize: 1 });
 * const c = stationaryCovarianceCommuting(m);
 * assert.ok(Math.abs(c.position.data[0]! - 0.05) < 1e-15); // 0.1·1/(2·1·0.5·2)
 * ```
 */
export function stationaryCovarianceCommuting(
  model: QuadraticModel,
  options: BasisOptions & { readonly rtol?: number } = {},
): PhaseSpaceCovariance {
  const action = "compute commuting stationary covariance";
  const c = commutatorNorm(model);
  const rtol = options.rtol ?? COMMUTING_RTOL;
  if (c > rtol) {
    throw new RangeError(
      `Cannot ${action} as H and Σ do not commute: ‖HΣ − ΣH‖/(‖H‖‖Σ‖) is ${c} (tolerance ${rtol})`,
    );
  }
  assertNoFreeNoisyModes(model, action);
  const d = model.dim;
  const { eta, beta, batchSize } = model;
  const tTheta = eta / (2 * batchSize * (1 - beta));
  const tV = 1 / (batchSize * (1 - beta * beta));
  const u = model.eigenvectors;
  // H_λ⁺ = U diag(1/h_i) Uᵀ (0 on zero-curvature modes).
  const pinv = zeros(d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const hk = model.curvatures[k]!;
        if (hk > 0) s += u.data[i * d + k]! * u.data[j * d + k]! / hk;
      }
      pinv.data[i * d + j] = s;
    }
  }
  const x = symmetriseInPlace(scale(matMul(pinv, model.noiseCov), tTheta));
  const z = scale(model.noiseCov, tV);
  const full = blockMatrix(x, zeros(d), zeros(d), z);
  return (options.basis ?? "original") === "eigen"
    ? wrap(symmetriseInPlace(toEigen(full, u)), d)
    : wrap(full, d);
}

/** Closed-form eigenbasis blocks X, Y, Z (unchecked); pairs with h_i = h_j = 0 get 0. */
function closedFormEigen(model: QuadraticModel): Matrix {
  const d = model.dim;
  const { eta, beta, batchSize } = model;
  const h = model.curvatures;
  const sig = model.noiseEigen.data;
  const full = zeros(2 * d);
  const n = 2 * d;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const hi = h[i]!;
      const hj = h[j]!;
      const den = batchSize *
        ((1 - beta) ** 2 * (hi + hj) + eta * (1 + beta) / 4 * (hi - hj) ** 2);
      const x = den === 0 ? 0 : eta * (1 - beta) * sig[i * d + j]! / den;
      full.data[i * n + j] = x; // X_ij
      full.data[i * n + d + j] = (hi - hj) / (2 * (1 - beta)) * x; // Y_ij = Cov(x_i, v_j)
      full.data[(d + i) * n + d + j] = (hi + hj) / (eta * (1 + beta)) * x; // Z_ij
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      full.data[(d + i) * n + j] = full.data[j * n + d + i]!; // (Yᵀ)_ij
    }
  }
  return full;
}

/**
 * Stationary covariance by the non-commuting closed form of theory.md §3.3, in the H eigenbasis
 * (Σ̃ = UᵀΣU): X_ij = η(1−β)Σ̃_ij / (S[(1−β)²(h_i+h_j) + η(1+β)(h_i−h_j)²/4]),
 * Y_ij = (h_i − h_j)X_ij/(2(1−β)), Z_ij = (h_i + h_j)X_ij/(η(1+β)), then rotated to the original basis.
 *
 * @param model The quadratic model (any PSD H, Σ).
 * @param options Basis of the result (default "original").
 * @returns The stationary {@linkcode PhaseSpaceCovariance}.
 * @throws {RangeError} If a zero-curvature mode (h_i = 0) receives noise.
 *
 * @example Usage
 * ```ts
 * import { diag, matrix } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { stationaryCovarianceClosedForm } from "./continuous_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([1, 3]), noiseCov: matrix([[1, 0.5], [0.5, 1]]), eta: 0.1, beta: 0.5, batchSize: 1 });
 * const c = stationaryCovarianceClosedForm(m);
 * assert.ok(Math.abs(c.cross.data[1]! + c.cross.data[2]!) < 1e-15); // Y antisymmetric (H diagonal ⇒ U = I)
 * ```
 */
export function stationaryCovarianceClosedForm(
  model: QuadraticModel,
  options: BasisOptions = {},
): PhaseSpaceCovariance {
  assertNoFreeNoisyModes(model, "compute stationary covariance");
  return inBasis(closedFormEigen(model), model, options);
}

/** Options of {@linkcode stationaryCovarianceLyapunov}. */
export interface LyapunovOptions extends BasisOptions {
  /**
   * "eigenbasis" (default): one 4×4 Sylvester solve A_i B + B A_jᵀ = 2D_ij per mode pair (O(d²) solves, fine
   * for d ≲ 200). "dense": the Kronecker solve of A C + C Aᵀ = 2D in the original basis (2d ≤ 40).
   */
  readonly method?: "eigenbasis" | "dense";
}

/**
 * Stationary covariance by solving the Lyapunov equation A·C + C·Aᵀ = 2D numerically (theory.md §3.2); an
 * independent route to the closed forms.
 *
 * @param model The quadratic model.
 * @param options `method` ("eigenbasis" default, or "dense") and basis of the result.
 * @returns The stationary {@linkcode PhaseSpaceCovariance}.
 * @throws {RangeError} If a zero-curvature mode receives noise, or (dense) 2d > 40.
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { stationaryCovarianceLyapunov } from "./continuous_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([2]), noiseCov: diag([1]), eta: 0.1, beta: 0.5, batchSize: 1 });
 * const c = stationaryCovarianceLyapunov(m, { method: "dense" });
 * assert.ok(Math.abs(c.position.data[0]! - 0.05) < 1e-14);
 * ```
 */
export function stationaryCovarianceLyapunov(
  model: QuadraticModel,
  options: LyapunovOptions = {},
): PhaseSpaceCovariance {
  const action = "compute stationary covariance";
  assertNoFreeNoisyModes(model, action);
  const d = model.dim;
  if ((options.method ?? "eigenbasis") === "dense") {
    const a = driftMatrix(model);
    const dd = diffusionMatrix(model);
    const c = symmetriseInPlace(solveContinuousLyapunov(a, scale(dd, 2)));
    return (options.basis ?? "original") === "eigen"
      ? wrap(symmetriseInPlace(toEigen(c, model.eigenvectors)), d)
      : wrap(c, d);
  }
  const { eta, beta, batchSize } = model;
  const mass = eta * (1 + beta) / 2;
  const fr = (1 - beta) / mass;
  const qf = 4 / (eta * batchSize * (1 + beta) ** 2);
  const tol = NOISE_ZERO_RTOL * noiseScale(model);
  const n = 2 * d;
  const full = zeros(n);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const sij = model.noiseEigen.data[i * d + j]!;
      let b = [0, 0, 0, 0];
      if (Math.abs(sij) > tol) {
        const ai = [0, -1, model.curvatures[i]! / mass, fr];
        const aj = [0, -1, model.curvatures[j]! / mass, fr];
        // Unknowns vec B = (b11, b12, b21, b22); (A_i B)_rc = Σ_k Ai_rk B_kc, (B A_jᵀ)_rc = Σ_k B_rk Aj_ck.
        const k = zeros(4);
        for (let r = 0; r < 2; r++) {
          for (let c = 0; c < 2; c++) {
            const row = (r * 2 + c) * 4;
            for (let kk = 0; kk < 2; kk++) {
              k.data[row + kk * 2 + c]! += ai[r * 2 + kk]!;
              k.data[row + r * 2 + kk]! += aj[c * 2 + kk]!;
            }
          }
        }
        b = Array.from(
          solveLinear(k, new Float64Array([0, 0, 0, qf * sij])),
        );
      }
      const put = (p: number, q: number, r: number, c: number, v: number) => {
        full.data[(r * d + p) * n + c * d + q] = v;
      };
      put(i, j, 0, 0, b[0]!);
      put(i, j, 0, 1, b[1]!);
      put(i, j, 1, 0, b[2]!);
      put(i, j, 1, 1, b[3]!);
      put(j, i, 0, 0, b[0]!); // block (j, i) = block (i, j)ᵀ
      put(j, i, 1, 0, b[1]!);
      put(j, i, 0, 1, b[2]!);
      put(j, i, 1, 1, b[3]!);
    }
  }
  return inBasis(full, model, options);
}

/** Initial Gaussian state of z = (θ − μ, v) for {@linkcode continuousMoments}. */
export interface PhaseSpaceInitialState extends BasisOptions {
  /** E z₀ (length 2d; default 0). In the basis given by `basis`. */
  readonly mean0?: ArrayLike<number>;
  /** Cov z₀ (2d × 2d symmetric PSD; default 0 = deterministic start). In the basis given by `basis`. */
  readonly cov0?: Matrix;
}

/** Mean and covariance of the phase-space state at one time. */
export interface PhaseSpaceMoments {
  /** E z_t = (E θ_t − μ, E v_t) (length 2d). */
  readonly mean: Float64Array;
  /** Cov z_t. */
  readonly cov: PhaseSpaceCovariance;
}

/**
 * Exact mean and covariance of the OU phase-space state at time t from a Gaussian initial state (theory.md
 * §3.2): E z_t = e^{−At} z₀ and C_t = C_ss + e^{−At}(C₀ − C_ss)e^{−Aᵀt}, evaluated pairwise in the H eigenbasis
 * with the per-mode propagators of `modePropagator` (mode pairs with h_i = h_j use the transient integral
 * directly, so zero-curvature modes are allowed: they diffuse freely).
 *
 * @param model The quadratic model.
 * @param t Time t = ηk (≥ 0).
 * @param init Initial mean/covariance (defaults: zero = start at the minimum, deterministic) and the basis
 *   used for both input and output (default "original").
 * @returns `{ mean, cov }` at time t.
 * @throws {TypeError} If mean0 or cov0 has the wrong size, or cov0 is not symmetric.
 * @throws {RangeError} If t < 0, cov0 is not PSD, or a zero-curvature mode has noise correlated with a curved one.
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { continuousMoments, stationaryCovarianceClosedForm } from "./continuous_covariance.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([1, 2]), noiseCov: diag([1, 1]), eta: 0.1, beta: 0.5, batchSize: 1 });
 * const late = continuousMoments(m, 1e3, { mean0: [1, 1, 0, 0] });
 * const ss = stationaryCovarianceClosedForm(m);
 * assert.ok(Math.abs(late.cov.position.data[0]! - ss.position.data[0]!) < 1e-12);
 * assert.ok(Math.abs(late.mean[0]!) < 1e-12);
 * ```
 */
export function continuousMoments(
  model: QuadraticModel,
  t: number,
  init: PhaseSpaceInitialState = {},
): PhaseSpaceMoments {
  const action = "compute continuous moments";
  checkT(t, action);
  const d = model.dim;
  const n = 2 * d;
  const eigenIO = (init.basis ?? "original") === "eigen";
  const u = model.eigenvectors;
  // Initial state in the eigenbasis.
  const { m0, c0 } = initialStateInEigenbasis(model, init, action);
  const { eta, beta, batchSize } = model;
  const gamma = (1 - beta) / (eta * (1 + beta));
  const qf = 4 / (eta * batchSize * (1 + beta) ** 2);
  const om2 = model.curvatures.map((h) => 2 * h / (eta * (1 + beta)));
  const props = Array.from(om2, (w) => propagator(t, gamma, w));
  // Mean.
  const mean = new Float64Array(n);
  for (let i = 0; i < d; i++) {
    const e = props[i]!;
    mean[i] = e[0] * m0[i]! + e[1] * m0[d + i]!;
    mean[d + i] = e[2] * m0[i]! + e[3] * m0[d + i]!;
  }
  // Covariance: C_t = E C0 Eᵀ + T(t), T(t) = C_ss − E C_ss Eᵀ (or the direct transient integral if h_i = h_j).
  const tol = NOISE_ZERO_RTOL * noiseScale(model);
  let css: Matrix | undefined;
  const full = zeros(n);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const ei = props[i]!;
      const ej = props[j]!;
      const sij = model.noiseEigen.data[i * d + j]!;
      // Block B (rows x_i, v_i; cols x_j, v_j) as [b11, b12, b21, b22].
      let b: number[] = [0, 0, 0, 0];
      if (Math.abs(sij) > tol) {
        if (model.curvatures[i] === model.curvatures[j]) {
          const tr = transientCovariance(t, gamma, om2[i]!, qf * sij);
          b = [tr.varX, tr.covXV, tr.covXV, tr.varV];
        } else {
          css ??= closedFormEigen(model);
          const s = blockOf(css, i, j, d);
          const es = conj(ei, s, ej);
          b = [s[0] - es[0], s[1] - es[1], s[2] - es[2], s[3] - es[3]];
        }
      }
      if (c0 !== undefined) {
        const e0 = conj(ei, blockOf(c0, i, j, d), ej);
        b = [b[0]! + e0[0], b[1]! + e0[1], b[2]! + e0[2], b[3]! + e0[3]];
      }
      setBlock(full, i, j, d, b);
      if (i !== j) setBlock(full, j, i, d, [b[0]!, b[2]!, b[1]!, b[3]!]);
    }
  }
  if (eigenIO) return { mean, cov: wrap(symmetriseInPlace(full), d) };
  const meanOrig = new Float64Array(n);
  meanOrig.set(rotateVecToOriginal(u, mean.subarray(0, d)), 0);
  meanOrig.set(rotateVecToOriginal(u, mean.subarray(d)), d);
  return {
    mean: meanOrig,
    cov: wrap(symmetriseInPlace(toOriginal(full, u)), d),
  };
}

function blockOf(
  m: Matrix,
  i: number,
  j: number,
  d: number,
): [number, number, number, number] {
  const n = 2 * d;
  return [
    m.data[i * n + j]!,
    m.data[i * n + d + j]!,
    m.data[(d + i) * n + j]!,
    m.data[(d + i) * n + d + j]!,
  ];
}

function setBlock(
  m: Matrix,
  i: number,
  j: number,
  d: number,
  b: readonly number[],
): void {
  const n = 2 * d;
  m.data[i * n + j] = b[0]!;
  m.data[i * n + d + j] = b[1]!;
  m.data[(d + i) * n + j] = b[2]!;
  m.data[(d + i) * n + d + j] = b[3]!;
}

/** E_i · B · E_jᵀ for 2×2 row-major tuples. */
function conj(
  ei: readonly number[],
  b: readonly number[],
  ej: readonly number[],
): [number, number, number, number] {
  const t0 = ei[0]! * b[0]! + ei[1]! * b[2]!;
  const t1 = ei[0]! * b[1]! + ei[1]! * b[3]!;
  const t2 = ei[2]! * b[0]! + ei[3]! * b[2]!;
  const t3 = ei[2]! * b[1]! + ei[3]! * b[3]!;
  return [
    t0 * ej[0]! + t1 * ej[1]!,
    t0 * ej[2]! + t1 * ej[3]!,
    t2 * ej[0]! + t3 * ej[1]!,
    t2 * ej[2]! + t3 * ej[3]!,
  ];
}
